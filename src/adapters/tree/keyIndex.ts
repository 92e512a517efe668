/**
 * Which certificates, CSRs and keys in the workspace share a public key (by SHA-256 of the
 * SubjectPublicKeyInfo). Built on first use from a bounded `workspace.findFiles` (PKI-looking file names plus
 * YAML/JSON configs), reading only files under a size cap whose content holds a PEM block (or is DER), and
 * kept current by a file watcher. PKCS#12 files are skipped (they need a password). No key material is kept:
 * only hashes, names and places.
 */
import * as vscode from "vscode";
import type { KeyRef } from "./model";
import { displayName, flattenObjects } from "./format";
import { errorMessage, looksBinary, pki } from "../editor/pki";

/** PKI file names first (their content still decides), then config files that often embed PEM blocks. */
const GLOB = "**/*.{pem,crt,cer,der,key,csr,req,pub,p7b,p7c,cert,crl}";
const CONFIG_GLOB = "**/*.{yaml,yml,json,conf,cnf,cfg,ini,toml,tf,tfvars,env,properties,xml,txt}";
const EXCLUDE = "**/{node_modules,.git,dist,out,.e2e,.vscode-test}/**";
export const INDEX_LIMITS = { files: 2000, configFiles: 1000, bytesPerFile: 1024 * 1024, totalBytes: 64 * 1024 * 1024 };

interface FileEntry {
  refs: (KeyRef & { spki: string })[];
  hasCa: boolean;
}

export class KeyIndex implements vscode.Disposable {
  private readonly files = new Map<string, FileEntry>();
  private built: Promise<void> | undefined;
  private ready = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pending = new Map<string, vscode.Uri | null>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly log?: vscode.LogOutputChannel) {}

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }

  /** Places with this public key; undefined while the index is being built (building starts on first call). */
  lookup(spki: string): KeyRef[] | undefined {
    if (!this.ready) {
      void this.ensureBuilt();
      return undefined;
    }
    const out: KeyRef[] = [];
    const want = spki.toLowerCase();
    for (const f of this.files.values()) for (const r of f.refs) if (r.spki === want) out.push(stripSpki(r));
    return out;
  }

  /** Same as lookup, waiting for the index. */
  async find(spki: string): Promise<KeyRef[]> {
    await this.ensureBuilt();
    return this.lookup(spki) ?? [];
  }

  /** Every indexed place of one kind (for pickers). */
  async all(kinds: KeyRef["kind"][]): Promise<(KeyRef & { spki: string })[]> {
    await this.ensureBuilt();
    const out: (KeyRef & { spki: string })[] = [];
    for (const f of this.files.values()) for (const r of f.refs) if (kinds.includes(r.kind)) out.push(r);
    return out;
  }

  /** Files holding at least one CA certificate (for the workspace trust source). */
  async caFiles(): Promise<vscode.Uri[]> {
    await this.ensureBuilt();
    return [...this.files.entries()].filter(([, f]) => f.hasCa).map(([u]) => vscode.Uri.parse(u));
  }

  ensureBuilt(): Promise<void> {
    if (!this.built) this.built = this.build();
    return this.built;
  }

  private async build(): Promise<void> {
    const t0 = Date.now();
    for (const glob of [GLOB, CONFIG_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(
        watcher,
        watcher.onDidChange((u) => this.schedule(u)),
        watcher.onDidCreate((u) => this.schedule(u)),
        watcher.onDidDelete((u) => this.schedule(u, true)),
      );
    }
    let uris: vscode.Uri[] = [];
    try {
      uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, INDEX_LIMITS.files);
      uris.push(...(await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, INDEX_LIMITS.configFiles)));
    } catch (err) {
      this.log?.warn(`key index: findFiles failed: ${errorMessage(err)}`);
    }
    let total = 0;
    for (const uri of uris) {
      if (total > INDEX_LIMITS.totalBytes) {
        this.log?.info(`key index: stopped after ${total} bytes (cap)`);
        break;
      }
      total += await this.indexFile(uri);
    }
    this.ready = true;
    this.log?.info(`key index: ${this.files.size} files with PKI objects out of ${uris.length} candidates in ${Date.now() - t0} ms`);
    this.emitter.fire();
  }

  private schedule(uri: vscode.Uri, deleted = false): void {
    this.pending.set(uri.toString(), deleted ? null : uri);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), 500);
  }

  private async flush(): Promise<void> {
    const work = [...this.pending.entries()];
    this.pending.clear();
    for (const [key, uri] of work) {
      this.files.delete(key);
      if (uri) await this.indexFile(uri);
    }
    this.emitter.fire();
  }

  /** Indexes one file; returns the bytes read. */
  private async indexFile(uri: vscode.Uri): Promise<number> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > INDEX_LIMITS.bytesPerFile || stat.size === 0) return 0;
      const bytes = await vscode.workspace.fs.readFile(uri);
      const binary = looksBinary(bytes);
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // PEM, or PEM base64-encoded once more (Kubernetes Secret data).
      if (!binary && !buf.includes("-----BEGIN") && !buf.includes("LS0tLS1CRUdJT")) return bytes.length;
      const label = vscode.workspace.asRelativePath(uri);
      const r = await pki().inspectBytes(bytes, { fileName: label, summary: true });
      const entry: FileEntry = { refs: [], hasCa: false };
      for (const f of flattenObjects(r.objects)) {
        const o = f.object;
        const line = o.line;
        const base = { uri: uri.toString(), label, ...(line ? { line } : {}) };
        switch (o.kind) {
          case "certificate":
            if (o.isCA) entry.hasCa = true;
            if (o.publicKey?.spkiSha256) entry.refs.push({ ...base, kind: "certificate", name: displayName(o.subject), spki: o.publicKey.spkiSha256.toLowerCase() });
            break;
          case "csr":
            if (o.publicKey?.spkiSha256) entry.refs.push({ ...base, kind: "csr", name: displayName(o.subject), spki: o.publicKey.spkiSha256.toLowerCase() });
            break;
          case "privateKey":
          case "publicKey":
            if (o.publicKey?.spkiSha256) entry.refs.push({ ...base, kind: o.kind, spki: o.publicKey.spkiSha256.toLowerCase() });
            break;
        }
      }
      if (entry.refs.length || entry.hasCa) this.files.set(uri.toString(), entry);
      return bytes.length;
    } catch (err) {
      // Unreadable or not PKI after all: not an error for the index, but worth a trace.
      this.log?.trace(`key index: skipped ${uri.toString()}: ${errorMessage(err)}`);
      return 0;
    }
  }
}

function stripSpki(r: KeyRef & { spki: string }): KeyRef {
  const { spki: _spki, ...rest } = r;
  return rest;
}
