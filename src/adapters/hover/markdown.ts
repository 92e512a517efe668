/**
 * The hover of one PEM block as Markdown. Pure (no vscode): the provider wraps the result in a MarkdownString
 * whose `isTrusted` allows only HOVER_COMMANDS. Every value that comes from the certificate is attacker-
 * controlled text: `md()` escapes all Markdown punctuation and control characters, so a subject can never
 * become a link, an image, HTML or a command.
 */
import type { CertificateModel, CrlModel, CsrModel, PkiObject, PrivateKeyModel } from "../../shared/model";
import type { DocEntry, ExpiryFact } from "../../core/doc/types";
import { expiryOf } from "../../core/doc/facts";
import { colonHex, crlUpdatePhrase, entryTitle, expiryPhrase, formatTime, keyText, shortName, type Translate } from "../documents/describe";
import { commandUri, type BlockRef } from "../documents/links";
import { ocspFacts, sctText } from "../tree/ocspFormat";
import { escapeControl } from "../../shared/safeText";

export interface HoverContext {
  uri: string;
  now: Date;
  expiryWarningDays: number;
  t: Translate;
}

const MAX_VALUE = 300;
const MAX_SANS = 20;
const MAX_ITEMS = 30;

/** Escapes text for Markdown: control characters are shown as `\x1b` (../../shared/safeText.ts), every ASCII punctuation mark is backslashed. */
export function md(text: string, max = MAX_VALUE): string {
  let s = escapeControl(text);
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&"'=:;/@$%^?,]/g, "\\$&");
}

function row(label: string, value: string): string {
  return `| ${label} | ${value} |`;
}

function table(rows: string[]): string[] {
  return rows.length ? ["| | |", "|---|---|", ...rows] : [];
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "$(error) **Expired 3 days ago**" — the status line of a certificate. */
export function statusLine(e: ExpiryFact, t: Translate): string {
  const icon = e.status === "expired" ? "$(error)" : e.status === "not_yet_valid" ? "$(clock)" : e.status === "expiring" ? "$(warning)" : "$(pass)";
  return `${icon} **${md(cap(expiryPhrase(e, t)))}**`;
}

function validityRow(notBefore: string, notAfter: string, e: ExpiryFact | undefined, t: Translate): string {
  const range = `${md(formatTime(notBefore))} → ${md(formatTime(notAfter))}`;
  return row(t("Valid"), e ? `${range} (${md(expiryPhrase(e, t))})` : range);
}

function certificateRows(c: CertificateModel, e: ExpiryFact | undefined, t: Translate): string[] {
  const rows = [row(t("Subject"), md(c.subject.text)), row(t("Issuer"), c.selfSigned ? t("self-signed") : md(c.issuer.text))];
  rows.push(validityRow(c.notBefore, c.notAfter, e, t));
  if (c.subjectAltNames.length) {
    const shown = c.subjectAltNames.slice(0, MAX_SANS).map((g) => md(`${g.type.toUpperCase()}:${g.value}`, 120));
    const more = c.subjectAltNames.length - shown.length;
    rows.push(row(t("SANs"), shown.join(", ") + (more > 0 ? md(t(" and {0} more", more)) : "")));
  }
  rows.push(row(t("Key"), md(keyText(c.publicKey, t))));
  if (c.signatureAlgorithm) rows.push(row(t("Signature"), md(c.signatureAlgorithm)));
  if (c.isCA) rows.push(row(t("CA"), t("yes")));
  const ct = sctText(c, t);
  if (ct) rows.push(row(t("CT"), md(ct)));
  // colonHex keeps only hex digits and colons: nothing to escape (and a backslash would show inside code).
  rows.push(row(t("Serial"), c.serialNumberSigned ? `\`${md(c.serialNumberSigned, 80)}\` ${md(t("(negative; encoded as {0})", colonHex(c.serialNumber).slice(0, 120)))}` : `\`${colonHex(c.serialNumber).slice(0, 120)}\``));
  rows.push(row("SHA-256", `\`${colonHex(c.fingerprints.sha256)}\``));
  return rows;
}

function csrRows(c: CsrModel, t: Translate): string[] {
  const rows = [row(t("Subject"), md(c.subject.text))];
  if (c.subjectAltNames.length) rows.push(row(t("Requested SANs"), c.subjectAltNames.slice(0, MAX_SANS).map((g) => md(`${g.type.toUpperCase()}:${g.value}`, 120)).join(", ")));
  rows.push(row(t("Key"), md(keyText(c.publicKey, t))));
  rows.push(row(t("Signature"), `${md(c.signatureAlgorithm)} (${c.signatureValid ? t("valid") : t("**invalid**")})`));
  if (c.publicKey.spkiSha256) rows.push(row(t("Key SHA-256"), `\`${colonHex(c.publicKey.spkiSha256)}\``));
  return rows;
}

function crlRows(c: CrlModel, e: ExpiryFact | undefined, t: Translate): string[] {
  const rows = [row(t("Issuer"), md(c.issuer.text)), row(t("This update"), md(formatTime(c.thisUpdate)))];
  if (c.nextUpdate) rows.push(row(t("Next update"), `${md(formatTime(c.nextUpdate))}${e ? ` (${md(crlUpdatePhrase(e, t))})` : ""}`));
  rows.push(row(t("Revoked"), String(c.entries.length)));
  if (c.crlNumber) rows.push(row(t("CRL number"), md(c.crlNumber)));
  rows.push(row(t("Signature"), md(c.signatureAlgorithm)));
  return rows;
}

function keyRows(k: PrivateKeyModel, t: Translate): string[] {
  const rows: string[] = [];
  if (k.publicKey) rows.push(row(t("Key"), md(keyText(k.publicKey, t))));
  if (k.format) rows.push(row(t("Format"), md(k.format)));
  rows.push(row(t("Encrypted"), k.encrypted ? md(k.encryption?.join(", ") || t("yes")) : t("no")));
  if (k.publicKey?.spkiSha256) rows.push(row(t("Public key SHA-256"), `\`${colonHex(k.publicKey.spkiSha256)}\``));
  return rows;
}

function objectRows(o: PkiObject, e: ExpiryFact | undefined, ctx: HoverContext): string[] {
  const t = ctx.t;
  switch (o.kind) {
    case "certificate":
      return certificateRows(o, e, t);
    case "csr":
      return csrRows(o, t);
    case "crl":
      return crlRows(o, e, t);
    case "privateKey":
      return keyRows(o, t);
    case "publicKey": {
      const rows = [row(t("Key"), md(keyText(o.publicKey, t)))];
      if (o.publicKey.spkiSha256) rows.push(row(t("Key SHA-256"), `\`${colonHex(o.publicKey.spkiSha256)}\``));
      return rows;
    }
    case "pkcs7":
    case "pkcs12": {
      const rows = o.objects.slice(0, MAX_ITEMS).map((inner, i) => {
        if (inner.kind !== "certificate") return row(String(i + 1), md(inner.kind));
        const ie = expiryOf(inner.notBefore, inner.notAfter, ctx.now, ctx.expiryWarningDays);
        return row(String(i + 1), `${md(shortName(inner.subject, t))}${ie ? ` — ${md(expiryPhrase(ie, t))}` : ""}`);
      });
      if (o.objects.length > MAX_ITEMS) rows.push(row("…", md(t("and {0} more", o.objects.length - MAX_ITEMS))));
      return rows;
    }
    case "ocspResponse":
    case "ocspRequest":
      return ocspFacts(o, t).map(([k, v]) => row(k, md(v)));
  }
}

/**
 * "$(error) 3 encoding problems (1 error): first message…" — the count of the object's encoding findings (a
 * container: of its nested objects), the details being in the viewer's "Encoding problems" section.
 */
export function encodingLine(o: PkiObject, t: Translate): string | undefined {
  const fs = o.kind === "pkcs7" || o.kind === "pkcs12" ? o.objects.flatMap((x) => x.findings ?? []) : (o.findings ?? []);
  if (!fs.length) return undefined;
  const errors = fs.filter((f) => f.severity === "error").length;
  const count = fs.length === 1 ? t("1 encoding problem") : t("{0} encoding problems", fs.length);
  const detail = errors ? (errors === 1 ? t("1 error") : t("{0} errors", errors)) : t("warnings only");
  return `${errors ? "$(error)" : "$(warning)"} **${md(count)}** (${md(detail)}): ${md(fs[0].message, 160)}`;
}

/** The Markdown of the hover for `entry`. */
export function hoverMarkdown(entry: DocEntry, ctx: HoverContext): string {
  const t = ctx.t;
  const b = entry.block;
  const ref: BlockRef = { uri: ctx.uri, line: b.line, index: b.index };
  const out: string[] = [`**${md(entryTitle(entry, t))}**`];
  if (entry.error) {
    out.push("", `$(error) ${md(entry.error, 600)}`);
    if (b.encoding === "base64-secret") out.push("", md(t("The block is base64-encoded in this file (as in a Kubernetes Secret).")));
    return out.join("\n");
  }
  const o = entry.object;
  if (!o) {
    if (entry.unsupported) out.push("", md(t("CertScope does not decode this block: {0}", entry.unsupported)));
    else out.push("", md(b.kind === "parameters" ? t("Key parameters; CertScope lists them but does not decode them.") : t("CertScope does not decode PEM blocks of type {0}.", b.label)));
    return out.join("\n");
  }
  const e = entry.facts.expiry;
  if (o.kind === "certificate" && e) out.push("", statusLine(e, t));
  if (o.kind === "crl" && e && e.status === "expired") out.push("", `$(warning) **${md(cap(crlUpdatePhrase(e, t)))}**`);
  const warnings: string[] = [];
  if (entry.facts.weakSignature) warnings.push(t("weak signature algorithm {0}", entry.facts.weakSignature));
  if (entry.facts.weakKey) warnings.push(t("weak key: {0} {1} bits", entry.facts.weakKey.algorithm, entry.facts.weakKey.bits));
  if (warnings.length) out.push("", `$(warning) ${md(cap(warnings.join("; ")))}`);
  const enc = encodingLine(o, t);
  if (enc) out.push("", enc);
  out.push("", ...table(objectRows(o, e, ctx)));
  if (b.encoding === "base64-secret") out.push("", `_${md(t("Decoded from the base64 value in this file."))}_`);
  if (b.encoding === "base64-der") out.push("", `_${md(t("Decoded from base64 DER without PEM armour (as in a JWKS x5c entry)."))}_`);
  const links = [`[${md(t("Open in Certificate Viewer"))}](${commandUri("certscope.openViewer", ref)})`];
  if (o.kind === "certificate" || o.kind === "pkcs7") links.push(`[${md(t("Validate Chain"))}](${commandUri("certscope.validateChain", ref)})`);
  out.push("", links.join(" · "));
  return out.join("\n");
}
