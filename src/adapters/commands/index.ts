/**
 * Registers the editor surfaces of CertScope: the Certificates tree, the certificate viewer (custom editor),
 * and their commands (openViewer, refreshTree, revealBlock, copyValue, copyFingerprint, exportPem,
 * exportDer, matchKey, forgetPasswords, validateChain), each guarded (./guard). Creates the extension's one
 * password store (../secrets), which the handshake panel shares. Nothing PKI-heavy loads here: the core is
 * required on first use.
 */
import * as vscode from "vscode";
import { FileStore, type DocumentServiceLike } from "../editor/files";
import { errorMessage } from "../editor/pki";
import { log as logChannel } from "../log";
import { CertificateViewerProvider } from "../editor/viewerProvider";
import { registerDerRedirect } from "../editor/derRedirect";
import { PasswordStore, type SecretFailure } from "../secrets";
import { KeyIndex } from "../tree/keyIndex";
import { CertificateTree, registerTree } from "../tree/provider";
import { ValidationStore } from "../tree/validations";
import { registerGuarded } from "./guard";
import type { EditorDeps } from "./target";
import { views } from "../lazyViews";

const t = vscode.l10n.t;

export interface EditorServices {
  /** The document service of src/adapters/documents (cached analysis of text documents). */
  documents?: DocumentServiceLike;
  log?: vscode.LogOutputChannel;
}

export function registerEditorSurfaces(context: vscode.ExtensionContext, services: EditorServices = {}): EditorDeps {
  const log = services.log;
  const passwords = new PasswordStore(context.secrets, context.globalState, secretFailureReporter());
  const files = new FileStore(passwords, services.documents, log);
  const keys = new KeyIndex(log);
  const validations = new ValidationStore();
  const tree = new CertificateTree(files, keys, validations, log);
  const { provider: viewer, disposables } = CertificateViewerProvider.register(context.extensionUri, files, log);
  const deps: EditorDeps = { context, files, tree, viewer, keys, validations, passwords, ...(log ? { log } : {}) };
  context.subscriptions.push(files, keys, validations, tree, ...disposables, ...registerTree(tree), registerDerRedirect(log));

  const commands: [string, (arg: unknown) => unknown][] = [
    ["certscope.openViewer", (a) => views().openViewer(a, deps)],
    ["certscope.refreshTree", () => tree.refresh()],
    ["certscope.revealBlock", (a) => views().revealBlock(a, deps)],
    ["certscope.copyValue", (a) => views().copyValue(a, deps)],
    ["certscope.copyFingerprint", (a) => views().copyFingerprint(a, deps)],
    ["certscope.exportPem", (a) => views().exportObject(a, deps, "pem")],
    ["certscope.exportDer", (a) => views().exportObject(a, deps, "der")],
    ["certscope.matchKey", (a) => views().matchKey(a, deps)],
    ["certscope.forgetPasswords", () => views().forgetPasswords(deps)],
    ["certscope.validateChain", (a) => views().validateChain(a, deps)],
    ["certscope.checkRevocation", (a) => views().checkRevocation(a, deps)],
  ];
  for (const [id, run] of commands) context.subscriptions.push(registerGuarded(id, run));
  return deps;
}

/**
 * What a keychain failure of the password store does: a warning in the log (the error, never a password), and
 * one message per session and kind — remembering is best-effort and must not interrupt what the user is doing.
 */
export function secretFailureReporter(): SecretFailure {
  const told = new Set<string>();
  return (op, uri, err) => {
    logChannel().warn(`password store: could not ${op === "remember" ? "remember the password of" : "forget the password of"} ${uri}: ${errorMessage(err)}`);
    if (told.has(op)) return;
    told.add(op);
    void vscode.window.showWarningMessage(
      op === "remember"
        ? t("CertScope could not remember the password: the system keychain is not available ({0}). You will be asked again next time.", errorMessage(err))
        : t("CertScope could not delete a remembered password from the system keychain ({0}). See the CertScope log.", errorMessage(err)),
    );
  };
}
