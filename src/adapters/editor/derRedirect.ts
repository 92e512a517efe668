/**
 * A DER certificate saved with a text extension (`.crt`, `.pem`, `.csr`, `.key` — Windows and many CAs hand out
 * DER `.crt` files) opens in VS Code's text editor, which can only say "binary file". When such a tab opens and
 * the file is binary, CertScope reopens it in the certificate viewer in the same place. Text files are never
 * touched, and each file is redirected at most once a session, so choosing "Open With… → Text Editor"
 * afterwards is respected.
 */
import * as vscode from "vscode";
import { looksBinary } from "./pki";
import { logError } from "../log";

/** The text-editor extensions the viewer also takes ("Open With…", package.json `certscope.viewerText`). */
const TEXT_CERT_FILES = /\.(crt|pem|csr|key)$/i;
const VIEW_TYPE = "certscope.viewerText";
/** Larger files are not certificates a person opens; not read. */
const MAX_BYTES = 1 << 20;

export function registerDerRedirect(log?: vscode.LogOutputChannel): vscode.Disposable {
  const redirected = new Set<string>();
  return vscode.window.tabGroups.onDidChangeTabs((e) => {
    for (const tab of e.opened) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      if (uri.scheme !== "file" || !TEXT_CERT_FILES.test(uri.path) || redirected.has(uri.toString())) continue;
      redirected.add(uri.toString());
      reopenIfBinary(tab, uri, log).catch((err) => logError(`viewer: reopening ${uri.fsPath}`, err));
    }
  });
}

async function reopenIfBinary(tab: vscode.Tab, uri: vscode.Uri, log?: vscode.LogOutputChannel): Promise<void> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size === 0 || stat.size > MAX_BYTES) return;
  const bytes = await vscode.workspace.fs.readFile(uri);
  // DER starts with a SEQUENCE (0x30); a UTF-16 PEM (BOM, NUL bytes) is text VS Code shows well: left alone.
  if (bytes[0] !== 0x30 || !looksBinary(bytes)) return;
  log?.info(`viewer: ${vscode.workspace.asRelativePath(uri)} is binary (DER); opening it in the certificate viewer`);
  await vscode.commands.executeCommand("vscode.openWith", uri, VIEW_TYPE, { viewColumn: tab.group.viewColumn, preview: tab.isPreview });
  // The text editor's tab ("binary file") is now redundant; it may already be gone if the viewer replaced it.
  const stale = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (stale) await vscode.window.tabGroups.close(stale, true);
}
