/**
 * The vectors and lists that recur inside handshake messages (RFC 8446 §3.4): extension blocks, u16 lists, ALPN
 * and server names, CA names, SCT lists. Shared by the hello and certificate message parsers.
 */
import { Reader } from "./reader";
import { nameText } from "./certs";

export interface Ext {
  type: number;
  data: Uint8Array;
}

export function readExtensions(r: Reader): Ext[] {
  if (r.remaining === 0) return [];
  const v = r.vec(2);
  const out: Ext[] = [];
  while (v.remaining > 0) out.push({ type: v.u16(), data: v.vecBytes(2) });
  return out;
}

export function u16List(data: Uint8Array, prefix: 1 | 2): number[] {
  const r = new Reader(data).vec(prefix);
  const out: number[] = [];
  while (r.remaining >= 2) out.push(r.u16());
  return out;
}

export function alpnList(data: Uint8Array): string[] {
  const r = new Reader(data).vec(2);
  const out: string[] = [];
  while (r.remaining > 0) out.push(Buffer.from(r.vecBytes(1)).toString("latin1"));
  return out;
}

export function serverNames(data: Uint8Array): string[] {
  const r = new Reader(data).vec(2);
  const out: string[] = [];
  while (r.remaining > 0) {
    const t = r.u8();
    const name = r.vecBytes(2);
    if (t === 0) out.push(Buffer.from(name).toString("latin1"));
  }
  return out;
}

export function caNames(r: Reader): string[] {
  const out: string[] = [];
  while (r.remaining > 0) out.push(nameText(r.vecBytes(2)));
  return out;
}

/** Reads a 2-byte-length vector and returns it with its length prefix (the form u16List expects). */
export function readVec2(r: Reader): Uint8Array {
  const start = r.pos;
  r.vecBytes(2);
  return r.buf.subarray(start, r.pos);
}

/** Number of SCTs in a SignedCertificateTimestampList (0 when unreadable). */
export function sctCount(list: Uint8Array): number {
  try {
    const v = new Reader(list).vec(2);
    let n = 0;
    while (v.remaining > 0 && n < 100) {
      v.vecBytes(2);
      n++;
    }
    return n;
  } catch {
    return 0;
  }
}
