import "reflect-metadata";
/**
 * Generates test chains in-process with @peculiar/x509 over Node's WebCrypto (P-256 keys: fast).
 * No fixtures on disk: every test builds the certificates it needs.
 */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as any);

type KeyPair = webcrypto.CryptoKeyPair;
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export async function newKeys(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as KeyPair;
}

export interface Issuer {
  name: string;
  keys: KeyPair;
}

export interface CertSpec {
  subject: string;
  keys: KeyPair;
  /** Signer; omitted = self-signed with `keys`. */
  issuer?: Issuer;
  notBefore?: Date;
  notAfter?: Date;
  /** basicConstraints: undefined = absent; { ca, pathLen }. */
  ca?: { ca: boolean; pathLen?: number };
  /** basicConstraints marked critical (default true). */
  caCritical?: boolean;
  /** nameConstraints marked critical (default true). */
  ncCritical?: boolean;
  keyUsage?: number;
  eku?: string[];
  sans?: { type: "dns" | "ip" | "email"; value: string }[];
  /** DER of a NameConstraints value (see nameConstraints()). */
  nameConstraints?: Uint8Array;
  extra?: { oid: string; critical: boolean; value: Uint8Array }[];
  /** Skip the AKI / SKI (for malformed tests). */
  noAki?: boolean;
  noSki?: boolean;
  /** Hex serial number (default: a running counter). */
  serial?: string;
}

export const KU = x509.KeyUsageFlags;
export const EKU = { server: "1.3.6.1.5.5.7.3.1", client: "1.3.6.1.5.5.7.3.2", any: "2.5.29.37.0", code: "1.3.6.1.5.5.7.3.3" };

let serial = 1;

export async function makeCert(spec: CertSpec): Promise<Uint8Array> {
  const signer = spec.issuer ?? { name: spec.subject, keys: spec.keys };
  const exts: x509.Extension[] = [];
  if (spec.ca) exts.push(new x509.BasicConstraintsExtension(spec.ca.ca, spec.ca.pathLen, spec.caCritical ?? true));
  if (spec.keyUsage !== undefined) exts.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.eku) exts.push(new x509.ExtendedKeyUsageExtension(spec.eku, false));
  if (spec.sans) exts.push(new x509.SubjectAlternativeNameExtension(spec.sans, false));
  if (spec.nameConstraints) exts.push(new x509.Extension("2.5.29.30", spec.ncCritical ?? true, spec.nameConstraints));
  if (!spec.noSki) exts.push(await x509.SubjectKeyIdentifierExtension.create(spec.keys.publicKey));
  if (!spec.noAki) exts.push(await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey));
  for (const e of spec.extra ?? []) exts.push(new x509.Extension(e.oid, e.critical, e.value));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial ?? (serial++).toString(16).padStart(4, "0").replace(/^[89a-f]/, "01"),
    subject: spec.subject,
    issuer: signer.name,
    notBefore: spec.notBefore ?? new Date("2025-01-01T00:00:00Z"),
    notAfter: spec.notAfter ?? new Date("2030-01-01T00:00:00Z"),
    publicKey: spec.keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: EC,
    extensions: exts,
  });
  return new Uint8Array(cert.rawData);
}

export const CA_KU = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
export const LEAF_KU = x509.KeyUsageFlags.digitalSignature;

/** A root → intermediate → leaf set, with names and keys to build variants from. */
export async function standardChain(leafOverrides: Partial<CertSpec> = {}) {
  const rootKeys = await newKeys();
  const icaKeys = await newKeys();
  const leafKeys = await newKeys();
  const root: Issuer = { name: "O=CertScope Tests,CN=Test Root CA", keys: rootKeys };
  const ica: Issuer = { name: "O=CertScope Tests,CN=Issuing CA", keys: icaKeys };
  const rootDer = await makeCert({ subject: root.name, keys: rootKeys, ca: { ca: true }, keyUsage: CA_KU });
  const icaDer = await makeCert({ subject: ica.name, keys: icaKeys, issuer: root, ca: { ca: true, pathLen: 0 }, keyUsage: CA_KU });
  const leafDer = await makeCert({
    subject: "CN=localhost",
    keys: leafKeys,
    issuer: ica,
    ca: { ca: false },
    keyUsage: LEAF_KU,
    eku: [EKU.server],
    sans: [
      { type: "dns", value: "localhost" },
      { type: "dns", value: "*.example.test" },
      { type: "ip", value: "127.0.0.1" },
    ],
    ...leafOverrides,
  });
  return { root, ica, rootDer, icaDer, leafDer, leafKeys };
}

// ── a tiny DER writer for extension values the library has no class for ──

function len(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n >>= 8;
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: (Uint8Array | number[])[]): Uint8Array {
  const body = parts.flatMap((p) => Array.from(p));
  return Uint8Array.from([tag, ...len(body.length), ...body]);
}

const ascii = (s: string) => Array.from(Buffer.from(s, "latin1"));

/** NameConstraints (RFC 5280 §4.2.1.10) with dNSName / iPAddress (addr/mask as "10.0.0.0/8") / rfc822Name subtrees. */
export function nameConstraints(c: { permitted?: string[]; excluded?: string[] }): Uint8Array {
  const subtree = (s: string) => {
    if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s)) {
      const [addr, bits] = s.split("/");
      const mask = [0, 1, 2, 3].map((i) => Math.max(0, Math.min(8, Number(bits) - i * 8))).map((b) => (0xff << (8 - b)) & 0xff);
      return tlv(0x30, tlv(0x87, [...addr.split(".").map(Number), ...mask]));
    }
    if (s.startsWith("email:")) return tlv(0x30, tlv(0x81, ascii(s.slice(6))));
    return tlv(0x30, tlv(0x82, ascii(s)));
  };
  const parts: Uint8Array[] = [];
  if (c.permitted) parts.push(tlv(0xa0, ...c.permitted.map(subtree)));
  if (c.excluded) parts.push(tlv(0xa1, ...c.excluded.map(subtree)));
  return tlv(0x30, ...parts);
}

/** DER OBJECT IDENTIFIER. */
export function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const body: number[] = [40 * a + b];
  for (const v of rest) {
    const bytes = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) bytes.unshift((x & 0x7f) | 0x80);
    body.push(...bytes);
  }
  return tlv(0x06, body);
}

/** Policy extensions (RFC 5280 §4.2.1.4, .5, .11, .14) as `extra` entries for makeCert. */
export const policyExt = {
  policies: (...ids: string[]) => ({ oid: "2.5.29.32", critical: false, value: tlv(0x30, ...ids.map((id) => tlv(0x30, oid(id)))) }),
  mappings: (...pairs: [string, string][]) => ({ oid: "2.5.29.33", critical: true, value: tlv(0x30, ...pairs.map(([a, b]) => tlv(0x30, oid(a), oid(b)))) }),
  requireExplicit: (skip: number) => ({ oid: "2.5.29.36", critical: true, value: tlv(0x30, tlv(0x80, [skip])) }),
  inhibitAny: (skip: number) => ({ oid: "2.5.29.54", critical: true, value: tlv(0x02, [skip]) }),
};

// ── revocation and re-encoding helpers (issue 14) ──

/** A CRL signed by `issuer` (@peculiar/x509's generator; ECDSA P-256). */
export async function makeCrl(spec: {
  issuer: Issuer;
  thisUpdate?: Date;
  nextUpdate?: Date;
  entries?: { serial: string; revoked?: Date; reason?: x509.X509CrlReason; invalidity?: Date }[];
  crlNumber?: number;
}): Promise<Uint8Array> {
  const exts: x509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.keys.publicKey)];
  if (spec.crlNumber !== undefined) exts.push(new x509.Extension("2.5.29.20", false, tlv(0x02, [spec.crlNumber])));
  const crl = await x509.X509CrlGenerator.create({
    issuer: spec.issuer.name,
    thisUpdate: spec.thisUpdate ?? new Date("2026-01-01T00:00:00Z"),
    nextUpdate: spec.nextUpdate ?? new Date("2027-01-01T00:00:00Z"),
    signingKey: spec.issuer.keys.privateKey,
    signingAlgorithm: EC,
    extensions: exts,
    entries: (spec.entries ?? []).map((e) => ({ serialNumber: e.serial, revocationDate: e.revoked ?? new Date("2026-02-01T00:00:00Z"), reason: e.reason, invalidity: e.invalidity })),
  });
  return new Uint8Array(crl.rawData);
}

/** A cRLDistributionPoints extension with these URIs, as an `extra` entry for makeCert. */
export function cdp(...urls: string[]) {
  return { oid: "2.5.29.31", critical: false, value: new Uint8Array(new x509.CRLDistributionPointsExtension(urls).value) };
}

export const CrlReason = x509.X509CrlReason;

/** The serial number makeCert gave a certificate, as hex. */
export function serialOf(der: Uint8Array): string {
  return new x509.X509Certificate(der).serialNumber;
}

/** ECDSA P-256 / SHA-256 signature in DER (WebCrypto gives r||s). */
async function ecdsaDer(keys: KeyPair, data: Uint8Array): Promise<Uint8Array> {
  const rs = new Uint8Array(await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, data));
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return tlv(0x02, v[0] & 0x80 ? [0, ...v] : v);
  };
  return tlv(0x30, int(rs.subarray(0, 32)), int(rs.subarray(32)));
}

/** Top-level TLVs of a DER SEQUENCE's content, as raw slices. */
export function tlvs(der: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const hdr = (at: number) => {
    const l = der[at + 1];
    if (l < 0x80) return { len: l, head: 2 };
    const n = l & 0x7f;
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 256 + der[at + 2 + k];
    return { len: v, head: 2 + n };
  };
  const top = hdr(0);
  for (let at = top.head; at < top.head + top.len; ) {
    const h = hdr(at);
    out.push(der.subarray(at, at + h.head + h.len));
    at += h.head + h.len;
  }
  return out;
}

/**
 * Re-encodes a certificate made by makeCert: `edit` rewrites the TBSCertificate's fields (raw TLVs, in
 * order), and the result is signed again by `signer` (ECDSA P-256) or by `sign` (any algorithm, DER signature).
 */
export async function reissue(der: Uint8Array, edit: (fields: Uint8Array[]) => Uint8Array[], signer: { keys?: KeyPair; sign?: (tbs: Uint8Array) => Uint8Array }): Promise<Uint8Array> {
  const [tbs, alg] = tlvs(der);
  const newTbs = tlv(0x30, ...edit(tlvs(tbs)));
  const sig = signer.sign ? signer.sign(newTbs) : await ecdsaDer(signer.keys!, newTbs);
  return tlv(0x30, newTbs, alg, tlv(0x03, [0, ...sig]));
}

/** Field edit for reissue: notBefore written as GeneralizedTime (RFC 5280 wants UTCTime before 2050). */
export function generalizedNotBefore(fields: Uint8Array[]): Uint8Array[] {
  const i = fields.findIndex((f, k) => k > 0 && f[0] === 0x30 && f[2] === 0x17 && f[17] === 0x17); // validity: two UTCTimes
  const [nb, na] = tlvs(fields[i]);
  const digits = Array.from(nb.subarray(2));
  fields[i] = tlv(0x30, tlv(0x18, [0x32, 0x30, ...digits]), na);
  return fields;
}
