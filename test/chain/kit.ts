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
  if (spec.ca) exts.push(new x509.BasicConstraintsExtension(spec.ca.ca, spec.ca.pathLen, true));
  if (spec.keyUsage !== undefined) exts.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.eku) exts.push(new x509.ExtendedKeyUsageExtension(spec.eku, false));
  if (spec.sans) exts.push(new x509.SubjectAlternativeNameExtension(spec.sans, false));
  if (spec.nameConstraints) exts.push(new x509.Extension("2.5.29.30", true, spec.nameConstraints));
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
