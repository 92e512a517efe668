/**
 * The "Scan TLS Configuration" webview panel: one per window. Runs the scanner in the extension host (network
 * I/O only, asynchronous), posts progress and the result over the typed protocol (src/shared/protocol/scan.ts),
 * answers every page request exactly once, and cancels a running scan when asked or when the panel closes.
 */
import * as vscode from "vscode";
import { renderWebviewHtml, webviewOptions } from "../webview/html";
import { parseScanMessage, type ScanAction, type ScanForm, type ScanHostToPage, type ScanPageToHost, type ScanViewState } from "../../shared/protocol/scan";
import { parseTarget } from "../../shared/protocol/handshake";
import type { ScanProgress, ScanResult } from "../../shared/scanModel";
import { core } from "../lazyCore";
import { proxyFor } from "../proxy";
import { logError } from "../log";
import type { PeerCertificates } from "../handshake/peerDocs";

export interface ScanDeps {
  context: vscode.ExtensionContext;
  peers: PeerCertificates;
}

class UserError extends Error {}

/**
 * The scan as the page shows it: the findings and Mozilla's profile said again in VS Code's language (they are a
 * pure function of the scan's facts). The panel keeps the English result: the exports write that.
 */
function forPage(r: ScanResult): ScanResult {
  return { ...r, ...core().scanFindings(r, vscode.l10n.t) };
}

export function emptyScanForm(): ScanForm {
  return { host: "", port: 443, servername: "", timeoutMs: 5000, starttls: "" };
}

export class ScanPanel implements vscode.Disposable {
  static current: ScanPanel | undefined;
  private form: ScanForm;
  private controller: AbortController | undefined;
  private progress: ScanProgress | undefined;
  private result: ScanResult | undefined;
  private error: string | undefined;
  private cancelled = false;
  private runNo = 0;
  private lastProgressPost = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static show(deps: ScanDeps, opts: { form?: ScanForm; run?: boolean } = {}): ScanPanel {
    let p = ScanPanel.current;
    if (p) p.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel("certscope.scan", vscode.l10n.t("Scan TLS Configuration"), vscode.ViewColumn.Active, { ...webviewOptions(deps.context.extensionUri), retainContextWhenHidden: true });
      p = ScanPanel.current = new ScanPanel(panel, deps, opts.form ?? emptyScanForm());
    }
    if (opts.form) {
      p.form = opts.form;
      p.postState();
    }
    if (opts.run) p.start(p.form);
    return p;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: ScanDeps,
    form: ScanForm,
  ) {
    this.form = form;
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, "media", "icon-view.svg");
    panel.webview.html = renderWebviewHtml(panel.webview, deps.context.extensionUri, "scan", vscode.l10n.t("Scan TLS Configuration"));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m).catch((e) => logError("scan panel: message from the page", e))),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller?.abort();
    if (ScanPanel.current === this) ScanPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private post(m: ScanHostToPage): void {
    if (this.disposed) return;
    try {
      this.panel.webview.postMessage(m).then(undefined, (e: unknown) => logError(`scan panel: posting ${m.type}`, e));
    } catch (e) {
      logError(`scan panel: posting ${m.type}`, e);
    }
  }

  private state(): ScanViewState {
    return { form: this.form, running: !!this.controller, progress: this.progress, result: this.result && forPage(this.result), error: this.error, ...(this.cancelled ? { cancelled: true } : {}) };
  }

  private postState(): void {
    this.post({ type: "scan/state", state: this.state() });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseScanMessage(raw);
    if ("invalid" in m) {
      if (m.id !== undefined) this.post({ type: "scan/response", id: m.id, ok: false, error: vscode.l10n.t("Invalid request: {0}", m.invalid) });
      return;
    }
    if (m.type === "ready") return this.postState();
    try {
      const message = await this.handle(m);
      this.post({ type: "scan/response", id: m.id, ok: true, ...(message ? { message } : {}) });
    } catch (e) {
      if (!(e instanceof UserError)) logError(`scan panel: ${m.type}`, e);
      this.post({ type: "scan/response", id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async handle(m: Exclude<ScanPageToHost, { type: "ready" }>): Promise<string | void> {
    switch (m.type) {
      case "scan/start":
        this.form = m.form;
        this.start(m.form);
        return;
      case "scan/cancel":
        this.cancel();
        return;
      case "scan/action":
        return this.action(m.action, m.chain, m.index);
    }
  }

  /**
   * Stops the running scan now: its connections are aborted, and whatever it still reports while they close
   * (an error, or lists cut short) is dropped by the run number — the page shows "cancelled" and nothing later.
   */
  private cancel(): void {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = undefined;
    this.runNo++;
    this.cancelled = true;
    this.postState();
  }

  /** Starts a scan of `form` (a running one is cancelled first). Errors become the state's `error`. */
  start(form: ScanForm): void {
    this.controller?.abort();
    this.cancelled = false;
    const t = parseTarget(form.host, form.port);
    if ("error" in t || t.port === null) {
      this.error = "error" in t ? t.error : vscode.l10n.t("Enter a port.");
      this.postState();
      return;
    }
    const controller = (this.controller = new AbortController());
    const runNo = ++this.runNo;
    this.error = undefined;
    this.result = undefined;
    this.progress = { phase: "versions", connections: 0, maxConnections: core().SCAN_DEFAULTS.maxConnections };
    this.postState();
    const servername = form.servername.trim() || undefined;
    const starttls = form.starttls || undefined;
    core()
      .scanServer({
        host: t.host,
        port: t.port,
        servername,
        starttls,
        timeoutMs: form.timeoutMs,
        // Through VS Code's http.proxy and the STARTTLS upgrade, as the handshake goes (and certscope scan --starttls).
        dialer: core().makeDialer({ host: t.host, port: t.port, proxy: proxyFor(t.host, t.port), starttls, servername }),
        signal: controller.signal,
        onProgress: (p) => {
          this.progress = p;
          const now = Date.now();
          if (now - this.lastProgressPost > 100) {
            this.lastProgressPost = now;
            this.postState();
          }
        },
      })
      .then(
        (r) => {
          if (runNo !== this.runNo) return;
          this.result = r;
        },
        (e: unknown) => {
          if (runNo !== this.runNo) return;
          this.error = e instanceof Error ? e.message : String(e);
          // Plaintext first (a mail server's "220 …" greeting) usually means the protocol field was left on None.
          if (e instanceof core().ScanError && e.category === "not_tls" && !starttls) this.error += " " + vscode.l10n.t("If the server speaks a plaintext protocol before TLS (SMTP, IMAP, POP3, FTP…), choose it under “Protocol before TLS”.");
          if (!(e instanceof core().ScanError)) logError("scan panel: scan", e);
        },
      )
      .finally(() => {
        if (runNo !== this.runNo) return;
        this.controller = undefined;
        this.postState();
      });
  }

  private async action(action: ScanAction, chain?: number, index?: number): Promise<string | void> {
    const r = this.result;
    if (!r) throw new UserError(vscode.l10n.t("Run a scan first."));
    const base = `scan-${r.target.host}-${r.target.port}`;
    switch (action) {
      case "exportJson":
        return this.saveText(`${base}.json`, { JSON: ["json"] }, JSON.stringify(r, null, 2) + "\n", vscode.l10n.t("Export the scan as JSON (certscope scan --json)"));
      case "exportMarkdown":
        return this.saveText(`${base}.md`, { Markdown: ["md"] }, core().renderScanMarkdown(r), vscode.l10n.t("Export the scan as Markdown"));
      case "openCert": {
        const cert = r.certificates[chain ?? -1]?.[index ?? -1];
        if (!cert) throw new UserError(vscode.l10n.t("No such certificate in the scan."));
        const uri = this.deps.peers.uriFor(`scan-${this.runNo}-${chain}`, index!, cert);
        try {
          await vscode.commands.executeCommand("certscope.openViewer", uri);
        } catch {
          await vscode.window.showTextDocument(uri, { preview: true });
        }
        return;
      }
      case "openHandshake":
        await vscode.commands.executeCommand("certscope.testHandshake", { host: r.target.host, port: r.target.port, servername: r.target.servername, starttls: r.target.starttls });
        return;
    }
  }

  private async saveText(name: string, filters: Record<string, string[]>, text: string, title: string): Promise<string | void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters, title });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return vscode.l10n.t("Saved {0}.", vscode.workspace.asRelativePath(uri));
  }
}
