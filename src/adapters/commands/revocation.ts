/**
 * "Check Revocation" (certscope.checkRevocation, args like Validate Chain…: a tree node, `{uri, objectIndex}`,
 * a Uri, or the active editor): asks the OCSP responder of the certificate and of each CA above it (issuers
 * from the same file, the trust settings and the system roots), off the UI thread with a cancellable
 * progress notification, and says what came back where the user is looking (a notification; details in the
 * CertScope log). Fetches only when the user runs it, or after Validate Chain… when `certscope.revocation`
 * is "ocsp" (a setting VS Code does not read from an untrusted workspace: restrictedConfigurations).
 */
import * as vscode from "vscode";
import type { CertificateModel } from "../../shared/model";
import { displayName } from "../tree/format";
import { loadTrust } from "../trust";
import { core } from "../lazyCore";
import { errorMessage } from "../editor/pki";
import { resolveTarget, type EditorDeps } from "./target";

const t = vscode.l10n.t;

type PathRevocation = Awaited<ReturnType<ReturnType<typeof core>["checkPathRevocation"]>>[number];

/** `certscope.revocation`: "ocsp" asks after Validate Chain…; anything else (default "off") asks only on demand. */
export function revocationSetting(scope?: vscode.Uri): "off" | "ocsp" {
  return vscode.workspace.getConfiguration("certscope", scope).get<string>("revocation", "off") === "ocsp" ? "ocsp" : "off";
}

const when = (iso: string | undefined) => (iso ? iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "?");

/** One line per certificate: "CN=leaf: good (OCSP answer of 2026-12-03 09:28 UTC from http://…)". */
export function revocationLine(r: PathRevocation): string {
  const s = r.status;
  const from = s.location ? t(" from {0}", s.location) : "";
  if (s.status === "revoked") return t("{0}: REVOKED on {1}{2} (OCSP answer{3})", r.subject, when(s.revokedAt), s.reason ? `, ${s.reason}` : "", from);
  if (s.status === "good") return t("{0}: good (OCSP answer of {1}{2})", r.subject, when(s.thisUpdate), from);
  return t("{0}: unknown — {1}", r.subject, s.detail);
}

export async function checkRevocation(arg: unknown, deps: EditorDeps): Promise<void> {
  const target = await resolveTarget(arg, deps);
  if (!target) {
    void vscode.window.showInformationMessage(t("Open a file with a certificate first."));
    return;
  }
  const { file } = target;
  const certs = file.flat.filter((o) => o.object.kind === "certificate" && o.der);
  const leaf = (target.index !== undefined && file.flat[target.index]?.object.kind === "certificate" ? file.flat[target.index] : undefined) ?? certs[0];
  if (!leaf?.der) {
    void vscode.window.showWarningMessage(t("{0} holds no certificate whose revocation can be checked.", file.fileName));
    return;
  }
  await runRevocationCheck(deps, file.uri, file.fileName, leaf.der, leaf.object as CertificateModel, certs.map((c) => c.der!));
}

/** Checks `leafDer` and the CAs above it; shows the outcome. Shared with Validate Chain… (certscope.revocation). */
export async function runRevocationCheck(deps: EditorDeps, uri: vscode.Uri, fileName: string, leafDer: Uint8Array, leaf: CertificateModel, fileCerts: Uint8Array[]): Promise<void> {
  const trust = await loadTrust(() => deps.keys.caFiles(), uri);
  const candidates = [...fileCerts, ...trust.untrusted, ...trust.trusted, ...(trust.useSystemRoots ? systemRootDers() : [])];
  const name = displayName(leaf.subject, t);
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t("Checking revocation of {0}…", name), cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        return await core().checkPathRevocation(leafDer, candidates, {
          signal: ac.signal,
          timeoutMs: 5000,
          onProgress: (_i, subject) => progress.report({ message: t("asking the OCSP responder of {0}", subject) }),
        });
      } finally {
        sub.dispose();
      }
    },
  ).then(
    (r) => r,
    (err: unknown) => {
      void vscode.window.showErrorMessage(t("Revocation check of {0} failed: {1}", fileName, errorMessage(err)));
      return undefined;
    },
  );
  if (!results) return;
  for (const r of results) deps.log?.info(`revocation ${fileName}: ${revocationLine(r)}${r.status.status !== "unknown" ? ` (${r.status.detail})` : ""}`);
  const showLog = t("Show Details");
  const revoked = results.filter((r) => r.status.status === "revoked");
  const unknown = results.filter((r) => r.status.status === "unknown");
  let choice: string | undefined;
  if (!results.length) choice = await vscode.window.showInformationMessage(t("Revocation of {0}: nothing to check.", name), showLog);
  else if (revoked.length) choice = await vscode.window.showErrorMessage(t("Revoked: {0}", revoked.map(revocationLine).join("; ")), showLog);
  else if (unknown.length)
    choice = await vscode.window.showWarningMessage(
      t("Revocation of {0} could not be fully checked: {1}", name, results.map(revocationLine).join("; ")),
      showLog,
    );
  else choice = await vscode.window.showInformationMessage(t("Not revoked: {0}", results.map(revocationLine).join("; ")), showLog);
  if (choice === showLog) deps.log?.show(true);
}

// Through the core bundle (it holds node:tls anyway): the activation bundle stays free of it.
const systemRootDers = (): Uint8Array[] => core().systemRoots();
