/**
 * The few DER encoders CertScope needs to build (not parse) structures: an OCSP request, a precertificate
 * TBSCertificate rebuilt for SCT verification. Definite minimal lengths only (X.690 §10.1).
 */
import { concat } from "./der";

/** Tag + minimal definite length + content. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let len: Uint8Array;
  if (n < 0x80) len = Uint8Array.of(n);
  else if (n < 0x100) len = Uint8Array.of(0x81, n);
  else if (n < 0x10000) len = Uint8Array.of(0x82, n >> 8, n & 0xff);
  else if (n < 0x1000000) len = Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  else len = Uint8Array.of(0x84, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

export const derSeq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(parts));
export const derOctets = (b: Uint8Array): Uint8Array => tlv(0x04, b);

/** OBJECT IDENTIFIER from dotted text. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const out: number[] = [];
  const push = (v: bigint) => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0] * 40n + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

/** INTEGER from its content octets as they were encoded (serial numbers are copied, never re-encoded). */
export const derIntegerContent = (content: Uint8Array): Uint8Array => tlv(0x02, content);
