/**
 * What the handshake panel keeps: recent runs (workspaceState — results only, never secrets or key logs) and
 * saved endpoints (`certscope.endpoints`, user or workspace settings — never passphrases). Remembered
 * passphrases are in the extension's one password store (../secrets), shared with the certificate viewer.
 */
import * as vscode from "vscode";
import * as path from "node:path";
import type { HandshakeResult } from "../../shared/model";
import type { RunTexts } from "../../shared/runTexts";
import { isEndpointSetting, type EndpointSetting } from "../config";
import { parseTlsVersion } from "../../shared/format";
import { workspacePath } from "./picker";
import { isStartTlsProtocol } from "../../shared/starttls";
import { emptyForm, type EndpointSummary, type HandshakeForm, type RecentRunSummary } from "../../shared/protocol/handshake";

export interface RecentRun {
  runId: string;
  startedAt: string;
  form: HandshakeForm;
  /** In English (the contract; exports write it). */
  result: HandshakeResult;
  /** Its diagnosis and warnings in the display language of the run (absent in runs kept by older versions). */
  texts?: RunTexts;
}

const RECENT_KEY = "certscope.handshake.recent";
const MAX_RECENT = 12;

export class RecentRuns {
  constructor(private readonly memento: vscode.Memento) {}

  all(): RecentRun[] {
    const v = this.memento.get<RecentRun[]>(RECENT_KEY, []);
    return Array.isArray(v) ? v.filter((r) => r && r.runId && r.result && r.form) : [];
  }

  get(runId: string): RecentRun | undefined {
    return this.all().find((r) => r.runId === runId);
  }

  async add(run: RecentRun): Promise<void> {
    const rest = this.all().filter((r) => r.runId !== run.runId);
    await this.memento.update(RECENT_KEY, [run, ...rest].slice(0, MAX_RECENT));
  }

  summaries(): RecentRunSummary[] {
    return this.all().map((r) => ({
      runId: r.runId,
      startedAt: r.startedAt,
      label: `${r.result.target.host}:${r.result.target.port}${r.form.credentialKind !== "none" ? vscode.l10n.t(" (client certificate)") : ""}`,
      outcome: r.result.outcome,
      category: r.result.diagnosis?.category,
      protocol: r.result.protocol,
    }));
  }

  /** The acceptable CA names the server named last time (for the "issuer not accepted" hint). */
  lastAcceptableIssuers(host: string, port: number | null): string[] | undefined {
    const r = this.all().find((x) => x.result.target.host === host && x.result.target.port === port && x.result.clientCertificate?.acceptableIssuers?.length);
    return r?.result.clientCertificate.acceptableIssuers;
  }

  /** Whether the server required a client certificate, as the latest run that could tell showed (newest first). */
  lastRequired(host: string, port: number | null, except?: string): { required: boolean; startedAt: string } | undefined {
    const r = this.all().find((x) => x.runId !== except && x.result.target.host === host && x.result.target.port === port && typeof x.result.clientCertificate?.required === "boolean");
    return r ? { required: r.result.clientCertificate.required!, startedAt: r.startedAt } : undefined;
  }
}

export interface Endpoint extends EndpointSetting {
  fromWorkspace: boolean;
}

/** User endpoints, then the workspace's (and workspace folder's), without duplicates. */
export function readEndpoints(): Endpoint[] {
  const cfg = vscode.workspace.getConfiguration("certscope");
  const i = cfg.inspect<unknown[]>("endpoints");
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  const push = (list: unknown[] | undefined, fromWorkspace: boolean) => {
    for (const e of Array.isArray(list) ? list : []) {
      if (!isEndpointSetting(e)) continue;
      const key = JSON.stringify(e);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...e, fromWorkspace });
    }
  };
  push(i?.globalValue, false);
  push(i?.workspaceValue, true);
  push(i?.workspaceFolderValue, true);
  return out;
}

export function endpointSummaries(list: Endpoint[]): EndpointSummary[] {
  return list.map((e, index) => ({
    index,
    label: e.name || `${e.host}:${e.port}`,
    description: [`${e.host}:${e.port}`, e.pfx ? "PKCS#12" : e.cert ? vscode.l10n.t("client certificate") : "", e.fromWorkspace ? vscode.l10n.t("workspace") : vscode.l10n.t("user")].filter(Boolean).join(" · "),
    fromWorkspace: e.fromWorkspace,
  }));
}

function resolvePath(p: string | undefined): string {
  return p ? workspacePath(p) : "";
}

function relativize(p: string): string {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (base && p.startsWith(base + path.sep)) return path.relative(base, p).split(path.sep).join("/");
  return p;
}

/** The form for an endpoint, on top of `base` (the user's defaults: timeout, trust). */
export function formFromEndpoint(e: EndpointSetting, base: HandshakeForm = emptyForm()): HandshakeForm {
  const f: HandshakeForm = { ...base, caFiles: [...base.caFiles], credentialKind: "none", certFile: "", keyFile: "", pfxFile: "" };
  f.host = e.host;
  f.port = e.port;
  f.servername = e.servername ?? "";
  f.alpn = e.alpn ?? "";
  // "1.2", "TLSv1.2" and "tls1.2" all mean TLS 1.2; anything else leaves the default.
  f.tlsMin = (e.tlsMin && parseTlsVersion(e.tlsMin)) || "";
  f.tlsMax = (e.tlsMax && parseTlsVersion(e.tlsMax)) || "";
  f.starttls = isStartTlsProtocol(e.starttls) ? e.starttls : "";
  f.appProbe = e.appProbe !== false;
  if (e.pfx) {
    f.credentialKind = "pkcs12";
    f.pfxFile = resolvePath(e.pfx);
  } else if (e.cert) {
    f.credentialKind = "pem";
    f.certFile = resolvePath(e.cert);
    f.keyFile = resolvePath(e.key ?? e.cert);
  }
  if (e.ca?.length) {
    f.trust = "bundle";
    f.caFiles = e.ca.map(resolvePath);
  }
  return f;
}

export function endpointFromForm(f: HandshakeForm, host: string, port: number, name: string): EndpointSetting {
  const e: EndpointSetting = { name, host, port };
  if (f.servername) e.servername = f.servername;
  if (f.alpn) e.alpn = f.alpn;
  if (f.tlsMin) e.tlsMin = f.tlsMin;
  if (f.tlsMax) e.tlsMax = f.tlsMax;
  if (f.starttls) e.starttls = f.starttls;
  if (f.appProbe === false) e.appProbe = false;
  if (f.credentialKind === "pem" && f.certFile) {
    e.cert = relativize(f.certFile);
    if (f.keyFile) e.key = relativize(f.keyFile);
  } else if (f.credentialKind === "pkcs12" && f.pfxFile) e.pfx = relativize(f.pfxFile);
  if (f.trust === "bundle" && f.caFiles.length) e.ca = f.caFiles.map(relativize);
  return e;
}

/** Adds (or replaces, by name) an endpoint in the workspace settings when a folder is open, else user settings. */
export async function saveEndpoint(e: EndpointSetting): Promise<vscode.ConfigurationTarget> {
  const cfg = vscode.workspace.getConfiguration("certscope");
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const i = cfg.inspect<unknown[]>("endpoints");
  const current = (target === vscode.ConfigurationTarget.Workspace ? i?.workspaceValue : i?.globalValue) ?? [];
  const list = (Array.isArray(current) ? current : []).filter((x) => !(isEndpointSetting(x) && x.name === e.name));
  await cfg.update("endpoints", [...list, e], target);
  return target;
}
