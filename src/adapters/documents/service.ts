/**
 * The PKI analysis of open text documents, shared by hover, Outline, CodeLens, diagnostics and the certificate
 * tree. One job per document version: it first locates the blocks (no PKI libraries needed), then decodes them
 * with the lazily loaded core, yielding to the event loop every few milliseconds so a 50 MB file or 10,000
 * blocks never blocks the extension host. An edit cancels the job of the old version; callers waiting on it are
 * moved to the new version. The new job reuses the previous version's decoded objects by block content, so
 * re-analysing after an edit only decodes the blocks that changed, and memory follows the open documents.
 */
import * as vscode from "vscode";
import type { AnalyzeOptions, DocEntry, LocatedBlock } from "../../core/doc/types";
import { blockIndexAt, gatherBlocks, iterateBlocks } from "../../core/doc/locate";
import { decodeBlock, type PkiDecoder } from "../../core/doc/analyze";
import { deriveFacts } from "../../core/doc/facts";
import { core } from "../lazyCore";
import { getConfig, onConfigChange } from "../config";
import { log, logError } from "../log";

export interface DocumentAnalysis {
  uri: vscode.Uri;
  version: number;
  entries: DocEntry[];
  /** A plain sentence when the work was capped (file too large, too many blocks). */
  truncated?: string;
  /** Milliseconds from the start of the job to its end (including the time it yielded). */
  elapsedMs: number;
  /** The longest the job held the event loop between two yields, in ms (how responsive the host stayed). */
  longestStepMs: number;
  /** When the facts (expiry) were last derived. */
  analyzedAt: number;
}

/** Work this long, then yield to the event loop. */
const SLICE_MS = 8;
/** Larger texts are not read (VS Code itself stops syncing documents to extensions at 50 MB). */
export const MAX_TEXT_CHARS = 64 * 1024 * 1024;
export const MAX_BLOCKS = 20_000;
/** Expiry facts older than this are derived again on read. */
const FACTS_TTL_MS = 60 * 60 * 1000;

const SUPERSEDED = Symbol("superseded");

interface Job {
  uri: vscode.Uri;
  version: number;
  cancelled: boolean;
  options: AnalyzeOptions;
  blocks?: LocatedBlock[];
  blocksReady: Promise<LocatedBlock[]>;
  entries: (DocEntry | undefined)[];
  /** The previous version's entries by block content: an edit re-decodes only the blocks it changed. */
  reuse: Map<string, DocEntry>;
  result: Promise<DocumentAnalysis>;
  done?: DocumentAnalysis;
}


const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function race<T>(p: Promise<T>, token: vscode.CancellationToken | undefined): Promise<T> {
  if (!token) return p;
  if (token.isCancellationRequested) return Promise.reject(new vscode.CancellationError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new vscode.CancellationError());
    });
    p.then(
      (v) => (sub.dispose(), resolve(v)),
      (e) => (sub.dispose(), reject(e)),
    );
  });
}

export class PkiDocumentService implements vscode.Disposable {
  private readonly jobs = new Map<string, Job>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private decoderImpl: PkiDecoder | undefined;

  /** Fires with a document's URI when a new analysis of it is ready (or its facts changed with the settings). */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.disposables.push(
      this.emitter,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.cancel(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d.uri);
        this.jobs.delete(d.uri.toString());
      }),
      onConfigChange(["expiryWarningDays"], () => this.refreshFacts()),
    );
  }

  /** Every PKI block of the document, decoded. Rejects with CancellationError when `token` is cancelled. */
  async get(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocEntry[]> {
    return (await this.analysis(document, token)).entries;
  }

  /** The whole analysis, with the truncation note. */
  async analysis(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis> {
    for (;;) {
      const job = this.jobFor(document);
      try {
        const a = await race(job.result, token);
        if (Date.now() - a.analyzedAt > FACTS_TTL_MS) this.rederive(a, job.options.expiryWarningDays);
        return a;
      } catch (err) {
        if (err === SUPERSEDED && !token?.isCancellationRequested) continue;
        throw err;
      }
    }
  }

  /** The finished analysis of the document's current version, if there is one (never starts work). */
  peek(document: vscode.TextDocument): DocumentAnalysis | undefined {
    const job = this.jobs.get(document.uri.toString());
    return job && job.version === document.version ? job.done : undefined;
  }

  /**
   * The entry whose block contains `position`, decoding just that block if the full analysis is still running
   * (a hover in a 10,000-block file answers at once).
   */
  async entryAt(document: vscode.TextDocument, position: vscode.Position, token?: vscode.CancellationToken): Promise<DocEntry | undefined> {
    for (;;) {
      const job = this.jobFor(document);
      try {
        const blocks = await race(job.blocksReady, token);
        const i = blockIndexAt(blocks, document.offsetAt(position));
        if (i < 0) return undefined;
        const ready = job.entries[i];
        if (ready) return ready;
        const entry = await this.decodeOne(blocks[i], job);
        job.entries[i] ??= entry;
        return job.entries[i];
      } catch (err) {
        if (err === SUPERSEDED && !token?.isCancellationRequested) continue;
        throw err;
      }
    }
  }

  dispose(): void {
    for (const job of this.jobs.values()) job.cancelled = true;
    this.jobs.clear();
    for (const d of this.disposables) d.dispose();
  }

  private cancel(uri: vscode.Uri): void {
    const job = this.jobs.get(uri.toString());
    if (job && !job.done) job.cancelled = true;
  }

  private jobFor(document: vscode.TextDocument): Job {
    const key = document.uri.toString();
    const existing = this.jobs.get(key);
    if (existing && existing.version === document.version && !existing.cancelled) return existing;
    if (existing) existing.cancelled = true;
    const reuse = new Map<string, DocEntry>();
    // Only the last version is kept, so memory follows the open documents (private keys have no `pem` here).
    for (const e of existing?.done?.entries ?? existing?.entries ?? []) if (e?.block.pem) reuse.set(e.block.pem, e);
    const options: AnalyzeOptions = { summary: false, now: new Date(), expiryWarningDays: getConfig(document.uri).expiryWarningDays };
    let blocksResolve!: (b: LocatedBlock[]) => void;
    let blocksReject!: (e: unknown) => void;
    const job: Job = {
      uri: document.uri,
      version: document.version,
      cancelled: false,
      options,
      entries: [],
      reuse,
      blocksReady: new Promise((res, rej) => ((blocksResolve = res), (blocksReject = rej))),
      result: undefined as unknown as Promise<DocumentAnalysis>,
    };
    job.blocksReady.catch(() => undefined);
    job.result = this.run(job, document.getText(), blocksResolve).catch((err) => {
      blocksReject(err);
      throw err;
    });
    job.result.catch(() => undefined);
    this.jobs.set(key, job);
    return job;
  }

  private async run(job: Job, text: string, blocksReady: (b: LocatedBlock[]) => void): Promise<DocumentAnalysis> {
    const t0 = performance.now();
    let sliceStart = t0;
    let longest = 0;
    const finish = (entries: DocEntry[], truncated?: string): DocumentAnalysis => {
      const a: DocumentAnalysis = {
        uri: job.uri,
        version: job.version,
        entries,
        elapsedMs: Math.round(performance.now() - t0),
        longestStepMs: Math.round(Math.max(longest, performance.now() - sliceStart)),
        analyzedAt: job.options.now.getTime(),
      };
      if (truncated) a.truncated = truncated;
      job.done = a;
      return a;
    };
    if (text.length > MAX_TEXT_CHARS) {
      blocksReady([]);
      const note = vscode.l10n.t("This file is too large ({0} MB) for CertScope to look for PEM blocks in it.", Math.round(text.length / 1048576));
      log().warn(`${job.uri.toString(true)}: ${note}`);
      return finish([], note);
    }
    // No separate "contains -----BEGIN?" pre-check: the locator's first step is exactly that search.
    const slice = async () => {
      if (job.cancelled) throw SUPERSEDED;
      const held = performance.now() - sliceStart;
      if (held < SLICE_MS) return;
      if (held > longest) longest = held;
      await yieldToLoop();
      if (job.cancelled) throw SUPERSEDED;
      sliceStart = performance.now();
    };

    const blocks: LocatedBlock[] = [];
    const gather = gatherBlocks(iterateBlocks(text, { maxBlocks: MAX_BLOCKS }), blocks);
    let step: IteratorResult<null, string | undefined>;
    while (!(step = gather.next()).done) await slice();
    const truncated = step.value;
    job.blocks = blocks;
    blocksReady(blocks);
    const tLocated = performance.now();

    for (let i = 0; i < blocks.length; i++) {
      job.entries[i] ??= await this.decodeOne(blocks[i], job);
      await slice();
    }
    if (job.cancelled) throw SUPERSEDED;
    const a = finish(job.entries as DocEntry[], truncated);
    const located = Math.round(tLocated - t0);
    log().debug(`${job.uri.toString(true)} v${job.version}: ${blocks.length} PEM blocks, located in ${located} ms, analysed in ${a.elapsedMs} ms (longest step ${a.longestStepMs} ms)`);
    if (truncated) log().warn(`${job.uri.toString(true)}: ${truncated}`);
    this.emitter.fire(job.uri);
    return a;
  }

  private decoder(): PkiDecoder {
    if (!this.decoderImpl) {
      const t0 = performance.now();
      const c = core();
      this.decoderImpl = { decodeCertificate: c.decodeCertificate, inspectBytes: c.inspectBytes };
      log().info(`PKI core loaded in ${Math.round(performance.now() - t0)} ms`);
    }
    return this.decoderImpl;
  }

  private async decodeOne(block: LocatedBlock, job: Job): Promise<DocEntry> {
    const options = job.options;
    const hit = block.pem !== undefined && !block.error ? job.reuse.get(block.pem) : undefined;
    if (hit) {
      const entry: DocEntry = { block, facts: deriveFacts(hit.object, options.now, options.expiryWarningDays) };
      if (hit.object) entry.object = { ...hit.object, line: block.line };
      if (hit.error) entry.error = hit.error;
      if (hit.unsupported) entry.unsupported = hit.unsupported;
      return entry;
    }
    try {
      return await decodeBlock(block, options, block.error || !block.der ? NO_DECODER : this.decoder());
    } catch (err) {
      logError("decoding a PEM block", err);
      return { block, error: err instanceof Error ? err.message : String(err), facts: {} };
    }
  }

  /** Expiry facts depend on the clock and the warning window: derive them again without decoding. */
  private rederive(a: DocumentAnalysis, expiryWarningDays: number): void {
    const now = new Date();
    for (const e of a.entries) e.facts = deriveFacts(e.object, now, expiryWarningDays);
    a.analyzedAt = now.getTime();
  }

  private refreshFacts(): void {
    for (const job of this.jobs.values()) {
      if (!job.done) continue;
      job.options = { ...job.options, expiryWarningDays: getConfig(job.uri).expiryWarningDays };
      this.rederive(job.done, job.options.expiryWarningDays);
      this.emitter.fire(job.uri);
    }
  }
}

/** A decoder for blocks that are already known to be malformed (never called). */
const NO_DECODER: PkiDecoder = {
  decodeCertificate: () => {
    throw new Error("no decoder");
  },
  inspectBytes: () => Promise.reject(new Error("no decoder")),
};
