/**
 * What CertScope knows about the PKI blocks of one text document: where each block sits in the host file
 * (a PEM file, a YAML manifest, a JSON config, a Kubernetes Secret, source code), what it decodes to, and the
 * facts the editor surfaces show (expiry, weak algorithms, what is wrong with a malformed block).
 *
 * Pure data: no vscode, no Node types. Positions are 0-based like VS Code's; `line` (1-based) is the
 * contract's line number, the same one `certscope inspect` prints.
 */
import type { PkiObject } from "../../shared/model";

export interface DocPosition {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface DocRange {
  start: DocPosition;
  end: DocPosition;
}

/**
 * How the block is written in the host file:
 *   plain          ordinary PEM lines, possibly indented (YAML block scalar) or wrapped in quotes / comments
 *   json-escaped   PEM inside a string literal with `\n` escapes (JSON, source code)
 *   base64-secret  base64 of a whole PEM file (Kubernetes Secret `data:` fields); the range covers the part
 *                  of the base64 string that encodes this block
 *   base64-der     a certificate's DER in base64 with no PEM armour (JWKS `x5c`, "MII…" strings in JSON/YAML,
 *                  Java and Kubernetes configuration); label "CERTIFICATE", found by ./der64.ts
 */
export type BlockEncoding = "plain" | "json-escaped" | "base64-secret" | "base64-der";

/** What the PEM label says the block is (before decoding). */
export type BlockKind =
  | "certificate"
  | "csr"
  | "crl"
  | "privateKey"
  | "publicKey"
  | "pkcs7"
  | "parameters"
  | "other";

export interface LocatedBlock {
  /** Position in document order, from 0. */
  index: number;
  /** The PEM label, e.g. "CERTIFICATE", "EC PRIVATE KEY". */
  label: string;
  kind: BlockKind;
  encoding: BlockEncoding;
  /** From the start of the BEGIN marker to the end of the END marker, in host-file coordinates. */
  range: DocRange;
  /** Host-file UTF-16 offsets of `range`. */
  startOffset: number;
  endOffset: number;
  /** 1-based line of the BEGIN marker in the host file. */
  line: number;
  /** 1-based line of the END marker (the BEGIN line when the block has no END). */
  endLine: number;
  /**
   * True when the block is written inside something else (indented, quoted, escaped, base64-wrapped, or
   * preceded by other text on its BEGIN line). The adapters also treat every block of a non-PEM file as
   * embedded.
   */
  embedded: boolean;
  /** RFC 1421 headers (Proc-Type, DEK-Info) of legacy encrypted keys, in order. */
  headers?: [string, string][];
  /** The decoded base64 body, when it decoded. */
  der?: Uint8Array;
  /** The block rewritten as canonical PEM (headers kept, 64-column body), when it decoded. */
  pem?: string;
  /** What is wrong with the block itself (no END line, bad base64, …), with the host line where it is seen. */
  error?: string;
}

export type ExpiryStatus = "expired" | "expiring" | "not_yet_valid" | "ok";

export interface ExpiryFact {
  status: ExpiryStatus;
  /**
   * Whole days: expired → days since notAfter; expiring / ok → days until notAfter;
   * not_yet_valid → days until notBefore. Always ≥ 0.
   */
  days: number;
  notBefore: string;
  notAfter: string;
}

export interface DocFacts {
  /** Certificates (and CRLs, by nextUpdate) only. */
  expiry?: ExpiryFact;
  /** Signature algorithm name when it uses MD5, MD2, MD4 or SHA-1. */
  weakSignature?: string;
  /** RSA/DSA key smaller than 2048 bits. */
  weakKey?: { algorithm: string; bits: number };
}

export interface DocEntry {
  block: LocatedBlock;
  /**
   * The decoded object. Never key material: a private key decodes to `{kind: "privateKey", publicKey?, …}`.
   * A PKCS#7 block decodes to a container with its certificates in `objects`.
   */
  object?: PkiObject;
  /** Why the block could not be decoded (its own `block.error`, or the decoder's message). */
  error?: string;
  /**
   * Set instead of `error` when the block is well-formed but of a kind CertScope does not decode (OpenSSH keys,
   * PGP armor, unsupported algorithms): listed, never reported as a problem.
   */
  unsupported?: string;
  facts: DocFacts;
}

export interface DocAnalysis {
  entries: DocEntry[];
  /** Set when work was capped (too many blocks, too large): a plain sentence saying what was skipped. */
  truncated?: string;
}

export interface AnalyzeOptions {
  /** Decode certificates as summaries (no extensions): faster on large bundles. */
  summary: boolean;
  now: Date;
  expiryWarningDays: number;
}
