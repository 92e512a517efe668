/**
 * OCSP (RFC 6960) on the shared DER reader: decoding requests and responses for `inspect`, building a request
 * (SHA-1 CertID, RFC 5019 style, with an optional RFC 8954 nonce), and checking a response for one certificate:
 * the CertID matches, the signature is the issuer's or a delegated responder's (§4.2.2.2: a certificate issued
 * directly by the issuer with the id-kp-OCSPSigning EKU), thisUpdate/nextUpdate bracket the validation time,
 * the nonce (when sent and echoed) matches.
 */
import { createHash } from "node:crypto";
import type { ExtensionModel, OcspCertIdModel, OcspRequestModel, OcspResponseModel, OcspSingleResponseModel } from "../../shared/model";
import {
  type Node, CLS_CONTEXT, bitString, bytesEqual, child, children, expect, hex, intHex, intNum, isUniversal, oid, octets, parse,
  raw, T, time, tryParse, value,
} from "./der";
import { derIntegerContent, derOctets, derOid, derSeq, tlv } from "./derWrite";
import { PkiError } from "./errors";
import { CRL_REASONS, decodeExtension } from "./extensions";
import { certificateParts, decodeCertificate } from "./certificate";
import { nameFromNode } from "./name";
import { describeSignatureAlgorithm, type SignedParts, verifySigned } from "./signature";
import { digestHex } from "./spki";
import { OCSP_SCT_LIST_OID } from "./sct";

const RESPONSE_STATUS: Record<number, string> = {
  0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater", 5: "sigRequired", 6: "unauthorized",
};
const BASIC = "1.3.6.1.5.5.7.48.1.1";
const NONCE = "1.3.6.1.5.5.7.48.1.2";
const OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1", "2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384", "2.16.840.1.101.3.4.2.3": "sha512",
};
/** Most responses listed from one answer (a responder may answer for many certificates). */
const MAX_SINGLE_RESPONSES = 1000;
const MAX_CERTS = 20;

interface RawCertId {
  node: Node;
  hashOid: string;
  nameHash: Uint8Array;
  keyHash: Uint8Array;
  /** INTEGER content octets as encoded. */
  serial: Uint8Array;
  model: OcspCertIdModel;
}

interface RawSingle {
  certId: RawCertId;
  model: OcspSingleResponseModel;
  /** The TLS-encoded SCT list of the 1.3.6.1.4.1.11129.2.4.5 extension, when present. */
  sctList?: Uint8Array;
}

/** A parsed response with the raw parts signature and CertID checks need. */
export interface ParsedOcspResponse {
  model: OcspResponseModel;
  signed?: SignedParts;
  responderName?: Uint8Array;
  responderKeyHash?: Uint8Array;
  singles: RawSingle[];
  certs: Uint8Array[];
  nonce?: Uint8Array;
}

function certId(n: Node): RawCertId {
  const [alg, nameHash, keyHash, serial] = children(expect(n, T.SEQUENCE, "CertID"));
  const hashOid = oid(child(expect(alg, T.SEQUENCE, "hashAlgorithm"), 0), "hashAlgorithm");
  const nh = octets(nameHash, "issuerNameHash");
  const kh = octets(keyHash, "issuerKeyHash");
  const s = expect(serial, T.INTEGER, "serialNumber");
  return {
    node: n,
    hashOid,
    nameHash: nh,
    keyHash: kh,
    serial: value(s),
    model: { hashAlgorithm: HASHES[hashOid] ?? hashOid, issuerNameHash: hex(nh), issuerKeyHash: hex(kh), serialNumber: intHex(s) },
  };
}

function extensionsOf(n: Node): ExtensionModel[] {
  return children(expect(child(n, 0), T.SEQUENCE, "Extensions")).map(decodeExtension);
}

/** The nonce's bytes: RFC 8954 wraps them in an OCTET STRING; older responders put them bare. */
function nonceOf(n: Node): Uint8Array | undefined {
  for (const e of children(expect(child(n, 0), T.SEQUENCE, "Extensions"))) {
    const parts = children(e);
    if (oid(parts[0]) !== NONCE) continue;
    const v = octets(parts[parts.length - 1], "nonce");
    const inner = tryParse(v);
    return inner && isUniversal(inner, T.OCTET_STRING) ? value(inner) : v;
  }
  return undefined;
}

function sctListOf(n: Node): Uint8Array | undefined {
  for (const e of children(expect(child(n, 0), T.SEQUENCE, "Extensions"))) {
    const parts = children(e);
    if (oid(parts[0]) === OCSP_SCT_LIST_OID) return octets(parse(octets(parts[parts.length - 1])), "SignedCertificateTimestampList");
  }
  return undefined;
}

function singleResponse(n: Node): RawSingle {
  const f = children(expect(n, T.SEQUENCE, "SingleResponse"));
  const id = certId(f[0]);
  const st = f[1];
  if (!st || st.cls !== CLS_CONTEXT) throw new PkiError("malformed", "SingleResponse: certStatus is missing");
  const model: OcspSingleResponseModel = { certId: id.model, status: "unknown", thisUpdate: time(f[2], "thisUpdate") };
  let sctList: Uint8Array | undefined;
  if (st.num === 0) model.status = "good";
  else if (st.num === 1) {
    model.status = "revoked";
    const r = children(st);
    model.revokedAt = time(r[0], "revocationTime");
    if (r[1] && r[1].cls === CLS_CONTEXT && r[1].num === 0) {
      const code = intNum(child(r[1], 0), "revocationReason");
      model.reason = CRL_REASONS[code] ?? String(code);
    }
  } else if (st.num !== 2) throw new PkiError("malformed", `SingleResponse: unknown certStatus [${st.num}]`);
  for (const x of f.slice(3)) {
    if (x.cls !== CLS_CONTEXT) continue;
    if (x.num === 0) model.nextUpdate = time(child(x, 0), "nextUpdate");
    else if (x.num === 1) {
      model.extensions = extensionsOf(x);
      sctList = sctListOf(x);
    }
  }
  return { certId: id, model, ...(sctList ? { sctList } : {}) };
}

/** Parses an OCSPResponse (DER). Throws PkiError on a structure it cannot read. */
export function parseOcspResponse(der: Uint8Array, line?: number): ParsedOcspResponse {
  const top = parse(der);
  const f = children(expect(top, T.SEQUENCE, "OCSPResponse"));
  const code = intNum(f[0], "responseStatus");
  const model: OcspResponseModel = {
    kind: "ocspResponse",
    ...(line !== undefined ? { line } : {}),
    responseStatus: RESPONSE_STATUS[code] ?? String(code),
    responses: [],
    fingerprints: { sha1: digestHex("sha1", der), sha256: digestHex("sha256", der) },
  };
  const out: ParsedOcspResponse = { model, singles: [], certs: [] };
  if (!f[1]) return out;
  if (f[1].cls !== CLS_CONTEXT || f[1].num !== 0) throw new PkiError("malformed", "OCSPResponse: expected [0] responseBytes");
  const [typeNode, respNode] = children(expect(child(f[1], 0), T.SEQUENCE, "ResponseBytes"));
  const type = oid(typeNode, "responseType");
  model.responseType = type === BASIC ? "basic" : type;
  if (type !== BASIC) return out;
  const basic = children(expect(parse(octets(respNode, "response")), T.SEQUENCE, "BasicOCSPResponse"));
  if (basic.length < 3) throw new PkiError("malformed", "BasicOCSPResponse: expected at least 3 elements");
  const tbs = expect(basic[0], T.SEQUENCE, "ResponseData");
  const alg = expect(basic[1], T.SEQUENCE, "signatureAlgorithm");
  out.signed = { tbs: raw(tbs), algOid: oid(child(alg, 0)), alg, signature: bitString(basic[2], "signature").bytes };
  model.signatureAlgorithm = describeSignatureAlgorithm(alg);
  if (basic[3] && basic[3].cls === CLS_CONTEXT && basic[3].num === 0) {
    const certs = children(expect(child(basic[3], 0), T.SEQUENCE, "certs"));
    if (certs.length > MAX_CERTS) throw new PkiError("malformed", `BasicOCSPResponse: ${certs.length} certificates (limit ${MAX_CERTS})`);
    out.certs = certs.map((c) => raw(c));
    model.certificates = out.certs.map((c) => decodeCertificate(c));
  }
  const t = children(tbs);
  let i = t[0] && t[0].cls === CLS_CONTEXT && t[0].num === 0 ? 1 : 0;
  const rid = t[i++];
  if (!rid || rid.cls !== CLS_CONTEXT || (rid.num !== 1 && rid.num !== 2)) throw new PkiError("malformed", "ResponseData: responderID is missing");
  if (rid.num === 1) {
    const name = child(rid, 0);
    out.responderName = raw(name);
    model.responder = nameFromNode(name).text;
  } else {
    out.responderKeyHash = octets(child(rid, 0), "responderID byKey");
    model.responder = `keyHash ${hex(out.responderKeyHash)}`;
  }
  model.producedAt = time(t[i++], "producedAt");
  const list = children(expect(t[i++], T.SEQUENCE, "responses"));
  if (list.length > MAX_SINGLE_RESPONSES) throw new PkiError("malformed", `ResponseData: ${list.length} responses (limit ${MAX_SINGLE_RESPONSES})`);
  out.singles = list.map(singleResponse);
  model.responses = out.singles.map((s) => s.model);
  const ext = t[i];
  if (ext && ext.cls === CLS_CONTEXT && ext.num === 1) {
    model.extensions = extensionsOf(ext);
    out.nonce = nonceOf(ext);
    if (out.nonce) model.nonce = hex(out.nonce);
  }
  // Without the issuer, the signature can only be checked against a certificate carried in the response.
  const signer = out.certs.find((c) => responderMatches(out, c));
  if (signer) model.signatureValid = verifySigned(out.signed, raw(certificateParts(signer).spki));
  return out;
}

/** The `inspect` model of an OCSP response. */
export function decodeOcspResponse(der: Uint8Array, line?: number): OcspResponseModel {
  return parseOcspResponse(der, line).model;
}

/** The `inspect` model of an OCSP request. */
export function decodeOcspRequest(der: Uint8Array, line?: number): OcspRequestModel {
  const f = children(expect(parse(der), T.SEQUENCE, "OCSPRequest"));
  const t = children(expect(f[0], T.SEQUENCE, "TBSRequest"));
  const model: OcspRequestModel = { kind: "ocspRequest", ...(line !== undefined ? { line } : {}), requests: [], signed: !!f[1] };
  for (const x of t) {
    if (isUniversal(x, T.SEQUENCE)) {
      const reqs = children(x);
      if (reqs.length > MAX_SINGLE_RESPONSES) throw new PkiError("malformed", `TBSRequest: ${reqs.length} requests (limit ${MAX_SINGLE_RESPONSES})`);
      model.requests = reqs.map((r) => ({ certId: certId(child(expect(r, T.SEQUENCE, "Request"), 0)).model }));
    } else if (x.cls === CLS_CONTEXT && x.num === 2) {
      model.extensions = extensionsOf(x);
      const n = nonceOf(x);
      if (n) model.nonce = hex(n);
    }
  }
  return model;
}

/** Does this DER look like an OCSP response (SEQUENCE { ENUMERATED, … })? */
export function looksLikeOcspResponse(f: Node[]): boolean {
  return f.length >= 1 && f.length <= 2 && isUniversal(f[0], T.ENUMERATED) && (!f[1] || (f[1].cls === CLS_CONTEXT && f[1].num === 0));
}

/** Does this DER look like an OCSP request (SEQUENCE { TBSRequest { …, SEQUENCE OF Request { CertID } } })? */
export function looksLikeOcspRequest(f: Node[]): boolean {
  if (f.length < 1 || f.length > 2 || !isUniversal(f[0], T.SEQUENCE)) return false;
  if (f[1] && !(f[1].cls === CLS_CONTEXT && f[1].num === 0)) return false;
  try {
    const list = children(f[0]).find((x) => isUniversal(x, T.SEQUENCE));
    if (!list) return false;
    const id = children(child(child(list, 0), 0));
    return id.length === 4 && isUniversal(id[0], T.SEQUENCE) && isUniversal(id[1], T.OCTET_STRING) && isUniversal(id[2], T.OCTET_STRING) && isUniversal(id[3], T.INTEGER);
  } catch {
    return false;
  }
}

// ───────────────────────────── requests ─────────────────────────────

function subjectKeyBits(certDer: Uint8Array): Uint8Array {
  return bitString(child(certificateParts(certDer).spki, 1), "subjectPublicKey").bytes;
}

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

function responderMatches(p: ParsedOcspResponse, certDer: Uint8Array): boolean {
  try {
    if (p.responderName) return bytesEqual(raw(certificateParts(certDer).subject), p.responderName);
    if (p.responderKeyHash) return bytesEqual(new Uint8Array(createHash("sha1").update(subjectKeyBits(certDer)).digest()), p.responderKeyHash);
  } catch {
    /* an unreadable certificate does not match */
  }
  return false;
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
  if (!p.signed) return { ok: false, why: "the response carries no signature" };
  if (responderMatches(p, issuerDer)) {
    return verifySigned(p.signed, raw(issuer.spki)) ? { ok: true, signer: issuerName } : { ok: false, why: `the signature does not verify with the issuer's key (${issuerName})` };
  }
  const delegate = p.certs.find((c) => responderMatches(p, c));
  if (!delegate) return { ok: false, why: `signed by ${p.model.responder ?? "an unnamed responder"}, which is neither the issuer nor a responder certificate included in the response` };
  const d = certificateParts(delegate);
  const dName = nameFromNode(d.subject).text;
  if (!bytesEqual(raw(d.issuer), raw(issuer.subject))) return { ok: false, why: `the responder certificate ${dName} was not issued by the certificate's issuer ${issuerName}` };
  try {
    const outer = children(d.top);
    const parts: SignedParts = { tbs: raw(d.tbs), alg: outer[1], algOid: oid(child(outer[1], 0)), signature: bitString(outer[2]).bytes };
    if (!verifySigned(parts, raw(issuer.spki))) return { ok: false, why: `the responder certificate ${dName} is not signed by ${issuerName}` };
  } catch {
    return { ok: false, why: `the responder certificate ${dName} cannot be read` };
  }
  if (!hasEku(delegate, OCSP_SIGNING)) return { ok: false, why: `the responder certificate ${dName} lacks the OCSPSigning extended key usage (RFC 6960 §4.2.2.2)` };
  if (!validAt(delegate, at)) return { ok: false, why: `the responder certificate ${dName} is not valid at ${at.toISOString()}` };
  if (!verifySigned(p.signed, raw(d.spki))) return { ok: false, why: `the signature does not verify with the responder certificate's key (${dName})` };
  return { ok: true, signer: `${dName} (delegated by ${issuerName})` };
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
    return { status: "invalid", detail: `the OCSP response cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  const m = p.model;
  const base = { responder: m.responder, producedAt: m.producedAt };
  if (m.responseStatus !== "successful") return { ...base, status: "invalid", detail: `the responder answered "${m.responseStatus}" instead of a status` };
  if (m.responseType !== "basic") return { ...base, status: "invalid", detail: `unsupported response type ${m.responseType}` };
  let single: RawSingle | undefined;
  try {
    single = p.singles.find((s) => certIdMatches(s.certId, certDer, issuerDer));
  } catch (err) {
    return { ...base, status: "invalid", detail: `the certificate or its issuer cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!single) return { ...base, status: "invalid", detail: "the response is not about this certificate (no matching CertID: serial number or issuer hashes differ)" };
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
    signer = { ok: false, why: `cannot check the signature: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!signer.ok) return { ...fields, status: "invalid", detail: signer.why };
  const t = at.getTime();
  if (Date.parse(s.thisUpdate) > t + skew) return { ...fields, signer: signer.signer, status: "invalid", detail: `the response's thisUpdate (${s.thisUpdate}) is in the future` };
  if (s.nextUpdate && Date.parse(s.nextUpdate) < t - skew)
    return { ...fields, signer: signer.signer, status: "invalid", detail: `the response is stale: its nextUpdate (${s.nextUpdate}) has passed` };
  if (opts.nonce && p.nonce && !bytesEqual(opts.nonce, p.nonce)) return { ...fields, signer: signer.signer, status: "invalid", detail: "the response's nonce does not match the request's (a replayed answer?)" };
  const nonceNote = opts.nonce ? (p.nonce ? ", nonce echoed" : ", no nonce echoed (a pre-produced answer)") : "";
  const detail = `signed by ${signer.signer}${nonceNote}`;
  if (s.status === "revoked") return { ...fields, signer: signer.signer, status: "revoked", revokedAt: s.revokedAt, ...(s.reason ? { reason: s.reason } : {}), detail };
  return { ...fields, signer: signer.signer, status: s.status, detail };
}
