/**
 * The checks run over one candidate path, each a small function headed by the rule it implements.
 * A path is leaf first; its last element may be a trust anchor. Every check appends problems (it never
 * stops at the first), so the report lists everything wrong with the path.
 */
import type { ChainSource, Problem, ProblemCode } from "../../shared/model";
import { HANDLED_EXTENSIONS, OID, extensionName, isSelfSigned, nameAttrs, type Name, type ParsedCert } from "./cert";
import { checkHost, checkNameConstraints, constrainedNames, constraintFault, constraintWarning, normaliseHost, parseIp } from "./names";
import { signatureScheme, type SignatureOutcome } from "./signature";
import { processPolicies, type PolicyInputs } from "./policy";
import { ipText } from "../pki/name";
import { bytesEqual } from "../pki/der";

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

/** Severity of a rule the profile decides: an error under webpki, a warning under rfc5280. */
function webpkiRule(ctx: CheckContext): "warning" | undefined {
  return ctx.profile === "webpki" ? undefined : "warning";
}

type Report = (code: ProblemCode, index: number | undefined, message: string, severity?: "warning") => void;

const DAY = 86_400_000;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function distance(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (ms < 60_000) return plural(Math.max(1, Math.round(ms / 1000)), "second");
  if (ms < 3_600_000) return plural(Math.round(ms / 60_000), "minute");
  if (ms < DAY) return plural(Math.round(ms / 3_600_000), "hour");
  return plural(Math.floor(ms / DAY), "day");
}

function who(ctx: CheckContext, path: PathNode[], i: number): string {
  return `The certificate '${ctx.label(path[i].cert)}'`;
}

/** DER-strictness faults that some shipped roots have (zero serials, GeneralizedTime before 2050, explicit defaults). */
const ANCHOR_TOLERATED = [/^serialNumber/, /GeneralizedTime/, /explicitly/];

/**
 * Encoding rules addressed to the issuing CA that path validation does not depend on: errors under webpki
 * only (NIST PKITS 4.2.4 expects a GeneralizedTime notBefore before 2050 to validate under RFC 5280).
 */
const CA_ENCODING_RULES = [/GeneralizedTime/];

/** RFC 5280 §4.1 / §4.2: encoding faults found while reading the certificate. */
function checkEncoding(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    for (const m of n.cert.malformed) {
      // A trust anchor is trusted as configured (RFC 5280 §6.1.1 (d)): long-lived roots with a zero serial
      // (Starfield G2, …) are not rejected for it.
      if (n.anchor && n.shipped && ANCHOR_TOLERATED.some((re) => re.test(m))) continue;
      report("malformed", i, `${who(ctx, path, i)} is malformed: ${m}.`, CA_ENCODING_RULES.some((re) => re.test(m)) ? webpkiRule(ctx) : undefined);
    }
  });
}

/** RFC 5280 §4.1.2.4 / §4.1.2.6 / §4.2.1.1 / §4.2.1.2 / §4.2.1.6 / §4.2.1.10 / §4.2.2.1: field and extension rules. */
function checkProfile(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const c = n.cert;
    const crit = (oid: string) => c.extensions.find((e) => e.oid === oid)?.critical;
    const bad = (m: string) => report("malformed", i, `${who(ctx, path, i)} is malformed: ${m}.`);
    if (c.issuer.rdns.length === 0) bad("its issuer name is empty (RFC 5280 §4.1.2.4)");
    if (c.subject.rdns.length === 0) {
      if (c.basicConstraints?.ca || i > 0) bad("it is a CA with an empty subject name (RFC 5280 §4.1.2.6)");
      else if (!c.subjectAltNames) bad("its subject is empty and it has no subjectAltName (RFC 5280 §4.1.2.6)");
      else if (!crit(OID.subjectAltName)) bad("its subject is empty but subjectAltName is not critical (RFC 5280 §4.2.1.6)");
    } else if (crit(OID.subjectAltName)) bad("subjectAltName is critical although the subject is not empty (RFC 5280 §4.2.1.6, CA/B BR 7.1.2.7.12)");
    if (crit(OID.authorityKeyIdentifier)) bad("authorityKeyIdentifier is marked critical (RFC 5280 §4.2.1.1)");
    if (crit(OID.subjectKeyIdentifier)) bad("subjectKeyIdentifier is marked critical (RFC 5280 §4.2.1.2)");
    if (crit(OID.authorityInfoAccess)) bad("authorityInfoAccess is marked critical (RFC 5280 §4.2.2.1)");
    // Anchors are held to the CA profile, except the roots Node's bundled (Mozilla) store ships, which are
    // trusted as shipped even when passed in a CA bundle file (a few long-lived ones predate these rules:
    // TWCA Global Root CA has no SKI, ePKI a non-critical basicConstraints, Go Daddy G2 a zero serial).
    const profiled = !(n.anchor && n.shipped);
    // Not for a trust anchor: it is a name and a key (RFC 5280 §6.1.1 (d)), whoever its certificate names as
    // issuer (x509-limbo's CVE-2024-0567 anchor "CN=Root A" names another issuer and has no AKI).
    if (c.version === 3 && !c.authorityKeyId && !isSelfSigned(c) && !n.anchor)
      bad("it has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires in every certificate that is not self-signed");
    // Rules RFC 5280 addresses to the issuing CA ("conforming CAs MUST mark … critical") that the validation
    // algorithm does not enforce: errors under webpki, warnings under rfc5280 (NIST PKITS 4.6.4, 4.8.6, …
    // expect such paths to validate).
    const caRule = (m: string) => report("malformed", i, `${who(ctx, path, i)} is malformed: ${m}.`, webpkiRule(ctx));
    const bc = c.extensions.find((e) => e.oid === OID.basicConstraints);
    if (profiled && c.basicConstraints?.ca && bc && !bc.critical && (i > 0 || n.anchor))
      caRule("basicConstraints is not marked critical in a CA certificate (RFC 5280 §4.2.1.9)");
    if ((i > 0 || n.anchor) && profiled && c.basicConstraints?.ca && !c.subjectKeyId)
      bad("it is a CA certificate without subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires in every CA certificate");
    if (crit(OID.policyConstraints) === false) caRule("policyConstraints is not marked critical (RFC 5280 §4.2.1.11)");
    if (crit(OID.inhibitAnyPolicy) === false) caRule("inhibitAnyPolicy is not marked critical (RFC 5280 §4.2.1.14)");
    if (c.nameConstraints) {
      if (!c.basicConstraints?.ca) bad("nameConstraints appears in a certificate that is not a CA (RFC 5280 §4.2.1.10)");
      // x509-limbo's rfc5280 family rejects a non-critical nameConstraints; the CA/B Baseline Requirements
      // (7.1.2.5.2) allow it, and under webpki the constraints are enforced all the same.
      else if (!crit(OID.nameConstraints) && ctx.profile === "rfc5280") bad("nameConstraints is not marked critical (RFC 5280 §4.2.1.10)");
      for (const st of [...(c.nameConstraints.permitted ?? []), ...(c.nameConstraints.excluded ?? [])]) {
        const f = constraintFault(st);
        if (f) bad(f);
        const w = constraintWarning(st);
        if (w) report("name_constraints", i, `${who(ctx, path, i)}: ${w}.`, "warning");
      }
    }
    if (c.basicConstraints && !c.basicConstraints.ca && c.basicConstraints.pathLen !== undefined)
      bad("basicConstraints has a pathLenConstraint without cA (RFC 5280 §4.2.1.9)");
    if (c.keyUsage?.has(5) && !c.basicConstraints?.ca) bad("keyUsage asserts keyCertSign but basicConstraints does not assert cA (RFC 5280 §4.2.1.3)");
    for (const san of c.subjectAltNames ?? []) {
      if (san.kind === "ip" && san.bytes.length !== 4 && san.bytes.length !== 16)
        bad(`an iPAddress in subjectAltName has ${san.bytes.length} octets (must be 4 or 16)`);
      if (san.kind === "dns" && !isPresentableDnsName(san.value)) bad(`the dNSName '${san.value}' in subjectAltName is not a valid DNS name (RFC 5280 §4.2.1.6)`);
    }
    if (i === 0 && ctx.purpose === "server" && c.subjectAltNames)
      checkCnAgainstSan(c, bad, (m) => report("hostname_mismatch", 0, `${who(ctx, path, 0)}: ${m}.`, webpkiRule(ctx)));
  });
}

/** RFC 5280 §4.2.1.6 "preferred name syntax": LDH labels (underscores tolerated), an optional whole-label wildcard first. */
function isPresentableDnsName(v: string): boolean {
  const name = v.endsWith(".") ? v.slice(0, -1) : v;
  const labels = name.split(".");
  if (name.length === 0 || name.length > 253) return false;
  return labels.every((l, k) => (k === 0 && l === "*" && labels.length > 1) || /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
}

/** IPv4 as inet_aton reads it too (0xC0A80101, 192.168.001.001), or any IPv6 text: the address a CN may be meant as. */
function looseIp(s: string): Uint8Array | null {
  const strict = parseIp(s);
  if (strict) return strict;
  if (/^0x[0-9a-f]{1,8}$/i.test(s)) {
    const v = parseInt(s, 16);
    return Uint8Array.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split(".").map(Number);
    if (parts.every((x) => x < 256)) return Uint8Array.from(parts);
  }
  return null;
}

/**
 * CA/B Baseline Requirements 7.1.4.3: a server certificate's CN, when present, repeats one of its SANs
 * character for character (IPs in RFC 3986 / RFC 5952 text). An error where the CN is plainly meant as
 * one of the SANs but encoded differently (case, IDNA form, hex or zero-padded IPv4, non-canonical IPv6);
 * a warning where the CN looks like a host name that is not among the SANs at all (private PKIs and
 * BetterTLS's suites do that, and browsers ignore the CN).
 */
function checkCnAgainstSan(c: ParsedCert, error: (m: string) => void, warning: (m: string) => void): void {
  const sans = c.subjectAltNames ?? [];
  const dns = sans.filter((n) => n.kind === "dns").map((n) => n.value);
  const ips = sans.filter((n) => n.kind === "ip" && (n.bytes.length === 4 || n.bytes.length === 16)).map((n) => n.bytes);
  for (const cn of nameAttrs(c.subject, OID.commonName).map((a) => a.value)) {
    if (dns.includes(cn) || ips.some((b) => ipText(b) === cn)) continue;
    const ip = looseIp(cn);
    if (ip && ips.some((b) => b.length === ip.length && b.every((x, k) => x === ip[k]))) {
      error(`its common name '${cn}' names the IP address ${ipText(ip)} of its subjectAltName in a non-canonical form (CA/B BR 7.1.4.3 requires RFC 3986 / RFC 5952 text)`);
      continue;
    }
    const loose = normaliseHost(cn);
    if (loose && dns.some((d) => d.toLowerCase() === loose)) {
      error(`its common name '${cn}' differs from its subjectAltName entry only by case or encoding (CA/B BR 7.1.4.3 requires the CN to repeat a SAN exactly)`);
      continue;
    }
    if ((cn.includes(".") && loose) || ip) warning(`its common name '${cn}' is not one of its subjectAltName entries (CA/B BR 7.1.4.3)`);
  }
}

/** RFC 5280 §4.2 (and §6.1.4 (o)): a critical extension the validator does not process makes the certificate unusable. */
function checkCriticalExtensions(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    for (const e of n.cert.extensions)
      if (e.critical && !HANDLED_EXTENSIONS.has(e.oid))
        report("unknown_critical_extension", i, `${who(ctx, path, i)} has a critical extension ${extensionName(e.oid)} that is not understood, so it must be rejected (RFC 5280 §4.2).`);
  });
}

/** RFC 5280 §6.1.3 (a)(2) and §4.1.2.5: the validation time lies within [notBefore, notAfter] (both inclusive). */
function checkValidity(path: PathNode[], ctx: CheckContext, report: Report): void {
  // Certificate times have one-second precision, so notAfter covers its whole second (a time of
  // 00:00:00.005 is still within notAfter 00:00:00Z).
  const t = Math.floor(ctx.at.getTime() / 1000) * 1000;
  path.forEach((n, i) => {
    const { notBefore, notAfter } = n.cert;
    if (t > notAfter.getTime())
      report("expired", i, `${who(ctx, path, i)} expired on ${isoDay(notAfter)} (${distance(t - notAfter.getTime())} before the validation time).`);
    if (t < notBefore.getTime())
      report("not_yet_valid", i, `${who(ctx, path, i)} is not valid until ${isoDay(notBefore)} (${distance(notBefore.getTime() - t)} after the validation time).`);
  });
}

/** RFC 5280 §6.1.3 (a)(1): each certificate's signature verifies with its issuer's public key. */
function checkSignatures(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    if (n.sig && !n.sig.ok)
      report("bad_signature", i, `${who(ctx, path, i)} is not validly signed by '${ctx.label(path[i + 1].cert)}': ${n.sig.reason}.`);
  });
}

/**
 * Weak algorithms: keys under 2048-bit RSA / 256-bit EC, DSA, and MD5/SHA-1 signatures relied upon (CA/B BR
 * 6.1.5, 7.1.3). Algorithm policy, not RFC 5280 path validation: errors under webpki, warnings under rfc5280
 * (NIST PKITS 4.1.4-4.1.6 validate DSA with SHA-1 chains).
 */
function checkStrength(path: PathNode[], ctx: CheckContext, report: Report): void {
  const sev = webpkiRule(ctx);
  path.forEach((n, i) => {
    const k = n.cert.key;
    if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && (k.bits ?? 0) < 2048)
      report("weak_key", i, `${who(ctx, path, i)} has a ${k.bits}-bit RSA key; at least 2048 bits are required.`, sev);
    else if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && k.bits && k.bits % 8 !== 0 && !(n.anchor && n.shipped))
      report("weak_key", i, `${who(ctx, path, i)} has a ${k.bits}-bit RSA key; the modulus size must be a multiple of 8 bits (CA/B BR 6.1.5), and some TLS libraries refuse other sizes.`, sev);
    else if (k.algorithm === "EC" && !["P-256", "P-384", "P-521"].includes(k.curve ?? ""))
      report("weak_key", i, `${who(ctx, path, i)} has an EC key on curve ${k.curve}; only P-256, P-384 and P-521 are accepted.`, sev);
    else if (k.algorithm === "DSA") report("weak_key", i, `${who(ctx, path, i)} has a DSA key, which TLS clients no longer accept.`, sev);
    if (n.sig?.ok) {
      try {
        const s = signatureScheme(n.cert.signatureAlg);
        if (s.weak) report("weak_signature", i, `${who(ctx, path, i)} is signed with ${s.name}, which is no longer secure.`, sev);
      } catch {
        /* unreachable: the signature verified */
      }
    }
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
      `${who(ctx, path, i)} issued '${ctx.label(path[i - 1].cert)}' but is not a CA: ${c.basicConstraints ? "basicConstraints has cA FALSE" : "it has no basicConstraints extension"} (RFC 5280 §4.2.1.9).`,
    );
  }
}

/** RFC 5280 §6.1.4 (n), §4.2.1.3: an issuer's keyUsage, when present, asserts keyCertSign; a cA with keyUsage must too. */
function checkKeyUsage(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const ku = n.cert.keyUsage;
    if (!ku) return;
    if (i > 0 && !ku.has(5)) report("key_usage", i, `${who(ctx, path, i)} issued a certificate but its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3).`);
    else if (i === 0 && n.cert.basicConstraints?.ca && !ku.has(5))
      report("key_usage", 0, `${who(ctx, path, 0)} is a CA (cA TRUE) whose keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3).`);
  });
  // Leaf key usage for TLS (RFC 5246 §7.4.2 / RFC 8446 §4.4.2.2): the key must be able to sign or encipher.
  const leafKu = path[0].cert.keyUsage;
  if (leafKu && ctx.purpose !== "any") {
    const fits = ctx.purpose === "server" ? leafKu.has(0) || leafKu.has(2) || leafKu.has(4) : leafKu.has(0) || leafKu.has(4);
    // A TLS rule, not RFC 5280's: a CA certificate in leaf position validates under rfc5280 (x509-limbo
    // rfc5280::ca-as-leaf, pathlen::validation-ignores-pathlen-in-leaf), not under webpki (webpki::ca-as-leaf).
    if (!fits)
      report("key_usage", 0, `${who(ctx, path, 0)} has a keyUsage that allows neither digitalSignature${ctx.purpose === "server" ? ", keyEncipherment" : ""} nor keyAgreement, so it cannot be used for TLS ${ctx.purpose} authentication.`, webpkiRule(ctx));
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
      report("path_length_exceeded", j, `${who(ctx, path, j)} allows ${pl} intermediate CA${pl === 1 ? "" : "s"} below it (pathLenConstraint) but ${below} follow it in this chain (RFC 5280 §4.2.1.9).`);
  }
  if (ctx.maxDepth !== undefined) {
    const intermediates = logicalIntermediates(path);
    if (intermediates > ctx.maxDepth)
      report("max_depth_exceeded", undefined, `The chain needs ${intermediates} intermediate certificate${intermediates === 1 ? "" : "s"}, more than the ${ctx.maxDepth} allowed (--max-depth).`);
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
      report("eku_mismatch", 0, `${who(ctx, path, 0)} is not allowed for ${want}: its extendedKeyUsage lists ${has}${eku.includes(OID.anyExtendedKeyUsage) ? " (anyExtendedKeyUsage is not accepted for TLS, as in browsers)" : ""}.`);
    else report("eku_mismatch", i, `${who(ctx, path, i)} restricts the certificates below it to ${has}, which excludes ${want} (extendedKeyUsage on CAs, as browsers enforce it).`);
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
        report("name_constraints", j, `${who(ctx, path, j)} has too many name constraints to check against the names below it (work bound exceeded).`);
        return;
      }
      for (const v of checkNameConstraints(names, nc))
        report("name_constraints", i, `${who(ctx, path, i)} violates the name constraints of '${ctx.label(path[j].cert)}': ${v}.`);
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
  report("policy", i, `${who(ctx, path, i)} fails certificate policy processing: ${f.reason}.`);
}

/** RFC 6125 §6 (and RFC 2818 §3.1): the leaf identifies the host name or IP address asked for. */
function checkHostName(path: PathNode[], ctx: CheckContext, report: Report): void {
  if (!ctx.host) return;
  const r = checkHost(path[0].cert, ctx.host);
  if (!r.ok) report("hostname_mismatch", 0, `${who(ctx, path, 0)} is not valid for '${ctx.host}': ${r.reason}.`);
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
    report("max_depth_exceeded", top, `Path building stopped at '${ctx.label(n.cert)}' after ${path.length} certificates without reaching a trust anchor (the bound on chain length).`);
    return;
  }
  if (isSelfSigned(n.cert)) {
    if (top === 0) report("self_signed", 0, `${who(ctx, path, 0)} is self-signed and is not among the trusted certificates.`);
    else report("untrusted_root", top, `${who(ctx, path, top)} is a self-signed root that is not among the trusted certificates.`);
    return;
  }
  if (n.loop) {
    report(
      "missing_issuer",
      top,
      `${who(ctx, path, top)} was issued by '${ctx.labelName(n.cert.issuer)}', which is already on this path: the certificates cross-sign each other in a loop that never reaches a trust anchor.`,
    );
    return;
  }
  const aia = ctx.aiaNotes.get(n.cert.sha256);
  report(
    "missing_issuer",
    top,
    `${who(ctx, path, top)} was issued by '${ctx.labelName(n.cert.issuer)}', which was not found among the supplied or trusted certificates${aia ? ` (AIA caIssuers tried: ${aia.join("; ")})` : ""}.`,
  );
}

/**
 * CA/Browser Forum Baseline Requirements rules that RFC 5280 does not have: warnings under rfc5280 (a PKI
 * engineer wants to hear about them), errors under webpki. RFC 5280 §4.2.1.9, CA/B BR 7.1.2.1, 7.1.2.7.10.
 */
function checkProfileWarnings(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const c = n.cert;
    const warn = (code: ProblemCode, m: string) => report(code, i, `${who(ctx, path, i)}: ${m}.`, "warning");
    const cabf = (code: ProblemCode, m: string) => report(code, i, `${who(ctx, path, i)}: ${m}.`, webpkiRule(ctx));
    const bc = c.extensions.find((e) => e.oid === OID.basicConstraints);
    const profiled = !(n.anchor && n.shipped);
    if (c.basicConstraints?.ca && bc && !bc.critical && !(profiled && (i > 0 || n.anchor)))
      warn("malformed", "basicConstraints is not marked critical in a CA certificate (RFC 5280 §4.2.1.9)");
    if (i === 0 && c.extKeyUsage?.includes(OID.anyExtendedKeyUsage) && ctx.requiredEkus.length)
      cabf("eku_mismatch", "its extendedKeyUsage includes anyExtendedKeyUsage, which CA/B BR 7.1.2.7.10 forbids in TLS certificates");
    if (n.anchor && i > 0 && c.extKeyUsage) cabf("eku_mismatch", "the root has an extendedKeyUsage extension, which CA/B BR 7.1.2.1.2 forbids in root certificates");
    if (n.anchor && (c.authorityKeyId?.hasIssuer || c.authorityKeyId?.hasSerial))
      cabf("malformed", "the root's authorityKeyIdentifier carries authorityCertIssuer/authorityCertSerialNumber (CA/B BR 7.1.2.1.3)");
    const akid = c.authorityKeyId?.keyId;
    if (n.anchor && c.selfIssued && akid && c.subjectKeyId && !bytesEqual(akid, c.subjectKeyId))
      cabf("malformed", "the root's authorityKeyIdentifier does not match its own subjectKeyIdentifier (CA/B BR 7.1.2.1.3: a root's AKI keyIdentifier is its SKI)");
  });
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
