/**
 * Validation of the server's chain as sent on the wire: one swappable function. It uses the chain engine
 * (src/core/chain verifyChain); should that throw, Node's own verdict on the connection
 * (authorizationError + checkServerIdentity), mapped onto the contract's problem codes.
 */
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import { X509Certificate } from "node:crypto";
import { verifyChain } from "../chain";
import type { ChainLink, Problem, VerifyResult } from "../../shared/model";
import { certificateModel } from "./certs";
import { formatTime } from "../../shared/format";


export interface NodeVerdict {
  authorized: boolean;
  authorizationError?: string;
  peer?: PeerCertificate;
}

export interface ValidateOptions {
  ca?: Uint8Array[];
  useSystemRoots: boolean;
  host: string;
  signal?: AbortSignal;
  node?: NodeVerdict;
  now?: Date;
}

export async function validateServerChain(ders: Uint8Array[], opts: ValidateOptions): Promise<VerifyResult | null> {
  if (ders.length === 0) return null;
  try {
    return await verifyChain(ders, { trusted: opts.ca, useSystemRoots: opts.useSystemRoots, host: opts.host, purpose: "server", at: opts.now, signal: opts.signal });
  } catch {
    // fall back to Node's verdict below, so a chain-engine failure never hides the handshake result
  }
  return nodeValidation(ders, opts);
}

const NODE_CODES: Record<string, string> = {
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "not_yet_valid",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self_signed",
  SELF_SIGNED_CERT_IN_CHAIN: "untrusted_root",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "missing_issuer",
  UNABLE_TO_GET_ISSUER_CERT: "missing_issuer",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "missing_issuer",
  CERT_SIGNATURE_FAILURE: "bad_signature",
  INVALID_CA: "not_a_ca",
  PATH_LENGTH_EXCEEDED: "path_length_exceeded",
  INVALID_PURPOSE: "eku_mismatch",
  CERT_CHAIN_TOO_LONG: "max_depth_exceeded",
  HOSTNAME_MISMATCH: "hostname_mismatch",
  ERR_TLS_CERT_ALTNAME_INVALID: "hostname_mismatch",
};

function nodeValidation(ders: Uint8Array[], opts: ValidateOptions): VerifyResult {
  const models = ders.map((d) => certificateModel(d, true));
  const links: ChainLink[] = models.map((m, i) => ({
    subject: m.subject.text,
    issuer: m.issuer.text,
    sha256: m.fingerprints.sha256,
    source: i === 0 ? "leaf" : "untrusted",
    notBefore: m.notBefore,
    notAfter: m.notAfter,
  }));
  const problems: Problem[] = [];
  const now = opts.now ?? new Date();
  models.forEach((m, i) => {
    if (m.notAfter && new Date(m.notAfter) < now) problems.push({ code: "expired", message: `'${m.subject.text}' expired on ${formatTime(m.notAfter, "utc")}.`, certIndex: i });
    if (m.notBefore && new Date(m.notBefore) > now) problems.push({ code: "not_yet_valid", message: `'${m.subject.text}' is not valid before ${formatTime(m.notBefore, "utc")}.`, certIndex: i });
  });
  const err = opts.node?.authorizationError;
  if (err) {
    const code = NODE_CODES[err] ?? err.toLowerCase();
    if (!problems.some((p) => p.code === code)) problems.push({ code, message: `Node's verification: ${err}`, certIndex: code === "self_signed" ? 0 : undefined });
  }
  const peer = opts.node?.peer ?? peerOf(ders[0]);
  if (peer) {
    const e = checkServerIdentity(opts.host, peer);
    if (e) problems.push({ code: "hostname_mismatch", message: e.message, certIndex: 0 });
  }
  return { valid: problems.length === 0, chain: links, problems };
}

/** A PeerCertificate-like object for checkServerIdentity when there is no live socket. */
function peerOf(der: Uint8Array): PeerCertificate | undefined {
  try {
    const x = new X509Certificate(der);
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1];
    return { subject: cn ? { CN: cn } : {}, subjectaltname: x.subjectAltName } as unknown as PeerCertificate;
  } catch {
    return undefined;
  }
}
