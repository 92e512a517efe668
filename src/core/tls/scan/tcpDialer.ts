/**
 * A plain TCP Dialer (src/core/net/types.ts) for the scanner. The shared TCP → proxy → STARTTLS dialers of
 * src/core/net/ replace it once they land; the scanner only ever sees the Dialer type.
 */
import * as net from "node:net";
import type { Dialer, DialResult } from "../../net/types";

export function tcpDialer(host: string, port: number): Dialer {
  return (opts) =>
    new Promise<DialResult>((resolve) => {
      const t0 = performance.now();
      const steps = [{ step: "tcp" as const, from: "note" as const, text: `connect ${host}:${port}`, time: 0 }];
      if (opts.signal?.aborted) return resolve({ ok: false, category: "other", message: "cancelled", steps, cancelled: true });
      const socket = net.connect({ host, port });
      let done = false;
      const finish = (r: DialResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        socket.off("connect", onConnect);
        socket.off("error", onError);
        if (!r.ok) socket.destroy();
        resolve(r);
      };
      const onAbort = () => finish({ ok: false, category: "other", message: "cancelled", steps, cancelled: true });
      const onConnect = () => finish({ ok: true, socket, steps, timing: { connect: Math.round((performance.now() - t0) * 100) / 100 } });
      const onError = (e: NodeJS.ErrnoException) => {
        const code = e.code ?? "";
        const category = code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH" ? "connection_refused" : /^(ENOTFOUND|EAI_)/.test(code) ? "dns_failure" : code === "ETIMEDOUT" ? "timeout" : "other";
        finish({ ok: false, category, message: `${code || "error"}: ${e.message}`, steps });
      };
      const timer = setTimeout(() => finish({ ok: false, category: "timeout", message: `no TCP connection to ${host}:${port} in time`, steps }), Math.max(1, opts.deadline - performance.now()));
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      socket.once("connect", onConnect);
      socket.once("error", onError);
    });
}
