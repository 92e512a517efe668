/**
 * The "Test TLS Handshake" webview panel: one per window. Holds the form and the last result, answers every
 * page request with exactly one response, runs the engine in the extension host, and posts results over the
 * typed protocol (src/shared/protocol/handshake.ts). No key material and no passphrase ever reaches the page.
 */
import { displayTimeZone } from "../../shared/format";
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
import * as writes from "./exports";
import { messageForPage } from "../../shared/runTexts";
import type { HandshakeResult } from "../../shared/model";
import { pemCredentialHints } from "./credentialFiles";
import { pickFiles, matchedKeyFor } from "./picker";
import { findKeyBeside } from "./clientCertRank";
import { passphraseFileOf, runForm, secretUri, targetOf, UserError, type PassphraseStore, type RunDeps } from "./runner";
import { endpointFromForm, endpointSummaries, formFromEndpoint, readEndpoints, saveEndpoint, type RecentRuns } from "./store";
import { logError } from "../log";
import type { PeerCertificates } from "./peerDocs";
import type { LabService } from "../lab/service";

export interface PanelDeps {
  context: vscode.ExtensionContext;
  recent: RecentRuns;
  /** The extension's one password store (../secrets), shared with the certificate viewer. */
  passwords: PassphraseStore;
  openCredentials: RunDeps["openCredentials"];
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
      const panel = vscode.window.createWebviewPanel("certscope.handshake", vscode.l10n.t("Test TLS Handshake"), vscode.ViewColumn.Active, {
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
    panel.webview.html = renderWebviewHtml(panel.webview, deps.context.extensionUri, "handshake", vscode.l10n.t("Test TLS Handshake"));
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
      this.panel.webview.postMessage(messageForPage(m)).then(undefined, (e: unknown) => logError(`handshake panel: posting ${m.type}`, e));
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
      timeZone: displayTimeZone(),
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
        hints.push({ tone: "error", text: vscode.l10n.t("Cannot read {0}: {1}", form.certFile, (e as NodeJS.ErrnoException).code ?? (e as Error).message) });
      }
      try {
        if (form.keyFile) key = await read(form.keyFile);
      } catch (e) {
        hints.push({ tone: "error", text: vscode.l10n.t("Cannot read {0}: {1}", form.keyFile, (e as NodeJS.ErrnoException).code ?? (e as Error).message) });
      }
      return [...hints, ...pemCredentialHints({ cert, key, acceptableIssuers: acceptable, t: vscode.l10n.t })];
    }
    if (form.credentialKind === "pkcs12" && form.pfxFile) {
      const stored = await this.deps.passwords.get(secretUri(form.pfxFile));
      return [
        {
          tone: "info",
          text: stored !== undefined ? vscode.l10n.t("The password of this PKCS#12 is remembered in the OS secret store.") : vscode.l10n.t("CertScope tries an empty password first, then asks for it in an input box — never in this page."),
        },
      ];
    }
    return [];
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseHandshakeMessage(raw);
    if ("invalid" in m) {
      if (m.id !== undefined) this.post({ type: "handshake/response", id: m.id, ok: false, error: vscode.l10n.t("Invalid request: {0}", m.invalid) });
      return;
    }
    if (m.type === "ready") return this.postState();
    try {
      const info = await this.handle(m);
      this.post({ type: "handshake/response", id: m.id, ok: true, info: info || undefined });
    } catch (e) {
      const msg = e instanceof UserError ? e.message : vscode.l10n.t("Something went wrong: {0}", (e as Error).message);
      this.post({ type: "handshake/response", id: m.id, ok: false, error: msg });
    }
  }

  private async handle(m: HandshakeRequest): Promise<string | void> {
    switch (m.type) {
      case "handshake/run":
        this.form = m.form;
        if (this.controller) throw new UserError(vscode.l10n.t("A handshake is already running."));
        this.startRun(m.form).catch((e) => logError("handshake panel: run", e));
        return;
      case "handshake/cancel":
        if (!this.controller) return vscode.l10n.t("Nothing is running.");
        this.controller.abort();
        return vscode.l10n.t("Cancelled.");
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
        if (!e) throw new UserError(vscode.l10n.t("That endpoint is no longer in the settings."));
        await this.setForm(formFromEndpoint(e, defaultForm()));
        return e.fromWorkspace && !vscode.workspace.isTrusted ? vscode.l10n.t("Loaded from this (untrusted) workspace's settings: check it, then press Run.") : undefined;
      }
      case "handshake/recent": {
        const r = this.deps.recent.get(m.runId);
        if (!r) throw new UserError(vscode.l10n.t("That run is no longer in the recent list."));
        await this.setForm(r.form);
        if (m.rerun) {
          if (this.controller) throw new UserError(vscode.l10n.t("A handshake is already running."));
          this.startRun(r.form).catch((e) => logError("handshake panel: rerun", e));
        } else {
          this.last = this.withRequiredEarlier({ runId: r.runId, startedAt: r.startedAt, result: r.result, texts: r.texts, keylogAvailable: this.keylogs.has(r.runId) });
          this.post({ type: "handshake/result", run: this.last });
        }
        return;
      }
      case "handshake/useLab": {
        const f = labForm(this.deps.lab, m.withClientCert);
        if (!f) throw new UserError(vscode.l10n.t('No local test server is running. Start one with "CertScope: Start Local Test Server".'));
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
        const match = matchedKeyFor(chosen[0]) ?? (await findKeyBeside(chosen[0]));
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
    this.post({ type: "handshake/running", running: true, phase: vscode.l10n.t("Preparing…") });
    let host: string | undefined;
    let port: number | null = null;
    try {
      const t = targetOf(form);
      host = t.host;
      port = t.port;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t("CertScope: TLS handshake with {0}:{1}", host, port) },
        () =>
          runForm(form, {
            passwords: this.deps.passwords,
            openCredentials: this.deps.openCredentials,
            previousAcceptableIssuers: this.deps.recent.lastAcceptableIssuers(host!, port),
            signal: controller.signal,
            onPhase: (phase) => this.post({ type: "handshake/running", running: true, phase }),
          }),
      );
      if (!outcome) {
        // The passphrase prompt was dismissed: nothing ran.
        this.controller = undefined;
        this.post({ type: "handshake/running", running: false, error: vscode.l10n.t("Not run: no passphrase was given.") });
        return;
      }
      const runId = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
      const startedAt = new Date().toISOString();
      const result = stripPrivate(outcome.result);
      if (outcome.keylog.length) {
        this.keylogs.set(runId, outcome.keylog);
        while (this.keylogs.size > 10) this.keylogs.delete(this.keylogs.keys().next().value as string);
      }
      const texts = outcome.texts;
      this.last = this.withRequiredEarlier({ runId, startedAt, result, texts, keylogAvailable: outcome.keylog.length > 0 });
      if (!outcome.cancelled) await this.deps.recent.add({ runId, startedAt, form: { ...form }, result, texts });
      this.post({ type: "handshake/result", run: this.last });
    } catch (e) {
      const msg = e instanceof UserError ? e.message : vscode.l10n.t("The handshake test failed unexpectedly: {0}", (e as Error).message);
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

  /** A run that could not tell whether a client certificate is required gets what an earlier run showed. */
  private withRequiredEarlier(run: RunResult): RunResult {
    const c = run.result.clientCertificate;
    if (!c?.requested || c.required !== undefined) return run;
    const earlier = this.deps.recent.lastRequired(run.result.target.host, run.result.target.port, run.runId);
    return earlier ? { ...run, requiredEarlier: earlier } : run;
  }

  private requireLast(): RunResult {
    if (!this.last) throw new UserError(vscode.l10n.t("Run a handshake first."));
    return this.last;
  }

  private async action(action: string, form: HandshakeForm, index?: number): Promise<string | void> {
    switch (action) {
      case "openCert": {
        const run = this.requireLast();
        const cert = run.result.serverChain[index ?? -1];
        if (!cert) throw new UserError(vscode.l10n.t("No such certificate in the server chain."));
        const uri = this.deps.peers.uriFor(run.runId, index!, cert);
        try {
          await vscode.commands.executeCommand("certscope.openViewer", uri);
        } catch {
          await vscode.window.showTextDocument(uri, { preview: true });
        }
        return;
      }
      case "saveChain":
        return writes.saveChain(this.requireLast());
      case "scanServer": {
        const { target: t, starttls } = this.requireLast().result;
        // The scan reaches the server as the handshake did: with its STARTTLS protocol, or explicitly without one.
        await vscode.commands.executeCommand("certscope.scanServer", { host: t.host, port: t.port, servername: t.servername, starttls: starttls ?? "" });
        return;
      }
      case "exportJson":
        return writes.exportJson(this.requireLast());
      case "exportMarkdown":
        return writes.exportMarkdown(this.requireLast(), form);
      case "copyOpenssl":
      case "copyCurl":
        return writes.copyCommand(action === "copyOpenssl" ? "openssl" : "curl", form);
      case "saveKeylog":
        return writes.saveKeylog(this.keylogs.get(this.requireLast().runId));
      case "saveEndpoint": {
        const t = targetOf(form);
        const name = await vscode.window.showInputBox({ title: vscode.l10n.t("Save endpoint"), prompt: vscode.l10n.t("Name for this endpoint (saved in certscope.endpoints — never a passphrase)"), value: `${t.host}:${t.port}` });
        if (!name) return;
        const target = await saveEndpoint(endpointFromForm(form, t.host, t.port, name));
        void vscode.window.showInformationMessage(target === vscode.ConfigurationTarget.Workspace ? vscode.l10n.t("Saved \"{0}\" in the workspace settings.", name) : vscode.l10n.t("Saved \"{0}\" in the user settings.", name));
        return;
      }
      case "forgetPassphrase": {
        const need = await passphraseFileOf(form);
        const file = need?.file ?? (form.credentialKind === "pkcs12" ? form.pfxFile : form.keyFile);
        if (!file) throw new UserError(vscode.l10n.t("Choose the credential file first."));
        const forgotten = await this.deps.passwords.delete(secretUri(file));
        if (!forgotten) throw new UserError(vscode.l10n.t("Could not delete the passphrase of {0} from the system keychain (details in the CertScope log).", path.basename(file)));
        await this.updateCredentialInfo(form);
        this.post({ type: "handshake/form", form, hints: this.hints, passphrase: this.passphrase });
        return vscode.l10n.t("Forgot the passphrase of {0}.", path.basename(file));
      }
      default:
        throw new UserError(vscode.l10n.t("Unknown action {0}.", action));
    }
  }
}

/** The result as the page and the recent list may see it: the contract fields, no transcript bytes. */
function stripPrivate(r: HandshakeResult): HandshakeResult {
  const { transcript: _t, ...rest } = r as HandshakeResult & { transcript?: unknown };
  return rest;
}
