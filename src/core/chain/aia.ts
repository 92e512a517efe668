/**
 * AIA caIssuers fetching (RFC 5280 §4.2.2.1): GET an http URL with a timeout and an AbortSignal, read a DER
 * certificate or a certs-only PKCS#7 bundle (through boundedHttpGet, which CRL fetching shares). Off by default; only plain http (as the RFC specifies; https
 * would need a validated chain to fetch a chain). Failures give an empty list, never a throw or a hang.
 */
import { request } from "node:http";
import { certificatesForVerify } from "./input";

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
 * throws or hangs. Used for AIA caIssuers and CRL distribution points (RFC 5280 §4.2.1.13, §4.2.2.1).
 */
export function boundedHttpGet(url: string, o: { timeoutMs: number; maxBytes: number; signal?: AbortSignal; accept: string; what: string }): Promise<HttpGet> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ error: "not a valid URL" });
    }
    if (u.protocol !== "http:") return resolve({ error: `only http ${o.what} URLs are fetched` });
    if (o.signal?.aborted) return resolve({ error: "cancelled" });
    let settled = false;
    const finish = (v: HttpGet) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const req = request(u, { method: "GET", headers: { accept: o.accept } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        return finish({ error: `HTTP status ${res.statusCode}` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          req.destroy();
          return finish({ error: `the response is larger than ${o.maxBytes >= 1 << 20 ? `${o.maxBytes >> 20} MiB` : `${o.maxBytes} bytes`}` });
        }
        chunks.push(c);
      });
      res.on("end", () => finish({ bytes: new Uint8Array(Buffer.concat(chunks)) }));
      res.on("error", (e) => finish({ error: e.message }));
    });
    const stop = (error: string) => {
      req.destroy();
      finish({ error });
    };
    const onAbort = () => stop("cancelled");
    const timer = setTimeout(() => stop(`no answer within ${o.timeoutMs} ms`), o.timeoutMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish({ error: e.message }));
    req.end();
  });
}

export async function fetchCaIssuers(url: string, timeoutMs: number, signal?: AbortSignal): Promise<AiaFetch> {
  const got = await boundedHttpGet(url, { timeoutMs, maxBytes: MAX_BYTES, signal, accept: "application/pkix-cert, application/pkcs7-mime", what: "caIssuers" });
  if (!got.bytes) return { certs: [], error: got.error };
  const certs = certificatesForVerify(got.bytes).certs;
  return certs.length ? { certs } : { certs, error: "the response holds no certificate" };
}
