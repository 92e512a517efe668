/**
 * Cipher-suite anatomy: every suite of the IANA TLS Cipher Suites registry (iana-suites.json, a dated copy of
 * the registry) explained by its parts, derived from the IANA name — key exchange, authentication, bulk cipher
 * (algorithm, key size, mode), MAC or PRF hash, forward secrecy, AEAD, the TLS versions it exists in — and a
 * strength grade with the reasons, measured against Mozilla's server-side TLS profiles (6.0; 'old' from 5.7), NIST SP 800-52r2
 * and RFC 9325 (with RFC 7465 for RC4, RFC 8996 for TLS 1.0/1.1, RFC 7525's export/NULL/anon rules).
 */
import registry from "./iana-suites.json";

export type Strength = "strong" | "acceptable" | "weak" | "insecure";
export type ScanVersion = "SSLv3" | "TLSv1.0" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
export const SCAN_VERSIONS: ScanVersion[] = ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
export const VERSION_CODE: Record<ScanVersion, number> = { SSLv3: 0x0300, "TLSv1.0": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303, "TLSv1.3": 0x0304 };

/** The contract's `cipherParts` (keyExchange, authentication, cipher, mac, forwardSecrecy) plus the finer parts. */
export interface CipherParts {
  keyExchange: string;
  authentication: string;
  /** Bulk cipher as in the IANA name: "AES_128_GCM", "3DES_EDE_CBC", "RC4_128", "NULL". */
  cipher: string;
  /** "AEAD" for AEAD suites, else the record MAC: "SHA1", "SHA256", "SHA384", "MD5", "NULL" … */
  mac: string;
  forwardSecrecy: boolean;
  aead: boolean;
  cipherAlgorithm: string;
  /** Effective key bits (3DES: 112, export: 40). 0 for NULL. */
  keyBits: number;
  /** CBC, GCM, CCM, CCM_8, POLY1305, stream, CTR, MGM, none. */
  mode: string;
  /** PRF / HKDF hash (TLS 1.2 AEAD and TLS 1.3 suites: the name's hash; older suites: the TLS 1.0/1.1 MD5+SHA-1 PRF or SHA-256 in TLS 1.2). */
  prf: string;
  export?: boolean;
}

export interface SuiteInfo {
  code: number;
  /** "0xC02F" */
  hex: string;
  name: string;
  parts: CipherParts;
  /** The protocol versions in which the suite is defined. */
  versions: ScanVersion[];
  strength: Strength;
  /** Why the grade, in plain words with the guidance it comes from. Empty for strong suites. */
  reasons: string[];
  /** IANA "Recommended" column: Y, N or D (discouraged). */
  recommended: string;
  reference: string;
  /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV: signals, not suites. */
  signaling?: boolean;
}

export const SUITE_REGISTRY = { source: registry.source, url: registry.url, copy: registry.copy, date: registry.date };

// The last token of a name when it is the MAC (TLS 1.2) or the HKDF hash (TLS 1.3): SHA512 from
// TLS_AEGIS_256_SHA512, ASCONHASH256 (Ascon-Hash256, NIST SP 800-232) from the Ascon suites.
const MACS = new Set(["MD5", "SHA", "SHA256", "SHA384", "SHA512", "SM3", "OMAC", "IMIT", "ASCONHASH256"]);
const MODES = new Set(["CBC", "GCM", "CCM", "CTR", "CNT", "MGM", "POLY1305"]);
const AEAD_MODES = new Set(["GCM", "CCM", "CCM_8", "POLY1305", "MGM", "AEGIS", "ASCON"]);
const DEFAULT_BITS: Record<string, number> = { "3DES": 112, DES: 56, DES40: 40, IDEA: 128, SEED: 128, CHACHA20: 256, "28147": 256, KUZNYECHIK: 256, MAGMA: 256, SM4: 128, NULL: 0 };

/** Key exchange and authentication from the part before _WITH_. */
function kxAu(prefix: string): { kx: string; au: string; exp: boolean } {
  const exp = /_EXPORT$/.test(prefix);
  const p = prefix.replace(/_EXPORT$/, "");
  const table: Record<string, [string, string]> = {
    NULL: ["NULL", "NULL"],
    RSA: ["RSA", "RSA"],
    DH_DSS: ["DH", "DSS"],
    DH_RSA: ["DH", "RSA"],
    DHE_DSS: ["DHE", "DSS"],
    DHE_RSA: ["DHE", "RSA"],
    DH_anon: ["DHE", "anon"],
    KRB5: ["KRB5", "KRB5"],
    PSK: ["PSK", "PSK"],
    DHE_PSK: ["DHE", "PSK"],
    RSA_PSK: ["RSA", "PSK"],
    ECDH_ECDSA: ["ECDH", "ECDSA"],
    ECDH_RSA: ["ECDH", "RSA"],
    ECDHE_ECDSA: ["ECDHE", "ECDSA"],
    ECDHE_RSA: ["ECDHE", "RSA"],
    ECDH_anon: ["ECDHE", "anon"],
    ECDHE_PSK: ["ECDHE", "PSK"],
    SRP_SHA: ["SRP", "SRP"],
    SRP_SHA_RSA: ["SRP", "RSA"],
    SRP_SHA_DSS: ["SRP", "DSS"],
    ECCPWD: ["ECCPWD", "password"],
    GOSTR341112_256: ["GOST", "GOST"],
  };
  const [kx, au] = table[p] ?? [p, p];
  return { kx, au, exp };
}

/** Parses an IANA suite name into its parts (never throws; unknown shapes keep the raw text). */
export function partsFromName(name: string): { parts: CipherParts; tls13: boolean } {
  const withAt = name.indexOf("_WITH_");
  const tls13 = withAt < 0 || /_MGM_[LS]$/.test(name);
  let kx = "any";
  let au = "any";
  let exp = false;
  let rest: string;
  if (withAt >= 0) {
    ({ kx, au, exp } = kxAu(name.slice(4, withAt)));
    rest = name.slice(withAt + 6);
  } else rest = name.slice(4);
  const tokens = rest.split("_");
  let mac = "";
  if (tokens.length > 1 && MACS.has(tokens[tokens.length - 1])) mac = tokens.pop()!;
  if (rest === "SHA256_SHA256" || rest === "SHA384_SHA384") {
    // RFC 9150: integrity-only TLS 1.3 suites.
    return { parts: mk({ kx, au, cipher: "NULL", alg: "NULL", bits: 0, mode: "none", mac: tokens[0], aead: false, prf: tokens[0] }), tls13 };
  }
  // Ascon-AEAD128 is named as one token (TLS_ASCONAEAD128_…): the algorithm, its key bits, its own AEAD mode.
  const ascon = /^ASCONAEAD(\d+)$/.exec(tokens[0]);
  const alg = tokens[0] === "EDE" ? "3DES" : ascon ? "ASCON" : tokens[0];
  let mode = tokens.find((t) => MODES.has(t)) ?? (alg === "RC4" ? "stream" : alg === "NULL" ? "none" : alg === "AEGIS" || alg === "ASCON" ? alg : "CBC");
  if (mode === "CCM" && tokens.includes("8")) mode = "CCM_8";
  if (alg === "KUZNYECHIK" || alg === "MAGMA") mode = tokens.includes("MGM") ? "MGM" : "CTR";
  if (alg === "28147") mode = "CNT";
  const num = tokens.slice(1).map((t) => /^\d+L?$/.test(t) ? parseInt(t, 10) : NaN).find((n) => !isNaN(n) && n >= 40 && n !== 8);
  const bits = alg === "DES" && tokens.includes("40") ? 40 : ascon ? parseInt(ascon[1], 10) : (num ?? DEFAULT_BITS[alg] ?? 0);
  const aead = AEAD_MODES.has(mode);
  const macName = aead ? "AEAD" : mac === "SHA" ? "SHA1" : mac || (alg === "NULL" ? "NULL" : "");
  const prf = tls13 || aead || mac === "SHA256" || mac === "SHA384" || mac === "SM3" ? (mac === "SHA" ? "SHA256" : mac || "SHA256") : "MD5+SHA1 (TLS 1.0/1.1), SHA256 (TLS 1.2)";
  const cipher = tokens.join("_");
  const parts = mk({ kx: tls13 ? "any" : kx, au: tls13 ? "any" : au, cipher, alg, bits: exp ? Math.min(bits, 40) : bits, mode, mac: macName, aead, prf });
  if (exp) parts.export = true;
  return { parts, tls13 };
}

function mk(x: { kx: string; au: string; cipher: string; alg: string; bits: number; mode: string; mac: string; aead: boolean; prf: string }): CipherParts {
  const fs = x.kx === "DHE" || x.kx === "ECDHE" || x.kx === "any" || x.kx === "SRP" || x.kx === "ECCPWD" || x.kx === "GOST";
  return { keyExchange: x.kx, authentication: x.au, cipher: x.cipher, mac: x.mac, forwardSecrecy: fs, aead: x.aead, cipherAlgorithm: x.alg, keyBits: x.bits, mode: x.mode, prf: x.prf };
}

function versionsOf(code: number, p: CipherParts, tls13: boolean): ScanVersion[] {
  if (tls13) return ["TLSv1.3"];
  if (p.aead || p.mac === "SHA256" || p.mac === "SHA384" || p.cipherAlgorithm === "ARIA" || p.mac === "OMAC" || p.mac === "IMIT") return ["TLSv1.2"];
  if (p.export) return ["SSLv3", "TLSv1.0"];
  const ssl3 = code <= 0x00ff && !["PSK", "SRP"].includes(p.authentication);
  if (p.cipherAlgorithm === "IDEA" || p.cipherAlgorithm === "DES") return ssl3 ? ["SSLv3", "TLSv1.0", "TLSv1.1"] : ["TLSv1.0", "TLSv1.1"];
  return ssl3 ? ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"] : ["TLSv1.0", "TLSv1.1", "TLSv1.2"];
}

/** The grade: the worst of the reasons that apply. */
export function grade(p: CipherParts): { strength: Strength; reasons: string[] } {
  const insecure: string[] = [];
  const weak: string[] = [];
  const fair: string[] = [];
  if (p.cipherAlgorithm === "NULL") insecure.push("no encryption (NULL cipher): the traffic is readable by anyone on the path (RFC 9325 §4.1 MUST NOT)");
  if (p.authentication === "anon" || p.authentication === "NULL") insecure.push("anonymous key exchange: the server is not authenticated, so a man in the middle goes unnoticed (RFC 9325 §4.1 MUST NOT)");
  if (p.export) insecure.push("export-grade cryptography (40-bit keys, FREAK/Logjam) (RFC 9325 §4.1 MUST NOT)");
  if (p.cipherAlgorithm === "RC4") insecure.push("RC4 has exploitable biases (RFC 7465 prohibits it)");
  if (p.cipherAlgorithm === "DES" || p.cipherAlgorithm === "DES40" || p.cipherAlgorithm === "RC2") insecure.push(`${p.cipherAlgorithm} keys are brute-forceable (RFC 9325 §4.1; NIST SP 800-52r2 disallows)`);
  if (p.mac === "MD5") insecure.push("HMAC-MD5 record MAC (RFC 9325 §4.1, NIST SP 800-52r2 disallow MD5)");
  if (p.cipherAlgorithm === "3DES") weak.push("3DES has a 64-bit block (Sweet32) and 112-bit strength; NIST SP 800-131A disallows it after 2023 (Mozilla 'old' only)");
  if (p.cipherAlgorithm === "IDEA") weak.push("IDEA has a 64-bit block (Sweet32) and is removed from TLS 1.2 (RFC 5246)");
  if (!p.forwardSecrecy && !insecure.length)
    weak.push(`no forward secrecy: ${p.keyExchange === "RSA" ? "static RSA key transport" : p.keyExchange === "PSK" ? "plain pre-shared key" : `static ${p.keyExchange}`} — a stolen server key decrypts recorded traffic (RFC 9325 §4.1 SHOULD NOT; Mozilla 'old' only)`);
  if (p.mode === "CBC" && p.mac === "SHA1" && !insecure.length) weak.push("CBC mode with HMAC-SHA1 (MAC-then-encrypt: Lucky13/padding-oracle history; Mozilla 'old' only; RFC 9325 §4.2 prefers AEAD)");
  else if (p.mode === "CBC" && !insecure.length) fair.push("CBC mode (MAC-then-encrypt) rather than AEAD: not in Mozilla 'intermediate'; RFC 9325 §4.2 prefers AEAD");
  if (p.keyExchange === "DHE" && !["PSK", "anon", "NULL"].includes(p.authentication) && !insecure.length)
    fair.push("finite-field DHE: no longer in Mozilla 'intermediate' (guideline 6.0) — slower than ECDHE, and TLS 1.2 has no way to agree on a group size (RFC 7919)");
  if (p.mode === "CCM_8") fair.push("AES-CCM with an 8-byte tag (IANA: not recommended; for constrained devices)");
  if (["CAMELLIA", "ARIA", "SEED", "SM4", "KUZNYECHIK", "MAGMA", "28147", "AEGIS"].includes(p.cipherAlgorithm)) fair.push(`${p.cipherAlgorithm} is not in Mozilla's profiles or NIST SP 800-52r2's list (national or niche cipher)`);
  if (p.cipherAlgorithm === "ASCON") fair.push("Ascon-AEAD128 (NIST SP 800-232, lightweight cryptography for constrained devices) is not in Mozilla's profiles or NIST SP 800-52r2's list");
  if (p.prf === "ASCONHASH256") fair.push("Ascon-Hash256 as the handshake (HKDF) hash (NIST SP 800-232) is not in Mozilla's profiles or NIST SP 800-52r2's list");
  if (["SRP", "ECCPWD", "KRB5", "GOST"].includes(p.keyExchange) && !insecure.length) fair.push(`${p.keyExchange} key exchange is not in Mozilla's profiles or NIST SP 800-52r2`);
  if (p.authentication === "DSS") weak.push("DSA server authentication (removed from TLS 1.3; NIST FIPS 186-5 no longer approves DSA signatures)");
  if (insecure.length) return { strength: "insecure", reasons: [...insecure, ...weak] };
  if (weak.length) return { strength: "weak", reasons: [...weak, ...fair] };
  if (fair.length) return { strength: "acceptable", reasons: fair };
  return { strength: "strong", reasons: [] };
}

function build(): Map<number, SuiteInfo> {
  const out = new Map<number, SuiteInfo>();
  for (const [hex, name, recommended, , reference] of registry.suites as [string, string, string, boolean, string][]) {
    const code = parseInt(hex, 16);
    const signaling = /_SCSV$/.test(name);
    const { parts, tls13 } = partsFromName(name);
    const g = signaling ? { strength: "strong" as Strength, reasons: [] } : grade(parts);
    out.set(code, { code, hex, name, parts, versions: signaling ? [] : versionsOf(code, parts, tls13), strength: g.strength, reasons: g.reasons, recommended, reference, ...(signaling ? { signaling } : {}) });
  }
  return out;
}

let table: Map<number, SuiteInfo> | undefined;
const byName = new Map<string, SuiteInfo>();

/** Every IANA suite, by code point. */
export function allSuites(): Map<number, SuiteInfo> {
  if (!table) {
    table = build();
    for (const s of table.values()) byName.set(s.name, s);
  }
  return table;
}

export function suiteByCode(code: number): SuiteInfo | undefined {
  return allSuites().get(code);
}

/** By IANA name (TLS_…), as Node's `standardName` and the decoder print them. */
export function suiteByName(name: string): SuiteInfo | undefined {
  allSuites();
  return byName.get(name);
}

export function hexCode(code: number): string {
  return "0x" + code.toString(16).toUpperCase().padStart(4, "0");
}

export { explainParts } from "../../../shared/cipherExplain";
