/**
 * Server certificates from a handshake run, opened without writing anything to disk: a read-only virtual
 * document `certscope-peer:/<runId>/<index>/<name>.pem` whose content is the certificate's PEM.
 */
import * as vscode from "vscode";
import type { CertificateModel } from "../../shared/model";

export const PEER_SCHEME = "certscope-peer";

export class PeerCertificates implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();

  static register(context: vscode.ExtensionContext): PeerCertificates {
    const p = new PeerCertificates();
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PEER_SCHEME, p));
    return p;
  }

  /** Registers the certificate's PEM and returns its URI. Throws when the result carries no PEM. */
  uriFor(runId: string, index: number, cert: CertificateModel): vscode.Uri {
    if (!cert.pem) throw new Error("This certificate's PEM is not part of the result.");
    const cn = cert.subject.attributes?.find((a) => a.type === "CN")?.value ?? `certificate-${index + 1}`;
    const safe = cn.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60) || "certificate";
    const uri = vscode.Uri.from({ scheme: PEER_SCHEME, path: `/${runId}/${index}/${safe}.pem` });
    this.docs.set(uri.toString(), cert.pem.endsWith("\n") ? cert.pem : cert.pem + "\n");
    // Keep the map small: only the latest few hundred certificates.
    if (this.docs.size > 300) this.docs.delete(this.docs.keys().next().value as string);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? "# This certificate is no longer in memory: run the handshake again.\n";
  }
}
