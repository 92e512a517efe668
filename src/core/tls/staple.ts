/**
 * The stapled OCSP response of a handshake (RFC 6066 §8, RFC 8446 §4.4.2.1): checked against the leaf and its
 * issuer (from the server's chain, the trust anchors given, or the system roots), turned into the result's
 * `ocsp` field, a warning when it does not check out, and the `revoked` diagnosis when it says so.
 */
import * as tls from "node:tls";
import type { Diagnosis, HandshakeResult, OcspStapleInfo, SctInfo } from "../../shared/model";
import { evaluateOcspResponse } from "../pki/ocspCheck";
import { certificateParts } from "../pki/certificate";
import { children, oid, raw } from "../pki/der";
import { decodeExtension } from "../pki/extensions";
import { findIssuer } from "../revocation/path";
import { certificatesFromBytes } from "../pki/inspect";
import { formatName } from "../pki/name";
import { checkScts, embeddedSctList } from "../pki/sct";
import { english, type Translate } from "../../shared/format";

export interface StapleVerdict {
  ocsp: OcspStapleInfo;
  /** The staple's SCT list (for certificate transparency), when it is valid and has one. */
  sctList?: Uint8Array;
  issuer?: Uint8Array;
  warnings: string[];
  /** Set when a valid staple says the certificate is revoked. */
  diagnosis?: Diagnosis;
}

let systemRootDers: Uint8Array[] | undefined;
/** Node's bundled root store as DER, decoded once (also the editor's "Check revocation" issuer candidates). */
export function systemRoots(): Uint8Array[] {
  systemRootDers ??= certificatesFromBytes(new TextEncoder().encode(tls.rootCertificates.join("\n"))).certs;
  return systemRootDers;
}

/** RFC 7633 "must-staple": the TLS feature extension (1.3.6.1.5.5.7.1.24) lists status_request. */
function hasMustStaple(leaf: Uint8Array): boolean {
  try {
    const ext = certificateParts(leaf).extensions;
    for (const e of ext ? children(ext) : []) {
      if (oid(children(e)[0]) !== "1.3.6.1.5.5.7.1.24") continue;
      const v = decodeExtension(e).value as { features?: string[] } | undefined;
      return !!v?.features?.includes("status_request");
    }
  } catch {
    /* an unreadable certificate is not known to require stapling */
  }
  return false;
}

/**
 * What the staple says about the server's leaf. `chain` is the server's chain as sent (leaf first),
 * `anchors` the trust anchors given for the run; `useSystemRoots` lets the issuer be a system root.
 */
export function checkStaple(staple: Uint8Array | undefined, chain: Uint8Array[], anchors: Uint8Array[], useSystemRoots: boolean, now?: Date, t: Translate = english): StapleVerdict {
  const warnings: string[] = [];
  const leaf = chain[0];
  if (!staple) {
    if (leaf && hasMustStaple(leaf))
      warnings.push(
        t("The server's certificate requires OCSP stapling (TLS feature status_request, \"must-staple\") but the server stapled no OCSP response: browsers that enforce must-staple refuse it. Enable OCSP stapling on the server."),
      );
    return { ocsp: { stapled: false }, warnings };
  }
  if (!leaf) return { ocsp: { stapled: true, status: "invalid", detail: "no server certificate to check it against" }, warnings };
  let issuer: Uint8Array | undefined;
  try {
    issuer = findIssuer(leaf, chain.slice(1)) ?? findIssuer(leaf, anchors) ?? (useSystemRoots ? findIssuer(leaf, systemRoots()) : undefined);
  } catch {
    issuer = undefined;
  }
  if (!issuer) {
    const detail = t("the issuer of the server's certificate is not known here (not sent, not among the trust anchors), so the staple's signature cannot be checked");
    warnings.push(t("The server stapled an OCSP response, but {0}.", detail));
    return { ocsp: { stapled: true, status: "invalid", detail }, warnings };
  }
  const e = evaluateOcspResponse(staple, leaf, issuer, { at: now });
  const ocsp: OcspStapleInfo = { stapled: true, status: e.status, detail: e.detail };
  const sct = e.status !== "invalid" && e.sctList ? { sctList: e.sctList } : {};
  if (e.thisUpdate) ocsp.thisUpdate = e.thisUpdate;
  if (e.nextUpdate) ocsp.nextUpdate = e.nextUpdate;
  if (e.producedAt) ocsp.producedAt = e.producedAt;
  if (e.responder) ocsp.responder = e.responder;
  if (e.revokedAt) ocsp.revokedAt = e.revokedAt;
  if (e.reason) ocsp.reason = e.reason;
  if (e.status === "invalid") {
    warnings.push(t("The server stapled an OCSP response that does not check out: {0}. Clients ignore such a staple (and refuse the server under must-staple); check the server's OCSP stapling configuration.", e.detail));
  } else if (e.status === "unknown") {
    warnings.push(t("The stapled OCSP response says the responder does not know the server's certificate (\"unknown\"): {0}.", e.detail));
  }
  if (e.status !== "revoked") return { ocsp, warnings, issuer, ...sct };
  let subject = t("the server's certificate");
  try {
    subject = formatName(raw(certificateParts(leaf).subject)).text;
  } catch {
    /* keep the generic words */
  }
  return {
    ocsp,
    warnings,
    issuer,
    ...sct,
    diagnosis: {
      category: "revoked",
      summary: e.reason
        ? t("The server's certificate ({0}) is revoked: its own stapled OCSP response says so (revoked {1}, reason {2}, signed by {3}).", subject, String(e.revokedAt), e.reason, String(e.signer))
        : t("The server's certificate ({0}) is revoked: its own stapled OCSP response says so (revoked {1}, signed by {2}).", subject, String(e.revokedAt), String(e.signer)),
      fix:
        e.reason === "keyCompromise"
          ? t("Issue a new certificate for the server with a new key (the old key is reported compromised), install it, and let the server fetch a fresh OCSP response.")
          : t("Issue a new certificate for the server, install it, and let the server fetch a fresh OCSP response."),
    },
  };
}

/** Step 6b of runHandshake: the staple into the result (`ocsp`, warnings, and `revoked` over any other verdict). */
export function applyStaple(
  result: HandshakeResult,
  staple: Uint8Array | undefined,
  tlsScts: Uint8Array | undefined,
  chain: Uint8Array[],
  anchors: Uint8Array[],
  useSystemRoots: boolean,
  handshakeDone: boolean,
  now?: Date,
  t: Translate = english,
): void {
  if (!handshakeDone && !staple) return;
  const v = checkStaple(staple, chain, anchors, useSystemRoots, now, t);
  result.ocsp = v.ocsp;
  (result.warnings ??= []).push(...v.warnings);
  if (v.diagnosis) {
    result.outcome = "failure";
    result.diagnosis = v.diagnosis;
  }
  const leaf = chain[0];
  if (!leaf) return;
  let issuer = v.issuer;
  try {
    issuer ??= findIssuer(leaf, chain.slice(1)) ?? findIssuer(leaf, anchors) ?? (useSystemRoots ? findIssuer(leaf, systemRoots()) : undefined);
  } catch {
    issuer = undefined;
  }
  const scts: SctInfo[] = [];
  const add = (list: Uint8Array | undefined, source: "embedded" | "tls" | "ocsp") => {
    if (!list) return;
    try {
      scts.push(...checkScts(list, source, leaf, issuer));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      result.warnings!.push(
        source === "tls"
          ? t("The TLS signed_certificate_timestamp extension cannot be read: {0}.", why)
          : source === "ocsp"
            ? t("The stapled OCSP response's SCT list cannot be read: {0}.", why)
            : t("The certificate's embedded SCT list cannot be read: {0}.", why),
      );
    }
  };
  try {
    add(embeddedSctList(leaf), "embedded");
  } catch {
    /* an unreadable leaf has no SCTs to show */
  }
  add(tlsScts, "tls");
  add(v.sctList, "ocsp");
  if (scts.length) result.scts = scts;
  const bad = scts.filter((s) => s.verified === false);
  const logs = bad.map((s) => s.log ?? s.logId).join(", ");
  if (bad.length === 1) result.warnings!.push(t("{0} signed certificate timestamp from {1} did not verify with the log's key: CT-enforcing browsers do not count it.", bad.length, logs));
  else if (bad.length) result.warnings!.push(t("{0} signed certificate timestamps from {1} did not verify with the log's key: CT-enforcing browsers do not count them.", bad.length, logs));
}
