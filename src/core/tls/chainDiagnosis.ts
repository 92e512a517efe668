/**
 * The server chain's part of the handshake diagnosis (./diagnosis.ts): which problem of the validated (or
 * Node-judged) server chain decides the run, in plain words with the fix — expired, not yet valid, hostname,
 * self-signed, untrusted root, incomplete chain.
 */
import type { CertificateModel, Problem } from "../../shared/model";
import type { DiagnosisInput } from "./diagnosis";
import { english, formatTime, type Translate } from "../../shared/format";

/** Names in quotes, comma-separated. */
function list(names: string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** The date part of an ISO time. */
export function day(iso: string): string {
  return iso ? iso.replace(/T.*$/, "") : "?";
}

// ───────────────────────────── server chain ─────────────────────────────

interface ChainDiag {
  category: string;
  summary: string;
  fix: string;
}

export function chainDiagnosis(x: DiagnosisInput): ChainDiag | null {
  const v = x.validation;
  const chain = x.serverChain;
  // No certificate to judge (none seen on the wire nor by the TLS library): nothing to say about the chain.
  if (!v || chain.length === 0) return null;
  if (v.valid) return null;
  const errors = v.problems.filter((p) => p.severity !== "warning");
  if (errors.length === 0) return null;
  const leaf = chain[0];
  const leafName = `'${leaf.subject.text}'`;
  const has = (code: string) => errors.find((p) => p.code === code);
  const certAt = (p: Problem): CertificateModel | undefined => {
    if (p.certIndex === undefined) return undefined;
    const link = v.chain[p.certIndex];
    return chain.find((c) => c.fingerprints.sha256 === link?.sha256) ?? (p.certIndex < chain.length ? chain[p.certIndex] : undefined);
  };
  const now = x.now ?? new Date();
  const t = x.t ?? english;

  const expired = has("expired");
  if (expired) {
    const c = certAt(expired) ?? chain.find((m) => m.notAfter && new Date(m.notAfter) < now) ?? leaf;
    const isLeaf = c === leaf;
    const ago = Math.max(0, Math.floor((now.getTime() - new Date(c.notAfter).getTime()) / 86400000));
    const agoText = !ago ? "" : ago === 1 ? t(" ({0} day ago)", ago) : t(" ({0} days ago)", ago);
    return {
      category: "cert_expired",
      summary: isLeaf
        ? t("The server's certificate '{0}' expired on {1}{2}.", c.subject.text, day(c.notAfter), agoText)
        : t("The certificate '{0}' in the server's chain expired on {1}{2}.", c.subject.text, day(c.notAfter), agoText),
      fix: isLeaf ? t("Renew the server certificate for {0} and install it on the server.", leafName) : t("Install the current version of '{0}' on the server (its CA publishes a renewed one).", c.subject.text),
    };
  }
  const notYet = has("not_yet_valid");
  if (notYet) {
    const c = certAt(notYet) ?? chain.find((m) => m.notBefore && new Date(m.notBefore) > now) ?? leaf;
    return {
      category: "cert_not_yet_valid",
      summary: t("The certificate '{0}' in the server's chain is not valid until {1} — it is not yet valid now ({2}).", c.subject.text, formatTime(c.notBefore, "utc"), formatTime(now, "utc")),
      fix: t("Check the clock of this machine and of the CA that issued it; otherwise wait until it becomes valid or reissue it with a correct start date."),
    };
  }

  const selfSigned = has("self_signed");
  const missing = has("missing_issuer");
  const untrusted = has("untrusted_root");
  const leafSelfSigned = leaf.selfSigned || (selfSigned && (selfSigned.certIndex === undefined || selfSigned.certIndex === 0) && chain.length >= 1 && leaf.subject.text === leaf.issuer.text);
  const where = trustWhere(x, t);
  const caAsLeaf = looksLikeCa(leaf) && !coversName(leaf, x.name);
  if (leafSelfSigned && (selfSigned || untrusted || missing)) {
    if (caAsLeaf)
      return {
        category: "self_signed",
        summary: t("The server presented the CA certificate {0} as its own certificate, instead of a server certificate issued by that CA; it is self-signed and not trusted {1}.", leafName, where),
        fix: t("Configure the server with its own certificate (issued by {0}) first, followed by any intermediates; a CA certificate is not a server certificate.", leafName),
      };
    return {
      category: "self_signed",
      summary: t("The server's certificate {0} is self-signed (it is its own issuer), and it is not trusted {1}.", leafName, where),
      fix: t("Give the server a certificate issued by a CA the clients trust; or, if you trust this very certificate, pass it with --ca FILE."),
    };
  }
  if (missing || untrusted || selfSigned) {
    // Where does the chain as sent end?
    const last = lastOfSentChain(chain);
    if (!last.selfSigned) {
      const missingName = last.issuer.text;
      if (looksIncomplete(x, last, chain)) {
        const onlyLeaf = last === leaf;
        return {
          category: "incomplete_chain",
          summary: onlyLeaf
            ? t("The server did not send the intermediate certificate '{0}' that issued {1}; clients that don't already have it cannot build a chain to a trusted root.", missingName, leafName)
            : t("The server did not send the intermediate certificate '{0}' that issued '{1}'; clients that don't already have it cannot build a chain to a trusted root.", missingName, last.subject.text),
          fix: t("Configure the server to send its certificate followed by the intermediate '{0}' (the CA's \"full chain\" file).", missingName),
        };
      }
      return {
        category: "untrusted_root",
        summary: t("The server's chain ends at '{0}', issued by '{1}', which is not trusted {2}.", last.subject.text, missingName, where),
        fix: t("If you trust '{0}', pass its certificate with --ca FILE; otherwise the server needs a certificate from a CA its clients trust.", missingName),
      };
    }
    return {
      category: "untrusted_root",
      summary: t("The server's chain ends at the root '{0}', which is not trusted {1}.", last.subject.text, where),
      fix: t("If you trust '{0}', pass its certificate with --ca FILE; otherwise the server needs a certificate from a CA its clients trust.", last.subject.text),
    };
  }
  const host = has("hostname_mismatch");
  if (host) {
    const names = leaf.subjectAltNames.filter((n) => n.type === "dns" || n.type === "ip").map((n) => n.value);
    const shown = names.length ? names : [leaf.subject.attributes.find((a) => a.type === "CN")?.value ?? leaf.subject.text];
    if (caAsLeaf)
      return {
        category: "hostname_mismatch",
        summary: t("The server presented the CA certificate {0} as its own certificate, instead of a server certificate for '{1}' issued by that CA.", leafName, x.name),
        fix: t("Configure the server with its own certificate for '{0}' (issued by {1}) first, followed by any intermediates.", x.name, leafName),
      };
    return {
      category: "hostname_mismatch",
      summary: t("The server's certificate {0} is for {1}, not for '{2}'.", leafName, list(shown), x.name),
      fix: t("Connect with a name the certificate covers (--servername {0}), or reissue the certificate with '{1}' in its subjectAltName.", shown[0], x.name),
    };
  }
  const first = errors[0];
  return {
    category: "other",
    summary: t("The server's certificate chain is not valid: {0}", first.message),
    fix: t("Fix the server's certificate chain (see the validation problems listed)."),
  };
}

/** A certificate that is meant to be a CA: CA:TRUE plus a CA key usage or a CA-like name. */
function looksLikeCa(c: CertificateModel): boolean {
  if (!c.isCA) return false;
  const ku = (c.extensions ?? []).find((e) => e.name === "keyUsage" || e.oid === "2.5.29.15");
  const kuText = JSON.stringify(ku?.value ?? "") + (ku?.text ?? "");
  const eku = (c.extensions ?? []).find((e) => e.name === "extKeyUsage" || e.oid === "2.5.29.37");
  const ekuText = JSON.stringify(eku?.value ?? "") + (eku?.text ?? "");
  if (/serverAuth|1\.3\.6\.1\.5\.5\.7\.3\.1/.test(ekuText)) return false;
  return /keyCertSign/i.test(kuText) || /\bCA\b|root|authority|certification/i.test(c.subject.text);
}

/** Whether the certificate names `name` (DNS with one-label wildcard, or IP), by SAN, or CN when there is no SAN. */
function coversName(c: CertificateModel, name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, "");
  const dns = c.subjectAltNames.filter((g) => g.type === "dns").map((g) => g.value.toLowerCase());
  const ips = c.subjectAltNames.filter((g) => g.type === "ip").map((g) => g.value);
  const match = (p: string) => p === n || (p.startsWith("*.") && n.endsWith(p.slice(1)) && !n.slice(0, -p.length + 1).includes("."));
  if (dns.length || ips.length) return dns.some(match) || ips.includes(name);
  const cn = c.subject.attributes.find((a) => a.type === "CN")?.value?.toLowerCase();
  return !!cn && match(cn);
}

function trustWhere(x: DiagnosisInput, t: Translate): string {
  if (x.anchors.length && x.usedSystemRoots) return t("by the system roots or the --ca files");
  if (x.anchors.length) return t("by the --ca files");
  if (x.usedSystemRoots) return t("by the system roots");
  return t("(no trust anchors were given)");
}

/** The last certificate of the sent chain that is linked from the leaf by issuer names. */
function lastOfSentChain(chain: CertificateModel[]): CertificateModel {
  let cur = chain[0];
  const seen = new Set([cur]);
  for (;;) {
    if (cur.selfSigned) return cur;
    const next = chain.find((c) => !seen.has(c) && c.subject.text === cur.issuer.text);
    if (!next) return cur;
    seen.add(next);
    cur = next;
  }
}

/**
 * The sent chain stops at a certificate whose issuer is neither sent nor trusted. Was that issuer an
 * intermediate the server should have sent (incomplete chain), or a root nobody trusts (untrusted root)?
 * Signals: an AIA caIssuers pointer, an issuer name that reads like an intermediate, a trust anchor from the
 * same organisation as the missing issuer (the user trusts that PKI's root, so the gap is below it).
 */
function looksIncomplete(x: DiagnosisInput, last: CertificateModel, chain: CertificateModel[]): boolean {
  let score = 0;
  const issuer = last.issuer.text;
  const hasAia = (last.extensions ?? []).some((e) => e.oid === "1.3.6.1.5.5.7.1.1" && /caIssuers|1\.3\.6\.1\.5\.5\.7\.48\.2/.test(JSON.stringify(e.value ?? "")));
  if (hasAia) score += 2;
  if (/inter|issuing|\bsub(ordinate)?\b|\bICA\b|\bint\b|signing|server ca|tls ca|ssl ca|\bCA ?[0-9]+\b|\bG[0-9]\b/i.test(issuer)) score += 1;
  if (/root/i.test(issuer)) score -= 2;
  // A trust anchor from the same organisation (same name apart from the CN): the user trusts that PKI's root.
  const rest = (dn: string) =>
    dn
      .split(/,(?=[A-Za-z.0-9]+=)/)
      .filter((p) => !/^CN=/i.test(p))
      .join(",");
  const issuerRest = rest(issuer);
  if (issuerRest && x.anchors.some((a) => a.subject.text !== issuer && rest(a.subject.text) === issuerRest)) score += 1;
  // Trust anchors given for this very run (the user expects them to work here), and one that shares a
  // distinctive word with the missing issuer ("Acme Root" / "Acme Issuing"): weak hints of a gap below a trusted root.
  if (x.anchors.length) score += 0.5;
  const words = (dn: string) =>
    new Set(
      (/(?:^|,)CN=([^,]+)/.exec(dn)?.[1] ?? "")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 1 && !["ca", "root", "intermediate", "issuing", "sub", "int", "the", "of", "certificate", "authority", "tls", "ssl", "server", "client", "g1", "g2", "g3"].includes(w)),
    );
  const issuerWords = words(issuer);
  if (x.anchors.some((a) => [...words(a.subject.text)].some((w) => issuerWords.has(w)))) score += 0.5;
  if (last !== chain[0] && last.isCA && score <= 0) return false;
  return score >= 1;
}
