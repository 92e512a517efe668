/**
 * The "Test TLS Handshake" webview panel: one per window. Holds the form and the last result, answers every
 * page request with exactly one response, runs the engine in the extension host, and posts results over the
 * typed protocol (src/shared/protocol/handshake.ts). No key material and no passphrase ever reaches the page.
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import { renderWebviewHtml, webviewOptions } from "../webview/html";
import {
  emptyForm,
  parseHandshakeMessage,
  type CredentialHint,
  type HandshakeForm,
  type HandshakeHostToPage,
  type HandshakeRequest,
  type HandshakeViewState,
  type PassphraseState,
  type RunResult,
} from "../../shared/protocol/handshake";
import { curlCommand, opensslCommand, resultToMarkdown } from "../../shared/handshakeView";
import type { HandshakeResult } from "../../shared/model";
import { pemCredentialHints } from "./credentialFiles";
import { pickFiles, invalidateScan } from "./picker";
import { commandInputOf, passphraseFileOf, runForm, secretUri, targetOf, trustOf, UserError, type PassphraseStore } from "./runner";
import { endpointFromForm, endpointSummaries, formFromEndpoint, readEndpoints, saveEndpoint, type RecentRuns } from "./store";
import { logError } from "../log";
import type { PeerCertificates } from "./peerDocs";
import type { LabService } from "../lab/service";
import { writeOwnerOnly } from "../../core/privateFile";

export interface PanelDeps {
  context: vscode.ExtensionContext;
  recent: RecentRuns;
  /** The extension's one password store (../secrets), shared with the certificate viewer. */
  passwords: PassphraseStore;
  peers: PeerCertificates;
  lab: LabService;
}

export function timeoutSetting(): number {
  return vscode.workspace.getConfiguration("certscope").get<number>("handshake.timeoutMs", 10_000);
}

/** A blank form with the user's defaults: timeout and trust from the `certscope.*` settings. */
export function defaultForm(): HandshakeForm {
  const cfg = vscode.workspace.getConfiguration("certscope");
  const f = emptyForm(timeoutSetting());
  f.trust = cfg.get<boolean>("trust.workspaceCaFiles", false) ? "workspace" : cfg.get<boolean>("trust.useSystemRoots", true) ? "system" : "none";
  return f;
}

export function labForm(lab: LabService, withClientCert: boolean): HandshakeForm | undefined {
  const r = lab.current;
  if (!r) return undefined;
  const f = emptyForm(timeoutSetting());
  f.host = r.server.host;
  f.port = r.server.port;
  f.servername = "localhost";
  f.trust = "bundle";
  f.caFiles = [r.paths.caCert];
  f.credentialKind = withClientCert ? "pem" : "none";
  // Kept even when "none" is chosen, so switching to PEM has them ready.
  f.certFile = r.paths.clientCert;
  f.keyFile = r.paths.clientKey;
  f.pfxFile = r.paths.clientPkcs12;
  return f;
}

export class HandshakePanel implements vscode.Disposable {
  static current: HandshakePanel | undefined;

  private form: HandshakeForm;
  private hints: CredentialHint[] = [];
  private passphrase: PassphraseState = { needed: "no", remembered: false };
  private last: RunResult | undefined;
  private readonly keylogs = new Map<string, string[]>();
  private controller: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Opens (or reveals) the panel. `form` replaces the form; `run` starts it at once (callers ask trust first). */
  static show(deps: PanelDeps, opts: { form?: HandshakeForm; run?: boolean; showRunId?: string } = {}): HandshakePanel {
    let p = HandshakePanel.current;
    if (p) p.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel("certscope.handshake", "Test TLS Handshake", vscode.ViewColumn.Active, {
        ...webviewOptions(deps.context.extensionUri),
        retainContextWhenHidden: true,
      });
      p = HandshakePanel.current = new HandshakePanel(panel, deps, opts.form);
    }
    if (opts.form) p.setForm(opts.form).catch((e) => logError("handshake panel: filling the form", e));
    if (opts.run) p.startRun(p.form).catch((e) => logError("handshake panel: run", e));
    return p;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    form: HandshakeForm | undefined,
  ) {
    this.form = form ?? labForm(deps.lab, false) ?? defaultForm();
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, "media", "icon-view.svg");
    panel.webview.html = renderWebviewHtml(panel.webview, deps.context.extensionUri, "handshake", "Test TLS Handshake");
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m).catch((e) => logError("handshake panel: message from the page", e))),
      deps.lab.onDidChange(() => this.postState()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("certscope.endpoints") && this.postState()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.postState()),
      // "Remembered" hints follow the store (Forget Remembered Passwords, the viewer remembering a password).
      deps.passwords.onDidChange(() => this.refreshHints()),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller?.abort();
    if (HandshakePanel.current === this) HandshakePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  get currentForm(): HandshakeForm {
    return { ...this.form };
  }

  private post(m: HandshakeHostToPage): void {
    // postMessage throws once the panel is disposed (a run can end after the user closed the panel).
    if (this.disposed) return;
    try {
      this.panel.webview.postMessage(m).then(undefined, (e: unknown) => logError(`handshake panel: posting ${m.type}`, e));
    } catch (e) {
      logError(`handshake panel: posting ${m.type}`, e);
    }
  }

  private state(): HandshakeViewState {
    return {
      form: this.form,
      hints: this.hints,
      passphrase: this.passphrase,
      endpoints: endpointSummaries(readEndpoints()),
      recent: this.deps.recent.summaries(),
      lab: this.deps.lab.info,
      trusted: vscode.workspace.isTrusted,
      running: !!this.controller,
      last: this.last,
    };
  }

  private postState(): void {
    this.post({ type: "handshake/state", state: this.state() });
  }

  async setForm(form: HandshakeForm): Promise<void> {
    this.form = form;
    await this.updateCredentialInfo(form);
    this.post({ type: "handshake/form", form, hints: this.hints, passphrase: this.passphrase });
  }

  private refreshHints(): void {
    const form = this.form;
    this.credentialInfo(form).then(
      ([hints, passphrase]) => {
        if (this.form !== form) return; // the form changed meanwhile: its own hints are on the way
        this.hints = hints;
        this.passphrase = passphrase;
        this.postState();
      },
      (e) => logError("handshake panel: hints", e),
    );
  }

  /** Fills the form for the lab server (called when a server starts). */
  prefillFromLab(withClientCert = false): void {
    const f = labForm(this.deps.lab, withClientCert);
    if (f && !this.controller) this.setForm(f).catch((e) => logError("handshake panel: filling the form from the lab", e));
  }

  /** Hints and passphrase state of `form`. */
  private credentialInfo(form: HandshakeForm): Promise<[CredentialHint[], PassphraseState]> {
    return Promise.all([this.computeHints(form), this.passphraseState(form)]);
  }

  /** Hints and passphrase state of `form`, kept for the next state message. */
  private async updateCredentialInfo(form: HandshakeForm): Promise<void> {
    [this.hints, this.passphrase] = await this.credentialInfo(form);
  }

  private async passphraseState(form: HandshakeForm): Promise<PassphraseState> {
    const need = await passphraseFileOf(form);
    if (!need) return { needed: "no", remembered: false };
    return { needed: need.optional ? "maybe" : "yes", remembered: (await this.deps.passwords.get(secretUri(need.file))) !== undefined };
  }

  private async computeHints(form: HandshakeForm): Promise<CredentialHint[]> {
    let host: string | undefined;
    let port: number | null = form.port;
    try {
      const t = targetOf(form);
      host = t.host;
      port = t.port;
    } catch {
      /* no target yet */
    }
    const acceptable = host ? this.deps.recent.lastAcceptableIssuers(host, port) : undefined;
    const read = async (p: string) => ({ path: p, bytes: new Uint8Array(await fs.readFile(p)) });
    if (form.credentialKind === "pem") {
      const hints: CredentialHint[] = [];
      let cert, key;
      try {
        if (form.certFile) cert = await read(form.certFile);
      } catch (e) {
        hints.push({ tone: "error", text: `Cannot read ${form.certFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      }
      try {
        if (form.keyFile) key = await read(form.keyFile);
      } catch (e) {
        hints.push({ tone: "error", text: `Cannot read ${form.keyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      }
      return [...hints, ...pemCredentialHints({ cert, key, acceptableIssuers: acceptable })];
    }
    if (form.credentialKind === "pkcs12" && form.pfxFile) {
      const stored = await this.deps.passwords.get(secretUri(form.pfxFile));
      return [
        {
          tone: "info",
          text: stored !== undefined ? "The password of this PKCS#12 is remembered in the OS secret store." : "CertScope tries an empty password first, then asks for it in an input box — never in this page.",
        },
      ];
    }
    return [];
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseHandshakeMessage(raw);
    if ("invalid" in m) {
      if (m.id !== undefined) this.post({ type: "handshake/response", id: m.id, ok: false, error: `Invalid request: ${m.invalid}` });
      return;
    }
    if (m.type === "ready") return this.postState();
    try {
      const info = await this.handle(m);
      this.post({ type: "handshake/response", id: m.id, ok: true, info: info || undefined });
    } catch (e) {
      const msg = e instanceof UserError ? e.message : `Something went wrong: ${(e as Error).message}`;
      this.post({ type: "handshake/response", id: m.id, ok: false, error: msg });
    }
  }

  private async handle(m: HandshakeRequest): Promise<string | void> {
    switch (m.type) {
      case "handshake/run":
        this.form = m.form;
        if (this.controller) throw new UserError("A handshake is already running.");
        this.startRun(m.form).catch((e) => logError("handshake panel: run", e));
        return;
      case "handshake/cancel":
        if (!this.controller) return "Nothing is running.";
        this.controller.abort();
        return "Cancelled.";
      case "handshake/check":
        this.form = m.form;
        await this.updateCredentialInfo(m.form);
        this.post({ type: "handshake/form", form: m.form, hints: this.hints, passphrase: this.passphrase });
        return;
      case "handshake/pick":
        return this.pick(m.role, m.form);
      case "handshake/action":
        this.form = m.form;
        return this.action(m.action, m.form, m.index);
      case "handshake/loadEndpoint": {
        const e = readEndpoints()[m.index];
        if (!e) throw new UserError("That endpoint is no longer in the settings.");
        await this.setForm(formFromEndpoint(e, defaultForm()));
        return e.fromWorkspace && !vscode.workspace.isTrusted ? "Loaded from this (untrusted) workspace's settings: check it, then press Run." : undefined;
      }
      case "handshake/recent": {
        const r = this.deps.recent.get(m.runId);
        if (!r) throw new UserError("That run is no longer in the recent list.");
        await this.setForm(r.form);
        if (m.rerun) {
          if (this.controller) throw new UserError("A handshake is already running.");
          this.startRun(r.form).catch((e) => logError("handshake panel: rerun", e));
        } else {
          this.last = { runId: r.runId, startedAt: r.startedAt, result: r.result, keylogAvailable: this.keylogs.has(r.runId) };
          this.post({ type: "handshake/result", run: this.last });
        }
        return;
      }
      case "handshake/useLab": {
        const f = labForm(this.deps.lab, m.withClientCert);
        if (!f) throw new UserError('No local test server is running. Start one with "CertScope: Start Local Test Server".');
        await this.setForm(f);
        return;
      }
    }
  }

  private async pick(role: "cert" | "key" | "pfx" | "ca", form: HandshakeForm): Promise<string | void> {
    const chosen = await pickFiles(role, { certPath: role === "key" ? form.certFile || undefined : undefined });
    if (!chosen) return;
    const f: HandshakeForm = { ...form };
    if (role === "ca") {
      f.caFiles = [...new Set([...f.caFiles, ...chosen])];
      f.trust = "bundle";
    } else if (role === "pfx") {
      f.pfxFile = chosen[0];
      f.credentialKind = "pkcs12";
    } else if (role === "cert") {
      f.certFile = chosen[0];
      f.credentialKind = "pem";
      // The key: in the same file, or the file among the workspace's keys that matches the certificate.
      const facts = await fs.readFile(chosen[0]).then(
        (b) => b.toString("latin1"),
        () => "",
      );
      if (/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(facts)) f.keyFile = chosen[0];
      else {
        const match = await findKeyFor(chosen[0]);
        if (match) f.keyFile = match;
      }
    } else {
      f.keyFile = chosen[0];
      f.credentialKind = "pem";
    }
    await this.setForm(f);
  }

  private async startRun(form: HandshakeForm): Promise<void> {
    if (this.controller) return;
    const controller = (this.controller = new AbortController());
    this.form = form;
    this.post({ type: "handshake/running", running: true, phase: "Preparing…" });
    let host: string | undefined;
    let port: number | null = null;
    try {
      const t = targetOf(form);
      host = t.host;
      port = t.port;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `CertScope: TLS handshake with ${host}:${port}` },
        () =>
          runForm(form, {
            passwords: this.deps.passwords,
            previousAcceptableIssuers: this.deps.recent.lastAcceptableIssuers(host!, port),
            signal: controller.signal,
            onPhase: (phase) => this.post({ type: "handshake/running", running: true, phase }),
          }),
      );
      if (!outcome) {
        // The passphrase prompt was dismissed: nothing ran.
        this.controller = undefined;
        this.post({ type: "handshake/running", running: false, error: "Not run: no passphrase was given." });
        return;
      }
      const runId = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
      const startedAt = new Date().toISOString();
      const result = stripPrivate(outcome.result);
      if (outcome.keylog.length) {
        this.keylogs.set(runId, outcome.keylog);
        while (this.keylogs.size > 10) this.keylogs.delete(this.keylogs.keys().next().value as string);
      }
      this.last = { runId, startedAt, result, keylogAvailable: outcome.keylog.length > 0 };
      if (!outcome.cancelled) await this.deps.recent.add({ runId, startedAt, form: { ...form }, result });
      this.post({ type: "handshake/result", run: this.last });
    } catch (e) {
      const msg = e instanceof UserError ? e.message : `The handshake test failed unexpectedly: ${(e as Error).message}`;
      this.controller = undefined;
      this.post({ type: "handshake/running", running: false, error: msg });
      if (this.disposed || !this.panel.visible) void vscode.window.showErrorMessage(msg);
      return;
    } finally {
      this.controller = undefined;
    }
    this.post({ type: "handshake/running", running: false });
    // The hints may change with this run (e.g. the server's acceptable CAs are known now).
    await this.updateCredentialInfo(this.form).catch((e) => logError("handshake panel: hints", e));
    this.postState();
  }

  private requireLast(): RunResult {
    if (!this.last) throw new UserError("Run a handshake first.");
    return this.last;
  }

  private defaultUri(name: string): vscode.Uri | undefined {
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
    return ws ? vscode.Uri.joinPath(ws, name) : undefined;
  }

  private async saveText(name: string, filters: Record<string, string[]>, text: string, title: string): Promise<string | void> {
    const uri = await vscode.window.showSaveDialog({ defaultUri: this.defaultUri(name), filters, title });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    invalidateScan();
    return `Saved ${vscode.workspace.asRelativePath(uri)}.`;
  }

  private async commands(form: HandshakeForm): Promise<{ openssl: string; curl: string }> {
    const trust = await trustOf(form).catch(() => ({ caFiles: form.caFiles, useSystemRoots: form.trust === "system" }));
    const input = commandInputOf(form, trust, !!(await passphraseFileOf(form)));
    return { openssl: opensslCommand(input), curl: curlCommand(input) };
  }

  private async action(action: string, form: HandshakeForm, index?: number): Promise<string | void> {
    switch (action) {
      case "openCert": {
        const run = this.requireLast();
        const cert = run.result.serverChain[index ?? -1];
        if (!cert) throw new UserError("No such certificate in the server chain.");
        const uri = this.deps.peers.uriFor(run.runId, index!, cert);
        try {
          await vscode.commands.executeCommand("certscope.openViewer", uri);
        } catch {
          await vscode.window.showTextDocument(uri, { preview: true });
        }
        return;
      }
      case "saveChain": {
        const run = this.requireLast();
        const pems = run.result.serverChain.map((c) => c.pem).filter((p): p is string => !!p);
        if (!pems.length) throw new UserError("The server sent no certificates in this run.");
        return this.saveText(`${run.result.target.servername ?? run.result.target.host}-chain.pem`, { PEM: ["pem", "crt"] }, pems.map((p) => (p.endsWith("\n") ? p : p + "\n")).join(""), "Save the server's chain as PEM");
      }
      case "exportJson": {
        const run = this.requireLast();
        return this.saveText(`handshake-${run.result.target.host}-${run.result.target.port}.json`, { JSON: ["json"] }, JSON.stringify(run.result, null, 2) + "\n", "Export the run as JSON (certscope handshake --json)");
      }
      case "exportMarkdown": {
        const run = this.requireLast();
        const md = resultToMarkdown(run.result, { startedAt: run.startedAt, commands: await this.commands(form).catch(() => undefined) });
        return this.saveText(`handshake-${run.result.target.host}-${run.result.target.port}.md`, { Markdown: ["md"] }, md, "Export the run as Markdown");
      }
      case "copyOpenssl":
      case "copyCurl": {
        const c = await this.commands(form);
        const text = action === "copyOpenssl" ? c.openssl : c.curl;
        await vscode.env.clipboard.writeText(text);
        return `Copied: ${text}`;
      }
      case "saveKeylog": {
        const run = this.requireLast();
        const lines = this.keylogs.get(run.runId);
        if (!lines?.length) throw new UserError("No key log was recorded for this run (key logs are kept in memory for the runs of this session only).");
        const uri = await vscode.window.showSaveDialog({ defaultUri: this.defaultUri("sslkeylog.txt"), filters: { "Key log": ["txt", "log"] }, title: "Write the NSS key log (for Wireshark) — it decrypts this connection" });
        if (!uri) return;
        const data = new TextEncoder().encode(lines.join("\n") + "\n");
        // Owner-only (0600) like the CLI's --keylog: the key log decrypts the connection.
        if (uri.scheme === "file") await writeOwnerOnly(uri.fsPath, data);
        else await vscode.workspace.fs.writeFile(uri, data);
        return `Key log written to ${vscode.workspace.asRelativePath(uri)} (${lines.length} lines). Anyone with it can decrypt this capture.`;
      }
      case "saveEndpoint": {
        const t = targetOf(form);
        const name = await vscode.window.showInputBox({ title: "Save endpoint", prompt: "Name for this endpoint (saved in certscope.endpoints — never a passphrase)", value: `${t.host}:${t.port}` });
        if (!name) return;
        const target = await saveEndpoint(endpointFromForm(form, t.host, t.port, name));
        return `Saved "${name}" in the ${target === vscode.ConfigurationTarget.Workspace ? "workspace" : "user"} settings.`;
      }
      case "forgetPassphrase": {
        const need = await passphraseFileOf(form);
        const file = need?.file ?? (form.credentialKind === "pkcs12" ? form.pfxFile : form.keyFile);
        if (!file) throw new UserError("Choose the credential file first.");
        const forgotten = await this.deps.passwords.delete(secretUri(file));
        if (!forgotten) throw new UserError(`Could not delete the passphrase of ${path.basename(file)} from the system keychain (details in the CertScope log).`);
        await this.updateCredentialInfo(form);
        this.post({ type: "handshake/form", form, hints: this.hints, passphrase: this.passphrase });
        return `Forgot the passphrase of ${path.basename(file)}.`;
      }
      default:
        throw new UserError(`Unknown action ${action}.`);
    }
  }
}

/** The result as the page and the recent list may see it: the contract fields, no transcript bytes. */
function stripPrivate(r: HandshakeResult): HandshakeResult {
  const { transcript: _t, ...rest } = r as HandshakeResult & { transcript?: unknown };
  return rest;
}

async function findKeyFor(certPath: string): Promise<string | undefined> {
  const { findMatchingKey } = await import("./credentialFiles");
  const dir = path.dirname(certPath);
  try {
    const names = (await fs.readdir(dir)).filter((n) => !n.startsWith(".")).slice(0, 200);
    const cands: { path: string; bytes: Uint8Array }[] = [];
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        const st = await fs.stat(p);
        if (st.isFile() && st.size < 64 * 1024) cands.push({ path: p, bytes: new Uint8Array(await fs.readFile(p)) });
      } catch {
        /* skip */
      }
    }
    return findMatchingKey(new Uint8Array(await fs.readFile(certPath)), cands, path.basename(certPath).replace(/\.[^.]+$/, ""));
  } catch {
    return undefined;
  }
}
