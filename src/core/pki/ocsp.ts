/**
 * OCSP (RFC 6960) on the shared DER reader: decoding requests and responses (`inspect`'s ocspResponse and
 * ocspRequest), bounded in the number of answers and certificates. Building a request and checking an answer
 * about one certificate live in ocspCheck.ts.
 */
import { createHash } from "node:crypto";
import type { EncodingFinding, ExtensionModel, OcspCertIdModel, OcspRequestModel, OcspResponseModel, OcspSingleResponseModel } from "../../shared/model";
import {
  type Node, CLS_CONTEXT, bitString, bytesEqual, child, children, expect, hex, intHex, intNum, isUniversal, oid, octets, parse,
  raw, T, time, tryParse, value,
} from "./der";
import { PkiError } from "./errors";
import { Findings, checkTree } from "./findings";
import { CRL_REASONS, decodeExtension } from "./extensions";
import { certificateParts, decodeCertificate } from "./certificate";
import { nameFromNode } from "./name";
import { describeSignatureAlgorithm, type SignedParts, verifySigned } from "./signature";
import { digestHex } from "./spki";
import { OCSP_SCT_LIST_OID } from "./sct";
import { t as tr } from "../l10n";

const RESPONSE_STATUS: Record<number, string> = {
  0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater", 5: "sigRequired", 6: "unauthorized",
};
const BASIC = "1.3.6.1.5.5.7.48.1.1";
export const NONCE = "1.3.6.1.5.5.7.48.1.2";
export const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1", "2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384", "2.16.840.1.101.3.4.2.3": "sha512",
};
/** Most responses listed from one answer (a responder may answer for many certificates). */
const MAX_SINGLE_RESPONSES = 1000;
const MAX_CERTS = 20;

export interface RawCertId {
  node: Node;
  hashOid: string;
  nameHash: Uint8Array;
  keyHash: Uint8Array;
  /** INTEGER content octets as encoded. */
  serial: Uint8Array;
  model: OcspCertIdModel;
}

export interface RawSingle {
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
  return children(expect(child(n, 0), T.SEQUENCE, "Extensions")).map((e) => decodeExtension(e));
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
  if (!st || st.cls !== CLS_CONTEXT) throw new PkiError("malformed", tr("SingleResponse: certStatus is missing"));
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
  } else if (st.num !== 2) throw new PkiError("malformed", tr("SingleResponse: unknown certStatus [{0}]", st.num));
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
  if (f[1].cls !== CLS_CONTEXT || f[1].num !== 0) throw new PkiError("malformed", tr("OCSPResponse: expected [0] responseBytes"));
  const [typeNode, respNode] = children(expect(child(f[1], 0), T.SEQUENCE, "ResponseBytes"));
  const type = oid(typeNode, "responseType");
  model.responseType = type === BASIC ? "basic" : type;
  if (type !== BASIC) return out;
  const basic = children(expect(parse(octets(respNode, "response")), T.SEQUENCE, "BasicOCSPResponse"));
  if (basic.length < 3) throw new PkiError("malformed", tr("BasicOCSPResponse: expected at least 3 elements"));
  const tbs = expect(basic[0], T.SEQUENCE, "ResponseData");
  const alg = expect(basic[1], T.SEQUENCE, "signatureAlgorithm");
  out.signed = { tbs: raw(tbs), algOid: oid(child(alg, 0)), alg, signature: bitString(basic[2], "signature").bytes };
  model.signatureAlgorithm = describeSignatureAlgorithm(alg);
  if (basic[3] && basic[3].cls === CLS_CONTEXT && basic[3].num === 0) {
    const certs = children(expect(child(basic[3], 0), T.SEQUENCE, "certs"));
    if (certs.length > MAX_CERTS) throw new PkiError("malformed", tr("BasicOCSPResponse: {0} certificates (limit {1})", certs.length, MAX_CERTS));
    out.certs = certs.map((c) => raw(c));
    model.certificates = out.certs.map((c) => decodeCertificate(c));
  }
  const t = children(tbs);
  let i = t[0] && t[0].cls === CLS_CONTEXT && t[0].num === 0 ? 1 : 0;
  const rid = t[i++];
  if (!rid || rid.cls !== CLS_CONTEXT || (rid.num !== 1 && rid.num !== 2)) throw new PkiError("malformed", tr("ResponseData: responderID is missing"));
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
  if (list.length > MAX_SINGLE_RESPONSES) throw new PkiError("malformed", tr("ResponseData: {0} responses (limit {1})", list.length, MAX_SINGLE_RESPONSES));
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
  return withDerFindings(parseOcspResponse(der, line).model, der, "ocspResponse");
}

/** The X.690 findings of the whole structure (the generic walk of ./findings), on the model when there are any. */
function withDerFindings<M extends { findings?: EncodingFinding[] }>(model: M, der: Uint8Array, where: string): M {
  const f = new Findings();
  checkTree(parse(der), where, f);
  if (f.list.length) model.findings = f.list;
  return model;
}

/** The `inspect` model of an OCSP request. */
export function decodeOcspRequest(der: Uint8Array, line?: number): OcspRequestModel {
  const f = children(expect(parse(der), T.SEQUENCE, "OCSPRequest"));
  const t = children(expect(f[0], T.SEQUENCE, "TBSRequest"));
  const model: OcspRequestModel = { kind: "ocspRequest", ...(line !== undefined ? { line } : {}), requests: [], signed: !!f[1] };
  for (const x of t) {
    if (isUniversal(x, T.SEQUENCE)) {
      const reqs = children(x);
      if (reqs.length > MAX_SINGLE_RESPONSES) throw new PkiError("malformed", tr("TBSRequest: {0} requests (limit {1})", reqs.length, MAX_SINGLE_RESPONSES));
      model.requests = reqs.map((r) => ({ certId: certId(child(expect(r, T.SEQUENCE, "Request"), 0)).model }));
    } else if (x.cls === CLS_CONTEXT && x.num === 2) {
      model.extensions = extensionsOf(x);
      const n = nonceOf(x);
      if (n) model.nonce = hex(n);
    }
  }
  return withDerFindings(model, der, "ocspRequest");
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

/** The subjectPublicKey BIT STRING contents of a certificate (what OCSP key hashes cover). */
export function subjectKeyBits(certDer: Uint8Array): Uint8Array {
  return bitString(child(certificateParts(certDer).spki, 1), "subjectPublicKey").bytes;
}

/** Is `certDer` the responder the response names (by name or by SHA-1 key hash)? */
export function responderMatches(p: ParsedOcspResponse, certDer: Uint8Array): boolean {
  try {
    if (p.responderName) return bytesEqual(raw(certificateParts(certDer).subject), p.responderName);
    if (p.responderKeyHash) return bytesEqual(new Uint8Array(createHash("sha1").update(subjectKeyBits(certDer)).digest()), p.responderKeyHash);
  } catch {
    /* an unreadable certificate does not match */
  }
  return false;
}
