/**
 * Distinguished names (RFC 4514 text) and GeneralNames (SAN, IAN, name constraints, CRL DPs…).
 */
import type { DistinguishedName, GeneralName, NameAttribute } from "../../shared/model";
import { NAME_ATTRS, OTHER_NAMES } from "./oids";
import { CLS_CONTEXT, type Node, child, children, expect, hex, isStringTag, isUniversal, oid, oidFromBytes, parse, raw, str, T, value } from "./der";
import { type Findings, aTag, checkNode, checkTree, readableChildren, readableString, stringProblem, tagName, textOrBytes } from "./findings";
import { PkiError } from "./errors";
import { t } from "../l10n";

const NEEDS_ESCAPE = /[,+"\\<>;\0]|^[ #]| $/;

function escapeValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "," || c === "+" || c === '"' || c === "\\" || c === "<" || c === ">" || c === ";") out += "\\" + c;
    else if ((c === "#" || c === " ") && i === 0) out += "\\" + c;
    else if (c === " " && i === v.length - 1) out += "\\ ";
    else if (c === "\0") out += "\\00";
    else out += c;
  }
  return out;
}

/** An attribute value as text: character strings decoded, any other type "#" + hex of its DER (RFC 4514 §2.4). */
export function attributeValue(v: Node): string {
  return isStringTag(v) ? str(v) : "#" + hex(raw(v));
}

/** RFC 5280 §4.1.2.4 / Appendix A: the string types each attribute may use (DirectoryString unless listed). */
const DIRECTORY_STRING = [T.T61, T.PRINTABLE, T.UNIVERSAL, T.UTF8, T.BMP];
const ATTR_STRING_TYPES: Record<string, number[]> = {
  "2.5.4.6": [T.PRINTABLE], // countryName
  "2.5.4.5": [T.PRINTABLE], // serialNumber
  "2.5.4.46": [T.PRINTABLE], // dnQualifier
  "1.2.840.113549.1.9.1": [T.IA5], // emailAddress
  "0.9.2342.19200300.100.1.25": [T.IA5], // domainComponent
};
/** Attributes whose value is not a DirectoryString (left to the generic DER checks). */
const NON_STRING_ATTRS = new Set(["2.5.4.45" /* x500UniqueIdentifier */, "2.5.4.16" /* postalAddress */, "1.2.840.113549.1.9.2" /* unstructuredName */]);

/** RFC 5280's string-type rule for one attribute value (the DER and charset rules are checked by checkTree). */
function checkAttributeType(typeOid: string, type: string, v: Node, where: string, f: Findings): void {
  if (!NAME_ATTRS[typeOid] || NON_STRING_ATTRS.has(typeOid)) return;
  const allowed = ATTR_STRING_TYPES[typeOid] ?? DIRECTORY_STRING;
  if (!isStringTag(v)) {
    f.error("wrong_tag", where, t("{0} holds {1}, not a character string; shown as its bytes", type, aTag(v)));
  } else if (!allowed.includes(v.num)) {
    const want = allowed.length === 1 ? (allowed[0] === T.IA5 ? "IA5String" : "PrintableString") : "a DirectoryString (UTF8String, PrintableString, TeletexString, BMPString or UniversalString)";
    f.error("unknown_string_type", where, t("{0} is {1}; RFC 5280 requires {2} for it", type, aTag(v), want));
  }
}

/** RFC 4514 §2.4 allows UTF-8 in the text; this is the all-ASCII form (non-ASCII octets as \XX, as OpenSSL's RFC2253 output). */
export function asciiEscaped(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += "\\" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * Decodes a Name node (SEQUENCE OF RDN). With `f`, every encoding finding goes there under `where`
 * ("tbsCertificate.subject.rdn[2]"). A value whose bytes are not a valid string of its type (bad UTF-8, an odd
 * BMPString) is shown as "#" + the hex of its DER, never as replacement characters; an empty RDN is left out
 * of the text (RFC 4514 has no form for it).
 */
export function nameFromNode(n: Node, f?: Findings, where = "name"): DistinguishedName {
  expect(n, T.SEQUENCE, "Name");
  if (f) checkNode(n, where, f);
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  children(n).forEach((rdn, ri) => {
    const at = `${where}.rdn[${ri}]`;
    if (f) checkTree(rdn, at, f);
    expect(rdn, T.SET, "RelativeDistinguishedName");
    const parts: string[] = [];
    for (const atv of children(rdn)) {
      const tv = children(expect(atv, T.SEQUENCE, "AttributeTypeAndValue"));
      const typeOid = oid(tv[0], "attribute type");
      const v = tv[1];
      if (!v) throw new PkiError("malformed", t("malformed structure: attribute {0} has no value", typeOid));
      const type = NAME_ATTRS[typeOid] ?? typeOid;
      if (f && tv.length > 2) f.error("non_der", at, t("the {0} attribute has {1} extra elements after its value", type, tv.length - 2));
      if (f) checkAttributeType(typeOid, type, v, `${at}.${type}`, f);
      if (readableString(v)) {
        const s = str(v);
        attributes.push({ type, oid: typeOid, value: s });
        // RFC 4514 §2.4: a type written as a dotted OID takes its value as #hex of the BER encoding.
        parts.push(NAME_ATTRS[typeOid] ? `${type}=${escapeValue(s)}` : `${type}=#${hex(raw(v))}`);
      } else {
        const h = "#" + hex(raw(v));
        attributes.push({ type, oid: typeOid, value: h });
        parts.push(`${type}=${h}`);
      }
    }
    if (parts.length === 0) {
      f?.error("empty_rdn", at, t("an empty RelativeDistinguishedName (a SET with no attribute); RFC 5280 requires at least one, and it is left out of the name text"));
      return;
    }
    rdnTexts.push(parts.join("+"));
  });
  const text = rdnTexts.reverse().join(",");
  const ascii = asciiEscaped(text);
  return ascii === text ? { text, attributes } : { text, textAscii: ascii, attributes };
}

/** RFC 4514 text and attributes of a DER-encoded Name (RDNSequence). */
export function formatName(der: Uint8Array): DistinguishedName {
  return nameFromNode(parse(der));
}

/** IP address text; 8 or 32 octets (a name constraint) as "address/mask". */
export function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length === 16) return ipv6(b);
  if (b.length === 8) return `${ipText(b.subarray(0, 4))}/${ipText(b.subarray(4))}`;
  if (b.length === 32) return `${ipv6(b.subarray(0, 16))}/${ipv6(b.subarray(16))}`;
  return `#${hex(b)}`;
}

/** RFC 5952 text: lowercase, longest run (≥ 2) of zero groups compressed, first one on ties. */
export function ipv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped ::ffff:a.b.c.d
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const hx = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (bestStart < 0) return hx(g);
  return `${hx(g.slice(0, bestStart))}::${hx(g.slice(bestStart + bestLen))}`;
}

/** The GeneralName forms that are implicitly tagged IA5Strings (rfc822Name, dNSName, URI). */
const IA5_NAMES: Record<number, string> = { 1: "rfc822Name", 2: "dNSName", 6: "uniformResourceIdentifier" };

/**
 * RFC 5280 §4.2.1.6 encoding rules of one GeneralName, into `f` under `where`. `inConstraint`: a name
 * constraint's base, where iPAddress is address + mask (8 or 32 octets).
 */
function checkGeneralName(n: Node, f: Findings, where: string, inConstraint: boolean): void {
  const ia5 = IA5_NAMES[n.num];
  if (ia5) {
    if (n.cons) f.error("wrong_tag", where, t("{0} is constructed; it is an IA5String", ia5));
    else {
      const why = stringProblem(T.IA5, value(n));
      if (why) f.error("invalid_string", where, t("{0} {1}", ia5, why));
    }
  } else if (n.num === 3 || n.num === 5) {
    // x400Address is an ORAddress, ediPartyName an EDIPartyName: both SEQUENCEs, implicitly tagged.
    const what = n.num === 3 ? "x400Address" : "ediPartyName";
    const kids = readableChildren(n);
    const covered = kids.length ? kids[kids.length - 1].end === n.ve : n.ve === n.vs;
    if (!n.cons || !covered || kids.length === 0) f.error("malformed_extension", where, t("{0} is not a well-formed {1} (a SEQUENCE of fields); shown as its bytes", what, n.num === 3 ? "ORAddress" : "EDIPartyName"));
    else if (n.num === 3 && !isUniversal(kids[0], T.SEQUENCE)) f.error("malformed_extension", where, t("x400Address does not start with its built-in standard attributes (a SEQUENCE, found {0}); shown as its bytes", tagName(kids[0])));
  } else if (n.num === 7) {
    const len = n.ve - n.vs;
    const ok = inConstraint ? len === 8 || len === 32 : len === 4 || len === 16;
    if (n.cons || !ok) f.error("malformed_extension", where, inConstraint ? t("iPAddress has {0} octets; a constraint is an IPv4 (8) or IPv6 (32) address and mask", len) : t("iPAddress has {0} octets; an address is 4 (IPv4) or 16 (IPv6) octets", len));
  } else if (n.num === 0 || n.num === 4) {
    if (!n.cons) f.error("wrong_tag", where, t("{0} is primitive; it is a constructed value", n.num === 0 ? "otherName" : "directoryName"));
  } else if (n.num === 8 && n.cons) f.error("wrong_tag", where, t("registeredID is constructed; it is an OBJECT IDENTIFIER"));
}

/** One GeneralName (context-tagged, implicit except directoryName). With `f`, its encoding is checked too. */
export function generalName(n: Node, f?: Findings, where = "generalName", inConstraint = false): GeneralName {
  if (n.cls !== CLS_CONTEXT) throw new PkiError("malformed", t("GeneralName: unexpected tag at byte {0}", n.start));
  if (f) checkGeneralName(n, f, where, inConstraint);
  switch (n.num) {
    case 0: {
      const typeOid = oid(child(n, 0), "otherName type");
      const typeName = OTHER_NAMES[typeOid] ?? typeOid;
      let v = "";
      try {
        const wrapped = child(n, 1); // [0] EXPLICIT
        const inner = child(wrapped, 0);
        if (isStringTag(inner)) v = textOrBytes(inner);
        else if (inner.num === T.OID && inner.cls === 0) v = oid(inner);
        else v = "#" + hex(raw(inner));
      } catch {
        v = "";
      }
      return { type: "otherName", value: `${typeName}:${v}` };
    }
    case 1:
      return { type: "email", value: str(n) };
    case 2:
      return { type: "dns", value: str(n) };
    case 3:
      return { type: "x400", value: "#" + hex(value(n)) };
    case 4:
      return { type: "dirName", value: nameFromNode(child(n, 0), f, `${where}.directoryName`).text };
    case 5:
      return { type: "ediParty", value: "#" + hex(value(n)) };
    case 6:
      return { type: "uri", value: str(n) };
    case 7:
      return { type: "ip", value: ipText(value(n)) };
    case 8:
      return { type: "registeredId", value: oidFromBytes(value(n), n.start) };
    default:
      throw new PkiError("malformed", t("GeneralName: unknown tag [{0}]", n.num));
  }
}

/** GeneralNames (a SEQUENCE OF GeneralName), each checked into `f` as `where[i]`. */
export function generalNames(nodes: Node[], f?: Findings, where = "generalNames", inConstraint = false): GeneralName[] {
  return nodes.map((g, i) => generalName(g, f, `${where}[${i}]`, inConstraint));
}

const LABELS: Record<string, string> = {
  dns: "DNS",
  ip: "IP",
  email: "email",
  uri: "URI",
  dirName: "DirName",
  otherName: "othername",
  registeredId: "RID",
  x400: "X400",
  ediParty: "EdiParty",
};
export function generalNameText(g: GeneralName): string {
  return `${LABELS[g.type] ?? g.type}:${g.value}`;
}
