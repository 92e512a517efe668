/** A bounds-checked big-endian reader over TLS structures: every read past the end throws a DecodeError. */
import { concat } from "../pki/der";

export class TlsDecodeError extends Error {}

export class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    private readonly end = buf.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new TlsDecodeError(`truncated: need ${n} bytes at offset ${this.pos}, have ${this.end - this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = (this.buf[this.pos] << 16) | (this.buf[this.pos + 1] << 8) | this.buf[this.pos + 2];
    this.pos += 3;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = ((this.buf[this.pos] << 24) >>> 0) + ((this.buf[this.pos + 1] << 16) | (this.buf[this.pos + 2] << 8) | this.buf[this.pos + 3]);
    this.pos += 4;
    return v;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A length-prefixed vector (prefix of 1, 2 or 3 bytes) as a sub-reader. */
  vec(prefix: 1 | 2 | 3): Reader {
    const n = prefix === 1 ? this.u8() : prefix === 2 ? this.u16() : this.u24();
    this.need(n);
    const r = new Reader(this.buf, this.pos + n);
    r.pos = this.pos;
    this.pos += n;
    return r;
  }

  vecBytes(prefix: 1 | 2 | 3): Uint8Array {
    const n = prefix === 1 ? this.u8() : prefix === 2 ? this.u16() : this.u24();
    return this.bytes(n);
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
}

export function fromHex(h: string): Uint8Array {
  const clean = h.trim();
  if (clean.length % 2 || /[^0-9a-fA-F]/.test(clean)) throw new TlsDecodeError(`not hex: '${clean.slice(0, 20)}…'`);
  return new Uint8Array(Buffer.from(clean, "hex"));
}

/** `concat` of src/core/pki/der.ts with the parts as arguments. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return concat(parts);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
