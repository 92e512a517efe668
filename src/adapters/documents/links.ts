/**
 * How the document surfaces point at one PEM block when they run a command (hover links, CodeLens): the
 * argument every `certscope.*` command receives from them. Pure (no vscode).
 *
 * Contract for command handlers (certscope.openViewer, certscope.validateChain, certscope.revealBlock): the
 * first argument may be a `BlockRef` — a plain JSON object, because command links in Markdown are JSON.
 */
export interface BlockRef {
  /** The document's URI, `Uri.toString()`. */
  uri: string;
  /** 1-based line of the block's BEGIN marker (the line `certscope inspect` prints). */
  line: number;
  /** 0-based index of the block in the document (counts every block, malformed ones too). */
  index: number;
}

/** A `command:` URI for Markdown links, with the ref as its one JSON argument. */
export function commandUri(command: string, ref: BlockRef): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([ref]))}`;
}

/** The commands hover links may run; MarkdownString.isTrusted is limited to exactly these. */
export const HOVER_COMMANDS = ["certscope.openViewer", "certscope.validateChain"] as const;
