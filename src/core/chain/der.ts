/**
 * A tiny strict DER reader for the parts of a certificate the validator needs (X.690 §8, §10).
 * The validator reads certificates itself rather than through a general ASN.1 library so that it sees
 * exactly what is encoded (duplicate extensions, negative serials, wrong string types) and stays fast.
 * Every read checks bounds; malformed input throws DerError, never reads past the buffer.
 */

export class DerError extends Error {}

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  tag: number;
  /** Offset of the identifier octet in `buf`. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
  buf: Uint8Array;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  TeletexString: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads one TLV at `pos`, which must end at or before `limit`. Definite, minimal lengths only (DER). */
export function readTlv(buf: Uint8Array, pos: number, limit = buf.length): Tlv {
  if (pos + 2 > limit) throw new DerError("truncated TLV");
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tags are not used in certificates");
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError("indefinite length is not DER");
    if (n > 4) throw new DerError("length too large");
    if (p + n > limit) throw new DerError("truncated length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    if (buf[p] === 0 || len < 0x80) throw new DerError("non-minimal length is not DER");
    p += n;
  }
  if (p + len > limit) throw new DerError("content runs past its container");
  return { tag, start: pos, contentStart: p, end: p + len, buf };
}

/** All TLVs directly inside a constructed TLV. */
export function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.contentStart;
  while (p < t.end) {
    const c = readTlv(t.buf, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`${what} is missing`);
  if (t.tag !== tag) throw new DerError(`${what} has tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return t;
}

export function content(t: Tlv): Uint8Array {
  return t.buf.subarray(t.contentStart, t.end);
}

export function whole(t: Tlv): Uint8Array {
  return t.buf.subarray(t.start, t.end);
}

export function parseOid(t: Tlv): string {
  const c = content(t);
  if (c.length === 0) throw new DerError("empty OID");
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < c.length; i++) {
    if (v === 0 && c[i] === 0x80) throw new DerError("non-minimal OID arc");
    v = v * 128 + (c[i] & 0x7f);
    if (!(c[i] & 0x80)) {
      parts.push(v);
      v = 0;
    } else if (i === c.length - 1) throw new DerError("truncated OID");
  }
  const first = parts[0];
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts.slice(1)].join(".");
}

export function parseBoolean(t: Tlv): boolean {
  const c = content(expect(t, TAG.BOOLEAN, "BOOLEAN"));
  if (c.length !== 1) throw new DerError("BOOLEAN must be one octet");
  if (c[0] !== 0 && c[0] !== 0xff) throw new DerError("BOOLEAN must be 00 or FF in DER");
  return c[0] === 0xff;
}

/** Small non-negative INTEGER as a JS number (pathLenConstraint, version). */
export function parseSmallInt(t: Tlv): number {
  const c = content(expect(t, TAG.INTEGER, "INTEGER"));
  if (c.length === 0) throw new DerError("empty INTEGER");
  if (c.length > 1 && ((c[0] === 0 && !(c[1] & 0x80)) || (c[0] === 0xff && c[1] & 0x80))) throw new DerError("non-minimal INTEGER");
  if (c[0] & 0x80) throw new DerError("negative INTEGER where a count is expected");
  if (c.length > 6) return Number.MAX_SAFE_INTEGER;
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** BIT STRING content: the unused-bits count and the bytes. */
export function parseBitString(t: Tlv): { unused: number; bytes: Uint8Array } {
  const c = content(expect(t, TAG.BIT_STRING, "BIT STRING"));
  if (c.length === 0) throw new DerError("empty BIT STRING");
  const unused = c[0];
  if (unused > 7 || (c.length === 1 && unused !== 0)) throw new DerError("bad BIT STRING padding");
  return { unused, bytes: c.subarray(1) };
}

function digits(s: string, from: number, n: number): number {
  const part = s.slice(from, from + n);
  if (!/^[0-9]+$/.test(part) || part.length !== n) throw new DerError(`bad time '${s}'`);
  return Number(part);
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as RFC 5280 §4.1.2.5 requires. */
export function parseTime(t: Tlv): Date {
  const s = String.fromCharCode(...content(t));
  let year: number;
  let rest: number;
  if (t.tag === TAG.UTCTime) {
    if (s.length !== 13 || !s.endsWith("Z")) throw new DerError(`UTCTime '${s}' is not YYMMDDHHMMSSZ`);
    const yy = digits(s, 0, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = 2;
  } else if (t.tag === TAG.GeneralizedTime) {
    if (s.length !== 15 || !s.endsWith("Z")) throw new DerError(`GeneralizedTime '${s}' is not YYYYMMDDHHMMSSZ`);
    year = digits(s, 0, 4);
    rest = 4;
  } else throw new DerError("validity time has the wrong type");
  const month = digits(s, rest, 2);
  const day = digits(s, rest + 2, 2);
  const hour = digits(s, rest + 4, 2);
  const min = digits(s, rest + 6, 2);
  const sec = digits(s, rest + 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) throw new DerError(`time '${s}' is out of range`);
  const d = new Date(Date.UTC(year, month - 1, day, hour, min, sec));
  if (d.getUTCDate() !== day) throw new DerError(`time '${s}' names a day that does not exist`);
  return d;
}

/** Decodes a directory string value (RFC 5280 §4.1.2.4) to text; unknown types give hex. */
export function parseString(t: Tlv): string {
  const c = content(t);
  switch (t.tag) {
    case TAG.UTF8String:
      return new TextDecoder("utf-8", { fatal: false }).decode(c);
    case TAG.PrintableString:
    case TAG.IA5String:
    case TAG.VisibleString:
    case TAG.TeletexString:
      return latin1(c);
    case TAG.BMPString: {
      let s = "";
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i] << 8) | c[i + 1]);
      return s;
    }
    case TAG.UniversalString: {
      let s = "";
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0);
      return s;
    }
    default:
      return "#" + hex(whole(t));
  }
}

export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
