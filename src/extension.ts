import type * as vscode from "vscode";

/** Creates the services and lets each feature register itself. Nothing else happens here. */
export function activate(_context: vscode.ExtensionContext): void {
  // Features register here as they land (see src/adapters/*).
}

export function deactivate(): void {}
