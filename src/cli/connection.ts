/**
 * The connection options shared by `handshake` and `scan` (../shared/CONTRACTS.md, second version):
 * `--starttls PROTO`, `--proxy URL`. Bad values are usage errors that name the option; a proxy URL is never
 * echoed with its password.
 */
import { UsageError } from "./args";
import { STARTTLS_PROTOCOLS, type ProxyConfig, type StartTlsProtocol } from "../core/net/types";
import { parseProxyUrl } from "../core/net/proxy";

export const CONNECTION_SPEC = { starttls: "string", proxy: "string" } as const;

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
