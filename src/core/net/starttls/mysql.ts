/**
 * MySQL / MariaDB: the server greets with a HandshakeV10 packet; a client that wants TLS answers with an
 * SSLRequest packet (the first 32 bytes of HandshakeResponse41 with CLIENT_SSL) and starts TLS at once.
 */
import { type Conversation, type Framer, StepError, greeting, preview } from "../conversation";
import type { Translate } from "../../../shared/format";
import type { StartTlsContext } from "./index";

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;

const packetFramer: Framer = (buf) => {
  if (buf.length < 4) return -1;
  const len = buf[0] | (buf[1] << 8) | (buf[2] << 16);
  return buf.length >= 4 + len ? 4 + len : -1;
};

export async function mysql(conv: Conversation, ctx: StartTlsContext): Promise<void> {
  const t: Translate = conv.t;
  const p = await conv.read(packetFramer, ctx.waitMs, greeting(t, "MySQL"));
  const body = p.subarray(4);
  if (body[0] === 0xff) {
    const msg = body.subarray(3).toString("utf8").replace(/^#\w{5}/, "");
    conv.note("server", `ERR ${msg}`);
    throw new StepError("starttls_failure", t("The MySQL server refused the connection: '{0}'.", msg));
  }
  if (body[0] !== 10) {
    conv.note("server", preview(p));
    throw new StepError("starttls_failure", t("The server did not greet like MySQL (protocol 10): it sent '{0}'.", preview(p)), t("Check the port and the protocol chosen for STARTTLS (--starttls)."));
  }
  const verEnd = body.indexOf(0, 1);
  if (verEnd < 0 || body.length < verEnd + 1 + 4 + 8 + 1 + 2) throw new StepError("starttls_failure", t("The MySQL greeting is truncated."));
  const version = body.subarray(1, verEnd).toString("latin1");
  const capsLow = body.readUInt16LE(verEnd + 1 + 4 + 8 + 1);
  const charset = body.length > verEnd + 16 ? body[verEnd + 16] : 33;
  conv.note("server", `Handshake v10, server ${version}${capsLow & CLIENT_SSL ? ", TLS available" : ""}`);
  if (!(capsLow & CLIENT_SSL)) throw new StepError("starttls_failure", `The MySQL server ${version} does not offer TLS (no CLIENT_SSL capability).`, "Configure ssl_cert and ssl_key (MySQL 8 enables TLS by default when they exist) and restart the server.");
  const req = Buffer.alloc(4 + 32);
  req.writeUIntLE(32, 0, 3);
  req[3] = 1; // sequence id
  req.writeUInt32LE(CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION, 4);
  req.writeUInt32LE(16 * 1024 * 1024, 8);
  req[12] = charset;
  conv.send(req, "SSLRequest (CLIENT_SSL)");
}
