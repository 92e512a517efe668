/**
 * Registers the scan feature: "CertScope: Scan TLS Configuration…" (certscope.scanServer), which asks for
 * HOST:PORT (or takes { host, port, servername, run } from another command, e.g. the handshake panel's
 * "Scan this server") and opens the Scan panel. One call from extension.ts.
 */
import * as vscode from "vscode";
import { registerGuarded } from "../commands/guard";
import { parseTarget } from "../../shared/protocol/handshake";
import { isStartTlsProtocol, starttlsForPort, type StartTlsProtocol } from "../../shared/starttls";
import type { ScanDeps } from "./panel";
import { views, viewsIfLoaded } from "../lazyViews";

export interface ScanServerArgs {
  host?: string;
  port?: number;
  servername?: string;
  /** The protocol before TLS; default: the one the port suggests (587 → smtp), as the panel's field does. */
  starttls?: "" | StartTlsProtocol;
  /** Default true when a host is given. */
  run?: boolean;
}

export function registerScan(context: vscode.ExtensionContext, deps: Omit<ScanDeps, "context">): void {
  const d: ScanDeps = { context, ...deps };
  context.subscriptions.push(
    registerGuarded("certscope.scanServer", (args?: ScanServerArgs | string) => scanServer(d, args)),
    { dispose: () => viewsIfLoaded()?.ScanPanel.current?.dispose() },
  );
}

async function scanServer(deps: ScanDeps, args?: ScanServerArgs | string): Promise<void> {
  const a: ScanServerArgs = typeof args === "string" ? { host: args } : (args ?? {});
  const { ScanPanel, emptyScanForm } = views();
  const form = emptyScanForm();
  let host = a.host;
  if (!host) {
    host = await vscode.window.showInputBox({
      title: vscode.l10n.t("Scan TLS Configuration"),
      prompt: vscode.l10n.t("The server to scan: HOST:PORT, a host name (port 443) or an https:// URL"),
      placeHolder: "example.org:443",
      value: ScanPanel.current ? undefined : "",
      ignoreFocusOut: true,
      validateInput: (v) => {
        const t = parseTarget(v, 443);
        return "error" in t ? t.error : undefined;
      },
    });
    if (host === undefined) return;
  }
  const t = parseTarget(host, a.port ?? 443);
  form.host = "error" in t ? host : t.host;
  form.port = "error" in t ? (a.port ?? 443) : t.port;
  form.servername = a.servername ?? "";
  // Another extension's arguments are not typed: anything but a known protocol or "" means "suggest".
  form.starttls = a.starttls === "" || isStartTlsProtocol(a.starttls) ? a.starttls : (starttlsForPort(form.port) ?? "");
  ScanPanel.show(deps, { form, run: a.run ?? !("error" in t) });
}
