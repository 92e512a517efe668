/** Conversions between the core's plain positions and VS Code's, and the document selector of the text surfaces. */
import * as vscode from "vscode";
import type { DocPosition, DocRange } from "../../core/doc/types";
import type { Translate } from "./describe";

/** Text documents on disk and untitled ones, in any language. */
export const TEXT_SELECTOR: vscode.DocumentSelector = [{ scheme: "file" }, { scheme: "untitled" }];

export function isAnalysable(document: vscode.TextDocument): boolean {
  return document.uri.scheme === "file" || document.uri.scheme === "untitled";
}

export function toPosition(p: DocPosition): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toRange(r: DocRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** `vscode.l10n.t` with the shape the pure mappers take. */
export const l10nT: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

/** True for the errors a cancelled request ends with (nothing to report). */
export function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err instanceof Error && err.name === "Canceled");
}

/** Items mapped per step by `mapSliced` before it checks the clock. */
const MAP_CHUNK = 500;

/**
 * Maps `items` in chunks, yielding to the event loop every few milliseconds, so turning 20,000 blocks into
 * symbols or diagnostics never holds the extension host for long. Rejects with CancellationError on `token`.
 */
export async function mapSliced<T, R>(items: readonly T[], map: (chunk: readonly T[], offset: number) => R[], token?: vscode.CancellationToken, sliceMs = 8): Promise<R[]> {
  const out: R[] = [];
  let start = performance.now();
  for (let i = 0; i < items.length; i += MAP_CHUNK) {
    for (const r of map(items.slice(i, i + MAP_CHUNK), i)) out.push(r);
    if (performance.now() - start > sliceMs && i + MAP_CHUNK < items.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      start = performance.now();
    }
  }
  return out;
}
