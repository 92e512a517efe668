/**
 * Certificates out of a file's bytes for the validator, through the shared reader (src/core/pki
 * certificatesFromBytes: PEM with any text around it, DER, PKCS#7), so what verify reads matches what inspect
 * shows. Certificates that reader cannot decode are still handed on, so the validator reports them as
 * `malformed` in their place in the chain rather than losing them.
 */
import { certificatesFromBytes } from "../pki";

export interface DecodedCertificates {
  certs: Uint8Array[];
  errors: { line?: number; message: string }[];
}

export function certificatesForVerify(bytes: Uint8Array): DecodedCertificates {
  return certificatesFromBytes(bytes, { keepMalformed: true });
}
