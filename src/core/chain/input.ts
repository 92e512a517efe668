/**
 * Certificates out of a file's bytes for the validator: PEM (any number of CERTIFICATE / PKCS7 blocks with
 * text around them), a DER certificate, or a DER PKCS#7 certs-only bundle (.p7b/.p7c, as AIA serves).
 * Uses the shared reader in src/core/pki when it offers certificatesFromBytes, so text matches `inspect`.
 */
import { certificatesFromBytes } from "../pki";
import { children, oid, parse, raw, seq, tagOf, tryParse } from "../pki/der";

export interface DecodedCertificates {
  certs: Uint8Array[];
  errors: { line?: number; message: string }[];
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Certificates from a DER PKCS#7 SignedData (RFC 2315 §9.1): ContentInfo → SignedData → [0] certificates. */
function pkcs7Certs(der: Uint8Array): Uint8Array[] {
  const [type, wrapped] = seq(parse(der, true, true), "ContentInfo");
  if (oid(type, "contentType") !== "1.2.840.113549.1.7.2") throw new Error("PKCS#7 content is not SignedData");
  if (tagOf(wrapped) !== 0xa0) throw new Error("PKCS#7 content is missing");
  const out: Uint8Array[] = [];
  for (const f of seq(children(wrapped)[0], "SignedData")) if (tagOf(f) === 0xa0) for (const c of children(f)) if (tagOf(c) === 0x30) out.push(raw(c));
  return out;
}

function isCertificateDer(der: Uint8Array): boolean {
  const top = tryParse(der, false, true);
  if (!top || tagOf(top) !== 0x30) return false;
  try {
    return tagOf(children(top)[0]) === 0x30;
  } catch {
    return false;
  }
}

/**
 * The file's certificates through the shared reader (src/core/pki certificatesFromBytes: PEM, DER, PKCS#7),
 * so what verify reads matches what inspect shows. Certificates that reader rejects are still handed to
 * the validator (from this module's lenient reader) so they come out as `malformed` problems rather than
 * vanishing from the chain.
 */
export function certificatesForVerify(bytes: Uint8Array): DecodedCertificates {
  const shared = certificatesFromBytes(bytes);
  if (shared.errors.length === 0) return shared;
  const own = decodeCertificates(bytes);
  if (own.certs.length > shared.certs.length) return { certs: own.certs, errors: shared.errors };
  return shared;
}

export function decodeCertificates(bytes: Uint8Array): DecodedCertificates {
  const out: DecodedCertificates = { certs: [], errors: [] };
  const text = new TextDecoder("latin1").decode(bytes);
  if (text.includes("-----BEGIN ")) {
    for (const m of text.matchAll(PEM_RE)) {
      const line = text.slice(0, m.index).split("\n").length;
      const label = m[1];
      if (label !== "CERTIFICATE" && label !== "TRUSTED CERTIFICATE" && label !== "X509 CERTIFICATE" && label !== "PKCS7") continue;
      const body = m[2].replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
        out.errors.push({ line, message: `PEM block '${label}' at line ${line}: not valid base64` });
        continue;
      }
      const der = new Uint8Array(Buffer.from(body, "base64"));
      try {
        if (label === "PKCS7") out.certs.push(...pkcs7Certs(der));
        else if (label === "TRUSTED CERTIFICATE") out.certs.push(raw(parse(der, true, true)));
        else out.certs.push(der);
      } catch (err) {
        out.errors.push({ line, message: `PEM block '${label}' at line ${line}: ${(err as Error).message}` });
      }
    }
    return out;
  }
  if (isCertificateDer(bytes)) out.certs.push(bytes);
  else {
    try {
      out.certs.push(...pkcs7Certs(bytes));
    } catch {
      out.errors.push({ message: "neither PEM nor a DER certificate or PKCS#7 bundle" });
    }
  }
  return out;
}
