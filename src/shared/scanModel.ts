/**
 * What `certscope scan` and the Scan panel show (docs/cli.md, `certscope scan`): plain data shared by
 * the core, the CLI, the extension host and the webview.
 */
import type { CertificateModel } from "./model";
import type { StartTlsProtocol } from "./starttls";

/** The scan's version names in words. */
export const VERSION_TEXT: Record<string, string> = { SSLv3: "SSL 3.0", "TLSv1.0": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3" };

export type ScanStrength = "strong" | "acceptable" | "weak" | "insecure";
export type ScanSeverity = "critical" | "warning" | "info";
export type MozillaProfile = "modern" | "intermediate" | "old";

/** The contract's cipherParts plus the finer parts of the suite. */
export interface ScanCipherParts {
  keyExchange: string;
  authentication: string;
  cipher: string;
  mac: string;
  forwardSecrecy: boolean;
  aead?: boolean;
  cipherAlgorithm?: string;
  keyBits?: number;
  mode?: string;
  prf?: string;
  export?: boolean;
}

export interface ScanSuite {
  version: string;
  name: string;
  /** "0xC02F" */
  code: string;
  parts: ScanCipherParts;
  strength: ScanStrength;
  /** Why the grade (empty for strong suites). */
  reasons: string[];
  /** DHE: the size of the server's finite-field group in bits, from its ServerKeyExchange. */
  dhBits?: number;
  /** The key-exchange group the server chose with this suite (ECDHE curve or TLS 1.3 group). */
  group?: string;
  /** Index into `certificates` of the chain the server sent with this suite (TLS 1.2 and older). */
  certificate?: number;
}

export interface ScanFinding {
  severity: ScanSeverity;
  code: string;
  message: string;
  fix: string;
  /** Configuration lines for the common servers, where standard. */
  config?: { nginx?: string; apache?: string; haproxy?: string };
}

export interface ScanResult {
  /** `starttls`: the plaintext protocol upgraded before each ClientHello (--starttls), when one was. */
  target: { host: string; port: number; servername?: string; starttls?: StartTlsProtocol };
  protocols: { version: string; supported: boolean }[];
  cipherSuites: ScanSuite[];
  serverPreference: Record<string, boolean>;
  groups: string[];
  groupsByVersion: Record<string, string[]>;
  /** One chain per distinct server certificate seen (e.g. RSA and ECDSA), leaf first. */
  certificates: CertificateModel[][];
  ocspStapling: boolean;
  /** RFC 5746, for TLS 1.2 and older; null when only TLS 1.3 is spoken. */
  secureRenegotiation: boolean | null;
  /** RFC 7507: the server refuses a fallback to a lower version; null when it speaks a single version. */
  fallbackScsv: boolean | null;
  mozilla: { meets: MozillaProfile | null; next: MozillaProfile | null; blockers: string[] };
  findings: ScanFinding[];
  elapsedMs: number;
  connections: number;
  maxConnections: number;
  concurrency: number;
  /** False when the scan stopped early (connection cap, cancellation, errors); `notes` says why. */
  complete: boolean;
  notes: string[];
  /** Where the suite anatomy comes from. */
  suiteRegistry: { source: string; date: string };
}

/** Progress while a scan runs. */
export interface ScanProgress {
  phase: string;
  connections: number;
  maxConnections: number;
}
