/** Revocation checking (issue 14): the shared types, the OCSP client and stapled-response checks. */
export * from "./types";
export { checkOcsp, clearOcspCache, ocspUrls } from "./ocsp";
export { httpFetch, type HttpFetchOptions, type HttpFetchResult } from "./http";
export { checkPathRevocation, type PathRevocation } from "./path";
