/**
 * The OCSP client (RFC 6960, RFC 5019): asks the responder named in a certificate's AIA extension whether it is
 * revoked. A SHA-1 CertID (what every responder answers), a fresh 16-byte nonce (RFC 8954), GET when the
 * encoded request fits in 255 bytes (RFC 5019 §5) and POST otherwise, 5 s and 1 MiB per request by default,
 * cancellable, answers cached for the session until their nextUpdate (at most an hour). Never throws: network
 * and responder problems come back as status "unknown" with the reason, so `verify` reports
 * `revocation_unknown` instead of failing.
 */
import { createHash, randomBytes } from "node:crypto";
import type { OcspChecker, RevocationFetchOptions, RevocationReason, RevocationStatus } from "./types";
import { buildOcspRequest, evaluateOcspResponse, type OcspEvaluation } from "../pki/ocspCheck";
import { certificateParts } from "../pki/certificate";
import { children, oid } from "../pki/der";
import { decodeExtension } from "../pki/extensions";
import { httpFetch } from "./http";
import { t } from "../l10n";

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 1 << 20;
/** RFC 5019 §5: GET when the URL-encoded base64 request is under 255 bytes. */
const GET_LIMIT = 255;
const MAX_CACHE = 500;
const MAX_CACHE_MS = 60 * 60_000;
/** At most this many responder URLs are tried for one certificate. */
const MAX_URLS = 3;

interface CacheEntry {
  until: number;
  status: RevocationStatus;
}
const cache = new Map<string, CacheEntry>();

/** Forgets every cached answer (a new session, or the user asked to check again). */
export function clearOcspCache(): void {
  cache.clear();
}

/** The OCSP responder URLs of a certificate's authorityInfoAccess extension, in order. */
export function ocspUrls(certDer: Uint8Array): string[] {
  const ext = certificateParts(certDer).extensions;
  if (!ext) return [];
  for (const e of children(ext)) {
    if (oid(children(e)[0]) !== "1.3.6.1.5.5.7.1.1") continue;
    const m = decodeExtension(e);
    const v = m.value as { descriptions?: { oid: string; location: { type: string; value: string } }[] } | undefined;
    return (v?.descriptions ?? []).filter((d) => d.oid === "1.3.6.1.5.5.7.48.1" && d.location.type === "uri").map((d) => d.location.value);
  }
  return [];
}

function cacheKey(cert: Uint8Array, issuer: Uint8Array): string {
  return createHash("sha256").update(cert).update(issuer).digest("hex");
}

/** The request URL for GET: the responder URL + "/" + URL-encoded base64 (RFC 6960 Appendix A.1). */
function getUrl(base: string, req: Uint8Array): string {
  return base.replace(/\/?$/, "/") + encodeURIComponent(Buffer.from(req).toString("base64"));
}

function toStatus(e: OcspEvaluation, location: string): RevocationStatus {
  const out: RevocationStatus = {
    status: e.status === "invalid" ? "unknown" : e.status,
    source: "ocsp",
    location,
    detail:
      e.status === "invalid"
        ? t("the OCSP answer from {0} does not check out: {1}", location, e.detail)
        : e.status === "revoked"
          ? t("OCSP responder {0}: revoked; {1}", location, e.detail)
          : t("OCSP responder {0}: good; {1}", location, e.detail),
  };
  if (e.status === "unknown") out.detail = t("OCSP responder {0} does not know this certificate (\"unknown\"); {1}", location, e.detail);
  if (e.thisUpdate) out.thisUpdate = e.thisUpdate;
  if (e.nextUpdate) out.nextUpdate = e.nextUpdate;
  if (e.revokedAt) out.revokedAt = e.revokedAt;
  if (e.reason) out.reason = e.reason as RevocationReason;
  return out;
}

/** checkOcsp's options: the shared fetch options, plus the HTTP method (default: GET when short enough). */
export interface OcspCheckOptions extends RevocationFetchOptions {
  method?: "auto" | "GET" | "POST";
}

async function askOne(url: string, cert: Uint8Array, issuer: Uint8Array, opts: OcspCheckOptions): Promise<RevocationStatus> {
  const nonce = new Uint8Array(randomBytes(16));
  const req = buildOcspRequest(cert, issuer, nonce);
  const get = getUrl(url, req);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const accept = { accept: "application/ocsp-response" };
  const r =
    opts.method === "GET" || (opts.method !== "POST" && get.length - url.length <= GET_LIMIT)
      ? await httpFetch(get, { method: "GET", headers: accept, timeoutMs, maxBytes, signal: opts.signal })
      : await httpFetch(url, { method: "POST", body: req, headers: { ...accept, "content-type": "application/ocsp-request" }, timeoutMs, maxBytes, signal: opts.signal });
  if (!r.ok) return { status: "unknown", source: "ocsp", location: url, detail: t("OCSP responder {0} could not be asked: {1}", url, r.error) };
  if (r.status !== 200) return { status: "unknown", source: "ocsp", location: url, detail: t("OCSP responder {0} answered HTTP {1}", url, r.status) };
  return toStatus(evaluateOcspResponse(r.body, cert, issuer, { at: opts.at, nonce }), url);
}

/**
 * Asks the certificate's OCSP responder(s) about `cert` issued by `issuer` (both DER): the `OcspChecker` that
 * `verify --revocation ocsp` and the editor's "Check Revocation" call for every certificate on a path.
 */
export const checkOcsp: OcspChecker = async (cert: Uint8Array, issuer: Uint8Array, opts: OcspCheckOptions) => {
  let urls: string[];
  try {
    urls = ocspUrls(cert);
  } catch (err) {
    return { status: "unknown", source: "ocsp", detail: t("the certificate's AIA extension cannot be read: {0}", err instanceof Error ? err.message : String(err)) };
  }
  if (!urls.length) return { status: "unknown", source: "ocsp", detail: t("the certificate names no OCSP responder (no OCSP URL in its authorityInfoAccess extension)") };
  const key = cacheKey(cert, issuer);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now && !opts.at) return hit.status;
  const tried: string[] = [];
  let last: RevocationStatus | undefined;
  for (const url of urls.slice(0, MAX_URLS)) {
    if (opts.signal?.aborted) return { status: "unknown", source: "ocsp", location: url, detail: "cancelled" };
    let s: RevocationStatus;
    try {
      s = await askOne(url, cert, issuer, opts);
    } catch (err) {
      // buildOcspRequest on an unreadable certificate or issuer: an answer, never a throw (OcspChecker's promise).
      return { status: "unknown", source: "ocsp", location: url, detail: t("no OCSP request could be built: {0}", err instanceof Error ? err.message : String(err)) };
    }
    if (s.status !== "unknown") {
      const next = s.nextUpdate ? Date.parse(s.nextUpdate) : NaN;
      if (!opts.at) {
        if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
        cache.set(key, { until: Math.min(now + MAX_CACHE_MS, Number.isFinite(next) ? next : now + 5 * 60_000), status: s });
      }
      return s;
    }
    tried.push(s.detail);
    last = s;
  }
  return { ...last!, detail: tried.join("; ") };
};

