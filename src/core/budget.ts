/**
 * The one place where CertScope's limits on hostile input live. Files and servers are hostile by nature: a
 * 211-byte PKCS#12 can ask for a gigabyte of PBKDF2 output, a 10 MB DER file for five million nodes. Every
 * decoder consults this module instead of keeping its own constants, and a limit that is reached is a
 * PkiError "too_large" whose message names the limit (callers prefix the file name) — never a hang, a crash
 * or a silently shortened result.
 *
 * A Budget is one operation's allowance (one file opened, one set of credentials). `budget.run(fn)` makes it
 * the current one for the synchronous work of `fn`; decoders charge it through `spendKdf` / `nodeAllowance`.
 * Work done outside any operation is bounded per call only (one KDF ≤ the whole-file allowance; one value's
 * element count), so a decoder is never unbounded even when a caller forgets to open an operation.
 */
import { PkiError } from "./pki/errors";
import { t } from "./l10n";

const LIMITS_SPEC = {
  /**
   * Key-derivation work per operation, in PBKDF2 iteration-blocks (iterations × output blocks of the PRF).
   * The PKCS#12 KDF and PBES1 iterate a digest outside OpenSSL and count 5 per iteration: that was their cost
   * with one native call per round. SHA-1 and SHA-256 rounds now run allocation-free in JavaScript
   * (pki/iterhash.ts) at about the cost of a PBKDF2 iteration, so the weight errs on the safe side; other digests
   * keep a native call per round. 8,000,000 ≈ 2 s of CPU for native PBKDF2-SHA256 (scripts/bench/kdf.mjs); real
   * files need 2,048–600,000 per derivation (a 600,000-iteration PKCS#12 — MAC and two bags — takes 4,200,000).
   */
  kdfWork: 8_000_000,
  /** Weight of one PKCS#12-KDF / PBES1 iteration (see kdfWork). */
  jsKdfWeight: 5,
  /** Iteration count of one KDF (also bounded by kdfWork). */
  iterations: 1_000_000,
  /** DER elements read in one operation (a certificate has ~200; a 300,000-entry CRL ~1,500,000). */
  derNodes: 20_000_000,
  /** Elements of one constructed value (a CRL's revoked list is the largest real one). */
  derChildren: 1_000_000,
  /** PEM blocks read from one file, by the editor and the CLI alike. */
  pemBlocks: 20_000,
  /** Bytes of one input file the CLI and the editor read. */
  fileBytes: 50 * 1024 * 1024,
  /** Messages in one name-constraint finding listed in full before "… and N more". */
  listedNames: 10,
  /**
   * Bytes the TLS wire recorder keeps per direction: every handshake (a TLS stack refuses certificate lists
   * past a few hundred KB) and the first application data; past it only the size is kept.
   */
  wireBytes: 4 * 1024 * 1024,
  /**
   * Messages (and alerts) decoded from one connection's bytes: a handshake has 5–20; 4 MB of 4-byte
   * HelloRequests made a million, and the decoding of them took longer than the run's timeout.
   */
  handshakeMessages: 10_000,
};

export type Limits = { readonly [K in keyof typeof LIMITS_SPEC]: number };
export const LIMITS: Limits = Object.freeze(LIMITS_SPEC);

export class Budget {
  kdfSpent = 0;
  nodesRead = 0;

  constructor(readonly limits: Limits = LIMITS) {}

  /** Runs `fn` (synchronous work) with this budget as the current one; nests by restoring the previous one. */
  run<T>(fn: () => T): T {
    return runWith(this, fn);
  }
}

let current: Budget | undefined;

function runWith<T>(b: Budget, fn: () => T): T {
  const prev = current;
  current = b;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Runs `fn` inside the current operation, or opens one for it (so a whole file's work is summed). */
export function withinOperation<T>(fn: () => T): T {
  return current ? fn() : new Budget().run(fn);
}

function tooLarge(message: string): PkiError {
  return new PkiError("too_large", message);
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Charges a key derivation before it runs: `iterations` rounds producing `blocks` PRF outputs, `weight` per
 * round (see LIMITS.jsKdfWeight). Throws "too_large" naming the limit when the operation would exceed it.
 */
export function spendKdf(what: string, iterations: number, blocks: number, weight = 1): void {
  const cost = iterations * Math.max(1, blocks) * weight;
  const b = current;
  const spent = b ? b.kdfSpent : 0;
  const limit = (b?.limits ?? LIMITS).kdfWork;
  if (spent + cost > limit) {
    const n = fmt(iterations);
    const m = fmt(Math.max(1, blocks));
    throw tooLarge(
      spent
        ? t("{0} asks for {1} iterations × {2} output block(s) after {3} already spent on this file: beyond the limit of {4} units of key-derivation work per file", what, n, m, fmt(spent), fmt(limit))
        : t("{0} asks for {1} iterations × {2} output block(s): beyond the limit of {3} units of key-derivation work per file", what, n, m, fmt(limit)),
    );
  }
  if (b) b.kdfSpent += cost;
}

/** How many more DER elements may be read now: the per-value cap, or less when the operation's total is near. */
export function nodeAllowance(): number {
  const b = current;
  const l = b?.limits ?? LIMITS;
  return b ? Math.min(l.derChildren, l.derNodes - b.nodesRead) : l.derChildren;
}

/** Charges `n` DER elements read; `nodeAllowance` already kept it within bounds. */
export function spendNodes(n: number): void {
  if (current) current.nodesRead += n;
}

/** The error for a value with more elements than nodeAllowance permits. */
export function tooManyNodes(offset: number): PkiError {
  const b = current;
  const l = b?.limits ?? LIMITS;
  if (b && l.derNodes - b.nodesRead < l.derChildren)
    return tooLarge(t("the DER data holds more than {0} elements in all (the limit; at byte {1})", fmt(l.derNodes), offset));
  return tooLarge(t("a DER value at byte {0} holds more than {1} elements (the limit)", offset, fmt(l.derChildren)));
}
