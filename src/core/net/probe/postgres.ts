/**
 * PostgreSQL probe: a StartupMessage (protocol 3.0) for user = the client certificate's CN (what `cert`
 * authentication maps to a role) or "certscope", database "postgres" (present on every cluster). The first answer tells the verdict:
 * AuthenticationOk / an authentication request (the TLS verdict stands) or an ErrorResponse (SQLSTATE 28000 with
 * "certificate": the server refused the client certificate). A Terminate is sent after an AuthenticationOk.
 */
import type * as tls from "node:tls";
import type { ApplicationExchange } from "../../../shared/model";
import { readAnswer, oneLine } from "./read";
import { ms } from "./http";
import { english, type Translate } from "../../../shared/format";

const AUTH_NAMES: Record<number, string> = { 0: "AuthenticationOk", 2: "KerberosV5", 3: "CleartextPassword", 5: "MD5Password", 7: "GSS", 9: "SSPI", 10: "SASL (SCRAM)" };

export function startupMessage(user: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0postgres\0application_name\0certscope\0\0`, "utf8");
  const b = Buffer.alloc(8 + params.length);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(196608, 4);
  params.copy(b, 8);
  return b;
}

/** One complete backend message at the start. */
function oneMessage(buf: Buffer): boolean {
  return buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1);
}

export async function probePostgres(s: tls.TLSSocket, o: { user: string; waitMs: number; t?: Translate }): Promise<ApplicationExchange> {
  const t = o.t ?? english;
  const request = `StartupMessage user=${o.user} database=postgres`;
  const t0 = performance.now();
  s.write(startupMessage(o.user));
  const a = await readAnswer(s, oneMessage, o.waitMs);
  const time = ms(t0);
  const b = a.data;
  if (!oneMessage(b)) {
    const why =
      a.stopped === "closed" ? t("the server closed the connection without answering") : a.stopped === "error" ? t("the connection failed ({0})", String(a.error)) : t("no answer within {0} ms", Math.round(o.waitMs));
    return { protocol: "postgres", request, refused: false, noAnswer: b.length ? t("an incomplete or unknown answer: '{0}'", oneLine(b.toString("latin1"), 60)) : why, time };
  }
  const type = String.fromCharCode(b[0]);
  const len = b.readInt32BE(1);
  const body = b.subarray(5, 1 + len);
  if (type === "R") {
    const code = body.length >= 4 ? body.readInt32BE(0) : -1;
    const name = AUTH_NAMES[code] ?? `authentication request ${code}`;
    if (code === 0) s.write(Buffer.from([0x58, 0, 0, 0, 4])); // Terminate
    return { protocol: "postgres", request, answer: code === 0 ? "AuthenticationOk" : `Authentication request: ${name}`, status: code, refused: false, time };
  }
  if (type === "E" || type === "N") {
    const f = errorFields(body);
    const msg = f.M ?? "";
    return {
      protocol: "postgres",
      request,
      answer: `${f.S ?? (type === "E" ? "ERROR" : "NOTICE")}: ${msg}${f.C ? ` (SQLSTATE ${f.C})` : ""}`,
      ...(f.C ? { sqlstate: f.C } : {}),
      reason: oneLine(`${msg}${f.D ? ` — ${f.D}` : ""}`),
      refused: false,
      time,
    };
  }
  return { protocol: "postgres", request, answer: `message '${type}' (${len} bytes)`, refused: false, time };
}

/** ErrorResponse / NoticeResponse fields: a type byte then a NUL-terminated string, until a zero byte. */
function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  for (let n = 0; n < 64 && at < body.length && body[at] !== 0; n++) {
    const key = String.fromCharCode(body[at]);
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    out[key] = body.subarray(at + 1, end).toString("utf8");
    at = end + 1;
  }
  return out;
}
