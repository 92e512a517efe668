/**
 * Handshake message parsers (RFC 5246 §7.4, RFC 8446 §4): one function per message, each returning the
 * plain-data `detail` shown in the message list. They never throw on malformed input: the caller wraps them
 * and records a decode error in the detail instead.
 */
import { createHash } from "node:crypto";
import { Reader, toHex, equalBytes } from "./reader";
import {
  CERTIFICATE_TYPES,
  cipherSuiteName,
  extensionName,
  groupName,
  signatureSchemeName,
  versionName,
  HANDSHAKE_TYPE,
  suiteParams,
} from "./names";
import { certificateModel, nameText } from "./certs";

/** SHA-256("HelloRetryRequest"): the ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HRR_RANDOM = new Uint8Array(createHash("sha256").update("HelloRetryRequest").digest());

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

interface Ext {
  type: number;
  data: Uint8Array;
}

function readExtensions(r: Reader): Ext[] {
  if (r.remaining === 0) return [];
  const v = r.vec(2);
  const out: Ext[] = [];
  while (v.remaining > 0) out.push({ type: v.u16(), data: v.vecBytes(2) });
  return out;
}

function u16List(data: Uint8Array, prefix: 1 | 2): number[] {
  const r = new Reader(data).vec(prefix);
  const out: number[] = [];
  while (r.remaining >= 2) out.push(r.u16());
  return out;
}

function alpnList(data: Uint8Array): string[] {
  const r = new Reader(data).vec(2);
  const out: string[] = [];
  while (r.remaining > 0) out.push(Buffer.from(r.vecBytes(1)).toString("latin1"));
  return out;
}

function serverNames(data: Uint8Array): string[] {
  const r = new Reader(data).vec(2);
  const out: string[] = [];
  while (r.remaining > 0) {
    const t = r.u8();
    const name = r.vecBytes(2);
    if (t === 0) out.push(Buffer.from(name).toString("latin1"));
  }
  return out;
}

function caNames(r: Reader): string[] {
  const out: string[] = [];
  while (r.remaining > 0) out.push(nameText(r.vecBytes(2)));
  return out;
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

function clientHello(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  ctx.clientRandom = random;
  const sessionId = r.vecBytes(1);
  const suites = u16List(readVec2(r), 2);
  const compression = Array.from(r.vecBytes(1));
  const exts = readExtensions(r);
  const detail: Record<string, unknown> = {
    version: versionName(legacyVersion),
    random: toHex(random),
    sessionIdLength: sessionId.length,
    cipherSuites: suites.map(cipherSuiteName),
    compressionMethods: compression,
  };
  for (const e of exts) {
    try {
      switch (e.type) {
        case 0:
          detail.serverName = serverNames(e.data)[0];
          break;
        case 10:
          detail.supportedGroups = u16List(e.data, 2).map(groupName);
          break;
        case 13:
          detail.signatureAlgorithms = u16List(e.data, 2).map(signatureSchemeName);
          break;
        case 16:
          detail.alpn = alpnList(e.data);
          break;
        case 43:
          detail.supportedVersions = u16List(e.data, 1).map(versionName);
          break;
        case 51: {
          const v = new Reader(e.data).vec(2);
          const shares: string[] = [];
          while (v.remaining > 0) {
            const g = v.u16();
            v.vecBytes(2);
            shares.push(groupName(g));
          }
          detail.keyShares = shares;
          break;
        }
        case 5:
          detail.statusRequest = true;
          break;
        case 45:
          detail.pskKeyExchangeModes = Array.from(new Reader(e.data).vecBytes(1)).map((m) => (m === 1 ? "psk_dhe_ke" : m === 0 ? "psk_ke" : String(m)));
          break;
      }
    } catch {
      // a malformed extension is listed by name below; its content is skipped
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  return detail;
}

function serverHello(r: Reader, ctx: HandshakeContext): ParsedMessage {
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vecBytes(1);
  const suite = r.u16();
  const compression = r.u8();
  const exts = readExtensions(r);
  const hrr = equalBytes(random, HRR_RANDOM);
  let selected = legacyVersion;
  const detail: Record<string, unknown> = {
    version: versionName(legacyVersion),
    random: hrr ? "(HelloRetryRequest)" : toHex(random),
    sessionIdLength: sessionId.length,
    cipherSuite: cipherSuiteName(suite),
    compressionMethod: compression,
  };
  for (const e of exts) {
    try {
      switch (e.type) {
        case 43:
          selected = new Reader(e.data).u16();
          detail.selectedVersion = versionName(selected);
          break;
        case 51: {
          const g = new Reader(e.data).u16();
          if (hrr) detail.selectedGroup = groupName(g);
          else {
            detail.keyShare = groupName(g);
            ctx.group = groupName(g);
          }
          break;
        }
        case 16:
          detail.alpn = alpnList(e.data)[0];
          ctx.alpn = detail.alpn as string;
          break;
        case 22:
          ctx.encryptThenMac = true;
          break;
        case 44:
          detail.cookie = true;
          break;
        case 18:
          ctx.tlsScts = e.data;
          detail.scts = sctCount(e.data);
          break;
      }
    } catch {
      // skip malformed extension content
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  ctx.cipherSuite = suite;
  ctx.version = selected;
  if (hrr) {
    ctx.helloRetry = true;
    return { type: "HelloRetryRequest", detail };
  }
  ctx.serverRandom = random;
  return { type: "ServerHello", detail };
}

function encryptedExtensions(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const exts = readExtensions(r);
  const detail: Record<string, unknown> = {};
  for (const e of exts) {
    try {
      if (e.type === 16) {
        detail.alpn = alpnList(e.data)[0];
        ctx.alpn = detail.alpn as string;
      } else if (e.type === 10) detail.supportedGroups = u16List(e.data, 2).map(groupName);
      else if (e.type === 0) detail.serverNameAcknowledged = true;
    } catch {
      // skip
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  return detail;
}

function certificate(r: Reader, from: "client" | "server", ctx: HandshakeContext): Record<string, unknown> {
  const is13 = ctx.version === 0x0304;
  if (is13) r.vecBytes(1); // certificate_request_context
  const list = r.vec(3);
  const ders: Uint8Array[] = [];
  const leafExtras: Record<string, unknown> = {};
  while (list.remaining > 0) {
    ders.push(list.vecBytes(3));
    if (is13) {
      // per-certificate extensions: the leaf's may carry the OCSP staple (status_request) and SCTs (RFC 8446 §4.4.2.1)
      const exts = list.vecBytes(2);
      if (ders.length === 1 && from === "server") Object.assign(leafExtras, certificateEntryExtensions(exts, ctx));
    }
  }
  if (from === "server") ctx.serverCertificates = ders;
  else ctx.clientCertificates = ders;
  if (ctx.light) return { empty: ders.length === 0, count: ders.length };
  const certificates = ders.map((der) => {
    const m = certificateModel(der, true);
    return {
      subject: m.subject.text,
      issuer: m.issuer.text,
      notBefore: m.notBefore,
      notAfter: m.notAfter,
      isCA: m.isCA,
      selfSigned: m.selfSigned,
      sha256: m.fingerprints.sha256,
      length: der.length,
    };
  });
  return { empty: ders.length === 0, count: ders.length, certificates, ...leafExtras };
}

/** RFC 6066 §8 CertificateStatus: status_type ocsp(1), then the DER OCSPResponse. */
function certificateStatus(r: Reader, from: "client" | "server", ctx: HandshakeContext): Record<string, unknown> {
  const type = r.u8();
  if (type !== 1) return { statusType: type };
  const resp = r.vecBytes(3);
  if (from === "server") ctx.ocspStaple = resp;
  return { statusType: "ocsp", ocspResponseLength: resp.length };
}

/** The leaf's Certificate entry extensions in TLS 1.3: status_request (5) and signed_certificate_timestamp (18). */
function certificateEntryExtensions(data: Uint8Array, ctx: HandshakeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(data);
  try {
    while (r.remaining > 0) {
      const type = r.u16();
      const body = r.vecBytes(2);
      if (type === 5) out.ocspStaple = certificateStatus(new Reader(body), "server", ctx);
      else if (type === 18) {
        ctx.tlsScts = body;
        out.scts = sctCount(body);
      }
    }
  } catch {
    out.extensionsMalformed = true;
  }
  return out;
}

/** Number of SCTs in a SignedCertificateTimestampList (0 when unreadable). */
function sctCount(list: Uint8Array): number {
  try {
    const v = new Reader(list).vec(2);
    let n = 0;
    while (v.remaining > 0 && n < 100) {
      v.vecBytes(2);
      n++;
    }
    return n;
  } catch {
    return 0;
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

/** Bit length of a big-endian unsigned integer (a DH prime). */
export function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

function certificateRequest(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  let issuers: string[] = [];
  let sigalgs: string[] = [];
  if (ctx.version === 0x0304) {
    r.vecBytes(1); // context
    const exts = readExtensions(r);
    for (const e of exts) {
      try {
        if (e.type === 13) sigalgs = u16List(e.data, 2).map(signatureSchemeName);
        else if (e.type === 47) issuers = caNames(new Reader(e.data).vec(2));
      } catch {
        // skip
      }
    }
    detail.extensions = exts.map((e) => extensionName(e.type));
  } else {
    const types = Array.from(r.vecBytes(1)).map((t) => CERTIFICATE_TYPES[t] ?? String(t));
    detail.certificateTypes = types;
    if (ctx.version !== undefined && ctx.version >= 0x0303) sigalgs = u16List(readVec2(r), 2).map(signatureSchemeName);
    issuers = caNames(r.vec(2));
  }
  detail.signatureAlgorithms = sigalgs;
  detail.acceptableIssuers = issuers;
  ctx.certificateRequest = { acceptableIssuers: issuers, signatureAlgorithms: sigalgs, certificateTypes: detail.certificateTypes as string[] | undefined };
  return detail;
}

/** Reads a 2-byte-length vector and returns it with its length prefix (the form u16List expects). */
function readVec2(r: Reader): Uint8Array {
  const start = r.pos;
  r.vecBytes(2);
  return r.buf.subarray(start, r.pos);
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
