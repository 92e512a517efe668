/**
 * X.509 extensions (certificates, CSRs, CRLs, CRL entries) decoded by name into a `value` object and a
 * one-line `text`. A malformed extension never fails the certificate: it becomes { hex, error }.
 */
import type { ExtensionModel, GeneralName } from "../../shared/model";
import {
  ACCESS_METHODS, EKUS, EXTENSIONS, QC_STATEMENTS, oidName,
} from "./oids";
import {
  type Node, CLS_CONTEXT, bitNames, bool, child, children, expect, hex, intBig, intNum, isUniversal, oid,
  octets, parse, raw, T, time, value,
} from "./der";
import { Findings, checkNode, checkTree, tagName, textOrBytes } from "./findings";
import { generalName, generalNameText, generalNames, nameFromNode } from "./name";
import { type Decoded, type ExtCtx, certificatePolicies, nameConstraints, policyConstraints } from "./extensionsPolicy";
import { decodeSctListValue } from "./sct";
import { t } from "../l10n";

export const KEY_USAGE_BITS = [
  "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign",
  "cRLSign", "encipherOnly", "decipherOnly",
] as const;

export const REASON_FLAGS = [
  "unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation",
  "certificateHold", "privilegeWithdrawn", "aACompromise",
] as const;

export const CRL_REASONS: Record<number, string> = {
  0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
  5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn", 10: "aACompromise",
};

const NS_CERT_TYPE = ["SSL Client", "SSL Server", "S/MIME", "Object Signing", "Unused", "SSL CA", "S/MIME CA", "Object Signing CA"];
const TLS_FEATURES: Record<number, string> = { 5: "status_request", 17: "status_request_v2" };

type Ctx = ExtCtx;
type Decoder = (n: Node, c: Ctx) => Decoded;

const colonHex = (b: Uint8Array) => hex(b, ":");

function names(n: Node, c: Ctx): GeneralName[] {
  return generalNames(children(expect(n, T.SEQUENCE, "GeneralNames")), c.f, c.where);
}
function namesText(g: GeneralName[]): string {
  return g.map(generalNameText).join(", ");
}

function distributionPointName(n: Node, cx: Ctx): { fullName?: GeneralName[]; relativeName?: string } {
  // n is [0] EXPLICIT DistributionPointName (a CHOICE of implicit [0] / [1])
  const c = child(n, 0);
  if (c.cls === CLS_CONTEXT && c.num === 0) return { fullName: generalNames(children(c), cx.f, `${cx.where}.fullName`) };
  if (c.cls === CLS_CONTEXT && c.num === 1) {
    // RelativeDistinguishedName, implicitly tagged SET: wrap as a one-RDN Name for formatting.
    const rdnDer = new Uint8Array(raw(c));
    rdnDer[0] = 0x31;
    const len = rdnDer.length;
    let body: Uint8Array;
    if (len < 128) body = Uint8Array.of(len);
    else if (len < 256) body = Uint8Array.of(0x81, len);
    else body = Uint8Array.of(0x82, len >> 8, len & 255);
    const out = new Uint8Array(1 + body.length + len);
    out[0] = 0x30;
    out.set(body, 1);
    out.set(rdnDer, 1 + body.length);
    return { relativeName: nameFromNode(parse(out)).text };
  }
  return {};
}

function crlDistributionPoints(n: Node, c: Ctx): Decoded {
  const points = children(expect(n, T.SEQUENCE, "CRLDistributionPoints")).map((dp, i) => {
    const at = { f: c.f, where: `${c.where}[${i}]` };
    const p: { fullName?: GeneralName[]; relativeName?: string; reasons?: string[]; crlIssuer?: GeneralName[] } = {};
    for (const f of children(expect(dp, T.SEQUENCE, "DistributionPoint"))) {
      if (f.cls !== CLS_CONTEXT) continue;
      if (f.num === 0) Object.assign(p, distributionPointName(f, at));
      else if (f.num === 1) p.reasons = reasonFlags(f, at);
      else if (f.num === 2) p.crlIssuer = generalNames(children(f), at.f, `${at.where}.cRLIssuer`);
    }
    return p;
  });
  const text = points
    .map((p) => {
      let s = p.fullName ? namesText(p.fullName) : p.relativeName ? `relative ${p.relativeName}` : "(no name)";
      if (p.reasons) s += ` (reasons: ${p.reasons.join(", ")})`;
      if (p.crlIssuer) s += ` (CRL issuer: ${namesText(p.crlIssuer)})`;
      return s;
    })
    .join("; ");
  return { value: { points }, text };
}

function reasonFlags(n: Node, c: Ctx): string[] {
  // implicitly tagged BIT STRING: read as a BIT STRING
  const copy = { ...n, cls: 0, num: T.BIT_STRING };
  checkNamedBits(copy, c);
  return bitNames(copy, REASON_FLAGS);
}

/** DER named bit lists (X.690 §11.2.2): no trailing zero bits. */
function checkNamedBits(n: Node, c: Ctx): void {
  if (n.cons || n.ve - n.vs < 2) return;
  const unused = n.b[n.vs];
  const last = n.b[n.ve - 1];
  if (unused > 7) return;
  if (last === 0 || !(last & (1 << unused))) c.f.error("non_der", c.where, t("the named-bit list has trailing zero bits; DER removes them (X.690 §11.2.2)"));
}

function accessDescriptions(n: Node, c: Ctx): Decoded {
  const descriptions = children(expect(n, T.SEQUENCE, "AccessDescriptions")).map((ad, i) => {
    const [m, loc] = children(expect(ad, T.SEQUENCE, "AccessDescription"));
    const methodOid = oid(m, "accessMethod");
    return { method: ACCESS_METHODS[methodOid] ?? methodOid, oid: methodOid, location: generalName(loc, c.f, `${c.where}[${i}].accessLocation`) };
  });
  return { value: { descriptions }, text: descriptions.map((d) => `${d.method} - ${generalNameText(d.location)}`).join(", ") };
}

function sctList(n: Node): Decoded {
  return decodeSctListValue(octets(n, "SignedCertificateTimestampList"));
}

const DECODERS: Record<string, Decoder> = {
  "2.5.29.19": (n, c) => {
    let ca = false;
    let pathLength: number | undefined;
    for (const f of children(expect(n, T.SEQUENCE, "BasicConstraints"))) {
      if (isUniversal(f, T.BOOLEAN)) {
        ca = bool(f);
        if (!ca) c.f.error("default_encoded", `${c.where}.cA`, t("cA is encoded as FALSE, its default; DER leaves it out (X.690 §11.5)"));
      } else if (isUniversal(f, T.INTEGER)) {
        pathLength = intNum(f);
        if (pathLength < 0) c.f.error("invalid_value", `${c.where}.pathLenConstraint`, t("pathLenConstraint is negative ({0})", pathLength));
      } else c.f.error("wrong_tag", c.where, t("BasicConstraints holds an unexpected {0}", tagName(f)));
    }
    const v: { ca: boolean; pathLength?: number } = { ca };
    if (pathLength !== undefined) v.pathLength = pathLength;
    return { value: v, text: `CA: ${ca}${pathLength !== undefined ? `, path length ${pathLength}` : ""}` };
  },
  "2.5.29.15": (n, c) => {
    checkNamedBits(n, c);
    const usages = bitNames(n, KEY_USAGE_BITS);
    return { value: { usages }, text: usages.join(", ") || "(none)" };
  },
  "2.5.29.37": (n) => {
    const oids = children(expect(n, T.SEQUENCE, "ExtKeyUsageSyntax")).map((x) => oid(x));
    const usages = oids.map((o) => EKUS[o] ?? o);
    return { value: { usages, oids }, text: usages.join(", ") };
  },
  "2.5.29.17": (n, c) => {
    const g = names(n, c);
    return { value: { names: g }, text: namesText(g) };
  },
  "2.5.29.18": (n, c) => {
    const g = names(n, c);
    return { value: { names: g }, text: namesText(g) };
  },
  "2.5.29.29": (n, c) => {
    const g = names(n, c);
    return { value: { names: g }, text: namesText(g) };
  },
  "2.5.29.14": (n) => {
    const id = hex(octets(n, "SubjectKeyIdentifier"));
    return { value: { keyIdentifier: id }, text: colonHex(Buffer.from(id, "hex")) };
  },
  "2.5.29.35": (n, c) => {
    const v: { keyIdentifier?: string; issuer?: GeneralName[]; serialNumber?: string } = {};
    for (const f of children(expect(n, T.SEQUENCE, "AuthorityKeyIdentifier"))) {
      if (f.cls !== CLS_CONTEXT) continue;
      if (f.num === 0) v.keyIdentifier = hex(value(f));
      else if (f.num === 1) v.issuer = generalNames(children(f), c.f, `${c.where}.authorityCertIssuer`);
      else if (f.num === 2) {
        const s = value(f);
        let i = 0;
        while (i < s.length - 1 && s[i] === 0) i++;
        v.serialNumber = hex(s.subarray(i));
      }
    }
    const parts: string[] = [];
    if (v.keyIdentifier) parts.push(`keyid:${colonHex(Buffer.from(v.keyIdentifier, "hex"))}`);
    if (v.issuer) parts.push(`issuer:${namesText(v.issuer)}`);
    if (v.serialNumber) parts.push(`serial:${v.serialNumber}`);
    return { value: v, text: parts.join(", ") };
  },
  "1.3.6.1.5.5.7.1.1": accessDescriptions,
  "1.3.6.1.5.5.7.1.11": accessDescriptions,
  "2.5.29.31": crlDistributionPoints,
  "2.5.29.46": crlDistributionPoints,
  "2.5.29.32": certificatePolicies,
  "2.5.29.30": nameConstraints,
  "2.5.29.36": policyConstraints,
  "2.5.29.33": (n) => {
    const mappings = children(expect(n, T.SEQUENCE, "PolicyMappings")).map((m) => {
      const [a, b] = children(m);
      return { issuerDomainPolicy: oid(a), subjectDomainPolicy: oid(b) };
    });
    return { value: { mappings }, text: mappings.map((m) => `${m.issuerDomainPolicy} → ${m.subjectDomainPolicy}`).join(", ") };
  },
  "2.5.29.54": (n) => {
    const skipCerts = intNum(n);
    return { value: { skipCerts }, text: `skip certs: ${skipCerts}` };
  },
  "1.3.6.1.4.1.11129.2.4.2": sctList,
  "1.3.6.1.4.1.11129.2.4.5": sctList,
  "1.3.6.1.4.1.11129.2.4.3": () => ({ value: {}, text: "precertificate poison (not a real certificate)" }),
  "1.3.6.1.5.5.7.1.24": (n) => {
    const ids = children(expect(n, T.SEQUENCE, "Features")).map((x) => intNum(x));
    const features = ids.map((i) => TLS_FEATURES[i] ?? String(i));
    return { value: { features }, text: features.join(", ") + (ids.includes(5) ? " (OCSP must-staple)" : "") };
  },
  "1.3.6.1.5.5.7.48.1.5": () => ({ value: {}, text: "do not check revocation of this OCSP responder" }),
  "2.16.840.1.113730.1.1": (n, c) => {
    checkNamedBits(n, c);
    const types = bitNames(n, NS_CERT_TYPE);
    return { value: { types }, text: types.join(", ") };
  },
  "2.16.840.1.113730.1.13": (n) => {
    const comment = textOrBytes(n);
    return { value: { comment }, text: comment };
  },
  "2.5.29.20": (n) => {
    const number = intBig(n).toString();
    return { value: { number }, text: number };
  },
  "2.5.29.27": (n) => {
    const number = intBig(n).toString();
    return { value: { baseCrlNumber: number }, text: `base CRL ${number}` };
  },
  "2.5.29.21": (n) => {
    const code = intNum(n);
    const reason = CRL_REASONS[code] ?? String(code);
    return { value: { reason }, text: reason };
  },
  "2.5.29.24": (n) => {
    const date = time(n);
    return { value: { date }, text: date };
  },
  "2.5.29.23": (n) => {
    const o = oid(n);
    return { value: { oid: o }, text: o };
  },
  "2.5.29.16": (n) => {
    const v: { notBefore?: string; notAfter?: string } = {};
    for (const f of children(expect(n, T.SEQUENCE, "PrivateKeyUsagePeriod"))) {
      const t = time({ ...f, cls: 0, num: T.GENERALIZED_TIME });
      if (f.num === 0) v.notBefore = t;
      else if (f.num === 1) v.notAfter = t;
    }
    return { value: v, text: `${v.notBefore ?? "…"} to ${v.notAfter ?? "…"}` };
  },
  "2.5.29.28": (n, c) => {
    const v: Record<string, unknown> = {};
    for (const f of children(expect(n, T.SEQUENCE, "IssuingDistributionPoint"))) {
      if (f.cls !== CLS_CONTEXT) continue;
      const flag = () => f.b[f.vs] !== 0;
      if (f.num === 0) Object.assign(v, distributionPointName(f, c));
      else if (f.num === 1) v.onlyContainsUserCerts = flag();
      else if (f.num === 2) v.onlyContainsCACerts = flag();
      else if (f.num === 3) v.onlySomeReasons = reasonFlags(f, c);
      else if (f.num === 4) v.indirectCRL = flag();
      else if (f.num === 5) v.onlyContainsAttributeCerts = flag();
    }
    const parts: string[] = [];
    if (v.fullName) parts.push(namesText(v.fullName as GeneralName[]));
    for (const k of ["onlyContainsUserCerts", "onlyContainsCACerts", "indirectCRL", "onlyContainsAttributeCerts"]) if (v[k]) parts.push(k);
    if (v.onlySomeReasons) parts.push(t("reasons: {0}", (v.onlySomeReasons as string[]).join(", ")));
    return { value: v, text: parts.join(", ") };
  },
  "1.3.6.1.4.1.311.20.2": (n) => {
    const name = textOrBytes(n);
    return { value: { name }, text: name };
  },
  "1.3.6.1.4.1.311.21.7": (n) => {
    const parts = children(expect(n, T.SEQUENCE, "CertificateTemplate"));
    const v: { template: string; majorVersion?: number; minorVersion?: number } = { template: oid(parts[0]) };
    if (parts[1]) v.majorVersion = intNum(parts[1]);
    if (parts[2]) v.minorVersion = intNum(parts[2]);
    return { value: v, text: `${v.template}${v.majorVersion !== undefined ? ` v${v.majorVersion}.${v.minorVersion ?? 0}` : ""}` };
  },
  "1.3.6.1.4.1.311.21.1": (n) => {
    const x = intNum(n);
    const v = { certIndex: x & 0xffff, keyIndex: x >>> 16 };
    return { value: v, text: `V${v.certIndex}.${v.keyIndex}` };
  },
  "1.3.6.1.4.1.311.21.2": (n) => {
    const h = hex(octets(n));
    return { value: { hash: h }, text: colonHex(Buffer.from(h, "hex")) };
  },
  "1.3.6.1.5.5.7.1.3": (n) => {
    const statements = children(expect(n, T.SEQUENCE, "QCStatements")).map((s) => {
      const o = oid(child(s, 0));
      return { oid: o, name: QC_STATEMENTS[o] ?? o };
    });
    return { value: { statements }, text: statements.map((s) => s.name).join(", ") };
  },
  "1.2.840.113549.1.9.15": (n) => {
    const capabilities = children(expect(n, T.SEQUENCE, "SMIMECapabilities")).map((c) => oidName(oid(child(c, 0))));
    return { value: { capabilities }, text: capabilities.join(", ") };
  },
  "2.5.29.9": (n) => {
    const attributes = children(expect(n, T.SEQUENCE, "SubjectDirectoryAttributes")).map((a) => oidName(oid(child(a, 0))));
    return { value: { attributes }, text: attributes.join(", ") };
  },
};

for (const o of ["2.16.840.1.113730.1.2", "2.16.840.1.113730.1.3", "2.16.840.1.113730.1.4", "2.16.840.1.113730.1.7", "2.16.840.1.113730.1.8", "2.16.840.1.113730.1.12"]) {
  DECODERS[o] = (n) => {
    const s = textOrBytes(n);
    return { value: { value: s }, text: s };
  };
}

/** Decodes one extension value (the content of extnValue) by OID; with `f`, its encoding is checked under `where`. */
export function decodeExtensionValue(oidStr: string, der: Uint8Array, f?: Findings, where = "extension"): Decoded {
  const dec = DECODERS[oidStr];
  if (!dec) return { value: { hex: hex(der) }, text: der.length > 48 ? `${hex(der.subarray(0, 48))}… (${der.length} bytes)` : hex(der) };
  const n = parse(der);
  const c = { f: f ?? new Findings(), where };
  try {
    return dec(n, c);
  } finally {
    // After the decoder, which names the fields it checks more precisely: the rest under the extension's name.
    if (f) checkTree(n, where, f);
  }
}

/**
 * Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. `f` collects the
 * encoding findings under `prefix.<name>` (e.g. "tbsCertificate.extensions.policyConstraints").
 */
export function decodeExtension(n: Node, f?: Findings, prefix = "extensions"): ExtensionModel {
  const parts = children(expect(n, T.SEQUENCE, "Extension"));
  const o = oid(parts[0], "extnID");
  const name = EXTENSIONS[o] ?? o;
  const where = `${prefix}.${name}`;
  if (f) for (const p of [n, ...parts]) checkNode(p, where, f);
  let critical = false;
  let valueNode = parts[1];
  if (valueNode && isUniversal(valueNode, T.BOOLEAN)) {
    critical = bool(valueNode);
    if (!critical) f?.error("default_encoded", `${where}.critical`, t("critical is encoded as FALSE, its default; DER leaves it out (X.690 §11.5)"));
    valueNode = parts[2];
  }
  if (!valueNode) throw new Error(t("extension {0}: missing extnValue", o));
  const der = octets(valueNode, "extnValue");
  const ext: ExtensionModel = { oid: o, name, critical, value: undefined };
  try {
    const d = decodeExtensionValue(o, der, f, where);
    ext.value = d.value;
    ext.text = d.text;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    ext.value = { hex: hex(der), error: msg };
    ext.text = `malformed: ${msg}`;
    f?.error("malformed_extension", where, t("the {0} extension cannot be read ({1}); shown as its bytes", name, msg));
  }
  return ext;
}

/** Extensions ::= SEQUENCE OF Extension; with `f`, also a finding for every extension that appears twice (RFC 5280 §4.2). */
export function decodeExtensions(n: Node, f?: Findings, prefix = "extensions"): ExtensionModel[] {
  if (f) checkNode(n, prefix, f);
  const out = children(expect(n, T.SEQUENCE, "Extensions")).map((e) => decodeExtension(e, f, prefix));
  if (f) duplicateExtensions(out, f, prefix);
  return out;
}

/** RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension." */
export function duplicateExtensions(exts: ExtensionModel[], f: Findings, prefix: string): void {
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid)) f.error("duplicate_extension", `${prefix}.${e.name}`, t("the {0} extension appears more than once (RFC 5280 §4.2)", e.name));
    seen.add(e.oid);
  }
}
