/**
 * The application probe: which protocol runs above TLS (ALPN, the --starttls protocol, the port) and one harmless
 * request in it after the handshake. Bounded by `waitMs` and the deadline; never throws.
 */
import type * as tls from "node:tls";
import type { ApplicationExchange } from "../../../shared/model";
import type { StartTlsProtocol } from "../types";
import { probeHttp1, probeH2 } from "./http";
import { probePostgres } from "./postgres";
import { probeText, type TextProtocol } from "./text";
import { EHLO_NAME } from "../starttls/text";
import type { Translate } from "../../../shared/format";

export { classifyApplication, type AppVerdictInput } from "./classify";

/** Ports where HTTPS is expected when no ALPN was agreed. */
export const HTTPS_PORTS = new Set([443, 444, 4443, 5443, 6443, 8443, 9443, 10443]);
const IMPLICIT_TLS: Record<number, TextProtocol> = { 465: "smtp", 993: "imap", 995: "pop3", 990: "ftp" };

export type AppProtocol = "http" | "h2" | "postgres" | TextProtocol;

export interface AppProbeContext {
  host: string;
  port: number;
  servername?: string;
  starttls?: StartTlsProtocol;
  /** PostgreSQL user (the client certificate's CN, for cert authentication). */
  user?: string;
  /** Bound of the wait for the answer, default 3000 ms. */
  waitMs?: number;
  /** Says why there was no answer (default English). */
  t?: Translate;
}

/** The protocol above TLS, when it is known. */
export function appProtocol(alpn: string | false | null | undefined, ctx: AppProbeContext): { protocol: AppProtocol; greeting: boolean } | undefined {
  if (ctx.starttls) {
    if (ctx.starttls === "postgres") return { protocol: "postgres", greeting: false };
    if (ctx.starttls === "smtp" || ctx.starttls === "imap" || ctx.starttls === "pop3" || ctx.starttls === "ftp") return { protocol: ctx.starttls, greeting: false };
    return undefined;
  }
  if (alpn === "h2") return { protocol: "h2", greeting: false };
  if (alpn === "http/1.1" || alpn === "http/1.0") return { protocol: "http", greeting: false };
  if (alpn === "postgresql") return { protocol: "postgres", greeting: false };
  if (alpn) return undefined;
  if (HTTPS_PORTS.has(ctx.port)) return { protocol: "http", greeting: false };
  const implicit = IMPLICIT_TLS[ctx.port];
  return implicit ? { protocol: implicit, greeting: true } : undefined;
}

/** Runs the probe on a connected TLS socket; undefined when the protocol is not known (nothing is sent). */
export async function probeApplication(s: tls.TLSSocket, ctx: AppProbeContext, deadline: number): Promise<ApplicationExchange | undefined> {
  const which = appProtocol(s.alpnProtocol, ctx);
  if (!which) return undefined;
  const waitMs = Math.max(0, Math.min(ctx.waitMs ?? 3000, deadline - performance.now()));
  const name = ctx.servername ?? ctx.host;
  const authority = `${name.includes(":") ? `[${name}]` : name}${ctx.port === 443 ? "" : `:${ctx.port}`}`;
  switch (which.protocol) {
    case "http":
      return probeHttp1(s, { authority, waitMs, t: ctx.t });
    case "h2":
      return probeH2(s, { authority, waitMs, t: ctx.t });
    case "postgres":
      return probePostgres(s, { user: ctx.user ?? "certscope", waitMs, t: ctx.t });
    default:
      return probeText(s, { protocol: which.protocol, name: EHLO_NAME, greeting: which.greeting, waitMs, t: ctx.t });
  }
}
