/**
 * Name checks: RFC 6125 host name / IP matching against subjectAltName, and RFC 5280 §4.2.1.10 name
 * constraints (dNSName, iPAddress, rfc822Name, uniformResourceIdentifier, directoryName).
 */
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { OID, nameAttrs, nameText, type GeneralNameP, type Name, type ParsedCert, type Subtree } from "./cert";
import { LIMITS } from "../budget";
import { t } from "../l10n";

// ───────────────────────────── host names ─────────────────────────────

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A syntactically valid DNS host name (LDH labels, ≤ 253 octets), lowercase, without trailing dot. */
export function isValidDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((l) => LABEL.test(l));
}

/** Parses an IP literal (v4, v6, bracketed v6) into bytes; null when `s` is not one. */
export function parseIp(s: string): Uint8Array | null {
  const t = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
  const kind = isIP(t);
  if (kind === 4) return Uint8Array.from(t.split(".").map(Number));
  if (kind !== 6) return null;
  let text = t.split("%")[0];
  const out = new Uint8Array(16);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1].split(".").map(Number);
    const hi = ((b[0] << 8) | b[1]).toString(16);
    const lo = ((b[2] << 8) | b[3]).toString(16);
    text = text.slice(0, -v4[1].length) + `${hi}:${lo}`;
  }
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const tl = tail !== undefined && tail ? tail.split(":") : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - tl.length).fill("0"), ...tl] : h;
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** Normalises the reference identity: lowercase A-labels, no trailing dot. Null when not a valid name. */
export function normaliseHost(host: string): string | null {
  let h = host.trim();
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (/[^\x00-\x7f]/.test(h)) h = domainToASCII(h);
  h = h.toLowerCase();
  return isValidDnsName(h) ? h : null;
}

/** RFC 6125 §6.4.3: a presented dNSName matches the reference host; wildcards only as the whole left-most label. */
export function dnsNameMatches(presented: string, host: string): boolean {
  let p = presented.toLowerCase();
  if (p.endsWith(".")) p = p.slice(0, -1);
  if (p.startsWith("*.")) {
    const base = p.slice(2);
    // "*.com"-style wildcards cover a whole top-level domain: refused, as browsers do (CA/B BR 3.2.2.6).
    if (!isValidDnsName(base) || !base.includes(".")) return false;
    const dot = host.indexOf(".");
    return dot > 0 && host.slice(dot + 1) === base;
  }
  return isValidDnsName(p) && p === host;
}

export type HostCheck = { ok: true } | { ok: false; reason: string };

/** RFC 6125 §6: does the leaf certificate identify `host` (DNS name or IP literal)? No CN fallback. */
export function checkHost(leaf: ParsedCert, host: string): HostCheck {
  const sans = leaf.subjectAltNames ?? [];
  const ip = parseIp(host);
  if (ip) {
    const ips = sans.filter((n) => n.kind === "ip");
    if (ips.some((n) => n.bytes.length === ip.length && n.bytes.every((b, i) => b === ip[i]))) return { ok: true };
    return {
      ok: false,
      reason: ips.length
        ? t("IP address {0} is not among its IP addresses ({1})", host, ips.map((n) => n.value).join(", "))
        : t("it has no IP address in subjectAltName to match {0}", host),
    };
  }
  const h = normaliseHost(host);
  if (!h) return { ok: false, reason: t("'{0}' is not a valid DNS name or IP address", host) };
  const dns = sans.filter((n) => n.kind === "dns");
  if (dns.some((n) => dnsNameMatches(n.value, h))) return { ok: true };
  if (!leaf.subjectAltNames) {
    const cn = nameAttrs(leaf.subject, OID.commonName)[0]?.value;
    return {
      ok: false,
      reason: cn
        ? t("it has no subjectAltName extension (its CN '{0}' is not used for host names, as in browsers and RFC 6125 §6.4.4)", cn)
        : t("it has no subjectAltName extension"),
    };
  }
  return { ok: false, reason: dns.length ? t("'{0}' is not among its DNS names ({1})", host, dns.map((n) => n.value).join(", ")) : t("it has no DNS name in subjectAltName") };
}

// ───────────────────────────── name constraints ─────────────────────────────

/** dNSName constraint (RFC 5280 §4.2.1.10): "example.com" covers itself and subdomains; ".example.com" only subdomains. */
export function dnsInSubtree(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, "");
  let c = constraint.toLowerCase();
  if (c === "") return true;
  if (c.startsWith(".")) return n.endsWith(c) && n.length > c.length;
  c = c.replace(/\.$/, "");
  return n === c || n.endsWith("." + c);
}

/** Could a (possibly wildcard) dNSName cover any name inside the excluded subtree? */
function dnsTouchesSubtree(name: string, constraint: string): boolean {
  if (dnsInSubtree(name, constraint)) return true;
  const n = name.toLowerCase();
  if (!n.startsWith("*.")) return false;
  const parent = n.slice(2);
  const c = constraint.toLowerCase().replace(/^\./, "");
  const dot = c.indexOf(".");
  // "*.example.com" covers "bar.example.com", so an excluded "bar.example.com" rules it out.
  return dot > 0 && c.slice(dot + 1) === parent && !constraint.startsWith(".");
}

function ipInSubtree(addr: Uint8Array, constraint: Uint8Array): boolean {
  const len = constraint.length / 2;
  if (addr.length !== len) return false;
  for (let i = 0; i < len; i++) if ((addr[i] & constraint[len + i]) !== (constraint[i] & constraint[len + i])) return false;
  return true;
}

function validMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const byte of mask)
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      if (one && seenZero) return false;
      if (!one) seenZero = true;
    }
  return true;
}

function splitEmail(e: string): { local: string; domain: string } | null {
  const at = e.lastIndexOf("@");
  if (at <= 0 || at === e.length - 1) return null;
  const local = e.slice(0, at);
  if (local.includes("@") && !(local.startsWith('"') && local.endsWith('"'))) return null;
  return { local, domain: e.slice(at + 1).toLowerCase() };
}

function emailInSubtree(email: string, constraint: string): boolean {
  const e = splitEmail(email);
  if (!e) return false;
  if (constraint.includes("@")) {
    const c = splitEmail(constraint);
    return !!c && c.local === e.local && c.domain === e.domain;
  }
  const c = constraint.toLowerCase();
  if (c.startsWith(".")) return e.domain.endsWith(c);
  return e.domain === c;
}

function uriHost(uri: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  if (!m || !m[1]) return null;
  return m[1].toLowerCase();
}

function uriInSubtree(uri: string, constraint: string): boolean {
  const host = uriHost(uri);
  if (!host || host.startsWith("[") || parseIp(host)) return false;
  const c = constraint.toLowerCase();
  if (c.startsWith(".")) return host.endsWith(c);
  return host === c;
}

/** directoryName: the constraint's RDNs are a prefix of the name's (RFC 5280 §7.1 comparison). */
function dirInSubtree(name: Name, constraint: Name): boolean {
  if (constraint.rdns.length > name.rdns.length) return false;
  const nk = name.key.split(",");
  const ck = constraint.key === "" ? [] : constraint.key.split(",");
  return ck.every((rdn, i) => nk[i] === rdn);
}

/** A constraint we can evaluate, or the words saying why it is malformed. */
export function constraintFault(st: Subtree): string | null {
  const b = st.base;
  if (st.nonDefaultBounds) return t("a subtree uses minimum/maximum, which RFC 5280 §4.2.1.10 forbids");
  switch (b.kind) {
    case "ip":
      if (b.bytes.length !== 8 && b.bytes.length !== 32) return t("an iPAddress constraint has {0} octets (needs address and mask: 8 or 32)", b.bytes.length);
      if (!validMask(b.bytes.subarray(b.bytes.length / 2))) return t("an iPAddress constraint has a non-contiguous mask");
      return null;
    case "dns":
      // RFC 5280 §4.2.1.10: a dNSName constraint is a host name with zero or more labels added on the left;
      // the ".example.com" form belongs to URI constraints only, and wildcards have no meaning here.
      // The ".example.com" form is OpenSSL's and Go's (subdomains only); browsers accept it, so it is
      // evaluated that way and reported as a warning (constraintWarning) rather than failing the chain.
      if (b.value !== "" && !isValidDnsName(b.value.toLowerCase().replace(/^\./, "").replace(/\.$/, "")))
        return t("the dNSName constraint '{0}' is not a valid DNS name", b.value);
      return null;
    case "email": {
      const v = b.value;
      if (v.includes("@") && !splitEmail(v)) return t("the rfc822Name constraint '{0}' is not a valid mailbox or domain", v);
      return null;
    }
    default:
      return null;
  }
}

/** Constraint forms that work in practice but that RFC 5280 does not define. */
export function constraintWarning(st: Subtree): string | null {
  if (st.base.kind === "dns" && st.base.value.startsWith("."))
    return t(
      "the dNSName constraint '{0}' starts with a period, which RFC 5280 §4.2.1.10 defines only for URI constraints (treated as \"subdomains only\", as OpenSSL, Go and browsers do)",
      st.base.value,
    );
  return null;
}

/** The names a certificate presents for constraint checks (§6.1.3 (b),(c)). */
export function constrainedNames(cert: ParsedCert, isLeaf: boolean): GeneralNameP[] {
  const out: GeneralNameP[] = [...(cert.subjectAltNames ?? [])];
  if (cert.subject.rdns.length > 0) out.push({ kind: "dirName", value: nameText(cert.subject), bytes: cert.subject.der, dirName: cert.subject });
  for (const a of nameAttrs(cert.subject, OID.emailAddress)) out.push({ kind: "email", value: a.value, bytes: new Uint8Array() });
  // Web PKI practice (Chromium, BetterTLS): a leaf without DNS SANs whose CN looks like a host name has that CN constrained too.
  if (isLeaf && !(cert.subjectAltNames ?? []).some((n) => n.kind === "dns" || n.kind === "ip")) {
    for (const a of nameAttrs(cert.subject, OID.commonName)) {
      const v = a.value.toLowerCase();
      const ip = parseIp(v);
      if (ip) out.push({ kind: "ip", value: v, bytes: ip });
      else if (isValidDnsName(v.replace(/^\*\./, "x."))) out.push({ kind: "dns", value: v, bytes: new Uint8Array() });
    }
  }
  return out;
}

function inSubtree(n: GeneralNameP, st: Subtree, excluded: boolean): boolean | "unsupported" {
  const b = st.base;
  if (b.kind !== n.kind) return false;
  switch (n.kind) {
    case "dns":
      return excluded ? dnsTouchesSubtree(n.value, b.value) : dnsInSubtree(n.value, b.value);
    case "ip":
      return ipInSubtree(n.bytes, b.bytes);
    case "email":
      return emailInSubtree(n.value, b.value);
    case "uri":
      return uriInSubtree(n.value, b.value);
    case "dirName":
      return dirInSubtree(n.dirName!, b.dirName!);
    default:
      return "unsupported";
  }
}

/** "DNS name 'a.example'": how a name is called in a name-constraint violation. */
function nameLabel(n: GeneralNameP): string {
  switch (n.kind) {
    case "dirName":
      return t("directory name '{0}'", n.value);
    case "dns":
      return t("DNS name '{0}'", n.value);
    case "ip":
      return t("IP address '{0}'", n.value);
    case "email":
      return t("email address '{0}'", n.value);
    case "uri":
      return t("URI '{0}'", n.value);
    default:
      return `${n.kind} '${n.value}'`;
  }
}

/** Checks one certificate's names against one CA's constraints; returns plain-words violations. */
export function checkNameConstraints(names: GeneralNameP[], nc: { permitted?: Subtree[]; excluded?: Subtree[] }): string[] {
  const out: string[] = [];
  for (const n of names) {
    const label = nameLabel(n);
    for (const st of nc.excluded ?? []) {
      const r = inSubtree(n, st, true);
      if (r === true) out.push(t("{0} is in the excluded subtree '{1}'", label, st.base.value));
      else if (r === "unsupported") out.push(t("{0} cannot be checked against an excluded {1} constraint", label, st.base.kind));
    }
    const permitted = (nc.permitted ?? []).filter((st) => st.base.kind === n.kind);
    if (permitted.length === 0) continue;
    let ok = false;
    let unsupported = false;
    for (const st of permitted) {
      const r = inSubtree(n, st, false);
      if (r === true) ok = true;
      if (r === "unsupported") unsupported = true;
    }
    if (!ok)
      out.push(
        unsupported
          ? t("{0} cannot be checked against a permitted {1} constraint", label, n.kind)
          : t("{0} is outside the permitted subtrees ({1})", label, listSome(permitted.map((s) => `'${s.base.value}'`))),
      );
  }
  // Bounded output (../budget.ts): 1,000 names × 1,000 subtrees must not become 235 MB of findings.
  const max = LIMITS.listedNames * 2;
  if (out.length > max) return [...out.slice(0, max), t("… and {0} more names violate the constraints", out.length - max)];
  return out;
}

/** "'a', 'b', … and 990 more": a list of subtrees shown in a message, capped at LIMITS.listedNames. */
function listSome(items: string[]): string {
  const max = LIMITS.listedNames;
  return items.length <= max ? items.join(", ") : t("{0} and {1} more", items.slice(0, max).join(", "), items.length - max);
}
