/**
 * Trust sources for chain validation in the editor: the system (Node) roots (`certscope.trust.useSystemRoots`),
 * extra CA bundles (`certscope.trust.extraCaBundles`: PEM, DER or PKCS#7, absolute or workspace-relative),
 * and the workspace's own CA certificates: intermediates (CA, not self-signed) are always offered for path
 * building — they confer no trust — and self-signed CAs become anchors only when
 * `certscope.trust.workspaceCaFiles` is on. Unreadable sources are reported, never silently dropped.
 */
import * as vscode from "vscode";
import { homedir } from "node:os";
import { isAbsolute } from "node:path";
import type { CertificateModel } from "../shared/model";
import { flattenObjects } from "./tree/format";
import { errorMessage, pemToDer, pki } from "./editor/pki";

export interface TrustInput {
  trusted: Uint8Array[];
  untrusted: Uint8Array[];
  useSystemRoots: boolean;
  /** Fetch missing issuers from AIA caIssuers URLs (`certscope.trust.fetchAia`). */
  fetchAia: boolean;
  /** Plain-words list of what is trusted, for the result message and the log. */
  sources: string[];
  /** Problems reading the configured sources. */
  warnings: string[];
  /** Self-signed CAs found in the workspace and not trusted (certscope.trust.workspaceCaFiles is off). */
  workspaceRoots: { uri: vscode.Uri; subject: string }[];
  /** `certscope.validation.profile`: auto (webpki for a chain ending in a system root, rfc5280 otherwise), rfc5280, webpki. */
  profile: "auto" | "rfc5280" | "webpki";
}

const t = vscode.l10n.t;

/** Certificates (DER) of a file: PEM with any number of blocks, DER, PKCS#7. */
export async function readCertificates(uri: vscode.Uri): Promise<{ der: Uint8Array; model: CertificateModel }[]> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
  const r = await pki().inspectBytes(bytes, { fileName: name });
  const out: { der: Uint8Array; model: CertificateModel }[] = [];
  for (const f of flattenObjects(r.objects)) {
    if (f.object.kind !== "certificate") continue;
    const der = f.object.pem ? pemToDer(f.object.pem) : r.objects.length === 1 ? bytes : undefined;
    if (der) out.push({ der, model: f.object });
  }
  return out;
}

/** Resolves a configured path: absolute, `~/…`, `${workspaceFolder}/…`, or relative to a workspace folder. */
export async function resolveConfiguredPath(p: string): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let path = p.trim();
  if (path.startsWith("~/")) path = homedir() + path.slice(1);
  if (path.includes("${workspaceFolder}")) {
    if (!folders.length) return undefined;
    path = path.replace(/\$\{workspaceFolder\}/g, folders[0].uri.fsPath);
  }
  if (isAbsolute(path)) return vscode.Uri.file(path);
  for (const f of folders) {
    const u = vscode.Uri.joinPath(f.uri, path);
    try {
      await vscode.workspace.fs.stat(u);
      return u;
    } catch {
      // try the next folder
    }
  }
  return undefined;
}

export async function loadTrust(workspaceCaFiles: () => Promise<vscode.Uri[]>, scope?: vscode.Uri): Promise<TrustInput> {
  const cfg = vscode.workspace.getConfiguration("certscope.trust", scope);
  const fetchAia = cfg.get<unknown>("fetchAia", false) === true;
  const profile = vscode.workspace.getConfiguration("certscope.validation", scope).get<unknown>("profile", "auto");
  const out: TrustInput = {
    trusted: [],
    untrusted: [],
    useSystemRoots: cfg.get<boolean>("useSystemRoots", true),
    fetchAia,
    sources: [],
    warnings: [],
    workspaceRoots: [],
    profile: profile === "rfc5280" || profile === "webpki" ? profile : "auto",
  };
  if (out.useSystemRoots) out.sources.push(t("system roots"));
  if (out.fetchAia) out.sources.push(t("intermediates fetched via AIA"));
  for (const p of cfg.get<string[]>("extraCaBundles", []) ?? []) {
    if (typeof p !== "string" || !p.trim()) continue;
    const uri = await resolveConfiguredPath(p);
    if (!uri) {
      out.warnings.push(t("CA bundle {0} (certscope.trust.extraCaBundles) was not found.", p));
      continue;
    }
    try {
      const certs = await readCertificates(uri);
      if (!certs.length) out.warnings.push(t("CA bundle {0} holds no certificate.", p));
      out.trusted.push(...certs.map((c) => c.der));
      if (certs.length) out.sources.push(t("{0} ({1} certificates)", p, certs.length));
    } catch (err) {
      out.warnings.push(t("CA bundle {0} could not be read: {1}", p, errorMessage(err)));
    }
  }
  // Workspace CA certificates: intermediates always help path building (they confer no trust); self-signed
  // CAs become anchors only when certscope.trust.workspaceCaFiles is on.
  const trustWorkspaceRoots = cfg.get<boolean>("workspaceCaFiles", false);
  let anchors = 0;
  let intermediates = 0;
  for (const uri of await workspaceCaFiles()) {
    try {
      for (const c of await readCertificates(uri)) {
        if (!c.model.isCA) continue;
        if (!c.model.selfSigned) {
          out.untrusted.push(c.der);
          intermediates++;
        } else if (trustWorkspaceRoots) {
          out.trusted.push(c.der);
          anchors++;
        } else out.workspaceRoots.push({ uri, subject: c.model.subject.text });
      }
    } catch (err) {
      out.warnings.push(t("{0} could not be read: {1}", vscode.workspace.asRelativePath(uri), errorMessage(err)));
    }
  }
  if (trustWorkspaceRoots) out.sources.push(t("workspace root CAs ({0})", anchors));
  if (intermediates) out.sources.push(t("workspace intermediates for path building ({0})", intermediates));
  return out;
}
