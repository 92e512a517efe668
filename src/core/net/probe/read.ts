/**
 * Reading one application answer from the TLS socket: bounded in bytes and time, never throwing. Partial data is
 * the point here (the first few KB of an error page), so the read ends with what came when the framer is
 * satisfied, the size cap is reached, the peer closes, or the wait is over.
 */
import type { Duplex } from "node:stream";

export interface Answer {
  data: Buffer;
  /** Why reading stopped without a complete answer: "closed", "error", "timeout". */
  stopped?: "closed" | "error" | "timeout";
  error?: string;
}

/** Most bytes read from an application answer ("the first few KB"). */
export const MAX_APP_BYTES = 8 * 1024;

/** `complete(buf)` says whether enough has been read. */
export function readAnswer(socket: Duplex, complete: (buf: Buffer) => boolean, waitMs: number, max = MAX_APP_BYTES): Promise<Answer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => end("timeout"), Math.max(0, waitMs));
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]).subarray(0, max);
      if (buf.length >= max || complete(buf)) end();
    };
    const onClose = () => end("closed");
    const onError = (e: Error & { code?: string }) => end("error", e.code ?? e.message);
    function end(stopped?: Answer["stopped"], error?: string) {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onClose);
      socket.off("close", onClose);
      socket.off("error", onError);
      resolve({ data: buf, ...(stopped && !(stopped !== "timeout" && buf.length && complete(buf)) ? { stopped } : {}), ...(error ? { error } : {}) });
    }
    socket.on("data", onData);
    socket.on("end", onClose);
    socket.on("close", onClose);
    socket.on("error", onError);
    socket.resume();
  });
}

/** One line of readable text from bytes (control characters dropped, whitespace collapsed, bounded). */
export function oneLine(text: string, max = 300): string {
  const t = text
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
