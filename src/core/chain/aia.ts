/**
 * AIA caIssuers fetching (RFC 5280 §4.2.2.1): GET an http URL with a timeout and an AbortSignal, read a DER
 * certificate or a certs-only PKCS#7 bundle. Off by default; only plain http (as the RFC specifies; https
 * would need a validated chain to fetch a chain). Failures give an empty list, never a throw or a hang.
 */
import { request } from "node:http";
import { decodeCertificates } from "./input";

const MAX_BYTES = 1 << 20;

export function fetchCaIssuers(url: string, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array[]> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve([]);
    }
    if (u.protocol !== "http:" || signal?.aborted) return resolve([]);
    let settled = false;
    const finish = (v: Uint8Array[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const req = request(u, { method: "GET", headers: { accept: "application/pkix-cert, application/pkcs7-mime" } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        return finish([]);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy();
          return finish([]);
        }
        chunks.push(c);
      });
      res.on("end", () => finish(decodeCertificates(new Uint8Array(Buffer.concat(chunks))).certs));
      res.on("error", () => finish([]));
    });
    const onAbort = () => {
      req.destroy();
      finish([]);
    };
    const timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", () => finish([]));
    req.end();
  });
}
