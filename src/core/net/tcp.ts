/** The first step: a TCP connection, bounded by the deadline and cancellable. */
import * as net from "node:net";
import type { ConnStep, DialFailureCategory } from "./types";
import { StepError } from "./conversation";
import { english, type Translate } from "../../shared/format";

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]);

/** Plain-words category of a socket error code. */
export function tcpCategory(code: string | undefined): DialFailureCategory {
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH") return "connection_refused";
  if (code && DNS_CODES.has(code)) return "dns_failure";
  if (code === "ETIMEDOUT") return "timeout";
  return "other";
}

/** Connects; rejects with a StepError (category "timeout" when the deadline passes, "other" when cancelled). */
export function tcpConnect(
  host: string,
  port: number,
  deadline: number,
  signal: AbortSignal | undefined,
  steps: ConnStep[],
  t0: number,
  what = "tcp" as ConnStep["step"],
  t: Translate = english,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => end(new StepError("timeout", t("no TCP connection to {0} within the time limit", hostPort(host, port)), undefined, "ETIMEDOUT")), Math.max(0, deadline - performance.now()));
    const onAbort = () => end(new StepError("other", "cancelled", undefined, "ABORT_ERR"));
    if (signal?.aborted) queueMicrotask(onAbort);
    else signal?.addEventListener("abort", onAbort, { once: true });
    function end(err?: StepError) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      if (err) {
        socket.destroy();
        reject(err);
      }
    }
    function onError(e: Error & { code?: string }) {
      end(new StepError(tcpCategory(e.code), `${e.code ?? "error"}: ${e.message}`, undefined, e.code));
    }
    socket.on("error", onError);
    socket.once("connect", () => {
      end();
      // Errors after this point belong to whoever reads the socket next; this one keeps a late error from
      // crashing the process in the instant between two steps.
      socket.on("error", () => {});
      steps.push({ step: what, from: "note", text: `TCP connected to ${hostPort(host, port)}`, time: Math.round((performance.now() - t0) * 100) / 100 });
      resolve(socket);
    });
  });
}

export function hostPort(h: string, p: number): string {
  return h.includes(":") ? `[${h}]:${p}` : `${h}:${p}`;
}
