/**
 * X.509 certificates: a fast positional walk over TBSCertificate for summaries (subject, issuer, serial,
 * validity, fingerprints, key, CA flag, self-signed, SANs), and the full decode (signature algorithm,
 * every extension) on top of it.
 */
import type { CertificateModel, ExtensionModel, GeneralName } from "../../shared/model";
import {
  type Node, CLS_CONTEXT, bool, child, children, expect, intHex, intNum, isUniversal, octets, parse, raw, T, time,
} from "./der";
import { PkiError, asPkiError } from "./errors";
import { decodeExtension, duplicateExtensions } from "./extensions";
import { Findings, checkNode, checkSerial, checkTimeType, checkTree, tagName } from "./findings";
import { generalNames, nameFromNode } from "./name";
import { toPem } from "./pem";
import { describeSignatureAlgorithm, signatureParametersText, signedParts, verifySigned } from "./signature";
import { digestHex, keyInfoFromSpkiNode } from "./spki";
import { t } from "../l10n";

export interface DecodeCertificateOptions {
  /** Only the summary fields (fast pass). */
  summary?: boolean;
  /** 1-based PEM line, copied to the model and to error messages. */
  line?: number;
}

/** Offsets of the parts of a certificate, for callers that need raw bytes (chain building). */
export interface CertificateParts {
  /** The whole Certificate SEQUENCE. */
  top: Node;
  tbs: Node;
  version: number;
  serial: Node;
  issuer: Node;
  validity: Node;
  subject: Node;
  spki: Node;
  extensions?: Node;
  sigAlg: Node;
  signature: Node;
}

export function certificateParts(der: Uint8Array): CertificateParts {
  const top = parse(der, true);
  const outer = children(expect(top, T.SEQUENCE, "Certificate"));
  if (outer.length !== 3) throw new PkiError("malformed", t("Certificate: expected 3 elements, found {0}", outer.length));
  const tbs = expect(outer[0], T.SEQUENCE, "TBSCertificate");
  const f = children(tbs);
  let i = 0;
  let version = 1;
  if (f[0] && f[0].cls === CLS_CONTEXT && f[0].num === 0) {
    version = intNum(child(f[0], 0), "version") + 1;
    i = 1;
  }
  if (f.length < i + 6) throw new PkiError("malformed", t("TBSCertificate: missing fields"));
  const serial = expect(f[i], T.INTEGER, "serialNumber");
  expect(f[i + 1], T.SEQUENCE, "signature");
  const issuer = expect(f[i + 2], T.SEQUENCE, "issuer");
  const validity = expect(f[i + 3], T.SEQUENCE, "validity");
  const subject = expect(f[i + 4], T.SEQUENCE, "subject");
  const spki = expect(f[i + 5], T.SEQUENCE, "subjectPublicKeyInfo");
  let extensions: Node | undefined;
  for (let k = i + 6; k < f.length; k++) {
    if (f[k].cls === CLS_CONTEXT && f[k].num === 3) extensions = expect(child(f[k], 0), T.SEQUENCE, "extensions");
  }
  return { top, tbs, version, serial, issuer, validity, subject, spki, extensions, sigAlg: outer[1], signature: outer[2] };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Self-signature results by SHA-256 fingerprint: the same DER always gives the same answer. */
const selfSignedCache = new Map<string, boolean>();

function isSelfSigned(der: Uint8Array, p: CertificateParts, sha256: string, subjectText: string, issuerText: string): boolean {
  if (!sameBytes(raw(p.subject), raw(p.issuer)) && subjectText !== issuerText) return false;
  const hit = selfSignedCache.get(sha256);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    ok = verifySigned(signedParts(p.top, "Certificate"), raw(p.spki));
  } catch {
    ok = false;
  }
  if (selfSignedCache.size > 20000) selfSignedCache.clear();
  selfSignedCache.set(sha256, ok);
  return ok;
}

/** Decodes one DER certificate. Throws PkiError with a clear message when it is not one. */
export function decodeCertificate(der: Uint8Array, opts: DecodeCertificateOptions = {}): CertificateModel {
  try {
    return decodeCertificateUnsafe(der, opts);
  } catch (err) {
    const e = asPkiError(err);
    const where = opts.line !== undefined ? t("certificate at line {0}", opts.line) : "certificate";
    const out = new PkiError(e.code, e.message.startsWith(where) ? e.message : t("{0}: {1}", where, e.message), opts.line);
    throw out;
  }
}

function decodeCertificateUnsafe(der: Uint8Array, opts: DecodeCertificateOptions): CertificateModel {
  const p = certificateParts(der);
  const certDer = raw(p.top);
  // Encoding findings: full decode only (summaries must stay fast and keep to the contract's field list).
  const f = opts.summary ? undefined : new Findings();
  const subject = nameFromNode(p.subject, f, "tbsCertificate.subject");
  const issuer = sameBytes(raw(p.subject), raw(p.issuer)) && !f ? subject : nameFromNode(p.issuer, f, "tbsCertificate.issuer");
  const [nb, na] = children(p.validity);
  if (!nb || !na) throw new PkiError("malformed", t("validity: missing notBefore or notAfter"));
  const sha256 = digestHex("sha256", certDer);
  const sha1 = digestHex("sha1", certDer);
  let isCA = false;
  let subjectAltNames: GeneralName[] = [];
  const extensions: ExtensionModel[] = [];
  if (p.extensions) {
    for (const e of children(p.extensions)) {
      if (opts.summary) {
        // Fast pass: only basicConstraints (06 03 55 1d 13) and subjectAltName (06 03 55 1d 11), found by
        // their OID bytes without decoding the other extensions.
        const b = e.b;
        const q = e.vs;
        if (!(b[q] === 6 && b[q + 1] === 3 && b[q + 2] === 0x55 && b[q + 3] === 0x1d && (b[q + 4] === 0x13 || b[q + 4] === 0x11))) continue;
        const o = b[q + 4] === 0x13 ? "2.5.29.19" : "2.5.29.17";
        const parts = children(expect(e, T.SEQUENCE, "Extension"));
        const v = parts[parts.length - 1];
        try {
          const inner = parse(octets(v, "extnValue"));
          if (o === "2.5.29.19") {
            const bc = children(expect(inner, T.SEQUENCE, "BasicConstraints"));
            isCA = !!bc[0] && isUniversal(bc[0], T.BOOLEAN) && bool(bc[0]);
          } else subjectAltNames = generalNames(children(expect(inner, T.SEQUENCE, "GeneralNames")));
        } catch {
          /* a malformed extension shows up in the full decode */
        }
        continue;
      }
      const ext = decodeExtension(e, f, "tbsCertificate.extensions");
      extensions.push(ext);
      if (ext.oid === "2.5.29.19" && ext.value && typeof ext.value === "object" && "ca" in ext.value) isCA = !!(ext.value as { ca: boolean }).ca;
      if (ext.oid === "2.5.29.17" && ext.value && typeof ext.value === "object" && "names" in ext.value)
        subjectAltNames = (ext.value as { names: GeneralName[] }).names;
    }
  }
  const model: CertificateModel = {
    kind: "certificate",
    ...(opts.line !== undefined ? { line: opts.line } : {}),
    subject,
    issuer,
    serialNumber: intHex(p.serial, "serialNumber"),
    notBefore: time(nb, "notBefore"),
    notAfter: time(na, "notAfter"),
    fingerprints: { sha1, sha256 },
    publicKey: keyInfoFromSpkiNode(p.spki),
    isCA,
    selfSigned: isSelfSigned(certDer, p, sha256, subject.text, issuer.text),
    subjectAltNames,
  };
  if (f) {
    duplicateExtensions(extensions, f, "tbsCertificate.extensions");
    certificateFindings(p, model, f);
    model.findings = f.result(CERTIFICATE_ORDER);
  }
  if (!opts.summary) {
    const sigAlg = expect(p.sigAlg, T.SEQUENCE, "signatureAlgorithm");
    model.signatureAlgorithm = describeSignatureAlgorithm(sigAlg);
    const params = signatureParametersText(sigAlg);
    if (params) (model as CertificateModel & { signatureParameters?: string }).signatureParameters = params;
    model.version = p.version;
    model.extensions = extensions;
    model.pem = toPem(certDer, "CERTIFICATE");
  }
  return model;
}

/** The certificate's fields in DER order: findings are listed in it. */
const CERTIFICATE_ORDER = [
  "certificate", "tbsCertificate.version", "tbsCertificate.serialNumber", "tbsCertificate.signature", "tbsCertificate.issuer",
  "tbsCertificate.validity", "tbsCertificate.subject", "tbsCertificate.subjectPublicKeyInfo", "tbsCertificate.issuerUniqueID",
  "tbsCertificate.subjectUniqueID", "tbsCertificate.extensions", "tbsCertificate", "signatureAlgorithm", "signatureValue",
];

/**
 * The encoding rules of the certificate's own fields (names and extensions are checked as they are decoded);
 * everything not checked by name is then checked under "certificate".
 */
function certificateFindings(p: CertificateParts, model: CertificateModel, f: Findings): void {
  const tbsFields = children(p.tbs);
  const at = (n: Node) => tbsFields.findIndex((x) => x.start === n.start);
  if (tbsFields[0] && tbsFields[0].cls === CLS_CONTEXT && tbsFields[0].num === 0) {
    checkTree(tbsFields[0], "tbsCertificate.version", f);
    if (p.version === 1) f.error("default_encoded", "tbsCertificate.version", t("version is encoded as v1, its default; DER leaves it out (X.690 §11.5)"));
    if (p.version > 3 || p.version < 1) f.error("invalid_value", "tbsCertificate.version", t("version {0} does not exist (v1, v2 or v3)", p.version));
  }
  if (p.extensions && p.version !== 3) f.error("invalid_value", "tbsCertificate.extensions", t("a v{0} certificate carries extensions; only v3 may (RFC 5280 §4.1.2.9)", p.version));
  checkSerial(p.serial, "tbsCertificate.serialNumber", f, model);
  const inner = tbsFields[at(p.serial) + 1];
  if (inner) checkTree(inner, "tbsCertificate.signature", f);
  if (inner && !sameBytes(raw(inner), raw(p.sigAlg)))
    f.error("invalid_value", "signatureAlgorithm", t("the outer signatureAlgorithm differs from tbsCertificate.signature; RFC 5280 §4.1.1.2 requires the same value"));
  checkTree(p.sigAlg, "signatureAlgorithm", f);
  checkNode(p.validity, "tbsCertificate.validity", f);
  const [nb, na] = children(p.validity);
  for (const [n, name, iso] of [[nb, "notBefore", model.notBefore], [na, "notAfter", model.notAfter]] as const) {
    checkTree(n, `tbsCertificate.validity.${name}`, f);
    checkTimeType(n, iso, `tbsCertificate.validity.${name}`, f);
  }
  checkTree(p.spki, "tbsCertificate.subjectPublicKeyInfo", f);
  for (const x of tbsFields.slice(at(p.spki) + 1)) {
    const known = x.cls === CLS_CONTEXT && x.num >= 1 && x.num <= 3;
    if (!known) f.error("wrong_tag", "tbsCertificate", t("TBSCertificate holds an unexpected {0} after the public key", tagName(x)));
    else if (x.num !== 3) checkTree(x, x.num === 1 ? "tbsCertificate.issuerUniqueID" : "tbsCertificate.subjectUniqueID", f);
  }
  checkNode(p.signature, "signatureValue", f);
  checkTree(p.top, "certificate", f);
}

/** The SubjectPublicKeyInfo DER of a certificate (a view into `der`). */
export function certificateSpki(der: Uint8Array): Uint8Array {
  return raw(certificateParts(der).spki);
}
