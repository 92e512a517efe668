/**
 * The one output channel of CertScope: a LogOutputChannel named "CertScope" (View → Output → CertScope), so
 * the user picks the level and VS Code timestamps each line. Never log key material or passphrases.
 */
import * as vscode from "vscode";

/**
 * The channel is kept on globalThis, not in this module: the lazily loaded bundles (dist/handshake.js) carry
 * their own copy of this module, and all of them must write to the one channel.
 */
const SLOT = Symbol.for("certscope.log.channel");
const holder = globalThis as { [SLOT]?: vscode.LogOutputChannel };

/** The channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  holder[SLOT] ??= vscode.window.createOutputChannel("CertScope", { log: true });
  return holder[SLOT];
}

/** Creates the channel and disposes it with the extension. */
export function registerLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const c = log();
  context.subscriptions.push(c, { dispose: () => (holder[SLOT] = undefined) });
  return c;
}

/** A message for an unexpected error: its message, and the stack at trace level. */
export function logError(what: string, err: unknown): void {
  const c = log();
  c.error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof Error && err.stack) c.trace(err.stack);
}
