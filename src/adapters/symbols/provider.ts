/** Outline and breadcrumbs: one symbol per PEM block ("Certificate CN=…", "Private key (RSA 2048)"). */
import * as vscode from "vscode";
import type { Services } from "../services";
import { getConfig } from "../config";
import { isCancellation, l10nT, mapSliced, TEXT_SELECTOR, toRange } from "../documents/convert";
import { logError } from "../log";
import { documentSymbols, type SymbolKindName, type SymbolSpec } from "./map";

const KIND: Record<SymbolKindName, vscode.SymbolKind> = {
  certificate: vscode.SymbolKind.Class,
  csr: vscode.SymbolKind.Interface,
  crl: vscode.SymbolKind.Array,
  key: vscode.SymbolKind.Key,
  container: vscode.SymbolKind.Package,
  other: vscode.SymbolKind.Object,
  error: vscode.SymbolKind.Null,
};

function toSymbol(s: SymbolSpec): vscode.DocumentSymbol {
  const sym = new vscode.DocumentSymbol(s.name, s.detail, KIND[s.kind], toRange(s.range), toRange(s.selectionRange));
  sym.children = s.children.map(toSymbol);
  return sym;
}

export function registerSymbols(context: vscode.ExtensionContext, services: Services): void {
  const provider: vscode.DocumentSymbolProvider = {
    async provideDocumentSymbols(document, token) {
      try {
        const entries = await services.documents.get(document, token);
        if (!entries.length) return [];
        const now = new Date();
        const days = getConfig(document.uri).expiryWarningDays;
        return await mapSliced(entries, (chunk) => documentSymbols(chunk, now, days, l10nT).map(toSymbol), token);
      } catch (err) {
        if (!isCancellation(err)) logError("document symbols", err);
        return [];
      }
    },
  };
  context.subscriptions.push(vscode.languages.registerDocumentSymbolProvider(TEXT_SELECTOR, provider, { label: "CertScope" }));
}
