/**
 * verifyChain: path building from the end-entity certificate to a trust anchor, then every RFC 5280 §6 /
 * RFC 6125 check over each candidate path (./checks.ts). Modelled on Go's crypto/x509 verify.go (a budget
 * on signature checks, the best rejected candidate kept) and rustls-webpki (bounded depth, loop checks).
 *
 * Search: depth-first from the leaf with backtracking. Issuer candidates come from the leaf's file, the
 * untrusted set, the trust anchors and (optionally) AIA caIssuers; they match by subject name and are
 * ordered anchors first, then by AKI/SKI agreement. Every complete or dead-end path is evaluated; the first
 * path without errors wins. Otherwise the best failing path (anchored first, fewest problems) is reported
 * with the others as `alternatives`.
 */
import { createHash } from "node:crypto";
import { rootCertificates } from "node:tls";
import type { ChainLink, ChainSource, Problem, VerifyResult } from "../../shared/model";
import { CertParseError, OID, isSelfSigned, nameText, parseCertificate, type Name, type ParsedCert } from "./cert";
import { bytesEqual } from "../pki/der";
import { evaluatePath, logicalIntermediates, type CheckContext, type PathNode, type Profile } from "./checks";
import type { PolicyInputs } from "./policy";
import { checkRevocation, type RevocationContext, type RevocationMode } from "./revocation";
import type { ParsedCrl } from "../revocation/crl";
import type { OcspChecker } from "../revocation/types";
import { inheritDsaParams, verifySignature, type SignatureOutcome } from "./signature";
import { fetchCaIssuers } from "./aia";
import { certificatesForVerify } from "./input";
import { t } from "../l10n";

export interface VerifyOptions {
  /** Trust anchors (DER). */
  trusted?: Uint8Array[];
  /** Extra intermediates for path building (DER). */
  untrusted?: Uint8Array[];
  /** Use Node's bundled root store (tls.rootCertificates). Default true. */
  useSystemRoots?: boolean;
  /** DNS name or IP literal the leaf must identify (RFC 6125). */
  host?: string;
  /** TLS purpose: the EKU the leaf needs. Default "server". */
  purpose?: "server" | "client" | "any";
  /** Explicit EKU OIDs instead of the purpose's. */
  ekus?: string[];
  /** Validation time. Default now. */
  at?: Date;
  /** Most intermediates allowed between the leaf and the anchor. */
  maxDepth?: number;
  /** Fetch missing issuers from AIA caIssuers URLs (http only). Default false. */
  fetchAia?: boolean;
  aiaTimeoutMs?: number;
  signal?: AbortSignal;
  /** Display text for a name; defaults to RFC 4514 text. */
  formatName?: (nameDer: Uint8Array) => string;
  /**
   * rfc5280: RFC 5280 §6.1 path validation, CA/Browser Forum and algorithm rules as warnings; webpki: those
   * as errors; auto (default): webpki for a path ending in a root Node's (Mozilla's) store ships, rfc5280
   * for a private anchor.
   */
  profile?: Profile | "auto";
  /** RFC 5280 §6.1.1 (c),(e),(f),(g) initial inputs; absent = {anyPolicy}, all three flags false. */
  policy?: PolicyInputs;
  /** Revocation checking of every certificate on the path (default off). */
  revocation?: RevocationMode;
  /** CRLs to use (DER or PEM files' contents, already read). */
  crls?: ParsedCrl[];
  /** An unknown revocation status is an error, not a warning. */
  revocationStrict?: boolean;
  /** Asks an OCSP responder (revocation "ocsp" / "all"); src/core/revocation/ocsp.ts provides one. */
  ocspCheck?: OcspChecker;
  /** Per-request bound for CRL and OCSP fetches (default 5000 ms). */
  revocationTimeoutMs?: number;
  /** Fetch CRLs from the certificates' http distribution points (revocation "crl" / "all"; default true). */
  fetchCrls?: boolean;
}

/** Bounds on the search (Go uses 100 signature checks; chains here may carry more noise). */
export const LIMITS = { signatureChecks: 256, paths: 64, depth: 16 };

interface Candidate {
  cert: ParsedCert;
  source: ChainSource;
  anchor: boolean;
  /** In Node's bundled root store. */
  shipped?: boolean;
}

let systemRoots: Candidate[] | undefined;
function loadSystemRoots(): Candidate[] {
  if (!systemRoots) {
    systemRoots = [];
    for (const pem of rootCertificates) {
      for (const der of certificatesForVerify(new TextEncoder().encode(pem)).certs) {
        try {
          systemRoots.push({ cert: parseCertificate(der), source: "system", anchor: true, shipped: true });
        } catch {
          /* a root Node ships but we cannot read: skipped */
        }
      }
    }
  }
  return systemRoots;
}

let shippedDigests: Set<string> | undefined;
function isShipped(c: ParsedCert): boolean {
  shippedDigests ??= new Set(loadSystemRoots().map((r) => r.cert.sha256));
  return shippedDigests.has(c.sha256);
}

function keyId(c: ParsedCert): string {
  return `${c.subject.key}|${Buffer.from(c.spki).toString("base64")}`;
}

class Pool {
  private bySubject = new Map<string, Candidate[]>();
  private anchors = new Map<string, Candidate>();
  private ders = new Set<string>();

  addAnchor(c: Candidate): void {
    if (this.ders.has(c.cert.sha256)) return;
    this.ders.add(c.cert.sha256);
    this.anchors.set(keyId(c.cert), this.anchors.get(keyId(c.cert)) ?? c);
    this.push(c);
  }

  addIntermediate(c: Candidate): void {
    if (this.ders.has(c.cert.sha256) || this.anchors.has(keyId(c.cert))) return;
    this.ders.add(c.cert.sha256);
    this.push(c);
  }

  private push(c: Candidate): void {
    const list = this.bySubject.get(c.cert.subject.key) ?? [];
    list.push(c);
    this.bySubject.set(c.cert.subject.key, list);
  }

  /** The trust anchor with this certificate's name and key, if any (RFC 5280 §6.1.1 (d): an anchor is a name and a key). */
  anchorFor(c: ParsedCert): Candidate | undefined {
    return this.anchors.get(keyId(c));
  }

  /** Every certificate with this subject name (CRL signer candidates). */
  named(n: Name): ParsedCert[] {
    return (this.bySubject.get(n.key) ?? []).map((c) => c.cert);
  }

  issuersOf(c: ParsedCert): Candidate[] {
    const list = this.bySubject.get(c.issuer.key) ?? [];
    const aki = c.authorityKeyId?.keyId;
    const rank = (x: Candidate) => {
      const ski = x.cert.subjectKeyId;
      const idMatch = !aki || !ski ? 1 : bytesEqual(aki, ski) ? 0 : 2;
      return (x.anchor ? 0 : 3) + idMatch;
    };
    return [...list].sort((a, b) => rank(a) - rank(b));
  }
}

interface SearchState {
  pool: Pool;
  ctx: CheckContext;
  opts: VerifyOptions;
  sigCache: Map<string, SignatureOutcome>;
  sigChecks: number;
  paths: { path: PathNode[]; problems: Problem[] }[];
  done: boolean;
  budgetHit: boolean;
  fetched: Set<string>;
  /** Set when revocation checking is on. */
  revocation?: RevocationContext;
}

function errorsOf(p: Problem[]): number {
  return p.filter((x) => x.severity !== "warning").length;
}

/** The profile a path is held to: as asked, or for "auto" by where it ends. */
function profileFor(opts: VerifyOptions, path: PathNode[]): Profile {
  if (opts.profile === "rfc5280" || opts.profile === "webpki") return opts.profile;
  const top = path[path.length - 1];
  return top.anchor && top.shipped ? "webpki" : "rfc5280";
}

async function emit(st: SearchState, path: PathNode[]): Promise<void> {
  const problems = evaluatePath(path, { ...st.ctx, profile: profileFor(st.opts, path) });
  // Revocation of a path that is otherwise valid (RFC 5280 §6.1.3 (a)(3)): a revoked path lets the search go on.
  if (st.revocation && errorsOf(problems) === 0 && path[path.length - 1].anchor)
    problems.push(...(await checkRevocation(path.map((n) => n.cert), st.revocation)));
  st.paths.push({ path, problems });
  if (errorsOf(problems) === 0 || st.paths.length >= LIMITS.paths) st.done = true;
}

function checkSig(st: SearchState, subject: ParsedCert, issuer: ParsedCert): SignatureOutcome | null {
  const k = `${subject.sha256}>${issuer.sha256}`;
  const hit = st.sigCache.get(k);
  if (hit) return hit;
  if (st.sigChecks >= LIMITS.signatureChecks) {
    st.budgetHit = true;
    return null;
  }
  st.sigChecks++;
  if (issuer.key.algorithm === "DSA" && !issuer.keyAlg.params) for (const up of st.pool.issuersOf(issuer)) if (inheritDsaParams(issuer, up.cert)) break;
  const r = verifySignature(subject, issuer);
  st.sigCache.set(k, r);
  return r;
}

async function search(st: SearchState, path: PathNode[]): Promise<void> {
  const cur = path[path.length - 1];
  if (cur.anchor) return await emit(st, path);
  if (path.length > LIMITS.depth || (st.opts.maxDepth !== undefined && logicalIntermediates(path) > st.opts.maxDepth + 1)) {
    // Stop here, but only call it a depth problem when an issuer exists to go on with.
    const more = st.pool.issuersOf(cur.cert).length > 0;
    return await emit(st, more ? [...path.slice(0, -1), { ...cur, truncated: true }] : path);
  }
  const inPath = new Set(path.map((n) => keyId(n.cert)));
  let cands = st.pool.issuersOf(cur.cert).filter((c) => !inPath.has(keyId(c.cert)));
  if (cands.length === 0 && st.opts.fetchAia) cands = await fetchIssuers(st, cur.cert, inPath);
  let followed = 0;
  const badSig: { cand: Candidate; sig: SignatureOutcome }[] = [];
  for (const cand of cands) {
    if (st.done) return;
    const sig = checkSig(st, cur.cert, cand.cert);
    if (!sig) break;
    if (!sig.ok) {
      badSig.push({ cand, sig });
      continue;
    }
    followed++;
    const next = [...path.slice(0, -1), { ...cur, sig }, { cert: cand.cert, source: cand.source, anchor: cand.anchor, shipped: cand.shipped }];
    await search(st, next);
  }
  if (followed === 0 && !st.done) {
    // No issuer verifies: report the name match with the bad signature if there is one, else the dead end
    // (marked as a loop when the only issuers by name are already on the path).
    if (badSig.length) await emit(st, [...path.slice(0, -1), { ...cur, sig: badSig[0].sig }, { cert: badSig[0].cand.cert, source: badSig[0].cand.source, anchor: badSig[0].cand.anchor, shipped: badSig[0].cand.shipped }]);
    else if (cands.length === 0 && st.pool.issuersOf(cur.cert).length > 0 && !isSelfSigned(cur.cert)) await emit(st, [...path.slice(0, -1), { ...cur, loop: true }]);
    else await emit(st, path);
  }
}

async function fetchIssuers(st: SearchState, c: ParsedCert, inPath: Set<string>): Promise<Candidate[]> {
  for (const url of c.caIssuers) {
    if (st.fetched.has(url) || st.fetched.size >= 4) continue;
    st.fetched.add(url);
    const got = await fetchCaIssuers(url, st.opts.aiaTimeoutMs ?? 5000, st.opts.signal);
    st.ctx.aiaNotes.set(c.sha256, [...(st.ctx.aiaNotes.get(c.sha256) ?? []), `${url}: ${got.error ?? t("{0} certificate(s), none of them its issuer", got.certs.length)}`]);
    for (const der of got.certs) {
      try {
        const cand: Candidate = { cert: parseCertificate(der), source: "aia", anchor: false };
        st.pool.addIntermediate(cand);
      } catch {
        /* unreadable AIA certificate: ignored */
      }
    }
  }
  return st.pool.issuersOf(c).filter((x) => !inPath.has(keyId(x.cert)));
}

function rank(p: { path: PathNode[]; problems: Problem[] }): number[] {
  const top = p.path[p.path.length - 1];
  return [errorsOf(p.problems) === 0 ? 0 : 1, top.anchor ? 0 : 1, errorsOf(p.problems), p.path.length];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function toLinks(path: PathNode[], label: (n: Name) => string): ChainLink[] {
  return path.map((n) => ({
    subject: label(n.cert.subject),
    issuer: label(n.cert.issuer),
    sha256: n.cert.sha256,
    source: n.source,
    notBefore: n.cert.notBefore.toISOString().replace(".000Z", "Z"),
    notAfter: n.cert.notAfter.toISOString().replace(".000Z", "Z"),
    ...(n.anchor ? { trustAnchor: true } : {}),
  }));
}

/** Validates `certs` (leaf first, then whatever came with it) against the options' trust anchors. */
export async function verifyChain(certs: Uint8Array[], opts: VerifyOptions = {}): Promise<VerifyResult> {
  if (certs.length === 0) throw new Error("verifyChain needs at least the end-entity certificate");
  // Subject/issuer text as `inspect` prints it (nameText = src/core/pki formatName, cached per parsed name).
  const label = (n: Name) => {
    let text: string;
    try {
      text = opts.formatName ? opts.formatName(n.der) : nameText(n);
    } catch {
      text = nameText(n);
    }
    return text || "(empty name)";
  };
  let leaf: ParsedCert;
  try {
    leaf = parseCertificate(certs[0]);
  } catch (err) {
    const msg = err instanceof CertParseError ? err.message : String(err);
    return {
      valid: false,
      chain: [{ subject: "(unreadable)", issuer: "(unreadable)", sha256: createHash("sha256").update(certs[0]).digest("hex"), source: "leaf" }],
      problems: [{ code: "malformed", message: t("The end-entity certificate cannot be read: {0}.", msg), certIndex: 0 }],
    };
  }
  const warnings: Problem[] = [];
  const pool = new Pool();
  const addAll = (list: Uint8Array[] | undefined, source: ChainSource, anchor: boolean) => {
    for (const der of list ?? []) {
      try {
        const cert = parseCertificate(der);
        const c: Candidate = { cert, source, anchor, shipped: anchor && isShipped(cert) };
        if (anchor) pool.addAnchor(c);
        else pool.addIntermediate(c);
      } catch (err) {
        warnings.push({ code: "malformed", severity: "warning", message: source === "file" ? t("A certificate in the file was ignored because it cannot be read: {0}.", (err as Error).message) : t("A {0} certificate was ignored because it cannot be read: {1}.", source, (err as Error).message) });
      }
    }
  };
  addAll(opts.trusted, "trusted", true);
  if (opts.useSystemRoots !== false) for (const r of loadSystemRoots()) pool.addAnchor(r);
  addAll(certs.slice(1), "file", false);
  addAll(opts.untrusted, "untrusted", false);

  const purpose = opts.purpose ?? "server";
  const requiredEkus = opts.ekus && opts.ekus.length ? opts.ekus : purpose === "server" ? [OID.serverAuth] : purpose === "client" ? [OID.clientAuth] : [];
  const ctx: CheckContext = { at: opts.at ?? new Date(), host: opts.host, requiredEkus, purpose, maxDepth: opts.maxDepth, label: (c) => label(c.subject), labelName: label, aiaNotes: new Map(), profile: "rfc5280", policyInputs: opts.policy };
  const st: SearchState = { pool, ctx, opts, sigCache: new Map(), sigChecks: 0, paths: [], done: false, budgetHit: false, fetched: new Set() };
  const mode = opts.revocation ?? "off";
  if (mode !== "off")
    st.revocation = {
      at: ctx.at,
      opts: { mode, crls: opts.crls ?? [], fetch: (mode === "crl" || mode === "all") && opts.fetchCrls !== false, strict: !!opts.revocationStrict, ocspCheck: opts.ocspCheck, timeoutMs: opts.revocationTimeoutMs, signal: opts.signal },
      certsNamed: (n) => pool.named(n),
      label: ctx.label,
      labelName: label,
      fetched: new Map(),
      pending: new Map(),
    };

  const leafAnchor = pool.anchorFor(leaf);
  await search(st, [{ cert: leaf, source: "leaf", anchor: !!leafAnchor, shipped: leafAnchor?.shipped }]);

  const ranked = st.paths.map((p) => ({ ...p, r: rank(p) })).sort((a, b) => compareRank(a.r, b.r));
  const best = ranked[0];
  const problems = [...best.problems];
  if (st.budgetHit && errorsOf(problems) > 0)
    problems.push({ code: "max_depth_exceeded", message: t("Path building stopped after {0} signature checks; other paths were not tried.", LIMITS.signatureChecks) });
  problems.push(...warnings);
  const result: VerifyResult = { valid: errorsOf(problems) === 0, chain: toLinks(best.path, label), problems };
  if (ranked.length > 1) result.alternatives = ranked.slice(1, 9).map((p) => ({ chain: toLinks(p.path, label), problems: p.problems }));
  return result;
}
