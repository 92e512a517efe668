/**
 * OCSP (RFC 6960) requests and answers about one certificate: building a request (SHA-1 CertID, RFC 5019 style,
 * with an optional RFC 8954 nonce) and checking a response — the CertID matches, the signature is the issuer's or
 * a delegated responder's (§4.2.2.2: a certificate issued directly by the issuer with the id-kp-OCSPSigning EKU),
 * thisUpdate/nextUpdate bracket the validation time, the nonce (when sent and echoed) matches.
 */
import { createHash } from "node:crypto";
import type { ExtensionModel } from "../../shared/model";
import { bitString, bytesEqual, child, children, oid, octets, parse, raw, time, value } from "./der";
import { derIntegerContent, derOctets, derOid, derSeq, tlv } from "./derWrite";
import { certificateParts } from "./certificate";
import { nameFromNode } from "./name";
import { type SignedParts, verifySigned } from "./signature";
import { HASHES, NONCE, type ParsedOcspResponse, type RawCertId, type RawSingle, parseOcspResponse, responderMatches, subjectKeyBits } from "./ocsp";
import { t as tr } from "../l10n";

const OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

// ───────────────────────────── requests ─────────────────────────────


/** CertID of `cert` issued by `issuer` with SHA-1 (RFC 5019 §2.1.1: what every responder answers). */
export function buildCertId(certDer: Uint8Array, issuerDer: Uint8Array, hash = "sha1"): Uint8Array {
  const issuer = certificateParts(issuerDer);
  const hashOid = Object.keys(HASHES).find((k) => HASHES[k] === hash) ?? "1.3.14.3.2.26";
  const h = (b: Uint8Array) => new Uint8Array(createHash(hash).update(b).digest());
  return derSeq(
    derSeq(derOid(hashOid), Uint8Array.of(5, 0)),
    derOctets(h(raw(issuer.subject))),
    derOctets(h(subjectKeyBits(issuerDer))),
    derIntegerContent(value(certificateParts(certDer).serial)),
  );
}

/** OCSPRequest for one certificate, unsigned, with a nonce extension when `nonce` is given. */
export function buildOcspRequest(certDer: Uint8Array, issuerDer: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const request = derSeq(buildCertId(certDer, issuerDer));
  const parts = [derSeq(request)];
  if (nonce) parts.push(tlv(0xa2, derSeq(derSeq(derOid(NONCE), derOctets(derOctets(nonce))))));
  return derSeq(derSeq(...parts));
}

// ───────────────────────────── checking ─────────────────────────────

export interface OcspEvaluation {
  /** invalid: the answer does not check out (signature, CertID, time, nonce, or an error status). */
  status: "good" | "revoked" | "unknown" | "invalid";
  revokedAt?: string;
  reason?: string;
  thisUpdate?: string;
  nextUpdate?: string;
  producedAt?: string;
  responder?: string;
  /** Who signed it: the issuer itself or a delegated responder (its subject). */
  signer?: string;
  /** Plain words: what was checked, or what failed. */
  detail: string;
  /** Extensions of the SingleResponse (SCTs in a stapled response live here). */
  singleExtensions?: ExtensionModel[];
  /** The TLS-encoded SCT list among them, for verification. */
  sctList?: Uint8Array;
}


function hasEku(certDer: Uint8Array, ekuOid: string): boolean {
  const ext = certificateParts(certDer).extensions;
  if (!ext) return false;
  for (const e of children(ext)) {
    const parts = children(e);
    if (oid(parts[0]) !== "2.5.29.37") continue;
    return children(parse(octets(parts[parts.length - 1]))).some((x) => oid(x) === ekuOid);
  }
  return false;
}

function validAt(certDer: Uint8Array, at: Date): boolean {
  const [nb, na] = children(certificateParts(certDer).validity);
  const t = at.getTime();
  return Date.parse(time(nb)) <= t && t <= Date.parse(time(na));
}

/** §4.2.2.2: the issuer signed it, or a responder certificate the issuer issued with id-kp-OCSPSigning. */
function checkSigner(p: ParsedOcspResponse, issuerDer: Uint8Array, at: Date): { ok: true; signer: string } | { ok: false; why: string } {
  const issuer = certificateParts(issuerDer);
  const issuerName = nameFromNode(issuer.subject).text;
  if (!p.signed) return { ok: false, why: tr("the response carries no signature") };
  if (responderMatches(p, issuerDer)) {
    return verifySigned(p.signed, raw(issuer.spki)) ? { ok: true, signer: issuerName } : { ok: false, why: tr("the signature does not verify with the issuer's key ({0})", issuerName) };
  }
  const delegate = p.certs.find((c) => responderMatches(p, c));
  if (!delegate) return { ok: false, why: tr("signed by {0}, which is neither the issuer nor a responder certificate included in the response", p.model.responder ?? tr("an unnamed responder")) };
  const d = certificateParts(delegate);
  const dName = nameFromNode(d.subject).text;
  if (!bytesEqual(raw(d.issuer), raw(issuer.subject))) return { ok: false, why: tr("the responder certificate {0} was not issued by the certificate's issuer {1}", dName, issuerName) };
  try {
    const outer = children(d.top);
    const parts: SignedParts = { tbs: raw(d.tbs), alg: outer[1], algOid: oid(child(outer[1], 0)), signature: bitString(outer[2]).bytes };
    if (!verifySigned(parts, raw(issuer.spki))) return { ok: false, why: tr("the responder certificate {0} is not signed by {1}", dName, issuerName) };
  } catch {
    return { ok: false, why: tr("the responder certificate {0} cannot be read", dName) };
  }
  if (!hasEku(delegate, OCSP_SIGNING)) return { ok: false, why: tr("the responder certificate {0} lacks the OCSPSigning extended key usage (RFC 6960 §4.2.2.2)", dName) };
  if (!validAt(delegate, at)) return { ok: false, why: tr("the responder certificate {0} is not valid at {1}", dName, at.toISOString()) };
  if (!verifySigned(p.signed, raw(d.spki))) return { ok: false, why: tr("the signature does not verify with the responder certificate's key ({0})", dName) };
  return { ok: true, signer: tr("{0} (delegated by {1})", dName, issuerName) };
}

function certIdMatches(id: RawCertId, certDer: Uint8Array, issuerDer: Uint8Array): boolean {
  const hash = HASHES[id.hashOid];
  if (!hash) return false;
  const h = (b: Uint8Array) => new Uint8Array(createHash(hash).update(b).digest());
  return (
    bytesEqual(id.serial, value(certificateParts(certDer).serial)) &&
    bytesEqual(id.nameHash, h(raw(certificateParts(issuerDer).subject))) &&
    bytesEqual(id.keyHash, h(subjectKeyBits(issuerDer)))
  );
}

export interface EvaluateOptions {
  at?: Date;
  /** The nonce sent: a response that echoes a different one is invalid. */
  nonce?: Uint8Array;
  /** Clock skew allowed on thisUpdate / nextUpdate (default 5 minutes). */
  skewMs?: number;
}

/** Checks an OCSP response (DER) about `certDer` issued by `issuerDer`. Never throws. */
export function evaluateOcspResponse(respDer: Uint8Array, certDer: Uint8Array, issuerDer: Uint8Array, opts: EvaluateOptions = {}): OcspEvaluation {
  const at = opts.at ?? new Date();
  const skew = opts.skewMs ?? 5 * 60_000;
  let p: ParsedOcspResponse;
  try {
    p = parseOcspResponse(respDer);
  } catch (err) {
    return { status: "invalid", detail: tr("the OCSP response cannot be read: {0}", err instanceof Error ? err.message : String(err)) };
  }
  const m = p.model;
  const base = { responder: m.responder, producedAt: m.producedAt };
  if (m.responseStatus !== "successful") return { ...base, status: "invalid", detail: tr("the responder answered \"{0}\" instead of a status", m.responseStatus) };
  if (m.responseType !== "basic") return { ...base, status: "invalid", detail: tr("unsupported response type {0}", m.responseType) };
  let single: RawSingle | undefined;
  try {
    single = p.singles.find((s) => certIdMatches(s.certId, certDer, issuerDer));
  } catch (err) {
    return { ...base, status: "invalid", detail: tr("the certificate or its issuer cannot be read: {0}", err instanceof Error ? err.message : String(err)) };
  }
  if (!single) return { ...base, status: "invalid", detail: tr("the response is not about this certificate (no matching CertID: serial number or issuer hashes differ)") };
  const s = single.model;
  const fields = {
    ...base,
    thisUpdate: s.thisUpdate,
    ...(s.nextUpdate ? { nextUpdate: s.nextUpdate } : {}),
    ...(s.extensions ? { singleExtensions: s.extensions } : {}),
    ...(single.sctList ? { sctList: single.sctList } : {}),
  };
  let signer: ReturnType<typeof checkSigner>;
  try {
    signer = checkSigner(p, issuerDer, at);
  } catch (err) {
    signer = { ok: false, why: tr("cannot check the signature: {0}", err instanceof Error ? err.message : String(err)) };
  }
  if (!signer.ok) return { ...fields, status: "invalid", detail: signer.why };
  const t = at.getTime();
  if (Date.parse(s.thisUpdate) > t + skew) return { ...fields, signer: signer.signer, status: "invalid", detail: tr("the response's thisUpdate ({0}) is in the future", s.thisUpdate) };
  if (s.nextUpdate && Date.parse(s.nextUpdate) < t - skew)
    return { ...fields, signer: signer.signer, status: "invalid", detail: tr("the response is stale: its nextUpdate ({0}) has passed", s.nextUpdate) };
  if (opts.nonce && p.nonce && !bytesEqual(opts.nonce, p.nonce)) return { ...fields, signer: signer.signer, status: "invalid", detail: tr("the response's nonce does not match the request's (a replayed answer?)") };
  const detail = !opts.nonce
    ? tr("signed by {0}", signer.signer)
    : p.nonce
      ? tr("signed by {0}, nonce echoed", signer.signer)
      : tr("signed by {0}, no nonce echoed (a pre-produced answer)", signer.signer);
  if (s.status === "revoked") return { ...fields, signer: signer.signer, status: "revoked", revokedAt: s.revokedAt, ...(s.reason ? { reason: s.reason } : {}), detail };
  return { ...fields, signer: signer.signer, status: s.status, detail };
}
