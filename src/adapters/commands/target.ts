/**
 * What a command acts on. Commands are called from the tree (a CertNode), the explorer or editor title
 * (a Uri), hovers, CodeLens and the viewer (`{uri, line?, objectIndex?}`), or the palette (nothing: the
 * active editor, and the block under the cursor).
 */
import * as vscode from "vscode";
import type { PasswordStore } from "../secrets";
import type { CertificateViewerProvider } from "../editor/viewerProvider";
import type { FileStore, LoadedFile } from "../editor/files";
import type { KeyIndex } from "../tree/keyIndex";
import { VIEWER_TYPES, isCertNode, type CertificateTree } from "../tree/provider";
import type { ValidationStore } from "../tree/validations";

export interface EditorDeps {
  context: vscode.ExtensionContext;
  files: FileStore;
  tree: CertificateTree;
  viewer: CertificateViewerProvider;
  keys: KeyIndex;
  validations: ValidationStore;
  passwords: PasswordStore;
  log?: vscode.LogOutputChannel;
}

export interface Target {
  file: LoadedFile;
  /** Index into file.flat, when the command concerns one object. */
  index?: number;
}

export interface LocationArg {
  uri: string | vscode.Uri;
  line?: number;
  objectIndex?: number;
}

export function isLocationArg(v: unknown): v is LocationArg {
  if (!v || typeof v !== "object" || v instanceof vscode.Uri) return false;
  const u = (v as LocationArg).uri;
  return typeof u === "string" || u instanceof vscode.Uri;
}

export function toUri(u: string | vscode.Uri): vscode.Uri {
  return typeof u === "string" ? vscode.Uri.parse(u) : u;
}

/** The uri of the active editor: a text editor, or a file open in the certificate viewer. */
export function activeUri(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (tab?.input instanceof vscode.TabInputCustom && VIEWER_TYPES.includes(tab.input.viewType)) return tab.input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

async function loadUri(uri: vscode.Uri, deps: EditorDeps): Promise<LoadedFile> {
  const cur = deps.tree.currentFile();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (cur && cur.uri.toString() === uri.toString() && (!open || cur.version === open.version)) return cur;
  const viewerFile = deps.viewer.session(uri)?.loaded();
  if (viewerFile && !open) return viewerFile;
  return deps.files.peek(uri) ?? deps.files.load(uri, { interactive: true });
}

function indexAtLine(file: LoadedFile, line: number): number | undefined {
  const exact = file.flat.findIndex((o) => o.depth === 0 && o.object.line === line);
  if (exact >= 0) return exact;
  const inside = file.flat.findIndex((o) => o.range && o.range.start.line <= line - 1 && o.range.end.line >= line - 1);
  return inside >= 0 ? inside : undefined;
}

export async function resolveTarget(arg: unknown, deps: EditorDeps): Promise<Target | undefined> {
  if (isCertNode(arg)) {
    const file = await loadUri(vscode.Uri.parse(arg.file), deps);
    return { file, ...(arg.data.objectIndex !== undefined ? { index: arg.data.objectIndex } : {}) };
  }
  if (arg instanceof vscode.Uri) return { file: await loadUri(arg, deps) };
  if (isLocationArg(arg)) {
    const file = await loadUri(toUri(arg.uri), deps);
    if (typeof arg.objectIndex === "number" && arg.objectIndex >= 0 && arg.objectIndex < file.flat.length) return { file, index: arg.objectIndex };
    const index = typeof arg.line === "number" ? indexAtLine(file, arg.line) : undefined;
    return { file, ...(index !== undefined ? { index } : {}) };
  }
  const uri = activeUri();
  if (!uri) return undefined;
  const file = await loadUri(uri, deps);
  const ed = vscode.window.activeTextEditor;
  if (ed && ed.document.uri.toString() === uri.toString()) {
    const index = indexAtLine(file, ed.selection.active.line + 1);
    if (index !== undefined) return { file, index };
  }
  return { file };
}
