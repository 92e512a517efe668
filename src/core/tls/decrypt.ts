/**
 * Record decryption from key-log secrets, independent of the TLS backend (@noble ciphers and hashes):
 * - TLS 1.3 (RFC 8446 §7.1 key schedule, §7.3 traffic keys, §5.2–5.3 record protection);
 * - TLS 1.0–1.2 (RFC 5246 §5 PRF and §6.3 key block; AES-GCM, ChaCha20-Poly1305, AES-CBC).
 * A RecordKeys object decrypts the records of one direction under one secret, in sequence.
 */
import { gcm, cbc } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { expand } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";
import { sha1, md5 } from "@noble/hashes/legacy.js";
import type { SuiteParams } from "./names";
import { concatBytes } from "./reader";

const HASHES = { sha256, sha384, sha1 } as const;

function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  let s = seq;
  for (let i = 7; i >= 0; i--) {
    b[i] = s & 0xff;
    s = Math.floor(s / 256);
  }
  return b;
}

function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const n = iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) n[n.length - 8 + i] ^= s[i];
  return n;
}

// ───────────────────────────── TLS 1.3 ─────────────────────────────

/** HKDF-Expand-Label (RFC 8446 §7.1). */
export function hkdfExpandLabel(hash: "sha256" | "sha384", secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const full = new TextEncoder().encode(`tls13 ${label}`);
  const info = concatBytes(new Uint8Array([length >> 8, length & 0xff, full.length]), full, new Uint8Array([context.length]), context);
  return expand(HASHES[hash], secret, info, length);
}

export interface Decrypted {
  contentType: number;
  plaintext: Uint8Array;
}

/** The record protection of one direction under one TLS 1.3 traffic secret. */
export class Tls13Keys {
  private key: Uint8Array;
  private iv: Uint8Array;
  seq = 0;

  constructor(
    private readonly suite: SuiteParams,
    secret: Uint8Array,
  ) {
    this.key = hkdfExpandLabel(suite.hash, secret, "key", new Uint8Array(0), suite.keyLen);
    this.iv = hkdfExpandLabel(suite.hash, secret, "iv", new Uint8Array(0), 12);
  }

  /** Decrypts one TLSCiphertext (header = the 5 record header bytes, used as AAD). Throws when it does not authenticate. */
  decrypt(header: Uint8Array, fragment: Uint8Array): Decrypted {
    const nonce = xorNonce(this.iv, this.seq);
    const c = this.suite.cipher === "chacha20-poly1305" ? chacha20poly1305(this.key, nonce, header) : gcm(this.key, nonce, header);
    const inner = c.decrypt(fragment);
    this.seq++;
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) throw new Error("TLS 1.3 inner plaintext has no content type");
    return { contentType: inner[end - 1], plaintext: inner.subarray(0, end - 1) };
  }
}

export function canDecrypt13(suite: SuiteParams | undefined): suite is SuiteParams {
  return !!suite && (suite.cipher === "aes-gcm" || suite.cipher === "chacha20-poly1305");
}

// ───────────────────────────── TLS 1.0–1.2 ─────────────────────────────

function pHash(hash: (typeof HASHES)[keyof typeof HASHES] | typeof md5, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  let o = 0;
  while (o < length) {
    a = hmac(hash, secret, a);
    const block = hmac(hash, secret, concatBytes(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/** The TLS PRF: P_SHA256/P_SHA384 for TLS 1.2 (RFC 5246 §5), MD5 ⊕ SHA-1 for TLS 1.0/1.1 (RFC 2246 §5). */
export function prf(version: number, hash: "sha256" | "sha384", secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const s = concatBytes(new TextEncoder().encode(label), seed);
  if (version >= 0x0303) return pHash(HASHES[hash], secret, s, length);
  const half = Math.ceil(secret.length / 2);
  const a = pHash(md5, secret.subarray(0, half), s, length);
  const b = pHash(sha1, secret.subarray(secret.length - half), s, length);
  for (let i = 0; i < length; i++) a[i] ^= b[i];
  return a;
}

/** The record protection of one direction of a TLS 1.0–1.2 connection (after its ChangeCipherSpec). */
export class Tls12Keys {
  seq = 0;
  private lastBlock: Uint8Array;

  private constructor(
    private readonly suite: SuiteParams,
    private readonly version: number,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
    private readonly encryptThenMac: boolean,
  ) {
    this.lastBlock = iv;
  }

  static derive(
    suite: SuiteParams,
    version: number,
    master: Uint8Array,
    clientRandom: Uint8Array,
    serverRandom: Uint8Array,
    encryptThenMac: boolean,
  ): { client: Tls12Keys; server: Tls12Keys } {
    const macLen = suite.cipher === "aes-cbc" ? (suite.macLen ?? 0) : 0;
    const ivLen = suite.cipher === "aes-cbc" && version >= 0x0302 ? 16 : suite.ivLen;
    const n = 2 * (macLen + suite.keyLen + ivLen);
    const kb = prf(version, suite.hash, master, "key expansion", concatBytes(serverRandom, clientRandom), n);
    let o = 2 * macLen;
    const ck = kb.slice(o, (o += suite.keyLen));
    const sk = kb.slice(o, (o += suite.keyLen));
    const civ = kb.slice(o, (o += ivLen));
    const siv = kb.slice(o, (o += ivLen));
    return {
      client: new Tls12Keys(suite, version, ck, civ, encryptThenMac),
      server: new Tls12Keys(suite, version, sk, siv, encryptThenMac),
    };
  }

  decrypt(header: Uint8Array, fragment: Uint8Array): Decrypted {
    const type = header[0];
    const ad = (len: number) => concatBytes(seqBytes(this.seq), new Uint8Array([type, header[1], header[2], len >> 8, len & 0xff]));
    let plaintext: Uint8Array;
    if (this.suite.cipher === "aes-gcm") {
      const nonce = concatBytes(this.iv, fragment.subarray(0, 8));
      const ct = fragment.subarray(8);
      plaintext = gcm(this.key, nonce, ad(ct.length - 16)).decrypt(ct);
    } else if (this.suite.cipher === "chacha20-poly1305") {
      plaintext = chacha20poly1305(this.key, xorNonce(this.iv, this.seq), ad(fragment.length - 16)).decrypt(fragment);
    } else if (this.suite.cipher === "aes-cbc") {
      const macLen = this.suite.macLen ?? 0;
      let body = this.encryptThenMac ? fragment.subarray(0, fragment.length - macLen) : fragment;
      let iv: Uint8Array;
      if (this.version >= 0x0302) {
        iv = body.subarray(0, 16);
        body = body.subarray(16);
      } else iv = this.lastBlock;
      if (body.length === 0 || body.length % 16) throw new Error("CBC record is not a whole number of blocks");
      this.lastBlock = body.slice(body.length - 16);
      const padded = cbc(this.key, iv, { disablePadding: true }).decrypt(body);
      const pad = padded[padded.length - 1];
      if (pad + 1 > padded.length) throw new Error("bad CBC padding");
      let end = padded.length - pad - 1;
      if (!this.encryptThenMac) end -= macLen;
      if (end < 0) throw new Error("CBC record too short for its MAC");
      plaintext = padded.subarray(0, end);
    } else throw new Error("cipher not supported for decryption");
    this.seq++;
    return { contentType: type, plaintext };
  }
}

export function canDecrypt12(suite: SuiteParams | undefined): suite is SuiteParams {
  return !!suite && suite.kx !== "TLS13" && (suite.cipher === "aes-gcm" || suite.cipher === "chacha20-poly1305" || suite.cipher === "aes-cbc");
}
