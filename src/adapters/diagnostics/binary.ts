/**
 * Problems for binary certificate files open in the certificate viewer (DER, PKCS#12, …): their encoding
 * errors, on the file's first line, while the viewer is open. Text files get theirs from ./provider.ts.
 */
import * as vscode from "vscode";
import type { InspectResult } from "../../shared/model";
import { getConfig } from "../config";
import { l10nT } from "../documents/convert";
import { fileEncodingDiagnostics } from "./map";

let collection: vscode.DiagnosticCollection | undefined;

/** Called once from registerDiagnostics. */
export function registerBinaryDiagnostics(context: vscode.ExtensionContext): void {
  collection = vscode.languages.createDiagnosticCollection("certscope-files");
  context.subscriptions.push(collection, { dispose: () => (collection = undefined) });
}

/** The viewer shows `result` for `uri` (a binary file). */
export function showFileFindings(uri: vscode.Uri, result: InspectResult): void {
  if (!collection) return;
  if (!getConfig(uri).diagnosticsEnabled) {
    collection.delete(uri);
    return;
  }
  const specs = fileEncodingDiagnostics(result.objects, l10nT);
  collection.set(
    uri,
    specs.map((s) => {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), s.message, vscode.DiagnosticSeverity.Error);
      d.source = "CertScope";
      d.code = s.code;
      return d;
    }),
  );
}

/** The viewer of `uri` closed. */
export function clearFileFindings(uri: vscode.Uri): void {
  collection?.delete(uri);
}
