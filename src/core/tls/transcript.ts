/**
 * The decoder: recorded bytes (both directions, in wire order) + key log → the handshake messages.
 * A pure push parser: records are split per direction (one record can carry several handshake messages,
 * one message can span records), TLS 1.3 records are decrypted with the traffic secrets of the key log,
 * TLS 1.0–1.2 records after ChangeCipherSpec with the master secret (CLIENT_RANDOM). Where no key is known,
 * the record is still listed with its size and `undecrypted: true`.
 */
import type { HandshakeMessage } from "../../shared/model";
import { alertName, suiteParams, CONTENT_TYPE, type SuiteParams } from "./names";
import { parseHandshake, type HandshakeContext } from "./messages";
import { fromHex, toHex } from "./reader";
import { Tls12Keys, Tls13Keys, canDecrypt12, canDecrypt13, hkdfExpandLabel } from "./decrypt";
import { LIMITS } from "../budget";

/** A recorded run: the raw bytes as they crossed the wire, and the NSS key log of the connection. */
export interface Transcript {
  version: 1;
  /** `omitted`: bytes the recorder did not keep past its limit (src/core/budget.ts LIMITS.wireBytes). */
  events: { from: "client" | "server"; t: number; hex: string; omitted?: number }[];
  keylog: string[];
}

type Side = "client" | "server";

export interface DecodedTranscript {
  messages: HandshakeMessage[];
  ctx: HandshakeContext;
  /** Set when the server's first bytes are not a TLS record: the bytes as text (printable part), and hex. */
  notTls?: { text: string; hex: string };
  /** Bytes received from each side. */
  bytes: { client: number; server: number };
  /** Handshake Finished seen from each side (decrypted or, in TLS 1.2 without keys, inferred). */
  finished: { client: boolean; server: boolean };
  /** Alerts in wire order. */
  alerts: { from: Side; level: string; description: string; encrypted: boolean }[];
  /** Application data records seen per side (not listed as messages). */
  applicationData: { client: number; server: number };
  /** Problems of the decoder itself (malformed records, undecryptable records). */
  notes: string[];
}

/** Parses a key log (NSS format) into label → client random (hex) → secret. */
export function parseKeylog(lines: string[]): Map<string, Map<string, Uint8Array>> {
  const out = new Map<string, Map<string, Uint8Array>>();
  for (const line of lines) {
    const m = /^\s*([A-Z_0-9]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s*$/.exec(line);
    if (!m) continue;
    let byRandom = out.get(m[1]);
    if (!byRandom) out.set(m[1], (byRandom = new Map()));
    byRandom.set(m[2].toLowerCase(), fromHex(m[3]));
  }
  return out;
}

const MAX_RECORD = 16384 + 2048 + 256;

class Direction {
  buf: Uint8Array = new Uint8Array(0);
  hs: Uint8Array = new Uint8Array(0);
  hsEncrypted = false;
  /** TLS 1.2: ChangeCipherSpec seen, records are protected from here on. */
  ccs = false;
  keys12?: Tls12Keys;
  /** TLS 1.3: traffic keys in order (handshake, application, updates…) and the one in use. */
  keys13: Tls13Keys[] = [];
  key13Index = 0;
  appSecret?: Uint8Array;
  /** TLS 1.3: the last handshake message was decrypted with keys13[key13Index]. */
  encrypted13 = false;
  dead = false;
  bytes = 0;

  constructor(readonly side: Side) {}

  push(b: Uint8Array): void {
    this.bytes += b.length;
    if (this.buf.length === 0) {
      this.buf = b;
      return;
    }
    const n = new Uint8Array(this.buf.length + b.length);
    n.set(this.buf);
    n.set(b, this.buf.length);
    this.buf = n;
  }
}

/** Raw bytes as seen by the tap, for decoding without a hex round trip. */
export interface WireEvent {
  from: Side;
  t: number;
  data: Uint8Array;
  /** Bytes the recorder dropped past its limit (the tap's summary event): they count as sent, not decoded. */
  omitted?: number;
}

export function decodeTranscript(t: Transcript): DecodedTranscript {
  const notes: string[] = [];
  const events: WireEvent[] = [];
  for (const ev of t.events ?? []) {
    if (typeof ev.hex !== "string" || ev.hex.length % 2 || !/^[0-9a-fA-F]*$/.test(ev.hex)) {
      notes.push(`transcript event at t=${ev.t} is not hex`);
      continue;
    }
    events.push({ from: ev.from, t: ev.t, data: new Uint8Array(Buffer.from(ev.hex, "hex")) });
  }
  const out = decodeEvents(events, t.keylog ?? []);
  out.notes.unshift(...notes);
  return out;
}

export function decodeEvents(events: WireEvent[], keylogLines: string[], opts: { light?: boolean } = {}): DecodedTranscript {
  const keylog = parseKeylog(keylogLines);
  const ctx: HandshakeContext = { light: opts.light };
  const out: DecodedTranscript = {
    messages: [],
    ctx,
    bytes: { client: 0, server: 0 },
    finished: { client: false, server: false },
    alerts: [],
    applicationData: { client: 0, server: 0 },
    notes: [],
  };
  const dirs: Record<Side, Direction> = { client: new Direction("client"), server: new Direction("server") };
  let suite: SuiteParams | undefined;
  let keys13Ready = false;
  let keys12Ready = false;

  const secret = (label: string): Uint8Array | undefined => (ctx.clientRandom ? keylog.get(label)?.get(toHex(ctx.clientRandom)) : undefined);

  const setup13 = () => {
    if (keys13Ready || ctx.version !== 0x0304 || !ctx.serverRandom) return;
    keys13Ready = true;
    suite = ctx.cipherSuite !== undefined ? suiteParams(ctx.cipherSuite) : undefined;
    if (!canDecrypt13(suite)) {
      out.notes.push("the cipher suite's records cannot be decrypted by CertScope (only AES-GCM and ChaCha20-Poly1305)");
      return;
    }
    for (const [side, hsLabel, appLabel] of [
      ["client", "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0"],
      ["server", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"],
    ] as const) {
      const hs = secret(hsLabel);
      const app = secret(appLabel);
      if (hs) dirs[side].keys13.push(new Tls13Keys(suite, hs));
      if (app) {
        dirs[side].keys13.push(new Tls13Keys(suite, app));
        dirs[side].appSecret = app;
      }
    }
  };

  const setup12 = () => {
    if (keys12Ready || !ctx.serverRandom || !ctx.clientRandom || ctx.version === undefined || ctx.version >= 0x0304) return;
    keys12Ready = true;
    suite = ctx.cipherSuite !== undefined ? suiteParams(ctx.cipherSuite) : undefined;
    const master = secret("CLIENT_RANDOM");
    if (!master || !canDecrypt12(suite)) return;
    const k = Tls12Keys.derive(suite, ctx.version, master, ctx.clientRandom, ctx.serverRandom, !!ctx.encryptThenMac);
    dirs.client.keys12 = k.client;
    dirs.server.keys12 = k.server;
  };

  // A server can fill the 4 MB the tap keeps with 4-byte messages (HelloRequest): past LIMITS.handshakeMessages
  // the messages and alerts are counted, not kept, so decoding stays linear and its memory bounded.
  const omitted = { client: 0, server: 0 };
  const emit = (m: HandshakeMessage) => {
    if (out.messages.length < LIMITS.handshakeMessages) out.messages.push(m);
    else omitted[m.from]++;
  };

  const handshakeBytes = (d: Direction, data: Uint8Array, encrypted: boolean, time: number) => {
    let hs = data;
    if (d.hs.length) {
      hs = new Uint8Array(d.hs.length + data.length);
      hs.set(d.hs);
      hs.set(data, d.hs.length);
    }
    d.hsEncrypted = d.hsEncrypted || encrypted;
    // Walk the messages by offset: slicing off each one copied the rest (quadratic in messages per record).
    let pos = 0;
    while (hs.length - pos >= 4) {
      const type = hs[pos];
      const len = (hs[pos + 1] << 16) | (hs[pos + 2] << 8) | hs[pos + 3];
      if (hs.length - pos < 4 + len) break;
      const start = pos;
      pos += 4 + len;
      // Past the limit only Finished and KeyUpdate still matter (they change how the next records decrypt).
      if (out.messages.length >= LIMITS.handshakeMessages && type !== 20 && type !== 24) {
        omitted[d.side]++;
        continue;
      }
      const body = hs.slice(start + 4, pos);
      let parsed;
      try {
        parsed = parseHandshake(type, body, d.side, ctx);
      } catch (err) {
        parsed = { type: `Handshake(${type})`, detail: { error: `malformed: ${(err as Error).message}` } };
      }
      const msg: HandshakeMessage = { from: d.side, type: parsed.type, time, length: len, detail: parsed.detail };
      if (d.hsEncrypted) msg.encrypted = true;
      emit(msg);
      if (parsed.type === "ServerHello") {
        setup13();
      }
      if (parsed.type === "Finished") {
        out.finished[d.side] = true;
        if (ctx.version === 0x0304) {
          // After its Finished, each side switches to its application traffic secret (RFC 8446 §7.3).
          if (d.encrypted13 && d.key13Index + 1 < d.keys13.length) d.key13Index++;
        }
      }
      if (parsed.type === "KeyUpdate" && ctx.version === 0x0304 && d.appSecret && suite) {
        d.appSecret = hkdfExpandLabel(suite.hash, d.appSecret, "traffic upd", new Uint8Array(0), suite.hash === "sha384" ? 48 : 32);
        d.keys13.push(new Tls13Keys(suite, d.appSecret));
        d.key13Index = d.keys13.length - 1;
      }
    }
    d.hs = hs.slice(pos);
    if (d.hs.length === 0) d.hsEncrypted = false;
  };

  const alert = (d: Direction, data: Uint8Array, encrypted: boolean, time: number) => {
    for (let i = 0; i + 1 < data.length; i += 2) {
      const level = data[i] === 1 ? "warning" : data[i] === 2 ? "fatal" : String(data[i]);
      const description = alertName(data[i + 1]);
      if (out.alerts.length < LIMITS.handshakeMessages) out.alerts.push({ from: d.side, level, description, encrypted });
      const msg: HandshakeMessage = { from: d.side, type: "Alert", time, length: 2, detail: { level, description } };
      if (encrypted) msg.encrypted = true;
      emit(msg);
    }
  };

  const undecrypted = (d: Direction, type: number, fragment: Uint8Array, time: number, reason: string) => {
    emit({
      from: d.side,
      type: "EncryptedRecord",
      undecrypted: true,
      time,
      length: fragment.length,
      detail: { contentType: CONTENT_TYPE[type] ?? String(type), length: fragment.length, reason },
    });
  };

  const record = (d: Direction, type: number, header: Uint8Array, fragment: Uint8Array, time: number) => {
    const is13 = ctx.version === 0x0304;
    if (type === 20) {
      if (is13 || ctx.helloRetry) return; // TLS 1.3 middlebox-compatibility ChangeCipherSpec: not a protocol message
      emit({ from: d.side, type: "ChangeCipherSpec", time, length: fragment.length, detail: {} });
      d.ccs = true;
      setup12();
      return;
    }
    if (is13 && type === 23) {
      for (let i = d.key13Index; i < d.keys13.length; i++) {
        const keys = d.keys13[i];
        const seqBefore = keys.seq;
        try {
          const dec = keys.decrypt(header, fragment);
          d.key13Index = i;
          d.encrypted13 = true;
          if (dec.contentType === 22) handshakeBytes(d, dec.plaintext, true, time);
          else if (dec.contentType === 21) alert(d, dec.plaintext, true, time);
          else if (dec.contentType === 23) out.applicationData[d.side]++;
          return;
        } catch {
          keys.seq = seqBefore;
        }
      }
      if (d.keys13.length === 0 && !out.finished[d.side]) undecrypted(d, type, fragment, time, "no TLS 1.3 traffic secrets for this connection in the key log");
      else if (d.keys13.length === 0) out.applicationData[d.side]++;
      else undecrypted(d, type, fragment, time, "the record did not decrypt with the known traffic secrets");
      return;
    }
    if (!is13 && d.ccs && type !== 23) {
      if (!d.keys12) {
        const reason = suite && !canDecrypt12(suite) ? "CertScope cannot decrypt this cipher suite" : "no master secret (CLIENT_RANDOM) in the key log";
        if (type === 22 && !out.finished[d.side]) {
          // The first protected handshake message after ChangeCipherSpec is Finished (RFC 5246 §7.4.9).
          out.finished[d.side] = true;
          emit({ from: d.side, type: "Finished", undecrypted: true, time, length: fragment.length, detail: { reason } });
        } else undecrypted(d, type, fragment, time, reason);
        return;
      }
      try {
        const dec = d.keys12.decrypt(header, fragment);
        if (type === 22) handshakeBytes(d, dec.plaintext, true, time);
        else if (type === 21) alert(d, dec.plaintext, true, time);
      } catch (err) {
        undecrypted(d, type, fragment, time, `decryption failed: ${(err as Error).message}`);
      }
      return;
    }
    if (type === 22) handshakeBytes(d, fragment, false, time);
    else if (type === 21) alert(d, fragment, false, time);
    else if (type === 23) {
      if (!is13 && d.ccs && d.keys12) {
        try {
          d.keys12.decrypt(header, fragment);
        } catch {
          // application data: content not needed, only the sequence number
        }
      }
      out.applicationData[d.side]++;
    }
  };

  for (const ev of events) {
    const d = dirs[ev.from];
    if (!d) continue;
    d.bytes += ev.omitted ?? 0;
    if (d.dead) continue;
    d.push(ev.data);
    while (d.buf.length >= 5 && !d.dead) {
      const type = d.buf[0];
      const len = (d.buf[3] << 8) | d.buf[4];
      if (type < 20 || type > 24 || d.buf[1] !== 3 || len > MAX_RECORD) {
        if (d.side === "server" && out.messages.every((m) => m.from !== "server")) {
          const first = d.buf.subarray(0, 64);
          out.notTls = { text: Buffer.from(first).toString("latin1").replace(/[^\x20-\x7e]/g, "."), hex: toHex(first) };
        } else out.notes.push(`${d.side} sent bytes that are not a TLS record (type ${type}, length ${len})`);
        d.dead = true;
        break;
      }
      if (d.buf.length < 5 + len) break;
      const header = d.buf.slice(0, 5);
      const fragment = d.buf.slice(5, 5 + len);
      d.buf = d.buf.subarray(5 + len);
      try {
        record(d, type, header, fragment, ev.t);
      } catch (err) {
        out.notes.push(`${d.side} record could not be decoded: ${(err as Error).message}`);
      }
    }
    // A short answer that is clearly not TLS (e.g. "HTTP/1.1 400" split oddly) is caught on the first bytes too.
    if (!d.dead && d.side === "server" && d.buf.length > 0 && d.buf.length < 5 && out.messages.every((m) => m.from !== "server")) {
      const b = d.buf;
      if (b[0] < 20 || b[0] > 24 || (b.length > 1 && b[1] !== 3)) {
        out.notTls = { text: Buffer.from(b).toString("latin1").replace(/[^\x20-\x7e]/g, "."), hex: toHex(b) };
      }
    }
  }
  for (const side of ["client", "server"] as const)
    if (omitted[side]) out.notes.push(`the ${side} sent ${omitted[side]} more messages than the ${LIMITS.handshakeMessages} listed (the limit)`);
  out.bytes = { client: dirs.client.bytes, server: dirs.server.bytes };
  return out;
}

/** Pure: recorded bytes (+ key log) → the handshake messages, in wire order. */
export function parseTranscript(t: Transcript): HandshakeMessage[] {
  return decodeTranscript(t).messages;
}
