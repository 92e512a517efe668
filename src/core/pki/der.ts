/**
 * A small, strict, allocation-light DER/BER reader: the fast path under every decoder in src/core/pki.
 * It checks every length against its parent (no over-long lengths), bounds nesting depth, accepts BER
 * indefinite lengths and constructed strings (Windows/Java PKCS#7 and PKCS#12 use them), and throws
 * PkiError("malformed") with the byte offset on anything it cannot read.
 *
 * Strict mode (`parse(b, …, true)`, used by the chain validator in src/core/chain, which must see exactly what
 * is encoded): X.690 §10 DER only — definite, minimal lengths, low tag numbers (certificates use no others),
 * primitive scalars and constructed SEQUENCE/SET, BOOLEAN 00/FF, minimal OID arcs, RFC 5280 §4.1.2.5 times.
 * A strict node's children are read strictly too. The lenient default is unchanged by it.
 */
import { PkiError } from "./errors";
import { nodeAllowance, spendNodes, tooManyNodes } from "../budget";
import { t } from "../l10n";

/** Universal tag numbers used in this module. */
export const T = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC: 18,
  PRINTABLE: 19,
  T61: 20,
  VIDEOTEX: 21,
  IA5: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  GRAPHIC: 25,
  VISIBLE: 26,
  GENERAL: 27,
  UNIVERSAL: 28,
  BMP: 30,
} as const;

export const CLS_UNIVERSAL = 0;
export const CLS_APPLICATION = 1;
export const CLS_CONTEXT = 2;
export const CLS_PRIVATE = 3;

/** Deepest nesting accepted; real PKI objects stay well under 20. */
export const MAX_DEPTH = 48;

/** One TLV. Offsets index into `b`. */
export interface Node {
  b: Uint8Array;
  /** 0 universal, 1 application, 2 context, 3 private. */
  cls: number;
  cons: boolean;
  /** Tag number (class-relative). */
  num: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  vs: number;
  /** Offset after the last content octet (before the end-of-contents marker when indefinite). */
  ve: number;
  /** Offset after the whole TLV. */
  end: number;
  depth: number;
  /** Read in strict DER mode (see the module comment); its children are read the same way. */
  der: boolean;
}

function fail(msg: string, off: number): never {
  throw new PkiError("malformed", t("malformed ASN.1 at byte {0}: {1}", off, msg));
}

/** Structure-level "an element is missing" (a SEQUENCE shorter than its definition). */
function need(n: Node | undefined, what: string): Node {
  if (!n) throw new PkiError("malformed", t("malformed structure: {0} is missing", what));
  return n;
}

/** Reads the TLV at `off`, which must end by `limit`; `der` selects strict DER (see the module comment). */
export function readNode(b: Uint8Array, off: number, limit: number = b.length, depth = 0, der = false): Node {
  if (depth > MAX_DEPTH) fail(t("nesting deeper than {0}", MAX_DEPTH), off);
  if (off >= limit) fail(t("unexpected end of data"), off);
  const id = b[off];
  const cls = id >> 6;
  const cons = (id & 0x20) !== 0;
  let num = id & 0x1f;
  let p = off + 1;
  if (num === 0x1f) {
    if (der) fail(t("high tag numbers are not used in certificates"), off);
    num = 0;
    for (let i = 0; ; i++) {
      if (p >= limit) fail(t("truncated tag"), off);
      if (i > 3) fail(t("tag number too large"), off);
      const c = b[p++];
      num = num * 128 + (c & 0x7f);
      if (!(c & 0x80)) break;
    }
  }
  if (p >= limit) fail(t("truncated length"), off);
  let len = b[p++];
  if (len === 0x80) {
    if (der) fail(t("indefinite length is not DER"), off);
    if (!cons) fail(t("indefinite length on a primitive value"), off);
    // BER indefinite length: walk the children to the end-of-contents octets.
    const vs = p;
    let q = p;
    for (;;) {
      if (q + 2 > limit) fail(t("indefinite length without end-of-contents"), off);
      if (b[q] === 0 && b[q + 1] === 0) break;
      q = readNode(b, q, limit, depth + 1).end;
    }
    return { b, cls, cons, num, start: off, vs, ve: q, end: q + 2, depth, der };
  }
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) fail(t("length of {0} octets is too long", n), off);
    if (p + n > limit) fail(t("truncated length"), off);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++];
    if (der && (b[p - n] === 0 || len < 0x80)) fail(t("non-minimal length is not DER"), off);
  }
  const end = p + len;
  if (end > limit) fail(t("length {0} runs past the end of its container ({1} bytes left)", len, limit - p), off);
  return { b, cls, cons, num, start: off, vs: p, ve: end, end, depth, der };
}

/** Parses a complete DER/BER value; trailing bytes are an error unless `allowTrailing`; `der` = strict DER. */
export function parse(b: Uint8Array, allowTrailing = false, der = false): Node {
  const n = readNode(b, 0, b.length, 0, der);
  if (!allowTrailing && n.end !== b.length) fail(t("{0} trailing bytes after the value", b.length - n.end), n.end);
  return n;
}

/** parse() that returns undefined instead of throwing on malformed input (for format sniffing). */
export function tryParse(b: Uint8Array, allowTrailing = false, der = false): Node | undefined {
  try {
    return parse(b, allowTrailing, der);
  } catch (err) {
    if (err instanceof PkiError) return undefined;
    throw err;
  }
}

/** The children of a SEQUENCE, or undefined when `n` is not one or its contents do not parse (for sniffing). */
export function sequenceChildren(n: Node): Node[] | undefined {
  if (!isUniversal(n, T.SEQUENCE)) return undefined;
  try {
    return children(n);
  } catch (err) {
    if (err instanceof PkiError && err.code === "too_large") throw err;
    return undefined;
  }
}

export function children(n: Node | undefined, what = "value"): Node[] {
  n = need(n, what);
  if (!n.cons) fail(t("expected a constructed value"), n.start);
  const out: Node[] = [];
  // Bounded by the operation's budget (../budget.ts): 5 million NULLs in one SEQUENCE must not take 2 GB.
  const cap = nodeAllowance();
  let p = n.vs;
  while (p < n.ve) {
    if (out.length >= cap) throw tooManyNodes(n.start);
    const c = readNode(n.b, p, n.ve, n.depth + 1, n.der);
    out.push(c);
    p = c.end;
  }
  spendNodes(out.length);
  return out;
}

/** The first child, or (by index) the i-th. */
export function child(n: Node | undefined, i = 0, what = "value"): Node {
  n = need(n, what);
  if (!n.cons) fail(t("expected a constructed value"), n.start);
  let p = n.vs;
  for (let k = 0; p < n.ve; k++) {
    const c = readNode(n.b, p, n.ve, n.depth + 1, n.der);
    if (k === i) return c;
    p = c.end;
  }
  fail(t("missing element {0}", i + 1), n.start);
}

export function isUniversal(n: Node | undefined, num: number): boolean {
  return !!n && n.cls === CLS_UNIVERSAL && n.num === num;
}
/** The identifier octet (class, constructed bit, tag number) of a low-tag-number node, e.g. 0x30, 0xa0; -1 when absent. */
export function tagOf(n: Node | undefined): number {
  return n ? n.b[n.start] : -1;
}

const TAG_NAMES: Record<number, string> = {
  1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL", 6: "OBJECT IDENTIFIER",
  10: "ENUMERATED", 16: "SEQUENCE", 17: "SET", 23: "UTCTime", 24: "GeneralizedTime",
};
function describe(n: Node): string {
  if (n.cls === CLS_UNIVERSAL) return TAG_NAMES[n.num] ?? `universal tag ${n.num}`;
  return `[${n.num}]`;
}

export function expect(n: Node | undefined, num: number, what: string): Node {
  n = need(n, what);
  if (n.cls !== CLS_UNIVERSAL || n.num !== num) fail(t("{0}: expected {1}, found {2}", what, TAG_NAMES[num] ?? num, describe(n)), n.start);
  // DER (X.690 §10.2): SEQUENCE and SET are constructed, every other universal type here is primitive.
  if (n.der && n.cons !== (num === T.SEQUENCE || num === T.SET)) fail(t("{0}: {1} has the wrong constructed bit for DER", what, describe(n)), n.start);
  return n;
}
export function seq(n: Node | undefined, what: string): Node[] {
  return children(expect(n, T.SEQUENCE, what));
}

/** The content octets exactly as encoded (a view; no reassembly of constructed BER strings). */
export function content(n: Node | undefined): Uint8Array {
  n = need(n, "value");
  return n.b.subarray(n.vs, n.ve);
}
/** The raw DER bytes of the whole TLV (a view, not a copy). */
export function raw(n: Node | undefined): Uint8Array {
  n = need(n, "value");
  return n.b.subarray(n.start, n.end);
}
/** The content octets (a view). For constructed (BER) strings, the concatenated segments (a copy). */
export function value(n: Node | undefined): Uint8Array {
  n = need(n, "value");
  if (n.cons && n.cls === CLS_UNIVERSAL && (n.num === T.OCTET_STRING || n.num === T.BIT_STRING)) {
    const parts: Uint8Array[] = [];
    for (const c of children(n)) parts.push(value(c));
    return concat(parts);
  }
  return n.b.subarray(n.vs, n.ve);
}

/** OCTET STRING content (primitive or constructed). */
export function octets(n: Node | undefined, what = "OCTET STRING"): Uint8Array {
  n = expect(n, T.OCTET_STRING, what);
  return value(n);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, "0"));

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hex(b: Uint8Array, sep = ""): string {
  if (!sep && b.length > 16) return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
  let s = "";
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : "") + HEX[b[i]];
  return s;
}

const oidCache = new Map<string, string>();
export function oid(n: Node | undefined, what = "OBJECT IDENTIFIER"): string {
  n = expect(n, T.OID, what);
  return oidFromBytes(n.b.subarray(n.vs, n.ve), n.start, n.der);
}
/** `der`: also reject arcs with a leading 0x80 octet (X.690 §8.19.2: subidentifiers are minimal). */
export function oidFromBytes(v: Uint8Array, at = 0, der = false): string {
  if (v.length === 0) fail(t("empty OBJECT IDENTIFIER"), at);
  if (v.length > 64) fail(t("OBJECT IDENTIFIER too long"), at);
  if (der) for (let i = 0; i < v.length; i++) if (v[i] === 0x80 && (i === 0 || !(v[i - 1] & 0x80))) fail(t("non-minimal OBJECT IDENTIFIER arc"), at);
  const key = String.fromCharCode.apply(null, v as unknown as number[]);
  const hit = oidCache.get(key);
  if (hit) return hit;
  const arcs: string[] = [];
  let acc = 0n;
  let small = 0;
  let big = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (!big && small > 0x3ffffff) {
      big = true;
      acc = BigInt(small);
    }
    if (big) acc = acc * 128n + BigInt(c & 0x7f);
    else small = small * 128 + (c & 0x7f);
    if (!(c & 0x80)) {
      const val = big ? acc : BigInt(small);
      if (arcs.length === 0) {
        const first = val < 40n ? 0n : val < 80n ? 1n : 2n;
        arcs.push(String(first), String(val - first * 40n));
      } else arcs.push(String(val));
      small = 0;
      acc = 0n;
      big = false;
    } else if (i === v.length - 1) fail(t("truncated OBJECT IDENTIFIER"), at);
  }
  const s = arcs.join(".");
  if (oidCache.size < 4096) oidCache.set(key, s);
  return s;
}

/** INTEGER as lowercase hex with leading 00 bytes stripped ("00" for zero). */
export function intHex(n: Node | undefined, what = "INTEGER"): string {
  n = expect(n, T.INTEGER, what);
  const v = n.b.subarray(n.vs, n.ve);
  if (v.length === 0) fail(t("{0}: empty INTEGER", what), n.start);
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return hex(v.subarray(i));
}

/** Small non-negative INTEGER or ENUMERATED as a number. */
export function intNum(n: Node | undefined, what = "INTEGER"): number {
  n = need(n, what);
  if (n.cls !== CLS_UNIVERSAL || (n.num !== T.INTEGER && n.num !== T.ENUMERATED)) fail(t("{0}: expected INTEGER", what), n.start);
  const v = n.b.subarray(n.vs, n.ve);
  if (v.length === 0) fail(t("{0}: empty INTEGER", what), n.start);
  if (v.length > 6) return Number(intBig(n));
  let x = 0;
  for (const c of v) x = x * 256 + c;
  if (v[0] & 0x80) x -= 2 ** (8 * v.length);
  return x;
}

/** INTEGER as a bigint (for CRL numbers and the like). */
export function intBig(n: Node | undefined): bigint {
  n = need(n, "INTEGER");
  const v = n.b.subarray(n.vs, n.ve);
  if (v.length === 0) return 0n;
  let x = BigInt("0x" + hex(v));
  if (v[0] & 0x80) x -= 1n << BigInt(8 * v.length);
  return x;
}

/**
 * A non-negative count (version, pathLenConstraint, SkipCerts, saltLength) from INTEGER content octets, under
 * any tag (implicit tagging: the caller checks the tag). Strict: minimal encoding, not negative; values above
 * 2^48 come back as Number.MAX_SAFE_INTEGER.
 */
export function count(n: Node | undefined, what = "INTEGER"): number {
  n = need(n, what);
  const v = n.b.subarray(n.vs, n.ve);
  if (v.length === 0) fail(t("{0}: empty INTEGER", what), n.start);
  if (v.length > 1 && ((v[0] === 0 && !(v[1] & 0x80)) || (v[0] === 0xff && v[1] & 0x80))) fail(t("{0}: non-minimal INTEGER", what), n.start);
  if (v[0] & 0x80) fail(t("{0}: negative INTEGER where a count is expected", what), n.start);
  if (v.length > 6) return Number.MAX_SAFE_INTEGER;
  let x = 0;
  for (const c of v) x = x * 256 + c;
  return x;
}

/** Bit length of an unsigned big-endian integer (INTEGER content may carry a leading 00). */
export function bitLength(v: Uint8Array): number {
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  if (i === v.length) return 0;
  return (v.length - i - 1) * 8 + (32 - Math.clz32(v[i]));
}

export function bool(n: Node | undefined): boolean {
  n = expect(n, T.BOOLEAN, "BOOLEAN");
  if (n.ve - n.vs !== 1) fail(t("BOOLEAN must be one octet"), n.start);
  if (n.der && n.b[n.vs] !== 0 && n.b[n.vs] !== 0xff) fail(t("BOOLEAN must be 00 or FF in DER"), n.start);
  return n.b[n.vs] !== 0;
}

/** BIT STRING: content bytes without the unused-bits octet, plus that count. */
export function bitString(n: Node | undefined, what = "BIT STRING"): { bytes: Uint8Array; unused: number } {
  n = expect(n, T.BIT_STRING, what);
  const v = value(n);
  if (v.length === 0) fail(t("{0}: empty BIT STRING", what), n.start);
  const unused = v[0];
  if (unused > 7) fail(t("{0}: {1} unused bits", what, unused), n.start);
  if (n.der && v.length === 1 && unused !== 0) fail(t("{0}: unused bits in an empty BIT STRING", what), n.start);
  return { bytes: v.subarray(1), unused };
}

/** Named bits set in a BIT STRING, bit 0 first. */
export function bitNames(n: Node | undefined, names: readonly string[]): string[] {
  const { bytes, unused } = bitString(n);
  const out: string[] = [];
  const total = bytes.length * 8 - unused;
  for (let i = 0; i < total; i++) {
    if (bytes[i >> 3] & (0x80 >> (i & 7))) out.push(names[i] ?? `bit${i}`);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** Any ASN.1 character string as text. */
export function str(n: Node | undefined): string {
  n = need(n, "string");
  const v = value(n);
  if (n.cls !== CLS_UNIVERSAL) return latin1(v);
  switch (n.num) {
    case T.UTF8:
      try {
        return utf8Strict.decode(v);
      } catch {
        return utf8.decode(v);
      }
    case T.BMP: {
      let s = "";
      for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i] << 8) | v[i + 1]);
      return s;
    }
    case T.UNIVERSAL: {
      let s = "";
      for (let i = 0; i + 3 < v.length; i += 4) {
        const cp = ((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      return s;
    }
    default:
      return latin1(v);
  }
}

export function isStringTag(n: Node | undefined): boolean {
  return !!n && n.cls === CLS_UNIVERSAL && [12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30].includes(n.num);
}

export function latin1(v: Uint8Array): string {
  if (v.length <= 1024) return String.fromCharCode.apply(null, v as unknown as number[]);
  return Buffer.from(v.buffer, v.byteOffset, v.length).toString("latin1");
}

function d2(b: Uint8Array, i: number, at: number): number {
  const a = b[i] - 48;
  const c = b[i + 1] - 48;
  if (a < 0 || a > 9 || c < 0 || c > 9) fail(t("bad digit in time"), at);
  return a * 10 + c;
}

/**
 * UTCTime / GeneralizedTime as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" (years 0000–9999 exactly; a fraction of a second,
 * which RFC 5280 forbids, is kept as written: "…:SS.5Z").
 */
export function time(n: Node | undefined, what = "time"): string {
  n = need(n, what);
  if (n.cls !== CLS_UNIVERSAL || (n.num !== T.UTC_TIME && n.num !== T.GENERALIZED_TIME))
    fail(t("{0}: expected UTCTime or GeneralizedTime, found {1}", what, describe(n)), n.start);
  const v = n.b.subarray(n.vs, n.ve);
  if (n.der) {
    // RFC 5280 §4.1.2.5: YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ exactly (seconds present, no fraction, Zulu).
    const utc = n.num === T.UTC_TIME;
    const len = utc ? 13 : 15;
    if (n.cons || v.length !== len || v[len - 1] !== 0x5a) fail(t("{0}: {1} '{2}' is not {3}", what, utc ? "UTCTime" : "GeneralizedTime", latin1(v), utc ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"), n.start);
    if (d2(v, len - 7, n.start) > 23 || d2(v, len - 3, n.start) > 59) fail(t("{0}: out-of-range time", what), n.start);
  }
  let i = 0;
  let year: number;
  if (n.num === T.UTC_TIME) {
    if (v.length < 11) fail(t("{0}: UTCTime too short", what), n.start);
    const yy = d2(v, 0, n.start);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    i = 2;
  } else {
    if (v.length < 13) fail(t("{0}: GeneralizedTime too short", what), n.start);
    year = d2(v, 0, n.start) * 100 + d2(v, 2, n.start);
    i = 4;
  }
  const mon = d2(v, i, n.start);
  const day = d2(v, i + 2, n.start);
  const hh = d2(v, i + 4, n.start);
  const mm = d2(v, i + 6, n.start);
  i += 8;
  let ss = 0;
  if (i + 1 < v.length && v[i] >= 48 && v[i] <= 57) {
    ss = d2(v, i, n.start);
    i += 2;
  }
  // A fraction (not allowed by RFC 5280, flagged by findings.ts) is kept in the text, not dropped.
  let frac = "";
  if (v[i] === 0x2e || v[i] === 0x2c) {
    const f0 = ++i;
    while (i < v.length && v[i] >= 48 && v[i] <= 57) i++;
    if (i > f0) frac = "." + latin1(v.subarray(f0, i));
  }
  let offsetMin = 0;
  if (v[i] === 0x5a /* Z */) i++;
  else if (v[i] === 0x2b || v[i] === 0x2d) {
    if (i + 5 > v.length) fail(t("{0}: bad time zone", what), n.start);
    const sign = v[i] === 0x2b ? 1 : -1;
    offsetMin = sign * (d2(v, i + 1, n.start) * 60 + d2(v, i + 3, n.start));
    i += 5;
  } else fail(t("{0}: missing time zone", what), n.start);
  if (i !== v.length) fail(t("{0}: trailing characters in time", what), n.start);
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 24 || mm > 59 || ss > 60) fail(t("{0}: out-of-range time", what), n.start);
  if (offsetMin === 0 && hh < 24 && ss < 60 && day <= 28 && year >= 1000) {
    // Fast path: already normal, no Date round trip.
    return `${year}-${pad2(mon)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${frac}Z`;
  }
  // Not Date.UTC: it maps years 0–99 to 1900–1999 (a notBefore in year 0001 would read 1901).
  const at = new Date(0);
  at.setUTCFullYear(year, mon - 1, day);
  at.setUTCHours(hh, mm, ss, 0);
  const ms = at.getTime() - offsetMin * 60000;
  if (Number.isNaN(ms)) fail(t("{0}: invalid time", what), n.start);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) fail(t("{0}: invalid time", what), n.start);
  if (offsetMin === 0 && d.getUTCDate() !== day && hh < 24) fail(t("{0}: day {1} does not exist in {2}-{3}", what, day, year, pad2(mon)), n.start);
  const iso = d.toISOString();
  return iso.slice(0, iso.length - 5) + frac + "Z";
}

function pad2(x: number): string {
  return x < 10 ? "0" + x : String(x);
}
