/**
 * One scan probe: dial, send one raw ClientHello, read the server's first flight in plaintext — ServerHello or
 * HelloRetryRequest, and (TLS 1.2 and older) Certificate, CertificateStatus, ServerKeyExchange up to
 * ServerHelloDone — or its alert, then close. Bounded by a deadline, a byte budget and the caller's signal.
 */
import type { Socket } from "node:net";
import type { Dialer } from "../../net/types";
import { Reader, equalBytes, concatBytes as concat } from "../reader";
import { HRR_RANDOM } from "../hellos";
import { bitLength } from "../../pki/der";
import { suiteByCode } from "../suites/anatomy";

export interface ProbeOutcome {
  kind: "hello" | "hrr" | "alert" | "closed" | "timeout" | "not_tls" | "dial_failed" | "cancelled" | "malformed";
  /** The negotiated version (supported_versions when present). */
  version?: number;
  suite?: number;
  /** TLS 1.3: the key_share group of a ServerHello or the group a HelloRetryRequest asks for; TLS 1.2: the ECDHE curve of the ServerKeyExchange. */
  group?: number;
  dhBits?: number;
  certificates?: Uint8Array[];
  stapled?: boolean;
  secureRenegotiation?: boolean;
  alert?: number;
  message?: string;
  /** Why the connection set-up failed (dial_failed): the step's category, e.g. proxy_failure, starttls_failure. */
  dialCategory?: import("../../net/types").DialFailureCategory;
}

const MAX_BYTES = 256 * 1024;

export async function probe(dial: Dialer, hello: Uint8Array, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ProbeOutcome> {
  const deadline = performance.now() + opts.timeoutMs;
  const d = await dial({ deadline, signal: opts.signal });
  if (!d.ok) return { kind: d.cancelled ? "cancelled" : d.category === "timeout" ? "timeout" : "dial_failed", message: d.message, dialCategory: d.category };
  return exchange(d.socket, hello, deadline, opts.signal);
}

function exchange(socket: Socket, hello: Uint8Array, deadline: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const parser = new FlightParser();
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("data");
      socket.on("error", () => undefined);
      socket.destroy();
      resolve(o);
    };
    const onAbort = () => finish({ kind: "cancelled" });
    const timer = setTimeout(() => finish(parser.partial("timeout")), Math.max(1, deadline - performance.now()));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) return finish({ kind: "cancelled" });
    socket.on("data", (b: Buffer) => {
      const r = parser.push(new Uint8Array(b.buffer, b.byteOffset, b.length));
      if (r) finish(r);
    });
    socket.on("error", (e) => finish(parser.partial("closed", e.message)));
    socket.on("close", () => finish(parser.partial("closed")));
    // A socket handed on by a proxy or STARTTLS step comes paused (src/core/net/conversation.ts).
    socket.resume();
    socket.write(hello);
  });
}

/** A push parser over the server's records; returns an outcome once the flight is complete or has failed. */
export class FlightParser {
  private buf: Uint8Array = new Uint8Array(0);
  private hs: Uint8Array = new Uint8Array(0);
  private total = 0;
  private out: ProbeOutcome = { kind: "closed" };
  private seenHello = false;

  push(chunk: Uint8Array): ProbeOutcome | undefined {
    this.total += chunk.length;
    if (this.total > MAX_BYTES) return this.partial("malformed", "the server's first flight exceeds 256 KB");
    this.buf = concat(this.buf, chunk);
    try {
      while (this.buf.length >= 5) {
        const type = this.buf[0];
        if (type < 20 || type > 24 || this.buf[1] !== 3) return { kind: "not_tls", message: Buffer.from(this.buf.subarray(0, 32)).toString("latin1") };
        const len = (this.buf[3] << 8) | this.buf[4];
        if (len > 18432) return { kind: "malformed", message: `record of ${len} bytes` };
        if (this.buf.length < 5 + len) return undefined;
        const body = this.buf.subarray(5, 5 + len);
        this.buf = this.buf.subarray(5 + len);
        if (type === 21 && body.length >= 2) return { ...this.out, kind: this.seenHello ? this.out.kind : "alert", alert: body[1] };
        if (type === 22) {
          this.hs = concat(this.hs, body);
          const r = this.messages();
          if (r) return r;
        } else if (type === 23 && this.seenHello) return this.out;
      }
    } catch (e) {
      return this.partial("malformed", (e as Error).message);
    }
    return undefined;
  }

  /** What was learnt when the stream ended early. */
  partial(kind: ProbeOutcome["kind"], message?: string): ProbeOutcome {
    return this.seenHello ? this.out : { kind, ...(message ? { message } : {}) };
  }

  private messages(): ProbeOutcome | undefined {
    while (this.hs.length >= 4) {
      const type = this.hs[0];
      const len = (this.hs[1] << 16) | (this.hs[2] << 8) | this.hs[3];
      if (this.hs.length < 4 + len) return undefined;
      const body = this.hs.subarray(4, 4 + len);
      this.hs = this.hs.subarray(4 + len);
      const r = new Reader(body);
      switch (type) {
        case 2:
          this.serverHello(r);
          if (this.out.kind === "hrr" || this.out.version === 0x0304) return this.out;
          break;
        case 11:
          this.out.certificates = certificateList(r);
          break;
        case 22:
          this.out.stapled = body.length > 4;
          break;
        case 12:
          this.serverKeyExchange(r);
          break;
        case 14:
          return this.out;
        default:
          break;
      }
    }
    return undefined;
  }

  private serverHello(r: Reader): void {
    const legacy = r.u16();
    const random = r.bytes(32);
    r.vecBytes(1);
    const suite = r.u16();
    r.u8();
    const hrr = equalBytes(random, HRR_RANDOM);
    this.seenHello = true;
    this.out = { kind: hrr ? "hrr" : "hello", version: legacy, suite, secureRenegotiation: false };
    if (r.remaining < 2) return;
    const exts = r.vec(2);
    while (exts.remaining >= 4) {
      const t = exts.u16();
      const data = exts.vecBytes(2);
      if (t === 43 && data.length >= 2) this.out.version = (data[0] << 8) | data[1];
      else if (t === 51 && data.length >= 2) this.out.group = (data[0] << 8) | data[1];
      else if (t === 0xff01) this.out.secureRenegotiation = true;
    }
  }

  private serverKeyExchange(r: Reader): void {
    const kx = this.out.suite !== undefined ? suiteByCode(this.out.suite)?.parts.keyExchange : undefined;
    if (kx === "DHE") {
      this.out.dhBits = bitLength(r.vecBytes(2));
    } else if (kx === "ECDHE" && r.u8() === 3) {
      this.out.group = r.u16();
    }
  }
}

function certificateList(r: Reader): Uint8Array[] {
  const list = r.vec(3);
  const out: Uint8Array[] = [];
  while (list.remaining > 0 && out.length < 20) out.push(new Uint8Array(list.vecBytes(3)));
  return out;
}
