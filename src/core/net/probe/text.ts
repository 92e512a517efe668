/**
 * Text-protocol probes after TLS: SMTP EHLO, IMAP CAPABILITY, POP3 CAPA, FTP FEAT. On an implicit-TLS port
 * (465, 993, 995, 990) the server's greeting comes first and is read before the command.
 */
import type * as tls from "node:tls";
import type { ApplicationExchange } from "../../../shared/model";
import { readAnswer, oneLine } from "./read";
import { ms } from "./http";
import { english, type Translate } from "../../../shared/format";

export type TextProtocol = "smtp" | "imap" | "pop3" | "ftp";

const COMMAND: Record<TextProtocol, (name: string) => string> = {
  smtp: (name) => `EHLO ${name}`,
  imap: () => "a2 CAPABILITY",
  pop3: () => "CAPA",
  ftp: () => "FEAT",
};

/** When is one answer complete? */
const COMPLETE: Record<TextProtocol, (text: string) => boolean> = {
  smtp: (t) => /(^|\n)\d{3} [^\n]*\n/.test(t),
  ftp: (t) => /(^|\n)\d{3} [^\n]*\n/.test(t),
  imap: (t) => /(^|\n)(a2|\*) (OK|NO|BAD|BYE)\b[^\n]*\n/i.test(t) && (/(^|\n)a2 /.test(t) || /^\* BYE/im.test(t)),
  pop3: (t) => /^-ERR[^\n]*\n/.test(t) || /\n\.\r?\n$/.test(t) || /^\.\r?\n$/m.test(t),
};

const GREETING_DONE = (p: TextProtocol, t: string) => (p === "smtp" || p === "ftp" ? /(^|\n)\d{3} [^\n]*\n/.test(t) : /\n/.test(t));

export async function probeText(s: tls.TLSSocket, o: { protocol: TextProtocol; name: string; greeting: boolean; waitMs: number; t?: Translate }): Promise<ApplicationExchange> {
  const t0 = performance.now();
  const t = o.t ?? english;
  const until = t0 + o.waitMs;
  const cmd = COMMAND[o.protocol](o.name);
  if (o.greeting) {
    const g = await readAnswer(s, (b) => GREETING_DONE(o.protocol, b.toString("latin1")), o.waitMs);
    const text = g.data.toString("latin1");
    const verdict = refusalLine(o.protocol, text);
    if (!g.data.length || verdict)
      return { protocol: o.protocol, request: "(greeting)", ...(verdict ? { answer: oneLine(verdict), reason: oneLine(verdict) } : { noAnswer: g.stopped === "closed" ? t("the server closed the connection without a greeting") : t("no greeting within {0} ms", Math.round(o.waitMs)) }), refused: false, time: ms(t0) };
  }
  s.write(`${cmd}\r\n`);
  const a = await readAnswer(s, (b) => COMPLETE[o.protocol](b.toString("latin1")), Math.max(0, until - performance.now()));
  const time = ms(t0);
  const text = a.data.toString("utf8");
  if (!text) return { protocol: o.protocol, request: cmd, refused: false, noAnswer: a.stopped === "closed" ? t("the server closed the connection without answering") : t("no answer within {0} ms", Math.round(o.waitMs)), time };
  const lines = text.split(/\r?\n/).filter(Boolean);
  const bad = refusalLine(o.protocol, text);
  const code = /^(\d{3})/.exec(lines[lines.length - 1] ?? "")?.[1];
  return {
    protocol: o.protocol,
    request: cmd,
    answer: oneLine(bad ?? (lines.length > 1 ? `${lines[0]} (+${lines.length - 1} lines)` : lines[0])),
    ...(bad ? { reason: oneLine(bad.replace(/^(\d{3}[ -]|a2 (NO|BAD) |\* BYE |-ERR )/i, "")) } : {}),
    ...(code ? { status: Number(code) } : {}),
    refused: false,
    time,
  };
}

/** The line that says no: SMTP/FTP 4xx/5xx, IMAP NO/BAD/BYE, POP3 -ERR. */
function refusalLine(p: TextProtocol, text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  if (p === "smtp" || p === "ftp") return lines.find((l) => /^[45]\d\d[ -]/.test(l));
  if (p === "imap") return lines.find((l) => /^(a2 (NO|BAD)|\* BYE)\b/i.test(l));
  return lines.find((l) => l.startsWith("-ERR"));
}
