/**
 * Certificates written as bare base64 of their DER, with no PEM armour: JWKS `x5c` arrays, `"MII…"` strings in
 * JSON and YAML, Java and Kubernetes configuration, base64 wrapped over several lines. Found in a text without
 * decoding ASN.1 beyond a structural check, so ordinary base64 (hashes, JWTs, keys, random blobs) is never taken
 * for a certificate:
 *
 *   1. a candidate starts a base64 run (the character before it is not base64) with `MI` + one of E–P: the
 *      encoding of a SEQUENCE (0x30) with a long-form length of 1–3 bytes (0x81–0x83);
 *   2. the length there says exactly how many base64 characters the DER takes: they are collected (whitespace
 *      between them allowed, as in wrapped lines, and in JSON strings the escapes `\n`, `\r` and `\/`), and the
 *      run must end right there — not sooner, not later;
 *   3. the bytes must have a certificate's shape (RFC 5280 §4.1): SEQUENCE { tbsCertificate SEQUENCE {
 *      [0] version?, serialNumber INTEGER, signature SEQUENCE, issuer SEQUENCE, validity SEQUENCE { Time, Time },
 *      subject SEQUENCE, subjectPublicKeyInfo SEQUENCE, … }, signatureAlgorithm SEQUENCE, signature BIT STRING },
 *      every length exact. Keys, CSRs, CRLs, PKCS#7 and random bytes fail here.
 *
 * Bounded: a candidate costs a few characters unless its header passes; a collection stops at the declared size
 * (at most MAX_DER bytes) or at the first character that is neither base64 nor whitespace; after a failed
 * collection the search resumes past what was read, so no character is collected twice. Pure: no vscode, no Node.
 */
/** Largest certificate looked for, in bytes (real ones are 0.3–4 KB; a few with many SANs reach ~40 KB). */
export const MAX_DER = 100_000;
/** Smallest: a SEQUENCE with a long-form length holds at least 128 bytes. */
const MIN_DER = 128 + 3;

export interface Base64CertHit {
  /** Host offsets of the first base64 character and just after the last (padding included). */
  start: number;
  end: number;
  /** The base64 text without whitespace. */
  b64: string;
  der: Uint8Array;
}

const B64 = (() => {
  const t = new Int16Array(128).fill(-1);
  const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < a.length; i++) t[a.charCodeAt(i)] = i;
  return t;
})();

const b64Value = (c: number) => (c < 128 ? B64[c] : -1);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Decodes base64 without whitespace or padding checks (the caller counted the characters). */
function decode(b64: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let o = 0;
  for (let i = 0; i + 1 < b64.length && o < bytes; i += 4) {
    const n = (b64Value(b64.charCodeAt(i)) << 18) | (b64Value(b64.charCodeAt(i + 1)) << 12) | (Math.max(0, b64Value(b64.charCodeAt(i + 2))) << 6) | Math.max(0, b64Value(b64.charCodeAt(i + 3)));
    out[o++] = (n >> 16) & 255;
    if (o < bytes) out[o++] = (n >> 8) & 255;
    if (o < bytes) out[o++] = n & 255;
  }
  return out;
}

/** The DER size a SEQUENCE header announces (from its first 8 base64 characters), or undefined. */
function announcedSize(head: string): number | undefined {
  const h = decode(head, 6);
  if (h[0] !== 0x30) return undefined;
  const n = h[1] & 0x7f;
  if (h[1] < 0x81 || n > 3) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + h[2 + i];
  // DER lengths are minimal: 0x81 for 128–255, 0x82 from 256, 0x83 from 65,536.
  if (len < (n === 1 ? 128 : 1 << (8 * (n - 1)))) return undefined;
  const total = 2 + n + len;
  return total >= MIN_DER && total <= MAX_DER ? total : undefined;
}

interface Tlv {
  tag: number;
  /** Offsets of the content and just after it. */
  start: number;
  end: number;
}

/** One DER TLV at `off`, wholly inside `[off, limit)`, definite length of at most 3 bytes; else undefined. */
function tlv(der: Uint8Array, off: number, limit: number): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = der[off];
  let len = der[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3 || p + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p + i];
    p += n;
  }
  return p + len <= limit ? { tag, start: p, end: p + len } : undefined;
}

/** The RFC 5280 §4.1 outline of a certificate, every length exact (see the module comment). */
export function hasCertificateShape(der: Uint8Array): boolean {
  const cert = tlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30 || cert.end !== der.length) return false;
  const tbs = tlv(der, cert.start, cert.end);
  if (!tbs || tbs.tag !== 0x30) return false;
  let e = tlv(der, tbs.start, tbs.end);
  if (e?.tag === 0xa0) {
    const v = tlv(der, e.start, e.end);
    if (!v || v.tag !== 0x02 || v.end !== e.end) return false;
    e = tlv(der, e.end, tbs.end);
  }
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const want = [0x02, 0x30, 0x30, 0x30, 0x30, 0x30];
  for (let i = 0; i < want.length; i++) {
    if (!e || e.tag !== want[i]) return false;
    if (i === 3) {
      const nb = tlv(der, e.start, e.end);
      const na = nb && tlv(der, nb.end, e.end);
      if (!nb || !na || na.end !== e.end || !isTime(nb.tag) || !isTime(na.tag)) return false;
    }
    if (i < want.length - 1) e = tlv(der, e.end, tbs.end);
  }
  const alg = tlv(der, tbs.end, cert.end);
  const sig = alg && alg.tag === 0x30 ? tlv(der, alg.end, cert.end) : undefined;
  return !!sig && sig.tag === 0x03 && sig.end === cert.end;
}

const isTime = (tag: number) => tag === 0x17 || tag === 0x18;

/**
 * Collects `count` base64 characters from `at` (whitespace between them allowed), then up to `pad` '='.
 * Returns the text and the offset after it, or undefined when another character comes first.
 */
function collect(text: string, at: number, count: number, pad: number): { b64: string; end: number; stop: number } | undefined {
  let got = 0;
  let i = at;
  const parts: string[] = [];
  let runStart = at;
  for (; i < text.length && got < count; i++) {
    const c = text.charCodeAt(i);
    if (b64Value(c) >= 0) {
      got++;
      continue;
    }
    // Inside a JSON string: `\/` is a "/" (PHP writes it so) and `\n`, `\r` are line breaks of wrapped base64.
    const escape = c === 92 ? text.charCodeAt(i + 1) : -1;
    if (!isSpace(c) && escape !== 47 && escape !== 110 && escape !== 114) return { b64: "", end: i, stop: i };
    if (i > runStart) parts.push(text.slice(runStart, i));
    if (escape === 110 || escape === 114) i++;
    runStart = i + 1;
  }
  if (got < count) return { b64: "", end: i, stop: i };
  parts.push(text.slice(runStart, i));
  for (let k = 0; k < pad && text.charCodeAt(i) === 61; k++) i++;
  return { b64: parts.join(""), end: i, stop: i };
}

/**
 * Every base64-encoded certificate in `text[from, to)`, in order. `skip(offset)` may say where a candidate lies
 * inside something already found (a PEM block's body is base64 too) and gives the offset to resume from.
 * Yields `null` every `step` characters searched, so a caller can slice the work over its event loop.
 */
export function* iterateBase64Certificates(
  text: string,
  options: { skip?: (offset: number) => number | undefined; maxHits?: number; step?: number } = {},
): Generator<Base64CertHit | null, void> {
  const step = options.step ?? 1 << 20;
  const maxHits = options.maxHits ?? Infinity;
  let hits = 0;
  let nextYield = step;
  let at = text.indexOf("MI");
  while (at >= 0 && hits < maxHits) {
    if (at >= nextYield) {
      nextYield = at + step;
      yield null;
    }
    let resume = at + 2;
    const third = text.charCodeAt(at + 2);
    // "MI" + E–P (0x30 0x81–0x83), at the start of a base64 run.
    if (third >= 69 && third <= 80 && runStarts(text, at)) {
      const skipTo = options.skip?.(at);
      if (skipTo !== undefined) resume = Math.max(resume, skipTo);
      else {
        const hit = candidate(text, at);
        if (hit && "der" in hit) {
          hits++;
          yield hit;
          resume = hit.end;
        } else if (hit) resume = Math.max(resume, hit.resume);
      }
    }
    at = text.indexOf("MI", resume);
  }
}

/** Whether a base64 run starts at `at`: after a non-base64 character, or after a `\n` / `\r` escape. */
function runStarts(text: string, at: number): boolean {
  if (at === 0) return true;
  const prev = text.charCodeAt(at - 1);
  if (b64Value(prev) < 0) return prev !== 61;
  return (prev === 110 || prev === 114) && text.charCodeAt(at - 2) === 92 && (at < 3 || text.charCodeAt(at - 3) !== 92);
}

/** A certificate at `at`, or where to resume the search. */
function candidate(text: string, at: number): Base64CertHit | { resume: number } | undefined {
  const head = text.slice(at, at + 8);
  if (head.length < 8) return undefined;
  for (let i = 0; i < 8; i++) if (b64Value(head.charCodeAt(i)) < 0) return undefined;
  const size = announcedSize(head);
  if (size === undefined) return undefined;
  const chars = Math.ceil((size * 4) / 3);
  const got = collect(text, at, chars, (3 - (size % 3)) % 3);
  if (!got || !got.b64) return { resume: got?.stop ?? at + 2 };
  // The run must end with the DER: a base64 character right after means the DER is only a prefix of it.
  const after = text.charCodeAt(got.end);
  if (b64Value(after) >= 0 || after === 61) return { resume: got.end };
  const der = decode(got.b64, size);
  if (!hasCertificateShape(der)) return { resume: got.end };
  return { start: at, end: got.end, b64: got.b64, der };
}
