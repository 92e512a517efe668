/**
 * The decoding worker's body (bundled as dist/worker.js): the editor's heavy work — DER decoding, PKCS#12 and
 * encrypted-key KDFs — runs here, off the extension host's thread, so nothing a file contains can freeze
 * VS Code. One request at a time; the host side (src/adapters/decodeWorker.ts) puts a deadline on each and
 * terminates the worker to cancel. Never imports `vscode`. Messages come out in the language of the bundle each
 * request carries (a translate function cannot cross the thread boundary; the bundle, plain data, can).
 */
import { parentPort } from "node:worker_threads";
import { inspectBytesSync, type InspectOptions } from "./pki";
import { useL10nBundle, type L10nBundle } from "./l10n";

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  opts: Omit<InspectOptions, "signal">;
  /** The host's translation of core messages (vscode.l10n.bundle); absent: English (./l10n.ts). */
  l10n?: L10nBundle;
}

export type DecodeReply = { id: number; result: ReturnType<typeof inspectBytesSync> } | { id: number; error: string };

/** Decodes one request in the host's language. Exported for the unit tests, which drive it without a thread. */
export function handleDecode(req: DecodeRequest): DecodeReply {
  useL10nBundle(req.l10n);
  try {
    return { id: req.id, result: inspectBytesSync(req.bytes, req.opts) };
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on("message", (req: DecodeRequest) => parentPort?.postMessage(handleDecode(req)));
