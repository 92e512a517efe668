/**
 * One bounded HTTP exchange for revocation checking (OCSP POST/GET, and CRL downloads if chain wants it):
 * plain http only (RFC 5280 §4.2.2.1 / RFC 6960 responders are http; https would need a validated chain to
 * check a chain), a whole-exchange timeout, a size cap, an AbortSignal. Never throws: failures come back as
 * `error` in plain words.
 */
import { request } from "node:http";
import { t } from "../l10n";

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
      return resolve({ ok: false, error: t("{0} is not a valid URL", url) });
    }
    if (u.protocol !== "http:") return resolve({ ok: false, error: t("only http URLs are fetched ({0} given)", u.protocol.replace(/:$/, "")) });
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
        return finish({ ok: false, error: t("the answer is {0} bytes, more than the {1}-byte limit", declared, o.maxBytes) });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          req.destroy();
          return finish({ ok: false, error: t("the answer is larger than the {0}-byte limit", o.maxBytes) });
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
    const timer = setTimeout(() => stop(t("no answer within {0} ms", o.timeoutMs)), o.timeoutMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e: Error & { code?: string }) => finish({ ok: false, error: e.code === "ECONNREFUSED" ? t("connection refused by {0}", u.host) : e.message }));
    req.end(o.body ? Buffer.from(o.body) : undefined);
  });
}
