/**
 * Certificate signature checks (RFC 5280 §6.1.3 (a)(1), §4.1.1.2/§4.1.1.3) through node:crypto with the
 * issuer's SubjectPublicKeyInfo: RSA PKCS#1 v1.5, RSA-PSS (RFC 4055 parameters), ECDSA, Ed25519/Ed448, DSA.
 */
import { constants, createPublicKey, verify, type KeyObject } from "node:crypto";
import { T, bytesEqual, children, count, expect, oid, parse, raw, tagOf } from "../pki/der";
import type { AlgorithmId, ParsedCert } from "./cert";
import { t } from "../l10n";

export interface SignatureScheme {
  /** Plain name such as "sha256WithRSAEncryption". */
  name: string;
  /** Digest for node:crypto (null for EdDSA). */
  hash: string | null;
  kind: "rsa" | "rsa-pss" | "ecdsa" | "eddsa" | "dsa";
  saltLength?: number;
  /** True for MD2/MD5/SHA-1 based schemes. */
  weak: boolean;
}

const HASH_OIDS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

const SCHEMES: Record<string, Omit<SignatureScheme, "weak"> & { weak?: boolean }> = {
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", hash: "md2", kind: "rsa", weak: true },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", hash: "md5", kind: "rsa", weak: true },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", hash: "sha1", kind: "rsa", weak: true },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", hash: "sha224", kind: "rsa" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "sha256", kind: "rsa" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "sha384", kind: "rsa" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "sha512", kind: "rsa" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", hash: "sha1", kind: "ecdsa", weak: true },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", hash: "sha224", kind: "ecdsa" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "sha256", kind: "ecdsa" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "sha384", kind: "ecdsa" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "sha512", kind: "ecdsa" },
  "1.3.101.112": { name: "Ed25519", hash: null, kind: "eddsa" },
  "1.3.101.113": { name: "Ed448", hash: null, kind: "eddsa" },
  "1.2.840.10040.4.3": { name: "dsa-with-SHA1", hash: "sha1", kind: "dsa", weak: true },
  "2.16.840.1.101.3.4.3.2": { name: "dsa-with-SHA256", hash: "sha256", kind: "dsa" },
};

/** Decodes RSASSA-PSS-params (RFC 4055 §3.1); only MGF1 with the same hash is supported (as everywhere). */
function pssScheme(alg: AlgorithmId): SignatureScheme {
  let hash = "sha1";
  let mgfHash = "sha1";
  let saltLength = 20;
  if (alg.params) {
    const params = parse(alg.params, true, true);
    if (tagOf(params) !== 0x30) throw new Error("RSASSA-PSS parameters are not a SEQUENCE");
    for (const f of children(params)) {
      const [inner] = children(f);
      const tag = tagOf(f);
      if (tag === 0xa0) {
        const [o] = children(inner);
        hash = HASH_OIDS[oid(o)] ?? "unknown";
      } else if (tag === 0xa1) {
        const [mgf, mgfParams] = children(inner);
        if (oid(mgf) !== "1.2.840.113549.1.1.8") throw new Error("RSASSA-PSS mask generation function is not MGF1");
        const [ho] = children(mgfParams);
        mgfHash = HASH_OIDS[oid(ho)] ?? "unknown";
      } else if (tag === 0xa2) saltLength = count(expect(inner, T.INTEGER, "saltLength"), "saltLength");
      else if (tag === 0xa3) {
        if (count(expect(inner, T.INTEGER, "trailerField"), "trailerField") !== 1) throw new Error("RSASSA-PSS trailerField must be 1");
      } else throw new Error("RSASSA-PSS parameters have an unknown field");
    }
  }
  if (hash === "unknown" || mgfHash !== hash) throw new Error("RSASSA-PSS with an unsupported hash or a different MGF1 hash");
  return { name: `RSASSA-PSS (${hash.toUpperCase()}, salt ${saltLength})`, hash, kind: "rsa-pss", saltLength, weak: hash === "sha1" };
}

/** Works out how to verify a signature made with `alg`; throws with plain words when it cannot. */
export function signatureScheme(alg: AlgorithmId): SignatureScheme {
  if (alg.oid === "1.2.840.113549.1.1.10") return pssScheme(alg);
  const s = SCHEMES[alg.oid];
  if (!s) throw new Error(t("unsupported signature algorithm {0}", alg.oid));
  if (s.kind === "rsa" && alg.params && !(alg.params.length === 2 && alg.params[0] === T.NULL))
    throw new Error(t("{0} must have NULL parameters", s.name));
  if ((s.kind === "ecdsa" || s.kind === "eddsa") && alg.params) throw new Error(t("{0} must not have parameters", s.name));
  return { ...s, weak: s.weak ?? false };
}

export type SignatureOutcome = { ok: true } | { ok: false; reason: string };

/** RFC 5280 §6.1.3 (a)(1): does `issuer`'s key verify the signature on `subject`? */
export function verifySignature(subject: ParsedCert, issuer: ParsedCert): SignatureOutcome {
  return verifySignedBytes(subject.tbs, subject.signatureAlg, subject.tbsSignatureAlg, subject.signature, issuer);
}

/** Does `signer`'s key verify `signature` over `tbs` (a certificate's or a CRL's, RFC 5280 §6.3.3 (g))? */
export function verifySignedBytes(tbs: Uint8Array, signatureAlg: AlgorithmId, innerAlg: AlgorithmId, signature: Uint8Array, signer: ParsedCert): SignatureOutcome {
  if (!bytesEqual(signatureAlg.der, innerAlg.der)) return { ok: false, reason: t("the two signature algorithm fields differ (RFC 5280 §4.1.1.2, §5.1.1.2)") };
  let scheme: SignatureScheme;
  try {
    scheme = signatureScheme(signatureAlg);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const key = publicKeyOf(signer);
  if (!key) return { ok: false, reason: signer.key.algorithm === "DSA" && !signer.keyAlg.params ? t("the issuer's DSA key inherits its parameters from a CA that was not found (RFC 3279 §2.3.2)") : t("the issuer's public key cannot be loaded") };
  const keyType = key.asymmetricKeyType;
  const fits =
    (scheme.kind === "rsa" && keyType === "rsa") ||
    (scheme.kind === "rsa-pss" && (keyType === "rsa" || keyType === "rsa-pss")) ||
    (scheme.kind === "ecdsa" && keyType === "ec") ||
    (scheme.kind === "dsa" && keyType === "dsa") ||
    (scheme.kind === "eddsa" && keyType === (signatureAlg.oid === "1.3.101.112" ? "ed25519" : "ed448"));
  if (!fits) return { ok: false, reason: t("a {0} signature cannot come from the issuer's {1} key", scheme.name, keyType ?? t("unknown")) };
  try {
    const keyArg =
      scheme.kind === "rsa-pss" ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength } : scheme.kind === "rsa" ? { key, padding: constants.RSA_PKCS1_PADDING } : key;
    const ok = verify(scheme.hash, tbs, keyArg, signature);
    return ok ? { ok: true } : { ok: false, reason: t("the signature does not verify with the issuer's public key") };
  } catch (err) {
    return { ok: false, reason: t("the signature cannot be checked: {0}", (err as Error).message) };
  }
}

/** Public key of the certificate as a KeyObject (cached; null when Node cannot load it). */
const keyCache = new WeakMap<ParsedCert, KeyObject | null>();
export function publicKeyOf(cert: ParsedCert): KeyObject | null {
  if (keyCache.has(cert)) return keyCache.get(cert)!;
  let k: KeyObject | null = null;
  try {
    k = createPublicKey({ key: Buffer.from(cert.inheritedDsaParams ? dsaSpkiWith(cert, cert.inheritedDsaParams) : cert.spki), format: "der", type: "spki" });
  } catch {
    k = null;
  }
  if (k || !cert.key.algorithm.startsWith("DSA") || cert.inheritedDsaParams) keyCache.set(cert, k);
  return k;
}

function derTlv(tag: number, body: Uint8Array): Uint8Array {
  const len = body.length < 0x80 ? [body.length] : body.length < 0x100 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return Uint8Array.from([tag, ...len, ...body]);
}

/** The SubjectPublicKeyInfo of a DSA key whose parameters are inherited from its issuer (RFC 3279 §2.3.2). */
function dsaSpkiWith(cert: ParsedCert, params: Uint8Array): Uint8Array {
  const [algT, keyT] = children(parse(cert.spki, false, true));
  const [oidT] = children(algT);
  return derTlv(0x30, Uint8Array.from([...derTlv(0x30, Uint8Array.from([...raw(oidT), ...params])), ...raw(keyT)]));
}

/**
 * RFC 3279 §2.3.2: a DSA key without parameters takes its issuer's. Sets them on `cert` when `issuer` has a DSA
 * key with parameters (its own or inherited); true when `cert` now has a loadable key.
 */
export function inheritDsaParams(cert: ParsedCert, issuer: ParsedCert): boolean {
  if (cert.keyAlg.oid !== DSA_OID || cert.keyAlg.params || cert.inheritedDsaParams) return false;
  const params = issuer.keyAlg.oid === DSA_OID ? (issuer.keyAlg.params ?? issuer.inheritedDsaParams) : undefined;
  if (!params) return false;
  cert.inheritedDsaParams = params;
  keyCache.delete(cert);
  return publicKeyOf(cert) !== null;
}

const DSA_OID = "1.2.840.10040.4.1";
