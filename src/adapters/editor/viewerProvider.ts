/**
 * The read-only certificate viewer: a CustomReadonlyEditorProvider for `certscope.viewer` (binary files:
 * .der/.cer/.p12/.pfx/.p7b/.p7c/.crl, priority default) and `certscope.viewerText` (PEM files via "Open
 * With…"). The webview gets a view-model built by ./viewModel — never HTML, never key material — over the
 * typed protocol of src/shared/protocol/viewer.ts: the page posts `ready`, the host answers with the state,
 * and every request gets a `viewer/response`, an error included.
 */
import * as vscode from "vscode";
import { parseViewerMessage, type HostToViewer, type ViewerAction, type ViewerState } from "../../shared/protocol/viewer";
import { renderWebviewHtml, webviewOptions } from "../webview/html";
import { FileStore, baseName, type LoadedFile } from "./files";
import { errorMessage } from "./pki";
import { views } from "../lazyViews";
import { clearFileFindings, showFileFindings } from "../diagnostics/binary";

export const VIEWER = "certscope.viewer";
export const VIEWER_TEXT = "certscope.viewerText";

const t = vscode.l10n.t;
const tr = (m: string, ...a: (string | number | boolean)[]) => vscode.l10n.t(m, ...a);

class ViewerDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** One open viewer panel. */
export class ViewerSession implements vscode.Disposable {
  private state: ViewerState;
  private file: LoadedFile | undefined;
  private ready = false;
  private loading: Promise<void> | undefined;
  private pendingFocus: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(
    readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly files: FileStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.state = views().loadingState(baseName(uri), tr);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString() && e.contentChanges.length) this.scheduleReload();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if ((e.affectsConfiguration("certscope.expiryWarningDays") || e.affectsConfiguration("certscope.display.timeZone")) && this.file) this.show(this.file);
      }),
    );
    if (uri.scheme === "file") {
      const folder = vscode.Uri.joinPath(uri, "..");
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, baseName(uri)));
      this.disposables.push(watcher, watcher.onDidChange(() => this.scheduleReload()), watcher.onDidCreate(() => this.scheduleReload()));
    }
    // Start decoding right away (the password prompt, if any, may show before the page is ready).
    this.loading = this.load(true);
  }

  dispose(): void {
    clearFileFindings(this.uri);
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const d of this.disposables) d.dispose();
  }

  /** The decoded file, once loaded. */
  loaded(): LoadedFile | undefined {
    return this.file;
  }

  focus(index: number): void {
    if (!this.ready) this.pendingFocus = index;
    else void this.post({ type: "viewer/focus", index });
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.files.forget(this.uri);
      this.loading = this.load(false);
    }, 300);
  }

  private async load(interactive: boolean): Promise<void> {
    const gen = ++this.generation;
    const fileName = baseName(this.uri);
    try {
      const file = await this.files.load(this.uri, { interactive });
      if (gen !== this.generation) return;
      this.file = file;
      this.show(file);
    } catch (err) {
      if (gen !== this.generation) return;
      this.file = undefined;
      const msg = errorMessage(err);
      this.log?.warn(`viewer: ${this.uri.toString()}: ${msg}`);
      this.setState(views().errorState(fileName, msg.includes(fileName) ? msg : t("{0} could not be opened: {1}", fileName, msg), tr));
    }
  }

  private show(file: LoadedFile): void {
    // A text file's problems come from its text document; a binary one's only from here, while it is open.
    if (!file.isText) showFileFindings(this.uri, file.result);
    const cfg = vscode.workspace.getConfiguration("certscope");
    const state = views().buildViewerState({ fileName: file.fileName, result: file.result, now: new Date(), warnDays: cfg.get<number>("expiryWarningDays", 30), isText: file.isText, locked: !!file.locked, t: tr });
    this.setState(file.locked ? views().lockedState(file.fileName, t("{0} Only what is readable without the password is shown.", file.locked), tr, state) : state);
  }

  private setState(state: ViewerState): void {
    this.state = state;
    if (this.ready) void this.post({ type: "viewer/state", state });
  }

  private post(msg: HostToViewer): Thenable<boolean> {
    return this.panel.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseViewerMessage(raw);
    if ("invalid" in msg) {
      this.log?.warn(`viewer: ignored a message from the page: ${msg.invalid}`);
      if (msg.id !== undefined) void this.post({ type: "viewer/response", id: msg.id, ok: false, error: t("CertScope did not understand the request ({0}).", msg.invalid) });
      return;
    }
    if (msg.type === "ready") {
      this.ready = true;
      void this.post({ type: "viewer/state", state: this.state });
      if (this.pendingFocus !== undefined) {
        void this.post({ type: "viewer/focus", index: this.pendingFocus });
        this.pendingFocus = undefined;
      }
      return;
    }
    try {
      switch (msg.type) {
        case "viewer/copy":
          await vscode.env.clipboard.writeText(msg.text);
          break;
        case "viewer/action":
          await this.runAction(msg.action, msg.index);
          break;
        case "viewer/unlock":
        case "viewer/reload":
          this.files.forget(this.uri);
          this.setState(views().loadingState(baseName(this.uri), tr));
          this.loading = this.load(true);
          await this.loading;
          break;
      }
      void this.post({ type: "viewer/response", id: msg.id, ok: true });
    } catch (err) {
      void this.post({ type: "viewer/response", id: msg.id, ok: false, error: errorMessage(err) });
    }
  }

  private async runAction(action: ViewerAction, index: number): Promise<void> {
    if (!this.file) throw new Error(t("{0} is not loaded.", baseName(this.uri)));
    if (index >= this.file.flat.length) throw new Error(t("No object #{0} in {1}.", index + 1, this.file.fileName));
    const arg = { uri: this.uri.toString(), objectIndex: index };
    const command = {
      exportPem: "certscope.exportPem",
      exportDer: "certscope.exportDer",
      validateChain: "certscope.validateChain",
      revealBlock: "certscope.revealBlock",
      checkRevocation: "certscope.checkRevocation",
    }[action];
    await vscode.commands.executeCommand(command, action === "revealBlock" ? { ...arg, line: this.file.flat[index].object.line, text: true } : arg);
  }
}

export class CertificateViewerProvider implements vscode.CustomReadonlyEditorProvider<ViewerDocument> {
  private readonly sessions = new Map<string, Set<ViewerSession>>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly files: FileStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  static register(extensionUri: vscode.Uri, files: FileStore, log?: vscode.LogOutputChannel): { provider: CertificateViewerProvider; disposables: vscode.Disposable[] } {
    const provider = new CertificateViewerProvider(extensionUri, files, log);
    const opts = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false, enableFindWidget: true } };
    return {
      provider,
      disposables: [vscode.window.registerCustomEditorProvider(VIEWER, provider, opts), vscode.window.registerCustomEditorProvider(VIEWER_TEXT, provider, opts)],
    };
  }

  /** An open viewer for this file, if any. */
  session(uri: vscode.Uri): ViewerSession | undefined {
    const set = this.sessions.get(uri.toString());
    return set ? [...set][0] : undefined;
  }

  openCustomDocument(uri: vscode.Uri): ViewerDocument {
    return new ViewerDocument(uri);
  }

  resolveCustomEditor(document: ViewerDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, "viewer", baseName(document.uri));
    const session = new ViewerSession(document.uri, panel, this.files, this.log);
    const key = document.uri.toString();
    let set = this.sessions.get(key);
    if (!set) this.sessions.set(key, (set = new Set()));
    set.add(session);
    panel.onDidDispose(() => {
      session.dispose();
      set.delete(session);
      if (!set.size) {
        this.sessions.delete(key);
        // Decoded PKCS#12 content is dropped when its last viewer closes.
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.files.forget(document.uri);
      }
    });
  }
}
