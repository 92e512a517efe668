/**
 * Record decryption from key-log secrets, independent of the TLS backend (@noble ciphers and hashes):
 * - TLS 1.3 (RFC 8446 §7.1 key schedule, §7.3 traffic keys, §5.2–5.3 record protection);
 * - TLS 1.0–1.2 (RFC 5246 §5 PRF and §6.3 key block; AES-GCM, ChaCha20-Poly1305, AES-CBC).
 * A RecordKeys object decrypts the records of one direction under one secret, in sequence.
 *
 * The primitives come from @noble/ciphers and @noble/hashes, so decryption works whatever the TLS backend;
 * when the backend's crypto offers the same primitive (Node on OpenSSL or BoringSSL: HMAC, AES-GCM, usually
 * ChaCha20-Poly1305) it is used instead, being 10–20× faster (keeps the tap's cost near the bench goal).
 * `useNativeCrypto(false)` forces the @noble path (the tests replay every transcript both ways).
 */
import { gcm, cbc } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { expand } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";
import { sha1, md5 } from "@noble/hashes/legacy.js";
import { createDecipheriv, createHmac, getCiphers } from "node:crypto";
import type { SuiteParams } from "./names";
import { concatBytes } from "./reader";

const HASHES = { sha256, sha384, sha1 } as const;

let NATIVE = new Set(safeCiphers());

/** Tests: force (false) or allow (true) the @noble-only path. */
export function useNativeCrypto(on: boolean): void {
  NATIVE = new Set(on ? safeCiphers() : []);
  nativeHmac = on;
}

function safeCiphers(): string[] {
  try {
    return getCiphers();
  } catch {
    return [];
  }
}

type Aead = "aes-gcm" | "chacha20-poly1305";

/** AEAD open (ciphertext || 16-byte tag). Throws when it does not authenticate. */
export function aeadOpen(kind: Aead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < 16) throw new Error("record shorter than its authentication tag");
  const name = kind === "aes-gcm" ? `aes-${key.length * 8}-gcm` : "chacha20-poly1305";
  if (NATIVE.has(name)) {
    let d;
    try {
      d = createDecipheriv(name as "aes-256-gcm", key, nonce, { authTagLength: 16 });
    } catch {
      NATIVE.delete(name); // the backend lacks this cipher after all: use @noble from now on
    }
    if (d) {
      d.setAAD(aad, { plaintextLength: sealed.length - 16 });
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      const a = d.update(sealed.subarray(0, sealed.length - 16));
      const b = d.final(); // throws when the record does not authenticate
      return b.length ? new Uint8Array(Buffer.concat([a, b])) : new Uint8Array(a.buffer, a.byteOffset, a.length);
    }
  }
  return kind === "aes-gcm" ? gcm(key, nonce, aad).decrypt(sealed) : chacha20poly1305(key, nonce, aad).decrypt(sealed);
}

function cbcDecrypt(key: Uint8Array, iv: Uint8Array, body: Uint8Array): Uint8Array {
  const name = `aes-${key.length * 8}-cbc`;
  if (NATIVE.has(name)) {
    try {
      const d = createDecipheriv(name, key, iv);
      d.setAutoPadding(false);
      return new Uint8Array(Buffer.concat([d.update(body), d.final()]));
    } catch {
      NATIVE.delete(name);
    }
  }
  return cbc(key, iv, { disablePadding: true }).decrypt(body);
}

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
  if (nativeHmac) {
    try {
      // HKDF-Expand (RFC 5869 §2.3) over the backend's HMAC: T(i) = HMAC(PRK, T(i-1) | info | i).
      const out = new Uint8Array(length);
      let t = new Uint8Array(0);
      for (let i = 1, o = 0; o < length; i++) {
        t = new Uint8Array(createHmac(hash, secret).update(t).update(info).update(new Uint8Array([i])).digest());
        out.set(t.subarray(0, Math.min(t.length, length - o)), o);
        o += t.length;
      }
      return out;
    } catch {
      nativeHmac = false;
    }
  }
  return expand(HASHES[hash], secret, info, length);
}

let nativeHmac = true;

function hmacOf(name: "sha256" | "sha384" | "sha1" | "md5", key: Uint8Array, data: Uint8Array): Uint8Array {
  if (nativeHmac) {
    try {
      return new Uint8Array(createHmac(name, key).update(data).digest());
    } catch {
      nativeHmac = false;
    }
  }
  return hmac(name === "md5" ? md5 : HASHES[name], key, data);
}

export interface Decrypted {
  contentType: number;
  plaintext: Uint8Array;
}

/** The record protection of one direction under one TLS 1.3 traffic secret. */
export class Tls13Keys {
  private key?: Uint8Array;
  private iv?: Uint8Array;
  seq = 0;

  constructor(
    private readonly suite: SuiteParams,
    private readonly secret: Uint8Array,
  ) {}

  /** Keys are derived on first use: most connections never use some of the four secrets. */
  private derive(): void {
    this.key = hkdfExpandLabel(this.suite.hash, this.secret, "key", new Uint8Array(0), this.suite.keyLen);
    this.iv = hkdfExpandLabel(this.suite.hash, this.secret, "iv", new Uint8Array(0), 12);
  }

  /** Decrypts one TLSCiphertext (header = the 5 record header bytes, used as AAD). Throws when it does not authenticate. */
  decrypt(header: Uint8Array, fragment: Uint8Array): Decrypted {
    if (!this.key || !this.iv) this.derive();
    const nonce = xorNonce(this.iv!, this.seq);
    const inner = aeadOpen(this.suite.cipher === "chacha20-poly1305" ? "chacha20-poly1305" : "aes-gcm", this.key!, nonce, header, fragment);
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

function pHash(hash: "sha256" | "sha384" | "sha1" | "md5", secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  let o = 0;
  while (o < length) {
    a = hmacOf(hash, secret, a);
    const block = hmacOf(hash, secret, concatBytes(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/** The TLS PRF: P_SHA256/P_SHA384 for TLS 1.2 (RFC 5246 §5), MD5 ⊕ SHA-1 for TLS 1.0/1.1 (RFC 2246 §5). */
export function prf(version: number, hash: "sha256" | "sha384", secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const s = concatBytes(new TextEncoder().encode(label), seed);
  if (version >= 0x0303) return pHash(hash, secret, s, length);
  const half = Math.ceil(secret.length / 2);
  const a = pHash("md5", secret.subarray(0, half), s, length);
  const b = pHash("sha1", secret.subarray(secret.length - half), s, length);
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
      plaintext = aeadOpen("aes-gcm", this.key, nonce, ad(ct.length - 16), ct);
    } else if (this.suite.cipher === "chacha20-poly1305") {
      plaintext = aeadOpen("chacha20-poly1305", this.key, xorNonce(this.iv, this.seq), ad(fragment.length - 16), fragment);
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
      const padded = cbcDecrypt(this.key, iv, body);
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
