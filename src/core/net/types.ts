/**
 * The connection set-up shared by the handshake and the scanner (issues 16 and 12): TCP → HTTP proxy CONNECT →
 * STARTTLS preamble, each a small step that hands a connected plaintext socket upward and records what it sent
 * and received. TLS (tapped, or a raw ClientHello for the scanner) and the application probe run on top.
 */
import type * as net from "node:net";
import type { PreambleLine } from "../../shared/model";

/**
 * One line of the plaintext exchange before TLS, for the sequence diagram ("S: 220 mail ESMTP", "C: STARTTLS"):
 * { step: "tcp" | "proxy" | "starttls"; from: "client" | "server" | "note"; text; time (ms since the dial started) }.
 * The same shape as the result's `preamble` lines (src/shared/model.ts), so it is declared once, there.
 */
export type ConnStep = PreambleLine;

export interface DialOptions {
  /** Absolute deadline, performance.now() based. */
  deadline: number;
  signal?: AbortSignal;
}

export type DialFailureCategory = "connection_refused" | "timeout" | "dns_failure" | "proxy_failure" | "starttls_failure" | "other";

export type DialResult =
  | { ok: true; socket: net.Socket; steps: ConnStep[]; timing: { connect?: number; proxy?: number; starttls?: number } }
  | ({ ok: false; category: DialFailureCategory; message: string; steps: ConnStep[]; cancelled?: boolean } & DialFailureDetail);

/** Opens a plaintext stream ready for a ClientHello. Never throws for network or peer problems. */
export type Dialer = (opts: DialOptions) => Promise<DialResult>;

// ── Added with the implementation (issue 16), additive ──

/** The plaintext protocols the dialer can upgrade to TLS (one list for engine, CLI and panel). */
export { STARTTLS_PROTOCOLS, type StartTlsProtocol } from "../../shared/starttls";

/** An HTTP proxy reached with CONNECT. The password never leaves the dialer (not in steps, results or errors). */
export interface ProxyConfig {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** A dial failure may also carry the socket error code (ECONNREFUSED, ENOTFOUND…) and a suggested fix. */
export interface DialFailureDetail {
  code?: string;
  fix?: string;
}
