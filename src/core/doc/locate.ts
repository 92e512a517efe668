/**
 * Finds PEM blocks in any text file and maps each to its exact range in the host file:
 *   - plain PEM files and bundles (text between blocks, CRLF or LF or CR line ends);
 *   - indented blocks (YAML block scalars, Markdown, comments: `# `, `// `, ` * `);
 *   - PEM in string literals, multi-line (`"MIIB…\n" +` concatenations, Go/Python raw strings) or on one line
 *     with `\n` escapes (JSON, `\/` escapes included);
 *   - base64 of a whole PEM file (Kubernetes Secret `data:` values): every block inside is mapped to the part of
 *     the base64 string that encodes it.
 *
 * The locator does not decode ASN.1: it yields the label, range, DER bytes and canonical PEM of each block, or
 * what is wrong with it. It is synchronous but incremental (a generator, one block per step), so a caller can
 * slice the work of a 50 MB file or 10,000 blocks and yield to its event loop between steps.
 */
import type { BlockEncoding, BlockKind, DocPosition, DocRange, LocatedBlock } from "./types";

/** base64 of "-----BEGIN" at offset 0 of the encoded text. */
export const BASE64_BEGIN = "LS0tLS1CRUdJTi";
const BEGIN_MARK = "-----BEGIN ";
const BEGIN_RE = /-----BEGIN ([A-Z0-9][A-Z0-9 ._/#-]{0,63}?)-----/y;
const END_RE = /-----END ([A-Z0-9 ._/#-]{0,64}?)-----/y;
/** Stop looking for the END line this far after BEGIN (a 100k-entry CRL is ~5 MB of base64). */
const MAX_BLOCK_CHARS = 16 * 1024 * 1024;

export const DEFAULT_MAX_BLOCKS = 20_000;

export interface LocateOptions {
  /** Stop after this many blocks (default 20,000); the result then says it was truncated. */
  maxBlocks?: number;
}

/** Cheap test: could this text hold a PEM block at all (plainly or base64-wrapped)? */
export function mayContainPem(text: string): boolean {
  return text.includes(BEGIN_MARK) || text.includes(BASE64_BEGIN);
}

export function kindOfLabel(label: string): BlockKind {
  switch (label) {
    case "CERTIFICATE":
    case "X509 CERTIFICATE":
    case "TRUSTED CERTIFICATE":
      return "certificate";
    case "CERTIFICATE REQUEST":
    case "NEW CERTIFICATE REQUEST":
      return "csr";
    case "X509 CRL":
    case "CRL":
      return "crl";
    case "PKCS7":
    case "PKCS #7 SIGNED DATA":
    case "CMS":
    case "CERTIFICATE CHAIN":
      return "pkcs7";
    case "PUBLIC KEY":
    case "RSA PUBLIC KEY":
      return "publicKey";
    case "EC PARAMETERS":
    case "DH PARAMETERS":
    case "X9.42 DH PARAMETERS":
    case "DSA PARAMETERS":
      return "parameters";
  }
  if (/(^|\s)PRIVATE KEY$/.test(label)) return "privateKey";
  return "other";
}

/** Maps UTF-16 offsets to 0-based positions; line starts are found lazily, moving forward. */
export class LineIndex {
  private readonly starts: number[] = [0];
  private scanned = 0;
  private nextLf = -1;
  private nextCr = -1;
  constructor(private readonly text: string) {}

  position(offset: number): DocPosition {
    this.scanTo(offset);
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - s[lo] };
  }

  /**
   * Indexes line starts up to `offset`, at most `budget` characters further than before. True when `offset`
   * is reached (then position() of it is cheap).
   */
  scanSome(offset: number, budget: number): boolean {
    this.scanTo(Math.min(offset, this.scanned + budget));
    return this.scanned >= Math.min(offset, this.text.length);
  }

  /** 1-based line of an offset. */
  line(offset: number): number {
    return this.position(offset).line + 1;
  }

  private scanTo(offset: number): void {
    // indexOf (memchr) instead of a per-character loop: a 50 MB gap between two blocks costs ~20 ms, not ~150.
    const t = this.text;
    const end = Math.min(offset, t.length);
    let i = this.scanned;
    while (i < end) {
      if (this.nextLf < i) this.nextLf = indexOrEnd(t, "\n", i);
      if (this.nextCr < i) this.nextCr = indexOrEnd(t, "\r", i);
      const at = Math.min(this.nextLf, this.nextCr);
      if (at >= end) {
        i = end;
        break;
      }
      // CRLF counts once; a lone CR is a line break too (as in VS Code).
      const next = t.charCodeAt(at) === 13 && t.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
      this.starts.push(next);
      i = next;
    }
    if (i > this.scanned) this.scanned = i;
  }
}

function indexOrEnd(t: string, ch: string, from: number): number {
  const i = t.indexOf(ch, from);
  return i < 0 ? t.length : i;
}

/** The parsed body of one block, offsets relative to the text it was found in. */
interface ParsedBlock {
  label: string;
  start: number;
  end: number;
  /** Offset of the END marker (or of the BEGIN marker when there is none). */
  endMarker: number;
  escaped: boolean;
  noisy: boolean;
  headers?: [string, string][];
  der?: Uint8Array;
  pem?: string;
  error?: string;
}

const B64_RUN = /[A-Za-z0-9+/=]+/g;
/** The body of an ordinary PEM block: a line break, then base64 lines, each ending with a line break. */
const CANONICAL_BODY = /^(?:\r\n|\n|\r)(?:[A-Za-z0-9+/=]+(?:\r\n|\n|\r))+$/;
/** What may surround a base64 line in a host file: indentation, quotes, concatenation, comment leaders, commas. */
const NOISE_ONLY = /^[\s"'`,;+()[\]{}#*/\\-]*$/;
/** String-literal prefixes just before a quote (b"…", r'…', @"…", u8"…"). */
const STRING_PREFIX = /(^|[^A-Za-z0-9])(?:[A-Za-z@$]|u8)(?=["'`])/g;
const HEADER = /^[^A-Za-z0-9]*?([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)[\s"'`,;+\\]*$/;

/**
 * Parses the block whose BEGIN marker starts at `begin` in `t`. `lineOf` turns an offset of `t` into the host
 * file's 1-based line for messages.
 */
function parseBlock(t: string, begin: number, markerEnd: number, label: string, lineOf: (offset: number) => number): ParsedBlock {
  const fail = (error: string): ParsedBlock => ({ label, start: begin, end: markerEnd, endMarker: begin, escaped: false, noisy: false, error });
  const endIdx = indexWithin(t, "-----END ", markerEnd, MAX_BLOCK_CHARS);
  const nextBegin = indexWithin(t, BEGIN_MARK, markerEnd, MAX_BLOCK_CHARS);
  if (endIdx < 0 || (nextBegin >= 0 && nextBegin < endIdx)) {
    return fail(endIdx < 0 ? `no "-----END ${label}-----" line` : `no "-----END ${label}-----" line before the next BEGIN line (${lineOf(nextBegin)})`);
  }
  END_RE.lastIndex = endIdx;
  const em = END_RE.exec(t);
  if (!em) return { ...fail(`the END line at line ${lineOf(endIdx)} is malformed`), end: endIdx + 9, endMarker: endIdx };
  const end = endIdx + em[0].length;
  const block: ParsedBlock = { label, start: begin, end, endMarker: endIdx, escaped: false, noisy: false };
  if (em[1] !== label) return { ...block, error: `the END line says '${em[1]}' but the BEGIN line says '${label}'` };

  const body = t.slice(markerEnd, endIdx);
  // Fast path: an ordinary PEM body (only base64 lines) needs no per-line noise handling.
  if (CANONICAL_BODY.test(body)) return finishBody(block, [], body.replace(/[\r\n]+/g, ""));
  const escaped = /\\[nr]/.test(body);
  block.escaped = escaped;
  const sep = escaped ? /\\r\\n|\\n|\\r|\r\n|\n|\r/g : /\r\n|\n|\r/g;
  const headers: [string, string][] = [];
  const runs: string[] = [];
  let segStart = 0;
  let bodyStarted = false;
  let headersOpen = true;
  let noisy = false;
  for (;;) {
    const m = sep.exec(body);
    const segEnd = m ? m.index : body.length;
    let seg = body.slice(segStart, segEnd);
    const segOffset = markerEnd + segStart;
    segStart = m ? m.index + m[0].length : body.length;
    if (escaped) seg = seg.replace(/\\\//g, "/");
    const trimmed = seg.trim();
    if (trimmed && trimmed !== seg) noisy = true;
    if (trimmed) {
      if (!bodyStarted && headersOpen && trimmed.includes(":")) {
        const h = HEADER.exec(trimmed);
        if (!h) return { ...block, error: `line ${lineOf(segOffset)}: malformed header "${clip(trimmed)}"` };
        headers.push([h[1], h[2]]);
      } else {
        // The longest base64 run is the data; runs next to it separated only by spaces belong to it too
        // (PEM flattened onto one line with spaces, as in env vars and annotations).
        const found: { at: number; text: string }[] = [];
        B64_RUN.lastIndex = 0;
        for (let r = B64_RUN.exec(trimmed); r; r = B64_RUN.exec(trimmed)) found.push({ at: r.index, text: r[0] });
        let k = -1;
        for (let j = 0; j < found.length; j++) if (k < 0 || found[j].text.length > found[k].text.length) k = j;
        let first = k;
        let last = k;
        const spaceOnly = (a: { at: number; text: string }, b: { at: number }) => /^[ \t]+$/.test(trimmed.slice(a.at + a.text.length, b.at));
        while (first > 0 && spaceOnly(found[first - 1], found[first])) first--;
        while (k >= 0 && last < found.length - 1 && spaceOnly(found[last], found[last + 1])) last++;
        const merged = k < 0 ? [] : found.slice(first, last + 1);
        const best = merged.map((r) => r.text).join("");
        const bestAt = merged.length ? merged[0].at : 0;
        const bestEnd = merged.length ? merged[merged.length - 1].at + merged[merged.length - 1].text.length : 0;
        const rest = trimmed.slice(0, bestAt) + trimmed.slice(bestEnd);
        if (best.length < 4 && rest) {
          if (!NOISE_ONLY.test(trimmed)) return { ...block, error: `line ${lineOf(segOffset)}: unexpected text "${clip(trimmed)}" in the base64 body` };
          noisy = true;
        } else {
          if (rest) {
            if (!NOISE_ONLY.test(rest.replace(STRING_PREFIX, "$1"))) {
              return { ...block, error: `line ${lineOf(segOffset)}: unexpected characters "${clip(rest)}" in the base64 body` };
            }
            noisy = true;
          }
          if (runs.length && runs[runs.length - 1].includes("=")) {
            return { ...block, error: `line ${lineOf(segOffset)}: base64 continues after '=' padding` };
          }
          runs.push(best);
          bodyStarted = true;
        }
      }
    } else if (headers.length) {
      headersOpen = false;
    }
    if (!m) break;
  }
  block.noisy = noisy;
  return finishBody(block, headers, runs.join(""));
}

/** Checks and decodes the collected base64 of a block. */
function finishBody(block: ParsedBlock, headers: [string, string][], b64: string): ParsedBlock {
  const label = block.label;
  if (headers.length) block.headers = headers;
  if (!b64) return { ...block, error: "the block has no base64 body" };
  const pad = b64.indexOf("=");
  if (pad >= 0 && !/^={1,2}$/.test(b64.slice(pad))) return { ...block, error: "base64 has '=' padding in the middle" };
  if (b64.length % 4 !== 0) return { ...block, error: `base64 is truncated (${b64.length} characters, not a multiple of 4)` };
  const der = base64Decode(b64);
  block.der = der;
  block.pem = canonicalPem(label, headers, b64);
  return block;
}

/** indexOf limited to `[from, from + span)` (a slice is a view in V8: no copy). */
function indexWithin(t: string, needle: string, from: number, span: number): number {
  if (from + span >= t.length) return t.indexOf(needle, from);
  const i = t.slice(from, from + span + needle.length - 1).indexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** indexOf in windows, yielding null between them, so a search through 50 MB can be sliced by the caller. */
function* search(t: string, needle: string, from: number): Generator<null, number> {
  for (let s = Math.max(0, from); s < t.length; s += SEARCH_WINDOW) {
    const i = indexWithin(t, needle, s, SEARCH_WINDOW);
    if (i >= 0) return i;
    yield null;
  }
  return -1;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function base64Decode(b64: string): Uint8Array {
  const buf = Buffer.from(b64, "base64");
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function canonicalPem(label: string, headers: [string, string][], b64: string): string {
  const lines = [`-----BEGIN ${label}-----`];
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  if (headers.length) lines.push("");
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`-----END ${label}-----`, "");
  return lines.join("\n");
}

function isB64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** Line starts indexed per step while crossing a long stretch of text without blocks. */
const LINE_SCAN_STEP = 4 * 1024 * 1024;
/** Text searched per step for the next block. */
const SEARCH_WINDOW = 4 * 1024 * 1024;

/**
 * Yields every block of `text` in document order, and `null` now and then while crossing megabytes of text
 * between blocks (a point where the caller may yield to its event loop). The generator's return value is a
 * sentence saying what was skipped when `maxBlocks` was reached, or undefined.
 */
export function* iterateBlocks(text: string, options: LocateOptions = {}): Generator<LocatedBlock | null, string | undefined> {
  const maxBlocks = options.maxBlocks ?? DEFAULT_MAX_BLOCKS;
  const lines = new LineIndex(text);
  const hostLine = (o: number) => lines.line(o);
  let index = 0;
  let nextPlain = yield* search(text, BEGIN_MARK, 0);
  let nextSecret = yield* search(text, BASE64_BEGIN, 0);
  let pos = 0;

  const emit = (p: ParsedBlock, encoding: BlockEncoding, hostStart: number, hostEnd: number, hostEndMarker: number, embedded: boolean): LocatedBlock => {
    const start = lines.position(hostStart);
    const end = lines.position(hostEnd);
    const block: LocatedBlock = {
      index: index++,
      label: p.label,
      kind: kindOfLabel(p.label),
      encoding,
      range: { start, end } satisfies DocRange,
      startOffset: hostStart,
      endOffset: hostEnd,
      line: start.line + 1,
      endLine: lines.line(hostEndMarker),
      embedded,
    };
    if (p.headers) block.headers = p.headers;
    if (p.der) block.der = p.der;
    if (p.pem) block.pem = p.pem;
    if (p.error) block.error = p.error;
    return block;
  };

  while (nextPlain >= 0 || nextSecret >= 0) {
    if (index >= maxBlocks) {
      return `only the first ${maxBlocks} PEM blocks were read; the rest of the file (from line ${hostLine(Math.min(...[nextPlain, nextSecret].filter((x) => x >= 0)))}) was skipped`;
    }
    if (nextPlain >= 0 && (nextSecret < 0 || nextPlain <= nextSecret)) {
      const at = nextPlain;
      BEGIN_RE.lastIndex = at;
      const m = BEGIN_RE.exec(text);
      if (!m) {
        // "-----BEGIN " not followed by a label and dashes: prose, not a block.
        nextPlain = yield* search(text, BEGIN_MARK, at + BEGIN_MARK.length);
        continue;
      }
      while (!lines.scanSome(at, LINE_SCAN_STEP)) yield null;
      const p = parseBlock(text, at, at + m[0].length, m[1], hostLine);
      const encoding: BlockEncoding = p.escaped ? "json-escaped" : "plain";
      const lineStart = lines.position(at).character;
      const endCol = p.endMarker > at ? lines.position(p.endMarker).character : 0;
      const embedded = encoding !== "plain" || lineStart > 0 || endCol > 0 || p.noisy;
      yield emit(p, encoding, p.start, p.end, p.endMarker, embedded);
      pos = Math.max(p.end, at + m[0].length);
      nextPlain = yield* search(text, BEGIN_MARK, pos);
      if (nextSecret >= 0 && nextSecret < pos) nextSecret = yield* search(text, BASE64_BEGIN, pos);
      continue;
    }
    // base64-wrapped PEM (Kubernetes Secret data): the run must start on a base64 boundary.
    const at = nextSecret;
    let runEnd = at;
    while (runEnd < text.length && isB64Char(text.charCodeAt(runEnd))) runEnd++;
    for (let pad = 0; pad < 2 && text.charCodeAt(runEnd) === 61 /* = */; pad++) runEnd++;
    nextSecret = yield* search(text, BASE64_BEGIN, runEnd);
    if (at > 0 && isB64Char(text.charCodeAt(at - 1))) continue;
    while (!lines.scanSome(at, LINE_SCAN_STEP)) yield null;
    for (const inner of secretBlocks(text.slice(at, runEnd), at, hostLine)) {
      yield emit(inner.p, "base64-secret", inner.start, inner.end, inner.start, true);
      if (index >= maxBlocks) break;
    }
    if (nextPlain >= 0 && nextPlain < runEnd) nextPlain = yield* search(text, BEGIN_MARK, runEnd);
  }
  return undefined;
}

/** Blocks inside one base64 run; offsets mapped back onto the run in the host file. */
function* secretBlocks(run: string, runStart: number, hostLine: (o: number) => number): Generator<{ p: ParsedBlock; start: number; end: number }> {
  const usable = run.length - (run.length % 4);
  const decoded = Buffer.from(run.slice(0, usable), "base64").toString("latin1");
  const line = hostLine(runStart);
  const toHost = (o: number, up: boolean) => runStart + Math.min(usable, (up ? Math.ceil(o / 3) : Math.floor(o / 3)) * 4);
  let at = decoded.indexOf(BEGIN_MARK);
  let yielded = false;
  while (at >= 0) {
    BEGIN_RE.lastIndex = at;
    const m = BEGIN_RE.exec(decoded);
    if (!m) {
      at = decoded.indexOf(BEGIN_MARK, at + BEGIN_MARK.length);
      continue;
    }
    const p = parseBlock(decoded, at, at + m[0].length, m[1], () => line);
    if (p.error) p.error = `${p.error} (inside the base64 value)`;
    if (!p.error && usable !== run.length) p.error = `the base64 value is truncated (${run.length} characters, not a multiple of 4)`;
    yielded = true;
    yield { p, start: toHost(p.start, false), end: toHost(p.end, true) };
    at = decoded.indexOf(BEGIN_MARK, Math.max(p.end, at + m[0].length));
  }
  if (!yielded && usable !== run.length) {
    // Too short to hold even a BEGIN line: say so rather than staying silent.
    yield {
      p: { label: "UNKNOWN", start: 0, end: 0, endMarker: 0, escaped: false, noisy: true, error: "the base64 value is truncated" },
      start: runStart,
      end: runStart + run.length,
    };
  }
}

/** All blocks of `text` (see iterateBlocks). */
export function locateBlocks(text: string, options: LocateOptions = {}): { blocks: LocatedBlock[]; truncated?: string } {
  const blocks: LocatedBlock[] = [];
  const it = iterateBlocks(text, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value ? { blocks, truncated: r.value } : { blocks };
    if (r.value) blocks.push(r.value);
  }
}

/** Index of the block whose [startOffset, endOffset] contains `offset` (blocks in document order), or -1. */
export function blockIndexAt(blocks: readonly LocatedBlock[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (offset < b.startOffset) hi = mid - 1;
    else if (offset > b.endOffset) lo = mid + 1;
    else {
      // Blocks inside one base64 value can share a few characters: prefer the one that starts later.
      let i = mid;
      while (i + 1 < blocks.length && blocks[i + 1].startOffset <= offset && offset <= blocks[i + 1].endOffset) i++;
      return i;
    }
  }
  return -1;
}
