/**
 * Choosing credential and CA files: a quick pick of workspace files recognised by their content (PEM
 * certificates and keys in any text file, PKCS#12 and DER by their structure — not only by extension), plus a
 * file dialog and a typed path (for browser setups such as code-server where a native dialog is odd).
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { classify, findMatchingKey, type FileFacts } from "./credentialFiles";
import { MAX_RANKED, rankClientCertificates, type RankedCertificate } from "./clientCertRank";
import type { PickRole } from "../../shared/protocol/handshake";
import { logError } from "../log";
import { formatDay } from "../../shared/format";

export interface FoundFile {
  uri: vscode.Uri;
  facts: FileFacts;
}

const EXCLUDE = "{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.e2e/**,**/.vscode-test/**,**/test/e2e/.work/**}";
const SKIP_EXT = new Set([
  ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf", ".zip", ".gz", ".tgz",
  ".vsix", ".lock", ".pdf", ".mp4", ".mp3", ".wasm", ".so", ".dll", ".exe", ".class", ".jar", ".pyc", ".css", ".html",
]);
const MAX_FILES = 4000;
const MAX_SIZE = 256 * 1024;

/** A typed or configured path: absolute as it is, else relative to the first workspace folder (when one is open). */
export function workspacePath(p: string): string {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.isAbsolute(p) || !base ? p : path.join(base, p);
}

let cache: { at: number; files: FoundFile[] } | undefined;

/**
 * Scans the workspace for PKI files by content. Cached for 20 s (the picker is opened several times in a row);
 * a cancelled scan returns what it found so far and is not cached (the next picker scans again).
 */
export async function scanWorkspace(token?: vscode.CancellationToken): Promise<FoundFile[]> {
  if (cache && Date.now() - cache.at < 20_000) return cache.files;
  const uris = await vscode.workspace.findFiles("**/*", EXCLUDE, MAX_FILES, token);
  const out: FoundFile[] = [];
  const todo = uris.filter((u) => !SKIP_EXT.has(path.extname(u.path).toLowerCase()));
  for (let i = 0; i < todo.length; i += 32) {
    if (token?.isCancellationRequested) break;
    await Promise.all(
      todo.slice(i, i + 32).map(async (uri) => {
        try {
          const st = await vscode.workspace.fs.stat(uri);
          if (st.type !== vscode.FileType.File || st.size > MAX_SIZE || st.size < 20) return;
          const facts = classify(await vscode.workspace.fs.readFile(uri));
          if (facts.kinds.length) out.push({ uri, facts });
        } catch {
          /* unreadable: skip */
        }
      }),
    );
  }
  out.sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  if (!token?.isCancellationRequested) cache = { at: Date.now(), files: out };
  return out;
}

export function invalidateScan(): void {
  cache = undefined;
}

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, true);
}

function describe(f: FileFacts): string {
  const parts: string[] = [];
  if (f.kinds.includes("certificate") || f.kinds.includes("derCertificate")) {
    parts.push(f.certificates > 1 ? vscode.l10n.t("{0} certificates", f.certificates) : vscode.l10n.t("certificate"));
    if (f.subject) parts.push(f.subject);
    if (f.notAfter) parts.push(new Date(f.notAfter) < new Date() ? vscode.l10n.t("expired {0}", formatDay(f.notAfter)) : vscode.l10n.t("expires {0}", formatDay(f.notAfter)));
    if (f.isCA) parts.push(vscode.l10n.t("CA certificate"));
  }
  if (f.kinds.includes("privateKey")) parts.push(vscode.l10n.t("private key"));
  if (f.kinds.includes("encryptedPrivateKey")) parts.push(vscode.l10n.t("encrypted private key"));
  if (f.kinds.includes("pkcs12")) parts.push("PKCS#12");
  return parts.join(" · ");
}

/** Keys the client-certificate picker found for the certificates it listed (certificate path → key path). */
const keysFound = new Map<string, string>();

/** The matching private key the last client-certificate pick found for `certPath`, if any. */
export function matchedKeyFor(certPath: string): string | undefined {
  return keysFound.get(certPath);
}

const TIER_TITLE = () => [vscode.l10n.t("With a matching private key"), vscode.l10n.t("No matching private key found in the workspace"), vscode.l10n.t("Not suitable as a client certificate")];

/** Certificates ranked for client authentication (clientCertRank.ts), in groups, each saying what it is or why not. */
async function clientCertItems(certs: FoundFile[], all: FoundFile[]): Promise<Item[]> {
  const read = async (f: FoundFile) => ({ path: f.uri.fsPath, bytes: await vscode.workspace.fs.readFile(f.uri) });
  const keyFiles = all.filter((f) => f.facts.kinds.includes("privateKey")).slice(0, MAX_RANKED);
  const [certBytes, keyBytes] = await Promise.all([Promise.all(certs.slice(0, MAX_RANKED).map(read)), Promise.all(keyFiles.map(read))]);
  const ranked = rankClientCertificates(certBytes, keyBytes, new Date(), vscode.l10n.t);
  const byPath = new Map(certs.map((f) => [f.uri.fsPath, f]));
  keysFound.clear();
  const items: Item[] = [];
  let tier = -1;
  for (const r of ranked) {
    const f = byPath.get(r.path);
    if (!f) continue;
    if (r.keyPath) keysFound.set(r.path, r.keyPath);
    if (r.tier !== tier) {
      tier = r.tier;
      items.push({ label: TIER_TITLE()[tier], kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: `${["$(pass-filled)", "$(circle-large-outline)", "$(warning)"][r.tier]} ${path.basename(r.path)}`, description: describeDir(f.uri), detail: rankDetail(r, f.facts), uri: f.uri });
  }
  return items;
}

function rankDetail(r: RankedCertificate, facts: FileFacts): string {
  const parts = [describe(facts)];
  if (r.tier === 2) parts.push(vscode.l10n.t("not suitable: {0}", r.reasons.join("; ")));
  else {
    if (r.keyPath) parts.push(r.keyPath === r.path ? vscode.l10n.t("key in the same file") : vscode.l10n.t("key: {0}", path.basename(r.keyPath)));
    parts.push(r.clientAuth === "clientAuth" ? "clientAuth" : vscode.l10n.t("no EKU restriction"));
  }
  return parts.filter(Boolean).join(" · ");
}

function describeDir(uri: vscode.Uri): string {
  const d = path.dirname(rel(uri));
  return d === "." ? "" : d;
}

interface Item extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  action?: "dialog" | "type";
}

const ROLE: Record<PickRole, { title: string; want: (f: FileFacts) => boolean; filters: Record<string, string[]> }> = {
  cert: {
    title: vscode.l10n.t("Client certificate (PEM or DER file)"),
    want: (f) => f.kinds.includes("certificate") || f.kinds.includes("derCertificate"),
    filters: { Certificates: ["pem", "crt", "cer", "der"], "All files": ["*"] },
  },
  key: {
    title: vscode.l10n.t("Private key of the client certificate"),
    want: (f) => f.kinds.includes("privateKey") || f.kinds.includes("encryptedPrivateKey"),
    filters: { Keys: ["key", "pem"], "All files": ["*"] },
  },
  pfx: { title: vscode.l10n.t("Client certificate and key (PKCS#12)"), want: (f) => f.kinds.includes("pkcs12"), filters: { "PKCS#12": ["p12", "pfx"], "All files": ["*"] } },
  ca: {
    title: vscode.l10n.t("CA certificates to trust for the server"),
    want: (f) => f.kinds.includes("certificate") || f.kinds.includes("derCertificate"),
    filters: { Certificates: ["pem", "crt", "cer", "der"], "All files": ["*"] },
  },
};

/**
 * Lets the user choose file(s) for a role. Returns absolute paths, or undefined when dismissed.
 * `certPath`: for the key role, keys matching this certificate are marked and listed first.
 */
export async function pickFiles(role: PickRole, opts: { certPath?: string } = {}): Promise<string[] | undefined> {
  const spec = ROLE[role];
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = spec.title;
  qp.placeholder = vscode.l10n.t("Workspace files recognised by their content — or browse / type a path");
  qp.canSelectMany = role === "ca";
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  const tail: Item[] = [
    { label: "", kind: vscode.QuickPickItemKind.Separator },
    { label: vscode.l10n.t("$(folder-opened) Browse…"), action: "dialog", alwaysShow: true },
    { label: vscode.l10n.t("$(edit) Type a path…"), action: "type", alwaysShow: true },
  ];
  qp.items = tail;
  qp.show();
  const cts = new vscode.CancellationTokenSource();
  const filled = scanWorkspace(cts.token).then(async (files) => {
    let list = files.filter((f) => spec.want(f.facts));
    let matching: string | undefined;
    if (role === "key" && opts.certPath) {
      try {
        const certBytes = await vscode.workspace.fs.readFile(vscode.Uri.file(opts.certPath));
        const cands = await Promise.all(list.map(async (f) => ({ path: f.uri.fsPath, bytes: await vscode.workspace.fs.readFile(f.uri) })));
        matching = findMatchingKey(certBytes, cands);
      } catch {
        /* no marking */
      }
      if (matching) list = [...list.filter((f) => f.uri.fsPath === matching), ...list.filter((f) => f.uri.fsPath !== matching)];
    }
    if (role === "cert") {
      const items = await clientCertItems(list, files);
      qp.items = items.length ? [...items, ...tail] : [{ label: vscode.l10n.t("No certificate files found in the workspace"), alwaysShow: true }, ...tail];
      qp.busy = false;
      return;
    }
    if (role === "ca") list = [...list.filter((f) => f.facts.isCA), ...list.filter((f) => !f.facts.isCA)];
    const items: Item[] = list.map((f) => ({
      label: `${f.uri.fsPath === matching ? "$(pass-filled) " : ""}${path.basename(f.uri.fsPath)}`,
      description: describeDir(f.uri),
      detail: (f.uri.fsPath === matching ? vscode.l10n.t("matches the chosen certificate · ") : "") + describe(f.facts),
      uri: f.uri,
    }));
    qp.items = items.length ? [...items, ...tail] : [{ label: vscode.l10n.t("No matching files found in the workspace"), alwaysShow: true }, ...tail];
    qp.busy = false;
  });
  filled.catch((e) => {
    if (cts.token.isCancellationRequested) return; // the pick is over: nothing to show
    logError("handshake: scanning the workspace for credential files", e);
    qp.items = [{ label: vscode.l10n.t("The workspace could not be scanned (see the CertScope log)"), alwaysShow: true }, ...tail];
    qp.busy = false;
  });
  const chosen = await new Promise<Item[] | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.canSelectMany && qp.selectedItems.length ? [...qp.selectedItems] : [...qp.activeItems]));
    qp.onDidHide(() => resolve(undefined));
  });
  cts.cancel();
  qp.dispose();
  if (!chosen || !chosen.length) return undefined;
  const action = chosen.find((c) => c.action)?.action;
  if (action === "dialog") {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: role === "ca", canSelectFiles: true, canSelectFolders: false, filters: spec.filters, title: spec.title, openLabel: vscode.l10n.t("Choose") });
    return uris?.map((u) => u.fsPath);
  }
  if (action === "type") {
    const typed = await vscode.window.showInputBox({ title: spec.title, prompt: vscode.l10n.t("File path (absolute, or relative to the workspace folder)"), validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t("Enter a path")) });
    if (!typed) return undefined;
    const p = typed.trim();
    return [workspacePath(p)];
  }
  const uris = chosen.filter((c) => c.uri).map((c) => c.uri!.fsPath);
  return uris.length ? uris : undefined;
}
