/**
 * AIA caIssuers fetching (RFC 5280 §4.2.2.1): GET an http URL with a timeout and an AbortSignal, read a DER
 * certificate or a certs-only PKCS#7 bundle (through boundedHttpGet, which CRL fetching shares). Off by default; only plain http (as the RFC specifies; https
 * would need a validated chain to fetch a chain). Failures give an empty list, never a throw or a hang.
 */
import { httpFetch } from "../revocation/http";
import { certificatesForVerify } from "./input";
import { t } from "../l10n";

const MAX_BYTES = 1 << 20;

export interface AiaFetch {
  certs: Uint8Array[];
  /** Why nothing usable came back, in plain words. */
  error?: string;
}

/** Outcome of one bounded GET: the body, or why there is none in plain words. */
export type HttpGet = { bytes: Uint8Array; error?: undefined } | { bytes?: undefined; error: string };

/**
 * GETs a plain http URL: bounded in time (timeoutMs) and size (maxBytes), cancellable through `signal`; never
 * throws or hangs. Used for AIA caIssuers and CRL distribution points (RFC 5280 §4.2.1.13, §4.2.2.1); the
 * exchange itself is the one bounded HTTP client of revocation checking (../revocation/http.ts).
 */
export async function boundedHttpGet(url: string, o: { timeoutMs: number; maxBytes: number; signal?: AbortSignal; accept: string; what: string }): Promise<HttpGet> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: t("not a valid URL") };
  }
  if (u.protocol !== "http:") return { error: t("only http {0} URLs are fetched", o.what) };
  const r = await httpFetch(url, { method: "GET", headers: { accept: o.accept }, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, signal: o.signal });
  if (!r.ok) return { error: r.error };
  if (r.status !== 200) return { error: t("HTTP status {0}", r.status) };
  return { bytes: r.body };
}

export async function fetchCaIssuers(url: string, timeoutMs: number, signal?: AbortSignal): Promise<AiaFetch> {
  const got = await boundedHttpGet(url, { timeoutMs, maxBytes: MAX_BYTES, signal, accept: "application/pkix-cert, application/pkcs7-mime", what: "caIssuers" });
  if (!got.bytes) return { certs: [], error: got.error };
  const certs = certificatesForVerify(got.bytes).certs;
  return certs.length ? { certs } : { certs, error: t("the response holds no certificate") };
}
