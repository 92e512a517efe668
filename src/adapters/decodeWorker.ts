/**
 * Runs inspectBytes in a worker_threads worker (dist/worker.js, body in src/core/decodeWorker.ts) with a
 * deadline and cancellation: the viewer, the tree and the key index never decode or derive keys on the
 * extension host's thread. One worker serves requests in turn; a request past its deadline, or cancelled,
 * terminates it (the only way to stop a synchronous KDF) and the next request starts a fresh one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { CredentialsReply, DecodeReply, DecodeRequest, TaskReply, WorkerTask } from "../core/decodeWorker";
import type { InspectOptions } from "../core/pki";
import type { InspectResult } from "../shared/model";
import { l10nBundle } from "../core/l10n";

/** A file that takes longer than this to decode is reported as such (the budgets keep real work far below). */
export const DECODE_DEADLINE_MS = 30_000;

/**
 * The worker's memory: the largest real input, a 50 MB bundle at the 20,000-block limit, peaks near 250 MB
 * of heap; 1 GB leaves room for it and for the result's copy, yet keeps a file made to exhaust memory from
 * taking the extension host's process down with it. A worker past these limits dies with
 * ERR_WORKER_OUT_OF_MEMORY, which fails only its request; the next request starts a fresh worker.
 */
export const DECODE_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 };

interface Pending {
  req: DecodeRequest;
  resolve(r: unknown): void;
  reject(e: Error): void;
  deadlineMs: number;
  signal?: AbortSignal;
}

interface HostState {
  worker?: Worker;
  nextId: number;
  queue: Pending[];
  running?: { p: Pending; w: Worker; timer: NodeJS.Timeout; onAbort: () => void };
  resourceLimits: ResourceLimits;
}
// One worker per extension host, on globalThis: extension.js and the lazily loaded bundles (views.js) each carry a
// copy of this module, and they must share the worker, its queue and its deactivation.
const STATE_KEY = "__certscopeDecodeWorkerHost";
const st: HostState = ((globalThis as { [STATE_KEY]?: HostState })[STATE_KEY] ??= { nextId: 1, queue: [], resourceLimits: DECODE_RESOURCE_LIMITS });

function startWorker(): Worker {
  // In the bundle: dist/worker.js beside dist/extension.js. From the sources (unit tests under tsx): the same
  // body in TypeScript, loaded through tsx's CommonJS hook.
  const bundled = join(__dirname, "worker.js");
  const source = join(__dirname, "../core/decodeWorker.ts");
  if (!existsSync(bundled) && !existsSync(source)) throw new Error(`the decoding worker is missing (${bundled}): reinstall CertScope`);
  const w = existsSync(bundled)
    ? new Worker(bundled, { resourceLimits: st.resourceLimits })
    : new Worker(`require("tsx/cjs"); require(${JSON.stringify(source)});`, { eval: true, resourceLimits: st.resourceLimits });
  w.unref();
  w.on("message", (reply: DecodeReply | TaskReply) => {
    if (!st.running || st.running.w !== w || st.running.p.req.id !== reply.id) return;
    const { p } = finish();
    if ("error" in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.result);
    pump();
  });
  // Only the request this worker is running fails with it (a terminated worker exits after the next one started).
  // A worker that raised an error is finished: forget it first, so the next request starts a fresh one.
  w.on("error", (err) => {
    if (st.worker === w) st.worker = undefined;
    if (st.running?.w === w) fail(workerError(err, st.running.p));
  });
  w.on("exit", (code) => {
    if (st.worker === w) st.worker = undefined;
    if (st.running?.w === w) fail(new Error(`the decoding worker stopped (exit code ${code})`));
  });
  return w;
}

/** A worker's death in plain words: out of memory is the file's doing, so it names the file. */
function workerError(err: Error & { code?: string }, p: Pending): Error {
  if (err.code !== "ERR_WORKER_OUT_OF_MEMORY") return err;
  const mb = st.resourceLimits.maxOldGenerationSizeMb;
  return new Error(`decoding ${p.req.opts.fileName} needed more than the ${mb} MB of memory the decoder may use: CertScope stopped it (the file is too large or too complex to open)`);
}

function finish(): { p: Pending } {
  const r = st.running!;
  st.running = undefined;
  clearTimeout(r.timer);
  r.p.signal?.removeEventListener("abort", r.onAbort);
  return { p: r.p };
}

function fail(err: Error) {
  if (!st.running) return;
  const { p } = finish();
  p.reject(err);
  pump();
}

/** Stops the worker mid-task (a KDF cannot be interrupted otherwise) and fails the running request. */
function kill(err: Error) {
  const w = st.worker;
  st.worker = undefined;
  fail(err);
  void w?.terminate();
}

function pump() {
  if (st.running) return;
  const p = st.queue.shift();
  if (!p) return;
  if (p.signal?.aborted) {
    p.reject(new Error("cancelled"));
    return pump();
  }
  let w: Worker;
  try {
    w = st.worker ??= startWorker();
  } catch (err) {
    p.reject(err as Error);
    return pump();
  }
  const seconds = Math.round(p.deadlineMs / 1000);
  const timer = setTimeout(() => kill(new Error(`decoding ${p.req.opts.fileName} took longer than ${seconds} s: CertScope stopped it (the file may be made to exhaust the decoder)`)), p.deadlineMs);
  const onAbort = () => kill(new Error("cancelled"));
  p.signal?.addEventListener("abort", onAbort, { once: true });
  st.running = { p, w, timer, onAbort };
  w.postMessage(p.req);
}

function enqueue<T>(req: Omit<DecodeRequest, "id" | "l10n">, signal: AbortSignal | undefined, deadlineMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    // The worker writes its messages in the language core uses on the host (set by adapters/config.ts).
    st.queue.push({ req: { ...req, id: st.nextId++, l10n: l10nBundle() }, resolve: resolve as (r: unknown) => void, reject, deadlineMs, signal });
    pump();
  });
}

/** inspectBytes in the worker. Rejects on deadline ("took longer than …") or cancellation ("cancelled"). */
export function inspectInWorker(bytes: Uint8Array, opts: InspectOptions, deadlineMs = DECODE_DEADLINE_MS): Promise<InspectResult> {
  const { signal, ...rest } = opts;
  return enqueue({ bytes, opts: rest }, signal, deadlineMs);
}

/**
 * Opens a handshake's client credentials in the worker (a PKCS#12 or encrypted key's KDF must not run on the
 * extension host's thread). `fileName` names the file in a deadline error. English texts, with how they were made.
 */
export function openCredentialsInWorker(task: Omit<Extract<WorkerTask, { kind: "credentials" }>, "kind">, fileName: string, signal?: AbortSignal, deadlineMs = DECODE_DEADLINE_MS): Promise<CredentialsReply> {
  return enqueue({ opts: { fileName }, task: { kind: "credentials", ...task } }, signal, deadlineMs);
}

/** SHA-256 of an encrypted private key's public key, derived in the worker; null when the passphrase is wrong. */
export function keySpkiInWorker(source: { pem: string } | { der: Uint8Array }, passphrase: string, fileName: string, deadlineMs = DECODE_DEADLINE_MS): Promise<string | null> {
  return enqueue({ opts: { fileName }, task: { kind: "keySpki", source, passphrase } }, undefined, deadlineMs);
}

/** Sets the limits of the workers started from now on (tests use tiny ones); the running worker is ended. */
export async function setDecodeWorkerLimits(limits: ResourceLimits = DECODE_RESOURCE_LIMITS): Promise<void> {
  await stopDecodeWorker();
  st.resourceLimits = limits;
}

/** Ends the worker (extension deactivation, tests). */
export async function stopDecodeWorker(): Promise<void> {
  const w = st.worker;
  st.worker = undefined;
  if (st.running) fail(new Error("cancelled"));
  for (const p of st.queue.splice(0)) p.reject(new Error("cancelled"));
  await w?.terminate();
}
