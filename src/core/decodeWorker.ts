/**
 * The decoding worker's body (bundled as dist/worker.js): the editor's heavy work — DER decoding, PKCS#12 and
 * encrypted-key KDFs — runs here, off the extension host's thread, so nothing a file contains can freeze
 * VS Code. One request at a time; the host side (src/adapters/decodeWorker.ts) puts a deadline on each and
 * terminates the worker to cancel. Never imports `vscode`.
 */
import { parentPort } from "node:worker_threads";
import { inspectBytesSync, type InspectOptions } from "./pki";

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  opts: Omit<InspectOptions, "signal">;
}

export type DecodeReply = { id: number; result: ReturnType<typeof inspectBytesSync> } | { id: number; error: string };

parentPort?.on("message", (req: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    reply = { id: req.id, result: inspectBytesSync(req.bytes, req.opts) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
