/**
 * What activate() creates once and hands to every feature's `registerX(context, services)`.
 * Add a service here only when more than one feature needs it.
 */
import type * as vscode from "vscode";
import type { PkiDocumentService } from "./documents/service";

export interface Services {
  /** The "CertScope" LogOutputChannel. */
  log: vscode.LogOutputChannel;
  /** The cached, cancellable PKI analysis of open text documents (hover, Outline, CodeLens, Problems, tree). */
  documents: PkiDocumentService;
}
