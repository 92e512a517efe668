/**
 * Distinguished names (RFC 4514 text) and GeneralNames (SAN, IAN, name constraints, CRL DPs…).
 */
import type { DistinguishedName, GeneralName, NameAttribute } from "../../shared/model";
import { NAME_ATTRS, OTHER_NAMES } from "./oids";
import { CLS_CONTEXT, type Node, child, children, expect, hex, isStringTag, oid, oidFromBytes, parse, raw, str, T, value } from "./der";
import { PkiError } from "./errors";

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

/** Decodes a Name node (SEQUENCE OF RDN). */
export function nameFromNode(n: Node): DistinguishedName {
  expect(n, T.SEQUENCE, "Name");
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  for (const rdn of children(n)) {
    expect(rdn, T.SET, "RelativeDistinguishedName");
    const parts: string[] = [];
    for (const atv of children(rdn)) {
      const tv = children(expect(atv, T.SEQUENCE, "AttributeTypeAndValue"));
      const typeOid = oid(tv[0], "attribute type");
      const v = tv[1];
      if (!v) throw new PkiError("malformed", `malformed structure: attribute ${typeOid} has no value`);
      const type = NAME_ATTRS[typeOid] ?? typeOid;
      if (isStringTag(v)) {
        const s = str(v);
        attributes.push({ type, oid: typeOid, value: s });
        parts.push(`${type}=${escapeValue(s)}`);
      } else {
        const h = "#" + hex(raw(v));
        attributes.push({ type, oid: typeOid, value: h });
        parts.push(`${type}=${h}`);
      }
    }
    rdnTexts.push(parts.join("+"));
  }
  return { text: rdnTexts.reverse().join(","), attributes };
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

/** One GeneralName (context-tagged, implicit except directoryName). */
export function generalName(n: Node): GeneralName {
  if (n.cls !== CLS_CONTEXT) throw new PkiError("malformed", `GeneralName: unexpected tag at byte ${n.start}`);
  switch (n.num) {
    case 0: {
      const typeOid = oid(child(n, 0), "otherName type");
      const typeName = OTHER_NAMES[typeOid] ?? typeOid;
      let v = "";
      try {
        const wrapped = child(n, 1); // [0] EXPLICIT
        const inner = child(wrapped, 0);
        if (isStringTag(inner)) v = str(inner);
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
      return { type: "dirName", value: nameFromNode(child(n, 0)).text };
    case 5:
      return { type: "ediParty", value: "#" + hex(value(n)) };
    case 6:
      return { type: "uri", value: str(n) };
    case 7:
      return { type: "ip", value: ipText(value(n)) };
    case 8:
      return { type: "registeredId", value: oidFromBytes(value(n), n.start) };
    default:
      throw new PkiError("malformed", `GeneralName: unknown tag [${n.num}]`);
  }
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
