/**
 * Typed access to the `certscope.*` settings declared in package.json `contributes.configuration`. Values are
 * checked and clamped here, so a hand-edited settings.json with a wrong type never reaches a feature.
 */
import * as vscode from "vscode";
import { setDisplayTimeZone } from "../shared/format";
import { useL10nBundle } from "../core/l10n";

/** One entry of `certscope.endpoints` (package.json declares its schema). */
export interface EndpointSetting {
  name?: string;
  host: string;
  port: number;
  servername?: string;
  alpn?: string;
  /** STARTTLS protocol (smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql); absent: TLS from the first byte. */
  starttls?: string;
  /** false: send no application request after the handshake. */
  appProbe?: boolean;
  cert?: string;
  key?: string;
  pfx?: string;
  ca?: string[];
  /** TLS versions as the user wrote them ("1.2", "TLSv1.2", "tls1.2"); parseTlsVersion reads them. */
  tlsMin?: string;
  tlsMax?: string;
}

export interface CertScopeConfig {
  expiryWarningDays: number;
  diagnosticsEnabled: boolean;
  diagnosticsEmbeddedBlocks: boolean;
  codeLensEnabled: boolean;
  trustUseSystemRoots: boolean;
  trustExtraCaBundles: string[];
  trustWorkspaceCaFiles: boolean;
  handshakeTimeoutMs: number;
  endpoints: EndpointSetting[];
}

export const SECTION = "certscope";

function num(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === "boolean" ? v : fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length > 0) : [];
}

/** An entry of `certscope.endpoints` with at least a string host and a numeric port. */
export function isEndpointSetting(e: unknown): e is EndpointSetting {
  return !!e && typeof e === "object" && typeof (e as EndpointSetting).host === "string" && typeof (e as EndpointSetting).port === "number";
}

function endpoints(v: unknown): EndpointSetting[] {
  return Array.isArray(v) ? v.filter(isEndpointSetting) : [];
}

/** The settings for `scope` (a document or folder URI for resource-scoped ones), with defaults filled in. */
export function getConfig(scope?: vscode.ConfigurationScope): CertScopeConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    expiryWarningDays: Math.floor(num(c.get("expiryWarningDays"), 30, 0, 36_500)),
    diagnosticsEnabled: bool(c.get("diagnostics.enabled"), true),
    diagnosticsEmbeddedBlocks: bool(c.get("diagnostics.embeddedBlocks"), true),
    codeLensEnabled: bool(c.get("codeLens.enabled"), true),
    trustUseSystemRoots: bool(c.get("trust.useSystemRoots"), true),
    trustExtraCaBundles: strings(c.get("trust.extraCaBundles")),
    trustWorkspaceCaFiles: bool(c.get("trust.workspaceCaFiles"), false),
    handshakeTimeoutMs: num(c.get("handshake.timeoutMs"), 10_000, 500, 600_000),
    endpoints: endpoints(c.get("endpoints")),
  };
}

/** Calls `listener` when any of `keys` (relative to `certscope.`, e.g. "codeLens.enabled") changes. */
export function onConfigChange(keys: string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) listener();
  });
}

/**
 * Keeps src/shared/format.ts's display time zone on `certscope.display.timeZone` (utc | local), so the tree,
 * hover, Problems, viewer and handshake panel write times alike.
 */
export function registerDisplaySettings(context: vscode.ExtensionContext): void {
  // The sentences src/core writes (chain problems, decode errors, findings, revocation results) in VS Code's
  // display language; the CLI never calls this, so its output and JSON stay English.
  useL10nBundle(vscode.l10n.bundle);
  const apply = () => setDisplayTimeZone(vscode.workspace.getConfiguration(SECTION).get("display.timeZone"));
  apply();
  context.subscriptions.push(onConfigChange(["display.timeZone"], apply));
}
