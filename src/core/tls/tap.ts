/**
 * The wire tap: a Duplex over a net.Socket that records every byte in both directions, for
 * `tls.connect({ socket: tap })`. `_writev` matters: without it each flight is written record by record and
 * stalls on Nagle + delayed ACK (≈ 40 ms per handshake); `setNoDelay` is forwarded for the same reason.
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { LIMITS } from "../budget";

export interface TapEvent {
  from: "client" | "server";
  /** Milliseconds since the tap's start. */
  t: number;
  data: Buffer;
  /**
   * Set on the one event that stands for what was not kept once this direction passed LIMITS.wireBytes (a
   * server flooding data during the verdict wait): its `data` is empty and this is the byte count dropped.
   */
  omitted?: number;
}

export class WireTap extends Duplex {
  readonly events: TapEvent[] = [];
  private readonly t0: number;
  /** Bytes kept per direction, and the summary event of each direction once its limit is reached. */
  private readonly kept = { client: 0, server: 0 };
  private readonly summary: { client?: TapEvent; server?: TapEvent } = {};
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
      this.record("server", data);
      this.onServerData?.(data);
      if (!this.push(data)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", (err) => this.destroy(err));
    socket.on("close", () => {
      if (!this.destroyed) this.destroy();
    });
  }

  /**
   * Keeps `data` while the direction is within LIMITS.wireBytes (the handshake, any certificate chain a TLS
   * stack accepts, the first application data); past it only the size is kept, in one summary event.
   */
  private record(from: "client" | "server", data: Buffer): void {
    const room = LIMITS.wireBytes - this.kept[from];
    if (data.length <= room) {
      this.kept[from] += data.length;
      this.events.push({ from, t: this.now(), data });
      return;
    }
    if (room > 0) {
      this.kept[from] += room;
      this.events.push({ from, t: this.now(), data: data.subarray(0, room) });
    }
    let s = this.summary[from];
    if (!s) {
      s = { from, t: this.now(), data: Buffer.alloc(0), omitted: 0 };
      this.summary[from] = s;
      this.events.push(s);
    }
    s.omitted = (s.omitted ?? 0) + data.length - Math.max(0, room);
  }

  /** Bytes seen but not kept, per direction (see LIMITS.wireBytes). */
  get omitted(): { client: number; server: number } {
    return { client: this.summary.client?.omitted ?? 0, server: this.summary.server?.omitted ?? 0 };
  }

  private now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.record("client", Buffer.from(chunk));
    this.socket.write(chunk, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    const data = Buffer.concat(chunks.map((c) => c.chunk));
    this.record("client", data);
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
