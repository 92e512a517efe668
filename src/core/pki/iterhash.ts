/**
 * H^n(x): a digest applied to its own output n times — the inner loop of the PKCS#12 KDF (RFC 7292 B.2) and
 * PBES1. node:crypto has no iterated digest, and one native call per round (a Hash object or crypto.hash, a
 * new Buffer, a trip into C++) costs 1–2.5 µs: a 1,000,000-iteration file took seconds. From the second round
 * on the input is the previous digest, one fixed-size block, so SHA-1 and SHA-256 run here on preallocated
 * words with no allocation per round (~0.3 µs); other digests keep the native one-shot call.
 */
import * as nodeCrypto from "node:crypto";

type OneShot = (alg: string, data: Uint8Array, enc: "buffer") => Buffer;
const oneShotHash = (nodeCrypto as unknown as { hash?: OneShot }).hash;

/** One native digest (crypto.hash on Node ≥ 20.12, else a Hash object). */
function digest(alg: string, data: Uint8Array): Uint8Array {
  return oneShotHash ? oneShotHash(alg, data, "buffer") : nodeCrypto.createHash(alg).update(data).digest();
}

/** The digest of `first`, then `iterations - 1` more rounds over each result. */
export function iteratedDigest(alg: string, first: Uint8Array, iterations: number): Uint8Array {
  let a = digest(alg, first);
  if (iterations <= 1) return a;
  if (alg === "sha1") return sha1Rounds(a, iterations - 1);
  if (alg === "sha256") return sha256Rounds(a, iterations - 1);
  for (let r = 1; r < iterations; r++) a = digest(alg, a);
  return a;
}

function toWords(b: Uint8Array, w: Int32Array): void {
  for (let i = 0; i < w.length; i++) w[i] = (b[4 * i] << 24) | (b[4 * i + 1] << 16) | (b[4 * i + 2] << 8) | b[4 * i + 3];
}

function toBytes(w: Int32Array): Uint8Array {
  const out = new Uint8Array(w.length * 4);
  for (let i = 0; i < w.length; i++) {
    out[4 * i] = w[i] >>> 24;
    out[4 * i + 1] = (w[i] >>> 16) & 255;
    out[4 * i + 2] = (w[i] >>> 8) & 255;
    out[4 * i + 3] = w[i] & 255;
  }
  return out;
}

/** `rounds` SHA-1 digests of a 20-byte value (FIPS 180-4 §6.1): one padded block each. */
function sha1Rounds(start: Uint8Array, rounds: number): Uint8Array {
  const h = new Int32Array(5);
  const w = new Int32Array(80);
  toWords(start, h);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 5; i++) w[i] = h[i];
    w[5] = 0x80000000;
    for (let i = 6; i < 15; i++) w[i] = 0;
    w[15] = 160;
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = 0x67452301,
      b = 0xefcdab89 | 0,
      c = 0x98badcfe | 0,
      d = 0x10325476,
      e = 0xc3d2e1f0 | 0;
    // The four 20-round stages as separate loops: no branch per round.
    for (let i = 0; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 40; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = (a + 0x67452301) | 0;
    h[1] = (b + 0xefcdab89) | 0;
    h[2] = (c + 0x98badcfe) | 0;
    h[3] = (d + 0x10325476) | 0;
    h[4] = (e + 0xc3d2e1f0) | 0;
  }
  return toBytes(h);
}

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV256 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** `rounds` SHA-256 digests of a 32-byte value (FIPS 180-4 §6.2): one padded block each. */
function sha256Rounds(start: Uint8Array, rounds: number): Uint8Array {
  const h = new Int32Array(8);
  const w = new Int32Array(64);
  toWords(start, h);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 8; i++) w[i] = h[i];
    w[8] = 0x80000000;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = 256;
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = IV256[0],
      b = IV256[1],
      c = IV256[2],
      d = IV256[3],
      e = IV256[4],
      f = IV256[5],
      g = IV256[6],
      hh = IV256[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (a + IV256[0]) | 0;
    h[1] = (b + IV256[1]) | 0;
    h[2] = (c + IV256[2]) | 0;
    h[3] = (d + IV256[3]) | 0;
    h[4] = (e + IV256[4]) | 0;
    h[5] = (f + IV256[5]) | 0;
    h[6] = (g + IV256[6]) | 0;
    h[7] = (hh + IV256[7]) | 0;
  }
  return toBytes(h);
}
