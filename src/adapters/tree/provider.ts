/**
 * The "Certificates" view (certscope.certificates, in the Explorer): the PKI objects of the active editor —
 * a text document (through the document service) or a file open in the certificate viewer — mapped to tree
 * items by the pure functions of ./model. Follows the active editor, re-reads on edits (debounced, the
 * previous run cancelled), and shows the latest chain validation of the file on top.
 */
import * as vscode from "vscode";
import type { FileStore, LoadedFile } from "../editor/files";
import { baseName } from "../editor/files";
import { errorMessage } from "../editor/pki";
import type { KeyIndex } from "./keyIndex";
import { fileNodes, type TreeNodeData } from "./model";
import type { ValidationStore } from "./validations";

export const VIEW_ID = "certscope.certificates";
export const VIEWER_TYPES = ["certscope.viewer", "certscope.viewerText"];

/** A tree element: the node data and the file it belongs to. Commands receive these from menus. */
export interface CertNode {
  data: TreeNodeData;
  /** uri string of the file the tree shows. */
  file: string;
}

export function isCertNode(v: unknown): v is CertNode {
  return !!v && typeof v === "object" && typeof (v as CertNode).file === "string" && !!(v as CertNode).data && typeof (v as CertNode).data.id === "string";
}

const t = vscode.l10n.t;

export class CertificateTree implements vscode.TreeDataProvider<CertNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CertNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private current: { uri: vscode.Uri; file?: LoadedFile; message?: string } | undefined;
  private cts: vscode.CancellationTokenSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  view: vscode.TreeView<CertNode> | undefined;

  constructor(
    private readonly files: FileStore,
    private readonly keys: KeyIndex,
    private readonly validations: ValidationStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(50)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.schedule(50)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.current && e.document.uri.toString() === this.current.uri.toString() && e.contentChanges.length) this.schedule(400);
      }),
      vscode.workspace.onDidCloseTextDocument(() => this.schedule(50)),
      files.onDidChange((u) => {
        if (this.current && u.toString() === this.current.uri.toString()) this.schedule(0);
      }),
      keys.onDidChange(() => this.emitter.fire()),
      validations.onDidChange((u) => {
        if (this.current && u.toString() === this.current.uri.toString()) this.emitter.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("certscope.expiryWarningDays") || e.affectsConfiguration("certscope.display.timeZone")) this.emitter.fire();
      }),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.cts?.cancel();
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }

  /** The file the tree shows, decoded (undefined while loading or when there is none). */
  currentFile(): LoadedFile | undefined {
    return this.current?.file;
  }

  currentUri(): vscode.Uri | undefined {
    return this.current?.uri;
  }

  refresh(): void {
    this.schedule(0, true);
  }

  private schedule(ms: number, force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(force), ms);
  }

  /** The document or custom-editor file that is active, if any. */
  private activeTarget(): { doc?: vscode.TextDocument; uri: vscode.Uri } | undefined {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (tab?.input instanceof vscode.TabInputCustom && VIEWER_TYPES.includes(tab.input.viewType)) return { uri: tab.input.uri };
    const ed = vscode.window.activeTextEditor;
    if (ed && ed.document.uri.scheme !== "output" && ed.document.uri.scheme !== "vscode-scm") return { doc: ed.document, uri: ed.document.uri };
    if (tab?.input instanceof vscode.TabInputText) {
      const uri = tab.input.uri;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return doc ? { doc, uri } : { uri };
    }
    return undefined;
  }

  private async update(force: boolean): Promise<void> {
    // Nothing is decoded while the view is hidden (collapsed, or its side bar closed): it catches up when shown.
    if (this.view && !this.view.visible) return;
    const target = this.activeTarget();
    if (!target) {
      // Focus moved to a panel or a non-file tab: keep showing the last file while it is still open.
      if (this.current && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.current?.uri.toString()) && !this.files.peek(this.current.uri)) {
        this.current = undefined;
        this.setMessage(undefined);
        this.emitter.fire();
      }
      return;
    }
    const same = this.current && this.current.uri.toString() === target.uri.toString();
    if (same && !force && target.doc && this.current?.file?.version === target.doc.version) return;
    this.cts?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cts = cts;
    if (!same) {
      this.current = { uri: target.uri };
      this.emitter.fire();
    }
    let file: LoadedFile | undefined;
    let message: string | undefined;
    try {
      if (target.doc) file = await this.files.fromDocument(target.doc, cts.token);
      else file = (!force && this.files.peek(target.uri)) || (await this.files.load(target.uri, { interactive: false, token: cts.token }));
    } catch (err) {
      if (cts.token.isCancellationRequested) return;
      message = t("{0}: {1}", baseName(target.uri), errorMessage(err));
      this.log?.warn(`tree: ${target.uri.toString()}: ${errorMessage(err)}`);
    }
    if (cts.token.isCancellationRequested) return;
    this.current = { uri: target.uri, ...(file ? { file } : {}), ...(message ? { message } : {}) };
    if (file && !file.flat.length && !file.result.errors.length) message = t("No certificates, keys, CSRs or CRLs in {0}.", file.fileName);
    else if (file?.locked) message = t("{0} Open it in the certificate viewer to enter the password.", file.locked);
    else if (file?.truncated) message = file.truncated;
    this.setMessage(message);
    this.emitter.fire();
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  getTreeItem(node: CertNode): vscode.TreeItem {
    const d = node.data;
    const state =
      d.collapsible === "expanded" ? vscode.TreeItemCollapsibleState.Expanded : d.collapsible === "collapsed" ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(d.label, state);
    item.id = d.id;
    if (d.description !== undefined) item.description = d.description;
    if (d.tooltip) item.tooltip = d.tooltip;
    if (d.icon) item.iconPath = new vscode.ThemeIcon(d.icon.id, d.icon.color ? new vscode.ThemeColor(d.icon.color) : undefined);
    if (d.contextValue) item.contextValue = d.contextValue;
    const reveal = d.reveal;
    if (reveal?.uri && reveal.uri !== node.file) {
      item.command = { command: "certscope.revealBlock", title: t("Reveal PEM Block"), arguments: [{ uri: reveal.uri, line: reveal.line }] };
    } else if (d.objectIndex !== undefined || reveal?.line) {
      item.command = {
        command: "certscope.revealBlock",
        title: t("Reveal PEM Block"),
        arguments: [{ uri: node.file, ...(reveal?.line ? { line: reveal.line } : {}), ...(d.objectIndex !== undefined ? { objectIndex: d.objectIndex } : {}), preserveFocus: true }],
      };
    }
    return item;
  }

  getChildren(node?: CertNode): CertNode[] {
    if (node) {
      const c = node.data.children;
      const list = typeof c === "function" ? c() : (c ?? []);
      return list.map((data) => ({ data, file: node.file }));
    }
    const cur = this.current;
    if (!cur?.file) return [];
    const cfg = vscode.workspace.getConfiguration("certscope");
    const uri = cur.uri.toString();
    const nodes = fileNodes(cur.file.result, {
      now: new Date(),
      warnDays: cfg.get<number>("expiryWarningDays", 30),
      t: (m, ...a) => vscode.l10n.t(m, ...a),
      uri,
      keyRefs: (spki) => this.keys.lookup(spki),
      validation: this.validations.get(cur.uri),
    });
    return nodes.map((data) => ({ data, file: uri }));
  }
}

export function registerTree(tree: CertificateTree): vscode.Disposable[] {
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  // The key index is built the first time the view is shown, not at activation.
  const vis = view.onDidChangeVisibility((e) => {
    if (e.visible) tree.refresh();
  });
  if (view.visible) tree.refresh();
  return [view, vis];
}
