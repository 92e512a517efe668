/**
 * The crafted corpus of issue 15: one certificate per encoding violation, each with the finding it must raise
 * and the value it must show. Used by encoding-findings.test.ts (CertScope) and openssl-compare.test.ts
 * (CertScope against OpenSSL and Node's X509Certificate).
 */
import {
  type Bytes, bits, cert, ctx, ctxPrim, ext, gen, ia5, int, intRaw, name, oid, printable, seq, tlv, utc, utf8,
} from "./derBuilder";

export interface CraftedCase {
  name: string;
  der: Uint8Array;
  /** Findings that must be present (code + where). */
  findings: { code: string; where: string }[];
  /** Path → value the model must show (dotted path into the certificate model; `extensions.X` = the value of extension X). */
  shown: Record<string, unknown>;
}

const CN = "2.5.4.3";
const C = "2.5.4.6";
const cps = (q: Bytes) => seq(oid("1.3.6.1.5.5.7.2.1"), q);
const policies = (...qualifiers: Uint8Array[]) => ext("2.5.29.32", seq(seq(oid("2.5.29.32.0"), seq(...qualifiers))));

export const CRAFTED: CraftedCase[] = [
  {
    name: "notBefore in year 0001",
    der: cert({ notBefore: gen("00010101000000Z") }),
    findings: [{ code: "time_type", where: "tbsCertificate.validity.notBefore" }],
    shown: { notBefore: "0001-01-01T00:00:00Z" },
  },
  {
    name: "notAfter in year 9999 (GeneralizedTime, allowed)",
    der: cert({ notAfter: gen("99991231235959Z") }),
    findings: [],
    shown: { notAfter: "9999-12-31T23:59:59Z" },
  },
  {
    name: "fractional seconds in a GeneralizedTime",
    der: cert({ notAfter: gen("20500101000000.5Z") }),
    findings: [{ code: "fractional_seconds", where: "tbsCertificate.validity.notAfter" }],
    shown: { notAfter: "2050-01-01T00:00:00.5Z" },
  },
  {
    name: "UTCTime without seconds and with an offset",
    der: cert({ notBefore: utc("2601010000+0100") }),
    findings: [{ code: "time_format", where: "tbsCertificate.validity.notBefore" }],
    shown: { notBefore: "2025-12-31T23:00:00Z" },
  },
  {
    name: "non-minimal INTEGER serial",
    der: cert({ serial: intRaw(0x00, 0x00, 0x12, 0x34) }),
    findings: [{ code: "non_minimal_integer", where: "tbsCertificate.serialNumber" }],
    shown: { serialNumber: "1234" },
  },
  {
    name: "negative serial",
    der: cert({ serial: intRaw(0xff, 0x01) }),
    findings: [{ code: "negative_serial", where: "tbsCertificate.serialNumber" }],
    shown: { serialNumber: "ff01", serialNumberSigned: "-ff" },
  },
  {
    name: "invalid UTF-8 in a UTF8String",
    der: cert({ subject: name([[CN, tlv(0x0c, [0x61, 0xc3, 0x28])]]) }),
    findings: [{ code: "invalid_string", where: "tbsCertificate.subject.rdn[0]" }],
    shown: { "subject.text": "CN=#0c0361c328", "subject.attributes.0.value": "#0c0361c328" },
  },
  {
    name: "a string type not allowed in a name (IA5String CN, UTF8String C)",
    der: cert({ subject: name([[C, utf8("US")]], [[CN, ia5("ia5.test")]]) }),
    findings: [
      { code: "unknown_string_type", where: "tbsCertificate.subject.rdn[1].CN" },
      { code: "unknown_string_type", where: "tbsCertificate.subject.rdn[0].C" },
    ],
    shown: { "subject.text": "CN=ia5.test,C=US" },
  },
  {
    name: "empty RDN",
    der: cert({ subject: name([[C, printable("US")]], [], [[CN, utf8("gov.us")]]) }),
    findings: [{ code: "empty_rdn", where: "tbsCertificate.subject.rdn[1]" }],
    shown: { "subject.text": "CN=gov.us,C=US" },
  },
  {
    name: "policyConstraints with the wrong tags",
    der: cert({ extensions: [ext("2.5.29.36", seq(ctx(0, int(1))), true)] }),
    findings: [{ code: "wrong_tag", where: "tbsCertificate.extensions.policyConstraints.requireExplicitPolicy" }],
    shown: { "extensions.policyConstraints.requireExplicitPolicy": "#a003020101" },
  },
  {
    name: "malformed x400Address in name constraints",
    der: cert({ extensions: [ext("2.5.29.30", seq(ctx(0, seq(ctxPrim(3, [0x01, 0x02])))), true)] }),
    findings: [{ code: "malformed_extension", where: "tbsCertificate.extensions.nameConstraints.permittedSubtrees[0]" }],
    shown: { "extensions.nameConstraints.permitted": [{ type: "x400", value: "#0102" }] },
  },
  {
    name: "policy qualifier of the wrong type (CPS as UTF8String)",
    der: cert({ extensions: [policies(cps(utf8("https://cps.test/")))] }),
    findings: [{ code: "unknown_string_type", where: "tbsCertificate.extensions.certificatePolicies[0].qualifiers[0]" }],
    shown: { "extensions.certificatePolicies.policies.0.cps": ["https://cps.test/"] },
  },
  {
    name: "policy qualifier with a reserved tag (user notice explicitText as [0])",
    der: cert({ extensions: [policies(seq(oid("1.3.6.1.5.5.7.2.2"), seq(ctxPrim(0, Buffer.from("hi")))))] }),
    findings: [{ code: "wrong_tag", where: "tbsCertificate.extensions.certificatePolicies[0].qualifiers[0].explicitText" }],
    shown: { "extensions.certificatePolicies.policies.0.userNotices.0.explicitText": "#80026869" },
  },
  {
    name: "non-ASCII and an unknown attribute type in the subject",
    der: cert({ subject: name([["1.2.3.4", utf8("abc")]], [[CN, utf8("Jürgen")]]) }),
    findings: [],
    shown: { "subject.text": "CN=Jürgen,1.2.3.4=#0c03616263", "subject.textAscii": "CN=J\\C3\\BCrgen,1.2.3.4=#0c03616263", "subject.attributes.0.value": "abc" },
  },
  {
    name: "non-minimal length, BOOLEAN 01 and critical FALSE encoded",
    der: cert({
      extensions: [
        Uint8Array.from([0x30, 0x81, 0x0c, ...oid("2.5.29.19"), 0x01, 0x01, 0x01, ...tlv(0x04, seq())]),
        ext("2.5.29.14", tlv(0x04, [1, 2, 3]), false),
      ],
    }),
    findings: [
      { code: "non_der", where: "tbsCertificate.extensions.basicConstraints" },
      { code: "default_encoded", where: "tbsCertificate.extensions.subjectKeyIdentifier.critical" },
    ],
    shown: { "extensions.basicConstraints.critical": true },
  },
  {
    name: "keyUsage with trailing zero bits",
    der: cert({ extensions: [ext("2.5.29.15", bits(0, [0x80, 0x00]), true)] }),
    findings: [{ code: "non_der", where: "tbsCertificate.extensions.keyUsage" }],
    shown: { "extensions.keyUsage.usages": ["digitalSignature"] },
  },
  {
    name: "invalid UTF-8 in a SAN otherName",
    der: cert({ extensions: [ext("2.5.29.17", seq(ctx(0, oid("1.3.6.1.4.1.311.20.2.3"), ctx(0, tlv(0x0c, [0x61, 0xff])))))] }),
    findings: [{ code: "invalid_string", where: "tbsCertificate.extensions.subjectAltName" }],
    shown: { "subjectAltNames.0.value": "UPN:#0c0261ff" },
  },
];

/** A well-formed crafted certificate: no findings at all. */
export const CLEAN = cert({ extensions: [ext("2.5.29.19", seq(), true), ext("2.5.29.17", seq(ctxPrim(2, Buffer.from("crafted.test"))))] });

/** Reads `path` from a decoded model ("extensions.X.field" looks extension X up by name). */
export function pick(model: unknown, path: string): unknown {
  const parts = path.split(".");
  let cur: unknown = model;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i];
    if (i === 0 && k === "extensions") {
      const exts = (model as { extensions?: { name: string; critical: boolean; value: unknown }[] }).extensions ?? [];
      const e = exts.find((x) => x.name === parts[1]);
      if (parts[2] === "critical") return e?.critical;
      cur = e?.value;
      i = 1;
      continue;
    }
    cur = cur === undefined || cur === null ? undefined : (cur as Record<string, unknown>)[k];
  }
  return cur;
}
