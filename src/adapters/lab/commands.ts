/**
 * The mTLS lab's command bodies: create a kit, start a server, the running server's menu. Loaded lazily with
 * the handshake panel (dist/handshake.js, see ../lazyHandshake.ts); ./index.ts registers the commands and the
 * status bar item at activation. The work itself is in src/core/lab (loaded lazily through core()).
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { promises as fs } from "node:fs";
import { core } from "../lazyCore";
import { logError } from "../log";
import { LabService, labLog, MODES, type LabHooks, type StartServerArgs } from "./service";

const LAST_KIT = "certscope.lab.lastKitDir";

export async function labServerMenu(lab: LabService): Promise<void> {
  const info = lab.info;
  if (!info) {
    const a = await vscode.window.showInformationMessage(vscode.l10n.t("No CertScope test server is running."), vscode.l10n.t("Start Local Test Server"));
    if (a) await vscode.commands.executeCommand("certscope.startTestServer");
    return;
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t("$(debug-stop) Stop the test server"), id: "stop" },
      { label: vscode.l10n.t("$(plug) Test TLS Handshake against it"), id: "test" },
      { label: vscode.l10n.t("$(output) Show the server's log"), description: vscode.l10n.t("CertScope output, lines marked lab:"), id: "log" },
    ],
    { title: vscode.l10n.t("CertScope test server on {0}:{1} ({2})", info.host, info.port, info.mode) },
  );
  if (pick?.id === "stop") await vscode.commands.executeCommand("certscope.stopTestServer");
  else if (pick?.id === "test") await vscode.commands.executeCommand("certscope.testHandshake");
  else if (pick?.id === "log") labLog.show();
}

function toPath(arg: vscode.Uri | string | undefined): string | undefined {
  if (!arg) return undefined;
  if (typeof arg === "string") return arg;
  if (arg instanceof vscode.Uri || (typeof arg === "object" && "fsPath" in arg)) return (arg as vscode.Uri).fsPath;
  return undefined;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/** A folder in the first workspace folder that does not exist yet: mtls-lab, mtls-lab-2, … */
async function freshFolder(base: string): Promise<string> {
  for (let i = 1; i < 100; i++) {
    const p = path.join(base, i === 1 ? "mtls-lab" : `mtls-lab-${i}`);
    if (await isEmptyOrMissing(p)) return p;
  }
  return path.join(base, `mtls-lab-${Date.now()}`);
}

interface FolderPick extends vscode.QuickPickItem {
  id: "fresh" | "dialog" | "type";
  dir?: string;
}

/**
 * Asks where to put the kit: a fresh folder in the workspace (default), a folder dialog, or a typed path —
 * the last one for remote/browser setups (code-server) where a native dialog is not available or odd.
 */
async function chooseKitFolder(): Promise<string | undefined> {
  const ws = vscode.workspace.workspaceFolders?.[0];
  const items: FolderPick[] = [];
  if (ws && ws.uri.scheme === "file") {
    const dir = await freshFolder(ws.uri.fsPath);
    items.push({ id: "fresh", dir, label: vscode.l10n.t("$(new-folder) {0}", path.relative(ws.uri.fsPath, dir)), description: vscode.l10n.t("new folder in the workspace"), detail: dir });
  }
  items.push({ id: "dialog", label: vscode.l10n.t("$(folder-opened) Choose a folder…") });
  items.push({ id: "type", label: vscode.l10n.t("$(edit) Type a folder path…") });
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t("Create mTLS Test Kit: where?"), placeHolder: vscode.l10n.t("The kit's files go into this folder") });
  if (!pick) return undefined;
  if (pick.id === "fresh") return pick.dir;
  if (pick.id === "dialog") {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t("Create Test Kit Here"), defaultUri: ws?.uri, title: vscode.l10n.t("Folder for the mTLS test kit") });
    return uris?.[0]?.fsPath;
  }
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t("Create mTLS Test Kit"),
    prompt: vscode.l10n.t("Folder for the kit (created if missing; absolute, or relative to the workspace folder)"),
    value: ws ? path.join(ws.uri.fsPath, "mtls-lab") : "",
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t("Enter a folder path")),
  });
  if (!typed) return undefined;
  return path.isAbsolute(typed.trim()) ? typed.trim() : path.join(ws?.uri.fsPath ?? process.cwd(), typed.trim());
}

export async function createTestKit(context: vscode.ExtensionContext, arg?: vscode.Uri | string): Promise<string | undefined> {
  const dir = toPath(arg) ?? (await chooseKitFolder());
  if (!dir) return undefined;
  let overwrite = false;
  if (!(await isEmptyOrMissing(dir))) {
    try {
      await core().locateTestKit(dir);
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t("{0} already holds a CertScope test kit. Replace it with a new one?", dir), { modal: true }, vscode.l10n.t("Replace"));
      if (answer !== vscode.l10n.t("Replace")) return undefined;
      overwrite = true;
    } catch {
      /* not a kit: writeTestKit refuses only if our file names are taken */
    }
  }
  try {
    const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("Creating the mTLS test kit…") }, () => core().writeTestKit(dir, { overwrite }));
    await context.workspaceState.update(LAST_KIT, dir);
    await context.globalState.update(LAST_KIT, dir);
    labLog.info(`created a test kit in ${dir} (${res.written.length} files)`);
    const readme = vscode.Uri.file(path.join(dir, "README.md"));
    void vscode.window
      .showInformationMessage(vscode.l10n.t("mTLS test kit created in {0} ({1} files).", dir, res.written.length), vscode.l10n.t("Start Local Test Server"), vscode.l10n.t("Open README"))
      .then((a) => {
        if (a === vscode.l10n.t("Start Local Test Server")) void vscode.commands.executeCommand("certscope.startTestServer", { kitDir: dir });
        else if (a === vscode.l10n.t("Open README"))
          void vscode.commands.executeCommand("markdown.showPreview", readme).then(undefined, () =>
            vscode.window.showTextDocument(readme).then(undefined, (e: unknown) => logError(`lab: open ${readme.fsPath}`, e)),
          );
      });
    return dir;
  } catch (e) {
    labLog.warn(`could not create the test kit in ${dir}: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t("CertScope: could not create the test kit in {0}: {1}", dir, (e as Error).message));
    return undefined;
  }
}

interface KitPick extends vscode.QuickPickItem {
  id: "kit" | "create" | "dialog" | "type";
  dir?: string;
}

async function chooseKit(context: vscode.ExtensionContext): Promise<string | undefined> {
  const known = [context.workspaceState.get<string>(LAST_KIT), context.globalState.get<string>(LAST_KIT)].filter((d): d is string => !!d);
  const items: KitPick[] = [];
  for (const dir of [...new Set(known)]) {
    try {
      await core().locateTestKit(dir);
      items.push({ id: "kit", dir, label: vscode.l10n.t("$(key) {0}", path.basename(dir)), description: vscode.l10n.t("last kit"), detail: dir });
    } catch {
      /* gone */
    }
  }
  items.push({ id: "create", label: vscode.l10n.t("$(add) Create a new test kit…") }, { id: "dialog", label: vscode.l10n.t("$(folder-opened) Choose a kit folder…") }, { id: "type", label: vscode.l10n.t("$(edit) Type a kit folder path…") });
  const pick = items.length === 4 && items[0].id === "kit" ? items[0] : await vscode.window.showQuickPick(items, { title: vscode.l10n.t("Start Local Test Server: which test kit?") });
  if (!pick) return undefined;
  if (pick.id === "kit") return pick.dir;
  if (pick.id === "create") return createTestKitQuiet(context);
  if (pick.id === "dialog") {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t("Use This Kit"), title: vscode.l10n.t("mTLS test kit folder") });
    return uris?.[0]?.fsPath;
  }
  const typed = await vscode.window.showInputBox({ title: vscode.l10n.t("Start Local Test Server"), prompt: vscode.l10n.t("Folder of an mTLS test kit") });
  return typed?.trim() || undefined;
}

async function createTestKitQuiet(context: vscode.ExtensionContext): Promise<string | undefined> {
  const dir = await chooseKitFolder();
  if (!dir) return undefined;
  try {
    const res = await core().writeTestKit(dir);
    await context.workspaceState.update(LAST_KIT, dir);
    await context.globalState.update(LAST_KIT, dir);
    labLog.info(`created a test kit in ${dir} (${res.written.length} files)`);
    return dir;
  } catch (e) {
    labLog.warn(`could not create the test kit in ${dir}: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t("CertScope: could not create the test kit in {0}: {1}", dir, (e as Error).message));
    return undefined;
  }
}

export async function startServer(context: vscode.ExtensionContext, lab: LabService, arg: StartServerArgs | vscode.Uri | undefined, hooks: LabHooks): Promise<{ port: number } | undefined> {
  const args: StartServerArgs = arg instanceof vscode.Uri ? { kitDir: arg.fsPath } : (arg ?? {});
  const kitDir = args.kitDir ?? (await chooseKit(context));
  if (!kitDir) return undefined;
  let mode = args.mode;
  if (!mode) {
    const pick = await vscode.window.showQuickPick(
      MODES.map((m) => ({ ...m, description: m.mode })),
      { title: vscode.l10n.t("Start Local Test Server: client authentication"), placeHolder: vscode.l10n.t("How the server treats client certificates") },
    );
    if (!pick) return undefined;
    mode = pick.mode;
  }
  if (lab.current) await lab.stop();
  try {
    const { paths } = await core().locateTestKit(kitDir);
    const server = await core().startTestServer({
      mode,
      kitDir,
      port: args.port ?? 0,
      onEvent: (e) => labLog.event(e),
    });
    lab.set({ server, paths, mode });
    await context.workspaceState.update(LAST_KIT, kitDir);
    labLog.info(`serving ${paths.serverCert} on ${server.host}:${server.port}, mode ${mode}`);
    hooks.onStarted?.();
    void vscode.window
      .showInformationMessage(vscode.l10n.t("CertScope test server on {0}:{1} ({2}).", server.host, server.port, MODES.find((m) => m.mode === mode)?.label ?? mode), vscode.l10n.t("Test TLS Handshake"), vscode.l10n.t("Stop"))
      .then((a) => {
        if (a === vscode.l10n.t("Test TLS Handshake")) void vscode.commands.executeCommand("certscope.testHandshake");
        else if (a === vscode.l10n.t("Stop")) void vscode.commands.executeCommand("certscope.stopTestServer");
      });
    return { port: server.port };
  } catch (e) {
    labLog.warn(`could not start the test server with ${kitDir}: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t("CertScope: could not start the test server: {0}", (e as Error).message));
    return undefined;
  }
}
