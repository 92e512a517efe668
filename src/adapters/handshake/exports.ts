/**
 * What the panel writes or copies for the user: the server's chain as PEM, the run as JSON or Markdown, the
 * NSS key log, the openssl / curl commands. Confirmations are VS Code notifications (with "Open File" and
 * "Reveal" for a written file) — where the user looks after a save dialog — not a line in the page.
 */
import * as vscode from "vscode";
import { curlCommand, opensslCommand, resultToMarkdown } from "../../shared/handshakeView";
import type { HandshakeForm, RunResult } from "../../shared/protocol/handshake";
import { invalidateScan } from "./picker";
import { commandInputOf, passphraseFileOf, trustOf, UserError } from "./runner";
import { logError } from "../log";
import { writeOwnerOnly } from "../../core/privateFile";

const t = vscode.l10n.t;

function defaultUri(name: string): vscode.Uri | undefined {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  return ws ? vscode.Uri.joinPath(ws, name) : undefined;
}

/** "Saved …" with Open File / Reveal; not awaited (the page's request answers at once). */
export function notifyWritten(uri: vscode.Uri, message: string): void {
  const open = t("Open File");
  const reveal = t("Reveal");
  void vscode.window.showInformationMessage(message, open, reveal).then(async (a) => {
    try {
      if (a === open) await vscode.window.showTextDocument(uri, { preview: false });
      else if (a === reveal) {
        // In the Explorer when the file is in the workspace; else the OS file manager (desktop).
        if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand("revealInExplorer", uri);
        else await vscode.commands.executeCommand("revealFileInOS", uri);
      }
    } catch (e) {
      logError(`handshake panel: ${a} ${uri.fsPath}`, e);
    }
  });
}

async function saveText(name: string, filters: Record<string, string[]>, text: string, title: string): Promise<void> {
  const uri = await vscode.window.showSaveDialog({ defaultUri: defaultUri(name), filters, title });
  if (!uri) return;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  invalidateScan();
  notifyWritten(uri, t("Saved {0}.", vscode.workspace.asRelativePath(uri)));
}

export async function commandsFor(form: HandshakeForm): Promise<{ openssl: string; curl: string }> {
  const trust = await trustOf(form).catch(() => ({ caFiles: form.caFiles, useSystemRoots: form.trust === "system" }));
  const input = commandInputOf(form, trust, !!(await passphraseFileOf(form)));
  return { openssl: opensslCommand(input), curl: curlCommand(input) };
}

export async function saveChain(run: RunResult): Promise<void> {
  const pems = run.result.serverChain.map((c) => c.pem).filter((p): p is string => !!p);
  if (!pems.length) throw new UserError(t("The server sent no certificates in this run."));
  const name = `${run.result.target.servername ?? run.result.target.host}-chain.pem`;
  await saveText(name, { PEM: ["pem", "crt"] }, pems.map((p) => (p.endsWith("\n") ? p : p + "\n")).join(""), t("Save the server's chain as PEM"));
}

export async function exportJson(run: RunResult): Promise<void> {
  const { host, port } = run.result.target;
  await saveText(`handshake-${host}-${port}.json`, { JSON: ["json"] }, JSON.stringify(run.result, null, 2) + "\n", t("Export the run as JSON (certscope handshake --json)"));
}

export async function exportMarkdown(run: RunResult, form: HandshakeForm): Promise<void> {
  const { host, port } = run.result.target;
  const md = resultToMarkdown(run.result, { startedAt: run.startedAt, commands: await commandsFor(form).catch(() => undefined) });
  await saveText(`handshake-${host}-${port}.md`, { Markdown: ["md"] }, md, t("Export the run as Markdown"));
}

/** Copies the command; a short notification says so (the command itself is in the clipboard, not repeated). */
export async function copyCommand(which: "openssl" | "curl", form: HandshakeForm): Promise<void> {
  const c = await commandsFor(form);
  await vscode.env.clipboard.writeText(which === "openssl" ? c.openssl : c.curl);
  void vscode.window.showInformationMessage(which === "openssl" ? t("Copied the openssl command.") : t("Copied the curl command."));
}

export async function saveKeylog(lines: string[] | undefined): Promise<void> {
  if (!lines?.length) throw new UserError(t("No key log was recorded for this run (key logs are kept in memory for the runs of this session only)."));
  const uri = await vscode.window.showSaveDialog({
    defaultUri: defaultUri("sslkeylog.txt"),
    filters: { [t("Key log")]: ["txt", "log"] },
    title: t("Write the NSS key log (for Wireshark) — it decrypts this connection"),
  });
  if (!uri) return;
  const data = new TextEncoder().encode(lines.join("\n") + "\n");
  // Owner-only (0600) like the CLI's --keylog: the key log decrypts the connection.
  if (uri.scheme === "file") await writeOwnerOnly(uri.fsPath, data);
  else await vscode.workspace.fs.writeFile(uri, data);
  notifyWritten(uri, t("Key log written to {0} ({1} lines). Anyone with it can decrypt this capture.", vscode.workspace.asRelativePath(uri), lines.length));
}
