/**
 * Where the editor finds PEM blocks: the one locator of src/core/pki/pem.ts (the same one `certscope inspect`
 * reads through), plus what only the editor needs.
 */
import type { LocatedBlock } from "./types";

export {
  BASE64_BEGIN,
  DEFAULT_MAX_BLOCKS,
  LineIndex,
  canonicalPem,
  iterateBlocks,
  kindOfLabel,
  locateBlocks,
  mayContainPem,
  type LocateOptions,
} from "../pki/pem";

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
