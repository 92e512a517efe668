/**
 * A small DER builder for crafting certificates, CSRs and CRLs that break one encoding rule each (tests only).
 * Nothing is signed: the signature is a fixed placeholder, which is all a decoder needs. The public key is a
 * real P-256 key so the key summary decodes.
 */
import { generateKeyPairSync } from "node:crypto";

export type Bytes = Uint8Array | number[];

function len(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) out.unshift(x & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV with a definite, minimal length. */
export function tlv(tag: number, ...parts: Bytes[]): Uint8Array {
  const body = Buffer.concat(parts.map((p) => Buffer.from(p)));
  return Uint8Array.from([tag, ...len(body.length), ...body]);
}
export const seq = (...p: Bytes[]) => tlv(0x30, ...p);
export const set = (...p: Bytes[]) => tlv(0x31, ...p);
/** INTEGER from its content octets exactly as given (so non-minimal and negative ones can be made). */
export const intRaw = (...octets: number[]) => tlv(0x02, octets);
export const int = (n: number) => intRaw(...(n < 0x80 ? [n] : n < 0x8000 ? [n >> 8, n & 255] : [0, n >> 8, n & 255]));
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const printable = (s: string) => tlv(0x13, Buffer.from(s, "latin1"));
export const ia5 = (s: string) => tlv(0x16, Buffer.from(s, "latin1"));
export const utc = (s: string) => tlv(0x17, Buffer.from(s, "latin1"));
export const gen = (s: string) => tlv(0x18, Buffer.from(s, "latin1"));
export const octet = (...p: Bytes[]) => tlv(0x04, ...p);
export const bool = (v: boolean) => tlv(0x01, [v ? 0xff : 0]);
export const bits = (unused: number, ...p: Bytes[]) => tlv(0x03, [unused], ...p);
/** Context tag [n], constructed unless `primitive`. */
export const ctx = (n: number, ...p: Bytes[]) => tlv(0xa0 | n, ...p);
export const ctxPrim = (n: number, ...p: Bytes[]) => tlv(0x80 | n, ...p);

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const a of arcs.slice(2)) {
    const b: number[] = [a & 0x7f];
    for (let x = Math.floor(a / 128); x > 0; x = Math.floor(x / 128)) b.unshift((x & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, out);
}

/** A Name from RDNs, each a list of [type OID, encoded value]; an empty list is an empty RDN. */
export function name(...rdns: [string, Uint8Array][][]): Uint8Array {
  return seq(...rdns.map((rdn) => set(...rdn.map(([t, v]) => seq(oid(t), v)))));
}
export const cn = (s: string) => name([["2.5.4.3", utf8(s)]]);

export function ext(oidText: string, value: Bytes, critical?: boolean): Uint8Array {
  return seq(oid(oidText), ...(critical === undefined ? [] : [bool(critical)]), octet(value));
}

const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));
let spkiCache: Uint8Array | undefined;
export function spki(): Uint8Array {
  spkiCache ??= new Uint8Array(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "der" }));
  return spkiCache;
}
const SIGNATURE = bits(0, seq(intRaw(1), intRaw(1)));

export interface CertParts {
  version?: Bytes | null;
  serial?: Bytes;
  issuer?: Bytes;
  subject?: Bytes;
  notBefore?: Bytes;
  notAfter?: Bytes;
  extensions?: Bytes[];
}

/** A certificate whose fields are the defaults below unless replaced (each part is the field's full TLV). */
export function cert(p: CertParts = {}): Uint8Array {
  const exts = p.extensions ?? [];
  const tbs = seq(
    ...(p.version === null ? [] : [p.version ?? ctx(0, int(2))]),
    p.serial ?? intRaw(0x10, 0x01),
    ECDSA_SHA256,
    p.issuer ?? cn("Crafted CA"),
    seq(p.notBefore ?? utc("260101000000Z"), p.notAfter ?? utc("270101000000Z")),
    p.subject ?? cn("crafted.test"),
    spki(),
    ...(exts.length ? [ctx(3, seq(...exts))] : []),
  );
  return seq(tbs, ECDSA_SHA256, SIGNATURE);
}

/** A v2 CRL: `entries` are the revokedCertificates elements as given. */
export function crl(p: { thisUpdate?: Bytes; entries?: Bytes[]; issuer?: Bytes } = {}): Uint8Array {
  const tbs = seq(int(1), ECDSA_SHA256, p.issuer ?? cn("Crafted CA"), p.thisUpdate ?? utc("260101000000Z"), utc("260201000000Z"), ...(p.entries?.length ? [seq(...p.entries)] : []));
  return seq(tbs, ECDSA_SHA256, SIGNATURE);
}

/** A PKCS#10 request for `subject` (not signed: signatureValid is false). */
export function csr(subject: Bytes): Uint8Array {
  return seq(seq(int(0), subject, spki(), ctx(0)), ECDSA_SHA256, SIGNATURE);
}

export function pem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
