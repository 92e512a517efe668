/**
 * "Validate Chain…" (certscope.validateChain, args optional `{uri, line}` / a tree node / a Uri): the leaf is
 * the certificate at the line (or the node, or under the cursor, or the file's first certificate), the
 * file's other certificates are offered as intermediates; asks for a host name (optional) and a purpose;
 * trusts what the `certscope.trust.*` settings say; runs src/core/chain's verifyChain; shows the chain in the
 * tree's "Validation" section and the problems as "certscope-chain" diagnostics on the blocks.
 */
import * as vscode from "vscode";
import type { CertificateModel } from "../../shared/model";
import { displayName } from "../tree/format";
import { VIEW_ID } from "../tree/provider";
import type { ValidationRun } from "../tree/model";
import { loadTrust } from "../trust";
import { errorMessage, pki } from "../editor/pki";
import { chainSummary, placeProblems } from "./chainDiagnostics";
import { resolveTarget, type EditorDeps } from "./target";
import { revocationSetting, runRevocationCheck } from "./revocation";

const t = vscode.l10n.t;

type Purpose = "server" | "client" | "any";

export async function validateChain(arg: unknown, deps: EditorDeps): Promise<void> {
  const target = await resolveTarget(arg, deps);
  if (!target) {
    void vscode.window.showInformationMessage(t("Open a file with a certificate chain first (PEM, DER or PKCS#7)."));
    return;
  }
  const { file } = target;
  const certs = file.flat.map((o, i) => ({ o, i })).filter((x) => x.o.object.kind === "certificate");
  if (!certs.length) {
    void vscode.window.showWarningMessage(t("{0} holds no certificate to validate.", file.fileName));
    return;
  }
  const leaf = certs.find((c) => c.i === target.index) ?? certs[0];
  const leafModel = leaf.o.object as CertificateModel;
  if (!leaf.o.der) {
    void vscode.window.showWarningMessage(t("The certificate {0} in {1} cannot be validated: its bytes are not available.", displayName(leafModel.subject, t), file.fileName));
    return;
  }

  // The last host and purpose used for this file come first; otherwise the leaf's first DNS name.
  const memoKey = `certscope.validate:${file.uri.toString()}`;
  const memo = deps.context.workspaceState.get<{ host?: string; purpose?: Purpose }>(memoKey);
  const guess = memo?.host ?? leafModel.subjectAltNames.find((g) => g.type === "dns" && !g.value.startsWith("*"))?.value ?? "";
  const host = await vscode.window.showInputBox({
    title: t("Validate chain of {0}", displayName(leafModel.subject, t)),
    prompt: t("Host name or IP address the certificate must match (leave empty to skip the name check)"),
    value: guess,
    placeHolder: "example.com",
    ignoreFocusOut: true,
    validateInput: (v) => (/\s/.test(v.trim()) ? t("A host name has no spaces.") : undefined),
  });
  if (host === undefined) return;
  const purposes: (vscode.QuickPickItem & { purpose: Purpose })[] = [
    { label: t("TLS server"), description: "serverAuth", purpose: "server" },
    { label: t("TLS client"), description: "clientAuth", purpose: "client" },
    { label: t("Any purpose"), description: t("no extended key usage required"), purpose: "any" },
  ];
  if (memo?.purpose) purposes.sort((a, b) => Number(b.purpose === memo.purpose) - Number(a.purpose === memo.purpose));
  const picked = await vscode.window.showQuickPick(purposes, { title: t("What must the certificate be valid for?"), ignoreFocusOut: true });
  if (!picked) return;
  void deps.context.workspaceState.update(memoKey, { host: host.trim(), purpose: picked.purpose });
  await validateAndShow(deps, file, certs, leaf, host, picked.purpose);
}

type Loaded = NonNullable<Awaited<ReturnType<typeof resolveTarget>>>["file"];
type CertEntry = { o: Loaded["flat"][number]; i: number };

/** Validates with the current trust settings, shows the result; offers to trust a root the workspace holds. */
async function validateAndShow(deps: EditorDeps, file: Loaded, certs: CertEntry[], leaf: CertEntry, host: string, purpose: Purpose, reveal = false): Promise<void> {
  const leafModel = leaf.o.object as CertificateModel;
  const missing = certs.filter((c) => !c.o.der);
  const leafDer = leaf.o.der;
  if (!leafDer) return;
  const trust = await loadTrust(() => deps.keys.caFiles(), file.uri);
  for (const w of trust.warnings) deps.log?.warn(`validate: ${w}`);
  const chainCerts = [leafDer, ...certs.filter((c) => c !== leaf && c.o.der).map((c) => c.o.der!)];

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t("Validating the chain of {0}…", displayName(leafModel.subject, t)), cancellable: true },
    async (_progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        return await pki().verifyChain(chainCerts, {
          trusted: trust.trusted,
          untrusted: trust.untrusted,
          useSystemRoots: trust.useSystemRoots,
          fetchAia: trust.fetchAia,
          profile: trust.profile,
          ...(host.trim() ? { host: host.trim() } : {}),
          purpose,
          signal: ac.signal,
        });
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  ).then(
    (r) => r,
    (err: unknown) => {
      void vscode.window.showErrorMessage(t("Chain validation of {0} failed: {1}", file.fileName, errorMessage(err)));
      return undefined;
    },
  );
  if (!result) return;

  // Lines of this file's certificates (to reveal chain links) and block ranges (for diagnostics).
  const lines: Record<string, number> = {};
  const blocks: { sha256: string; block: number }[] = [];
  for (const c of certs) {
    const m = c.o.object as CertificateModel;
    const line = m.line ?? (c.o.parent !== undefined ? file.flat[c.o.parent].object.line : undefined);
    if (line) lines[m.fingerprints.sha256.toLowerCase()] = line;
    blocks.push({ sha256: m.fingerprints.sha256, block: c.i });
  }
  const rangeOf = (i: number): vscode.Range => {
    let o = file.flat[i];
    while (o && !o.range && o.parent !== undefined) o = file.flat[o.parent];
    return o?.range ?? new vscode.Range(0, 0, 0, 0);
  };
  const diagnostics = placeProblems(result, blocks, leaf.i).map((p) => {
    const d = new vscode.Diagnostic(rangeOf(p.block), p.message, p.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = "CertScope chain";
    d.code = p.code;
    return d;
  });
  const run: ValidationRun = { result, purpose, at: new Date().toISOString(), lines, ...(host.trim() ? { host: host.trim() } : {}) };
  deps.validations.set(file.uri, run, diagnostics);
  deps.log?.info(
    `validate ${file.fileName}: ${result.valid ? "valid" : "invalid"} (${result.chain.length} links, ${result.problems.length} problems; trust: ${trust.sources.join(", ") || "none"})`,
  );

  // certscope.revocation = "ocsp": the chain's revocation too (its own progress and message).
  if (revocationSetting(file.uri) === "ocsp") void runRevocationCheck(deps, file.uri, file.fileName, leafDer, leafModel, chainCerts);

  const show = t("Show in Certificates view");
  // The root the path needs is in the workspace but not trusted (certscope.trust.workspaceCaFiles is off): say
  // which file holds it and offer to trust the workspace's root CAs, then validate again.
  const top = result.chain[result.chain.length - 1];
  const root = !result.valid && top && !top.trustAnchor ? trust.workspaceRoots.find((r) => r.subject === top.issuer || r.subject === top.subject) : undefined;
  const trustRoot = t("Trust Workspace Root CAs");
  const extra = [
    ...(root ? [t("Its root CA {0} is in {1}, but workspace root CAs are not trusted (certscope.trust.workspaceCaFiles).", root.subject, vscode.workspace.asRelativePath(root.uri))] : []),
    ...(missing.length ? [t("{0} certificates of the file could not be used.", missing.length)] : []),
    ...(trust.warnings.length ? [trust.warnings[0]] : []),
  ].join(" ");
  if (reveal) await showInTree(deps, file);
  const choice = result.valid
    ? await vscode.window.showInformationMessage(`${t("Chain valid: {0}", chainSummary(result))}${extra ? ` — ${extra}` : ""}`, show)
    : await vscode.window.showWarningMessage(
        `${t("Chain invalid: {0}", result.problems.find((p) => p.severity !== "warning")?.message ?? result.problems[0]?.message ?? "")}${
          result.problems.length > 1 ? ` ${t("(+{0} more)", result.problems.length - 1)}` : ""
        }${extra ? ` — ${extra}` : ""}`,
        ...(root ? [trustRoot] : []),
        show,
      );
  if (choice === trustRoot) {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration("certscope.trust", file.uri).update("workspaceCaFiles", true, target);
    deps.log?.info(`validate: certscope.trust.workspaceCaFiles turned on (${target === vscode.ConfigurationTarget.Workspace ? "workspace" : "user"} settings) to trust ${root!.subject}`);
    // The user acted on this result: show the new one in the Certificates view at once (a second toast right
    // after the first can land in the notification centre unseen).
    return validateAndShow(deps, file, certs, leaf, host, purpose, true);
  }
  if (choice === show) await showInTree(deps, file);
}

/** The Certificates view, showing `file` (its Validation section on top). */
async function showInTree(deps: EditorDeps, file: Loaded): Promise<void> {
  const current = deps.tree.currentUri();
  if (!current || current.toString() !== file.uri.toString()) {
    if (file.isText) await vscode.window.showTextDocument(file.uri, { preview: true });
    else await vscode.commands.executeCommand("certscope.openViewer", file.uri);
  }
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}
