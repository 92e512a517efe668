/**
 * The latest chain validation per file (shown as the tree's "Validation" section) and the
 * "certscope-chain" diagnostics on the blocks it concerns. A run goes stale — and is dropped — as soon as
 * its text document changes.
 */
import * as vscode from "vscode";
import type { ValidationRun } from "./model";

export class ValidationStore implements vscode.Disposable {
  private readonly runs = new Map<string, ValidationRun>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection("certscope-chain");
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && this.runs.has(e.document.uri.toString())) this.clear(e.document.uri);
    });
  }

  get(uri: vscode.Uri): ValidationRun | undefined {
    return this.runs.get(uri.toString());
  }

  set(uri: vscode.Uri, run: ValidationRun, diagnostics: vscode.Diagnostic[]): void {
    this.runs.set(uri.toString(), run);
    this.diagnostics.set(uri, diagnostics);
    this.emitter.fire(uri);
  }

  clear(uri: vscode.Uri): void {
    this.runs.delete(uri.toString());
    this.diagnostics.delete(uri);
    this.emitter.fire(uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.diagnostics.dispose();
    this.emitter.dispose();
  }
}
