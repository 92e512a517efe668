/**
 * Containers: PKCS#7 / CMS SignedData (certificate bundles, .p7b) and PKCS#12 (.p12/.pfx), modern
 * (PBES2 + AES, PBKDF2, HMAC-SHA256 MAC or PBMAC1) and legacy (SHA-1 PBE with RC2-40 / 3DES / RC4).
 */
import { PKCS } from "./oids";
import { type Node, CLS_CONTEXT, child, children, concat, expect, intNum, isUniversal, oid, octets, parse, raw, str, T, value } from "./der";
import { PkiError, asPkiError } from "./errors";
import { describeEncryption, pbeDecrypt, pkcs12Mac, type Password } from "./pbe";
import { detectPrivateKeyDer } from "./keys";
import { withinOperation } from "../budget";
import { t } from "../l10n";

const OID_DATA = "1.2.840.113549.1.7.1";
const OID_SIGNED = "1.2.840.113549.1.7.2";
const OID_ENCRYPTED = "1.2.840.113549.1.7.6";
const OID_ENVELOPED = "1.2.840.113549.1.7.3";

function contentInfo(n: Node): { type: string; content?: Node } {
  const f = children(expect(n, T.SEQUENCE, "ContentInfo"));
  const type = oid(f[0], "contentType");
  const wrap = f[1];
  if (!wrap) return { type };
  if (wrap.cls !== CLS_CONTEXT || wrap.num !== 0) throw new PkiError("malformed", t("ContentInfo: content is not [0]"));
  return { type, content: child(wrap, 0) };
}

/** Content of a possibly constructed (BER) implicitly tagged string. */
function implicitOctets(n: Node): Uint8Array {
  if (!n.cons) return value(n);
  return concat(children(n).map((c) => implicitOctets(c)));
}

export function isPkcs7(top: Node): boolean {
  try {
    const f = children(top);
    return isUniversal(f[0], T.OID) && oid(f[0]) === OID_SIGNED;
  } catch {
    return false;
  }
}

export function isPkcs12(top: Node): boolean {
  try {
    const f = children(top);
    if (!isUniversal(f[0], T.INTEGER) || intNum(f[0]) !== 3 || !isUniversal(f[1], T.SEQUENCE)) return false;
    const t = oid(child(f[1], 0));
    return t === OID_DATA || t === OID_SIGNED;
  } catch {
    return false;
  }
}

/** Certificates and CRLs (DER) of a PKCS#7 / CMS SignedData, in order. */
export function readPkcs7(der: Uint8Array): { certs: Uint8Array[]; crls: Uint8Array[] } {
  const ci = contentInfo(parse(der, true));
  if (ci.type !== OID_SIGNED) throw new PkiError("unsupported", t("PKCS#7 content type {0} holds no certificates", PKCS[ci.type] ?? ci.type));
  if (!ci.content) throw new PkiError("malformed", t("PKCS#7 SignedData: no content"));
  const certs: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  for (const f of children(expect(ci.content, T.SEQUENCE, "SignedData"))) {
    if (f.cls !== CLS_CONTEXT) continue;
    if (f.num === 0) for (const c of children(f)) if (isUniversal(c, T.SEQUENCE)) certs.push(raw(c));
    if (f.num === 1) for (const c of children(f)) if (isUniversal(c, T.SEQUENCE)) crls.push(raw(c));
  }
  return { certs, crls };
}

// ───────────── PKCS#12 ─────────────

export interface Pkcs12Bag {
  friendlyName?: string;
  localKeyId?: string;
}
export interface Pkcs12Contents {
  encryption: string[];
  legacy: boolean;
  certificates: (Pkcs12Bag & { der: Uint8Array })[];
  crls: Uint8Array[];
  /** pkcs8 is absent when the key could not be opened. */
  keys: (Pkcs12Bag & { pkcs8?: Uint8Array; encryption?: string })[];
  /** Set when no password opened the file: bad_password or needs_password. */
  passwordError?: PkiError;
}

function bagAttributes(attrs: Node | undefined): Pkcs12Bag {
  const out: Pkcs12Bag = {};
  if (!attrs) return out;
  for (const a of children(attrs)) {
    try {
      const [t, vals] = children(a);
      const type = oid(t);
      const v = children(vals)[0];
      if (!v) continue;
      if (type === "1.2.840.113549.1.9.20") out.friendlyName = str(v);
      else if (type === "1.2.840.113549.1.9.21") out.localKeyId = Buffer.from(value(v)).toString("hex");
    } catch {
      /* ignore odd attributes */
    }
  }
  return out;
}

/**
 * Runs a decryption: a failed padding check becomes `wrongPassword`; a structure the decryption cannot use
 * (unsupported scheme, absurd parameters, a budget reached) stays what it is.
 */
function decryptOr(fn: () => Uint8Array, wrongPassword: string): Uint8Array {
  try {
    return fn();
  } catch (err) {
    const e = asPkiError(err);
    if (e.code === "bad_password") throw new PkiError("bad_password", wrongPassword);
    throw e;
  }
}

/**
 * Reads a PKCS#12 file trying `passwords` in order (the MAC tells which one is right). Never throws for a
 * wrong password: `passwordError` says so and the encryption list is still filled.
 */
export function readPkcs12(der: Uint8Array, passwords: Password[]): Pkcs12Contents {
  // One budget for the whole file: MAC checks and every bag's key derivation are summed (../budget.ts).
  return withinOperation(() => readPkcs12Within(der, passwords));
}

function readPkcs12Within(der: Uint8Array, passwords: Password[]): Pkcs12Contents {
  const out: Pkcs12Contents = { encryption: [], legacy: false, certificates: [], crls: [], keys: [] };
  const encSet = new Set<string>();
  const addEnc = (text: string, legacy: boolean) => {
    if (!encSet.has(text)) {
      encSet.add(text);
      out.encryption.push(text);
    }
    if (legacy) out.legacy = true;
  };
  const f = children(expect(parse(der, true), T.SEQUENCE, "PFX"));
  const version = intNum(f[0], "PFX version");
  if (version !== 3) throw new PkiError("unsupported", t("PKCS#12 version {0} (expected 3)", version));
  const auth = contentInfo(f[1]);
  if (auth.type !== OID_DATA) throw new PkiError("unsupported", t("PKCS#12 with public-key integrity (signedData) is not supported"));
  if (!auth.content) throw new PkiError("malformed", t("PKCS#12: empty authSafe"));
  const authSafe = auth.content.cons ? implicitOctets(auth.content) : octets(auth.content, "authSafe");
  let password: Password | undefined;
  const userGave = !(passwords.length === 2 && passwords[0] === "" && passwords[1] === null);
  if (f[2]) {
    const mac = pkcs12Mac(f[2]);
    addEnc(mac.text, false);
    password = passwords.find((p) => mac.check(authSafe, p));
    if (password === undefined) {
      out.passwordError = userGave
        ? new PkiError("bad_password", t("wrong password for the PKCS#12 file (MAC check failed)"))
        : new PkiError("needs_password", t("the PKCS#12 file is protected by a password (the empty password did not open it)"));
    }
  }
  const safes = children(expect(parse(authSafe), T.SEQUENCE, "AuthenticatedSafe"));
  const walkBags = (sc: Uint8Array, pw: Password | undefined, depth: number, encrypted: boolean) => {
    if (depth > 4) throw new PkiError("malformed", t("PKCS#12 safe contents nested too deeply"));
    for (const bag of children(expect(parse(sc), T.SEQUENCE, "SafeContents"))) {
      const bf = children(expect(bag, T.SEQUENCE, "SafeBag"));
      const bagId = oid(bf[0], "bagId");
      const bagValue = bf[1] && bf[1].cls === CLS_CONTEXT && bf[1].num === 0 ? child(bf[1], 0) : undefined;
      const attrs = bagAttributes(bf[2]);
      if (!bagValue) continue;
      switch (bagId) {
        case "1.2.840.113549.1.12.10.1.1": // keyBag
          addEnc(t("private key: not encrypted"), false);
          if (pw !== undefined) out.keys.push({ ...attrs, pkcs8: raw(bagValue) });
          break;
        case "1.2.840.113549.1.12.10.1.2": {
          const [alg, data] = children(expect(bagValue, T.SEQUENCE, "EncryptedPrivateKeyInfo"));
          const d = describeEncryption(alg);
          addEnc(t("private key: {0}", d.text), d.legacy);
          if (pw === undefined) break;
          const pkcs8 = decryptOr(() => pbeDecrypt(alg, octets(data), pw), t("wrong password for the PKCS#12 private key"));
          try {
            if (detectPrivateKeyDer(parse(pkcs8)) !== "pkcs8") throw new PkiError("bad_password", "x");
          } catch {
            throw new PkiError("bad_password", t("wrong password for the PKCS#12 private key"));
          }
          out.keys.push({ ...attrs, pkcs8, encryption: d.text });
          break;
        }
        case "1.2.840.113549.1.12.10.1.3": {
          const [certId, cv] = children(expect(bagValue, T.SEQUENCE, "CertBag"));
          const type = oid(certId);
          if (type !== "1.2.840.113549.1.9.22.1") {
            addEnc(t("certificate of type {0} skipped", PKCS[type] ?? type), false);
            break;
          }
          if (!encrypted) addEnc(t("certificates: not encrypted"), false);
          if (pw !== undefined) out.certificates.push({ ...attrs, der: octets(child(cv, 0), "x509Certificate") });
          break;
        }
        case "1.2.840.113549.1.12.10.1.4": {
          const [, cv] = children(expect(bagValue, T.SEQUENCE, "CRLBag"));
          if (pw !== undefined) out.crls.push(octets(child(cv, 0), "x509CRL"));
          break;
        }
        case "1.2.840.113549.1.12.10.1.6":
          walkBags(raw(bagValue), pw, depth + 1, encrypted);
          break;
        default:
          break;
      }
    }
  };
  const tryOpen = (pw: Password | undefined) => {
    for (const s of safes) {
      const ci = contentInfo(s);
      if (ci.type === OID_DATA) {
        if (!ci.content) continue;
        walkBags(ci.content.cons && ci.content.cls === 0 && ci.content.num === T.OCTET_STRING ? value(ci.content) : octets(ci.content), pw, 0, false);
      } else if (ci.type === OID_ENCRYPTED) {
        if (!ci.content) continue;
        const ed = children(expect(ci.content, T.SEQUENCE, "EncryptedData"));
        const eci = children(expect(ed[1], T.SEQUENCE, "EncryptedContentInfo"));
        const d = describeEncryption(eci[1]);
        addEnc(t("certificates: {0}", d.text), d.legacy);
        if (pw === undefined || !eci[2]) continue;
        const plain = decryptOr(() => pbeDecrypt(eci[1], implicitOctets(eci[2]), pw), t("wrong password for the PKCS#12 file (decryption failed)"));
        try {
          parse(plain);
        } catch {
          throw new PkiError("bad_password", t("wrong password for the PKCS#12 file (decryption failed)"));
        }
        walkBags(plain, pw, 0, true);
      } else if (ci.type === OID_ENVELOPED) {
        addEnc(t("public-key encrypted content (envelopedData) not opened"), false);
      }
    }
  };
  if (!f[2] && !out.passwordError) {
    // No MAC: the first password that decrypts everything wins.
    let lastErr: PkiError | undefined;
    for (const pw of passwords) {
      const snapshot = { c: out.certificates.length, k: out.keys.length, r: out.crls.length };
      try {
        tryOpen(pw);
        password = pw;
        lastErr = undefined;
        break;
      } catch (err) {
        const e = asPkiError(err);
        out.certificates.length = snapshot.c;
        out.keys.length = snapshot.k;
        out.crls.length = snapshot.r;
        if (e.code !== "bad_password") throw e;
        lastErr = e;
      }
    }
    if (lastErr) {
      out.passwordError = userGave ? lastErr : new PkiError("needs_password", t("the PKCS#12 file is protected by a password (the empty password did not open it)"));
      tryOpen(undefined);
    }
  } else tryOpen(out.passwordError ? undefined : password);
  return out;
}

/**
 * Opens a PKCS#12 file: certificates (DER; the one whose localKeyID matches a key first, then file order)
 * and private keys (PKCS#8 DER). An empty password also tries the "no password" encoding. Throws PkiError
 * "bad_password" when the password is wrong.
 */
export function openPkcs12(bytes: Uint8Array, password: string): { certificates: Uint8Array[]; privateKeys: Uint8Array[]; encryption: string[]; legacy: boolean } {
  const r = readPkcs12(bytes, password === "" ? ["", null] : [password]);
  if (r.passwordError) throw new PkiError(r.passwordError.code === "needs_password" ? "bad_password" : r.passwordError.code, r.passwordError.message);
  // The certificate whose localKeyID matches a key's comes first (the end-entity certificate).
  const keyIds = new Set(r.keys.map((k) => k.localKeyId).filter(Boolean));
  const certs = [...r.certificates.filter((c) => c.localKeyId && keyIds.has(c.localKeyId)), ...r.certificates.filter((c) => !c.localKeyId || !keyIds.has(c.localKeyId))];
  return {
    certificates: certs.map((c) => c.der),
    privateKeys: r.keys.filter((k) => k.pkcs8).map((k) => k.pkcs8 as Uint8Array),
    encryption: r.encryption,
    legacy: r.legacy,
  };
}
