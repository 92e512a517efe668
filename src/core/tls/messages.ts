/**
 * Handshake message parsers (RFC 5246 §7.4, RFC 8446 §4): one function per message, each returning the
 * plain-data `detail` shown in the message list. They never throw on malformed input: the caller wraps them
 * and records a decode error in the detail instead.
 *
 * This file holds the context, the dispatch by message type and the key exchange and ticket messages; the hellos
 * are in ./hellos.ts, Certificate/CertificateStatus/CertificateRequest in ./certificateMessages.ts, and the
 * vectors they share in ./messageFields.ts.
 */
import { Reader } from "./reader";
import { groupName, signatureSchemeName, HANDSHAKE_TYPE, suiteParams } from "./names";
import { bitLength } from "../pki/der";
import { clientHello, encryptedExtensions, serverHello } from "./hellos";
import { certificate, certificateRequest, certificateStatus } from "./certificateMessages";

/** What the decoder knows about the connection so far; parsers read and update it. */
export interface HandshakeContext {
  /** Skip decoding certificates (a quick pass that only needs the message sequence). */
  light?: boolean;
  clientRandom?: Uint8Array;
  serverRandom?: Uint8Array;
  /** Negotiated version (0x0303, 0x0304 …) once the ServerHello is seen. */
  version?: number;
  cipherSuite?: number;
  helloRetry?: boolean;
  encryptThenMac?: boolean;
  alpn?: string;
  group?: string;
  /** DER certificates of the server's and the client's Certificate messages, as sent. */
  serverCertificates?: Uint8Array[];
  clientCertificates?: Uint8Array[];
  certificateRequest?: { acceptableIssuers: string[]; signatureAlgorithms: string[]; certificateTypes?: string[] };
  /** The stapled OCSP response (TLS 1.2 CertificateStatus, TLS 1.3 status_request in the leaf's Certificate entry). */
  ocspStaple?: Uint8Array;
  /** The server's signed_certificate_timestamp extension (a SignedCertificateTimestampList, RFC 6962 §3.3). */
  tlsScts?: Uint8Array;
}

export interface ParsedMessage {
  type: string;
  detail: Record<string, unknown>;
}

export function parseHandshake(type: number, body: Uint8Array, from: "client" | "server", ctx: HandshakeContext): ParsedMessage {
  const name = HANDSHAKE_TYPE[type] ?? `Handshake(${type})`;
  const r = new Reader(body);
  switch (type) {
    case 1:
      return { type: name, detail: clientHello(r, ctx) };
    case 2:
      return serverHello(r, ctx);
    case 4:
      return { type: name, detail: newSessionTicket(r, ctx) };
    case 8:
      return { type: name, detail: encryptedExtensions(r, ctx) };
    case 11:
      return { type: name, detail: certificate(r, from, ctx) };
    case 12:
      return { type: name, detail: serverKeyExchange(r, ctx) };
    case 13:
      return { type: name, detail: certificateRequest(r, ctx) };
    case 14:
      return { type: name, detail: {} };
    case 15: {
      const alg = r.u16();
      return { type: name, detail: { signatureAlgorithm: signatureSchemeName(alg), signatureLength: r.vecBytes(2).length } };
    }
    case 16:
      return { type: name, detail: clientKeyExchange(r, ctx) };
    case 20:
      return { type: name, detail: { verifyDataLength: body.length } };
    case 22:
      return { type: name, detail: certificateStatus(r, from, ctx) };
    case 24:
      return { type: name, detail: { requestUpdate: r.u8() === 1 } };
    default:
      return { type: name, detail: { length: body.length } };
  }
}

function serverKeyExchange(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const kx = ctx.cipherSuite !== undefined ? suiteParams(ctx.cipherSuite)?.kx : undefined;
  const detail: Record<string, unknown> = {};
  if (kx === "DHE") {
    const p = r.vecBytes(2);
    r.vecBytes(2); // g
    const ys = r.vecBytes(2);
    detail.keyExchange = "DHE";
    detail.primeBits = bitLength(p);
    detail.publicKeyLength = ys.length;
    ctx.group = ctx.group ?? `DHE-${bitLength(p)}`;
  } else {
    const curveType = r.u8();
    if (curveType !== 3) return { keyExchange: "ECDHE", curveType, length: r.buf.length };
    const g = r.u16();
    const pub = r.vecBytes(1);
    detail.keyExchange = "ECDHE";
    detail.group = groupName(g);
    detail.publicKeyLength = pub.length;
    ctx.group = groupName(g);
  }
  if (r.remaining >= 4 && ctx.version !== undefined && ctx.version >= 0x0303) detail.signatureAlgorithm = signatureSchemeName(r.u16());
  if (r.remaining >= 2) detail.signatureLength = r.vecBytes(2).length;
  return detail;
}

function clientKeyExchange(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const kx = ctx.cipherSuite !== undefined ? suiteParams(ctx.cipherSuite)?.kx : undefined;
  if (kx === "RSA") return { keyExchange: "RSA", encryptedPreMasterSecretLength: r.vecBytes(2).length };
  if (kx === "DHE") return { keyExchange: "DHE", publicKeyLength: r.vecBytes(2).length };
  return { keyExchange: kx ?? "ECDHE", publicKeyLength: r.vecBytes(1).length };
}

function newSessionTicket(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const lifetime = r.u32();
  if (ctx.version === 0x0304) {
    r.u32(); // age add
    r.vecBytes(1); // nonce
    const ticket = r.vecBytes(2);
    return { lifetimeSeconds: lifetime, ticketLength: ticket.length };
  }
  return { lifetimeSeconds: lifetime, ticketLength: r.vecBytes(2).length };
}
