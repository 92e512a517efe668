/**
 * The one PEM locator. `certscope inspect` (scanPem, through inspectBytes/certificatesFromBytes) and the editor
 * (iterateBlocks/locateBlocks, re-exported by src/core/doc) both read blocks through it, so they find the same
 * blocks at the same lines. It finds PEM blocks in any text file and maps each to its exact range in the host file:
 *   - plain PEM files and bundles (text between blocks, "Bag Attributes", CRLF or LF or CR line ends);
 *   - indented blocks (YAML block scalars, Markdown, comments: `# `, `// `, ` * `);
 *   - PEM in string literals, multi-line (`"MIIB…\n" +` concatenations, Go/Python raw strings) or on one line
 *     with `\n` escapes (JSON, `\/` escapes included) or spaces (environment variables);
 *   - base64 of a whole PEM file (Kubernetes Secret `data:` values): every block inside is mapped to the part of
 *     the base64 string that encodes it.
 *
 * The locator does not decode ASN.1: it yields the label, range, DER bytes (and for the editor the canonical PEM)
 * of each block, or what is wrong with it; a broken block never hides the blocks after it. It is synchronous
 * but incremental (a generator, one block per step), so a caller can slice the work of a 50 MB file or 10,000
 * blocks and yield to its event loop between steps.
 */
import type { BlockEncoding, BlockKind, DocPosition, DocRange, LocatedBlock } from "../doc/types";
import { LIMITS } from "../budget";
import { t as tr } from "../l10n";

/** A block as `certscope inspect` reads it: the locator's facts, with host-file offsets and headers as a record. */
export interface PemBlock extends Pick<LocatedBlock, "label" | "encoding" | "line" | "endLine" | "der" | "error"> {
  /** Host-file offset of "-----BEGIN" (base64-wrapped: of the base64 characters that encode it). */
  start: number;
  /** Host-file offset just after the END marker (or the BEGIN marker when there is no END; base64-wrapped: as `start`). */
  end: number;
  /** RFC 1421 headers such as Proc-Type and DEK-Info. */
  headers?: Record<string, string>;
}

/** base64 of "-----BEGIN" at offset 0 of the encoded text. */
export const BASE64_BEGIN = "LS0tLS1CRUdJTi";
const BEGIN_MARK = "-----BEGIN ";
const BEGIN_RE = /-----BEGIN ([A-Z0-9][A-Z0-9 ._/#-]{0,63}?)-----/y;
const END_RE = /-----END ([A-Z0-9 ._/#-]{0,64}?)-----/y;

export const DEFAULT_MAX_BLOCKS = LIMITS.pemBlocks;

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
    const lastLine = s.length - 1;
    if (s[lastLine] <= offset) return { line: lastLine, character: offset - s[lastLine] };
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
    const starts = this.starts;
    const end = Math.min(offset, t.length);
    let { nextLf, nextCr } = this;
    let i = this.scanned;
    while (i < end) {
      if (nextLf < i) nextLf = indexOrEnd(t, "\n", i);
      if (nextCr < i) nextCr = indexOrEnd(t, "\r", i);
      const at = nextLf < nextCr ? nextLf : nextCr;
      if (at >= end) {
        i = end;
        break;
      }
      // CRLF counts once; a lone CR is a line break too (as in VS Code).
      i = t.charCodeAt(at) === 13 && t.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
      starts.push(i);
    }
    this.nextLf = nextLf;
    this.nextCr = nextCr;
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
  /** The base64 of `der` (a plain body keeps its line breaks), for the canonical PEM. */
  b64?: string;
  error?: string;
  /**
   * The same problem in the words `certscope inspect` prints after "PEM block 'X' at line N: ", where they differ
   * from `error` (the editor's wording).
   */
  brief?: string;
}

const B64_RUN = /[A-Za-z0-9+/=]+/g;
/** The body of an ordinary PEM block: only base64 characters and line breaks, '=' padding at the end. */
const PLAIN_BODY = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;
/** What may surround a base64 line in a host file: indentation, quotes, concatenation, comment leaders, commas. */
const NOISE_ONLY = /^[\s"'`,;+()[\]{}#*/\\-]*$/;
/** Noise that may not touch the base64 unless the BEGIN line has the same leader ("#-----BEGIN", "#MIIB…"). */
const LEADERS = "#*-,;";
/** String-literal prefixes just before a quote (b"…", r'…', @"…", u8"…"). */
const STRING_PREFIX = /(^|[^A-Za-z0-9])(?:[A-Za-z@$]|u8)(?=["'`])/g;
const HEADER = /^[^A-Za-z0-9]*?([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)[\s"'`,;+\\]*$/;

/**
 * Parses the block whose BEGIN marker starts at `begin` in `t`. `lineOf` turns an offset of `t` into the host
 * file's 1-based line for messages.
 */
function parseBlock(t: string, begin: number, markerEnd: number, label: string, lineOf: (offset: number) => number): ParsedBlock {
  const fail = (error: string, brief?: string): ParsedBlock => ({ label, start: begin, end: markerEnd, endMarker: begin, escaped: false, noisy: false, error, ...(brief ? { brief } : {}) });
  // The END line must come before the next BEGIN: searching only that far keeps a file of unclosed blocks linear.
  const nextBegin = t.indexOf(BEGIN_MARK, markerEnd);
  const endIdx = indexWithin(t, "-----END ", markerEnd, (nextBegin < 0 ? t.length : nextBegin) - markerEnd);
  if (endIdx < 0) {
    const cutOff = tr("no '-----END {0}-----' line (the block is cut off)", label);
    return fail(nextBegin < 0 ? `no "-----END ${label}-----" line` : `no "-----END ${label}-----" line before the next BEGIN line (${lineOf(nextBegin)})`, cutOff);
  }
  END_RE.lastIndex = endIdx;
  const em = END_RE.exec(t);
  if (!em) return { ...fail(tr("the END line at line {0} is malformed", lineOf(endIdx))), end: endIdx + 9, endMarker: endIdx };
  const end = endIdx + em[0].length;
  const block: ParsedBlock = { label, start: begin, end, endMarker: endIdx, escaped: false, noisy: false };
  if (em[1] !== label) return { ...block, error: tr("the END line says '{0}' but the BEGIN line says '{1}'", em[1], label), brief: `BEGIN ${label} is closed by END ${em[1]}` };

  const body = t.slice(markerEnd, endIdx);
  // Fast path: an ordinary PEM body (only base64 lines) needs no per-line noise handling.
  if (PLAIN_BODY.test(body)) return finishBody(block, [], body, body.length - count(body, "\n") - count(body, "\r"));
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
        if (!h) return { ...block, error: tr("line {0}: malformed header line (expected \"Name: value\")", lineOf(segOffset)) };
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
          if (!NOISE_ONLY.test(trimmed)) return { ...block, error: tr("line {0}: unexpected characters {1} in the base64 body", lineOf(segOffset), junk(trimmed)) };
          noisy = true;
        } else {
          if (rest) {
            if (!NOISE_ONLY.test(rest.replace(STRING_PREFIX, "$1"))) {
              return { ...block, error: tr("line {0}: unexpected characters {1} in the base64 body", lineOf(segOffset), junk(rest)) };
            }
            // "*MIIB…" is a damaged line, "# MIIB…" or "#MIIB…" under "#-----BEGIN" a comment.
            const glued = trimmed.charAt(bestAt - 1);
            if (glued && LEADERS.includes(glued) && glued !== leaderOf(t, begin)) return { ...block, error: tr("invalid character '{0}' in base64", glued) };
            noisy = true;
          }
          if (runs.length && runs[runs.length - 1].includes("=")) {
            return { ...block, error: tr("line {0}: base64 continues after '=' padding", lineOf(segOffset)) };
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
  const b64 = runs.join("");
  return finishBody(block, headers, b64, b64.length);
}

/** The last non-blank character before `begin` on its line ("#" for "# -----BEGIN …"), or "". */
function leaderOf(t: string, begin: number): string {
  const before = t.slice(Math.max(0, begin - 200), begin);
  return before
    .slice(Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1)
    .trimEnd()
    .slice(-1);
}

/**
 * Checks and decodes the collected base64 of a block: `b64` holds `length` base64 characters, and line breaks
 * when it is a plain body (Node's decoder skips them, and a copy without them would cost more than the decoding).
 */
function finishBody(block: ParsedBlock, headers: [string, string][], b64: string, length: number): ParsedBlock {
  if (headers.length) block.headers = headers;
  const error = base64Problem(b64, length);
  if (error) return { ...block, error };
  block.der = base64Decode(b64);
  block.b64 = b64;
  return block;
}

/** What is wrong with base64 text of `length` characters (whitespace aside), in plain words; undefined when nothing. */
function base64Problem(b64: string, length: number): string | undefined {
  if (!length) return tr("the block is empty (no base64 body)");
  const pad = b64.indexOf("=");
  if (pad >= 0 && !/^={1,2}\s*$/.test(b64.slice(pad))) return tr("base64 has '=' padding in the middle");
  if (length % 4 !== 0) return tr("base64 is truncated");
  return undefined;
}

/** Decodes base64 with no PEM armour (whitespace allowed), checking it as a block body is checked. */
export function decodeBase64Body(body: string): { der?: Uint8Array; error?: string } {
  const b64 = body.replace(/\s+/g, "");
  const error = base64Problem(b64, b64.length);
  return error ? { error } : { der: base64Decode(b64) };
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

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The characters of a damaged body line that are not base64, quoted, e.g. `"."` — never the base64 around them:
 * the body may be a private key, and an error message travels to logs, the Problems panel and JSON output.
 */
function junk(s: string): string {
  const seen = [...new Set(s.replace(/[A-Za-z0-9+/=\s]/g, ""))];
  if (!seen.length) return tr("(base64 split by stray characters)");
  const shown = seen.slice(0, 8).join("");
  return `"${shown}${seen.length > 8 ? "…" : ""}"`;
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

/** One block found in the host text, before either caller shapes it. */
interface Found {
  p: ParsedBlock;
  encoding: BlockEncoding;
  /** Host offsets of the block (base64-wrapped: of the base64 that encodes it). */
  start: number;
  end: number;
  /** Host position of `start`, and 1-based host line of the END marker (of `start` when there is none). */
  startPos: DocPosition;
  endLine: number;
  embedded: boolean;
}

/**
 * The locator: every block of `text` in document order, and `null` now and then while crossing megabytes of
 * text between blocks. Returns a sentence saying what was skipped when `maxBlocks` was reached.
 */
function* walk(text: string, lines: LineIndex, maxBlocks: number): Generator<Found | null, string | undefined> {
  const hostLine = (o: number) => lines.line(o);
  // The next match within one search window, or undefined when the search must go on (as a sliced `search`):
  // the next block is nearly always near, and no generator is made for it.
  const near = (needle: string, from: number) => {
    const i = indexWithin(text, needle, from, SEARCH_WINDOW);
    return i >= 0 || from + SEARCH_WINDOW >= text.length ? i : undefined;
  };
  let found = 0;
  let nextPlain = near(BEGIN_MARK, 0) ?? (yield* search(text, BEGIN_MARK, SEARCH_WINDOW));
  let nextSecret = near(BASE64_BEGIN, 0) ?? (yield* search(text, BASE64_BEGIN, SEARCH_WINDOW));

  while (nextPlain >= 0 || nextSecret >= 0) {
    if (found >= maxBlocks) {
      return tr("only the first {0} PEM blocks were read; the rest of the file (from line {1}) was skipped", maxBlocks, hostLine(Math.min(...[nextPlain, nextSecret].filter((x) => x >= 0))));
    }
    if (nextPlain >= 0 && (nextSecret < 0 || nextPlain <= nextSecret)) {
      const at = nextPlain;
      BEGIN_RE.lastIndex = at;
      const m = BEGIN_RE.exec(text);
      if (!m) {
        // "-----BEGIN " not followed by a label and dashes: prose, not a block.
        nextPlain = near(BEGIN_MARK, at + BEGIN_MARK.length) ?? (yield* search(text, BEGIN_MARK, at + BEGIN_MARK.length + SEARCH_WINDOW));
        continue;
      }
      while (!lines.scanSome(at, LINE_SCAN_STEP)) yield null;
      const p = parseBlock(text, at, at + m[0].length, m[1], hostLine);
      const encoding: BlockEncoding = p.escaped ? "json-escaped" : "plain";
      const startPos = lines.position(at);
      const endPos = lines.position(p.endMarker);
      const indented = startPos.character > 0 || (p.endMarker > at && endPos.character > 0);
      found++;
      yield { p, encoding, start: p.start, end: p.end, startPos, endLine: endPos.line + 1, embedded: encoding !== "plain" || indented || p.noisy };
      const pos = Math.max(p.end, at + m[0].length);
      nextPlain = near(BEGIN_MARK, pos) ?? (yield* search(text, BEGIN_MARK, pos + SEARCH_WINDOW));
      if (nextSecret >= 0 && nextSecret < pos) nextSecret = near(BASE64_BEGIN, pos) ?? (yield* search(text, BASE64_BEGIN, pos + SEARCH_WINDOW));
      continue;
    }
    // base64-wrapped PEM (Kubernetes Secret data): the run must start on a base64 boundary.
    const at = nextSecret;
    let runEnd = at;
    while (runEnd < text.length && isB64Char(text.charCodeAt(runEnd))) runEnd++;
    for (let pad = 0; pad < 2 && text.charCodeAt(runEnd) === 61 /* = */; pad++) runEnd++;
    nextSecret = near(BASE64_BEGIN, runEnd) ?? (yield* search(text, BASE64_BEGIN, runEnd + SEARCH_WINDOW));
    if (at > 0 && isB64Char(text.charCodeAt(at - 1))) continue;
    while (!lines.scanSome(at, LINE_SCAN_STEP)) yield null;
    for (const inner of secretBlocks(text.slice(at, runEnd), at, hostLine)) {
      const startPos = lines.position(inner.start);
      found++;
      yield { p: inner.p, encoding: "base64-secret", start: inner.start, end: inner.end, startPos, endLine: startPos.line + 1, embedded: true };
      if (found >= maxBlocks) break;
    }
    if (nextPlain >= 0 && nextPlain < runEnd) nextPlain = near(BEGIN_MARK, runEnd) ?? (yield* search(text, BEGIN_MARK, runEnd + SEARCH_WINDOW));
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
    if (p.brief) p.brief = `${p.brief} (inside the base64 value)`;
    if (!p.error && usable !== run.length) p.error = tr("the base64 value is truncated ({0} characters, not a multiple of 4)", run.length);
    yielded = true;
    yield { p, start: toHost(p.start, false), end: toHost(p.end, true) };
    at = decoded.indexOf(BEGIN_MARK, Math.max(p.end, at + m[0].length));
  }
  if (!yielded && usable !== run.length) {
    // Too short to hold even a BEGIN line: say so rather than staying silent.
    yield {
      p: { label: "UNKNOWN", start: 0, end: 0, endMarker: 0, escaped: false, noisy: true, error: tr("the base64 value is truncated") },
      start: runStart,
      end: runStart + run.length,
    };
  }
}

/**
 * Yields every block of `text` in document order (as the editor shows them: host-file ranges, kind, canonical
 * PEM), and `null` now and then while crossing megabytes of text between blocks (a point where the caller may
 * yield to its event loop). The generator's return value is a sentence saying what was skipped when
 * `maxBlocks` was reached, or undefined.
 */
export function* iterateBlocks(text: string, options: LocateOptions = {}): Generator<LocatedBlock | null, string | undefined> {
  const lines = new LineIndex(text);
  const blocks = walk(text, lines, options.maxBlocks ?? DEFAULT_MAX_BLOCKS);
  for (let index = 0; ; ) {
    const r = blocks.next();
    if (r.done) return r.value;
    if (!r.value) {
      yield null;
      continue;
    }
    const { p, encoding, start: hostStart, end: hostEnd, startPos: start, endLine, embedded } = r.value;
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
      endLine,
      embedded,
    };
    if (p.headers) block.headers = p.headers;
    if (p.der) block.der = p.der;
    if (p.b64 !== undefined) block.pem = canonicalPem(p.label, p.headers ?? [], p.b64.replace(/[\r\n]+/g, ""));
    if (p.error) block.error = p.error;
    yield block;
  }
}

/** All blocks of `text` (see iterateBlocks). */
export function locateBlocks(text: string, options: LocateOptions = {}): { blocks: LocatedBlock[]; truncated?: string } {
  return collectBlocks(iterateBlocks(text, options));
}

/** Runs a block generator (iterateBlocks, or src/core/doc's) to its end: the blocks, and what was skipped. */
export function collectBlocks(it: Generator<LocatedBlock | null, string | undefined>): { blocks: LocatedBlock[]; truncated?: string } {
  const blocks: LocatedBlock[] = [];
  for (;;) {
    const r = it.next();
    if (r.done) return r.value ? { blocks, truncated: r.value } : { blocks };
    if (r.value) blocks.push(r.value);
  }
}

/**
 * Every PEM block in `text`, in order of appearance (the blocks iterateBlocks finds), up to the editor's cap
 * (LIMITS.pemBlocks): past it, one last entry with label "…" carries an error saying what was skipped, so a
 * caller reports it instead of showing a silently shortened file. Never throws.
 */
export function scanPem(text: string, maxBlocks: number = DEFAULT_MAX_BLOCKS): PemBlock[] {
  const out: PemBlock[] = [];
  const lines = new LineIndex(text);
  const it = walk(text, lines, maxBlocks);
  for (;;) {
    const r = it.next();
    if (r.done) {
      if (r.value) {
        const last = out[out.length - 1];
        out.push({ label: "…", line: last?.endLine ?? 1, endLine: last?.endLine ?? 1, start: last?.end ?? 0, end: text.length, encoding: "plain", error: tr("{0} (the limit is {1} blocks per file)", r.value, maxBlocks) });
      }
      break;
    }
    const f = r.value;
    if (!f) continue;
    const { p } = f;
    const b: PemBlock = { label: p.label, line: f.startPos.line + 1, endLine: f.endLine, start: f.start, end: f.end, encoding: f.encoding };
    if (p.headers) b.headers = Object.fromEntries(p.headers);
    if (p.der) b.der = p.der;
    if (p.error) b.error = p.brief ?? p.error;
    out.push(b);
  }
  return out;
}

/** PEM text of DER bytes with the given label, 64-character lines, trailing newline. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.length).toString("base64");
  let s = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) s += b64.slice(i, i + 64) + "\n";
  return s + `-----END ${label}-----\n`;
}
