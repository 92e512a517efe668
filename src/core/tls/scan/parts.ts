/**
 * A negotiated suite explained by its parts (the contract's `cipherParts`) and the warnings a successful
 * handshake with a weak part deserves. TLS 1.3 suites name only the cipher and hash: their key exchange comes
 * from the negotiated group and their authentication from the server's certificate (CertificateVerify).
 */
import { english, type Translate } from "../../../shared/format";
import type { HandshakeResult } from "../../../shared/model";
import type { ScanCipherParts } from "../../../shared/scanModel";
import { explainParts, suiteByName, type CipherParts } from "../suites/anatomy";

/** The key exchange of a TLS 1.3 group. */
export function groupKeyExchange(group: string | undefined): string | undefined {
  if (!group) return undefined;
  if (/^ffdhe/i.test(group) || /^DHE-/.test(group)) return "DHE";
  if (/MLKEM|Kyber/i.test(group)) return /^X25519|^SecP/i.test(group) ? "ECDHE+ML-KEM" : "ML-KEM";
  return "ECDHE";
}

/** TLS 1.3 parts resolved from the group and the certificate families the server showed. */
export function tls13Parts(group: string | undefined, families: string[]): Partial<CipherParts> {
  const out: Partial<CipherParts> = {};
  const kx = groupKeyExchange(group);
  if (kx) out.keyExchange = kx;
  const fam = [...new Set(families)];
  if (fam.length) out.authentication = fam.join(" or ");
  return out;
}

function leafFamily(r: HandshakeResult): string | undefined {
  const alg = r.serverChain[0]?.publicKey?.algorithm;
  if (!alg) return undefined;
  if (/^RSA/i.test(alg)) return "RSA";
  if (/^EC/i.test(alg)) return "ECDSA";
  if (/^Ed/i.test(alg)) return "EdDSA";
  return alg;
}

/** The contract's shape plus the finer parts, for a handshake result. */
export function handshakeCipherParts(r: HandshakeResult): ScanCipherParts | undefined {
  const s = r.cipher ? suiteByName(r.cipher) : undefined;
  if (!s) return undefined;
  const p: ScanCipherParts = { ...s.parts };
  if (s.versions.includes("TLSv1.3")) {
    const fam = leafFamily(r);
    Object.assign(p, tls13Parts(r.group, fam ? [fam] : []));
  }
  return p;
}

/** The prime size of a DHE ServerKeyExchange, as the decoder recorded it. */
function dhBits(r: HandshakeResult): number | undefined {
  const ske = r.messages.find((m) => m.from === "server" && m.type === "ServerKeyExchange");
  const bits = ske?.detail?.primeBits;
  return typeof bits === "number" ? bits : undefined;
}

/** Plain-words warnings for a successful handshake's weak parts (TLS 1.0/1.1 is warned about by the runner). */
export function cipherWarnings(r: HandshakeResult, t: Translate = english): string[] {
  const s = r.cipher ? suiteByName(r.cipher) : undefined;
  if (!s) return [];
  const p = s.parts;
  const out: string[] = [];
  const name = s.name;
  if (p.cipherAlgorithm === "NULL") out.push(t("The negotiated suite {0} does not encrypt: the traffic is readable by anyone on the path. Remove NULL suites from the server's cipher list.", name));
  if (p.authentication === "anon") out.push(t("The negotiated suite {0} is anonymous: the server was not authenticated. Remove anonymous (aNULL) suites.", name));
  if (p.export) out.push(t("The negotiated suite {0} is export-grade (40-bit): remove EXPORT suites from the server.", name));
  if (p.cipherAlgorithm === "RC4") out.push(t("The negotiated suite {0} uses RC4, prohibited by RFC 7465: remove RC4 suites from the server.", name));
  if (p.cipherAlgorithm === "3DES" || p.cipherAlgorithm === "DES" || p.cipherAlgorithm === "IDEA")
    out.push(t("The negotiated suite {0} uses {1}, a 64-bit block cipher (Sweet32): prefer AES-GCM or ChaCha20-Poly1305.", name, p.cipherAlgorithm));
  if (!p.forwardSecrecy && p.authentication !== "anon" && p.cipherAlgorithm !== "NULL")
    out.push(
      t(
        "The negotiated suite {0} has no forward secrecy ({1}): whoever obtains the server's private key can decrypt recorded traffic. Prefer ECDHE or DHE suites.",
        name,
        p.keyExchange === "RSA" ? t("static RSA key exchange") : t("static {0}", p.keyExchange),
      ),
    );
  if (p.mode === "CBC" && p.mac === "SHA1") out.push(t("The negotiated suite {0} is CBC with HMAC-SHA1 (MAC-then-encrypt, the Lucky13 family): prefer an AEAD suite (AES-GCM, ChaCha20-Poly1305).", name));
  const bits = p.keyExchange === "DHE" ? dhBits(r) : undefined;
  if (bits !== undefined && bits < 2048) out.push(t("The server's DHE group is {0} bits, under the 2048 that NIST SP 800-52r2 and Mozilla ask for (Logjam): use ffdhe2048 or larger, or ECDHE.", bits));
  return out;
}

export { explainParts };

/** One line for reports: "key exchange ECDHE · authentication RSA · cipher AES_128_GCM · MAC AEAD · forward secrecy yes". */
export function partsLine(p: ScanCipherParts): string {
  return `key exchange ${p.keyExchange} · authentication ${p.authentication} · cipher ${p.cipher} · MAC ${p.mac} · forward secrecy ${p.forwardSecrecy ? "yes" : "no"}`;
}

/** " (2 weak, 1 insecure)" for a ClientHello's offered suite names; empty when all are strong or acceptable. */
export function offeredSummary(names: string[]): string {
  const counts = { weak: 0, insecure: 0 };
  for (const n of names) {
    const s = suiteByName(n);
    if (s && (s.strength === "weak" || s.strength === "insecure")) counts[s.strength]++;
  }
  const parts = [counts.weak ? `${counts.weak} weak` : "", counts.insecure ? `${counts.insecure} insecure` : ""].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/**
 * The handshake's hook (one call from runner.ts): the negotiated suite's parts, warnings about its weak parts
 * on a success, and the grades of the weak and insecure suites the ClientHello offered (for the panel).
 */
export function addSuiteReport(r: HandshakeResult, t: Translate = english): void {
  const parts = handshakeCipherParts(r);
  if (parts) r.cipherParts = parts;
  if (r.outcome === "success") (r.warnings ??= []).push(...cipherWarnings(r, t));
  for (const m of r.messages) {
    if (m.from !== "client" || m.type !== "ClientHello" || !Array.isArray(m.detail.cipherSuites)) continue;
    const grades: Record<string, string> = {};
    for (const n of m.detail.cipherSuites as string[]) {
      const g = suiteByName(n)?.strength;
      if (g === "weak" || g === "insecure") grades[n] = g;
    }
    if (Object.keys(grades).length) m.detail.cipherSuiteStrengths = grades;
  }
}
