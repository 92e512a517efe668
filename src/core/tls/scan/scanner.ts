/**
 * scanServer: what a server accepts, found by offering one thing at a time with raw ClientHellos, as independent
 * probes with typed results (sslyze's plugins, testssl.sh's hello builders), in this order:
 *   versions (SSLv3 … TLS 1.3, in parallel) → per version every accepted suite (offer all, remove the chosen
 *   one, repeat) → server preference (offer the accepted ones reversed) → key-exchange groups (TLS 1.3 by
 *   HelloRetryRequest, ECDHE by ServerKeyExchange) → TLS 1.3 chains → TLS_FALLBACK_SCSV → findings.
 * Every connection goes through one Dialer, a bounded pool (polite concurrency, a cap per scan, a timeout per
 * connection) and the caller's AbortSignal. Never throws for peer problems, except ScanError when nothing
 * could be scanned (unreachable, not TLS).
 */
import { createHash } from "node:crypto";
import * as net from "node:net";
import type { Dialer, StartTlsProtocol } from "../../net/types";
import type { CertificateModel } from "../../../shared/model";
import type { ScanProgress, ScanResult, ScanSuite } from "../../../shared/scanModel";
import { certificateModel } from "../certs";
import { groupName } from "../names";
import { allSuites, hexCode, SCAN_VERSIONS, suiteByCode, SUITE_REGISTRY, VERSION_CODE, type ScanVersion } from "../suites/anatomy";
import { buildClientHello, EC_GROUPS_TLS12, SCAN_GROUPS, type HelloOptions } from "./hello";
import { probe, type ProbeOutcome } from "./probe";
import { tls13Chain, TLS13_SIGALG_FAMILIES } from "./tls13Certs";
import { makeDialer } from "../../net/dial";
import { scanFindings } from "./findings";
import { tls13Parts } from "./parts";

export interface ScanOptions {
  host: string;
  port: number;
  servername?: string;
  /** How connections are opened (TCP, proxy, STARTTLS); default plain TCP to host:port (after `starttls`). */
  dialer?: Dialer;
  /** The plaintext protocol upgraded first, named in the result's target; with a `dialer`, that dialer must do it. */
  starttls?: StartTlsProtocol;
  /** Per connection, default 5000 ms. */
  timeoutMs?: number;
  /** Connections at once, default 4. */
  concurrency?: number;
  /** Connections per scan, default 500. */
  maxConnections?: number;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

export const SCAN_DEFAULTS = { timeoutMs: 5000, concurrency: 4, maxConnections: 500 };

export class ScanError extends Error {
  constructor(
    readonly category: "connection_refused" | "timeout" | "dns_failure" | "not_tls" | "proxy_failure" | "starttls_failure" | "cancelled" | "other",
    message: string,
  ) {
    super(message);
  }
}

/** The bounded connection pool every probe goes through. */
class Pool {
  used = 0;
  capped = false;
  private active = 0;
  private waiting: (() => void)[] = [];
  phase = "versions";
  constructor(
    private readonly o: Required<Pick<ScanOptions, "timeoutMs" | "concurrency" | "maxConnections">> & ScanOptions & { dialer: Dialer },
  ) {}

  async run<T>(fn: (dial: Dialer) => Promise<T>): Promise<T | undefined> {
    if (this.o.signal?.aborted) return undefined;
    if (this.used >= this.o.maxConnections) {
      this.capped = true;
      return undefined;
    }
    this.used++;
    if (this.active >= this.o.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn(this.o.dialer);
    } finally {
      this.active--;
      this.waiting.shift()?.();
      this.o.onProgress?.({ phase: this.phase, connections: this.used, maxConnections: this.o.maxConnections });
    }
  }

  hello(h: HelloOptions): Promise<ProbeOutcome | undefined> {
    const bytes = buildClientHello({ servername: this.o.servername, ...h });
    return this.run((dial) => probe(dial, bytes, { timeoutMs: this.o.timeoutMs, signal: this.o.signal }));
  }
}

interface Accepted {
  suite: number;
  outcome: ProbeOutcome;
}

/** Suites worth offering in a version: every IANA suite defined there. */
function suitesFor(v: ScanVersion): number[] {
  return [...allSuites().values()].filter((s) => !s.signaling && s.versions.includes(v)).map((s) => s.code);
}

function negotiated(o: ProbeOutcome | undefined, v: ScanVersion): o is ProbeOutcome & { suite: number } {
  return !!o && (o.kind === "hello" || o.kind === "hrr") && o.version === VERSION_CODE[v] && o.suite !== undefined;
}

export async function scanServer(opts: ScanOptions): Promise<ScanResult> {
  const t0 = performance.now();
  const host = opts.host.replace(/^\[(.*)\]$/, "$1");
  const servername = opts.servername ?? (net.isIP(host) ? undefined : host);
  const o = {
    ...opts,
    servername,
    timeoutMs: clampInt(opts.timeoutMs ?? SCAN_DEFAULTS.timeoutMs, 100, 120000),
    concurrency: clampInt(opts.concurrency ?? SCAN_DEFAULTS.concurrency, 1, 32),
    maxConnections: clampInt(opts.maxConnections ?? SCAN_DEFAULTS.maxConnections, 10, 5000),
    dialer: opts.dialer ?? makeDialer({ host, port: opts.port, servername, starttls: opts.starttls }),
  };
  const pool = new Pool(o);
  const notes: string[] = [];

  // Step 1: which versions, each offered alone with every suite it defines.
  const first = await Promise.all(SCAN_VERSIONS.map((v) => pool.hello({ version: v, suites: suitesFor(v) })));
  reachable(first, host, opts.port, opts.signal);
  const supported = SCAN_VERSIONS.filter((v, i) => negotiated(first[i], v));

  // Step 2 and 3: every accepted suite per version, then whether the server imposes its order.
  pool.phase = "cipher suites";
  const perVersion = new Map<ScanVersion, Accepted[]>();
  const serverPreference: Record<string, boolean> = {};
  await Promise.all(
    supported.map(async (v) => {
      const f = first[SCAN_VERSIONS.indexOf(v)]!;
      const acc = await enumerateSuites(pool, v, f as ProbeOutcome & { suite: number }, notes);
      perVersion.set(v, acc);
      if (acc.length >= 2) {
        const rev = await pool.hello({ version: v, suites: acc.map((a) => a.suite).reverse() });
        if (negotiated(rev, v)) serverPreference[v] = rev.suite === acc[0].suite;
      }
    }),
  );

  // Step 4: key-exchange groups, and the chains only TLS 1.3 can show.
  pool.phase = "groups and certificates";
  const [groups13, groups12, chains13, fallbackScsv] = await Promise.all([
    perVersion.get("TLSv1.3")?.length ? groupsTls13(pool, perVersion.get("TLSv1.3")!) : Promise.resolve([]),
    groupsEcdhe(pool, perVersion),
    perVersion.get("TLSv1.3")?.length ? chainsTls13(pool, o) : Promise.resolve([]),
    fallback(pool, supported),
  ]);

  // Step 5: assemble.
  const chains = new ChainSet();
  const suites = suiteEntries(supported, perVersion, chains);
  for (const c of chains13) chains.add(c.chain);
  for (const s of suites) if (s.version === "TLSv1.3") Object.assign(s.parts, tls13Parts(s.group, chains13.map((c) => c.family)));
  const old = supported.filter((v) => v !== "TLSv1.3").flatMap((v) => perVersion.get(v) ?? []);
  const groupsByVersion: Record<string, string[]> = {};
  if (groups13.length) groupsByVersion["TLSv1.3"] = groups13.map(groupName);
  if (groups12.length) groupsByVersion["TLSv1.2"] = groups12.map(groupName);
  if (pool.capped) notes.push(`The scan stopped at its cap of ${o.maxConnections} connections: the lists may be incomplete.`);
  if (opts.signal?.aborted) notes.push("The scan was cancelled: the lists are incomplete.");
  const partial: Omit<ScanResult, "findings" | "mozilla"> = {
    target: { host, port: opts.port, ...(servername ? { servername } : {}), ...(opts.starttls ? { starttls: opts.starttls } : {}) },
    protocols: SCAN_VERSIONS.map((v) => ({ version: v, supported: supported.includes(v) })),
    cipherSuites: suites,
    serverPreference,
    groups: [...new Set([...groups13, ...groups12])].map(groupName),
    groupsByVersion,
    certificates: chains.models(),
    ocspStapling: old.some((a) => a.outcome.stapled) || chains13.some((c) => c.stapled),
    secureRenegotiation: old.length ? old.every((a) => a.outcome.secureRenegotiation) : null,
    fallbackScsv,
    elapsedMs: 0,
    connections: pool.used,
    maxConnections: o.maxConnections,
    concurrency: o.concurrency,
    complete: !pool.capped && !opts.signal?.aborted && notes.length === 0,
    notes,
    suiteRegistry: { source: SUITE_REGISTRY.url, date: SUITE_REGISTRY.date },
  };
  const { findings, mozilla } = scanFindings(partial);
  return { ...partial, mozilla, findings, elapsedMs: Math.round(performance.now() - t0) };
}

/** The accepted suites as the contract lists them, with the group, DH size and chain each came with. */
function suiteEntries(supported: ScanVersion[], perVersion: Map<ScanVersion, Accepted[]>, chains: ChainSet): ScanSuite[] {
  const suites: ScanSuite[] = [];
  for (const v of supported) {
    for (const a of perVersion.get(v) ?? []) {
      const info = suiteByCode(a.suite);
      const s: ScanSuite = info
        ? { version: v, name: info.name, code: info.hex, parts: { ...info.parts }, strength: info.strength, reasons: info.reasons }
        : { version: v, name: hexCode(a.suite), code: hexCode(a.suite), parts: { keyExchange: "?", authentication: "?", cipher: "?", mac: "?", forwardSecrecy: false }, strength: "weak", reasons: ["a suite unknown to the IANA registry copy"] };
      if (a.outcome.dhBits) gradeDh(s, a.outcome.dhBits);
      if (a.outcome.group !== undefined) s.group = groupName(a.outcome.group);
      if (a.outcome.certificates?.length) s.certificate = chains.add(a.outcome.certificates);
      suites.push(s);
    }
  }
  return suites;
}

/** A DHE suite is only as strong as the server's group (NIST SP 800-52r2 §3.3.1, Mozilla: at least 2048 bits). */
function gradeDh(s: ScanSuite, bits: number): void {
  s.dhBits = bits;
  if (bits >= 2048) return;
  s.reasons = [`the server's DH group is ${bits} bits, under the 2048 NIST SP 800-52r2 and Mozilla ask for (Logjam)`, ...s.reasons];
  if (bits < 1024) s.strength = "insecure";
  else if (s.strength !== "insecure") s.strength = "weak";
}

/** Nothing answered like a TLS server: say why, as the handshake's diagnosis would. */
function reachable(first: (ProbeOutcome | undefined)[], host: string, port: number, signal?: AbortSignal): void {
  if (signal?.aborted) throw new ScanError("cancelled", "The scan was cancelled.");
  const nt = first.find((f) => f?.kind === "not_tls");
  if (nt) throw new ScanError("not_tls", `${host} port ${port} does not speak TLS: its first bytes were '${(nt.message ?? "").replace(/[^\x20-\x7e]/g, ".").slice(0, 32)}'.`);
  if (first.some((f) => f && !["dial_failed", "timeout", "cancelled"].includes(f.kind))) return;
  const f = first.find((x) => x)!;
  if (f?.kind === "timeout") throw new ScanError("timeout", `${host} port ${port} did not answer in time (${f.message ?? "no TCP connection or no reply to a ClientHello"}).`);
  const m = f?.message ?? "no connection";
  if (f?.dialCategory === "proxy_failure" || f?.dialCategory === "starttls_failure") throw new ScanError(f.dialCategory, `Could not reach TLS on ${host} port ${port}: ${m}`);
  throw new ScanError(/ECONNREFUSED/.test(m) ? "connection_refused" : /ENOTFOUND|EAI_/.test(m) ? "dns_failure" : "other", `Could not connect to ${host} port ${port}: ${m}.`);
}

async function enumerateSuites(pool: Pool, v: ScanVersion, f: ProbeOutcome & { suite: number }, notes: string[]): Promise<Accepted[]> {
  const acc: Accepted[] = [{ suite: f.suite, outcome: f }];
  let remaining = suitesFor(v).filter((c) => c !== f.suite);
  while (remaining.length) {
    const r = await pool.hello({ version: v, suites: remaining });
    if (!negotiated(r, v)) break;
    if (!remaining.includes(r.suite)) {
      notes.push(`In ${v} the server chose ${hexCode(r.suite)}, which was not offered: stopped listing its suites there.`);
      break;
    }
    acc.push({ suite: r.suite, outcome: r });
    remaining = remaining.filter((c) => c !== r.suite);
  }
  return acc;
}

/** TLS 1.3: offer the groups without a key share; the HelloRetryRequest names the server's pick. Remove it, repeat. */
async function groupsTls13(pool: Pool, acc: Accepted[]): Promise<number[]> {
  const found: number[] = [];
  let remaining = [...SCAN_GROUPS];
  while (remaining.length) {
    const r = await pool.hello({ version: "TLSv1.3", suites: acc.map((a) => a.suite), groups: remaining, keyShareX25519: false });
    if (!negotiated(r, "TLSv1.3") || r.group === undefined || !remaining.includes(r.group)) break;
    found.push(r.group);
    remaining = remaining.filter((g) => g !== r.group);
  }
  return found;
}

/** TLS 1.2 and older: offer the accepted ECDHE suites with the curves not yet seen; the ServerKeyExchange names the pick. */
async function groupsEcdhe(pool: Pool, perVersion: Map<ScanVersion, Accepted[]>): Promise<number[]> {
  const v = (["TLSv1.2", "TLSv1.1", "TLSv1.0"] as ScanVersion[]).find((x) => perVersion.get(x)?.some((a) => suiteByCode(a.suite)?.parts.keyExchange === "ECDHE"));
  if (!v) return [];
  const ecdhe = perVersion.get(v)!.filter((a) => suiteByCode(a.suite)?.parts.keyExchange === "ECDHE");
  const found: number[] = [];
  for (const a of ecdhe) if (a.outcome.group !== undefined && !found.includes(a.outcome.group)) found.push(a.outcome.group);
  let remaining = EC_GROUPS_TLS12.filter((g) => !found.includes(g));
  while (remaining.length) {
    const r = await pool.hello({ version: v, suites: ecdhe.map((a) => a.suite), groups: remaining });
    if (!negotiated(r, v) || r.group === undefined || !remaining.includes(r.group)) break;
    found.push(r.group);
    remaining = remaining.filter((g) => g !== r.group);
  }
  return found;
}

async function chainsTls13(pool: Pool, o: ScanOptions & { timeoutMs: number }): Promise<{ family: string; chain: Uint8Array[]; stapled: boolean }[]> {
  const out = await Promise.all(
    TLS13_SIGALG_FAMILIES.map(async (f) => {
      const r = await pool.run((dial) => tls13Chain(dial, f.sigalgs, { servername: o.servername, timeoutMs: o.timeoutMs, signal: o.signal }));
      return r?.ok && r.chain.length ? { family: f.family, chain: r.chain, stapled: r.stapled } : undefined;
    }),
  );
  return out.filter((x): x is { family: string; chain: Uint8Array[]; stapled: boolean } => !!x);
}

/** RFC 7507: offer the second-highest supported version with TLS_FALLBACK_SCSV; a server that knows better says inappropriate_fallback. */
async function fallback(pool: Pool, supported: ScanVersion[]): Promise<boolean | null> {
  if (supported.length < 2) return null;
  const v = supported[supported.length - 2];
  const r = await pool.hello({ version: v, suites: suitesFor(v), fallback: true });
  if (!r) return null;
  if (r.kind === "alert" && r.alert === 86) return true;
  if (negotiated(r, v)) return false;
  return null;
}

/** Distinct chains, keyed by the leaf's SHA-256. */
class ChainSet {
  private keys: string[] = [];
  private chains: Uint8Array[][] = [];
  add(chain: Uint8Array[]): number {
    const k = createHash("sha256").update(chain[0]).digest("hex");
    const i = this.keys.indexOf(k);
    if (i >= 0) return i;
    this.keys.push(k);
    this.chains.push(chain);
    return this.chains.length - 1;
  }
  models(): CertificateModel[][] {
    return this.chains.map((c) => c.map((der) => certificateModel(der, false)));
  }
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(v) ? Math.round(v) : lo));
}
