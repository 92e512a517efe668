/**
 * Revocation of a certificate and the CAs above it, for the editor's "Check Revocation": the issuer of each
 * certificate is looked up among the given candidates (same file, trust settings, system roots) by name and
 * signature, up to a self-signed root (roots are not checked: nothing above them could revoke them), and each
 * certificate that has an issuer is asked about with `check` (checkOcsp by default), one after the other.
 */
import type { OcspChecker, RevocationFetchOptions, RevocationStatus } from "./types";
import { checkOcsp } from "./ocsp";
import { certificateParts } from "../pki/certificate";
import { bytesEqual, raw } from "../pki/der";
import { formatName } from "../pki/name";
import { verifySignature } from "../pki/signature";
import { t } from "../l10n";

/** Longest path walked (a leaf, intermediates, a root). */
const MAX_DEPTH = 8;

export interface PathRevocation {
  /** Subject of the certificate (RFC 4514 text). */
  subject: string;
  /** Subject of the issuer used, when one was found. */
  issuer?: string;
  status: RevocationStatus;
}

/** The candidate whose subject is `cert`'s issuer name and whose key verifies `cert`'s signature. */
export function findIssuer(cert: Uint8Array, candidates: Uint8Array[]): Uint8Array | undefined {
  const name = raw(certificateParts(cert).issuer);
  for (const c of candidates) {
    try {
      if (bytesEqual(raw(certificateParts(c).subject), name) && verifySignature(cert, raw(certificateParts(c).spki))) return c;
    } catch {
      /* skip an unreadable candidate */
    }
  }
  return undefined;
}

const subjectOf = (der: Uint8Array) => formatName(raw(certificateParts(der).subject)).text;
const selfIssued = (der: Uint8Array) => {
  const p = certificateParts(der);
  return bytesEqual(raw(p.subject), raw(p.issuer));
};

/** Checks `leaf` and every CA above it that is not a root. Never throws for network problems. */
export async function checkPathRevocation(
  leaf: Uint8Array,
  candidates: Uint8Array[],
  opts: RevocationFetchOptions & { check?: OcspChecker; onProgress?: (done: number, subject: string) => void } = {},
): Promise<PathRevocation[]> {
  const check = opts.check ?? checkOcsp;
  const out: PathRevocation[] = [];
  let cur = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (opts.signal?.aborted) break;
    const subject = subjectOf(cur);
    if (selfIssued(cur)) {
      if (depth === 0) out.push({ subject, status: { status: "unknown", source: "ocsp", detail: t("{0} is self-issued (a root): no CA above it could revoke it", subject) } });
      break;
    }
    const issuer = findIssuer(cur, candidates);
    if (!issuer) {
      out.push({ subject, status: { status: "unknown", source: "ocsp", detail: t("the issuer of {0} is not available (not in the file, the trust settings or the system roots), so its revocation cannot be asked", subject) } });
      break;
    }
    opts.onProgress?.(out.length, subject);
    out.push({ subject, issuer: subjectOf(issuer), status: await check(cur, issuer, opts) });
    cur = issuer;
  }
  return out;
}
