/**
 * Revocation status of each certificate on a validated path: CRLs by RFC 5280 §6.3.3 (distribution points
 * and their scope, the CRL issuer and its signing certificate, thisUpdate/nextUpdate, delta CRLs, reasons
 * masks, indirect CRLs) and, when asked, OCSP through an injected checker (src/core/revocation/ocsp.ts).
 * CRLs come from files (--crl) and, when fetching is allowed, from the certificates' http distribution points.
 */
import type { Problem } from "../../shared/model";
import type { OcspChecker, RevocationStatus } from "../revocation/types";
import { fetchCrl, httpUris, serialKey, type ParsedCrl } from "../revocation/crl";
import { bytesEqual } from "../pki/der";
import type { DistributionPoint, DistributionPointName, GeneralNameP, Name, ParsedCert } from "./cert";
import { verifySignedBytes } from "./signature";
import { t } from "../l10n";

export type RevocationMode = "off" | "ocsp" | "crl" | "all";

export interface RevocationOptions {
  mode: RevocationMode;
  /** CRLs the caller supplied (files). */
  crls: ParsedCrl[];
  /** Fetch CRLs from http distribution points (crl, all). */
  fetch: boolean;
  /** No answer is an error, not a warning. */
  strict: boolean;
  ocspCheck?: OcspChecker;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RevocationContext {
  at: Date;
  opts: RevocationOptions;
  /** Certificates known by subject name (untrusted, file, anchors): candidates for a CRL's signer. */
  certsNamed: (n: Name) => ParsedCert[];
  label: (c: ParsedCert) => string;
  labelName: (n: Name) => string;
  /** Fetched CRLs by URL for this validation (the process-wide cache sits below). */
  fetched: Map<string, ParsedCrl | string>;
  /**
   * CRLs whose separate signing certificate is being checked, with that certificate: an indirect CRL may
   * cover its own signer (PKITS 4.14.30), which is then judged by that CRL rather than in an endless loop.
   */
  pending: Map<string, ParsedCert>;
}

const ALL_REASONS = [1, 2, 3, 4, 5, 6, 7, 8];
/** Bound on nested checks of CRL signing certificates (a CRL signer's own CRL, and so on). */
const MAX_NESTING = 3;

function isoDay(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

function sameGeneralName(a: GeneralNameP, b: GeneralNameP): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "dirName") return a.dirName?.key === b.dirName?.key;
  return a.kind === "uri" || a.kind === "dns" || a.kind === "email" ? a.value.toLowerCase() === b.value.toLowerCase() : bytesEqual(a.bytes, b.bytes);
}

/** A DistributionPointName as general names; a relative name is appended to `base` (RFC 5280 §4.2.1.13). */
function dpNames(n: DistributionPointName, base: Name): GeneralNameP[] {
  if (n.fullName) return n.fullName;
  const attrs = n.relative ?? [];
  const key = [base.key, attrs.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, " ").toLowerCase()}`).sort().join("+")].filter(Boolean).join(",");
  const dirName: Name = { der: new Uint8Array(), rdns: [...base.rdns, attrs], key };
  return [{ kind: "dirName", value: key, bytes: new Uint8Array(), dirName }];
}

function dirNames(list: GeneralNameP[] | undefined): Name[] {
  return (list ?? []).filter((g) => g.kind === "dirName" && g.dirName).map((g) => g.dirName!);
}

/** §6.3.3 (b): is `crl` the right issuer and scope for `cert` at distribution point `dp`? Null when it is, else why not. */
function scopeFault(crl: ParsedCrl, cert: ParsedCert, dp: DistributionPoint): string | null {
  const crlIssuers = dirNames(dp.crlIssuer);
  if (dp.crlIssuer) {
    if (!crlIssuers.some((n) => n.key === crl.issuer.key)) return t("its issuer is not the distribution point's cRLIssuer");
    if (crl.issuer.key !== cert.issuer.key && !crl.idp?.indirect) return t("it is not marked as an indirect CRL");
  } else if (crl.issuer.key !== cert.issuer.key) return t("its issuer is not the certificate's issuer");
  const idp = crl.idp;
  if (!idp) return null;
  if (idp.name) {
    const idpNames = dpNames(idp.name, crl.issuer);
    if (dp.name) {
      const base = crlIssuers[0] ?? cert.issuer;
      const mine = dpNames(dp.name, base);
      if (!mine.some((a) => idpNames.some((b) => sameGeneralName(a, b)))) return t("its issuing distribution point does not name the certificate's distribution point");
    } else if (!crlIssuers.some((n) => idpNames.some((b) => b.kind === "dirName" && b.dirName?.key === n.key)))
      return t("its issuing distribution point names a distribution point the certificate does not list");
  }
  const isCA = !!cert.basicConstraints?.ca;
  if (idp.onlyUser && isCA) return t("it covers end-entity certificates only");
  if (idp.onlyCA && !isCA) return t("it covers CA certificates only");
  if (idp.onlyAttr) return t("it covers attribute certificates only");
  return null;
}

interface Signer {
  cert: ParsedCert;
}

/**
 * §6.3.3 (f),(g): a certificate whose key verifies the CRL, which may sign CRLs (keyUsage cRLSign where
 * present) and chains to the same trust anchor: a certificate on the path, or one issued by a certificate on
 * the path that is itself valid and not revoked.
 */
async function findSigner(crl: ParsedCrl, path: ParsedCert[], from: number, rc: RevocationContext, depth: number): Promise<Signer | string> {
  const onPath = path.slice(from + 1).filter((c) => c.subject.key === crl.issuer.key);
  const others = rc.certsNamed(crl.issuer).filter((c) => !onPath.some((p) => p.sha256 === c.sha256));
  let why = t("no certificate of '{0}' verifies its signature", rc.labelName(crl.issuer));
  for (const cand of [...onPath, ...others]) {
    if (cand.keyUsage && !cand.keyUsage.has(6)) {
      why = t("the key of '{0}' may not sign CRLs (keyUsage lacks cRLSign)", rc.label(cand));
      continue;
    }
    const sig = verifySignedBytes(crl.tbs, crl.signatureAlg, crl.tbsSignatureAlg, crl.signature, cand);
    if (!sig.ok) {
      why = t("its signature does not verify with the key of '{0}': {1}", rc.label(cand), sig.reason);
      continue;
    }
    if (onPath.includes(cand)) return { cert: cand };
    // A separate CRL signing certificate: issued by a certificate on the path, valid now, and not revoked.
    const k = path.findIndex((p, idx) => idx > from && p.subject.key === cand.issuer.key && verifySignedBytes(cand.tbs, cand.signatureAlg, cand.tbsSignatureAlg, cand.signature, p).ok);
    if (k < 0) {
      why = t("its signer '{0}' does not chain to the trust anchor of the path", rc.label(cand));
      continue;
    }
    if (rc.at < cand.notBefore || rc.at > cand.notAfter) {
      why = t("its signer '{0}' is not within its validity period", rc.label(cand));
      continue;
    }
    if (depth >= MAX_NESTING) {
      why = t("the CRL signing certificates nest too deep");
      continue;
    }
    const signerPath = [cand, ...path.slice(k)];
    rc.pending.set(crl.sha256, cand);
    const st = await crlStatus(signerPath, 0, rc, depth + 1);
    rc.pending.delete(crl.sha256);
    if (st.status !== "good") {
      why = st.status === "revoked" ? t("its signer '{0}' is revoked", rc.label(cand)) : t("its signer '{0}' has no known revocation status ({1})", rc.label(cand), st.detail);
      continue;
    }
    return { cert: cand };
  }
  return why;
}

/** The CRLs to try at a distribution point: the supplied ones, then those fetched from its http URLs (failures in `notes`). */
async function crlsFor(dp: DistributionPoint, rc: RevocationContext, notes: string[]): Promise<ParsedCrl[]> {
  const out = [...rc.opts.crls];
  if (!rc.opts.fetch || !dp.name?.fullName) return out;
  for (const url of httpUris(dp.name.fullName).slice(0, 4)) {
    let got = rc.fetched.get(url);
    if (got === undefined) {
      if (rc.fetched.size >= 16) break;
      const r = await fetchCrl(url, { timeoutMs: rc.opts.timeoutMs, signal: rc.opts.signal, at: rc.at });
      got = r.crl ?? `${url}: ${r.error}`;
      rc.fetched.set(url, got);
    }
    if (typeof got !== "string") out.push(got);
    else notes.push(got);
  }
  return out;
}

function stale(crl: ParsedCrl, at: Date): string | null {
  if (crl.thisUpdate > at) return t("it was issued after the validation time (thisUpdate {0})", isoDay(crl.thisUpdate));
  if (!crl.nextUpdate) return null;
  if (crl.nextUpdate < at) return t("it is out of date (nextUpdate {0})", isoDay(crl.nextUpdate));
  return null;
}

/** §6.3.3 (c): the reasons a CRL at this distribution point covers. */
function interimReasons(crl: ParsedCrl, dp: DistributionPoint): number[] {
  return ALL_REASONS.filter((r) => (!crl.idp?.onlySomeReasons || crl.idp.onlySomeReasons.has(r)) && (!dp.reasons || dp.reasons.has(r)));
}

function entryFor(crl: ParsedCrl, cert: ParsedCert) {
  const serial = serialKey(cert.serial);
  return crl.entries.find((e) => e.serial === serial && e.certIssuer.key === cert.issuer.key);
}

/** §6.3.3 (h): the newest usable delta CRL for a complete CRL (same issuer, signer and scope). */
async function deltaFor(complete: ParsedCrl, signer: Signer, cert: ParsedCert, rc: RevocationContext): Promise<ParsedCrl | string | undefined> {
  const dps = [...(cert.freshestCrl ?? [])];
  const pool = new Map<string, ParsedCrl>();
  for (const c of rc.opts.crls) pool.set(c.sha256, c);
  const fetchNotes: string[] = [];
  for (const dp of dps) for (const c of await crlsFor(dp, rc, fetchNotes)) pool.set(c.sha256, c);
  const idp = complete.idp?.der;
  let best: ParsedCrl | undefined;
  let why: string | undefined;
  for (const d of pool.values()) {
    if (d.deltaBase === undefined || d.unusable || d.issuer.key !== complete.issuer.key) continue;
    if ((d.idp?.der === undefined) !== (idp === undefined) || (idp && d.idp && !bytesEqual(idp, d.idp.der))) continue;
    if (complete.crlNumber === undefined || d.deltaBase > complete.crlNumber) continue;
    if (!verifySignedBytes(d.tbs, d.signatureAlg, d.tbsSignatureAlg, d.signature, signer.cert).ok) continue;
    const s = stale(d, rc.at);
    if (s) {
      why = t("the delta CRL from {0} cannot be used: {1}", d.location, s);
      continue;
    }
    if (!best || (d.crlNumber ?? 0n) > (best.crlNumber ?? 0n)) best = d;
  }
  return best ?? why;
}

/** RFC 5280 §6.3.3 for path[i]: good, revoked, or unknown with the reasons. */
export async function crlStatus(path: ParsedCert[], i: number, rc: RevocationContext, depth = 0): Promise<RevocationStatus> {
  const cert = path[i];
  const dps: DistributionPoint[] = cert.crlDistributionPoints?.length ? cert.crlDistributionPoints : [{}];
  const mask = new Set<number>();
  const notes: string[] = [];
  let latest: ParsedCrl | undefined;
  for (const dp of dps) {
    for (const crl of await crlsFor(dp, rc, notes)) {
      if (mask.size === ALL_REASONS.length) break;
      if (crl.deltaBase !== undefined) continue;
      const scope = scopeFault(crl, cert, dp);
      if (scope) {
        if (crl.issuer.key === cert.issuer.key || dirNames(dp.crlIssuer).some((n) => n.key === crl.issuer.key)) notes.push(t("the CRL from {0} does not apply: {1}", crl.location, scope));
        continue;
      }
      if (crl.unusable) {
        notes.push(t("the CRL from {0} cannot be used: {1}", crl.location, crl.unusable));
        continue;
      }
      const old = stale(crl, rc.at);
      if (old) {
        notes.push(t("the CRL from {0} cannot be used: {1}", crl.location, old));
        continue;
      }
      const interim = interimReasons(crl, dp);
      if (interim.every((r) => mask.has(r))) continue;
      const pending = rc.pending.get(crl.sha256);
      const signer = pending ? { cert: pending } : await findSigner(crl, path, i, rc, depth);
      if (typeof signer === "string") {
        notes.push(t("the CRL from {0} cannot be used: {1}", crl.location, signer));
        continue;
      }
      const base = { source: "crl" as const, thisUpdate: isoDay(crl.thisUpdate), nextUpdate: crl.nextUpdate && isoDay(crl.nextUpdate), location: crl.location };
      const delta = await deltaFor(crl, signer, cert, rc);
      if (typeof delta === "string") {
        notes.push(delta);
        continue;
      }
      const onDelta = delta && entryFor(delta, cert);
      if (onDelta && onDelta.reason !== "removeFromCRL") return revokedStatus(onDelta, { ...base, location: delta.location }, rc.labelName(delta.issuer), t("delta CRL"));
      const onCrl = entryFor(crl, cert);
      if (onCrl && !onDelta && onCrl.reason !== "removeFromCRL") return revokedStatus(onCrl, base, rc.labelName(crl.issuer), "CRL");
      for (const r of interim) mask.add(r);
      latest = crl;
    }
  }
  if (mask.size === ALL_REASONS.length && latest)
    return { status: "good", source: "crl", thisUpdate: isoDay(latest.thisUpdate), nextUpdate: latest.nextUpdate && isoDay(latest.nextUpdate), location: latest.location, detail: t("not on the CRL of '{0}'", rc.labelName(latest.issuer)) };
  const missing = mask.size ? t("the CRLs found cover only some revocation reasons") : t("no usable CRL covers it");
  return { status: "unknown", source: "crl", detail: [missing, ...notes].join("; ") };
}

function revokedStatus(e: { revokedAt: Date; reason?: RevocationStatus["reason"]; invalidityDate?: Date }, base: Omit<RevocationStatus, "status" | "detail">, issuer: string, what: string): RevocationStatus {
  const parts = [t("revoked on {0}", isoDay(e.revokedAt))];
  if (e.reason) parts.push(t("reason {0}", e.reason));
  if (e.invalidityDate) parts.push(t("invalid since {0}", isoDay(e.invalidityDate)));
  return { ...base, status: "revoked", revokedAt: isoDay(e.revokedAt), reason: e.reason, detail: t("{0}, according to the {1} of '{2}' ({3})", parts.join(", "), what, issuer, base.location) };
}

/** Checks every certificate on an anchored path (leaf first, anchor last) and reports `revoked` / `revocation_unknown`. */
export async function checkRevocation(path: ParsedCert[], rc: RevocationContext): Promise<Problem[]> {
  const problems: Problem[] = [];
  const { mode } = rc.opts;
  for (let i = 0; i < path.length - 1; i++) {
    if (rc.opts.signal?.aborted) break;
    const cert = path[i];
    const statuses: RevocationStatus[] = [];
    if (mode === "ocsp" || mode === "all") {
      if (rc.opts.ocspCheck) statuses.push(await rc.opts.ocspCheck(cert.der, path[i + 1].der, { timeoutMs: rc.opts.timeoutMs, signal: rc.opts.signal, at: rc.at }));
      else statuses.push({ status: "unknown", source: "ocsp", detail: t("OCSP checking is not available in this build") });
    }
    // With `all`, both are asked (a revocation either knows of counts), unless OCSP already said revoked.
    const revokedByOcsp = statuses.find((s) => s.status === "revoked");
    if ((mode === "crl" || mode === "all") && !revokedByOcsp) statuses.push(await crlStatus(path, i, rc));
    const who = t("The certificate '{0}'", rc.label(cert));
    const revoked = statuses.find((s) => s.status === "revoked");
    if (revoked) {
      problems.push({ code: "revoked", certIndex: i, message: t("{0} is revoked: {1}.", who, revoked.detail) });
      continue;
    }
    if (statuses.some((s) => s.status === "good")) continue;
    const why = statuses.map((s) => `${s.source === "crl" ? "CRL" : "OCSP"}: ${s.detail}`).join("; ");
    const p: Problem = { code: "revocation_unknown", certIndex: i, message: t("{0} has no known revocation status ({1}).", who, why) };
    if (!rc.opts.strict) p.severity = "warning";
    problems.push(p);
  }
  return problems;
}
