/**
 * Reads a DER certificate (RFC 5280 §4.1) into the facts the validator needs. Structural errors that make
 * the certificate unusable throw CertParseError; encoding faults in individual fields or extensions that
 * still leave a readable certificate are collected in `malformed` and become `malformed` problems.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import {
  DerError,
  TAG,
  bytesEqual,
  children,
  content,
  expect,
  hex,
  latin1,
  parseBitString,
  parseBoolean,
  parseOid,
  parseSmallInt,
  parseString,
  parseTime,
  readTlv,
  whole,
  type Tlv,
} from "./der";

export class CertParseError extends Error {}

export const OID = {
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  nameConstraints: "2.5.29.30",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  policyConstraints: "2.5.29.36",
  inhibitAnyPolicy: "2.5.29.54",
  authorityKeyIdentifier: "2.5.29.35",
  subjectKeyIdentifier: "2.5.29.14",
  crlDistributionPoints: "2.5.29.31",
  freshestCrl: "2.5.29.46",
  subjectDirectoryAttributes: "2.5.29.9",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  subjectInfoAccess: "1.3.6.1.5.5.7.1.11",
  ctPoison: "1.3.6.1.4.1.11129.2.4.3",
  ctScts: "1.3.6.1.4.1.11129.2.4.2",
  caIssuers: "1.3.6.1.5.5.7.48.2",
  ocsp: "1.3.6.1.5.5.7.48.1",
  anyExtendedKeyUsage: "2.5.29.37.0",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  commonName: "2.5.4.3",
  emailAddress: "1.2.840.113549.1.9.1",
} as const;

/** Extensions this validator processes (or that have no bearing on path validation): RFC 5280 §4.2. */
export const HANDLED_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
]);

export interface NameAttr {
  oid: string;
  tag: number;
  value: string;
}

export interface Name {
  der: Uint8Array;
  /** RDNs in encoding order; each RDN is a set of attributes. */
  rdns: NameAttr[][];
  /** Normalised form for comparisons (RFC 5280 §7.1): equal names have equal keys. */
  key: string;
}

export type GeneralNameKind = "email" | "dns" | "uri" | "ip" | "dirName" | "otherName" | "x400" | "ediParty" | "registeredId";

export interface GeneralNameP {
  kind: GeneralNameKind;
  /** Text form: host name, email, URI, dotted IP, or hex for opaque kinds. */
  value: string;
  /** Raw content octets (IP addresses; IP constraints with their mask). */
  bytes: Uint8Array;
  dirName?: Name;
}

export interface Subtree {
  base: GeneralNameP;
  /** minimum/maximum other than the defaults: RFC 5280 §4.2.1.10 says they MUST NOT be present. */
  nonDefaultBounds: boolean;
}

export interface AlgorithmId {
  oid: string;
  /** DER of the parameters, absent when omitted. */
  params?: Uint8Array;
  der: Uint8Array;
}

export interface KeyFacts {
  algorithm: string;
  bits?: number;
  curve?: string;
}

export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface ParsedCert {
  der: Uint8Array;
  sha256: string;
  tbs: Uint8Array;
  version: number;
  serial: Uint8Array;
  tbsSignatureAlg: AlgorithmId;
  signatureAlg: AlgorithmId;
  signature: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  keyAlg: AlgorithmId;
  key: KeyFacts;
  extensions: Extension[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  /** KeyUsage bits as a set of bit numbers (0 = digitalSignature … 5 = keyCertSign … 8 = decipherOnly). */
  keyUsage?: Set<number>;
  extKeyUsage?: string[];
  subjectAltNames?: GeneralNameP[];
  nameConstraints?: { permitted?: Subtree[]; excluded?: Subtree[] };
  subjectKeyId?: Uint8Array;
  authorityKeyId?: { keyId?: Uint8Array; hasIssuer: boolean; hasSerial: boolean };
  caIssuers: string[];
  /** certificatePolicies policy identifiers (RFC 5280 §4.2.1.4). */
  policies?: string[];
  policyMappings?: { issuer: string; subject: string }[];
  policyConstraints?: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number };
  inhibitAnyPolicy?: number;
  /** Encoding faults that did not stop the parse, in plain words. */
  malformed: string[];
  selfIssued: boolean;
}

const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
  "1.2.840.113549.1.9.1": "emailAddress",
};

/** Case-folds and collapses whitespace in string attributes, as RFC 5280 §7.1 (RFC 4518 lite) asks. */
function normaliseValue(a: NameAttr): string {
  if (a.value.startsWith("#")) return a.value;
  return a.value.trim().replace(/\s+/g, " ").toLowerCase();
}

export function parseName(t: Tlv): Name {
  expect(t, TAG.SEQUENCE, "Name");
  const rdns: NameAttr[][] = [];
  for (const set of children(t)) {
    expect(set, TAG.SET, "RelativeDistinguishedName");
    const attrs: NameAttr[] = [];
    for (const atv of children(set)) {
      const [type, value] = children(expect(atv, TAG.SEQUENCE, "AttributeTypeAndValue"));
      attrs.push({ oid: parseOid(expect(type, TAG.OID, "attribute type")), tag: value?.tag ?? 0, value: value ? parseString(value) : "" });
    }
    if (attrs.length === 0) throw new DerError("empty RelativeDistinguishedName");
    rdns.push(attrs);
  }
  const key = rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.oid}=${normaliseValue(a)}`)
        .sort()
        .join("+"),
    )
    .join(",");
  return { der: whole(t), rdns, key };
}

function escape4514(v: string): string {
  let s = v.replace(/[\\,+"<>;=]/g, (c) => "\\" + c);
  if (s.startsWith(" ") || s.startsWith("#")) s = "\\" + s;
  if (s.endsWith(" ")) s = s.slice(0, -1) + "\\ ";
  return s;
}

/** RFC 4514 text, most specific RDN first ("CN=localhost,O=Lab"). */
export function nameText(n: Name): string {
  return [...n.rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.value.startsWith("#") ? a.value : escape4514(a.value)}`).join("+"))
    .join(",");
}

export function nameAttrs(n: Name, oid: string): NameAttr[] {
  return n.rdns.flat().filter((a) => a.oid === oid);
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
  }
  return hex(b);
}

export function parseGeneralName(t: Tlv): GeneralNameP {
  const c = content(t);
  switch (t.tag) {
    case 0x81:
      return { kind: "email", value: latin1(c), bytes: c };
    case 0x82:
      return { kind: "dns", value: latin1(c), bytes: c };
    case 0x86:
      return { kind: "uri", value: latin1(c), bytes: c };
    case 0x87:
      return { kind: "ip", value: ipText(c.length === 8 ? c.subarray(0, 4) : c.length === 32 ? c.subarray(0, 16) : c), bytes: c };
    case 0xa4: {
      const [inner] = children(t);
      const dirName = parseName(expect(inner, TAG.SEQUENCE, "directoryName"));
      return { kind: "dirName", value: nameText(dirName), bytes: c, dirName };
    }
    case 0xa0:
      return { kind: "otherName", value: hex(c), bytes: c };
    case 0xa3:
      return { kind: "x400", value: hex(c), bytes: c };
    case 0xa5:
      return { kind: "ediParty", value: hex(c), bytes: c };
    case 0x88:
      return { kind: "registeredId", value: hex(c), bytes: c };
    default:
      throw new DerError(`unknown GeneralName tag 0x${t.tag.toString(16)}`);
  }
}

function parseAlgorithm(t: Tlv | undefined, what: string): AlgorithmId {
  const s = expect(t, TAG.SEQUENCE, what);
  const [oid, params, extra] = children(s);
  if (extra) throw new DerError(`${what} has trailing fields`);
  return { oid: parseOid(expect(oid, TAG.OID, `${what} OID`)), params: params ? whole(params) : undefined, der: whole(s) };
}

const CURVES: Record<string, { name: string; bits: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", bits: 256 },
  "1.3.132.0.34": { name: "P-384", bits: 384 },
  "1.3.132.0.35": { name: "P-521", bits: 521 },
  "1.2.840.10045.3.1.1": { name: "P-192", bits: 192 },
  "1.3.132.0.33": { name: "P-224", bits: 224 },
  "1.3.132.0.10": { name: "secp256k1", bits: 256 },
};

function keyFacts(alg: AlgorithmId, keyBits: Uint8Array): KeyFacts {
  switch (alg.oid) {
    case "1.2.840.113549.1.1.1":
    case "1.2.840.113549.1.1.10": {
      const seq = readTlv(keyBits, 0);
      const [n] = children(seq);
      const m = content(expect(n, TAG.INTEGER, "RSA modulus"));
      let i = 0;
      while (i < m.length && m[i] === 0) i++;
      const bits = m.length - i === 0 ? 0 : (m.length - i - 1) * 8 + (32 - Math.clz32(m[i]));
      return { algorithm: alg.oid.endsWith(".10") ? "RSA-PSS" : "RSA", bits };
    }
    case "1.2.840.10045.2.1": {
      const curveOid = alg.params ? parseOid(readTlv(alg.params, 0)) : "";
      const c = CURVES[curveOid];
      return { algorithm: "EC", curve: c?.name ?? curveOid, bits: c?.bits };
    }
    case "1.3.101.112":
      return { algorithm: "Ed25519", bits: 256 };
    case "1.3.101.113":
      return { algorithm: "Ed448", bits: 456 };
    case "1.2.840.10040.4.1":
      return { algorithm: "DSA" };
    default:
      return { algorithm: alg.oid };
  }
}

/** Parses one extension value; faults land in `cert.malformed`. */
function decodeExtension(cert: ParsedCert, ext: Extension): void {
  const root = readTlv(ext.value, 0);
  if (root.end !== ext.value.length) throw new DerError("trailing data after the extension value");
  switch (ext.oid) {
    case OID.basicConstraints: {
      const f = children(expect(root, TAG.SEQUENCE, "BasicConstraints"));
      let i = 0;
      let ca = false;
      if (f[i]?.tag === TAG.BOOLEAN) {
        ca = parseBoolean(f[i++]);
        if (!ca) cert.malformed.push("basicConstraints encodes the default cA FALSE explicitly (not DER)");
      }
      let pathLen: number | undefined;
      if (f[i]?.tag === TAG.INTEGER) pathLen = parseSmallInt(f[i++]);
      if (f[i]) throw new DerError("BasicConstraints has unexpected fields");
      cert.basicConstraints = { ca, pathLen };
      return;
    }
    case OID.keyUsage: {
      const { unused, bytes } = parseBitString(root);
      const set = new Set<number>();
      for (let bit = 0; bit < bytes.length * 8 - unused; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) set.add(bit);
      if (set.size === 0) cert.malformed.push("keyUsage has no bits set (RFC 5280 §4.2.1.3)");
      cert.keyUsage = set;
      return;
    }
    case OID.extKeyUsage: {
      const list = children(expect(root, TAG.SEQUENCE, "ExtKeyUsageSyntax")).map((o) => parseOid(expect(o, TAG.OID, "KeyPurposeId")));
      if (list.length === 0) cert.malformed.push("extKeyUsage is empty (RFC 5280 §4.2.1.12 requires at least one purpose)");
      cert.extKeyUsage = list;
      return;
    }
    case OID.subjectAltName: {
      const names = children(expect(root, TAG.SEQUENCE, "GeneralNames")).map(parseGeneralName);
      if (names.length === 0) cert.malformed.push("subjectAltName is empty (RFC 5280 §4.2.1.6)");
      cert.subjectAltNames = names;
      return;
    }
    case OID.nameConstraints: {
      const out: { permitted?: Subtree[]; excluded?: Subtree[] } = {};
      for (const part of children(expect(root, TAG.SEQUENCE, "NameConstraints"))) {
        if (part.tag !== 0xa0 && part.tag !== 0xa1) throw new DerError("NameConstraints has an unexpected field");
        const subtrees = children(part).map((st): Subtree => {
          const [base, ...bounds] = children(expect(st, TAG.SEQUENCE, "GeneralSubtree"));
          if (!base) throw new DerError("GeneralSubtree without a base");
          let nonDefaultBounds = false;
          for (const b of bounds) {
            if (b.tag === 0x80) nonDefaultBounds ||= content(b).some((x) => x !== 0);
            else if (b.tag === 0x81) nonDefaultBounds = true;
            else throw new DerError("GeneralSubtree has an unexpected field");
          }
          return { base: parseGeneralName(base), nonDefaultBounds };
        });
        if (subtrees.length === 0) cert.malformed.push("nameConstraints has an empty list of subtrees (RFC 5280 §4.2.1.10)");
        if (part.tag === 0xa0) out.permitted = subtrees;
        else out.excluded = subtrees;
      }
      if (!out.permitted && !out.excluded) cert.malformed.push("nameConstraints is empty (RFC 5280 §4.2.1.10)");
      cert.nameConstraints = out;
      return;
    }
    case OID.subjectKeyIdentifier:
      cert.subjectKeyId = content(expect(root, TAG.OCTET_STRING, "SubjectKeyIdentifier"));
      return;
    case OID.authorityKeyIdentifier: {
      const aki: { keyId?: Uint8Array; hasIssuer: boolean; hasSerial: boolean } = { hasIssuer: false, hasSerial: false };
      for (const f of children(expect(root, TAG.SEQUENCE, "AuthorityKeyIdentifier"))) {
        if (f.tag === 0x80) aki.keyId = content(f);
        else if (f.tag === 0xa1) aki.hasIssuer = true;
        else if (f.tag === 0x82) aki.hasSerial = true;
        else throw new DerError("AuthorityKeyIdentifier has an unexpected field");
      }
      cert.authorityKeyId = aki;
      return;
    }
    case OID.authorityInfoAccess: {
      const list = children(expect(root, TAG.SEQUENCE, "AuthorityInfoAccessSyntax"));
      if (list.length === 0) cert.malformed.push("authorityInfoAccess is empty");
      for (const ad of list) {
        const [method, location, extra] = children(expect(ad, TAG.SEQUENCE, "AccessDescription"));
        if (extra || !location) throw new DerError("AccessDescription has the wrong shape");
        const m = parseOid(expect(method, TAG.OID, "accessMethod"));
        const gn = parseGeneralName(location);
        if (m === OID.caIssuers && gn.kind === "uri") cert.caIssuers.push(gn.value);
      }
      return;
    }
    case OID.policyConstraints: {
      const f = children(expect(root, TAG.SEQUENCE, "PolicyConstraints"));
      if (f.length === 0) cert.malformed.push("policyConstraints is an empty SEQUENCE (RFC 5280 §4.2.1.11)");
      const pc: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
      for (const x of f) {
        const v = parseSmallInt({ ...x, tag: TAG.INTEGER });
        if (x.tag === 0x80) pc.requireExplicitPolicy = v;
        else if (x.tag === 0x81) pc.inhibitPolicyMapping = v;
        else throw new DerError("PolicyConstraints has an unexpected field");
      }
      cert.policyConstraints = pc;
      return;
    }
    case OID.inhibitAnyPolicy:
      cert.inhibitAnyPolicy = parseSmallInt(root);
      return;
    case OID.policyMappings: {
      const list = children(expect(root, TAG.SEQUENCE, "PolicyMappings"));
      if (list.length === 0) cert.malformed.push("policyMappings is empty (RFC 5280 §4.2.1.5)");
      cert.policyMappings = list.map((m) => {
        const [a, b, extra] = children(expect(m, TAG.SEQUENCE, "PolicyMapping"));
        if (extra || !b) throw new DerError("PolicyMapping has the wrong shape");
        return { issuer: parseOid(expect(a, TAG.OID, "issuerDomainPolicy")), subject: parseOid(expect(b, TAG.OID, "subjectDomainPolicy")) };
      });
      return;
    }
    case OID.certificatePolicies: {
      const list = children(expect(root, TAG.SEQUENCE, "certificatePolicies"));
      if (list.length === 0) cert.malformed.push("certificatePolicies is empty");
      cert.policies = list.map((pi) => parseOid(expect(children(expect(pi, TAG.SEQUENCE, "PolicyInformation"))[0], TAG.OID, "policyIdentifier")));
      if (new Set(cert.policies).size !== cert.policies.length) cert.malformed.push("certificatePolicies names a policy more than once (RFC 5280 §4.2.1.4)");
      return;
    }
    default:
      return;
  }
}

const EXT_NAMES: Record<string, string> = Object.fromEntries(Object.entries(OID).map(([k, v]) => [v, k]));

export function extensionName(oid: string): string {
  return EXT_NAMES[oid] ?? oid;
}

/** Parses DER bytes into a ParsedCert; throws CertParseError when the certificate structure is unreadable. */
export function parseCertificate(der: Uint8Array): ParsedCert {
  try {
    return parseInner(der);
  } catch (err) {
    if (err instanceof DerError || err instanceof CertParseError) throw new CertParseError(err.message);
    throw new CertParseError(`unreadable certificate: ${(err as Error).message}`);
  }
}

function parseInner(der: Uint8Array): ParsedCert {
  const top = expect(readTlv(der, 0), TAG.SEQUENCE, "Certificate");
  if (top.end !== der.length) throw new CertParseError("trailing bytes after the certificate");
  const [tbsT, sigAlgT, sigT, extra] = children(top);
  if (extra) throw new CertParseError("Certificate has more than three fields");
  const tbsFields = children(expect(tbsT, TAG.SEQUENCE, "TBSCertificate"));
  let i = 0;
  let version = 1;
  const malformed: string[] = [];
  if (tbsFields[0]?.tag === 0xa0) {
    const [v] = children(tbsFields[i++]);
    version = parseSmallInt(v) + 1;
    if (version === 1) malformed.push("version v1 is encoded explicitly (DER omits the default)");
    if (version > 3) throw new CertParseError(`unknown certificate version ${version}`);
  }
  const serialT = expect(tbsFields[i++], TAG.INTEGER, "serialNumber");
  const serial = content(serialT);
  if (serial.length === 0) throw new CertParseError("empty serialNumber");
  if (serial.length > 1 && ((serial[0] === 0 && !(serial[1] & 0x80)) || (serial[0] === 0xff && serial[1] & 0x80)))
    malformed.push("serialNumber is not minimally encoded");
  if (serial[0] & 0x80) malformed.push("serialNumber is negative (RFC 5280 §4.1.2.2 requires a positive integer)");
  else if (serial.every((b) => b === 0)) malformed.push("serialNumber is zero (RFC 5280 §4.1.2.2 requires a positive integer)");
  if (serial.length > 21 || (serial.length === 21 && serial[0] !== 0)) malformed.push("serialNumber is longer than 20 octets (RFC 5280 §4.1.2.2)");
  const tbsSignatureAlg = parseAlgorithm(tbsFields[i++], "signature");
  const issuer = parseName(expect(tbsFields[i++], TAG.SEQUENCE, "issuer"));
  const validity = children(expect(tbsFields[i++], TAG.SEQUENCE, "validity"));
  if (validity.length !== 2) throw new CertParseError("validity must hold notBefore and notAfter");
  const notBefore = parseTime(validity[0]);
  const notAfter = parseTime(validity[1]);
  for (const [t, d, what] of [
    [validity[0], notBefore, "notBefore"],
    [validity[1], notAfter, "notAfter"],
  ] as const) {
    const y = d.getUTCFullYear();
    if (t.tag === TAG.GeneralizedTime && y < 2050) malformed.push(`${what} uses GeneralizedTime for a date before 2050 (RFC 5280 §4.1.2.5)`);
  }
  const subject = parseName(expect(tbsFields[i++], TAG.SEQUENCE, "subject"));
  const spkiT = expect(tbsFields[i++], TAG.SEQUENCE, "subjectPublicKeyInfo");
  const [keyAlgT, keyBitsT] = children(spkiT);
  const keyAlg = parseAlgorithm(keyAlgT, "subjectPublicKeyInfo algorithm");
  const keyBits = parseBitString(expect(keyBitsT, TAG.BIT_STRING, "subjectPublicKey")).bytes;
  let key: KeyFacts;
  try {
    key = keyFacts(keyAlg, keyBits);
  } catch (err) {
    malformed.push(`the public key is not encoded correctly: ${(err as Error).message}`);
    key = { algorithm: keyAlg.oid };
  }
  const cert: ParsedCert = {
    der,
    sha256: createHash("sha256").update(der).digest("hex"),
    tbs: whole(tbsT),
    version,
    serial,
    tbsSignatureAlg,
    signatureAlg: parseAlgorithm(sigAlgT, "signatureAlgorithm"),
    signature: parseBitString(expect(sigT, TAG.BIT_STRING, "signatureValue")).bytes,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki: whole(spkiT),
    keyAlg,
    key,
    extensions: [],
    caIssuers: [],
    malformed,
    selfIssued: issuer.key === subject.key,
  };
  while (tbsFields[i] && (tbsFields[i].tag === 0x81 || tbsFields[i].tag === 0x82)) {
    if (version < 2) malformed.push("unique identifiers require version 2 or 3");
    i++;
  }
  if (tbsFields[i]?.tag === 0xa3) {
    if (version !== 3) malformed.push("extensions are present but the version is not v3 (RFC 5280 §4.1.2.1)");
    const [extsT, more] = children(tbsFields[i++]);
    if (more) throw new CertParseError("extensions field has trailing data");
    const exts = children(expect(extsT, TAG.SEQUENCE, "Extensions"));
    if (exts.length === 0) malformed.push("the extensions list is empty (RFC 5280 §4.1: SEQUENCE SIZE (1..MAX))");
    const seen = new Set<string>();
    for (const e of exts) {
      const f = children(expect(e, TAG.SEQUENCE, "Extension"));
      const oid = parseOid(expect(f[0], TAG.OID, "extnID"));
      let j = 1;
      let critical = false;
      if (f[j]?.tag === TAG.BOOLEAN) {
        critical = parseBoolean(f[j++]);
        if (!critical) malformed.push(`extension ${extensionName(oid)} encodes the default critical FALSE explicitly (not DER)`);
      }
      const value = content(expect(f[j++], TAG.OCTET_STRING, "extnValue"));
      if (f[j]) throw new CertParseError("Extension has trailing fields");
      if (seen.has(oid)) malformed.push(`extension ${extensionName(oid)} appears more than once (RFC 5280 §4.2)`);
      seen.add(oid);
      cert.extensions.push({ oid, critical, value });
    }
  }
  if (tbsFields[i]) throw new CertParseError("TBSCertificate has unexpected trailing fields");
  for (const ext of cert.extensions) {
    try {
      decodeExtension(cert, ext);
    } catch (err) {
      malformed.push(`extension ${extensionName(ext.oid)} is not encoded correctly: ${(err as Error).message}`);
    }
  }
  return cert;
}

/** Public key of the certificate as a KeyObject (cached; null when Node cannot load it). */
const keyCache = new WeakMap<ParsedCert, KeyObject | null>();
export function publicKeyOf(cert: ParsedCert): KeyObject | null {
  if (keyCache.has(cert)) return keyCache.get(cert)!;
  let k: KeyObject | null = null;
  try {
    k = createPublicKey({ key: Buffer.from(cert.spki), format: "der", type: "spki" });
  } catch {
    k = null;
  }
  keyCache.set(cert, k);
  return k;
}

export function sameName(a: Name, b: Name): boolean {
  return bytesEqual(a.der, b.der) || a.key === b.key;
}

export function isSelfSigned(cert: ParsedCert): boolean {
  return cert.selfIssued && (!cert.authorityKeyId?.keyId || !cert.subjectKeyId || bytesEqual(cert.authorityKeyId.keyId, cert.subjectKeyId));
}
