/**
 * The running local test server of the mTLS lab, shared by the lab commands, the status bar item and the
 * handshake panel (which pre-fills its form from it). At most one server runs at a time.
 */
import * as vscode from "vscode";
import type { RunningTestServer, TestKitPaths, TestServerMode } from "../../core/lab";
import type { LabInfo } from "../../shared/protocol/handshake";

export interface RunningLab {
  server: RunningTestServer;
  paths: TestKitPaths;
  mode: TestServerMode;
}

export class LabService implements vscode.Disposable {
  private running: RunningLab | undefined;
  private readonly changed = new vscode.EventEmitter<LabInfo | undefined>();
  readonly onDidChange = this.changed.event;
  readonly log: vscode.OutputChannel;

  constructor() {
    this.log = vscode.window.createOutputChannel("CertScope Lab");
  }

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
    this.log.appendLine(`[${new Date().toISOString()}] stopped the test server on ${r.server.host}:${r.server.port}`);
    return true;
  }

  dispose(): void {
    void this.running?.server.close();
    this.running = undefined;
    this.changed.dispose();
    this.log.dispose();
  }
}
