/**
 * One bounded HTTP exchange for revocation checking (OCSP POST/GET, and CRL downloads if chain wants it):
 * plain http only (RFC 5280 §4.2.2.1 / RFC 6960 responders are http; https would need a validated chain to
 * check a chain), a whole-exchange timeout, a size cap, an AbortSignal. Never throws: failures come back as
 * `error` in plain words.
 */
import { request } from "node:http";

export interface HttpFetchOptions {
  method?: "GET" | "POST";
  body?: Uint8Array;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export type HttpFetchResult = { ok: true; status: number; contentType?: string; body: Uint8Array } | { ok: false; error: string };

export function httpFetch(url: string, o: HttpFetchOptions): Promise<HttpFetchResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, error: `${url} is not a valid URL` });
    }
    if (u.protocol !== "http:") return resolve({ ok: false, error: `only http URLs are fetched (${u.protocol.replace(/:$/, "")} given)` });
    if (o.signal?.aborted) return resolve({ ok: false, error: "cancelled" });
    let settled = false;
    const finish = (v: HttpFetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const headers: Record<string, string> = { ...o.headers };
    if (o.body) headers["content-length"] = String(o.body.length);
    const req = request(u, { method: o.method ?? "GET", headers }, (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        req.destroy();
        return finish({ ok: false, error: `the answer is ${declared} bytes, more than the ${o.maxBytes}-byte limit` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          req.destroy();
          return finish({ ok: false, error: `the answer is larger than the ${o.maxBytes}-byte limit` });
        }
        chunks.push(c);
      });
      res.on("end", () => finish({ ok: true, status, contentType: res.headers["content-type"], body: new Uint8Array(Buffer.concat(chunks)) }));
      res.on("error", (e) => finish({ ok: false, error: e.message }));
    });
    const stop = (error: string) => {
      req.destroy();
      finish({ ok: false, error });
    };
    const onAbort = () => stop("cancelled");
    const timer = setTimeout(() => stop(`no answer within ${o.timeoutMs} ms`), o.timeoutMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e: Error & { code?: string }) => finish({ ok: false, error: e.code === "ECONNREFUSED" ? `connection refused by ${u.host}` : e.message }));
    req.end(o.body ? Buffer.from(o.body) : undefined);
  });
}
