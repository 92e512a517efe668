/**
 * Public API of src/core/pki (re-exported by src/core/index.ts): PEM scanning and the decoding of every
 * PKI file format into the plain models of src/shared/model.ts. Only Node-side code uses it; key material
 * stays inside (PKCS#8 DER returned to the caller), never in a model.
 */
export { PkiError } from "./errors";
export { scanPem, toPem, type PemBlock } from "./pem";
export { formatName, ipv6 } from "./name";
export { publicKeyInfo } from "./spki";
export { decodeCertificate, certificateSpki, type DecodeCertificateOptions } from "./certificate";
export { decodeCsr, decodeCrl } from "./csr";
export { openPkcs12, readPkcs7 } from "./containers";
export { decryptPrivateKey } from "./keys";
export { verifySignature } from "./signature";
export { inspectBytes, inspectBytesSync, certificatesFromBytes, MAX_INPUT_BYTES, type InspectOptions, type PkiDecodeError } from "./inspect";
export { oidName } from "./oids";
