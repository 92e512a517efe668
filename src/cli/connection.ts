/**
 * The connection options shared by `handshake` and `scan` (docs/cli.md, second version):
 * `--starttls PROTO`, `--proxy URL`. Bad values are usage errors that name the option; a proxy URL is never
 * echoed with its password.
 */
import { UsageError, type FlagSpec } from "./args";
import { STARTTLS_PROTOCOLS, type ProxyConfig, type StartTlsProtocol } from "../core/net/types";
import { parseProxyUrl } from "../core/net/proxy";

/** SNI, the same row in the tables of `handshake` and `scan`. */
export const SERVERNAME_FLAG: FlagSpec = { name: "servername", kind: "string", value: "NAME", help: "SNI (default: HOST unless it is an IP literal)" };

/** `--timeout MS` of `handshake` and `scan`: what it bounds, and its default, differ. */
export function timeoutFlag(help: string): FlagSpec {
  return { name: "timeout", kind: "string", value: "MS", help };
}

/** Rows of the flag tables of `handshake` and `scan`. */
export const CONNECTION_FLAGS: FlagSpec[] = [
  { name: "starttls", kind: "string", value: "PROTO", help: `upgrade a plaintext protocol first: ${STARTTLS_PROTOCOLS.join(", ")}` },
  { name: "proxy", kind: "string", value: "URL", help: "reach HOST:PORT through an HTTP proxy: http://[user:pass@]host:port (CONNECT)" },
];

export function parseStarttls(v: string | undefined): StartTlsProtocol | undefined {
  if (v === undefined) return undefined;
  const p = v.toLowerCase();
  if (!(STARTTLS_PROTOCOLS as readonly string[]).includes(p)) throw new UsageError(`--starttls must be one of ${STARTTLS_PROTOCOLS.join(", ")} (got '${v}')`);
  return p as StartTlsProtocol;
}

export function parseProxy(v: string | undefined): ProxyConfig | undefined {
  if (v === undefined) return undefined;
  try {
    return parseProxyUrl(v);
  } catch (err) {
    throw new UsageError(`--proxy: ${(err as Error).message}`);
  }
}
