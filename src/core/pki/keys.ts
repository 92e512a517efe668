/**
 * Private and public keys: PKCS#8 (plain and encrypted), PKCS#1 RSA, SEC1 EC, legacy encrypted PEM,
 * SubjectPublicKeyInfo and PKCS#1 RSA public keys. Models say what a key is (type, size, encryption),
 * never what it contains.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import type { EncodingFinding, PrivateKeyModel, PublicKeyInfo, PublicKeyModel } from "../../shared/model";
import { CURVES } from "./oids";
import { type Node, CLS_CONTEXT, bitLength, child, children, expect, isUniversal, oid, octets, parse, sequenceChildren, T, value } from "./der";
import { PkiError, asPkiError } from "./errors";
import { Findings, checkTree } from "./findings";
import { describeEncryption, describeLegacyPem, legacyPemDecrypt, pbeDecrypt } from "./pbe";
import { scanPem } from "./pem";
import { keyInfoFromParts, publicKeyInfo, sha256Hex } from "./spki";
import { withinOperation } from "../budget";
import { t } from "../l10n";

export type KeyFormat = "pkcs8" | "pkcs8-encrypted" | "pkcs1" | "sec1" | "dsa";

const KEY_LABELS: Record<string, KeyFormat> = {
  "PRIVATE KEY": "pkcs8",
  "ENCRYPTED PRIVATE KEY": "pkcs8-encrypted",
  "RSA PRIVATE KEY": "pkcs1",
  "EC PRIVATE KEY": "sec1",
  "DSA PRIVATE KEY": "dsa",
};

export function isPrivateKeyLabel(label: string): boolean {
  return label in KEY_LABELS;
}

/** Structure-only detection of a DER private key. */
export function detectPrivateKeyDer(top: Node): KeyFormat | undefined {
  const f = sequenceChildren(top);
  if (!f) return undefined;
  if (f.length === 2 && isUniversal(f[0], T.SEQUENCE) && isUniversal(f[1], T.OCTET_STRING)) {
    try {
      const o = oid(child(f[0], 0));
      if (o.startsWith("1.2.840.113549.1.5.") || o.startsWith("1.2.840.113549.1.12.1.")) return "pkcs8-encrypted";
    } catch {
      return undefined;
    }
  }
  if (f.length >= 3 && isUniversal(f[0], T.INTEGER) && isUniversal(f[1], T.SEQUENCE) && isUniversal(f[2], T.OCTET_STRING)) return "pkcs8";
  if (f.length === 9 && f.every((x) => isUniversal(x, T.INTEGER))) return "pkcs1";
  if (f.length === 6 && f.every((x) => isUniversal(x, T.INTEGER))) return "dsa";
  if (f.length >= 2 && isUniversal(f[0], T.INTEGER) && isUniversal(f[1], T.OCTET_STRING) && f.slice(2).every((x) => x.cls === CLS_CONTEXT)) return "sec1";
  return undefined;
}

function nodeType(format: KeyFormat): "pkcs8" | "pkcs1" | "sec1" {
  return format === "pkcs1" ? "pkcs1" : format === "sec1" ? "sec1" : "pkcs8";
}

/** PKCS#8 DER of an unencrypted key in any of the formats above. */
export function toPkcs8(der: Uint8Array, format: KeyFormat): Uint8Array {
  if (format === "pkcs8") return der;
  if (format === "pkcs8-encrypted") throw new PkiError("needs_password", t("the private key is encrypted: a password is needed"));
  try {
    const type = format === "dsa" ? undefined : nodeType(format);
    if (!type) throw new PkiError("unsupported", t("DSA keys in OpenSSL's traditional format cannot be converted"));
    const k = createPrivateKey({ key: Buffer.from(der), format: "der", type });
    return new Uint8Array(k.export({ format: "der", type: "pkcs8" }));
  } catch (err) {
    throw asPkiError(err);
  }
}

/** Public key facts of an unencrypted private key, from its own structure (+ SPKI hash through node:crypto). */
export function privateKeyInfo(der: Uint8Array, format: KeyFormat): PublicKeyInfo {
  const top = parse(der);
  const f = children(expect(top, T.SEQUENCE, "private key"));
  let info: PublicKeyInfo;
  if (format === "pkcs8") {
    // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET STRING, [0] attributes, [1] publicKey }
    const inner = octets(f[2], "privateKey");
    let rsaBits: Uint8Array | undefined;
    info = keyInfoFromParts(f[1], undefined);
    if (info.algorithm === "RSA" || info.algorithm === "RSA-PSS") {
      const rsa = children(parse(inner));
      rsaBits = value(rsa[1]);
      info.bits = bitLength(rsaBits);
    } else if (info.algorithm === "EC" && !info.curve) {
      const ec = children(parse(inner));
      const params = ec.find((x) => x.cls === CLS_CONTEXT && x.num === 0);
      if (params) applyCurve(info, child(params, 0));
    }
  } else if (format === "pkcs1") {
    info = { algorithm: "RSA", bits: bitLength(value(f[1])) };
  } else if (format === "sec1") {
    info = { algorithm: "EC" };
    const params = f.find((x) => x.cls === CLS_CONTEXT && x.num === 0);
    if (params) applyCurve(info, child(params, 0));
  } else if (format === "dsa") {
    info = { algorithm: "DSA", bits: bitLength(value(f[1])) };
  } else throw new PkiError("needs_password", t("the private key is encrypted"));
  try {
    const type = format === "dsa" ? "pkcs1" : nodeType(format);
    const priv = createPrivateKey({ key: Buffer.from(der), format: "der", type });
    const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
    const full = publicKeyInfo(new Uint8Array(spki));
    info = { ...info, ...full, ...(info.bits && !full.bits ? { bits: info.bits } : {}) };
    info.spkiSha256 = sha256Hex(spki);
  } catch {
    /* the facts above stand; no SPKI hash */
  }
  return info;
}

function applyCurve(info: PublicKeyInfo, n: Node) {
  if (!isUniversal(n, T.OID)) return;
  const c = oid(n);
  info.curve = CURVES[c]?.name ?? c;
  if (CURVES[c]) info.bits = CURVES[c].bits;
}

export interface KeyDecodeContext {
  line?: number;
  label?: string;
  headers?: Record<string, string>;
  password?: string;
}

/**
 * A PrivateKeyModel for a key in `format`. Encrypted keys are opened only when a password is given; a wrong
 * password throws PkiError("bad_password") (callers report it and can still show `locked`).
 */
export function privateKeyModel(der: Uint8Array, format: KeyFormat, ctx: KeyDecodeContext = {}): PrivateKeyModel {
  const base = (extra: Partial<PrivateKeyModel>): PrivateKeyModel => ({
    kind: "privateKey",
    ...(ctx.line !== undefined ? { line: ctx.line } : {}),
    encrypted: false,
    ...extra,
  });
  const procType = ctx.headers?.["Proc-Type"];
  if (procType && /ENCRYPTED/i.test(procType)) {
    const dek = ctx.headers?.["DEK-Info"] ?? "";
    const model = base({ encrypted: true, format: "legacy-pem", encryption: [describeLegacyPem(dek)] });
    if (ctx.password !== undefined) {
      const plain = legacyPemDecrypt(dek, der, ctx.password);
      const fmt = detectPrivateKeyDer(safeParse(plain)) ?? format;
      model.publicKey = privateKeyInfo(plain, fmt);
    }
    return model;
  }
  if (format === "pkcs8-encrypted") {
    const [alg, data] = children(expect(parse(der), T.SEQUENCE, "EncryptedPrivateKeyInfo"));
    const d = describeEncryption(alg);
    const model = base({ encrypted: true, format: "pkcs8", encryption: [d.text], findings: keyFindings(der, "encryptedPrivateKeyInfo") });
    if (ctx.password !== undefined) {
      const plain = decryptEncryptedPkcs8(alg, octets(data), ctx.password);
      model.publicKey = privateKeyInfo(plain, "pkcs8");
    }
    return model;
  }
  return base({ format, publicKey: privateKeyInfo(der, format), findings: keyFindings(der, "privateKey") });
}

/** X.690 DER findings of a key's structure (the messages never quote the content octets). */
function keyFindings(der: Uint8Array, where: string): EncodingFinding[] {
  const f = new Findings();
  checkTree(parse(der, true), where, f);
  return f.result();
}

function safeParse(b: Uint8Array): Node {
  try {
    return parse(b);
  } catch {
    throw new PkiError("bad_password", t("decryption produced garbage (wrong password?)"));
  }
}

function decryptEncryptedPkcs8(alg: Node, data: Uint8Array, password: string): Uint8Array {
  let plain: Uint8Array;
  try {
    plain = pbeDecrypt(alg, data, password);
  } catch (err) {
    const e = asPkiError(err);
    if (e.code === "bad_password") throw new PkiError("bad_password", t("wrong password for the encrypted private key"));
    throw e;
  }
  if (detectPrivateKeyDer(safeParse(plain)) !== "pkcs8") throw new PkiError("bad_password", t("wrong password for the encrypted private key"));
  return plain;
}

/**
 * PKCS#8 DER of a private key given as PEM text or DER bytes, decrypting it when needed.
 * PkiError codes: "needs_password", "bad_password", "not_pki", "malformed", "unsupported".
 */
export function decryptPrivateKey(pemOrDer: string | Uint8Array, passphrase?: string): Uint8Array {
  return withinOperation(() => decryptPrivateKeyWithin(pemOrDer, passphrase));
}

function decryptPrivateKeyWithin(pemOrDer: string | Uint8Array, passphrase?: string): Uint8Array {
  let text: string | undefined;
  if (typeof pemOrDer === "string") text = pemOrDer;
  else if (!looksLikeDer(pemOrDer)) text = Buffer.from(pemOrDer).toString("latin1");
  if (text !== undefined) {
    const block = scanPem(text).find((b) => isPrivateKeyLabel(b.label));
    if (!block) throw new PkiError("not_pki", t("no private key PEM block found"));
    if (block.error || !block.der) throw new PkiError("malformed", t("PEM block '{0}' at line {1}: {2}", block.label, block.line, block.error), block.line);
    const format = KEY_LABELS[block.label];
    const procType = block.headers?.["Proc-Type"];
    if (procType && /ENCRYPTED/i.test(procType)) {
      if (passphrase === undefined) throw new PkiError("needs_password", t("the private key is encrypted: a passphrase is needed"), block.line);
      const plain = legacyPemDecrypt(block.headers?.["DEK-Info"] ?? "", block.der, passphrase);
      const fmt = detectPrivateKeyDer(safeParse(plain));
      if (!fmt || fmt === "pkcs8-encrypted") throw new PkiError("bad_password", t("wrong passphrase for the encrypted private key"), block.line);
      return toPkcs8(plain, fmt);
    }
    return fromDer(block.der, format, passphrase);
  }
  const top = parse(pemOrDer as Uint8Array);
  const format = detectPrivateKeyDer(top);
  if (!format) throw new PkiError("not_pki", t("not a private key"));
  return fromDer(pemOrDer as Uint8Array, format, passphrase);
}

function looksLikeDer(b: Uint8Array): boolean {
  if (!b.length || b[0] !== 0x30) return false;
  try {
    parse(b);
    return true;
  } catch {
    return false;
  }
}

function fromDer(der: Uint8Array, format: KeyFormat, passphrase?: string): Uint8Array {
  if (format === "pkcs8-encrypted") {
    if (passphrase === undefined) throw new PkiError("needs_password", t("the private key is encrypted: a passphrase is needed"));
    const [alg, data] = children(expect(parse(der), T.SEQUENCE, "EncryptedPrivateKeyInfo"));
    return decryptEncryptedPkcs8(alg, octets(data), passphrase);
  }
  return toPkcs8(der, format);
}

/** PublicKeyModel for SPKI ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY") DER. */
export function publicKeyModel(der: Uint8Array, pkcs1: boolean, line?: number): PublicKeyModel {
  let info: PublicKeyInfo;
  if (pkcs1) {
    const f = children(expect(parse(der), T.SEQUENCE, "RSAPublicKey"));
    if (f.length !== 2) throw new PkiError("malformed", t("RSAPublicKey: expected modulus and exponent"));
    info = { algorithm: "RSA", bits: bitLength(value(expect(f[0], T.INTEGER, "modulus"))) };
    try {
      const spki = createPublicKey({ key: Buffer.from(der), format: "der", type: "pkcs1" }).export({ format: "der", type: "spki" });
      info.spkiSha256 = sha256Hex(spki);
    } catch {
      /* no hash */
    }
  } else info = publicKeyInfo(der);
  return { kind: "publicKey", ...(line !== undefined ? { line } : {}), publicKey: info, findings: keyFindings(der, pkcs1 ? "rsaPublicKey" : "subjectPublicKeyInfo") };
}

