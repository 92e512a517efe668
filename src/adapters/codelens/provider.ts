/** A CodeLens above each certificate: "CN=… · expires in 23 days"; clicking opens the viewer. */
import * as vscode from "vscode";
import type { Services } from "../services";
import { getConfig, onConfigChange } from "../config";
import { isCancellation, l10nT, mapSliced, TEXT_SELECTOR, toPosition } from "../documents/convert";
import { logError } from "../log";
import { codeLenses } from "./map";

export function registerCodeLens(context: vscode.ExtensionContext, services: Services): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document, token) {
      if (!getConfig(document.uri).codeLensEnabled) return [];
      try {
        const entries = await services.documents.get(document, token);
        const uri = document.uri.toString();
        return await mapSliced(
          entries,
          (chunk) =>
            codeLenses(uri, chunk, l10nT).map((l) => {
              const p = toPosition(l.position);
              return new vscode.CodeLens(new vscode.Range(p, p), { title: l.title, tooltip: l.tooltip, command: l.command, arguments: [l.ref] });
            }),
          token,
        );
      } catch (err) {
        if (!isCancellation(err)) logError("CodeLens", err);
        return [];
      }
    },
  };
  context.subscriptions.push(
    changed,
    vscode.languages.registerCodeLensProvider(TEXT_SELECTOR, provider),
    services.documents.onDidChange(() => changed.fire()),
    onConfigChange(["codeLens.enabled", "expiryWarningDays"], () => changed.fire()),
  );
}
