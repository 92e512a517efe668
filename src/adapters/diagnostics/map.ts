/**
 * Problems for the PKI blocks of a document: expired, not yet valid, expiring soon, weak signature, weak RSA
 * key, malformed block, and a note when the file was too large to read whole. Pure (no vscode): the
 * provider turns `DiagnosticSpec` into vscode.Diagnostic with `source: "CertScope"`.
 */
import type { DocRange, DocEntry, DocFacts } from "../../core/doc/types";
import type { PkiObject } from "../../shared/model";
import { deriveFacts } from "../../core/doc/facts";
import { crlUpdatePhrase, expiryPhrase, formatTime, isEmbedded, shortName, type Translate } from "../documents/describe";

export type DiagnosticCode = "expired" | "not-yet-valid" | "expiring" | "crl-outdated" | "weak-signature" | "weak-key" | "malformed" | "truncated" | "too-many" | "encoding";

export interface DiagnosticSpec {
  range: DocRange;
  severity: "error" | "warning" | "information";
  message: string;
  code: DiagnosticCode;
}

export interface DiagnosticOptions {
  /** Whether the file's whole content is PEM (by its name): otherwise every block counts as embedded. */
  pemFile: boolean;
  /** `certscope.diagnostics.embeddedBlocks`. */
  embeddedBlocks: boolean;
  now: Date;
  expiryWarningDays: number;
  /** The analysis' truncation note, reported once at the top of the file. */
  truncated?: string;
}

function forObject(o: PkiObject, facts: DocFacts, range: DocRange, t: Translate, out: DiagnosticSpec[], prefix = ""): void {
  const e = facts.expiry;
  if (o.kind === "certificate") {
    const name = `${prefix}${t("Certificate {0}", shortName(o.subject, t))}`;
    if (e?.status === "expired") {
      out.push({ range, severity: "error", code: "expired", message: t("{0} {1} (not after {2}).", name, expiryPhrase(e, t), formatTime(o.notAfter)) });
    } else if (e?.status === "not_yet_valid") {
      out.push({ range, severity: "warning", code: "not-yet-valid", message: t("{0} is not yet valid: {1} (not before {2}).", name, expiryPhrase(e, t), formatTime(o.notBefore)) });
    } else if (e?.status === "expiring") {
      out.push({ range, severity: "warning", code: "expiring", message: t("{0} {1} (not after {2}).", name, expiryPhrase(e, t), formatTime(o.notAfter)) });
    }
    if (facts.weakSignature) {
      // A self-signed root's own signature is never checked by verifiers: worth knowing, not a warning.
      out.push({
        range,
        severity: o.selfSigned ? "information" : "warning",
        code: "weak-signature",
        message: t("{0} is signed with {1}, which is no longer considered secure (use SHA-256 or better).", name, facts.weakSignature),
      });
    }
  } else if (o.kind === "crl" && e?.status === "expired") {
    out.push({ range, severity: "warning", code: "crl-outdated", message: t("CRL {0} is out of date: {1}.", shortName(o.issuer, t), crlUpdatePhrase(e, t)) });
  } else if ((o.kind === "csr" || o.kind === "crl") && facts.weakSignature) {
    out.push({ range, severity: "warning", code: "weak-signature", message: t("{0} is signed with {1}, which is no longer considered secure (use SHA-256 or better).", o.kind === "csr" ? t("The CSR") : t("The CRL"), facts.weakSignature) });
  }
  encodingErrors(o, range, t, out, prefix);
  if (facts.weakKey) {
    out.push({
      range,
      severity: "warning",
      code: "weak-key",
      message: t("{0}{1} key of {2} bits is too small: use at least 2048 bits.", prefix, facts.weakKey.algorithm, facts.weakKey.bits),
    });
  }
}

/** Most encoding errors listed per object; the rest are counted in one more line (the viewer lists them all). */
const MAX_ENCODING_PER_OBJECT = 5;

/** The object's encoding findings of severity error (warnings stay in the viewer, tree and hover). */
function encodingErrors(o: PkiObject, range: DocRange, t: Translate, out: DiagnosticSpec[], prefix: string): void {
  const errors = (o.findings ?? []).filter((f) => f.severity === "error");
  const what = o.kind === "certificate" ? t("Certificate {0}", shortName(o.subject, t)) : o.kind === "csr" ? t("The CSR") : o.kind === "crl" ? t("The CRL") : t("The key");
  for (const f of errors.slice(0, MAX_ENCODING_PER_OBJECT)) {
    out.push({ range, severity: "error", code: "encoding", message: t("{0}{1}: encoding error in {2}: {3}", prefix, what, f.where, f.message) });
  }
  if (errors.length > MAX_ENCODING_PER_OBJECT) {
    out.push({ range, severity: "error", code: "encoding", message: t("{0}{1}: {2} more encoding errors (open it in the Certificate Viewer for the list).", prefix, what, errors.length - MAX_ENCODING_PER_OBJECT) });
  }
}

export function documentDiagnostics(entries: readonly DocEntry[], opts: DiagnosticOptions, t: Translate): DiagnosticSpec[] {
  const out: DiagnosticSpec[] = [];
  if (opts.truncated) {
    const top = { line: 0, character: 0 };
    out.push({ range: { start: top, end: top }, severity: "information", code: "truncated", message: t("CertScope: {0}.", opts.truncated) });
  }
  for (const entry of entries) {
    if (!opts.embeddedBlocks && isEmbedded(entry, opts.pemFile)) continue;
    const range = entry.block.range;
    if (entry.error) {
      out.push({ range, severity: "error", code: "malformed", message: t("Malformed PEM block '{0}': {1}", entry.block.label, entry.error) });
      continue;
    }
    const o = entry.object;
    if (!o) continue;
    if (o.kind === "pkcs7" || o.kind === "pkcs12") {
      o.objects.forEach((inner, i) => forObject(inner, deriveFacts(inner, opts.now, opts.expiryWarningDays), range, t, out, t("PKCS#7 item {0}: ", i + 1)));
    } else {
      forObject(o, entry.facts, range, t, out);
    }
  }
  return out;
}

/**
 * The encoding errors of a binary file's objects (DER, PKCS#12 … shown in the viewer, no text to point into):
 * all on the first line, containers' nested objects included.
 */
export function fileEncodingDiagnostics(objects: readonly PkiObject[], t: Translate): DiagnosticSpec[] {
  const out: DiagnosticSpec[] = [];
  const top = { line: 0, character: 0 };
  const range = { start: top, end: top };
  for (const o of objects) {
    if (o.kind === "pkcs7" || o.kind === "pkcs12") o.objects.forEach((inner, i) => encodingErrors(inner, range, t, out, t("PKCS#7 item {0}: ", i + 1)));
    else encodingErrors(o, range, t, out, "");
  }
  return out;
}

/** At most `max` problems, errors first; the rest summed up in one note on the first line. */
export function capDiagnostics(specs: DiagnosticSpec[], max: number, t: Translate): DiagnosticSpec[] {
  if (specs.length <= max) return specs;
  const rank = { error: 0, warning: 1, information: 2 } as const;
  const kept = specs
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank[a.s.severity] - rank[b.s.severity] || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
  const top = { line: 0, character: 0 };
  kept.push({ range: { start: top, end: top }, severity: "information", code: "too-many", message: t("CertScope found {0} more problems in this file that are not listed.", specs.length - max) });
  return kept;
}
