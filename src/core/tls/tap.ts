/**
 * The wire tap: a Duplex over a net.Socket that records every byte in both directions, for
 * `tls.connect({ socket: tap })`. `_writev` matters: without it each flight is written record by record and
 * stalls on Nagle + delayed ACK (≈ 40 ms per handshake); `setNoDelay` is forwarded for the same reason.
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";

export interface TapEvent {
  from: "client" | "server";
  /** Milliseconds since the tap's start. */
  t: number;
  data: Buffer;
}

export class WireTap extends Duplex {
  readonly events: TapEvent[] = [];
  private readonly t0: number;
  /** Called with the first bytes the server sends (to spot plain HTTP and other non-TLS answers early). */
  onServerData?: (data: Buffer) => void;

  constructor(
    readonly socket: Socket,
    t0 = performance.now(),
  ) {
    super({ allowHalfOpen: false });
    this.t0 = t0;
    socket.setNoDelay(true);
    socket.on("data", (data: Buffer) => {
      this.events.push({ from: "server", t: this.now(), data });
      this.onServerData?.(data);
      if (!this.push(data)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", (err) => this.destroy(err));
    socket.on("close", () => {
      if (!this.destroyed) this.destroy();
    });
  }

  private now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.events.push({ from: "client", t: this.now(), data: Buffer.from(chunk) });
    this.socket.write(chunk, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    const data = Buffer.concat(chunks.map((c) => c.chunk));
    this.events.push({ from: "client", t: this.now(), data });
    this.socket.write(data, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(cb);
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }

  setNoDelay(noDelay = true): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.socket.setTimeout(ms, cb);
    return this;
  }

  ref(): this {
    this.socket.ref();
    return this;
  }

  unref(): this {
    this.socket.unref();
    return this;
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  get localPort(): number | undefined {
    return this.socket.localPort;
  }
}
