/**
 * The decoding worker's body (bundled as dist/worker.js): the editor's heavy work — DER decoding, PKCS#12 and
 * encrypted-key KDFs — runs here, off the extension host's thread, so nothing a file contains can freeze
 * VS Code. One request at a time; the host side (src/adapters/decodeWorker.ts) puts a deadline on each and
 * terminates the worker to cancel. Never imports `vscode`. Messages come out in the language of the bundle each
 * request carries (a translate function cannot cross the thread boundary; the bundle, plain data, can).
 *
 * Besides decoding a file (the default task), the worker opens client credentials for a handshake and derives
 * the public-key hash of an encrypted private key: both run a KDF a file chooses the cost of (within the budget
 * of src/core/budget.ts). Key material crosses only between this thread and the host's, in memory.
 */
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { decryptPrivateKey, inspectBytesSync, PkiError, type InspectOptions } from "./pki";
import { openCredentials, type Credentials, type CredentialsOutcome } from "./tls/credentials";
import { useL10nBundle, type L10nBundle } from "./l10n";
import { recordingTranslator, type Recorded } from "../shared/format";

/** Work other than decoding a file. */
export type WorkerTask =
  | { kind: "credentials"; credentials: Credentials; now?: number; previousAcceptableIssuers?: string[] }
  | { kind: "keySpki"; source: { pem: string } | { der: Uint8Array }; passphrase: string };

export interface DecodeRequest {
  id: number;
  /** The file to decode (the default task). */
  bytes?: Uint8Array;
  opts: Omit<InspectOptions, "signal">;
  task?: WorkerTask;
  /** The host's translation of core messages (vscode.l10n.bundle); absent: English (./l10n.ts). */
  l10n?: L10nBundle;
}

/** Opened credentials, with how each of their English texts was built (for the panel's recorder). */
export interface CredentialsReply {
  outcome: CredentialsOutcome;
  made: Recorded;
}

export type DecodeReply = { id: number; result: ReturnType<typeof inspectBytesSync> } | { id: number; error: string };
export type TaskReply = { id: number; result: CredentialsReply | string | null } | { id: number; error: string };

/** Decodes one request in the host's language. Exported for the unit tests, which drive it without a thread. */
export function handleDecode(req: DecodeRequest): DecodeReply {
  return answer(req, () => inspectBytesSync(req.bytes ?? new Uint8Array(0), req.opts));
}

/** Runs one request: a task if it names one, else decoding. */
export function handleRequest(req: DecodeRequest): DecodeReply | TaskReply {
  const task = req.task;
  return task ? answer(req, () => runTask(task)) : handleDecode(req);
}

function answer<T>(req: DecodeRequest, work: () => T): { id: number; result: T } | { id: number; error: string } {
  useL10nBundle(req.l10n);
  try {
    return { id: req.id, result: work() };
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

function runTask(task: WorkerTask): CredentialsReply | string | null {
  if (task.kind === "credentials") {
    // English, recorded: the handshake's result is English (the contract) and the panel says it again.
    const rec = recordingTranslator();
    const outcome = openCredentials(task.credentials, { now: task.now === undefined ? undefined : new Date(task.now), previousAcceptableIssuers: task.previousAcceptableIssuers, t: rec.t });
    return { outcome, made: rec.made() };
  }
  return keySpki(task.source, task.passphrase);
}

/** SHA-256 of the SubjectPublicKeyInfo of an encrypted private key, or null when the passphrase does not open it. */
function keySpki(source: { pem: string } | { der: Uint8Array }, passphrase: string): string | null {
  let pkcs8: Uint8Array;
  try {
    pkcs8 = decryptPrivateKey("pem" in source ? normalizePem(source.pem) : source.der, passphrase);
  } catch (err) {
    if (err instanceof PkiError && (err.code === "bad_password" || err.code === "needs_password")) return null;
    throw err;
  }
  const spki = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" })).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("hex");
}

/**
 * Undoes YAML indentation and JSON-style quoting around PEM lines so the block can be read. Blank lines
 * inside the block stay: legacy encrypted PEM needs the one after its DEK-Info header.
 */
export function normalizePem(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^["']|["',]+$/g, ""))
    .join("\n")
    .trim();
}

parentPort?.on("message", (req: DecodeRequest) => parentPort?.postMessage(handleRequest(req)));
