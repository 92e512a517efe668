/**
 * Registers the handshake feature: the "Test TLS Handshake" panel and its commands (testHandshake,
 * testAsClientCert, runEndpoint), the virtual documents for server certificates, and the mTLS lab
 * (src/adapters/lab). One call from extension.ts. The commands' bodies, the panel and the lab's work load on
 * first use (./feature.ts → dist/handshake.js, ../lazyHandshake.ts). Every command runs guarded
 * (../commands/guard): an error is logged and shown, never an unhandled rejection.
 */
import * as vscode from "vscode";
import { registerLab } from "../lab";
import { PeerCertificates } from "./peerDocs";
import { registerGuarded } from "../commands/guard";
import type { PasswordStore } from "../secrets";
import type { openCredentialsInWorker } from "../decodeWorker";
import { isCertNode } from "../tree/provider";
import { handshakeFeature, handshakeFeatureIfLoaded } from "../lazyHandshake";
import type { TestHandshakeArgs } from "./feature";

export type { TestHandshakeArgs } from "./feature";

export interface HandshakeServices {
  /** The extension's one password store (created with the editor surfaces): remembered passphrases live there. */
  passwords: PasswordStore;
  /** Opens client credentials in the decoding worker (the one worker of extension.js, shared with the panel). */
  openCredentials: typeof openCredentialsInWorker;
}

export function registerHandshake(context: vscode.ExtensionContext, services: HandshakeServices): { peers: PeerCertificates } {
  const lab = registerLab(context, { onStarted: () => handshakeFeatureIfLoaded()?.HandshakePanel.current?.prefillFromLab(false) });
  const peers = PeerCertificates.register(context);
  const feature = () => {
    const f = handshakeFeature();
    return { f, deps: f.panelDeps(context, services, peers, lab) };
  };

  context.subscriptions.push(
    registerGuarded("certscope.testHandshake", (args?: TestHandshakeArgs | string) => {
      const { f, deps } = feature();
      return f.testHandshake(deps, args);
    }),
    registerGuarded("certscope.testAsClientCert", (arg?: unknown) => {
      const { f, deps } = feature();
      return f.testAsClientCert(deps, uriOf(arg));
    }),
    registerGuarded("certscope.runEndpoint", (arg?: string | number) => {
      const { f, deps } = feature();
      return f.runEndpoint(deps, arg);
    }),
    { dispose: () => handshakeFeatureIfLoaded()?.HandshakePanel.current?.dispose() },
  );
  return { peers };
}

/**
 * The file a command argument names: a Uri (explorer, editor title), an explorer resource (`resourceUri`), a
 * location (`{ uri }` as a Uri or a uri string: hovers, CodeLens, the viewer), or a node of the Certificates
 * tree (`{ data, file }`, file = the uri string of the file the tree shows).
 */
export function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (isCertNode(arg)) return vscode.Uri.parse(arg.file);
  if (arg && typeof arg === "object") {
    const o = arg as { resourceUri?: unknown; uri?: unknown };
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri;
    if (o.uri instanceof vscode.Uri) return o.uri;
    if (typeof o.uri === "string" && o.uri) return vscode.Uri.parse(o.uri);
  }
  return undefined;
}

