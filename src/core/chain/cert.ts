/**
 * Reads a DER certificate (RFC 5280 §4.1) into the facts the validator needs. Structural errors that make
 * the certificate unusable throw CertParseError; encoding faults in individual fields or extensions that
 * still leave a readable certificate are collected in `malformed` and become `malformed` problems.
 * The validator reads certificates itself (through src/core/pki's DER reader in strict mode) rather than
 * through pki's certificate decoder, so that it sees exactly what is encoded (duplicate extensions,
 * negative serials, explicit defaults) and can report certificates that decoder rejects as `malformed`.
 */
import { createHash } from "node:crypto";
import {
  T,
  bitLength,
  bitString,
  bool,
  bytesEqual,
  children,
  content,
  count,
  expect,
  hex,
  latin1,
  oid as readOid,
  parse,
  raw,
  seq,
  tagOf,
  time,
  type Node,
} from "../pki/der";
import { PkiError } from "../pki/errors";
import { attributeValue, formatName, ipText } from "../pki/name";
import { decodeExtension } from "./certExtensions";
import { t } from "../l10n";

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
  /** Text as src/core/pki shows it: decoded string, or "#" + hex of the DER for non-string types. */
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

/** DistributionPointName (RFC 5280 §4.2.1.13): a full name, or an RDN relative to the CRL issuer. */
export interface DistributionPointName {
  fullName?: GeneralNameP[];
  /** nameRelativeToCRLIssuer, as the attributes of one RDN. */
  relative?: NameAttr[];
  relativeDer?: Uint8Array;
}

export interface DistributionPoint {
  name?: DistributionPointName;
  /** ReasonFlags bits (RFC 5280 §4.2.1.13); absent = all reasons. */
  reasons?: Set<number>;
  crlIssuer?: GeneralNameP[];
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
  /** cRLDistributionPoints (RFC 5280 §4.2.1.13). */
  crlDistributionPoints?: DistributionPoint[];
  /** freshestCRL (RFC 5280 §4.2.1.15): where delta CRLs are. */
  freshestCrl?: DistributionPoint[];
  /** certificatePolicies policy identifiers (RFC 5280 §4.2.1.4). */
  policies?: string[];
  policyMappings?: { issuer: string; subject: string }[];
  policyConstraints?: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number };
  inhibitAnyPolicy?: number;
  /** Encoding faults that did not stop the parse, in plain words. */
  malformed: string[];
  /**
   * The `malformed` entries that are DER-strictness faults some shipped roots have (zero serials, explicit
   * defaults): "anchor"; "ca" for those that also break an encoding rule addressed to the issuing CA only
   * (GeneralizedTime before 2050). Kept apart from the words, which may be translated.
   */
  strictness: Map<string, "anchor" | "ca">;
  selfIssued: boolean;
  /** DSA domain parameters taken from the issuer (RFC 3279 §2.3.2), set during path building. */
  inheritedDsaParams?: Uint8Array;
}

/** Case-folds and collapses whitespace in string attributes, as RFC 5280 §7.1 (RFC 4518 lite) asks. */
function normaliseValue(a: NameAttr): string {
  if (a.value.startsWith("#")) return a.value;
  return a.value.trim().replace(/\s+/g, " ").toLowerCase();
}

export function parseName(node: Node | undefined, what = "Name"): Name {
  const rdns: NameAttr[][] = [];
  for (const set of seq(node, what)) {
    const attrs: NameAttr[] = [];
    for (const atv of children(expect(set, T.SET, "RelativeDistinguishedName"))) {
      const [type, value] = seq(atv, "AttributeTypeAndValue");
      const attrOid = readOid(type, "attribute type");
      if (!value) throw new CertParseError(t("attribute {0} has no value", attrOid));
      attrs.push({ oid: attrOid, value: attributeValue(value) });
    }
    if (attrs.length === 0) throw new CertParseError(t("empty RelativeDistinguishedName"));
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
  return { der: raw(node), rdns, key };
}

/** RFC 4514 text, most specific RDN first ("CN=localhost,O=Lab"), exactly as `inspect` prints it (pki formatName). */
const nameTexts = new WeakMap<Name, string>();
export function nameText(n: Name): string {
  let text = nameTexts.get(n);
  if (text === undefined) {
    text = formatName(n.der).text;
    nameTexts.set(n, text);
  }
  return text;
}

export function nameAttrs(n: Name, oid: string): NameAttr[] {
  return n.rdns.flat().filter((a) => a.oid === oid);
}

export function parseGeneralName(node: Node): GeneralNameP {
  const c = content(node);
  switch (tagOf(node)) {
    case 0x81:
      return { kind: "email", value: latin1(c), bytes: c };
    case 0x82:
      return { kind: "dns", value: latin1(c), bytes: c };
    case 0x86:
      return { kind: "uri", value: latin1(c), bytes: c };
    case 0x87:
      return { kind: "ip", value: ipText(c), bytes: c };
    case 0xa4: {
      const dirName = parseName(children(node)[0], "directoryName");
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
      throw new CertParseError(t("unknown GeneralName tag 0x{0}", tagOf(node).toString(16)));
  }
}

function parseAlgorithm(node: Node | undefined, what: string): AlgorithmId {
  const s = expect(node, T.SEQUENCE, what);
  const [o, params, extra] = children(s);
  if (extra) throw new CertParseError(t("{0} has trailing fields", what));
  return { oid: readOid(o, `${what} OID`), params: params ? raw(params) : undefined, der: raw(s) };
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
      const [n] = children(parse(keyBits, true, true));
      const bits = bitLength(content(expect(n, T.INTEGER, "RSA modulus")));
      return { algorithm: alg.oid.endsWith(".10") ? "RSA-PSS" : "RSA", bits };
    }
    case "1.2.840.10045.2.1": {
      const curveOid = alg.params ? readOid(parse(alg.params, true, true)) : "";
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

const EXT_NAMES: Record<string, string> = Object.fromEntries(Object.entries(OID).map(([k, v]) => [v, k]));

export function extensionName(oid: string): string {
  return EXT_NAMES[oid] ?? oid;
}

/** Parses DER bytes into a ParsedCert; throws CertParseError when the certificate structure is unreadable. */
export function parseCertificate(der: Uint8Array): ParsedCert {
  try {
    return parseInner(der);
  } catch (err) {
    if (err instanceof PkiError || err instanceof CertParseError) throw new CertParseError(err.message);
    throw new CertParseError(t("unreadable certificate: {0}", (err as Error).message));
  }
}

function parseInner(der: Uint8Array): ParsedCert {
  const top = expect(parse(der, true, true), T.SEQUENCE, "Certificate");
  if (top.end !== der.length) throw new CertParseError(t("trailing bytes after the certificate"));
  const [tbsT, sigAlgT, sigT, extra] = children(top);
  if (extra) throw new CertParseError(t("Certificate has more than three fields"));
  const tbsFields = seq(tbsT, "TBSCertificate");
  let i = 0;
  let version = 1;
  const malformed: string[] = [];
  const strictness = new Map<string, "anchor" | "ca">();
  const strict = (m: string, kind: "anchor" | "ca" = "anchor") => {
    malformed.push(m);
    strictness.set(m, kind);
  };
  if (tagOf(tbsFields[0]) === 0xa0) {
    const [v] = children(tbsFields[i++]);
    version = count(expect(v, T.INTEGER, "version"), "version") + 1;
    if (version === 1) strict(t("version v1 is encoded explicitly (DER omits the default)"));
    if (version > 3) throw new CertParseError(t("unknown certificate version {0}", version));
  }
  const serial = content(expect(tbsFields[i++], T.INTEGER, "serialNumber"));
  if (serial.length === 0) throw new CertParseError(t("empty serialNumber"));
  if (serial.length > 1 && ((serial[0] === 0 && !(serial[1] & 0x80)) || (serial[0] === 0xff && serial[1] & 0x80)))
    strict(t("serialNumber is not minimally encoded"));
  if (serial[0] & 0x80) strict(t("serialNumber is negative (RFC 5280 §4.1.2.2 requires a positive integer)"));
  else if (serial.every((b) => b === 0)) strict(t("serialNumber is zero (RFC 5280 §4.1.2.2 requires a positive integer)"));
  if (serial.length > 21 || (serial.length === 21 && serial[0] !== 0)) strict(t("serialNumber is longer than 20 octets (RFC 5280 §4.1.2.2)"));
  const tbsSignatureAlg = parseAlgorithm(tbsFields[i++], "signature");
  const issuer = parseName(tbsFields[i++], "issuer");
  const validity = seq(tbsFields[i++], "validity");
  if (validity.length !== 2) throw new CertParseError(t("validity must hold notBefore and notAfter"));
  const notBefore = new Date(time(validity[0], "notBefore"));
  const notAfter = new Date(time(validity[1], "notAfter"));
  for (const [node, d, what] of [
    [validity[0], notBefore, "notBefore"],
    [validity[1], notAfter, "notAfter"],
  ] as const) {
    const y = d.getUTCFullYear();
    if (tagOf(node) === T.GENERALIZED_TIME && y < 2050) strict(t("{0} uses GeneralizedTime for a date before 2050 (RFC 5280 §4.1.2.5)", what), "ca");
  }
  const subject = parseName(tbsFields[i++], "subject");
  const spkiT = expect(tbsFields[i++], T.SEQUENCE, "subjectPublicKeyInfo");
  const [keyAlgT, keyBitsT] = children(spkiT);
  const keyAlg = parseAlgorithm(keyAlgT, "subjectPublicKeyInfo algorithm");
  const keyBits = bitString(keyBitsT, "subjectPublicKey").bytes;
  let key: KeyFacts;
  try {
    key = keyFacts(keyAlg, keyBits);
  } catch (err) {
    malformed.push(t("the public key is not encoded correctly: {0}", (err as Error).message));
    key = { algorithm: keyAlg.oid };
  }
  const cert: ParsedCert = {
    der,
    sha256: createHash("sha256").update(der).digest("hex"),
    tbs: raw(tbsT),
    version,
    serial,
    tbsSignatureAlg,
    signatureAlg: parseAlgorithm(sigAlgT, "signatureAlgorithm"),
    signature: bitString(sigT, "signatureValue").bytes,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki: raw(spkiT),
    keyAlg,
    key,
    extensions: [],
    caIssuers: [],
    malformed,
    strictness,
    selfIssued: issuer.key === subject.key,
  };
  while (tagOf(tbsFields[i]) === 0x81 || tagOf(tbsFields[i]) === 0x82) {
    if (version < 2) malformed.push(t("unique identifiers require version 2 or 3"));
    i++;
  }
  if (tagOf(tbsFields[i]) === 0xa3) {
    if (version !== 3) malformed.push(t("extensions are present but the version is not v3 (RFC 5280 §4.1.2.1)"));
    const [extsT, more] = children(tbsFields[i++]);
    if (more) throw new CertParseError(t("extensions field has trailing data"));
    const exts = seq(extsT, "Extensions");
    if (exts.length === 0) malformed.push(t("the extensions list is empty (RFC 5280 §4.1: SEQUENCE SIZE (1..MAX))"));
    const seen = new Set<string>();
    for (const e of exts) {
      const f = seq(e, "Extension");
      const oid = readOid(f[0], "extnID");
      let j = 1;
      let critical = false;
      if (tagOf(f[j]) === T.BOOLEAN) {
        critical = bool(f[j++]);
        if (!critical) strict(t("extension {0} encodes the default critical FALSE explicitly (not DER)", extensionName(oid)));
      }
      const value = content(expect(f[j++], T.OCTET_STRING, "extnValue"));
      if (f[j]) throw new CertParseError(t("Extension has trailing fields"));
      if (seen.has(oid)) malformed.push(t("extension {0} appears more than once (RFC 5280 §4.2)", extensionName(oid)));
      seen.add(oid);
      cert.extensions.push({ oid, critical, value });
    }
  }
  if (tbsFields[i]) throw new CertParseError(t("TBSCertificate has unexpected trailing fields"));
  for (const ext of cert.extensions) {
    try {
      decodeExtension(cert, ext);
    } catch (err) {
      malformed.push(t("extension {0} is not encoded correctly: {1}", extensionName(ext.oid), (err as Error).message));
    }
  }
  return cert;
}

export function isSelfSigned(cert: ParsedCert): boolean {
  return cert.selfIssued && (!cert.authorityKeyId?.keyId || !cert.subjectKeyId || bytesEqual(cert.authorityKeyId.keyId, cert.subjectKeyId));
}
