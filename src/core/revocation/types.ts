/**
 * The meeting point of revocation checking (issue 14): chain validation (src/core/chain, CRLs) and the OCSP
 * client (src/core/revocation/ocsp.ts) both speak these types, so verify, the handshake (stapled responses)
 * and the editor's "Check Revocation" report one shape.
 */

/** RFC 5280 §5.3.1 CRLReason, by name. */
export type RevocationReason =
  | "unspecified"
  | "keyCompromise"
  | "cACompromise"
  | "affiliationChanged"
  | "superseded"
  | "cessationOfOperation"
  | "certificateHold"
  | "removeFromCRL"
  | "privilegeWithdrawn"
  | "aACompromise";

/** What one source said about one certificate. */
export interface RevocationStatus {
  /** good: checked and not revoked; revoked; unknown: no usable answer (unreachable, stale, invalid, not covered). */
  status: "good" | "revoked" | "unknown";
  /** Where the answer came from. */
  source: "ocsp" | "crl" | "staple";
  /** ISO 8601, for revoked. */
  revokedAt?: string;
  reason?: RevocationReason;
  /** ISO 8601 of the answer's thisUpdate / nextUpdate, where it had them. */
  thisUpdate?: string;
  nextUpdate?: string;
  /** URL asked (OCSP responder, CRL distribution point) or file read. */
  location?: string;
  /** Plain words: why unknown, who signed, what was checked. */
  detail: string;
}

/** Options every network revocation check takes: bounded in time and size, cancellable, cached per session. */
export interface RevocationFetchOptions {
  /** Per-request bound in ms (default 5000). */
  timeoutMs?: number;
  /** Largest response accepted, in bytes (default 1 MiB for OCSP, 10 MiB for a CRL). */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Validation time (default now). */
  at?: Date;
}

/**
 * Asks an OCSP responder (from the certificate's AIA) about `cert`, issued by `issuer` (both DER).
 * Never throws for network or responder problems: they come back as status "unknown" with the reason.
 */
export type OcspChecker = (cert: Uint8Array, issuer: Uint8Array, opts: RevocationFetchOptions) => Promise<RevocationStatus>;
