/**
 * Server certificates from a handshake run, opened without writing anything to disk: a read-only in-memory
 * file system `certscope-peer:/<runId>/<index>/<name>.pem` whose files are the certificates' PEM. A file
 * system provider (not just a text content provider) so the certificate viewer, which reads through
 * `workspace.fs`, can open them too.
 */
import * as vscode from "vscode";
import type { CertificateModel } from "../../shared/model";

export const PEER_SCHEME = "certscope-peer";

export class PeerCertificates implements vscode.FileSystemProvider {
  private readonly docs = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  static register(context: vscode.ExtensionContext): PeerCertificates {
    const p = new PeerCertificates();
    context.subscriptions.push(vscode.workspace.registerFileSystemProvider(PEER_SCHEME, p, { isReadonly: true, isCaseSensitive: true }), p.emitter);
    return p;
  }

  /** Registers the certificate's PEM and returns its URI. Throws when the result carries no PEM. */
  uriFor(runId: string, index: number, cert: CertificateModel): vscode.Uri {
    if (!cert.pem) throw new Error("This certificate's PEM is not part of the result.");
    const cn = cert.subject.attributes?.find((a) => a.type === "CN")?.value ?? `certificate-${index + 1}`;
    const safe = cn.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60) || "certificate";
    const uri = vscode.Uri.from({ scheme: PEER_SCHEME, path: `/${runId}/${index}/${safe}.pem` });
    this.docs.set(uri.path, { data: new TextEncoder().encode(cert.pem.endsWith("\n") ? cert.pem : cert.pem + "\n"), mtime: Date.now() });
    // Keep the map small: only the latest few hundred certificates.
    if (this.docs.size > 300) this.docs.delete(this.docs.keys().next().value as string);
    return uri;
  }

  private get(uri: vscode.Uri): { data: Uint8Array; mtime: number } {
    const d = this.docs.get(uri.path);
    if (!d) throw vscode.FileSystemError.FileNotFound(uri);
    return d;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (!uri.path.endsWith(".pem")) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const d = this.get(uri);
    return { type: vscode.FileType.File, ctime: d.mtime, mtime: d.mtime, size: d.data.length, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.get(uri).data;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
