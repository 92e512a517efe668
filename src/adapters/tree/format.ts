/**
 * Plain-words formatting of the core's view models, shared by the tree and the viewer. Pure: no vscode,
 * no Node — tested in plain Node. User-facing strings go through an injected `t` (the adapters pass
 * `vscode.l10n.t`; tests use the default, which fills `{0}`-style placeholders like l10n does).
 */
import type { DistinguishedName, ExtensionModel, GeneralName, PkiObject, PublicKeyInfo } from "../../shared/model";
import { escapeControl } from "../../shared/safeText";

export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

export const defaultT: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

const DAY = 86_400_000;

export type ValidityState = "valid" | "expiring" | "expired" | "notYetValid" | "unknown";

export interface ValidityInfo {
  state: ValidityState;
  /** Whole days until expiry (negative once expired), counted from `now`. */
  daysLeft?: number;
  /** Whole days until the certificate becomes valid (for notYetValid). */
  daysUntilValid?: number;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** Where `now` stands against [notBefore, notAfter], with a warning window of `warnDays` days before expiry. */
export function validityInfo(notBefore: string | undefined, notAfter: string | undefined, now: Date, warnDays: number): ValidityInfo {
  const nb = parseTime(notBefore);
  const na = parseTime(notAfter);
  const t = now.getTime();
  if (na === undefined) return { state: "unknown" };
  const msLeft = na - t;
  // Floor for the future ("expires in 0 days" = within 24 h), and count whole days passed once expired.
  const daysLeft = msLeft >= 0 ? Math.floor(msLeft / DAY) : -Math.floor(-msLeft / DAY);
  if (nb !== undefined && t < nb) return { state: "notYetValid", daysLeft, daysUntilValid: Math.ceil((nb - t) / DAY) };
  if (msLeft < 0) return { state: "expired", daysLeft };
  if (msLeft <= warnDays * DAY) return { state: "expiring", daysLeft };
  return { state: "valid", daysLeft };
}

/** "expires in 23 days", "expires today", "expired 3 days ago", "not valid for another 2 days". */
export function relativeValidity(info: ValidityInfo, t: Translate = defaultT): string {
  switch (info.state) {
    case "unknown":
      return t("validity unknown");
    case "notYetValid":
      return info.daysUntilValid === 1 ? t("not valid until tomorrow") : t("not valid for another {0} days", info.daysUntilValid ?? 0);
    case "expired": {
      const d = -(info.daysLeft ?? 0);
      if (d === 0) return t("expired today");
      return d === 1 ? t("expired 1 day ago") : t("expired {0} days ago", d);
    }
    default: {
      const d = info.daysLeft ?? 0;
      if (d === 0) return t("expires today");
      return d === 1 ? t("expires in 1 day") : t("expires in {0} days", d);
    }
  }
}

// One vocabulary (src/shared/format.ts): times, days and hex identifiers are written the same on every surface.
export { formatTime, formatDay, hexId as colonHex } from "../../shared/format";

export function attribute(dn: DistinguishedName | undefined, type: string): string | undefined {
  if (!dn) return undefined;
  const found = dn.attributes.filter((a) => a.type === type);
  return found.length ? found[found.length - 1].value : undefined;
}

/** The most specific human name of a DN: CN, else O/OU, else the whole text, else "(empty name)". */
export function displayName(dn: DistinguishedName | undefined, t: Translate = defaultT): string {
  if (!dn) return t("(no name)");
  return escapeControl(attribute(dn, "CN") ?? attribute(dn, "OU") ?? attribute(dn, "O") ?? (dn.text || t("(empty name)")));
}

export function kindLabel(kind: string, t: Translate = defaultT): string {
  switch (kind) {
    case "certificate":
      return t("Certificate");
    case "csr":
      return t("Certificate request (CSR)");
    case "crl":
      return t("Certificate revocation list (CRL)");
    case "privateKey":
      return t("Private key");
    case "publicKey":
      return t("Public key");
    case "pkcs12":
      return t("PKCS#12 container");
    case "pkcs7":
      return t("PKCS#7 bundle");
    case "ocspResponse":
      return t("OCSP response");
    case "ocspRequest":
      return t("OCSP request");
    default:
      return kind;
  }
}

/** "RSA 2048-bit", "EC P-256", "Ed25519". */
export function keyText(pk: PublicKeyInfo | undefined, t: Translate = defaultT): string {
  if (!pk) return t("unknown key");
  if (pk.curve) return `${pk.algorithm} ${pk.curve}`;
  if (pk.bits && pk.algorithm !== "Ed25519" && pk.algorithm !== "Ed448" && pk.algorithm !== "X25519" && pk.algorithm !== "X448") {
    return t("{0} {1}-bit", pk.algorithm, pk.bits);
  }
  return pk.algorithm;
}

/** True for keys below today's minimums (RSA/DSA < 2048 bits, EC < 224 bits). */
export function isWeakKey(pk: PublicKeyInfo | undefined): boolean {
  if (!pk?.bits) return false;
  if (/^(RSA|RSA-PSS|DSA)$/.test(pk.algorithm)) return pk.bits < 2048;
  if (pk.algorithm === "EC") return pk.bits < 224;
  return false;
}

export function isWeakSignature(alg: string | undefined): boolean {
  return !!alg && /(md2|md4|md5|sha1)(?![0-9])|sha-1(?![0-9])/i.test(alg);
}

const GN_LABEL: Record<string, string> = {
  dns: "DNS",
  ip: "IP",
  email: "email",
  uri: "URI",
  dirName: "DirName",
  otherName: "otherName",
  registeredId: "RID",
  x400: "X400",
  ediParty: "EDI",
};

export function generalNameText(gn: GeneralName): string {
  return escapeControl(`${GN_LABEL[gn.type] ?? gn.type}:${gn.value}`);
}

/** A one-line rendering of an extension value: the core's `text` when it has one, else a compact summary. */
export function extensionText(ext: ExtensionModel): string {
  if (ext.text) return ext.text;
  return summarize(ext.value, 0);
}

function summarize(v: unknown, depth: number): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (depth > 3) return "…";
  if (Array.isArray(v)) return v.map((x) => summarize(x, depth + 1)).join(", ");
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.type === "string" && typeof o.value === "string" && Object.keys(o).length === 2) return generalNameText(o as unknown as GeneralName);
    return Object.entries(o)
      .filter(([, x]) => x !== undefined && x !== null && !(Array.isArray(x) && x.length === 0))
      .map(([k, x]) => `${k}: ${summarize(x, depth + 1)}`)
      .join("; ");
  }
  return String(v);
}

const EXT_LABELS: Record<string, string> = {
  "2.5.29.19": "Basic constraints",
  "2.5.29.15": "Key usage",
  "2.5.29.37": "Extended key usage",
  "2.5.29.17": "Subject alternative names",
  "2.5.29.18": "Issuer alternative names",
  "2.5.29.14": "Subject key identifier",
  "2.5.29.35": "Authority key identifier",
  "2.5.29.31": "CRL distribution points",
  "2.5.29.32": "Certificate policies",
  "2.5.29.30": "Name constraints",
  "2.5.29.36": "Policy constraints",
  "2.5.29.54": "Inhibit anyPolicy",
  "2.5.29.20": "CRL number",
  "2.5.29.21": "Revocation reason",
  "2.5.29.28": "Issuing distribution point",
  "2.5.29.46": "Freshest CRL",
  "1.3.6.1.5.5.7.1.1": "Authority information access",
  "1.3.6.1.5.5.7.1.11": "Subject information access",
  "1.3.6.1.4.1.11129.2.4.2": "Certificate transparency (SCTs)",
  "1.3.6.1.4.1.11129.2.4.3": "CT precertificate poison",
  "1.3.6.1.5.5.7.48.1.5": "OCSP no check",
  "1.3.6.1.5.5.7.1.24": "TLS feature (must-staple)",
  "2.16.840.1.113730.1.1": "Netscape certificate type",
  "2.16.840.1.113730.1.13": "Netscape comment",
};

/** A readable name for an extension ("Extended key usage"), falling back to the core's name or the OID. */
export function extensionLabel(ext: ExtensionModel, t: Translate = defaultT): string {
  const known = EXT_LABELS[ext.oid];
  return known ? t(known) : ext.name || ext.oid;
}

/** The short label of an object for lists: "CN=… (certificate)". */
export function objectName(obj: PkiObject, t: Translate = defaultT): string {
  switch (obj.kind) {
    case "certificate":
    case "csr":
      return displayName(obj.subject, t);
    case "crl":
      return displayName(obj.issuer, t);
    case "privateKey":
      return obj.encrypted && !obj.publicKey ? t("Encrypted private key") : t("Private key ({0})", keyText(obj.publicKey, t));
    case "publicKey":
      return t("Public key ({0})", keyText(obj.publicKey, t));
    case "pkcs12":
    case "pkcs7":
      return kindLabel(obj.kind, t);
    case "ocspResponse":
      return obj.responder ?? kindLabel(obj.kind, t);
    case "ocspRequest":
      return kindLabel(obj.kind, t);
  }
}

/** Certificates of a result in reading order, descending into containers. */
export function flattenObjects(objects: PkiObject[]): { object: PkiObject; depth: number; parent?: number }[] {
  const out: { object: PkiObject; depth: number; parent?: number }[] = [];
  const walk = (list: PkiObject[], depth: number, parent?: number) => {
    for (const o of list) {
      const idx = out.length;
      out.push({ object: o, depth, ...(parent !== undefined ? { parent } : {}) });
      if (o.kind === "pkcs12" || o.kind === "pkcs7") walk(o.objects, depth + 1, idx);
    }
  };
  walk(objects, 0);
  return out;
}
