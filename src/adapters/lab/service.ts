/**
 * The running local test server of the mTLS lab, shared by the lab commands, the status bar item and the
 * handshake panel (which pre-fills its form from it). At most one server runs at a time.
 */
import * as vscode from "vscode";
import type { RunningTestServer, TestKitPaths, TestServerEvent, TestServerMode } from "../../core/lab";
import type { LabInfo } from "../../shared/protocol/handshake";
import { log } from "../log";

/** Lab lines go to the one CertScope channel, marked "lab:". Never key material: paths, subjects and outcomes only. */
export const labLog = {
  info: (msg: string) => log().info(`lab: ${msg}`),
  warn: (msg: string) => log().warn(`lab: ${msg}`),
  /** A test server's connection event, at the level its outcome deserves. */
  event: (e: TestServerEvent) => {
    const line = `lab: ${e.remote} ${e.outcome}: ${e.message}`;
    if (e.outcome === "connected") log().info(line);
    else if (e.outcome === "rejected") log().warn(line);
    else log().error(line);
  },
  show: () => log().show(true),
};

/** The client-authentication modes of the test server, as the commands and the status bar name them. */
export const MODES: { mode: TestServerMode; label: string; detail: string }[] = [
  { mode: "required", label: vscode.l10n.t("Client certificate required (mutual TLS)"), detail: vscode.l10n.t("The server rejects clients without a certificate from the kit's CA.") },
  { mode: "optional", label: vscode.l10n.t("Client certificate optional"), detail: vscode.l10n.t("The server asks for a client certificate but accepts connections without one.") },
  { mode: "one-way", label: vscode.l10n.t("One-way TLS"), detail: vscode.l10n.t("The server does not ask for a client certificate.") },
];

export interface StartServerArgs {
  kitDir?: string;
  mode?: TestServerMode;
  port?: number;
}

export interface LabHooks {
  /** Called after a server started: the handshake panel pre-fills its form. */
  onStarted?: () => void;
}

export interface RunningLab {
  server: RunningTestServer;
  paths: TestKitPaths;
  mode: TestServerMode;
}

export class LabService implements vscode.Disposable {
  private running: RunningLab | undefined;
  private readonly changed = new vscode.EventEmitter<LabInfo | undefined>();
  readonly onDidChange = this.changed.event;

  get current(): RunningLab | undefined {
    return this.running;
  }

  get info(): LabInfo | undefined {
    const r = this.running;
    return r ? { host: r.server.host, port: r.server.port, mode: r.mode, kitDir: r.paths.dir } : undefined;
  }

  set(r: RunningLab | undefined): void {
    this.running = r;
    void vscode.commands.executeCommand("setContext", "certscope.labServerRunning", !!r);
    this.changed.fire(this.info);
  }

  async stop(): Promise<boolean> {
    const r = this.running;
    if (!r) return false;
    this.set(undefined);
    await r.server.close();
    labLog.info(`stopped the test server on ${r.server.host}:${r.server.port}`);
    return true;
  }

  dispose(): void {
    void this.running?.server.close();
    this.running = undefined;
    this.changed.dispose();
  }
}
