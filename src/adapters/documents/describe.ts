/**
 * Plain-words descriptions of document entries, shared by hover, Outline, CodeLens and diagnostics. Pure (no
 * vscode, no Node): tested in plain Node. User-facing strings go through an injected `t`; the adapters pass
 * `vscode.l10n.t`, tests use `defaultT`, which fills `{0}` placeholders the way l10n does.
 */
import type { DistinguishedName, PkiObject, PublicKeyInfo } from "../../shared/model";
import type { DocEntry, ExpiryFact } from "../../core/doc/types";
import { attribute, colonHex, defaultT, formatTime, type Translate } from "../tree/format";
import { ocspTitle } from "../tree/ocspFormat";

// The same plain-words helpers as the tree and viewer (one implementation, in ../tree/format).
export { colonHex, defaultT, formatTime, type Translate };

/** File names whose whole content is PEM: their blocks are never "embedded". */
const PEM_FILE = /\.(pem|crt|cer|cert|csr|req|key|crl|pub|chain|ca-bundle|p7b|p7c|spc)$/i;

export function isPemFileName(fileName: string): boolean {
  return PEM_FILE.test(fileName);
}

/**
 * Whether a document is "a PEM file" for diagnostics: by its name, or an untitled plain-text buffer (pasted
 * PEM). Language ids some extensions give PEM files count too.
 */
export function isPemDocument(fileName: string, languageId: string, untitled: boolean): boolean {
  return isPemFileName(fileName) || /^(pem|x509|certificate|crt)$/i.test(languageId) || (untitled && languageId === "plaintext");
}

/** Whether diagnostics treat this entry as embedded in another file. */
export function isEmbedded(entry: DocEntry, pemFile: boolean): boolean {
  return !pemFile || entry.block.embedded;
}

/** "CN=good.example" — the most specific name of a DN as `TYPE=value`, else its whole text. */
export function shortName(dn: DistinguishedName | undefined, t: Translate): string {
  if (!dn) return t("(no name)");
  for (const type of ["CN", "OU", "O", "emailAddress"]) {
    const v = attribute(dn, type);
    if (v !== undefined) return `${type}=${v}`;
  }
  return dn.text || t("(empty name)");
}

/** "RSA 2048", "EC P-256", "Ed25519". */
export function keyText(pk: PublicKeyInfo | undefined, t: Translate): string {
  if (!pk) return t("unknown key");
  if (pk.curve) return `${pk.algorithm} ${pk.curve}`;
  if (pk.bits && !/^(Ed|X)(25519|448)$/.test(pk.algorithm)) return `${pk.algorithm} ${pk.bits}`;
  return pk.algorithm;
}

function days(n: number, t: Translate, one: string, many: string, zero: string): string {
  if (n === 0) return t(zero);
  return n === 1 ? t(one) : t(many, n);
}

/** "expires in 23 days", "expired 3 days ago", "not valid for another 2 days", for a certificate. */
export function expiryPhrase(e: ExpiryFact, t: Translate): string {
  switch (e.status) {
    case "expired":
      return days(e.days, t, "expired 1 day ago", "expired {0} days ago", "expired today");
    case "not_yet_valid":
      return days(e.days, t, "not valid for another day", "not valid for another {0} days", "not valid until later today");
    default:
      return days(e.days, t, "expires in 1 day", "expires in {0} days", "expires today");
  }
}

/** The same for a CRL, whose "expiry" is its next update. */
export function crlUpdatePhrase(e: ExpiryFact, t: Translate): string {
  switch (e.status) {
    case "expired":
      return days(e.days, t, "next update was due 1 day ago", "next update was due {0} days ago", "next update was due today");
    case "not_yet_valid":
      return days(e.days, t, "issued for tomorrow", "issued for {0} days from now", "issued for later today");
    default:
      return days(e.days, t, "next update in 1 day", "next update in {0} days", "next update today");
  }
}

function count(n: number, t: Translate, one: string, many: string): string {
  return n === 1 ? t(one) : t(many, n);
}

/** The name of an entry in lists (Outline, breadcrumbs): "Certificate CN=…", "Private key (RSA 2048)". */
export function entryTitle(entry: DocEntry, t: Translate): string {
  const o = entry.object;
  if (entry.error) return t("Malformed {0} block", entry.block.label);
  if (!o) return t("{0} block", entry.block.label);
  return objectTitle(o, t);
}

export function objectTitle(o: PkiObject, t: Translate): string {
  switch (o.kind) {
    case "certificate":
      return t("Certificate {0}", shortName(o.subject, t));
    case "csr":
      return t("CSR {0}", shortName(o.subject, t));
    case "crl":
      return t("CRL {0}", shortName(o.issuer, t));
    case "privateKey":
      return o.publicKey ? t("Private key ({0})", keyText(o.publicKey, t)) : o.encrypted ? t("Encrypted private key") : t("Private key");
    case "publicKey":
      return t("Public key ({0})", keyText(o.publicKey, t));
    case "pkcs7":
      return t("PKCS#7 ({0})", count(o.objects.length, t, "1 object", "{0} objects"));
    case "pkcs12":
      return t("PKCS#12 ({0})", count(o.objects.length, t, "1 object", "{0} objects"));
    case "ocspResponse":
    case "ocspRequest":
      return ocspTitle(o, t);
  }
}

/** One line of facts for the Outline's detail and similar places. */
export function entryDetail(entry: DocEntry, t: Translate): string {
  if (entry.error) return entry.error;
  if (entry.unsupported) return t("not decoded");
  const o = entry.object;
  if (!o) return entry.block.kind === "parameters" ? t("parameters") : t("not decoded");
  const parts: string[] = [];
  if (o.kind === "certificate" && entry.facts.expiry) parts.push(expiryPhrase(entry.facts.expiry, t));
  if (o.kind === "crl") {
    parts.push(count(o.entries.length, t, "1 revoked", "{0} revoked"));
    if (entry.facts.expiry) parts.push(crlUpdatePhrase(entry.facts.expiry, t));
  }
  if (o.kind === "certificate" || o.kind === "csr") parts.push(keyText(o.publicKey, t));
  if (o.kind === "privateKey" && o.encrypted) parts.push(t("encrypted"));
  if (entry.block.encoding === "base64-secret") parts.push(t("base64 in the file"));
  if (entry.block.encoding === "base64-der") parts.push(t("base64 DER"));
  return parts.join(" · ");
}
