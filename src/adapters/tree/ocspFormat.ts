/**
 * Plain words for OCSP requests and responses (issue 14), shared by the tree, the hover, the viewer and the
 * Outline so that each says the same thing: "good for serial 1a2b, from CN=Lab OCSP, next update …".
 */
import type { OcspRequestModel, OcspResponseModel, OcspSingleResponseModel } from "../../shared/model";
import { defaultT, formatTime, type Translate } from "./format";

/** One SingleResponse in a line: "serial 1a2b: revoked 2026-… (keyCompromise)". */
export function singleResponseText(s: OcspSingleResponseModel, t: Translate = defaultT): string {
  const status = s.status === "revoked" ? t("revoked {0}", formatTime(s.revokedAt)) + (s.reason ? ` (${s.reason})` : "") : t(s.status);
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
