/**
 * The handshake feature's command bodies, loaded lazily (dist/handshake.js, see ../lazyHandshake.ts): the
 * "Test TLS Handshake" panel, "Test as Client Certificate", "Run Saved Endpoint", and the mTLS lab's commands.
 * ./index.ts registers the commands at activation and calls in here on first use.
 */
import * as vscode from "vscode";
import { promises as fs } from "node:fs";
import { HandshakePanel, defaultForm, labForm, type PanelDeps } from "./panel";
import { RecentRuns, formFromEndpoint, readEndpoints, type Endpoint } from "./store";
import { classify } from "./credentialFiles";
import { findKeyBeside } from "./clientCertRank";
import { pickFiles } from "./picker";
import { parseTarget, type HandshakeForm } from "../../shared/protocol/handshake";
import { isStartTlsProtocol, type StartTlsProtocol } from "../../shared/starttls";
import type { HandshakeServices } from "./index";
import type { LabService } from "../lab/service";
import type { PeerCertificates } from "./peerDocs";
import * as labCommands from "../lab/commands";

export { HandshakePanel };
export const lab = labCommands;

/** Arguments `certscope.testHandshake` accepts from other commands or tests (all optional). */
export interface TestHandshakeArgs {
  host?: string;
  port?: number;
  servername?: string;
  alpn?: string;
  /** The protocol before TLS (e.g. from the Scan panel's "Test a handshake"); "" or absent: none. */
  starttls?: "" | StartTlsProtocol;
  /** Run at once (only for explicit callers; endpoints from an untrusted workspace still ask). */
  run?: boolean;
  /** With a running lab server: use the kit's client certificate. */
  withKitClientCert?: boolean;
}

let deps: PanelDeps | undefined;

/** The panel's dependencies, made once on first use (the recent-runs store reads workspaceState). */
export function panelDeps(context: vscode.ExtensionContext, services: HandshakeServices, peers: PeerCertificates, labService: LabService): PanelDeps {
  deps ??= { context, recent: new RecentRuns(context.workspaceState), passwords: services.passwords, openCredentials: services.openCredentials, peers, lab: labService };
  return deps;
}

export function testHandshake(deps: PanelDeps, args?: TestHandshakeArgs | string): void {
  const a: TestHandshakeArgs = typeof args === "string" ? { host: args } : (args ?? {});
  if (!a.host && a.withKitClientCert !== undefined) {
    const f = labForm(deps.lab, a.withKitClientCert);
    HandshakePanel.show(deps, { form: f, run: !!f && a.run });
    return;
  }
  if (!a.host) {
    // Fresh panel: pre-filled from a running lab server (the panel does it); an open panel keeps its form.
    HandshakePanel.show(deps);
    return;
  }
  const f = defaultForm();
  const t = parseTarget(a.host, a.port ?? 443);
  f.host = "error" in t ? a.host : t.host;
  f.port = "error" in t ? (a.port ?? 443) : t.port;
  f.servername = a.servername ?? "";
  f.alpn = a.alpn ?? "";
  if (isStartTlsProtocol(a.starttls)) f.starttls = a.starttls;
  HandshakePanel.show(deps, { form: f, run: !!a.run && !("error" in t) });
}

/** From a certificate file (explorer/editor context menu, tree, or a pick): fill the client credentials. */
export async function testAsClientCert(deps: PanelDeps, given: vscode.Uri | undefined): Promise<void> {
  if (given && given.scheme !== "file") {
    void vscode.window.showErrorMessage(vscode.l10n.t("Test as Client Certificate needs a file on disk; {0} is not one (save it to a file first).", given.toString()));
    return;
  }
  let file = given?.fsPath;
  if (!file) {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.uri.scheme === "file" && /-----BEGIN (?:[A-Z0-9 ]+ )?CERTIFICATE-----/.test(active.getText())) file = active.uri.fsPath;
  }
  if (!file) file = (await pickFiles("cert"))?.[0];
  if (!file) return;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t("Cannot read {0}: {1}", file, (e as Error).message));
    return;
  }
  const facts = classify(bytes);
  const base: HandshakeForm = HandshakePanel.current?.currentForm ?? labForm(deps.lab, false) ?? defaultForm();
  const f: HandshakeForm = { ...base };
  if (facts.kinds.includes("pkcs12")) {
    f.credentialKind = "pkcs12";
    f.pfxFile = file;
  } else if (facts.kinds.includes("certificate") || facts.kinds.includes("derCertificate")) {
    f.credentialKind = "pem";
    f.certFile = file;
    if (facts.kinds.includes("privateKey") || facts.kinds.includes("encryptedPrivateKey")) f.keyFile = file;
    else {
      f.keyFile = (await findKeyBeside(file, bytes)) ?? "";
    }
  } else {
    void vscode.window.showErrorMessage(vscode.l10n.t("{0} holds no certificate or PKCS#12 that could be a client certificate.", file));
    return;
  }
  HandshakePanel.show(deps, { form: f });
  if (f.credentialKind === "pem" && !f.keyFile) void vscode.window.showInformationMessage(vscode.l10n.t("No matching private key was found next to the certificate: choose it in the form."));
}

export async function runEndpoint(deps: PanelDeps, arg?: string | number): Promise<void> {
  const list = readEndpoints();
  if (!list.length) {
    const [settings, test] = [vscode.l10n.t("Open Settings"), vscode.l10n.t("Test TLS Handshake")];
    const a = await vscode.window.showInformationMessage(vscode.l10n.t("No saved endpoints yet. Save one from the Test TLS Handshake panel, or add it to the setting certscope.endpoints."), settings, test);
    if (a === settings) void vscode.commands.executeCommand("workbench.action.openSettings", "certscope.endpoints");
    else if (a === test) void vscode.commands.executeCommand("certscope.testHandshake");
    return;
  }
  let e: Endpoint | undefined;
  if (typeof arg === "number") e = list[arg];
  else if (typeof arg === "string") e = list.find((x) => x.name === arg || `${x.host}:${x.port}` === arg);
  if (!e) {
    const pick = await vscode.window.showQuickPick(
      list.map((x) => ({ label: x.name || `${x.host}:${x.port}`, description: `${x.host}:${x.port}${x.fromWorkspace ? vscode.l10n.t(" · workspace settings") : ""}`, e: x })),
      { title: vscode.l10n.t("Run saved endpoint") },
    );
    e = pick?.e;
  }
  if (!e) return;
  if (e.fromWorkspace && !vscode.workspace.isTrusted) {
    const what = [`${e.host}:${e.port}`, e.cert || e.pfx ? vscode.l10n.t("sending the client certificate {0}", e.pfx ?? e.cert ?? "") : ""].filter(Boolean).join(", ");
    const ok = await vscode.window.showWarningMessage(
      vscode.l10n.t("This workspace is not trusted, and this endpoint comes from its settings. Connect to {0}?", what),
      { modal: true, detail: vscode.l10n.t("CertScope never connects to endpoints from an untrusted workspace's settings on its own.") },
      vscode.l10n.t("Connect"),
    );
    if (ok !== vscode.l10n.t("Connect")) {
      HandshakePanel.show(deps, { form: formFromEndpoint(e, defaultForm()) });
      return;
    }
  }
  HandshakePanel.show(deps, { form: formFromEndpoint(e, defaultForm()), run: true });
}

