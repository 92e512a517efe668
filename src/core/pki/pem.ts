/**
 * PEM scanning: every block in a text, wherever it sits — among comments and "Bag Attributes", indented in
 * YAML, with CRLF, inside a JSON string with literal "\n" escapes, or base64-encoded once more as in a
 * Kubernetes Secret's `data:` field. A broken block gets an `error` and never hides the blocks after it.
 */

export interface PemBlock {
  label: string;
  /** 1-based line of the BEGIN marker. */
  line: number;
  /** 1-based line of the END marker (the BEGIN line when there is no END). */
  endLine: number;
  /** Character offset of "-----BEGIN" in the text. */
  start: number;
  /**
   * Character offset just after the END line's last character (the line break excluded); for a block inside
   * a JSON string, just after the END marker; for a Secret value, the end of the base64 token.
   */
  end: number;
  /** Decoded bytes; absent when `error` is set. */
  der?: Uint8Array;
  /** RFC 1421 headers such as Proc-Type and DEK-Info. */
  headers?: Record<string, string>;
  /** What is wrong with this block, in plain words ("base64 is truncated"). */
  error?: string;
  encoding?: "plain" | "json-escaped" | "base64-secret";
}

const BEGIN_RE = /-----BEGIN ([A-Z0-9][A-Z0-9 #._-]{0,60})-----/g;
/** base64("-----BEGIN") — how a PEM looks after one more base64 pass (Kubernetes Secret data). */
const SECRET_RE = /LS0tLS1CRUdJT[A-Za-z0-9+/]*={0,2}/g;

/** 1-based line numbers of offsets, counted forward (offsets asked in increasing order cost O(text)). */
class Lines {
  private pos = 0;
  private line = 1;
  /** Offset of the first character of the line containing the last offset asked. */
  lineStart = 0;
  constructor(private readonly text: string) {}
  at(offset: number): number {
    if (offset < this.pos) {
      this.pos = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    for (let i = this.text.indexOf("\n", this.pos); i >= 0 && i < offset; i = this.text.indexOf("\n", i + 1)) {
      this.line++;
      this.lineStart = i + 1;
    }
    this.pos = offset;
    return this.line;
  }
}

/** 0 = whitespace, 1 = base64 character, 2 = '=', 3 = anything else. */
const B64_CLASS = new Uint8Array(256).fill(3);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") B64_CLASS[c.charCodeAt(0)] = 1;
B64_CLASS[61] = 2;
for (const c of [9, 10, 11, 12, 13, 32]) B64_CLASS[c] = 0;

/** Only base64 characters in lines (LF or CRLF), padding at the end: what nearly every PEM body is. */
const B64_LINES = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Decodes the base64 body of one block, checking it strictly; returns bytes or an error in plain words. */
export function decodeBase64Body(body: string): { der?: Uint8Array; error?: string } {
  if (B64_LINES.test(body)) {
    // Fast path: the regex (native code) checked the characters; the count of data characters comes from
    // the length minus the line breaks.
    const eq = body.indexOf("=");
    const pad = eq < 0 ? 0 : body.indexOf("=", eq + 1) >= 0 ? 2 : 1;
    const chars = body.length - countChar(body, "\n") - countChar(body, "\r");
    if (chars === 0) return { error: "block is empty (no base64 data)" };
    if (chars % 4 !== 0) return { error: "base64 is truncated" };
    const buf = Buffer.from(body, "base64");
    if (buf.length !== (chars / 4) * 3 - pad) return { error: "base64 is truncated" };
    return { der: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) };
  }
  return decodeBase64Strict(body);
}

function decodeBase64Strict(body: string): { der?: Uint8Array; error?: string } {
  // One pass over the characters: count data characters, find the first bad one and check the padding,
  // without building a whitespace-free copy (Buffer's decoder skips whitespace itself).
  let data = 0;
  let pad = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const k = code < 256 ? B64_CLASS[code] : 3;
    if (k === 0) continue;
    if (k === 1) {
      if (pad) return { error: "base64 has data after its '=' padding" };
      data++;
    } else if (k === 2) {
      pad++;
      if (pad > 2) return { error: "base64 has data after its '=' padding" };
    } else {
      const ch = body[i];
      const shown = ch >= " " && ch <= "~" ? `'${ch}'` : `U+${code.toString(16).padStart(4, "0")}`;
      return { error: `invalid character ${shown} in base64` };
    }
  }
  if (data + pad === 0) return { error: "block is empty (no base64 data)" };
  if ((data + pad) % 4 !== 0) return { error: "base64 is truncated" };
  const buf = Buffer.from(body, "base64");
  return { der: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) };
}

interface ScanOptions {
  /** Added to every line number (for blocks found inside a decoded Secret value). */
  lineBase?: number;
  /** Overrides offsets (for blocks inside a decoded Secret value: the token's span). */
  span?: { start: number; end: number; line: number; endLine: number };
  encoding?: PemBlock["encoding"];
}

function scanPlain(text: string, opts: ScanOptions = {}): PemBlock[] {
  const out: PemBlock[] = [];
  if (text.indexOf("-----BEGIN ") < 0) return out;
  const lc = new Lines(text);
  BEGIN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  const begins: { index: number; label: string; after: number }[] = [];
  while ((m = BEGIN_RE.exec(text))) begins.push({ index: m.index, label: m[1].trim(), after: m.index + m[0].length });
  for (let k = 0; k < begins.length; k++) {
    const b = begins[k];
    const nextBegin = k + 1 < begins.length ? begins[k + 1].index : text.length;
    const endMarker = `-----END ${b.label}-----`;
    const endAt = text.indexOf(endMarker, b.after);
    const line = lc.at(b.index);
    const lineStart = lc.lineStart;
    const block: PemBlock = { label: b.label, line, endLine: line, start: b.index, end: b.after, encoding: opts.encoding ?? "plain" };
    if (opts.span) Object.assign(block, opts.span);
    out.push(block);
    if (endAt < 0 || endAt > nextBegin) {
      const otherEnd = /-----END ([A-Z0-9 #._-]+)-----/.exec(text.slice(b.after, nextBegin));
      block.error = otherEnd
        ? `BEGIN ${b.label} is closed by END ${otherEnd[1]}`
        : `no '-----END ${b.label}-----' line (the block is cut off)`;
      if (!opts.span) {
        const stop = otherEnd ? b.after + otherEnd.index + otherEnd[0].length : Math.max(b.after, nextBegin - 1);
        block.end = stop;
        block.endLine = lc.at(stop);
      }
      continue;
    }
    const afterEnd = endAt + endMarker.length;
    if (!opts.span) {
      block.endLine = lc.at(endAt);
      let e = text.indexOf("\n", afterEnd);
      if (e < 0) e = text.length;
      if (e > afterEnd && text[e - 1] === "\r") e--;
      block.end = e;
    }
    let body = text.slice(b.after, endAt);
    // Prefix on the BEGIN line ("# ", "  key: |" is on the line before, so usually empty).
    const prefix = text.slice(lineStart, b.index).trim();
    if (!prefix && body.indexOf(":") < 0 && body.indexOf("\\") < 0) {
      // Fast path (no headers, no prefix, no escapes): base64 decoding ignores the line breaks.
      const dec = decodeBase64Body(body);
      if (dec.error) block.error = dec.error;
      else block.der = dec.der;
      continue;
    }
    let lines: string[];
    if (!/[\r\n]/.test(body.replace(/\s+$/, "")) && /\\[nr]/.test(body)) {
      // Inside a JSON (or similar) string: "…-----\nMIIB…\n-----END…".
      if (!opts.encoding) block.encoding = "json-escaped";
      if (!opts.span) block.end = afterEnd; // the "line" goes on with the rest of the JSON
      body = body.replace(/\\\//g, "/");
      lines = body.split(/\\r\\n|\\n|\\r/);
    } else {
      lines = body.split(/\r?\n|\r/);
    }
    const headers: Record<string, string> = {};
    let data = "";
    let inHeaders = true;
    for (let raw of lines) {
      raw = raw.trim();
      if (prefix && !/^[A-Za-z0-9+/=]/.test(raw) && raw.startsWith(prefix)) raw = raw.slice(prefix.length).trim();
      if (!raw) {
        if (Object.keys(headers).length) inHeaders = false;
        continue;
      }
      const colon = raw.indexOf(":");
      if (inHeaders && colon > 0 && /^[A-Za-z][A-Za-z0-9-]*$/.test(raw.slice(0, colon))) {
        headers[raw.slice(0, colon)] = raw.slice(colon + 1).trim();
        continue;
      }
      inHeaders = false;
      data += raw;
    }
    if (Object.keys(headers).length) block.headers = headers;
    const dec = decodeBase64Body(data);
    if (dec.error) block.error = dec.error;
    else block.der = dec.der;
  }
  return out;
}

/** Every PEM block in `text`, in order of appearance. Never throws. */
export function scanPem(text: string): PemBlock[] {
  const blocks = scanPlain(text);
  if (text.indexOf("LS0tLS1CRUdJT") >= 0) {
    const lc = new Lines(text);
    SECRET_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SECRET_RE.exec(text))) {
      const token = m[0];
      const start = m.index;
      const end = start + token.length;
      const line = lc.at(start);
      let inner: string;
      try {
        inner = Buffer.from(token, "base64").toString("utf8");
      } catch {
        continue;
      }
      const span = { start, end, line, endLine: line };
      const found = scanPlain(inner, { span, encoding: "base64-secret" });
      if (!found.length) continue;
      if (token.length % 4 !== 0) for (const f of found) f.error ??= "base64 of the encoded PEM is truncated";
      blocks.push(...found);
    }
    blocks.sort((a, b) => a.start - b.start);
  }
  return blocks;
}

/** PEM text of DER bytes with the given label, 64-character lines, trailing newline. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.length).toString("base64");
  let s = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) s += b64.slice(i, i + 64) + "\n";
  return s + `-----END ${label}-----\n`;
}
