import type * as vscode from "vscode";
import { registerLog } from "./adapters/log";
import { registerDisplaySettings } from "./adapters/config";
import { PkiDocumentService } from "./adapters/documents/service";
import type { Services } from "./adapters/services";
import { registerHover } from "./adapters/hover/provider";
import { registerSymbols } from "./adapters/symbols/provider";
import { registerCodeLens } from "./adapters/codelens/provider";
import { registerDiagnostics } from "./adapters/diagnostics/provider";
import { registerEditorSurfaces } from "./adapters/commands";
import { registerHandshake } from "./adapters/handshake";
import { registerScan } from "./adapters/scan";
import { openCredentialsInWorker } from "./adapters/decodeWorker";

/**
 * Creates the services and lets each feature register itself. Nothing else happens here: no PKI library is
 * loaded (features load src/core through lazyCore.ts on first use), no file is read.
 */
export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  const log = registerLog(context);
  registerDisplaySettings(context);
  const documents = new PkiDocumentService();
  context.subscriptions.push(documents);
  const services: Services = { log, documents };

  registerHover(context, services);
  registerSymbols(context, services);
  registerCodeLens(context, services);
  registerDiagnostics(context, services);
  const editor = registerEditorSurfaces(context, services);
  const handshake = registerHandshake(context, { passwords: editor.passwords, openCredentials: openCredentialsInWorker });
  registerScan(context, { peers: handshake.peers });

  log.info(`CertScope activated in ${(performance.now() - t0).toFixed(1)} ms`);
}

export function deactivate(): void {}
