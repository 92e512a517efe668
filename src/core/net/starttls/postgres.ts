/**
 * PostgreSQL (protocol 3.0, "SSL Session Encryption"): the client sends SSLRequest (length 8, code 80877103); the
 * server answers one byte, 'S' (go ahead with TLS) or 'N' (no TLS), or an ErrorResponse from a very old server.
 */
import { type Conversation, StepError, answerTo, preview } from "../conversation";
import type { Translate } from "../../../shared/format";
import type { StartTlsContext } from "./index";

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export async function postgres(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  conv.send(SSL_REQUEST, "SSLRequest");
  const t: Translate = conv.t;
  const b = await conv.read(() => 1, ctx.waitMs, answerTo(t, "SSLRequest"));
  const c = String.fromCharCode(b[0]);
  if (c === "S") {
    conv.note("server", "S (TLS accepted)");
    return;
  }
  if (c === "N") {
    conv.note("server", "N (TLS not available)");
    throw new StepError("starttls_failure", t("The PostgreSQL server does not offer TLS: it answered the SSLRequest with 'N'."), t("Set ssl = on (with ssl_cert_file and ssl_key_file) in postgresql.conf and reload the server."));
  }
  // Anything else: not PostgreSQL (an SMTP or SSH greeting arrives before our request is even read).
  conv.note("server", preview(b));
  throw new StepError("starttls_failure", t("The server did not answer the SSLRequest like PostgreSQL: it sent '{0}'.", preview(b)), t("Check the port and the protocol chosen for STARTTLS (--starttls)."));
}
