/**
 * The checks run over one candidate path, each a small function headed by the rule it implements.
 * A path is leaf first; its last element may be a trust anchor. Every check appends problems (it never
 * stops at the first), so the report lists everything wrong with the path.
 */
import type { ChainSource, Problem, ProblemCode } from "../../shared/model";
import { HANDLED_EXTENSIONS, OID, extensionName, isSelfSigned, type Name, type ParsedCert } from "./cert";
import { checkHost, checkNameConstraints, constrainedNames } from "./names";
import type { SignatureOutcome } from "./signature";
import { processPolicies, type PolicyInputs } from "./policy";
import { checkEncoding, checkProfile, checkProfileWarnings, checkStrength, webpkiRule, who } from "./profileRules";
import { t } from "../l10n";

export interface PathNode {
  cert: ParsedCert;
  source: ChainSource;
  /** True when this certificate is a trust anchor (from --trusted or the system store). */
  anchor: boolean;
  /** True for anchors that Node's bundled (Mozilla) root store ships, whichever way they were supplied. */
  shipped?: boolean;
  /** Outcome of verifying this certificate's signature with the next node's key (absent for the top). */
  sig?: SignatureOutcome;
  /** Set on the top node when path building stopped at the depth bound, not for want of an issuer. */
  truncated?: boolean;
  /** Set on the top node when its only issuers by name are already on the path (a cross-signing loop). */
  loop?: boolean;
}

export interface CheckContext {
  at: Date;
  host?: string;
  /** EKU OIDs the leaf must carry; empty = any. */
  requiredEkus: string[];
  purpose: "server" | "client" | "any";
  maxDepth?: number;
  /** Display text for a certificate ("CN=Issuing CA"). */
  label: (c: ParsedCert) => string;
  labelName: (n: Name) => string;
  /** AIA fetch outcomes per certificate (sha256), for the missing-issuer message. */
  aiaNotes: Map<string, string[]>;
  /**
   * rfc5280: RFC 5280 §6.1 path validation; rules addressed to issuing CAs that the validation algorithm and
   * the conformance suites do not enforce, CA/Browser Forum rules and algorithm policy are warnings.
   * webpki: those are errors too, as browsers and webpki validators have them.
   */
  profile: Profile;
  /** RFC 5280 §6.1.1 (c),(e),(f),(g): the initial policy inputs (absent = a TLS client's defaults). */
  policyInputs?: PolicyInputs;
}

export type Profile = "rfc5280" | "webpki";

export type Report = (code: ProblemCode, index: number | undefined, message: string, severity?: "warning") => void;

const DAY = 86_400_000;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function distance(ms: number): string {
  if (ms < 60_000) {
    const n = Math.max(1, Math.round(ms / 1000));
    return n === 1 ? t("{0} second", n) : t("{0} seconds", n);
  }
  if (ms < 3_600_000) {
    const n = Math.round(ms / 60_000);
    return n === 1 ? t("{0} minute", n) : t("{0} minutes", n);
  }
  if (ms < DAY) {
    const n = Math.round(ms / 3_600_000);
    return n === 1 ? t("{0} hour", n) : t("{0} hours", n);
  }
  const n = Math.floor(ms / DAY);
  return n === 1 ? t("{0} day", n) : t("{0} days", n);
}

/** RFC 5280 §4.2 (and §6.1.4 (o)): a critical extension the validator does not process makes the certificate unusable. */
function checkCriticalExtensions(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    for (const e of n.cert.extensions)
      if (e.critical && !HANDLED_EXTENSIONS.has(e.oid))
        report("unknown_critical_extension", i, t("{0} has a critical extension {1} that is not understood, so it must be rejected (RFC 5280 §4.2).", who(ctx, path, i), extensionName(e.oid)));
  });
}

/** RFC 5280 §6.1.3 (a)(2) and §4.1.2.5: the validation time lies within [notBefore, notAfter] (both inclusive). */
function checkValidity(path: PathNode[], ctx: CheckContext, report: Report): void {
  // Certificate times have one-second precision, so notAfter covers its whole second (a time of
  // 00:00:00.005 is still within notAfter 00:00:00Z).
  const now = Math.floor(ctx.at.getTime() / 1000) * 1000;
  path.forEach((n, i) => {
    const { notBefore, notAfter } = n.cert;
    if (now > notAfter.getTime())
      report("expired", i, t("{0} expired on {1} ({2} before the validation time).", who(ctx, path, i), isoDay(notAfter), distance(now - notAfter.getTime())));
    if (now < notBefore.getTime())
      report("not_yet_valid", i, t("{0} is not valid until {1} ({2} after the validation time).", who(ctx, path, i), isoDay(notBefore), distance(notBefore.getTime() - now)));
  });
}

/** RFC 5280 §6.1.3 (a)(1): each certificate's signature verifies with its issuer's public key. */
function checkSignatures(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    if (n.sig && !n.sig.ok)
      report("bad_signature", i, t("{0} is not validly signed by '{1}': {2}.", who(ctx, path, i), ctx.label(path[i + 1].cert), n.sig.reason));
  });
}

/** RFC 5280 §6.1.4 (k), §4.2.1.9: every issuer is a CA (v3 with basicConstraints cA; v1 only as a trust anchor). */
function checkIssuersAreCAs(path: PathNode[], ctx: CheckContext, report: Report): void {
  for (let i = 1; i < path.length; i++) {
    const c = path[i].cert;
    if (c.basicConstraints?.ca) continue;
    if (path[i].anchor && c.version < 3) continue;
    report(
      "not_a_ca",
      i,
      t(
        "{0} issued '{1}' but is not a CA: {2} (RFC 5280 §4.2.1.9).",
        who(ctx, path, i),
        ctx.label(path[i - 1].cert),
        c.basicConstraints ? t("basicConstraints has cA FALSE") : t("it has no basicConstraints extension"),
      ),
    );
  }
}

/** RFC 5280 §6.1.4 (n), §4.2.1.3: an issuer's keyUsage, when present, asserts keyCertSign; a cA with keyUsage must too. */
function checkKeyUsage(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const ku = n.cert.keyUsage;
    if (!ku) return;
    if (i > 0 && !ku.has(5)) report("key_usage", i, t("{0} issued a certificate but its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3).", who(ctx, path, i)));
    else if (i === 0 && n.cert.basicConstraints?.ca && !ku.has(5))
      report("key_usage", 0, t("{0} is a CA (cA TRUE) whose keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3).", who(ctx, path, 0)));
  });
  // Leaf key usage for TLS (RFC 5246 §7.4.2 / RFC 8446 §4.4.2.2): the key must be able to sign or encipher.
  const leafKu = path[0].cert.keyUsage;
  if (leafKu && ctx.purpose !== "any") {
    const fits = ctx.purpose === "server" ? leafKu.has(0) || leafKu.has(2) || leafKu.has(4) : leafKu.has(0) || leafKu.has(4);
    // A TLS rule, not RFC 5280's: a CA certificate in leaf position validates under rfc5280 (x509-limbo
    // rfc5280::ca-as-leaf, pathlen::validation-ignores-pathlen-in-leaf), not under webpki (webpki::ca-as-leaf).
    if (!fits)
      report(
        "key_usage",
        0,
        ctx.purpose === "server"
          ? t("{0} has a keyUsage that allows neither digitalSignature, keyEncipherment nor keyAgreement, so it cannot be used for TLS server authentication.", who(ctx, path, 0))
          : t("{0} has a keyUsage that allows neither digitalSignature nor keyAgreement, so it cannot be used for TLS client authentication.", who(ctx, path, 0)),
        webpkiRule(ctx),
      );
  }
}

/** Intermediates between the leaf and the anchor, self-issued ones not counted (as RFC 5280 §6.1.4 (l) counts them). */
export function logicalIntermediates(path: { cert: ParsedCert; anchor: boolean }[]): number {
  const top = path.length - 1 - (path.length > 1 && path[path.length - 1].anchor ? 1 : 0);
  let n = 0;
  for (let k = 1; k <= top; k++) if (!path[k].cert.selfIssued) n++;
  return n;
}

/** RFC 5280 §6.1.4 (l),(m): pathLenConstraint counts the non-self-issued intermediates below each CA. */
function checkPathLength(path: PathNode[], ctx: CheckContext, report: Report): void {
  for (let j = 1; j < path.length; j++) {
    const pl = path[j].cert.basicConstraints?.pathLen;
    if (pl === undefined || !path[j].cert.basicConstraints?.ca) continue;
    let below = 0;
    for (let k = 1; k < j; k++) if (!path[k].cert.selfIssued) below++;
    if (below > pl)
      report(
        "path_length_exceeded",
        j,
        pl === 1
          ? t("{0} allows {1} intermediate CA below it (pathLenConstraint) but {2} follow it in this chain (RFC 5280 §4.2.1.9).", who(ctx, path, j), pl, below)
          : t("{0} allows {1} intermediate CAs below it (pathLenConstraint) but {2} follow it in this chain (RFC 5280 §4.2.1.9).", who(ctx, path, j), pl, below),
      );
  }
  if (ctx.maxDepth !== undefined) {
    const intermediates = logicalIntermediates(path);
    if (intermediates > ctx.maxDepth)
      report(
        "max_depth_exceeded",
        undefined,
        intermediates === 1
          ? t("The chain needs {0} intermediate certificate, more than the {1} allowed (--max-depth).", intermediates, ctx.maxDepth)
          : t("The chain needs {0} intermediate certificates, more than the {1} allowed (--max-depth).", intermediates, ctx.maxDepth),
      );
  }
}

/** RFC 5280 §4.2.1.12 plus browser practice: the leaf's EKU includes the purpose; CA EKUs, when present, allow it too. */
function checkExtendedKeyUsage(path: PathNode[], ctx: CheckContext, report: Report): void {
  if (ctx.requiredEkus.length === 0) return;
  const names: Record<string, string> = { [OID.serverAuth]: "serverAuth", [OID.clientAuth]: "clientAuth" };
  const want = ctx.requiredEkus.map((o) => names[o] ?? o).join(", ");
  path.forEach((n, i) => {
    const eku = n.cert.extKeyUsage;
    if (!eku || eku.length === 0) return;
    const missing = ctx.requiredEkus.filter((o) => !eku.includes(o) && !(i > 0 && eku.includes(OID.anyExtendedKeyUsage)));
    if (missing.length === 0) return;
    const has = eku.map((o) => names[o] ?? (o === OID.anyExtendedKeyUsage ? "anyExtendedKeyUsage" : o)).join(", ");
    if (i === 0)
      report(
        "eku_mismatch",
        0,
        eku.includes(OID.anyExtendedKeyUsage)
          ? t("{0} is not allowed for {1}: its extendedKeyUsage lists {2} (anyExtendedKeyUsage is not accepted for TLS, as in browsers).", who(ctx, path, 0), want, has)
          : t("{0} is not allowed for {1}: its extendedKeyUsage lists {2}.", who(ctx, path, 0), want, has),
      );
    else report("eku_mismatch", i, t("{0} restricts the certificates below it to {1}, which excludes {2} (extendedKeyUsage on CAs, as browsers enforce it).", who(ctx, path, i), has, want));
  });
}

/** Bound on name-constraint comparisons per path, against crafted denial-of-service chains. */
const NC_BUDGET = 1 << 20;

/** RFC 5280 §6.1.3 (b),(c) and §6.1.4 (g): each CA's name constraints apply to every certificate below it (self-issued intermediates excepted). */
function checkNameConstraintsOnPath(path: PathNode[], ctx: CheckContext, report: Report): void {
  let budget = NC_BUDGET;
  for (let j = 1; j < path.length; j++) {
    const nc = path[j].cert.nameConstraints;
    if (!nc) continue;
    const size = (nc.permitted?.length ?? 0) + (nc.excluded?.length ?? 0);
    for (let i = j - 1; i >= 0; i--) {
      if (i > 0 && path[i].cert.selfIssued) continue;
      const names = constrainedNames(path[i].cert, i === 0);
      budget -= names.length * size;
      if (budget < 0) {
        report("name_constraints", j, t("{0} has too many name constraints to check against the names below it (work bound exceeded).", who(ctx, path, j)));
        return;
      }
      for (const v of checkNameConstraints(names, nc))
        report("name_constraints", i, t("{0} violates the name constraints of '{1}': {2}.", who(ctx, path, i), ctx.label(path[j].cert), v));
    }
  }
}

/** RFC 5280 §6.1.3 (d)-(f), §6.1.4 (a),(b),(h)-(j), §6.1.5: certificate policies, as a TLS client runs them (./policy.ts). */
function checkPolicies(path: PathNode[], ctx: CheckContext, report: Report): void {
  if (!path[path.length - 1].anchor || path.length < 2) return;
  const topDown = path.slice(0, -1).reverse();
  const f = processPolicies(topDown.map((n) => n.cert), ctx.policyInputs);
  if (!f) return;
  const i = path.length - 2 - f.index;
  report("policy", i, t("{0} fails certificate policy processing: {1}.", who(ctx, path, i), f.reason));
}

/** RFC 6125 §6 (and RFC 2818 §3.1): the leaf identifies the host name or IP address asked for. */
function checkHostName(path: PathNode[], ctx: CheckContext, report: Report): void {
  if (!ctx.host) return;
  const r = checkHost(path[0].cert, ctx.host);
  if (!r.ok) report("hostname_mismatch", 0, t("{0} is not valid for '{1}': {2}.", who(ctx, path, 0), ctx.host, r.reason));
}

/** RFC 5280 §6.1: the path must end at a trust anchor. */
function checkTrust(path: PathNode[], ctx: CheckContext, report: Report): void {
  const top = path.length - 1;
  const n = path[top];
  if (n.anchor) return;
  const lastEdge = top > 0 ? path[top - 1].sig : undefined;
  if (lastEdge && !lastEdge.ok) return; // ends in a bad-signature edge, reported by checkSignatures
  if (n.truncated) {
    const intermediates = path.length - 1;
    if (ctx.maxDepth !== undefined && intermediates > ctx.maxDepth) return; // reported by checkPathLength
    report("max_depth_exceeded", top, t("Path building stopped at '{0}' after {1} certificates without reaching a trust anchor (the bound on chain length).", ctx.label(n.cert), path.length));
    return;
  }
  if (isSelfSigned(n.cert)) {
    if (top === 0) report("self_signed", 0, t("{0} is self-signed and is not among the trusted certificates.", who(ctx, path, 0)));
    else report("untrusted_root", top, t("{0} is a self-signed root that is not among the trusted certificates.", who(ctx, path, top)));
    return;
  }
  if (n.loop) {
    report(
      "missing_issuer",
      top,
      t(
        "{0} was issued by '{1}', which is already on this path: the certificates cross-sign each other in a loop that never reaches a trust anchor.",
        who(ctx, path, top),
        ctx.labelName(n.cert.issuer),
      ),
    );
    return;
  }
  const aia = ctx.aiaNotes.get(n.cert.sha256);
  report(
    "missing_issuer",
    top,
    aia
      ? t("{0} was issued by '{1}', which was not found among the supplied or trusted certificates (AIA caIssuers tried: {2}).", who(ctx, path, top), ctx.labelName(n.cert.issuer), aia.join("; "))
      : t("{0} was issued by '{1}', which was not found among the supplied or trusted certificates.", who(ctx, path, top), ctx.labelName(n.cert.issuer)),
  );
}

const CHECKS = [
  checkTrust,
  checkSignatures,
  checkValidity,
  checkHostName,
  checkIssuersAreCAs,
  checkPathLength,
  checkKeyUsage,
  checkExtendedKeyUsage,
  checkNameConstraintsOnPath,
  checkPolicies,
  checkCriticalExtensions,
  checkEncoding,
  checkProfile,
  checkStrength,
  checkProfileWarnings,
];

/** Runs every check over the path; problems come out ordered by certificate (leaf first). */
export function evaluatePath(path: PathNode[], ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const report: Report = (code, certIndex, message, severity) => {
    const k = `${code}|${certIndex}|${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    const p: Problem = certIndex === undefined ? { code, message } : { code, message, certIndex };
    if (severity) p.severity = severity;
    problems.push(p);
  };
  for (const check of CHECKS) check(path, ctx, report);
  return problems.sort((a, b) => (a.certIndex ?? 99) - (b.certIndex ?? 99));
}
