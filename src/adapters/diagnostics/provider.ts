/**
 * Problems for PKI blocks in open documents (never the whole workspace): expired, not yet valid, expiring,
 * weak signature or key, malformed. Re-checked after edits (debounced), when settings change, and when the
 * document service finishes an analysis.
 */
import * as vscode from "vscode";
import type { Services } from "../services";
import type { DocumentAnalysis } from "../documents/service";
import { getConfig, onConfigChange } from "../config";
import { isAnalysable, isCancellation, l10nT, mapSliced, toRange } from "../documents/convert";
import { isPemDocument } from "../documents/describe";
import { logError } from "../log";
import { capDiagnostics, documentDiagnostics, type DiagnosticSpec } from "./map";
import { registerBinaryDiagnostics } from "./binary";

const DEBOUNCE_MS = 400;
/** Problems listed per file; a bundle of 20,000 expired certificates gets a note instead of the rest. */
const MAX_DIAGNOSTICS = 1000;
const SEVERITY: Record<DiagnosticSpec["severity"], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function registerDiagnostics(context: vscode.ExtensionContext, services: Services): void {
  const collection = vscode.languages.createDiagnosticCollection("certscope");
  registerBinaryDiagnostics(context);
  const timers = new Map<string, NodeJS.Timeout>();

  const apply = async (document: vscode.TextDocument, analysis: DocumentAnalysis) => {
    const cfg = getConfig(document.uri);
    if (!cfg.diagnosticsEnabled) {
      collection.delete(document.uri);
      return;
    }
    const opts = {
      pemFile: isPemDocument(document.fileName, document.languageId, document.isUntitled),
      embeddedBlocks: cfg.diagnosticsEmbeddedBlocks,
      now: new Date(),
      expiryWarningDays: cfg.expiryWarningDays,
    };
    const specs = await mapSliced(analysis.entries, (chunk, offset) =>
      documentDiagnostics(chunk, offset === 0 && analysis.truncated ? { ...opts, truncated: analysis.truncated } : opts, l10nT),
    );
    if (analysis.entries.length === 0 && analysis.truncated) specs.push(...documentDiagnostics([], { ...opts, truncated: analysis.truncated }, l10nT));
    if (document.isClosed || document.version !== analysis.version) return;
    collection.set(
      document.uri,
      capDiagnostics(specs, MAX_DIAGNOSTICS, l10nT).map((s) => {
        const d = new vscode.Diagnostic(toRange(s.range), s.message, SEVERITY[s.severity]);
        d.source = "CertScope";
        d.code = s.code;
        return d;
      }),
    );
  };

  const check = async (document: vscode.TextDocument) => {
    if (!isAnalysable(document) || document.isClosed) return;
    if (!getConfig(document.uri).diagnosticsEnabled) {
      collection.delete(document.uri);
      return;
    }
    try {
      const analysis = await services.documents.analysis(document);
      if (!document.isClosed && analysis.version === document.version) await apply(document, analysis);
    } catch (err) {
      if (!isCancellation(err)) logError(`diagnostics for ${document.uri.toString(true)}`, err);
    }
  };

  const schedule = (document: vscode.TextDocument, delay = DEBOUNCE_MS) => {
    if (!isAnalysable(document)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void check(document);
      }, delay),
    );
  };

  const checkAll = () => {
    for (const d of vscode.workspace.textDocuments) schedule(d, 0);
  };

  context.subscriptions.push(
    collection,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
    }),
    services.documents.onDidChange((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const analysis = document && services.documents.peek(document);
      if (document && analysis) apply(document, analysis).catch((err) => logError("diagnostics", err));
    }),
    onConfigChange(["diagnostics.enabled", "diagnostics.embeddedBlocks", "expiryWarningDays"], checkAll),
  );
  // After activation returns: the first analysis may load the PKI core.
  setTimeout(checkAll, 0);
}
