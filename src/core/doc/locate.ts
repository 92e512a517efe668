/**
 * Where the editor finds PKI blocks: the one PEM locator of src/core/pki/pem.ts (the same one `certscope inspect`
 * reads through), plus what only the editor needs — certificates written as bare base64 DER (./der64.ts: JWKS
 * `x5c`, "MII…" strings), merged with the PEM blocks in document order.
 */
import type { LocatedBlock } from "./types";
import { DEFAULT_MAX_BLOCKS, LineIndex, canonicalPem, collectBlocks, iterateBlocks as iteratePemBlocks, type LocateOptions } from "../pki/pem";
import { iterateBase64Certificates } from "./der64";
import { t } from "../l10n";

export { BASE64_BEGIN, DEFAULT_MAX_BLOCKS, LineIndex, canonicalPem, kindOfLabel, mayContainPem, type LocateOptions } from "../pki/pem";

/**
 * Every block of `text` in document order: PEM blocks (plain, escaped, base64-wrapped) and base64 DER
 * certificates outside them. Yields `null` now and then while crossing large stretches of text (a point where the
 * caller may yield to its event loop); returns a sentence saying what was skipped when `maxBlocks` was reached.
 */
export function* iterateBlocks(text: string, options: LocateOptions = {}): Generator<LocatedBlock | null, string | undefined> {
  const max = options.maxBlocks ?? DEFAULT_MAX_BLOCKS;
  const pem: LocatedBlock[] = [];
  // A step per block, as the PEM locator gives them: the caller may yield to its event loop between any two.
  let truncated = yield* gatherBlocks(iteratePemBlocks(text, options), pem);
  const bare: LocatedBlock[] = [];
  if (pem.length < max) {
    const r = yield* bareCertificates(text, pem, max, bare);
    truncated ??= r;
  }
  // Both lists are in document order: merge them, numbering the blocks anew.
  let i = 0;
  let j = 0;
  for (let index = 0; i < pem.length || j < bare.length; index++) {
    const next = j >= bare.length || (i < pem.length && pem[i].startOffset <= bare[j].startOffset) ? pem[i++] : bare[j++];
    yield next.index === index ? next : { ...next, index };
  }
  return truncated;
}

/**
 * Runs a block generator (the PEM locator's, or iterateBlocks) to its end, pushing its blocks onto `out`. Yields
 * `null` after each of its steps, so that the caller may yield to its event loop; returns what it skipped.
 */
export function* gatherBlocks(it: Generator<LocatedBlock | null, string | undefined>, out: LocatedBlock[]): Generator<null, string | undefined> {
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    if (r.value) out.push(r.value);
    yield null;
  }
}

/**
 * Base64 DER certificates of `text` outside the PEM blocks `pem` (in document order), pushed onto `out` until
 * `max` blocks in all; returns what was skipped when the cap was reached.
 */
function* bareCertificates(text: string, pem: readonly LocatedBlock[], max: number, out: LocatedBlock[]): Generator<null, string | undefined> {
  const lines = new LineIndex(text);
  // A PEM block's body is base64 too: a candidate inside one resumes after it (offsets only grow).
  let k = 0;
  const skip = (offset: number) => {
    while (k < pem.length && pem[k].endOffset < offset) k++;
    for (let j = k; j < pem.length && pem[j].startOffset <= offset; j++) if (offset <= pem[j].endOffset) return pem[j].endOffset;
    return undefined;
  };
  for (const hit of iterateBase64Certificates(text, { skip, maxHits: max - pem.length + 1 })) {
    if (!hit) {
      yield null;
      continue;
    }
    if (pem.length + out.length >= max) return t("only the first {0} blocks were read; the rest of the file (from line {1}) was skipped", max, lines.line(hit.start));
    const start = lines.position(hit.start);
    const end = lines.position(hit.end);
    out.push({
      index: 0,
      label: "CERTIFICATE",
      kind: "certificate",
      encoding: "base64-der",
      range: { start, end },
      startOffset: hit.start,
      endOffset: hit.end,
      line: start.line + 1,
      endLine: end.line + 1,
      embedded: true,
      der: hit.der,
      pem: canonicalPem("CERTIFICATE", [], hit.b64),
    });
    yield null;
  }
  return undefined;
}

/** All blocks of `text` (see iterateBlocks). */
export function locateBlocks(text: string, options: LocateOptions = {}): { blocks: LocatedBlock[]; truncated?: string } {
  return collectBlocks(iterateBlocks(text, options));
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
