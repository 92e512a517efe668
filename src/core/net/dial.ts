/**
 * makeDialer: the connection set-up as a stack of steps, each handing a connected plaintext stream upward —
 * TCP (to the target, or to the proxy) → HTTP CONNECT → STARTTLS preamble. Shared by the handshake and the scan.
 * Every step records what it sent and received (ConnStep) and fails with its own category.
 */
import type * as net from "node:net";
import type { ConnStep, Dialer, DialResult, ProxyConfig, StartTlsProtocol } from "./types";
import { Conversation, StepError } from "./conversation";
import { tcpConnect, hostPort } from "./tcp";
import { parseProxyUrl, proxyConnect, proxyLabel } from "./proxy";
import { STARTTLS, PROTOCOL_NAMES } from "./starttls";
import { english, type Translate } from "../../shared/format";

export interface DialTarget {
  host: string;
  port: number;
  /** `http://[user:pass@]host:port` or an already parsed proxy. */
  proxy?: string | ProxyConfig;
  starttls?: StartTlsProtocol;
  /** Name for SMTP EHLO / XMPP to= (default: the host). */
  servername?: string;
  /** Bound of each plaintext answer (greeting, CONNECT reply), default 4000 ms: a silent server is named early. */
  answerWaitMs?: number;
  /** Says the failure sentences (default English; the panels pass a recording translator). */
  t?: Translate;
}

export const DEFAULT_ANSWER_WAIT_MS = 4000;

export function makeDialer(t: DialTarget): Dialer {
  const proxy = typeof t.proxy === "string" ? parseProxyUrl(t.proxy) : t.proxy;
  const waitMs = t.answerWaitMs ?? DEFAULT_ANSWER_WAIT_MS;
  const say = t.t ?? english;
  return async ({ deadline, signal }): Promise<DialResult> => {
    const t0 = performance.now();
    const steps: ConnStep[] = [];
    const timing: { connect?: number; proxy?: number; starttls?: number } = {};
    let socket: net.Socket | undefined;
    let stage: "tcp" | "proxy" | "starttls" = "tcp";
    try {
      socket = await tcpConnect(proxy ? proxy.host : t.host, proxy ? proxy.port : t.port, deadline, signal, steps, t0, proxy ? "proxy" : "tcp", say);
      timing.connect = ms(t0);
      if (proxy) {
        stage = "proxy";
        const tp = performance.now();
        socket = await proxyConnect(new Conversation(socket, "proxy", steps, t0, deadline, signal, say), proxy, t.host, t.port, waitMs);
        timing.proxy = ms(tp);
      }
      if (t.starttls) {
        stage = "starttls";
        const ts = performance.now();
        const conv = new Conversation(socket, "starttls", steps, t0, deadline, signal, say);
        await STARTTLS[t.starttls](conv, { name: t.servername ?? t.host, waitMs });
        socket = conv.release();
        timing.starttls = ms(ts);
      }
      return { ok: true, socket, steps, timing };
    } catch (err) {
      socket?.destroy();
      if (!(err instanceof StepError)) throw err;
      if (err.code === "ABORT_ERR" || err.message === "cancelled" || signal?.aborted) return { ok: false, category: "other", message: "cancelled", steps, cancelled: true };
      return failure(err, stage, t, proxy, steps);
    }
  };
}

function failure(err: StepError, stage: "tcp" | "proxy" | "starttls", target: DialTarget, proxy: ProxyConfig | undefined, steps: ConnStep[]): DialResult {
  const t = target.t ?? english;
  // TCP to the proxy failing is the proxy's failure; TCP to the target keeps its own category (and code) for the diagnosis.
  if (stage === "tcp" && proxy) {
    return {
      ok: false,
      category: "proxy_failure",
      code: err.code,
      message: t("The proxy {0} could not be reached: {1}.", proxyLabel(proxy), err.message),
      fix: t("Check the proxy address (VS Code's http.proxy setting or --proxy) and that the proxy is running."),
      steps,
    };
  }
  let fix = err.fix;
  if (stage === "starttls" && target.starttls && !fix) {
    const greetsFirst = ["smtp", "imap", "pop3", "ftp", "mysql"].includes(target.starttls);
    const name = PROTOCOL_NAMES[target.starttls];
    fix =
      greetsFirst && err.silent
        ? t("Check the port and the protocol: this server waits for the client to speak first, so it is likely not a {0} server (PostgreSQL, MySQL and TLS ports say nothing first).", name)
        : t("Check that {0} is a {1} server that offers STARTTLS.", hostPort(target.host, target.port), name);
  }
  return { ok: false, category: err.category, code: err.code, message: err.message, ...(fix ? { fix } : {}), steps };
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 100) / 100;
}
