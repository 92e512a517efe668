/**
 * Certificate Transparency (RFC 6962): signed certificate timestamps from the three places a server can give
 * them — embedded in the certificate (1.3.6.1.4.1.11129.2.4.2), the TLS signed_certificate_timestamp extension,
 * a stapled OCSP response (1.3.6.1.4.1.11129.2.4.5) — decoded, named from the bundled log list
 * (data/ct-logs.json, a dated snapshot), and verified with the log's key where it is known: an embedded SCT
 * signs the precertificate (§3.2: the TBSCertificate without the SCT list, and the SHA-256 of the issuer's
 * key), the other two sign the certificate itself.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { CertificateModel, PkiObject, SctInfo } from "../../shared/model";
import { children, concat, octets, oid, parse, raw } from "./der";
import { derSeq, tlv } from "./derWrite";
import { certificateParts } from "./certificate";
import logList from "./data/ct-logs.json";
import { t } from "../l10n";

/** Most SCTs read from one list (real certificates carry 2–5). */
const MAX_SCTS = 64;
export const SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
export const OCSP_SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.5";

const HASH: Record<number, string> = { 0: "none", 1: "md5", 2: "sha1", 3: "sha224", 4: "sha256", 5: "sha384", 6: "sha512" };
const SIG: Record<number, string> = { 0: "anonymous", 1: "rsa", 2: "dsa", 3: "ecdsa", 7: "ed25519", 8: "ed448" };

/** One SCT as encoded, with the parts its signature covers. */
export interface RawSct {
  version: number;
  logId: Uint8Array;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The 8 timestamp bytes as encoded. */
  timestampBytes: Uint8Array;
  extensions: Uint8Array;
  hash: number;
  sig: number;
  signature: Uint8Array;
}

export interface CtLog {
  name: string;
  operator?: string;
  /** Base64 of the SHA-256 of the key. */
  logId: string;
  /** Base64 of the DER SubjectPublicKeyInfo. */
  key: string;
}

export const CT_LOG_LIST_SOURCE: { source: string; snapshot: string } = { source: logList.source, snapshot: logList.snapshot };
const LOGS = new Map<string, CtLog>((logList.logs as CtLog[]).map((l) => [l.logId, l]));

/** The bundled log of this ID (base64), if known. */
export function knownLog(logId: string): CtLog | undefined {
  return LOGS.get(logId);
}

/** Parses a TLS-encoded SignedCertificateTimestampList (RFC 6962 §3.3). Throws on a malformed list. */
export function parseSctList(b: Uint8Array): RawSct[] {
  if (b.length < 2) throw new Error(t("SCT list too short"));
  const total = (b[0] << 8) | b[1];
  if (total + 2 !== b.length) throw new Error(t("SCT list length {0} does not match its {1} bytes", total, b.length - 2));
  const out: RawSct[] = [];
  let p = 2;
  while (p < b.length) {
    if (out.length >= MAX_SCTS) throw new Error(t("more than {0} SCTs", MAX_SCTS));
    if (p + 2 > b.length) throw new Error(t("SCT truncated"));
    const len = (b[p] << 8) | b[p + 1];
    const s = p + 2;
    const e = s + len;
    if (e > b.length || len < 1 + 32 + 8 + 2 + 2 + 2) throw new Error(t("SCT truncated"));
    const version = b[s];
    let ms = 0;
    for (let i = 0; i < 8; i++) ms = ms * 256 + b[s + 33 + i];
    const extLen = (b[s + 41] << 8) | b[s + 42];
    const q = s + 43 + extLen;
    if (q + 4 > e) throw new Error(t("SCT truncated"));
    const sigLen = (b[q + 2] << 8) | b[q + 3];
    if (q + 4 + sigLen !== e) throw new Error(t("SCT signature length does not match"));
    out.push({
      version,
      logId: b.subarray(s + 1, s + 33),
      timestamp: ms,
      timestampBytes: b.subarray(s + 33, s + 41),
      extensions: b.subarray(s + 43, q),
      hash: b[q],
      sig: b[q + 1],
      signature: b.subarray(q + 4, e),
    });
    p = e;
  }
  return out;
}

function isoMs(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return d.toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => (f === "000" ? "Z" : `.${f}Z`));
}

/** The plain model of one SCT (its log named when the bundled list knows it). */
export function sctInfo(s: RawSct, source?: SctInfo["source"]): SctInfo {
  const logId = Buffer.from(s.logId).toString("base64");
  const log = knownLog(logId);
  return {
    version: s.version + 1,
    logId,
    ...(log ? { log: log.name, ...(log.operator ? { operator: log.operator } : {}) } : {}),
    timestamp: isoMs(s.timestamp),
    hashAlgorithm: HASH[s.hash] ?? String(s.hash),
    signatureAlgorithm: SIG[s.sig] ?? String(s.sig),
    ...(source ? { source } : {}),
  };
}

/** "3 SCTs from Google Argon2026h1, Cloudflare Nimbus2026, an unknown log (ab12…)". */
export function sctSummary(scts: SctInfo[]): string {
  if (!scts.length) return t("no SCTs");
  const names = scts.map((s) => s.log ?? `an unknown log (${s.logId.slice(0, 8)}…)`);
  return scts.length === 1 ? t("{0} SCT from {1}", scts.length, names.join(", ")) : t("{0} SCTs from {1}", scts.length, names.join(", "));
}

/** The extension decoder for the SCT list extensions: the OCTET STRING inside extnValue holds the TLS list. */
export function decodeSctListValue(listBytes: Uint8Array): { value: { count: number; scts: SctInfo[] }; text: string } {
  const scts = parseSctList(listBytes).map((s) => sctInfo(s));
  return { value: { count: scts.length, scts }, text: sctSummary(scts) };
}

// ───────────────────────────── verification ─────────────────────────────

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u24 = (n: number) => Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff);

/** RFC 6962 §3.2: the TBSCertificate of the precertificate = the certificate's without the SCT list extension. */
export function precertTbs(certDer: Uint8Array): Uint8Array {
  const p = certificateParts(certDer);
  const fields = children(p.tbs);
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    if (f.cls === 2 && f.num === 3 && p.extensions) {
      const kept = children(p.extensions).filter((e) => oid(children(e)[0]) !== SCT_LIST_OID).map((e) => raw(e));
      if (kept.length) parts.push(tlv(0xa3, derSeq(...kept)));
    } else parts.push(raw(f));
  }
  return derSeq(...parts);
}

/** The bytes an SCT's signature covers (RFC 6962 §3.2 digitally-signed struct). */
function signedData(s: RawSct, entry: { x509: Uint8Array } | { issuerKeyHash: Uint8Array; tbs: Uint8Array }): Uint8Array {
  const head = concat([Uint8Array.of(s.version, 0), s.timestampBytes]);
  const body =
    "x509" in entry
      ? concat([u16(0), u24(entry.x509.length), entry.x509])
      : concat([u16(1), entry.issuerKeyHash, u24(entry.tbs.length), entry.tbs]);
  return concat([head, body, u16(s.extensions.length), s.extensions]);
}

const keyCache = new Map<string, KeyObject | null>();
function logKey(b64: string): KeyObject | null {
  let k = keyCache.get(b64);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: Buffer.from(b64, "base64"), format: "der", type: "spki" });
    } catch {
      k = null;
    }
    keyCache.set(b64, k);
  }
  return k;
}

export interface SctVerifyOptions {
  /** Logs to know besides the bundled list (a private or test log): key = DER SubjectPublicKeyInfo. */
  extraLogs?: { name: string; key: Uint8Array }[];
}

function findLog(logId: string, o: SctVerifyOptions): CtLog | undefined {
  for (const l of o.extraLogs ?? []) {
    const id = createHash("sha256").update(l.key).digest("base64");
    if (id === logId) return { name: l.name, logId: id, key: Buffer.from(l.key).toString("base64") };
  }
  return knownLog(logId);
}

function verifyOne(s: RawSct, data: Uint8Array, log: CtLog): boolean {
  const key = logKey(log.key);
  if (!key || s.version !== 0 || s.hash !== 4) return false;
  try {
    return verify("sha256", data, key, s.signature);
  } catch {
    return false;
  }
}

/**
 * SCTs of `certDer` from one source, each with `verified` set where the log's key is known. `issuerDer` is
 * needed for embedded SCTs (the issuer key hash); TLS and OCSP SCTs sign the certificate itself.
 */
export function checkScts(list: Uint8Array, source: NonNullable<SctInfo["source"]>, certDer: Uint8Array, issuerDer: Uint8Array | undefined, o: SctVerifyOptions = {}): SctInfo[] {
  const raws = parseSctList(list);
  let entry: { x509: Uint8Array } | { issuerKeyHash: Uint8Array; tbs: Uint8Array } | undefined;
  if (source !== "embedded") entry = { x509: certDer };
  else if (issuerDer) entry = { issuerKeyHash: new Uint8Array(createHash("sha256").update(raw(certificateParts(issuerDer).spki)).digest()), tbs: precertTbs(certDer) };
  return raws.map((s) => {
    const info = sctInfo(s, source);
    const log = findLog(info.logId, o);
    if (log && !info.log) info.log = log.name;
    if (log && entry) info.verified = verifyOne(s, signedData(s, entry), log);
    return info;
  });
}

/** The embedded SCT list (the TLS-encoded bytes) of a certificate, if it has one. */
export function embeddedSctList(certDer: Uint8Array): Uint8Array | undefined {
  const ext = certificateParts(certDer).extensions;
  if (!ext) return undefined;
  for (const e of children(ext)) {
    const parts = children(e);
    if (oid(parts[0]) !== SCT_LIST_OID) continue;
    // extnValue OCTET STRING → inner OCTET STRING → the TLS list
    return octets(parse(octets(parts[parts.length - 1], "extnValue")), "SignedCertificateTimestampList");
  }
  return undefined;
}

/** Certificates whose embedded SCTs are checked per inspect (a 10,000-certificate bundle is not all verified). */
const MAX_ANNOTATED = 200;

function pemDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64"));
}

/**
 * inspect's last step: where a certificate's issuer is in the same file, its embedded SCTs get `verified`
 * (the precertificate signature needs the issuer's key). Full decodes only (summaries carry no extensions).
 */
export function annotateEmbeddedScts(objects: PkiObject[]): void {
  const certs: CertificateModel[] = [];
  const walk = (list: PkiObject[]) => {
    for (const o of list) {
      if (o.kind === "certificate") certs.push(o);
      else if (o.kind === "pkcs7" || o.kind === "pkcs12") walk(o.objects);
    }
  };
  walk(objects);
  let done = 0;
  for (const c of certs) {
    const ext = c.extensions?.find((e) => e.oid === SCT_LIST_OID);
    const value = ext?.value as { scts?: SctInfo[] } | undefined;
    if (!value?.scts?.length || !c.pem || c.selfSigned) continue;
    if (++done > MAX_ANNOTATED) return;
    const issuer = certs.find((i) => i !== c && i.pem && i.subject.text === c.issuer.text);
    if (!issuer) continue;
    try {
      const der = pemDer(c.pem);
      const list = embeddedSctList(der);
      if (!list) continue;
      value.scts = checkScts(list, "embedded", der, pemDer(issuer.pem!));
    } catch {
      /* an unreadable list stays as decoded */
    }
  }
}
