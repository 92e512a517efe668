/**
 * Commands on one PKI object: open in the viewer, reveal its block, copy a value or its fingerprint,
 * export it as PEM or DER, forget remembered passwords. Private keys are never exported or copied.
 */
import * as vscode from "vscode";
import { colonHex, displayName, kindLabel } from "../tree/format";
import { isCertNode } from "../tree/provider";
import { baseName, type LoadedObject } from "../editor/files";
import { derToPem } from "../editor/pki";
import { VIEWER, VIEWER_TEXT } from "../editor/viewerProvider";
import { activeUri, isLocationArg, resolveTarget, toUri, type EditorDeps, type Target } from "./target";

const t = vscode.l10n.t;
const BINARY_EXT = /\.(der|cer|p12|pfx|p7b|p7c|crl|ocsp)$/i;

function noTarget(): void {
  void vscode.window.showInformationMessage(t("Open a certificate, key, CSR or CRL file first (or pick one in the Certificates view)."));
}

/** The object the target points at, or the only/first exportable one. */
function pick(target: Target): { obj: LoadedObject; index: number } | undefined {
  const { file } = target;
  if (target.index !== undefined && file.flat[target.index]) return { obj: file.flat[target.index], index: target.index };
  const i = file.flat.findIndex((o) => o.object.kind === "certificate");
  const j = i >= 0 ? i : file.flat.findIndex((o) => o.object.kind !== "pkcs12" && o.object.kind !== "pkcs7");
  return j >= 0 ? { obj: file.flat[j], index: j } : undefined;
}

export async function openViewer(arg: unknown, deps: EditorDeps): Promise<void> {
  let uri: vscode.Uri | undefined;
  let index: number | undefined;
  if (isCertNode(arg)) {
    uri = vscode.Uri.parse(arg.file);
    index = arg.data.objectIndex;
  } else if (arg instanceof vscode.Uri) uri = arg;
  else if (isLocationArg(arg)) {
    uri = toUri(arg.uri);
    index = arg.objectIndex;
    if (index === undefined && typeof arg.line === "number") {
      const target = await resolveTarget(arg, deps);
      index = target?.index;
    }
  } else uri = activeUri();
  if (!uri) return noTarget();
  const viewType = BINARY_EXT.test(uri.path) ? VIEWER : VIEWER_TEXT;
  await vscode.commands.executeCommand("vscode.openWith", uri, viewType);
  if (index !== undefined) deps.viewer.session(uri)?.focus(index);
}

export async function revealBlock(arg: unknown, deps: EditorDeps): Promise<void> {
  if (!isLocationArg(arg) && !isCertNode(arg)) {
    const target = await resolveTarget(arg, deps);
    if (!target) return noTarget();
    arg = { uri: target.file.uri, objectIndex: target.index };
  }
  const loc = isCertNode(arg) ? { uri: arg.file, objectIndex: arg.data.objectIndex, line: arg.data.reveal?.line } : (arg as { uri: string | vscode.Uri; line?: number; objectIndex?: number });
  const preserveFocus = !!(arg as { preserveFocus?: boolean }).preserveFocus;
  const forceText = !!(arg as { text?: boolean }).text;
  const uri = toUri(loc.uri);
  // A file open in the viewer (and not in a text editor): bring the object into view there.
  const session = deps.viewer.session(uri);
  const textEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const target = await resolveTarget({ uri, ...(loc.line ? { line: loc.line } : {}), ...(loc.objectIndex !== undefined ? { objectIndex: loc.objectIndex } : {}) }, deps);
  if (!target) return noTarget();
  if (!target.file.isText || (session && !textEditor && !forceText)) {
    if (session && target.index !== undefined) {
      session.focus(target.index);
      if (!preserveFocus) session.reveal();
    }
    return;
  }
  let range: vscode.Range | undefined;
  if (target.index !== undefined) {
    let o = target.file.flat[target.index];
    while (o && !o.range && o.parent !== undefined) o = target.file.flat[o.parent];
    range = o?.range;
  }
  if (!range && loc.line) range = new vscode.Range(loc.line - 1, 0, loc.line - 1, 0);
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus, preview: true, ...(textEditor ? { viewColumn: textEditor.viewColumn } : {}) });
  if (range) {
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export async function copyValue(arg: unknown, deps: EditorDeps): Promise<void> {
  if (isCertNode(arg)) {
    const v = arg.data.copyValue ?? (arg.data.description ? `${arg.data.label}: ${arg.data.description}` : arg.data.label);
    await vscode.env.clipboard.writeText(v);
    vscode.window.setStatusBarMessage(t("Copied {0}", arg.data.label), 2000);
    return;
  }
  const target = await resolveTarget(arg, deps);
  const p = target && pick(target);
  if (!p) return noTarget();
  const o = p.obj.object;
  const text = o.kind === "certificate" || o.kind === "csr" ? o.subject.text : o.kind === "crl" ? o.issuer.text : kindLabel(o.kind, t);
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(t("Copied {0}", text), 2000);
}

export async function copyFingerprint(arg: unknown, deps: EditorDeps): Promise<void> {
  const target = await resolveTarget(arg, deps);
  const p = target && pick(target);
  if (!p) return noTarget();
  const o = p.obj.object;
  const fp = "fingerprints" in o ? o.fingerprints : undefined;
  if (!fp) {
    void vscode.window.showInformationMessage(t("A {0} has no fingerprint to copy.", kindLabel(o.kind, t).toLowerCase()));
    return;
  }
  await vscode.env.clipboard.writeText(colonHex(fp.sha256));
  vscode.window.setStatusBarMessage(t("Copied the SHA-256 fingerprint"), 2000);
}

const PEM_LABEL: Record<string, string> = {
  certificate: "CERTIFICATE",
  csr: "CERTIFICATE REQUEST",
  crl: "X509 CRL",
  publicKey: "PUBLIC KEY",
  pkcs7: "PKCS7",
};

export async function exportObject(arg: unknown, deps: EditorDeps, format: "pem" | "der"): Promise<void> {
  const target = await resolveTarget(arg, deps);
  const p = target && pick(target);
  if (!target || !p) return noTarget();
  const o = p.obj.object;
  if (o.kind === "privateKey") {
    void vscode.window.showWarningMessage(t("CertScope does not export private keys."));
    return;
  }
  if (o.kind === "pkcs12") {
    // The container holds a key; its certificates are children in the tree and the viewer, exported one by one.
    void vscode.window.showInformationMessage(t("Export a certificate from inside {0}: expand it in the tree or the viewer and export that certificate. CertScope does not export the private key.", target.file.fileName));
    return;
  }
  const label = PEM_LABEL[o.kind];
  if (!label || !p.obj.der) {
    void vscode.window.showWarningMessage(t("This {0} in {1} cannot be exported: its bytes are not available.", kindLabel(o.kind, t).toLowerCase(), target.file.fileName));
    return;
  }
  const stem = baseName(target.file.uri).replace(/\.[^.]+$/, "");
  const name =
    o.kind === "certificate" || o.kind === "csr"
      ? displayName(o.subject, t)
          .replace(/[^A-Za-z0-9._-]+/g, "_")
          .slice(0, 60) || stem
      : `${stem}-${p.index + 1}`;
  const ext = format === "pem" ? (o.kind === "csr" ? "csr" : o.kind === "crl" ? "crl.pem" : "pem") : o.kind === "crl" ? "crl" : "der";
  const folder = vscode.Uri.joinPath(target.file.uri, "..");
  const dest = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, `${name}.${ext}`),
    title: format === "pem" ? t("Export {0} as PEM", kindLabel(o.kind, t)) : t("Export {0} as DER", kindLabel(o.kind, t)),
    filters: format === "pem" ? { PEM: ["pem", "crt", "csr", "crl"] } : { DER: ["der", "cer", "crl"] },
  });
  if (!dest) return;
  const bytes = format === "pem" ? new TextEncoder().encode(derToPem(p.obj.der, label)) : p.obj.der;
  await vscode.workspace.fs.writeFile(dest, bytes);
  deps.log?.info(`exported ${o.kind} #${p.index + 1} of ${target.file.fileName} as ${format.toUpperCase()} to ${dest.toString()}`);
  const open = t("Open");
  const choice = await vscode.window.showInformationMessage(t("Exported to {0}.", vscode.workspace.asRelativePath(dest)), open);
  if (choice === open) await vscode.commands.executeCommand("vscode.open", dest);
}

export async function forgetPasswords(deps: EditorDeps): Promise<void> {
  const n = await deps.passwords.forgetAll();
  deps.files.forgetAll();
  void vscode.window.showInformationMessage(n === 1 ? t("Forgot 1 remembered password.") : t("Forgot {0} remembered passwords.", n));
}
