/**
 * The mTLS lab commands: "Create mTLS Test Kit", "Start Local Test Server", "Stop Local Test Server", and the
 * status bar item of a running server. Registered at activation; their bodies (./commands.ts) load with the
 * handshake bundle on first use (../lazyHandshake.ts).
 */
import * as vscode from "vscode";
import { guarded } from "../commands/guard";
import { handshakeFeature } from "../lazyHandshake";
import { LabService, MODES, type LabHooks, type StartServerArgs } from "./service";

export { LabService } from "./service";
export type { LabHooks, StartServerArgs } from "./service";

export function registerLab(context: vscode.ExtensionContext, hooks: LabHooks = {}): LabService {
  const lab = new LabService();
  const status = vscode.window.createStatusBarItem("certscope.labServer", vscode.StatusBarAlignment.Left, 10);
  status.name = vscode.l10n.t("CertScope Test Server");
  status.command = "certscope.labServerMenu";
  context.subscriptions.push(
    lab,
    status,
    lab.onDidChange((info) => {
      if (!info) return status.hide();
      status.text = vscode.l10n.t("$(broadcast) mTLS lab :{0}", info.port);
      status.tooltip = vscode.l10n.t("CertScope test server on {0}:{1} — {2}.\nClick to test it or stop it.", info.host, info.port, MODES.find((m) => m.mode === info.mode)?.label ?? info.mode);
      status.show();
    }),
    vscode.commands.registerCommand(
      "certscope.createTestKit",
      guarded("lab: certscope.createTestKit", (arg?: vscode.Uri | string) => handshakeFeature().lab.createTestKit(context, arg)),
    ),
    vscode.commands.registerCommand(
      "certscope.startTestServer",
      guarded("lab: certscope.startTestServer", (arg?: StartServerArgs | vscode.Uri) => handshakeFeature().lab.startServer(context, lab, arg, hooks)),
    ),
    vscode.commands.registerCommand(
      "certscope.stopTestServer",
      guarded("lab: certscope.stopTestServer", async () => {
        if (!(await lab.stop())) void vscode.window.showInformationMessage(vscode.l10n.t("No CertScope test server is running."));
        else void vscode.window.showInformationMessage(vscode.l10n.t("CertScope test server stopped."));
      }),
    ),
    vscode.commands.registerCommand(
      "certscope.labServerMenu",
      guarded("lab: certscope.labServerMenu", () => handshakeFeature().lab.labServerMenu(lab)),
    ),
  );
  void vscode.commands.executeCommand("setContext", "certscope.labServerRunning", false);
  return lab;
}
