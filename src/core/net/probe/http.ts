/**
 * HTTP/1.1 probe: `GET /` with the Host header, never following redirects, reading at most the first few KB —
 * nginx puts its mutual-TLS reason only in the body ("400 No required SSL certificate was sent"), so HEAD cannot
 * tell. h2 (ALPN) goes through Node's HTTP/2 client over the same TLS socket.
 */
import * as http2 from "node:http2";
import type * as tls from "node:tls";
import type { ApplicationExchange } from "../../../shared/model";
import { readAnswer, oneLine, MAX_APP_BYTES } from "./read";
import { english, type Translate } from "../../../shared/format";

export interface HttpProbeInput {
  /** Host header / :authority (SNI name or host, with the port when not 443). */
  authority: string;
  waitMs: number;
  /** Says why there was no answer (the handshake's translator; English by default). */
  t?: Translate;
}

export async function probeHttp1(s: tls.TLSSocket, o: HttpProbeInput): Promise<ApplicationExchange> {
  const request = "GET / HTTP/1.1";
  const t0 = performance.now();
  s.write(`${request}\r\nHost: ${o.authority}\r\nUser-Agent: CertScope\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
  const a = await readAnswer(s, bodyComplete, o.waitMs);
  const time = ms(t0);
  const text = a.data.toString("latin1");
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})[^\r\n]*/.exec(text);
  if (!status) return { protocol: "http", request, refused: false, noAnswer: noAnswer(a, text, o.waitMs, o.t ?? english), time };
  const headEnd = text.indexOf("\r\n\r\n");
  const headers = headEnd >= 0 ? text.slice(0, headEnd) : text;
  const body = headEnd >= 0 ? Buffer.from(text.slice(headEnd + 4), "latin1").toString("utf8") : "";
  const ctype = /^content-type:\s*([^\r\n]*)/im.exec(headers)?.[1] ?? "";
  const reason = pageReason(body, ctype, Number(status[1]));
  return { protocol: "http", request, status: Number(status[1]), answer: `${status[0].trim()}${reason ? `: ${reason}` : ""}`, ...(reason ? { reason } : {}), refused: false, time };
}

export async function probeH2(s: tls.TLSSocket, o: HttpProbeInput): Promise<ApplicationExchange> {
  const request = "GET / (HTTP/2)";
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let session: http2.ClientHttp2Session | undefined;
    const t = o.t ?? english;
    const timer = setTimeout(() => done({ noAnswer: t("no answer within {0} ms", Math.round(o.waitMs)) }), Math.max(0, o.waitMs));
    function done(r: Partial<ApplicationExchange>) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Closing the session also closes the TLS socket under it (the attempt then finishes).
      session?.destroy();
      resolve({ protocol: "h2", request, refused: false, time: ms(t0), ...r });
    }
    try {
      session = http2.connect(`https://${o.authority}`, { createConnection: () => s });
      session.on("error", (e: Error & { code?: string }) => done({ noAnswer: t("HTTP/2 error: {0}", e.code ?? e.message) }));
      session.on("goaway", (code: number) => done({ noAnswer: t("the server ended the HTTP/2 session (GOAWAY {0})", code) }));
      const req = session.request({ ":method": "GET", ":path": "/", ":authority": o.authority, "user-agent": "CertScope", accept: "*/*" });
      req.on("error", (e: Error & { code?: string }) => done({ noAnswer: t("HTTP/2 stream error: {0}", e.code ?? e.message) }));
      req.on("response", (headers) => {
        const status = Number(headers[":status"]);
        const ctype = String(headers["content-type"] ?? "");
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const reason = pageReason(Buffer.concat(chunks).toString("utf8"), ctype, status);
          done({ status, answer: `HTTP/2 ${status}${reason ? `: ${reason}` : ""}`, ...(reason ? { reason } : {}) });
        };
        req.on("data", (d: Buffer) => {
          chunks.push(d);
          size += d.length;
          if (size >= MAX_APP_BYTES) finish();
        });
        req.on("end", finish);
      });
      req.end();
    } catch (e) {
      done({ noAnswer: t("HTTP/2 could not start: {0}", (e as Error).message) });
    }
  });
}

/** Enough read: headers plus the whole body (Content-Length) or the first few KB of it. */
function bodyComplete(buf: Buffer): boolean {
  const text = buf.toString("latin1");
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) return false;
  const len = /^content-length:\s*(\d+)/im.exec(text.slice(0, headEnd))?.[1];
  if (len !== undefined) return buf.length - (headEnd + 4) >= Math.min(Number(len), MAX_APP_BYTES - headEnd - 4);
  // Chunked or close-delimited: the first chunk of an error page is enough when it has a title/closing tag.
  return /<\/(title|h1|body|html)>|\r\n0\r\n\r\n$/i.test(text.slice(headEnd));
}

/** The page's own words: nginx's <title>400 No required SSL certificate was sent</title>, a JSON message, or the first text. */
export function pageReason(body: string, ctype: string, status: number): string | undefined {
  if (!body.trim()) return undefined;
  if (/json/i.test(ctype) || /^\s*\{/.test(body)) {
    const m = /"(?:message|error_description|error|detail|reason)"\s*:\s*"((?:\\.|[^"\\]){1,300})"/.exec(body);
    if (m) return oneLine(m[1].replace(/\\(.)/g, "$1"));
  }
  const title = /<title[^>]*>([\s\S]{0,400}?)<\/title>/i.exec(body)?.[1];
  const strip = (t: string) => oneLine(decodeEntities(t.replace(/<[^>]*>/g, " ")));
  if (title) {
    const t = strip(title).replace(new RegExp(`^${status}\\s+`), "");
    if (t) return t;
  }
  if (/html/i.test(ctype) || /<html|<body/i.test(body)) {
    const h1 = /<h1[^>]*>([\s\S]{0,400}?)<\/h1>/i.exec(body)?.[1];
    if (h1 && strip(h1)) return strip(h1);
    return strip(body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")) || undefined;
  }
  return oneLine(body, 200) || undefined;
}

function decodeEntities(t: string): string {
  return t.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " })[e] ?? "");
}

function noAnswer(a: { stopped?: string; error?: string }, text: string, waitMs: number, t: Translate): string {
  if (text) return t("the answer is not HTTP: '{0}'", oneLine(text, 80));
  if (a.stopped === "closed") return t("the server closed the connection without answering");
  if (a.stopped === "error") return t("the connection failed ({0})", String(a.error));
  return t("no answer within {0} ms", Math.round(waitMs));
}

export function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 100) / 100;
}
