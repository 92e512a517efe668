/**
 * The client-certificate picker's order and words: certificates with a matching private key and the clientAuth
 * EKU first, then usable ones without a key found, then the unsuitable ones — each saying why (a CA, a server-
 * only EKU, expired) instead of being hidden. Node crypto only (no vscode); key material never leaves: only
 * paths and public facts come out.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { ANY_EKU, CLIENT_AUTH, classify, findMatchingKey, firstCert, nodeDn, spki } from "./credentialFiles";
import { defaultT, type Translate } from "../tree/format";

export interface FileBytes {
  path: string;
  bytes: Uint8Array;
}

/** 0: ready (key found, usable for client auth); 1: usable, no key found; 2: unsuitable (see `reasons`). */
export type Tier = 0 | 1 | 2;

export interface RankedCertificate {
  path: string;
  tier: Tier;
  subject?: string;
  /** The matching private key's file (the same file when it holds the key too). */
  keyPath?: string;
  /** "clientAuth" when the EKU names it; "any" when there is no EKU or anyExtendedKeyUsage. */
  clientAuth?: "clientAuth" | "any";
  isCA: boolean;
  /** Why it cannot serve as a client certificate (empty for tiers 0 and 1). */
  reasons: string[];
}

/** Most certificates / keys looked at (the workspace scan is bounded too). */
export const MAX_RANKED = 500;

const EKU_NAMES: Record<string, string> = { "1.3.6.1.5.5.7.3.1": "serverAuth", "1.3.6.1.5.5.7.3.3": "codeSigning", "1.3.6.1.5.5.7.3.4": "emailProtection", "1.3.6.1.5.5.7.3.8": "timeStamping", "1.3.6.1.5.5.7.3.9": "OCSPSigning" };

/** Public-key fingerprints of the unencrypted private keys among `keys` (path by SPKI). */
function keyIndex(keys: FileBytes[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys.slice(0, MAX_RANKED)) {
    const facts = classify(k.bytes);
    if (!facts.kinds.includes("privateKey")) continue;
    try {
      const id = spki(createPublicKey(createPrivateKey({ key: Buffer.from(k.bytes) })));
      if (!out.has(id)) out.set(id, k.path);
    } catch {
      /* not a usable key */
    }
  }
  return out;
}

export function rankClientCertificates(certs: FileBytes[], keys: FileBytes[], now = new Date(), t: Translate = defaultT): RankedCertificate[] {
  const byKey = keyIndex(keys);
  const out: RankedCertificate[] = [];
  for (const c of certs.slice(0, MAX_RANKED)) {
    let x;
    try {
      x = firstCert(c.bytes);
    } catch {
      out.push({ path: c.path, tier: 2, isCA: false, reasons: [t("the certificate cannot be read")] });
      continue;
    }
    const reasons: string[] = [];
    if (x.ca) reasons.push(t("a CA certificate (it issues certificates; it is not a client certificate)"));
    const eku = x.keyUsage ?? []; // Node names the Extended Key Usage list `keyUsage`
    let clientAuth: RankedCertificate["clientAuth"];
    if (!eku.length || eku.includes(ANY_EKU)) clientAuth = "any";
    else if (eku.includes(CLIENT_AUTH)) clientAuth = "clientAuth";
    else reasons.push(t("its extended key usage is {0} only, not clientAuth", eku.map((o) => EKU_NAMES[o] ?? o).join(", ")));
    if (new Date(x.validTo) < now) reasons.push(t("expired on {0}", new Date(x.validTo).toISOString().slice(0, 10)));
    else if (new Date(x.validFrom) > now) reasons.push(t("not valid before {0}", new Date(x.validFrom).toISOString().slice(0, 10)));
    let keyPath: string | undefined;
    try {
      keyPath = byKey.get(spki(x.publicKey));
    } catch {
      /* unsupported key type */
    }
    if (!keyPath && classify(c.bytes).kinds.some((k) => k === "privateKey" || k === "encryptedPrivateKey")) keyPath = c.path;
    const tier: Tier = reasons.length ? 2 : keyPath ? 0 : 1;
    out.push({ path: c.path, tier, subject: nodeDn(x.subject), keyPath, clientAuth, isCA: x.ca, reasons });
  }
  const rank = (r: RankedCertificate) => r.tier * 4 + (r.clientAuth === "clientAuth" ? 0 : 1) + (r.isCA ? 2 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** The private key beside a certificate file (same folder): by public key, or an encrypted key by name. */
export async function findKeyBeside(certPath: string, certBytes?: Uint8Array): Promise<string | undefined> {
  const dir = path.dirname(certPath);
  try {
    const names = (await fs.readdir(dir)).filter((n) => !n.startsWith(".")).slice(0, 200);
    const cands: FileBytes[] = [];
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        const st = await fs.stat(p);
        if (st.isFile() && st.size < 64 * 1024) cands.push({ path: p, bytes: new Uint8Array(await fs.readFile(p)) });
      } catch {
        /* skip */
      }
    }
    return findMatchingKey(certBytes ?? new Uint8Array(await fs.readFile(certPath)), cands, path.basename(certPath).replace(/\.[^.]+$/, ""));
  } catch {
    return undefined;
  }
}
