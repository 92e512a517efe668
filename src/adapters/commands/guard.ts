/**
 * One wrapper for command handlers: an exception (or rejected promise) becomes a line in the CertScope log
 * and an error message — never an unhandled rejection that VS Code reports as "command failed" with no
 * context. Cancellation is not an error: it is logged at debug level only.
 */
import * as vscode from "vscode";
import { log, logError } from "../log";

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `fn`, guarded: what it returns (awaited), or undefined after logging the error under `id` and showing it.
 * Use as `vscode.commands.registerCommand(id, guarded(id, handler))`.
 */
export function guarded<A extends unknown[], R>(id: string, fn: (...args: A) => R | Thenable<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) {
        log().debug(`${id}: cancelled`);
        return undefined;
      }
      logError(id, err);
      void vscode.window.showErrorMessage(vscode.l10n.t("CertScope: {0}", messageOf(err)));
      return undefined;
    }
  };
}

/** `registerCommand(id, guarded(id, fn))`. */
export function registerGuarded<A extends unknown[], R>(id: string, fn: (...args: A) => R | Thenable<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, guarded(id, fn) as (...args: unknown[]) => unknown);
}
