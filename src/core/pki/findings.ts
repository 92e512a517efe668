/**
 * Encoding findings (docs/cli.md "inspect: encoding findings"): what is wrong with how an object is
 * encoded, said in plain words next to the value that is still shown. The decoders stay lenient (they read what
 * OpenSSL reads); this module looks at the same nodes the one DER reader (./der.ts) produced and names every
 * X.690 DER rule (§10, §11) and RFC 5280 encoding rule they break.
 *
 * - `checkNode` checks one TLV on its own: identifier and length octets, the constructed bit, and the content
 *   rules of its universal type (BOOLEAN, INTEGER, BIT STRING, NULL, OID, times, character strings, SET OF order).
 * - `checkTree` does that for a node and everything under it (each node once, bounded by the bytes).
 * - `Findings` collects them (deduplicated, capped): decoders hand it down with the field path they are at.
 */
import type { EncodingFinding, EncodingFindingCode } from "../../shared/model";
import { type Node, CLS_UNIVERSAL, T, content, hex, intBig, isStringTag, readNode, str } from "./der";
import { t } from "../l10n";

/** Most findings kept per object: a hostile file cannot make the list (or the Problems panel) unbounded. */
export const MAX_FINDINGS = 100;

export class Findings {
  readonly list: EncodingFinding[] = [];
  private readonly seen = new Set<string>();
  /** Findings dropped past MAX_FINDINGS. */
  dropped = 0;
  /** Nodes already checked (by buffer and absolute offset): a field checked by name is not checked again under a coarser path. */
  private readonly checked = new WeakMap<ArrayBufferLike, Set<number>>();

  /** True the first time `n` is seen. */
  claim(n: Node): boolean {
    let set = this.checked.get(n.b.buffer);
    if (!set) this.checked.set(n.b.buffer, (set = new Set()));
    const at = n.b.byteOffset + n.start;
    if (set.has(at)) return false;
    set.add(at);
    return true;
  }

  add(severity: EncodingFinding["severity"], code: EncodingFindingCode, where: string, message: string): void {
    const key = `${code}\u0000${where}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.list.length >= MAX_FINDINGS) {
      this.dropped++;
      return;
    }
    this.list.push({ severity, code, message, where });
  }
  error(code: EncodingFindingCode, where: string, message: string): void {
    this.add("error", code, where, message);
  }
  warn(code: EncodingFindingCode, where: string, message: string): void {
    this.add("warning", code, where, message);
  }
  /**
   * The list for a model, in the order of the fields (`order`: field-path prefixes, e.g. the TBSCertificate's
   * fields in their DER order; anything else last, in the order found); the overflow said in one last finding.
   */
  result(order: readonly string[] = []): EncodingFinding[] {
    const rank = (w: string) => {
      const i = order.findIndex((p) => w === p || w.startsWith(p + ".") || w.startsWith(p + "["));
      return i < 0 ? order.length : i;
    };
    const list = order.length ? this.list.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f.where) - rank(b.f.where) || a.i - b.i).map((x) => x.f) : this.list;
    if (!this.dropped) return list;
    return [...list, { severity: "warning", code: "too_many_findings", message: t("{0} more findings are not listed", this.dropped), where: "" }];
  }
}

const UNIVERSAL_NAMES: Record<number, string> = {
  1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL", 6: "OBJECT IDENTIFIER", 10: "ENUMERATED",
  12: "UTF8String", 16: "SEQUENCE", 17: "SET", 18: "NumericString", 19: "PrintableString", 20: "TeletexString",
  21: "VideotexString", 22: "IA5String", 23: "UTCTime", 24: "GeneralizedTime", 25: "GraphicString", 26: "VisibleString",
  27: "GeneralString", 28: "UniversalString", 30: "BMPString",
};

/** "INTEGER", "UTF8String", "[0]", "[APPLICATION 3]" … */
export function tagName(n: Node): string {
  if (n.cls === CLS_UNIVERSAL) return UNIVERSAL_NAMES[n.num] ?? `universal tag ${n.num}`;
  return n.cls === 2 ? `[${n.num}]` : `[${n.cls === 1 ? "APPLICATION" : "PRIVATE"} ${n.num}]`;
}

/** "an INTEGER", "a UTF8String", "a [0]". */
export function aTag(n: Node): string {
  const t = tagName(n);
  return (/^[AEIOU]/.test(t) ? "an " : "a ") + t;
}

/** X.690 §8.3.2 / §10: an INTEGER's first nine bits are never all 0 or all 1. */
export function isNonMinimalInteger(v: Uint8Array): boolean {
  return v.length > 1 && ((v[0] === 0 && !(v[1] & 0x80)) || (v[0] === 0xff && (v[1] & 0x80) !== 0));
}

/** The identifier and length octets (X.690 §10.1 definite minimal lengths, §8.1.2.4 low tag numbers). */
function checkHeader(n: Node, where: string, f: Findings): void {
  const b = n.b;
  let p = n.start + 1;
  if ((b[n.start] & 0x1f) === 0x1f) {
    if (b[p] === 0x80) f.error("non_der", where, t("the tag number of {0} has a leading zero octet (X.690 §8.1.2.4.2)", tagName(n)));
    if (n.num < 31) f.error("non_der", where, t("tag number {0} is written in the long form; numbers below 31 take one octet (X.690 §8.1.2.4)", n.num));
    while (p < n.vs && b[p] & 0x80) p++;
    p++;
  }
  if (n.ve !== n.end) {
    f.error("non_der", where, t("{0} uses an indefinite length; DER requires a definite length (X.690 §10.1)", tagName(n)));
    return;
  }
  const first = b[p];
  if (first & 0x80) {
    const len = n.ve - n.vs;
    if (b[p + 1] === 0 || len < 0x80)
      f.error("non_der", where, t("the length of {0} ({1}) is written in {2} octets; DER uses the fewest (X.690 §10.1)", tagName(n), len, (first & 0x7f) + 1));
  }
}

/** PrintableString's characters (X.680 §41.4), as a lookup table by byte. */
const PRINTABLE = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?") PRINTABLE[c.charCodeAt(0)] = 1;
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** Why the content octets are not valid for the string type, or undefined when they are. */
export function stringProblem(num: number, v: Uint8Array): string | undefined {
  switch (num) {
    case T.UTF8:
      try {
        utf8Strict.decode(v);
        return undefined;
      } catch {
        return t("is not valid UTF-8");
      }
    case T.PRINTABLE: {
      for (const c of v) if (c > 0x7e || !PRINTABLE[c]) return t("holds {0}, which PrintableString does not allow", charWord(c));
      return undefined;
    }
    case T.IA5:
      for (const c of v) if (c > 0x7f) return t("holds the byte {0}, which is not ASCII (IA5String is 7-bit)", hex(Uint8Array.of(c)));
      return undefined;
    case T.NUMERIC:
      for (const c of v) if (c !== 0x20 && (c < 0x30 || c > 0x39)) return t("holds {0}, which NumericString does not allow (digits and space only)", charWord(c));
      return undefined;
    case T.VISIBLE:
      for (const c of v) if (c < 0x20 || c > 0x7e) return t("holds {0}, which VisibleString does not allow", charWord(c));
      return undefined;
    case T.BMP: {
      if (v.length % 2) return t("has {0} octets; BMPString is 2 octets per character", v.length);
      for (let i = 0; i < v.length; i += 2) if (v[i] >= 0xd8 && v[i] <= 0xdf) return t("holds a UTF-16 surrogate, which BMPString does not allow");
      return undefined;
    }
    case T.UNIVERSAL: {
      if (v.length % 4) return t("has {0} octets; UniversalString is 4 octets per character", v.length);
      for (let i = 0; i < v.length; i += 4) {
        const cp = ((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return t("holds U+{0}, which is not a Unicode character", cp.toString(16).toUpperCase());
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function charWord(c: number): string {
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : t("the byte {0}", hex(Uint8Array.of(c)));
}

/** X.690 §11.7 / §11.8 and RFC 5280 §4.1.2.5: the text of a time, checked; `undefined` when fine. */
export function checkTimeText(n: Node, where: string, f: Findings): void {
  // The time's own characters are quoted in messages: anything but printable ASCII as \xNN.
  const s = String.fromCharCode(...n.b.subarray(n.vs, Math.min(n.ve, n.vs + 40))).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  const utc = n.num === T.UTC_TIME;
  const kind = utc ? "UTCTime" : "GeneralizedTime";
  const m = (utc ? /^(\d{10})(\d{2})?([.,]\d*)?(Z|[+-]\d{4})?$/ : /^(\d{12})(\d{2})?([.,]\d*)?(Z|[+-]\d{4})?$/).exec(s);
  if (!m) {
    f.error("time_format", where, t("{0} '{1}' is not a time in the form {2}", kind, s, utc ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"));
    return;
  }
  if (m[2] === undefined) f.error("time_format", where, t("{0} '{1}' has no seconds; DER and RFC 5280 require them", kind, s));
  if (m[3] !== undefined) {
    if (utc) f.error("time_format", where, t("UTCTime '{0}' has a fraction of a second, which UTCTime does not allow", s));
    else f.error("fractional_seconds", where, t("GeneralizedTime '{0}' has fractional seconds; RFC 5280 §4.1.2.5.2 forbids them", s));
    if (!utc && (m[3].startsWith(",") || m[3].endsWith("0") || m[3].length === 1))
      f.error("non_der", where, t("the fraction in '{0}' is not in DER form (a '.' and no trailing zeros, X.690 §11.7)", s));
  }
  if (m[4] === undefined) f.error("time_format", where, t("{0} '{1}' has no time zone; RFC 5280 requires 'Z' (UTC)", kind, s));
  else if (m[4] !== "Z") f.error("time_format", where, t("{0} '{1}' has a time-zone offset; DER and RFC 5280 require 'Z' (UTC)", kind, s));
}

/** DER SET OF: elements in ascending order of their encodings (X.690 §11.6). */
function checkSetOrder(kids: Node[], where: string, f: Findings): void {
  for (let i = 1; i < kids.length; i++) {
    const a = kids[i - 1].b.subarray(kids[i - 1].start, kids[i - 1].end);
    const b = kids[i].b.subarray(kids[i].start, kids[i].end);
    if (compareBytes(a, b) > 0) {
      f.warn("non_der", where, t("the elements of a SET OF are not in DER order (sorted by their encodings, X.690 §11.6)"));
      return;
    }
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The content rules of one universal primitive (X.690 §8, §10, §11). */
function checkContent(n: Node, where: string, f: Findings): void {
  const v = n.b.subarray(n.vs, n.ve);
  const name = tagName(n);
  switch (n.num) {
    case T.BOOLEAN:
      if (v.length !== 1) f.error("non_der", where, t("BOOLEAN has {0} content octets instead of one", v.length));
      else if (v[0] !== 0 && v[0] !== 0xff) f.error("non_der", where, t("BOOLEAN TRUE is written as {0}; DER requires FF (X.690 §11.1)", hex(v)));
      return;
    case T.INTEGER:
    case T.ENUMERATED:
      if (v.length === 0) f.error("non_der", where, t("{0} has no content octets", name));
      else if (isNonMinimalInteger(v)) f.error("non_minimal_integer", where, t("{0} is not minimally encoded: its leading {1} octet carries no value (X.690 §8.3.2)", name, hex(v.subarray(0, 1))));
      return;
    case T.BIT_STRING: {
      if (v.length === 0) f.error("non_der", where, t("BIT STRING has no content octets (not even the unused-bits count)"));
      else if (v[0] > 7) f.error("non_der", where, t("BIT STRING says {0} unused bits (at most 7)", v[0]));
      else if (v.length === 1 && v[0] !== 0) f.error("non_der", where, t("an empty BIT STRING says it has unused bits"));
      else if (v[0] && v[v.length - 1] & ((1 << v[0]) - 1)) f.error("non_der", where, t("the unused bits of a BIT STRING are not zero (X.690 §11.2.1)"));
      return;
    }
    case T.NULL:
      if (v.length) f.error("non_der", where, t("NULL has {0} content octets", v.length));
      return;
    case T.OID:
      if (v.length === 0) f.error("non_der", where, t("empty OBJECT IDENTIFIER"));
      else if (v[v.length - 1] & 0x80) f.error("non_der", where, t("OBJECT IDENTIFIER ends in the middle of an arc"));
      else for (let i = 0; i < v.length; i++) if (v[i] === 0x80 && (i === 0 || !(v[i - 1] & 0x80))) {
        f.error("non_der", where, t("an arc of the OBJECT IDENTIFIER has a leading 80 octet (X.690 §8.19.2: minimal)"));
        break;
      }
      return;
    case T.UTC_TIME:
    case T.GENERALIZED_TIME:
      checkTimeText(n, where, f);
      return;
    default: {
      const why = stringProblem(n.num, v);
      if (why) f.error("invalid_string", where, t("{0} {1}", name, why));
    }
  }
}

/** One TLV on its own (its children are not read). */
export function checkNode(n: Node, where: string, f: Findings): void {
  if (!f.claim(n)) return;
  checkHeader(n, where, f);
  if (n.cls !== CLS_UNIVERSAL) return;
  const shouldBeCons = n.num === T.SEQUENCE || n.num === T.SET;
  if (n.cons && !shouldBeCons) {
    if (n.num === T.OCTET_STRING || n.num === T.BIT_STRING || UNIVERSAL_NAMES[n.num]?.endsWith("String"))
      f.error("non_der", where, t("{0} uses the constructed (segmented) form; DER requires the primitive form (X.690 §10.2)", tagName(n)));
    else f.error("non_der", where, t("{0} has the constructed bit set", tagName(n)));
    return;
  }
  if (!n.cons && shouldBeCons) {
    f.error("non_der", where, t("{0} has the constructed bit clear", tagName(n)));
    return;
  }
  if (!n.cons) checkContent(n, where, f);
}

/** The children of a constructed node, as far as they can be read (the decoder reports what cannot). */
export function readableChildren(n: Node): Node[] {
  const out: Node[] = [];
  if (!n.cons) return out;
  let p = n.vs;
  try {
    while (p < n.ve) {
      const c = readNode(n.b, p, n.ve, n.depth + 1);
      out.push(c);
      p = c.end;
    }
  } catch {
    /* the decoder says what is wrong with the structure */
  }
  return out;
}

/**
 * `n` and every node under it. All findings carry `where` (the field path of `n`): below the field level the
 * bytes have no names the user would know. Bounded: each node is visited once and has at least two octets.
 */
export function checkTree(n: Node, where: string, f: Findings): void {
  const stack: Node[] = [n];
  while (stack.length) {
    const x = stack.pop() as Node;
    checkNode(x, where, f);
    if (!x.cons) continue;
    if (x.cls === CLS_UNIVERSAL && x.num !== T.SEQUENCE && x.num !== T.SET) continue;
    const kids = readableChildren(x);
    if (x.cls === CLS_UNIVERSAL && x.num === T.SET) checkSetOrder(kids, where, f);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** RFC 5280 §4.1.2.5: UTCTime for years through 2049, GeneralizedTime from 2050; `iso` is the decoded time. */
export function checkTimeType(n: Node, iso: string, where: string, f: Findings): void {
  const year = Number(iso.slice(0, 4));
  if (!Number.isFinite(year) || n.cls !== CLS_UNIVERSAL) return;
  if (n.num === T.GENERALIZED_TIME && year < 2050)
    f.error("time_type", where, t("{0} is written as a GeneralizedTime; RFC 5280 §4.1.2.5 requires UTCTime for dates through 2049", iso.slice(0, 10)));
  if (n.num === T.UTC_TIME && year >= 2050) f.error("time_type", where, t("a UTCTime cannot hold a date from 2050 on"));
}

/** RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; a negative one is shown with its sign. */
export function checkSerial(n: Node, where: string, f: Findings, model?: { serialNumberSigned?: string }): void {
  checkNode(n, where, f);
  const v = content(n);
  if (v.length === 0) return;
  if (v[0] & 0x80) {
    const signed = intBig(n);
    const mag = (-signed).toString(16);
    if (model) model.serialNumberSigned = "-" + (mag.length % 2 ? "0" + mag : mag);
    f.error("negative_serial", where, t("the serial number is negative (-{0} in hex); RFC 5280 §4.1.2.2 requires a positive integer", mag.length % 2 ? "0" + mag : mag));
  } else if (v.every((x) => x === 0)) f.warn("zero_serial", where, t("the serial number is 0; RFC 5280 §4.1.2.2 requires a positive integer"));
  if (v.length > 20)
    f.warn("long_serial", where, t("the serial number is {0} octets long; RFC 5280 §4.1.2.2 allows at most 20", v.length));
}

/**
 * Whether a character string has a text: single-byte types always do (a bad character is flagged, and shown
 * as the byte means); UTF-8, BMP and Universal strings whose octets are not valid characters have none.
 */
export function readableString(n: Node): boolean {
  if (!isStringTag(n)) return false;
  const multiByte = n.num === T.UTF8 || n.num === T.BMP || n.num === T.UNIVERSAL;
  return !multiByte || (!n.cons && !stringProblem(n.num, n.b.subarray(n.vs, n.ve)));
}

/** A character string's text, or its bytes ("#" + hex of its DER) when it has none (see readableString). */
export function textOrBytes(n: Node): string {
  return readableString(n) ? str(n) : bytesText(n);
}

/** A value the decoder could not read as what its field holds: shown as these bytes. */
export function bytesText(n: Node): string {
  return "#" + hex(n.b.subarray(n.start, n.end));
}
