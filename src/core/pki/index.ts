/**
 * Public API of src/core/pki (re-exported by src/core/index.ts): PEM scanning and the decoding of every
 * PKI file format into the plain models of src/shared/model.ts. Only Node-side code uses it; key material
 * stays inside (PKCS#8 DER returned to the caller), never in a model. Every function either returns or
 * throws a PkiError (`code`: malformed, unsupported, not_pki, needs_password, bad_password, too_large).
 */
import { guarded } from "./errors";
import { formatName as formatName_ } from "./name";
import { publicKeyInfo as publicKeyInfo_ } from "./spki";
import { decodeCertificate as decodeCertificate_, certificateSpki as certificateSpki_ } from "./certificate";
import { decodeCsr as decodeCsr_, decodeCrl as decodeCrl_ } from "./csr";
import { openPkcs12 as openPkcs12_, readPkcs7 as readPkcs7_ } from "./containers";
import { decryptPrivateKey as decryptPrivateKey_ } from "./keys";

export { PkiError } from "./errors";
export { scanPem, toPem, type PemBlock } from "./pem";
export { ipv6 } from "./name";
export { verifySignature } from "./signature";
export { inspectBytes, inspectBytesSync, certificatesFromBytes, MAX_INPUT_BYTES, type InspectOptions, type PkiDecodeError } from "./inspect";
export { oidName } from "./oids";
export type { DecodeCertificateOptions } from "./certificate";

/** RFC 4514 text ("CN=localhost,O=Lab", most specific first) and attributes of a DER Name. */
export const formatName = guarded(formatName_);
/** Algorithm, bits, curve and SPKI SHA-256 of a DER SubjectPublicKeyInfo. */
export const publicKeyInfo = guarded(publicKeyInfo_);
/** One DER certificate → CertificateModel (summary: the fast fields only). */
export const decodeCertificate = guarded(decodeCertificate_);
/** The SubjectPublicKeyInfo DER inside a DER certificate. */
export const certificateSpki = guarded(certificateSpki_);
export const decodeCsr = guarded(decodeCsr_);
export const decodeCrl = guarded(decodeCrl_);
/** Certificates and CRLs (DER) of a PKCS#7 SignedData. */
export const readPkcs7 = guarded(readPkcs7_);
/** Certificates (DER) and private keys (PKCS#8 DER) of a PKCS#12; PkiError "bad_password" on a wrong password. */
export const openPkcs12 = guarded(openPkcs12_);
/** PKCS#8 DER of any private key (PEM text or DER), decrypting with `passphrase` when needed. */
export const decryptPrivateKey = guarded(decryptPrivateKey_);
export { decodeOcspResponse, decodeOcspRequest } from "./ocsp";
export { evaluateOcspResponse, buildOcspRequest, type OcspEvaluation } from "./ocspCheck";
