/**
 * Password-based encryption used by PKCS#8 and PKCS#12: PBES2 (PBKDF2 + AES/3DES/DES), the PKCS#12 PBE
 * schemes (SHA-1 + 3DES / RC2 / RC4, RFC 7292 appendix B key derivation), PBES1, the PKCS#12 MAC, and the
 * legacy OpenSSL PEM encryption (EVP_BytesToKey). Everything runs on node:crypto primitives that BoringSSL
 * also has; RC2 and single DES (absent from OpenSSL 3's default provider) come from node-forge, loaded lazily.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from "node:crypto";
import { PBE } from "./oids";
import { type Node, child, children, expect, intNum, isUniversal, oid, octets, T, value } from "./der";
import { PkiError } from "./errors";
import { LIMITS, spendKdf } from "../budget";
import { iteratedDigest } from "./iterhash";
import { t } from "../l10n";

/** A password as the user gave it; null = "no password" (distinct from "" in PKCS#12). */
export type Password = string | null;

const HASH_BY_OID: Record<string, { name: string; v: number; u: number }> = {
  "1.3.14.3.2.26": { name: "sha1", v: 64, u: 20 },
  "2.16.840.1.101.3.4.2.4": { name: "sha224", v: 64, u: 28 },
  "2.16.840.1.101.3.4.2.1": { name: "sha256", v: 64, u: 32 },
  "2.16.840.1.101.3.4.2.2": { name: "sha384", v: 128, u: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "sha512", v: 128, u: 64 },
  "1.2.840.113549.2.5": { name: "md5", v: 64, u: 16 },
};

const PRF: Record<string, string> = {
  "1.2.840.113549.2.7": "sha1",
  "1.2.840.113549.2.8": "sha224",
  "1.2.840.113549.2.9": "sha256",
  "1.2.840.113549.2.10": "sha384",
  "1.2.840.113549.2.11": "sha512",
};

/**
 * Upper bound on iteration counts: a hostile file must not make us spin for minutes. Real files use
 * 1 to ~600,000 (OpenSSL 2048, Windows 2000, Java 10,000, NIST-minded tools 600,000).
 */
export const MAX_ITERATIONS = LIMITS.iterations;

/** PKCS#12 passwords are BMPStrings with a trailing 0x0000; "no password" is zero bytes. */
export function bmpPassword(pw: Password): Uint8Array {
  if (pw === null) return new Uint8Array(0);
  const out = new Uint8Array(pw.length * 2 + 2);
  for (let i = 0; i < pw.length; i++) {
    const c = pw.charCodeAt(i);
    out[i * 2] = c >> 8;
    out[i * 2 + 1] = c & 255;
  }
  return out;
}

function utf8Password(pw: Password): Buffer {
  return Buffer.from(pw ?? "", "utf8");
}

/** RFC 7292 appendix B.2 key derivation. id: 1 key, 2 IV, 3 MAC key. */
export function pkcs12Kdf(hash: string, password: Uint8Array, salt: Uint8Array, iterations: number, id: number, n: number): Uint8Array {
  const h = Object.values(HASH_BY_OID).find((x) => x.name === hash);
  if (!h) throw new PkiError("unsupported", t("PKCS#12 key derivation with {0} is not supported", hash));
  const { v, u } = h;
  const D = new Uint8Array(v).fill(id);
  const fill = (src: Uint8Array) => {
    if (src.length === 0) return new Uint8Array(0);
    const len = v * Math.ceil(src.length / v);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length];
    return out;
  };
  const S = fill(salt);
  const P = fill(password);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const out = new Uint8Array(n);
  const c = Math.ceil(n / u);
  spendKdf(`PKCS#12 key derivation (${hash.toUpperCase()})`, iterations, c, LIMITS.jsKdfWeight);
  const DI = new Uint8Array(v + I.length);
  DI.set(D);
  const B = new Uint8Array(v);
  for (let i = 0; i < c; i++) {
    DI.set(I, v);
    const A = iteratedDigest(hash, DI, iterations);
    out.set(A.subarray(0, Math.min(u, n - i * u)), i * u);
    if (i === c - 1) break;
    for (let k = 0; k < v; k++) B[k] = A[k % u];
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k] + B[k] + carry;
        I[j + k] = x & 255;
        carry = x >> 8;
      }
    }
  }
  return out;
}

/** Output sizes of the PBKDF2 PRFs, to count output blocks. */
const PRF_BYTES: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** Largest PBMAC1 HMAC key accepted: the biggest HMAC block size (SHA-512's). */
const MAX_HMAC_KEY = 128;

/** PBKDF2 charged to the operation's budget (../budget.ts) before it runs. */
function pbkdf2(pw: Buffer, salt: Uint8Array, iterations: number, keyLen: number, prf: string, what: string): Buffer {
  spendKdf(what, iterations, Math.ceil(keyLen / (PRF_BYTES[prf] ?? 20)));
  return pbkdf2Sync(pw, salt, iterations, keyLen, prf);
}

// ───────────── ciphers ─────────────

function nodeDecrypt(alg: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  try {
    const d = createDecipheriv(alg, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (err) {
    const msg = (err as Error).message ?? "";
    if (/bad decrypt|wrong final block length|bad_decrypt|BAD_DECRYPT/i.test(msg)) throw new PkiError("bad_password", t("decryption failed (wrong password?)"));
    if (/unsupported|unknown cipher|Invalid key length|Invalid initialization vector/i.test(msg))
      throw new PkiError("unsupported", t("cipher {0} is not available: {1}", alg, msg));
    throw new PkiError("bad_password", t("decryption failed: {0}", msg));
  }
}

type ForgeBuffer = { getBytes(): string };
type ForgeCipher = { start(iv: string | null): void; update(b: ForgeBuffer): void; finish(): boolean; output: ForgeBuffer };

function forgeDecrypt(kind: "rc2" | "des", key: Uint8Array, iv: Uint8Array, data: Uint8Array, bits = 128): Uint8Array {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const forge = require("node-forge/lib/forge") as { util: { createBuffer(s: string): ForgeBuffer }; cipher: { createDecipher(a: string, k: ForgeBuffer): ForgeCipher } };
  let cipher: ForgeCipher;
  const bin = (b: Uint8Array) => Buffer.from(b).toString("binary");
  if (kind === "rc2") {
    const rc2 = require("node-forge/lib/rc2") as { createDecryptionCipher(k: ForgeBuffer, bits: number): ForgeCipher };
    cipher = rc2.createDecryptionCipher(forge.util.createBuffer(bin(key)), bits);
  } else {
    require("node-forge/lib/des");
    cipher = forge.cipher.createDecipher("DES-CBC", forge.util.createBuffer(bin(key)));
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  cipher.start(kind === "rc2" ? bin(iv) : ({ iv: bin(iv) } as unknown as string));
  cipher.update(forge.util.createBuffer(bin(data)));
  if (!cipher.finish()) throw new PkiError("bad_password", t("decryption failed (wrong password?)"));
  return new Uint8Array(Buffer.from(cipher.output.getBytes(), "binary"));
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

interface CipherSpec {
  name: string;
  keyLen: number;
  ivLen: number;
  legacy: boolean;
  run(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

const CIPHERS: Record<string, CipherSpec> = {
  "2.16.840.1.101.3.4.1.2": { name: "AES-128-CBC", keyLen: 16, ivLen: 16, legacy: false, run: (k, iv, d) => nodeDecrypt("aes-128-cbc", k, iv, d) },
  "2.16.840.1.101.3.4.1.22": { name: "AES-192-CBC", keyLen: 24, ivLen: 16, legacy: false, run: (k, iv, d) => nodeDecrypt("aes-192-cbc", k, iv, d) },
  "2.16.840.1.101.3.4.1.42": { name: "AES-256-CBC", keyLen: 32, ivLen: 16, legacy: false, run: (k, iv, d) => nodeDecrypt("aes-256-cbc", k, iv, d) },
  "1.2.840.113549.3.7": { name: "DES-EDE3-CBC", keyLen: 24, ivLen: 8, legacy: false, run: (k, iv, d) => nodeDecrypt("des-ede3-cbc", k, iv, d) },
  "1.3.14.3.2.7": { name: "DES-CBC", keyLen: 8, ivLen: 8, legacy: true, run: (k, iv, d) => forgeDecrypt("des", k, iv, d) },
};

const PKCS12_PBE: Record<string, { name: string; keyLen: number; ivLen: number; legacy: boolean; run(k: Uint8Array, iv: Uint8Array, d: Uint8Array): Uint8Array }> = {
  "1.2.840.113549.1.12.1.1": { name: "pbeWithSHA1And128BitRC4", keyLen: 16, ivLen: 0, legacy: true, run: (k, _iv, d) => rc4(k, d) },
  "1.2.840.113549.1.12.1.2": { name: "pbeWithSHA1And40BitRC4", keyLen: 5, ivLen: 0, legacy: true, run: (k, _iv, d) => rc4(k, d) },
  "1.2.840.113549.1.12.1.3": { name: "pbeWithSHA1And3-KeyTripleDES-CBC", keyLen: 24, ivLen: 8, legacy: false, run: (k, iv, d) => nodeDecrypt("des-ede3-cbc", k, iv, d) },
  "1.2.840.113549.1.12.1.4": { name: "pbeWithSHA1And2-KeyTripleDES-CBC", keyLen: 16, ivLen: 8, legacy: false, run: (k, iv, d) => nodeDecrypt("des-ede3-cbc", Buffer.concat([k, k.subarray(0, 8)]), iv, d) },
  "1.2.840.113549.1.12.1.5": { name: "pbeWithSHA1And128BitRC2-CBC", keyLen: 16, ivLen: 8, legacy: true, run: (k, iv, d) => forgeDecrypt("rc2", k, iv, d, 128) },
  "1.2.840.113549.1.12.1.6": { name: "pbeWithSHA1And40BitRC2-CBC", keyLen: 5, ivLen: 8, legacy: true, run: (k, iv, d) => forgeDecrypt("rc2", k, iv, d, 40) },
};

const PBES1: Record<string, { hash: string; cipher: "des" | "rc2"; name: string }> = {
  "1.2.840.113549.1.5.3": { hash: "md5", cipher: "des", name: "pbeWithMD5AndDES-CBC" },
  "1.2.840.113549.1.5.10": { hash: "sha1", cipher: "des", name: "pbeWithSHA1AndDES-CBC" },
  "1.2.840.113549.1.5.6": { hash: "md5", cipher: "rc2", name: "pbeWithMD5AndRC2-CBC" },
  "1.2.840.113549.1.5.11": { hash: "sha1", cipher: "rc2", name: "pbeWithSHA1AndRC2-CBC" },
};

function iterationsOf(n: Node | undefined): number {
  if (!n) return 1;
  const it = intNum(n, "iteration count");
  if (it < 1) throw new PkiError("malformed", t("iteration count {0} is not positive", it));
  if (it > MAX_ITERATIONS) throw new PkiError("unsupported", t("iteration count {0} is beyond the limit of {1}", it, MAX_ITERATIONS));
  return it;
}

interface Pbes2Params {
  salt: Uint8Array;
  iterations: number;
  keyLength?: number;
  prf: string;
  cipherOid: string;
  iv: Uint8Array;
}

function pbes2Params(params: Node): Pbes2Params {
  const [kdf, enc] = children(expect(params, T.SEQUENCE, "PBES2-params"));
  const kdfOid = oid(child(kdf, 0), "keyDerivationFunc");
  if (kdfOid === "1.3.6.1.4.1.11591.4.11") throw new PkiError("unsupported", t("PBES2 with scrypt key derivation is not supported"));
  if (kdfOid !== "1.2.840.113549.1.5.12") throw new PkiError("unsupported", t("PBES2 key derivation {0} is not supported", PBE[kdfOid] ?? kdfOid));
  const kp = children(expect(child(kdf, 1), T.SEQUENCE, "PBKDF2-params"));
  const salt = octets(kp[0], "PBKDF2 salt");
  const iterations = iterationsOf(kp[1]);
  let keyLength: number | undefined;
  let prf = "1.2.840.113549.2.7";
  for (const f of kp.slice(2)) {
    if (isUniversal(f, T.INTEGER)) keyLength = intNum(f);
    else if (isUniversal(f, T.SEQUENCE)) prf = oid(child(f, 0), "PBKDF2 prf");
  }
  const cipherOid = oid(child(enc, 0), "encryptionScheme");
  const ivNode = children(enc)[1];
  let iv: Uint8Array = new Uint8Array(0);
  if (ivNode && isUniversal(ivNode, T.OCTET_STRING)) iv = value(ivNode);
  else if (ivNode && isUniversal(ivNode, T.SEQUENCE)) iv = octets(children(ivNode).slice(-1)[0], "RC2 iv");
  return { salt, iterations, keyLength, prf, cipherOid, iv };
}

/** Plain-words description of an encryption AlgorithmIdentifier, e.g. "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)". */
export function describeEncryption(alg: Node): { text: string; legacy: boolean } {
  const o = oid(child(alg, 0), "encryption algorithm");
  if (o === "1.2.840.113549.1.5.13") {
    try {
      const p = pbes2Params(child(alg, 1));
      const c = CIPHERS[p.cipherOid];
      const cname = c?.name ?? PBE[p.cipherOid] ?? p.cipherOid;
      return { text: `PBES2 (PBKDF2-${PBE[p.prf] ?? p.prf}, ${cname}, ${p.iterations} iterations)`, legacy: c ? c.legacy : /RC2|RC4|DES-CBC/.test(cname) };
    } catch (err) {
      return { text: `PBES2 (${(err as Error).message})`, legacy: false };
    }
  }
  const p12 = PKCS12_PBE[o];
  if (p12) {
    let its = "";
    try {
      its = `, ${iterationsOf(children(child(alg, 1))[1])} iterations`;
    } catch {
      /* no count */
    }
    return { text: `${p12.name}${its ? ` (${its.slice(2)})` : ""}`, legacy: p12.legacy };
  }
  if (PBES1[o]) return { text: PBES1[o].name, legacy: true };
  return { text: PBE[o] ?? o, legacy: false };
}

/**
 * Decrypts `data` encrypted under the PBE AlgorithmIdentifier `alg`. Throws PkiError "bad_password" when
 * the padding does not check out, "unsupported" for unknown schemes.
 */
export function pbeDecrypt(alg: Node, data: Uint8Array, password: Password): Uint8Array {
  const o = oid(child(alg, 0), "encryption algorithm");
  if (o === "1.2.840.113549.1.5.13") {
    const p = pbes2Params(child(alg, 1));
    const c = CIPHERS[p.cipherOid];
    if (!c) throw new PkiError("unsupported", t("PBES2 cipher {0} is not supported", PBE[p.cipherOid] ?? p.cipherOid));
    const prf = PRF[p.prf];
    if (!prf) throw new PkiError("unsupported", t("PBKDF2 PRF {0} is not supported", PBE[p.prf] ?? p.prf));
    if (p.iv.length !== c.ivLen) throw new PkiError("malformed", t("{0}: IV of {1} bytes", c.name, p.iv.length));
    // Derive only what the cipher takes: a keyLength from the file that differs is an error, not a
    // gigabyte of PBKDF2 output (a 211-byte file asked for that).
    if (p.keyLength !== undefined && p.keyLength !== c.keyLen)
      throw new PkiError("malformed", t("PBES2 keyLength {0} does not match {1}, which takes a {2}-byte key", p.keyLength, c.name, c.keyLen));
    const key = pbkdf2(utf8Password(password), p.salt, p.iterations, c.keyLen, prf, "PBES2 key derivation (PBKDF2)");
    return c.run(key, p.iv, data);
  }
  const p12 = PKCS12_PBE[o];
  if (p12) {
    const params = children(expect(child(alg, 1), T.SEQUENCE, "pkcs-12PbeParams"));
    const salt = octets(params[0], "salt");
    const it = iterationsOf(params[1]);
    const pw = bmpPassword(password);
    const key = pkcs12Kdf("sha1", pw, salt, it, 1, p12.keyLen);
    const iv = p12.ivLen ? pkcs12Kdf("sha1", pw, salt, it, 2, p12.ivLen) : new Uint8Array(0);
    return p12.run(key, iv, data);
  }
  const p1 = PBES1[o];
  if (p1) {
    const params = children(expect(child(alg, 1), T.SEQUENCE, "PBEParameter"));
    const salt = octets(params[0], "salt");
    const it = iterationsOf(params[1]);
    spendKdf(`PBES1 key derivation (${p1.hash.toUpperCase()})`, it, 1, LIMITS.jsKdfWeight);
    const d = iteratedDigest(p1.hash, Buffer.concat([utf8Password(password), salt]), it);
    return forgeDecrypt(p1.cipher, d.subarray(0, 8), d.subarray(8, 16), data, 64);
  }
  throw new PkiError("unsupported", t("encryption algorithm {0} is not supported", PBE[o] ?? o));
}

// ───────────── PKCS#12 MAC ─────────────

export interface MacInfo {
  text: string;
  check(authSafe: Uint8Array, password: Password): boolean;
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } */
export function pkcs12Mac(macData: Node): MacInfo {
  const f = children(expect(macData, T.SEQUENCE, "MacData"));
  const digestInfo = children(expect(f[0], T.SEQUENCE, "DigestInfo"));
  const algId = expect(digestInfo[0], T.SEQUENCE, "digestAlgorithm");
  const algOid = oid(child(algId, 0));
  const digest = octets(digestInfo[1], "digest");
  const salt = octets(f[1], "macSalt");
  const iterations = iterationsOf(f[2]);
  if (algOid === "1.2.840.113549.1.5.14") {
    // PBMAC1 (RFC 9579): PBKDF2-derived HMAC key.
    const [kdf, scheme] = children(expect(child(algId, 1), T.SEQUENCE, "PBMAC1-params"));
    const kp = children(child(kdf, 1));
    const kSalt = octets(kp[0]);
    const kIt = iterationsOf(kp[1]);
    let keyLength = 32;
    let prf = "1.2.840.113549.2.7";
    for (const x of kp.slice(2)) {
      if (isUniversal(x, T.INTEGER)) keyLength = intNum(x);
      else if (isUniversal(x, T.SEQUENCE)) prf = oid(child(x, 0));
    }
    const mac = PRF[oid(child(scheme, 0))];
    const prfHash = PRF[prf];
    if (!mac || !prfHash) throw new PkiError("unsupported", t("PBMAC1 with an unsupported HMAC"));
    // RFC 9579 §4: the HMAC key; anything past the hash's block size is hashed down by HMAC anyway.
    if (keyLength < 1 || keyLength > MAX_HMAC_KEY) throw new PkiError("malformed", t("PBMAC1 keyLength {0} is outside 1–{1} bytes", keyLength, MAX_HMAC_KEY));
    return {
      text: `MAC: PBMAC1 (PBKDF2-${PBE[prf] ?? prf}, ${PBE[oid(child(scheme, 0))]}, ${kIt} iterations)`,
      check(authSafe, password) {
        const key = pbkdf2(utf8Password(password), kSalt, kIt, keyLength, prfHash, "PBMAC1 key derivation (PBKDF2)");
        const h = createHmac(mac, key).update(authSafe).digest();
        return h.length === digest.length && timingSafeEqual(h, digest);
      },
    };
  }
  const h = HASH_BY_OID[algOid];
  if (!h) throw new PkiError("unsupported", t("PKCS#12 MAC algorithm {0} is not supported", PBE[algOid] ?? algOid));
  return {
    text: `MAC: HMAC-${h.name.toUpperCase()} (${iterations} iteration${iterations === 1 ? "" : "s"})`,
    check(authSafe, password) {
      const key = pkcs12Kdf(h.name, bmpPassword(password), salt, iterations, 3, h.u);
      const mac = createHmac(h.name, key).update(authSafe).digest();
      return mac.length === digest.length && timingSafeEqual(mac, digest);
    },
  };
}

// ───────────── legacy PEM encryption ─────────────

const LEGACY_PEM: Record<string, { keyLen: number; node?: string }> = {
  "DES-EDE3-CBC": { keyLen: 24, node: "des-ede3-cbc" },
  "DES-CBC": { keyLen: 8 },
  "AES-128-CBC": { keyLen: 16, node: "aes-128-cbc" },
  "AES-192-CBC": { keyLen: 24, node: "aes-192-cbc" },
  "AES-256-CBC": { keyLen: 32, node: "aes-256-cbc" },
};

/** Decrypts a "Proc-Type: 4,ENCRYPTED" PEM body given its DEK-Info header ("AES-256-CBC,<iv hex>"). */
export function legacyPemDecrypt(dekInfo: string, data: Uint8Array, password: string): Uint8Array {
  const [alg, ivHex] = dekInfo.split(",").map((s) => s.trim());
  const spec = LEGACY_PEM[alg?.toUpperCase()];
  if (!spec) throw new PkiError("unsupported", t("legacy PEM encryption {0} is not supported", alg));
  if (!ivHex || !/^[0-9a-fA-F]+$/.test(ivHex)) throw new PkiError("malformed", t("DEK-Info has no IV"));
  const iv = Buffer.from(ivHex, "hex");
  // EVP_BytesToKey(MD5, salt = first 8 bytes of the IV, count = 1)
  const pw = Buffer.from(password, "utf8");
  const salt = iv.subarray(0, 8);
  let key = Buffer.alloc(0);
  let prev = Buffer.alloc(0);
  while (key.length < spec.keyLen) {
    prev = createHash("md5").update(prev).update(pw).update(salt).digest();
    key = Buffer.concat([key, prev]);
  }
  key = key.subarray(0, spec.keyLen);
  if (spec.node) return nodeDecrypt(spec.node, key, iv, data);
  return forgeDecrypt("des", key, iv, data);
}

export function describeLegacyPem(dekInfo: string): string {
  return t("{0} (legacy PEM encryption, MD5 key derivation)", dekInfo.split(",")[0].trim());
}

