/**
 * Facts the editor surfaces show about a decoded object: expiry status, weak signature, weak key.
 * Light on purpose (types only): the adapters import it directly without loading the PKI libraries.
 */
import type { PkiObject, PublicKeyInfo } from "../../shared/model";
import type { DocFacts, ExpiryFact } from "./types";

const DAY = 86_400_000;

/** MD2/MD4/MD5 or SHA-1 in a signature algorithm name ("sha1WithRSAEncryption", "ecdsa-with-SHA1", …). */
export function isWeakSignature(algorithm: string | undefined): boolean {
  return !!algorithm && /(md[245]|sha-?1)(?![0-9])/i.test(algorithm);
}

/** RSA (incl. RSA-PSS) or DSA below 2048 bits. */
export function isWeakKey(key: PublicKeyInfo | undefined): key is PublicKeyInfo & { bits: number } {
  return !!key && typeof key.bits === "number" && /^(RSA|RSA-PSS|DSA)$/i.test(key.algorithm) && key.bits < 2048;
}

/** Where `now` stands between `notBefore` and `notAfter`. Unparseable dates give undefined. */
export function expiryOf(notBefore: string, notAfter: string, now: Date, warningDays: number): ExpiryFact | undefined {
  const nb = Date.parse(notBefore);
  const na = Date.parse(notAfter);
  const t = now.getTime();
  if (Number.isNaN(na) || Number.isNaN(t)) return undefined;
  if (!Number.isNaN(nb) && t < nb) return { status: "not_yet_valid", days: Math.ceil((nb - t) / DAY), notBefore, notAfter };
  if (t > na) return { status: "expired", days: Math.floor((t - na) / DAY), notBefore, notAfter };
  const days = Math.floor((na - t) / DAY);
  return { status: na - t <= warningDays * DAY ? "expiring" : "ok", days, notBefore, notAfter };
}

export function deriveFacts(object: PkiObject | undefined, now: Date, expiryWarningDays: number): DocFacts {
  const facts: DocFacts = {};
  if (!object) return facts;
  switch (object.kind) {
    case "certificate": {
      const e = expiryOf(object.notBefore, object.notAfter, now, expiryWarningDays);
      if (e) facts.expiry = e;
      if (isWeakSignature(object.signatureAlgorithm)) facts.weakSignature = object.signatureAlgorithm;
      break;
    }
    case "csr":
      if (isWeakSignature(object.signatureAlgorithm)) facts.weakSignature = object.signatureAlgorithm;
      break;
    case "crl":
      if (object.nextUpdate) {
        // CRLs live for days by design: only an overdue next update matters, never "expiring soon".
        const e = expiryOf(object.thisUpdate, object.nextUpdate, now, 0);
        if (e) facts.expiry = e;
      }
      if (isWeakSignature(object.signatureAlgorithm)) facts.weakSignature = object.signatureAlgorithm;
      break;
    default:
      break;
  }
  const key = "publicKey" in object ? object.publicKey : undefined;
  if (isWeakKey(key)) facts.weakKey = { algorithm: key.algorithm, bits: key.bits };
  return facts;
}
