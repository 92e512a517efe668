/**
 * The checks a validation profile decides (./checks.ts runs them with the others): certificate profile and
 * encoding rules (RFC 5280 §4.1, §4.2), algorithm policy, and the CA/Browser Forum Baseline Requirements. Under
 * rfc5280, rules addressed to issuing CAs that path validation does not enforce, CA/B rules and algorithm policy
 * are warnings; under webpki they are errors.
 */
import type { ProblemCode } from "../../shared/model";
import { OID, isSelfSigned, nameAttrs, type ParsedCert } from "./cert";
import { constraintFault, constraintWarning, normaliseHost, parseIp } from "./names";
import { signatureScheme } from "./signature";
import { ipText } from "../pki/name";
import { bytesEqual } from "../pki/der";
import type { CheckContext, PathNode, Report } from "./checks";
import { t } from "../l10n";

/** Severity of a rule the profile decides: an error under webpki, a warning under rfc5280. */
export function webpkiRule(ctx: CheckContext): "warning" | undefined {
  return ctx.profile === "webpki" ? undefined : "warning";
}

export function who(ctx: CheckContext, path: PathNode[], i: number): string {
  return t("The certificate '{0}'", ctx.label(path[i].cert));
}

/**
 * RFC 5280 §4.1 / §4.2: encoding faults found while reading the certificate. DER-strictness faults that some
 * shipped roots have (zero serials, GeneralizedTime before 2050, explicit defaults) are not held against them;
 * GeneralizedTime before 2050 is a rule addressed to the issuing CA that path validation does not depend on:
 * an error under webpki only (NIST PKITS 4.2.4 expects it to validate under RFC 5280).
 */
export function checkEncoding(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    for (const m of n.cert.malformed) {
      // A trust anchor is trusted as configured (RFC 5280 §6.1.1 (d)): long-lived roots with a zero serial
      // (Starfield G2, …) are not rejected for it.
      const kind = n.cert.strictness.get(m);
      if (n.anchor && n.shipped && kind) continue;
      report("malformed", i, t("{0} is malformed: {1}.", who(ctx, path, i), m), kind === "ca" ? webpkiRule(ctx) : undefined);
    }
  });
}

/** RFC 5280 §4.1.2.4 / §4.1.2.6 / §4.2.1.1 / §4.2.1.2 / §4.2.1.6 / §4.2.1.10 / §4.2.2.1: field and extension rules. */
export function checkProfile(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const c = n.cert;
    const crit = (oid: string) => c.extensions.find((e) => e.oid === oid)?.critical;
    const bad = (m: string) => report("malformed", i, t("{0} is malformed: {1}.", who(ctx, path, i), m));
    if (c.issuer.rdns.length === 0) bad(t("its issuer name is empty (RFC 5280 §4.1.2.4)"));
    if (c.subject.rdns.length === 0) {
      if (c.basicConstraints?.ca || i > 0) bad(t("it is a CA with an empty subject name (RFC 5280 §4.1.2.6)"));
      else if (!c.subjectAltNames) bad(t("its subject is empty and it has no subjectAltName (RFC 5280 §4.1.2.6)"));
      else if (!crit(OID.subjectAltName)) bad(t("its subject is empty but subjectAltName is not critical (RFC 5280 §4.2.1.6)"));
    } else if (crit(OID.subjectAltName)) bad(t("subjectAltName is critical although the subject is not empty (RFC 5280 §4.2.1.6, CA/B BR 7.1.2.7.12)"));
    if (crit(OID.authorityKeyIdentifier)) bad(t("authorityKeyIdentifier is marked critical (RFC 5280 §4.2.1.1)"));
    if (crit(OID.subjectKeyIdentifier)) bad(t("subjectKeyIdentifier is marked critical (RFC 5280 §4.2.1.2)"));
    if (crit(OID.authorityInfoAccess)) bad(t("authorityInfoAccess is marked critical (RFC 5280 §4.2.2.1)"));
    // Anchors are held to the CA profile, except the roots Node's bundled (Mozilla) store ships, which are
    // trusted as shipped even when passed in a CA bundle file (a few long-lived ones predate these rules:
    // TWCA Global Root CA has no SKI, ePKI a non-critical basicConstraints, Go Daddy G2 a zero serial).
    const profiled = !(n.anchor && n.shipped);
    // Not for a trust anchor: it is a name and a key (RFC 5280 §6.1.1 (d)), whoever its certificate names as
    // issuer (x509-limbo's CVE-2024-0567 anchor "CN=Root A" names another issuer and has no AKI).
    if (c.version === 3 && !c.authorityKeyId && !isSelfSigned(c) && !n.anchor)
      bad(t("it has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires in every certificate that is not self-signed"));
    // Rules RFC 5280 addresses to the issuing CA ("conforming CAs MUST mark … critical") that the validation
    // algorithm does not enforce: errors under webpki, warnings under rfc5280 (NIST PKITS 4.6.4, 4.8.6, …
    // expect such paths to validate).
    const caRule = (m: string) => report("malformed", i, t("{0} is malformed: {1}.", who(ctx, path, i), m), webpkiRule(ctx));
    const bc = c.extensions.find((e) => e.oid === OID.basicConstraints);
    if (profiled && c.basicConstraints?.ca && bc && !bc.critical && (i > 0 || n.anchor))
      caRule(t("basicConstraints is not marked critical in a CA certificate (RFC 5280 §4.2.1.9)"));
    if ((i > 0 || n.anchor) && profiled && c.basicConstraints?.ca && !c.subjectKeyId)
      bad(t("it is a CA certificate without subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires in every CA certificate"));
    if (crit(OID.policyConstraints) === false) caRule(t("policyConstraints is not marked critical (RFC 5280 §4.2.1.11)"));
    if (crit(OID.inhibitAnyPolicy) === false) caRule(t("inhibitAnyPolicy is not marked critical (RFC 5280 §4.2.1.14)"));
    if (c.nameConstraints) {
      if (!c.basicConstraints?.ca) bad(t("nameConstraints appears in a certificate that is not a CA (RFC 5280 §4.2.1.10)"));
      // x509-limbo's rfc5280 family rejects a non-critical nameConstraints; the CA/B Baseline Requirements
      // (7.1.2.5.2) allow it, and under webpki the constraints are enforced all the same.
      else if (!crit(OID.nameConstraints) && ctx.profile === "rfc5280") bad(t("nameConstraints is not marked critical (RFC 5280 §4.2.1.10)"));
      for (const st of [...(c.nameConstraints.permitted ?? []), ...(c.nameConstraints.excluded ?? [])]) {
        const f = constraintFault(st);
        if (f) bad(f);
        const w = constraintWarning(st);
        if (w) report("name_constraints", i, t("{0}: {1}.", who(ctx, path, i), w), "warning");
      }
    }
    if (c.basicConstraints && !c.basicConstraints.ca && c.basicConstraints.pathLen !== undefined)
      bad(t("basicConstraints has a pathLenConstraint without cA (RFC 5280 §4.2.1.9)"));
    if (c.keyUsage?.has(5) && !c.basicConstraints?.ca) bad(t("keyUsage asserts keyCertSign but basicConstraints does not assert cA (RFC 5280 §4.2.1.3)"));
    for (const san of c.subjectAltNames ?? []) {
      if (san.kind === "ip" && san.bytes.length !== 4 && san.bytes.length !== 16)
        bad(t("an iPAddress in subjectAltName has {0} octets (must be 4 or 16)", san.bytes.length));
      if (san.kind === "dns" && !isPresentableDnsName(san.value)) bad(t("the dNSName '{0}' in subjectAltName is not a valid DNS name (RFC 5280 §4.2.1.6)", san.value));
    }
    if (i === 0 && ctx.purpose === "server" && c.subjectAltNames)
      checkCnAgainstSan(c, bad, (m) => report("hostname_mismatch", 0, t("{0}: {1}.", who(ctx, path, 0), m), webpkiRule(ctx)));
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
      error(t("its common name '{0}' names the IP address {1} of its subjectAltName in a non-canonical form (CA/B BR 7.1.4.3 requires RFC 3986 / RFC 5952 text)", cn, ipText(ip)));
      continue;
    }
    const loose = normaliseHost(cn);
    if (loose && dns.some((d) => d.toLowerCase() === loose)) {
      error(t("its common name '{0}' differs from its subjectAltName entry only by case or encoding (CA/B BR 7.1.4.3 requires the CN to repeat a SAN exactly)", cn));
      continue;
    }
    if ((cn.includes(".") && loose) || ip) warning(t("its common name '{0}' is not one of its subjectAltName entries (CA/B BR 7.1.4.3)", cn));
  }
}

/**
 * Weak algorithms: keys under 2048-bit RSA / 256-bit EC, DSA, and MD5/SHA-1 signatures relied upon (CA/B BR
 * 6.1.5, 7.1.3). Algorithm policy, not RFC 5280 path validation: errors under webpki, warnings under rfc5280
 * (NIST PKITS 4.1.4-4.1.6 validate DSA with SHA-1 chains).
 */
export function checkStrength(path: PathNode[], ctx: CheckContext, report: Report): void {
  const sev = webpkiRule(ctx);
  path.forEach((n, i) => {
    const k = n.cert.key;
    if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && (k.bits ?? 0) < 2048)
      report("weak_key", i, t("{0} has a {1}-bit RSA key; at least 2048 bits are required.", who(ctx, path, i), String(k.bits)), sev);
    else if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && k.bits && k.bits % 8 !== 0 && !(n.anchor && n.shipped))
      report("weak_key", i, t("{0} has a {1}-bit RSA key; the modulus size must be a multiple of 8 bits (CA/B BR 6.1.5), and some TLS libraries refuse other sizes.", who(ctx, path, i), k.bits), sev);
    else if (k.algorithm === "EC" && !["P-256", "P-384", "P-521"].includes(k.curve ?? ""))
      report("weak_key", i, t("{0} has an EC key on curve {1}; only P-256, P-384 and P-521 are accepted.", who(ctx, path, i), String(k.curve)), sev);
    else if (k.algorithm === "DSA") report("weak_key", i, t("{0} has a DSA key, which TLS clients no longer accept.", who(ctx, path, i)), sev);
    if (n.sig?.ok) {
      try {
        const s = signatureScheme(n.cert.signatureAlg);
        if (s.weak) report("weak_signature", i, t("{0} is signed with {1}, which is no longer secure.", who(ctx, path, i), s.name), sev);
      } catch {
        /* unreachable: the signature verified */
      }
    }
  });
}

/**
 * CA/Browser Forum Baseline Requirements rules that RFC 5280 does not have: warnings under rfc5280 (a PKI
 * engineer wants to hear about them), errors under webpki. RFC 5280 §4.2.1.9, CA/B BR 7.1.2.1, 7.1.2.7.10.
 */
export function checkProfileWarnings(path: PathNode[], ctx: CheckContext, report: Report): void {
  path.forEach((n, i) => {
    const c = n.cert;
    const warn = (code: ProblemCode, m: string) => report(code, i, t("{0}: {1}.", who(ctx, path, i), m), "warning");
    // A root Node's (Mozilla's) store ships is trusted as shipped: its own CA/B faults stay warnings even under
    // webpki (a few long-lived roots predate the rules), as in checkProfile.
    const shippedRoot = n.anchor && n.shipped;
    const cabf = (code: ProblemCode, m: string) => report(code, i, t("{0}: {1}.", who(ctx, path, i), m), shippedRoot ? "warning" : webpkiRule(ctx));
    const bc = c.extensions.find((e) => e.oid === OID.basicConstraints);
    const profiled = !(n.anchor && n.shipped);
    if (c.basicConstraints?.ca && bc && !bc.critical && !(profiled && (i > 0 || n.anchor)))
      warn("malformed", t("basicConstraints is not marked critical in a CA certificate (RFC 5280 §4.2.1.9)"));
    if (i === 0 && c.extKeyUsage?.includes(OID.anyExtendedKeyUsage) && ctx.requiredEkus.length)
      cabf("eku_mismatch", t("its extendedKeyUsage includes anyExtendedKeyUsage, which CA/B BR 7.1.2.7.10 forbids in TLS certificates"));
    if (n.anchor && i > 0 && c.extKeyUsage) cabf("eku_mismatch", t("the root has an extendedKeyUsage extension, which CA/B BR 7.1.2.1.2 forbids in root certificates"));
    if (n.anchor && (c.authorityKeyId?.hasIssuer || c.authorityKeyId?.hasSerial))
      cabf("malformed", t("the root's authorityKeyIdentifier carries authorityCertIssuer/authorityCertSerialNumber (CA/B BR 7.1.2.1.3)"));
    const akid = c.authorityKeyId?.keyId;
    if (n.anchor && c.selfIssued && akid && c.subjectKeyId && !bytesEqual(akid, c.subjectKeyId))
      cabf("malformed", t("the root's authorityKeyIdentifier does not match its own subjectKeyIdentifier (CA/B BR 7.1.2.1.3: a root's AKI keyIdentifier is its SKI)"));
  });
}
