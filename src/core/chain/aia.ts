/**
 * AIA caIssuers fetching (RFC 5280 §4.2.2.1): GET an http URL with a timeout and an AbortSignal, read a DER
 * certificate or a certs-only PKCS#7 bundle. Off by default; only plain http (as the RFC specifies; https
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

export function fetchCaIssuers(url: string, timeoutMs: number, signal?: AbortSignal): Promise<AiaFetch> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ certs: [], error: "not a valid URL" });
    }
    if (u.protocol !== "http:") return resolve({ certs: [], error: "only http caIssuers URLs are fetched" });
    if (signal?.aborted) return resolve({ certs: [], error: "cancelled" });
    let settled = false;
    const finish = (v: AiaFetch) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const req = request(u, { method: "GET", headers: { accept: "application/pkix-cert, application/pkcs7-mime" } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        return finish({ certs: [], error: `HTTP status ${res.statusCode}` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy();
          return finish({ certs: [], error: "the response is larger than 1 MiB" });
        }
        chunks.push(c);
      });
      res.on("end", () => {
        const certs = certificatesForVerify(new Uint8Array(Buffer.concat(chunks))).certs;
        finish(certs.length ? { certs } : { certs, error: "the response holds no certificate" });
      });
      res.on("error", (e) => finish({ certs: [], error: e.message }));
    });
    const stop = (error: string) => {
      req.destroy();
      finish({ certs: [], error });
    };
    const onAbort = () => stop("cancelled");
    const timer = setTimeout(() => stop(`no answer within ${timeoutMs} ms`), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish({ certs: [], error: e.message }));
    req.end();
  });
}
