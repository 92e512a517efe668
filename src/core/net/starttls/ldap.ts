/**
 * LDAP StartTLS (RFC 4511 §4.14): an ExtendedRequest with requestName 1.3.6.1.4.1.1466.20037; the ExtendedResponse
 * carries resultCode 0 (success) or an error with a diagnostic message. BER read with explicit bounds.
 */
import { type Conversation, type Framer, StepError, answerTo, preview } from "../conversation";
import type { StartTlsContext } from "./index";
import { english, type Translate } from "../../../shared/format";

const OID = "1.3.6.1.4.1.1466.20037";

function request(): Buffer {
  const name = Buffer.concat([Buffer.from([0x80, OID.length]), Buffer.from(OID, "latin1")]);
  const op = Buffer.concat([Buffer.from([0x77, name.length]), name]);
  const id = Buffer.from([0x02, 0x01, 0x01]);
  const body = Buffer.concat([id, op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** One BER element at `at`: [tag, contentStart, end] or undefined when incomplete. */
function element(buf: Buffer, at: number, t: Translate = english): [number, number, number] | undefined {
  if (buf.length < at + 2) return undefined;
  const tag = buf[at];
  let len = buf[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new StepError("starttls_failure", t("the answer to StartTLS is not an LDAP message: '{0}'", preview(buf)));
    if (buf.length < start + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  return [tag, start, start + len];
}

const berFramer =
  (t: Translate): Framer =>
  (buf) => {
    if (buf[0] !== 0x30) throw new StepError("starttls_failure", t("the server did not answer StartTLS with an LDAP message: '{0}'", preview(buf)), t("Check the port and the protocol chosen for STARTTLS (--starttls)."));
    const e = element(buf, 0, t);
    return e && buf.length >= e[2] ? e[2] : -1;
  };

export async function ldap(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  conv.send(request(), `ExtendedRequest StartTLS (${OID})`);
  const t: Translate = conv.t;
  const msg = await conv.read(berFramer(t), ctx.waitMs, answerTo(t, "StartTLS"));
  // SEQUENCE { messageID INTEGER, extendedResp [APPLICATION 24] { resultCode ENUMERATED, matchedDN, diagnosticMessage, … } }
  const seq = element(msg, 0)!;
  const id = element(msg, seq[1]);
  const op = id && element(msg, id[2]);
  if (!op || op[0] !== 0x78) throw new StepError("starttls_failure", t("the server did not answer StartTLS with an ExtendedResponse: '{0}'", preview(msg)));
  const rc = element(msg, op[1]);
  const dn = rc && element(msg, rc[2]);
  const diag = dn && element(msg, dn[2]);
  const code = rc && rc[2] - rc[1] >= 1 ? msg[rc[2] - 1] : -1;
  const text = diag ? msg.subarray(diag[1], Math.min(diag[2], msg.length)).toString("utf8") : "";
  conv.note("server", `ExtendedResponse resultCode ${code}${code === 0 ? " (success)" : ""}${text ? `: ${text}` : ""}`);
  if (code !== 0)
    throw new StepError(
      "starttls_failure",
      text ? t("The LDAP server refused StartTLS with resultCode {0} ('{1}').", code, text) : t("The LDAP server refused StartTLS with resultCode {0}.", code),
      t("Enable StartTLS on the directory server (a TLS certificate configured), or use LDAPS on port 636."),
    );
}
