/**
 * What a file is, judged by its content (not its name), and the hints the form shows while the user picks
 * credentials: "this key matches this certificate", "no clientAuth EKU", "expires in 3 days".
 * Node's crypto only (no vscode): unit-tested in plain Node. Key material never leaves this module: only
 * booleans and public facts come out.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { CredentialHint } from "../../shared/protocol/handshake";
import { formatDay } from "../../shared/format";
import { defaultT, type Translate } from "../tree/format";

export type FileKind = "certificate" | "privateKey" | "encryptedPrivateKey" | "pkcs12" | "derCertificate";

export interface FileFacts {
  kinds: FileKind[];
  /** Number of certificates in a PEM file. */
  certificates: number;
  /** First certificate's subject (RFC 4514-ish, most specific first) and expiry, when readable. */
  subject?: string;
  issuer?: string;
  notAfter?: string;
  isCA?: boolean;
}

const CERT_RE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/g;
const KEY_RE = /-----BEGIN (?:(RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----([\s\S]*?)-----END/g;
// PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data … } }
const PKCS7_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);

/** Reads DER length at offset i (after the tag). Returns [length, headerBytes] or undefined. */
function derLen(b: Uint8Array, i: number): [number, number] | undefined {
  if (i >= b.length) return undefined;
  const first = b[i];
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4 || i + n >= b.length) return undefined;
  let len = 0;
  for (let k = 1; k <= n; k++) len = len * 256 + b[i + k];
  return [len, 1 + n];
}

export function looksLikePkcs12(b: Uint8Array): boolean {
  if (b.length < 20 || b[0] !== 0x30) return false;
  const outer = derLen(b, 1);
  if (!outer) return false;
  let i = 1 + outer[1];
  if (b[i] !== 0x02 || b[i + 1] !== 0x01 || b[i + 2] !== 0x03) return false;
  i += 3;
  if (b[i] !== 0x30) return false;
  const inner = derLen(b, i + 1);
  if (!inner) return false;
  i += 1 + inner[1];
  return Buffer.from(b.subarray(i, i + PKCS7_DATA_OID.length)).equals(PKCS7_DATA_OID);
}

function looksLikeDerCertificate(b: Uint8Array): boolean {
  if (b.length < 100 || b[0] !== 0x30 || b[1] !== 0x82) return false;
  try {
    new X509Certificate(Buffer.from(b));
    return true;
  } catch {
    return false;
  }
}

/** RFC 4514-like: Node gives "C=…\nO=…\nCN=…" (encoding order); we show the most specific first. */
export function nodeDn(s: string | undefined): string | undefined {
  if (!s) return undefined;
  return s.split("\n").filter(Boolean).reverse().join(",");
}

/** Subject, issuer, expiry and CA flag of the (first) certificate; an unreadable one is still listed by its kind. */
function certFacts(facts: FileFacts, cert: Uint8Array): void {
  try {
    const x = firstCert(cert);
    facts.subject = nodeDn(x.subject);
    facts.issuer = nodeDn(x.issuer);
    facts.notAfter = new Date(x.validTo).toISOString();
    facts.isCA = x.ca;
  } catch {
    /* listed anyway */
  }
}

export function classify(bytes: Uint8Array): FileFacts {
  const facts: FileFacts = { kinds: [], certificates: 0 };
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 512 * 1024))).toString("latin1");
  const certs = head.match(CERT_RE)?.length ?? 0;
  if (certs) {
    facts.kinds.push("certificate");
    facts.certificates = certs;
    certFacts(facts, bytes);
  }
  for (const m of head.matchAll(KEY_RE)) {
    const encrypted = m[1] === "ENCRYPTED" || /Proc-Type:\s*4,ENCRYPTED/.test(m[2]);
    const k: FileKind = encrypted ? "encryptedPrivateKey" : "privateKey";
    if (!facts.kinds.includes(k)) facts.kinds.push(k);
  }
  if (!facts.kinds.length) {
    if (looksLikePkcs12(bytes)) facts.kinds.push("pkcs12");
    else if (looksLikeDerCertificate(bytes)) {
      facts.kinds.push("derCertificate");
      facts.certificates = 1;
      certFacts(facts, Buffer.from(bytes));
    }
  }
  return facts;
}

export function isEncryptedKey(bytes: Uint8Array): boolean {
  const s = Buffer.from(bytes).toString("latin1");
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(s) || /Proc-Type:\s*4,ENCRYPTED/.test(s);
}

export const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
export const ANY_EKU = "2.5.29.37.0";
const DAY = 86_400_000;

/**
 * The first certificate of a file: PEM (also embedded in YAML or a JSON string, where the lines are indented
 * or written as "\n" escapes) or DER.
 */
export function firstCert(bytes: Uint8Array): X509Certificate {
  const s = Buffer.from(bytes).toString("latin1");
  const at = s.search(CERT_RE);
  if (at < 0) return new X509Certificate(Buffer.from(bytes));
  try {
    return new X509Certificate(Buffer.from(s.slice(at), "latin1"));
  } catch (e) {
    // Embedded: the base64 between the armour lines, without indentation, quotes or escaped newlines.
    const m = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]{0,65536}?)-----END/.exec(s.slice(at));
    const b64 = m?.[1].replace(/\\[nr]/g, "").replace(/[^A-Za-z0-9+/=]/g, "");
    if (!b64) throw e;
    return new X509Certificate(Buffer.from(b64, "base64"));
  }
}

export function spki(k: KeyObject): string {
  return (k.export({ type: "spki", format: "der" }) as Buffer).toString("hex");
}

/** Hints about one certificate as a client certificate. */
export function certificateHints(cert: X509Certificate, now: Date, acceptableIssuers?: string[], t: Translate = defaultT): CredentialHint[] {
  const hints: CredentialHint[] = [];
  const subject = nodeDn(cert.subject) ?? "?";
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
  hints.push({ tone: "info", text: t("Certificate: {0}, issued by {1}.", subject, nodeDn(cert.issuer) ?? "?") });
  if (notAfter < now) hints.push({ tone: "error", text: t("This certificate expired on {0}.", formatDay(notAfter)) });
  else if (notBefore > now) hints.push({ tone: "error", text: t("This certificate is not valid before {0}.", formatDay(notBefore)) });
  else if (days <= 30) hints.push({ tone: "warning", text: days === 1 ? t("This certificate expires in 1 day ({0}).", formatDay(notAfter)) : t("This certificate expires in {0} days ({1}).", days, formatDay(notAfter)) });
  const eku = cert.keyUsage; // Node names the Extended Key Usage list `keyUsage`
  if (eku && eku.length && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EKU)) {
    hints.push({ tone: "warning", text: t("This certificate has no clientAuth EKU: most servers will reject it as a client certificate.") });
  }
  if (cert.ca) hints.push({ tone: "warning", text: t("This is a CA certificate, not a client (end-entity) certificate.") });
  if (acceptableIssuers && acceptableIssuers.length) {
    const issuer = (nodeDn(cert.issuer) ?? "").toLowerCase().replace(/\s+/g, "");
    const ok = acceptableIssuers.some((a) => a.toLowerCase().replace(/\s+/g, "") === issuer);
    if (!ok) hints.push({ tone: "warning", text: t("Last time this server accepted client certificates from: {0}. This one is issued by {1}.", acceptableIssuers.join("; "), nodeDn(cert.issuer) ?? "?") });
    else hints.push({ tone: "ok", text: t("Its issuer is one the server named as acceptable last time.") });
  }
  return hints;
}

export interface PemCredentialInput {
  cert?: { path: string; bytes: Uint8Array };
  key?: { path: string; bytes: Uint8Array };
  acceptableIssuers?: string[];
  now?: Date;
  /** The display language's vscode.l10n.t (English by default, for tests and the CLI). */
  t?: Translate;
}

/** Hints for a PEM certificate + key choice. Never throws: unreadable input becomes an error hint naming the file. */
export function pemCredentialHints(input: PemCredentialInput): CredentialHint[] {
  const now = input.now ?? new Date();
  const t = input.t ?? defaultT;
  const hints: CredentialHint[] = [];
  let cert: X509Certificate | undefined;
  if (input.cert) {
    try {
      cert = firstCert(input.cert.bytes);
      hints.push(...certificateHints(cert, now, input.acceptableIssuers, t));
    } catch {
      hints.push({ tone: "error", text: t("{0} holds no readable certificate.", input.cert.path) });
    }
  }
  if (input.key) {
    const facts = classify(input.key.bytes);
    if (facts.kinds.includes("encryptedPrivateKey") && !facts.kinds.includes("privateKey")) {
      hints.push({ tone: "info", text: t("The key is encrypted: CertScope asks for its passphrase when you run, and checks that it matches then.") });
    } else {
      let key: KeyObject | undefined;
      try {
        key = createPrivateKey({ key: Buffer.from(input.key.bytes) });
      } catch {
        hints.push({ tone: "error", text: t("{0} holds no readable private key.", input.key.path) });
      }
      if (key && cert) {
        const match = spki(createPublicKey(key)) === spki(cert.publicKey);
        hints.push(match ? { tone: "ok", text: t("This key matches this certificate.") } : { tone: "error", text: t("This key does NOT match this certificate: the server would reject the CertificateVerify.") });
      }
    }
  }
  return hints;
}

/**
 * Finds the private key for a certificate among candidate files (e.g. the certificate's folder): the first
 * unencrypted key whose public key equals the certificate's. Encrypted keys are returned as a fallback only
 * when their name shares the certificate's stem.
 */
export function findMatchingKey(certBytes: Uint8Array, candidates: { path: string; bytes: Uint8Array }[], certStem?: string): string | undefined {
  let want: string;
  try {
    want = spki(firstCert(certBytes).publicKey);
  } catch {
    return undefined;
  }
  let fallback: string | undefined;
  for (const c of candidates) {
    const facts = classify(c.bytes);
    if (facts.kinds.includes("privateKey")) {
      try {
        if (spki(createPublicKey(createPrivateKey({ key: Buffer.from(c.bytes) }))) === want) return c.path;
      } catch {
        /* not a usable key */
      }
    } else if (facts.kinds.includes("encryptedPrivateKey") && certStem && c.path.includes(certStem)) fallback ??= c.path;
  }
  return fallback;
}
