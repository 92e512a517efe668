/** The line-based STARTTLS preambles: SMTP (RFC 3207), IMAP (RFC 9051 §6.2.1), POP3 (RFC 2595 STLS), FTP (RFC 4217 AUTH TLS). */
import { type AnswerName, type Conversation, type Framer, StepError, answerTo, greeting, lineFramer, preview } from "../conversation";
import type { StartTlsContext } from "./index";
import type { Translate } from "../../../shared/format";

/** Complete lines until (and including) the first one that `last` accepts. */
const untilLine =
  (last: (line: string) => boolean): Framer =>
  (buf) => {
    let at = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, at);
      if (nl < 0) return -1;
      const line = buf.subarray(at, nl).toString("latin1");
      at = nl + 1;
      if (last(line)) return at;
    }
  };

/** A reply of `NNN-…` lines ending with `NNN …` (SMTP, FTP). */
const codeReplyFramer = untilLine((l) => !/^\d{3}-/.test(l));

function lines(b: Buffer): string[] {
  return b
    .toString("latin1")
    .split(/\r?\n/)
    .filter((l) => l !== "");
}

async function reply(conv: Conversation, ctx: StartTlsContext, what: AnswerName): Promise<{ code: number; text: string[] }> {
  const b = await conv.read(codeReplyFramer, ctx.waitMs, what);
  const ls = lines(b);
  for (const l of ls) conv.note("server", l);
  const code = /^(\d{3})/.exec(ls[ls.length - 1] ?? "")?.[1];
  const t: Translate = conv.t;
  if (!code) throw new StepError("starttls_failure", t("{0} is not a numeric reply: '{1}'", what.the, preview(b)));
  return { code: Number(code), text: ls };
}

function wrongProtocol(conv: Conversation, proto: string, got: string): StepError {
  const t: Translate = conv.t;
  return new StepError("starttls_failure", t("The server did not greet like a {0} server: it said '{1}'.", proto, got), t("Check the port and the protocol chosen for STARTTLS (--starttls)."));
}

export const EHLO_NAME = "certscope.invalid";

export async function smtp(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const t = conv.t;
  const greet = await reply(conv, ctx, greeting(t, "SMTP"));
  if (greet.code !== 220) throw wrongProtocol(conv, "SMTP", greet.text.join(" ⏎ "));
  // The client's own name (RFC 5321 §4.1.1.1); the target's name would be wrong here.
  conv.send(`EHLO ${EHLO_NAME}\r\n`, `EHLO ${EHLO_NAME}`);
  const ehlo = await reply(conv, ctx, answerTo(t, "EHLO"));
  if (ehlo.code !== 250) throw new StepError("starttls_failure", t("The SMTP server refused EHLO: '{0}'.", ehlo.text.join(" ⏎ ")));
  if (!ehlo.text.some((l) => /^250[- ]STARTTLS\b/i.test(l)))
    throw new StepError(
      "starttls_failure",
      t("The SMTP server does not offer STARTTLS (its EHLO answer lists: {0}).", ehlo.text.slice(1).map((l) => l.slice(4)).join(", ") || t("nothing")),
      t("Enable STARTTLS on the mail server, or use its implicit-TLS port (465)."),
    );
  conv.send("STARTTLS\r\n", "STARTTLS");
  const st = await reply(conv, ctx, answerTo(t, "STARTTLS"));
  if (st.code !== 220) throw new StepError("starttls_failure", t("The SMTP server refused STARTTLS: '{0}'.", st.text.join(" ⏎ ")));
}

export async function ftp(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const t = conv.t;
  const greet = await reply(conv, ctx, greeting(t, "FTP"));
  if (greet.code !== 220) throw wrongProtocol(conv, "FTP", greet.text.join(" ⏎ "));
  conv.send("AUTH TLS\r\n", "AUTH TLS");
  const r = await reply(conv, ctx, answerTo(t, "AUTH TLS"));
  if (r.code !== 234)
    throw new StepError("starttls_failure", t("The FTP server refused AUTH TLS: '{0}'.", r.text.join(" ⏎ ")), t("Enable explicit FTPS (AUTH TLS) on the server, or use its implicit-TLS port (990)."));
}

export async function pop3(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const t = conv.t;
  const greet = await conv.read(lineFramer, ctx.waitMs, greeting(t, "POP3"));
  const g = lines(greet)[0] ?? "";
  conv.note("server", g);
  if (!g.startsWith("+OK")) throw wrongProtocol(conv, "POP3", g);
  conv.send("STLS\r\n", "STLS");
  const r = lines(await conv.read(lineFramer, ctx.waitMs, answerTo(t, "STLS")))[0] ?? "";
  conv.note("server", r);
  if (!r.startsWith("+OK")) throw new StepError("starttls_failure", t("The POP3 server refused STLS: '{0}'.", r), t("Enable STLS on the server, or use its implicit-TLS port (995)."));
}

export async function imap(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const t = conv.t;
  const greet = await conv.read(lineFramer, ctx.waitMs, greeting(t, "IMAP"));
  const g = lines(greet)[0] ?? "";
  conv.note("server", g);
  if (!/^\* (OK|PREAUTH)\b/i.test(g)) throw wrongProtocol(conv, "IMAP", g);
  conv.send("a1 STARTTLS\r\n", "a1 STARTTLS");
  // Untagged lines may come first; the tagged one ends the answer.
  const tagged = untilLine((l) => l.startsWith("a1 "));
  const ls = lines(await conv.read(tagged, ctx.waitMs, answerTo(t, "STARTTLS")));
  for (const l of ls) conv.note("server", l);
  const last = ls[ls.length - 1] ?? "";
  if (!/^a1 OK\b/i.test(last)) throw new StepError("starttls_failure", t("The IMAP server refused STARTTLS: '{0}'.", last), t("Enable STARTTLS on the server, or use its implicit-TLS port (993)."));
}
