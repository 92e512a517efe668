/** XMPP STARTTLS (RFC 6120 §5): open a stream, read <stream:features>, ask <starttls/>, expect <proceed/>. */
import { type Conversation, type Framer, StepError, answerTo, preview } from "../conversation";
import type { Translate } from "../../../shared/format";
import type { StartTlsContext } from "./index";

const NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls";

const until =
  (re: RegExp): Framer =>
  (buf) => {
    const m = re.exec(buf.toString("latin1"));
    return m ? m.index + m[0].length : -1;
  };

export async function xmpp(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const open = `<?xml version='1.0'?><stream:stream to='${ctx.name.replace(/[<>&'"]/g, "")}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
  conv.send(open, open);
  const t: Translate = conv.t;
  const features = (
    await conv.read(until(/<\/stream:features>|<stream:features\s*\/>|<\/stream:stream>|<stream:error/), ctx.waitMs, { the: t("the XMPP stream features"), bare: t("XMPP stream features") })
  ).toString("utf8");
  conv.note("server", features.length > 300 ? `${features.slice(0, 300)}…` : features);
  if (!/<stream:stream\b/.test(features)) throw new StepError("starttls_failure", t("The server did not open an XMPP stream: '{0}'.", preview(Buffer.from(features))), t("Check the port and the protocol chosen for STARTTLS (--starttls)."));
  if (!/<starttls\b/.test(features)) throw new StepError("starttls_failure", t("The XMPP server does not offer STARTTLS in its stream features."), t("Enable TLS on the XMPP server."));
  const ask = `<starttls xmlns='${NS_TLS}'/>`;
  conv.send(ask, ask);
  const r = (await conv.read(until(/<proceed[^>]*\/>|<proceed[^>]*>\s*<\/proceed>|<failure[^>]*(\/>|<\/failure>)/), ctx.waitMs, answerTo(t, "<starttls/>"))).toString("utf8");
  conv.note("server", r);
  if (!/<proceed\b/.test(r)) throw new StepError("starttls_failure", t("The XMPP server refused STARTTLS: '{0}'.", r));
}
