/**
 * Plain words for OCSP requests and responses (issue 14), shared by the tree, the hover, the viewer and the
 * Outline so that each says the same thing: "good for serial 1a2b, from CN=Lab OCSP, next update …".
 */
import type { CertificateModel, OcspRequestModel, OcspResponseModel, OcspSingleResponseModel, SctInfo } from "../../shared/model";
import { defaultT, formatTime, type Translate } from "./format";

/** One SingleResponse in a line: "serial 1a2b: revoked 2026-… (keyCompromise)". */
export function singleResponseText(s: OcspSingleResponseModel, t: Translate = defaultT): string {
  const status = s.status === "revoked" ? t("revoked {0}", formatTime(s.revokedAt)) + (s.reason ? ` (${s.reason})` : "") : s.status === "good" ? t("good") : t("unknown");
  return t("serial {0}: {1}", s.certId.serialNumber, status);
}

/** The object's label: "OCSP response: good" / "OCSP response: tryLater" / "OCSP request (1 certificate)". */
export function ocspTitle(o: OcspResponseModel | OcspRequestModel, t: Translate = defaultT): string {
  if (o.kind === "ocspRequest") return t("OCSP request ({0})", o.requests.length === 1 ? t("1 certificate") : t("{0} certificates", o.requests.length));
  if (o.responseStatus !== "successful") return t("OCSP response: {0}", o.responseStatus);
  const statuses = [...new Set(o.responses.map((r) => r.status))];
  return t("OCSP response: {0}", statuses.join(", ") || t("no status"));
}

/** Label/value pairs for the rows of a tree, hover or viewer section. */
export function ocspFacts(o: OcspResponseModel | OcspRequestModel, t: Translate = defaultT): [string, string][] {
  const out: [string, string][] = [];
  if (o.kind === "ocspRequest") {
    for (const r of o.requests) out.push([t("Certificate"), t("serial {0} (issuer key hash {1})", r.certId.serialNumber, r.certId.issuerKeyHash)]);
    if (o.nonce) out.push([t("Nonce"), o.nonce]);
    out.push([t("Signed"), o.signed ? t("yes") : t("no")]);
    return out;
  }
  out.push([t("Response status"), o.responseStatus]);
  if (o.responder) out.push([t("Responder"), o.responder]);
  if (o.producedAt) out.push([t("Produced at"), formatTime(o.producedAt)]);
  for (const s of o.responses) {
    out.push([t("Status"), singleResponseText(s, t)]);
    out.push([t("This update"), formatTime(s.thisUpdate)]);
    if (s.nextUpdate) out.push([t("Next update"), formatTime(s.nextUpdate)]);
  }
  if (o.nonce) out.push([t("Nonce"), o.nonce]);
  if (o.signatureAlgorithm) out.push([t("Signature algorithm"), o.signatureAlgorithm]);
  if (o.certificates?.length) out.push([t("Responder certificate"), o.certificates.map((c) => c.subject.text).join("; ")]);
  if (o.signatureValid !== undefined) out.push([t("Signature"), o.signatureValid ? t("valid (by the included responder certificate)") : t("does not verify with the included responder certificate")]);
  return out;
}

/** The certificate's embedded SCTs in a line: "3 SCTs from Google Argon2026h1, … (2 verified)"; undefined when none. */
export function sctText(c: CertificateModel, t: Translate = defaultT): string | undefined {
  const ext = c.extensions?.find((e) => e.oid === "1.3.6.1.4.1.11129.2.4.2");
  if (!ext) return undefined;
  const scts = (ext.value as { scts?: SctInfo[] } | undefined)?.scts;
  if (!scts) return ext.text;
  const names = scts.map((s) => s.log ?? t("an unknown log ({0}…)", s.logId.slice(0, 8)));
  const head = scts.length === 1 ? t("1 SCT from {0}", names[0]) : t("{0} SCTs from {1}", scts.length, names.join(", "));
  const ok = scts.filter((s) => s.verified === true).length;
  const bad = scts.filter((s) => s.verified === false).length;
  const notes = [ok ? t("{0} verified", ok) : "", bad ? t("{0} with a bad signature", bad) : ""].filter(Boolean);
  return notes.length ? `${head} (${notes.join(", ")})` : head;
}
