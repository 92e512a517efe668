/**
 * A plaintext conversation on a connected socket, for the proxy CONNECT and the STARTTLS preambles: send a line,
 * read until a complete answer, every read bounded in size and time, every line recorded as a ConnStep for the
 * sequence diagram. When the preamble is over, `release()` hands the socket on untouched (paused, no listeners of
 * ours), refusing it when the server already sent bytes the TLS layer would misread (RFC 3207 §6 / CVE-2011-0411:
 * nothing may be buffered across the upgrade).
 */
import type * as net from "node:net";
import type { ConnStep, DialFailureCategory } from "./types";
import { english, type Translate } from "../../shared/format";

/** Most bytes one answer may hold before the peer is considered hostile or not speaking the protocol. */
export const MAX_ANSWER = 16 * 1024;

export class StepError extends Error {
  constructor(
    readonly category: DialFailureCategory,
    message: string,
    readonly fix?: string,
    readonly code?: string,
    /** The peer sent nothing at all before the wait ended (a server that waits for the client to speak first). */
    readonly silent = false,
  ) {
    super(message);
  }
}

/** What an awaited answer is called in errors: "the SMTP greeting" / "SMTP greeting". */
export interface AnswerName {
  the: string;
  bare: string;
}

/** "the SMTP greeting": the first thing a server of `proto` says. */
export function greeting(t: Translate, proto: string): AnswerName {
  return { the: t("the {0} greeting", proto), bare: t("{0} greeting", proto) };
}

/** "the answer to EHLO": the server's answer to a command. */
export function answerTo(t: Translate, command: string): AnswerName {
  return { the: t("the answer to {0}", command), bare: t("answer to {0}", command) };
}

/** Returns how many bytes form one complete answer at the start of `buf`, or -1 when more are needed. */
export type Framer = (buf: Buffer) => number;

export class Conversation {
  private buf = Buffer.alloc(0);
  private waiter?: () => void;
  private ended?: string;
  private readonly onData = (d: Buffer) => {
    this.buf = Buffer.concat([this.buf, d]);
    this.waiter?.();
  };
  private readonly onEnd = () => {
    const t = this.t;
    this.ended = this.ended ?? t("the server closed the connection");
    this.waiter?.();
  };
  private readonly onError = (e: Error & { code?: string }) => {
    const t = this.t;
    this.ended = t("the connection failed ({0})", e.code ?? e.message);
    this.waiter?.();
  };

  constructor(
    readonly socket: net.Socket,
    readonly step: ConnStep["step"],
    readonly steps: ConnStep[],
    private readonly t0: number,
    private readonly deadline: number,
    private readonly signal?: AbortSignal,
    /** Says the failure sentences (the dialer's translator; English by default). */
    readonly t: Translate = english,
  ) {
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
    socket.on("error", this.onError);
    socket.resume(); // a socket handed on by an earlier step is paused
  }

  note(from: ConnStep["from"], text: string): void {
    this.steps.push({ step: this.step, from, text, time: Math.round((performance.now() - this.t0) * 100) / 100 });
  }

  /** Sends bytes; `shown` is what the diagram says was sent (text protocols: the line itself). */
  send(data: Buffer | string, shown: string): void {
    this.note("client", shown);
    this.socket.write(data);
  }

  /**
   * Waits for one complete answer (as the framer sees it), at most `waitMs` (and never past the deadline).
   * `what` names the awaited answer in errors: `the` as in "while waiting for the SMTP greeting", `bare` as in
   * "No complete SMTP greeting" (two texts, so a translation can decline them).
   */
  async read(framer: Framer, waitMs: number, what: AnswerName, category: DialFailureCategory = "starttls_failure"): Promise<Buffer> {
    const t = this.t;
    const until = Math.min(this.deadline, performance.now() + waitMs);
    for (;;) {
      const n = this.buf.length ? framer(this.buf) : -1;
      if (n > 0) {
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.buf.length > MAX_ANSWER) throw new StepError(category, t("{0} exceeded {1} bytes without ending: '{2}'", what.the, MAX_ANSWER, preview(this.buf)));
      if (this.signal?.aborted) throw new StepError("other", "cancelled");
      if (this.ended) {
        throw new StepError(
          category,
          this.buf.length ? t("{0} while waiting for {1} after '{2}'.", this.ended, what.the, preview(this.buf)) : t("{0} while waiting for {1}.", this.ended, what.the),
        );
      }
      const left = until - performance.now();
      if (left <= 0) {
        const secs = Math.round(waitMs / 100) / 10;
        const got = this.buf.length ? t("; it sent only '{0}'", preview(this.buf)) : t("; it sent nothing");
        const why = until >= this.deadline ? t("before the time limit") : t("within {0} s", secs);
        throw new StepError(category, t("No complete {0} {1}{2}.", what.bare, why, got), undefined, undefined, !this.buf.length);
      }
      await new Promise<void>((resolve) => {
        const signal = this.signal;
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, left);
        signal?.addEventListener("abort", done, { once: true });
        this.waiter = done;
      });
      this.waiter = undefined;
    }
  }

  /**
   * Stops listening and hands the socket on, paused. Bytes already received past the last answer are refused
   * (STARTTLS), or put back for the next step (`keepRest`: after a proxy's CONNECT answer, a server that speaks
   * first, such as SMTP, may already have greeted).
   */
  release(keepRest = false): net.Socket {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
    this.socket.pause();
    if (this.buf.length && keepRest) {
      this.socket.unshift(this.buf);
      this.buf = Buffer.alloc(0);
    }
    const t = this.t;
    if (this.buf.length)
      throw new StepError(this.step === "proxy" ? "proxy_failure" : "starttls_failure", t("the server sent {0} unexpected byte(s) before the TLS handshake: '{1}'", this.buf.length, preview(this.buf)));
    return this.socket;
  }

  /** Stops listening (on failure). */
  detach(): void {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
  }
}

/** A CRLF (or LF) terminated line framer. */
export const lineFramer: Framer = (buf) => {
  const i = buf.indexOf(0x0a);
  return i < 0 ? -1 : i + 1;
};

/** Printable text of (the start of) some bytes, for messages and the diagram. */
export function preview(b: Buffer, max = 200): string {
  const t = b
    .subarray(0, max)
    .toString("latin1")
    .replace(/\r?\n$/, "")
    .replace(/\r?\n/g, " ⏎ ")
    .replace(/[^\x20-\x7e⏎]/g, "·");
  return b.length > max ? `${t}…` : t;
}
