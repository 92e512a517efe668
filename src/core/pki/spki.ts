/**
 * SubjectPublicKeyInfo → PublicKeyInfo (algorithm, bits, curve, SHA-256 of the SPKI), from the DER alone.
 */
import * as nodeCrypto from "node:crypto";
import type { PublicKeyInfo } from "../../shared/model";
import { CURVES, KEY_ALGS } from "./oids";
import { type Node, bitLength, bitString, children, expect, oid, parse, raw, T, value } from "./der";
import { t } from "../l10n";

type OneShotHash = (alg: string, data: Uint8Array, enc: "hex") => string;
/** crypto.hash (Node ≥ 20.12) is a one-shot digest without a Hash object; fall back to createHash. */
const oneShot: OneShotHash | undefined = (nodeCrypto as unknown as { hash?: OneShotHash }).hash;

export function digestHex(alg: "sha1" | "sha256", b: Uint8Array): string {
  if (oneShot) return oneShot(alg, b, "hex");
  return nodeCrypto.createHash(alg).update(b).digest("hex");
}

export function sha256Hex(b: Uint8Array): string {
  return digestHex("sha256", b);
}

/** Algorithm / curve / bits of an AlgorithmIdentifier + key bits. */
export function keyInfoFromParts(algId: Node, keyBits: Uint8Array | undefined): PublicKeyInfo {
  const parts = children(expect(algId, T.SEQUENCE, "AlgorithmIdentifier"));
  const algOid = oid(parts[0], "key algorithm");
  const params = parts[1];
  const algorithm = KEY_ALGS[algOid] ?? algOid;
  const info: PublicKeyInfo = { algorithm };
  switch (algorithm) {
    case "RSA":
    case "RSA-PSS":
    case "RSA-OAEP": {
      if (keyBits) {
        const rsa = children(expect(parse(keyBits), T.SEQUENCE, "RSAPublicKey"));
        info.bits = bitLength(value(expect(rsa[0], T.INTEGER, "RSA modulus")));
      }
      break;
    }
    case "EC":
    case "SM2": {
      if (params && params.num === T.OID && params.cls === 0) {
        const c = oid(params);
        const known = CURVES[c];
        info.curve = known?.name ?? c;
        if (known) info.bits = known.bits;
      } else if (params && params.num === T.SEQUENCE) {
        // specifiedCurve: SEQUENCE { version, fieldID SEQUENCE { fieldType, prime }, … }
        info.curve = "explicit";
        try {
          const fieldId = children(children(params)[1]);
          info.bits = bitLength(value(fieldId[1]));
        } catch {
          /* leave bits unknown */
        }
      }
      if (!info.bits && keyBits && keyBits.length > 1 && keyBits[0] === 4) info.bits = ((keyBits.length - 1) / 2) * 8;
      break;
    }
    case "Ed25519":
    case "X25519":
      info.bits = 256;
      break;
    case "Ed448":
      info.bits = 456;
      break;
    case "X448":
      info.bits = 448;
      break;
    case "DSA":
    case "DH": {
      if (params && params.num === T.SEQUENCE) {
        try {
          info.bits = bitLength(value(children(params)[0]));
        } catch {
          /* leave bits unknown */
        }
      }
      break;
    }
  }
  return info;
}

export function keyInfoFromSpkiNode(spki: Node, withHash = true): PublicKeyInfo {
  const [algId, key] = children(expect(spki, T.SEQUENCE, "SubjectPublicKeyInfo"));
  if (!algId || !key) throw new Error(t("SubjectPublicKeyInfo: missing fields"));
  const info = keyInfoFromParts(algId, bitString(key, "subjectPublicKey").bytes);
  if (withHash) info.spkiSha256 = sha256Hex(raw(spki));
  return info;
}

/** Public key algorithm, size, curve and SPKI SHA-256 of a DER SubjectPublicKeyInfo. */
export function publicKeyInfo(spkiDer: Uint8Array): PublicKeyInfo {
  return keyInfoFromSpkiNode(parse(spkiDer));
}

