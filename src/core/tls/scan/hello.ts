/**
 * Raw ClientHellos built by CertScope itself (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2, SSL 3.0 RFC 6101 §5.6.1.2),
 * so a scan can offer any suite and group whatever the local TLS library supports.
 */
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import { concatBytes } from "../reader";
import { VERSION_CODE, type ScanVersion } from "../suites/anatomy";

/** Every named group worth asking about (IANA TLS Supported Groups), strongest-first as clients offer them. */
export const SCAN_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x11ec, 0x11eb, 0x11ed, 0x0200, 0x0201, 0x0202, 0x001a, 0x001b, 0x001c, 0x001f, 0x0020, 0x0021, 0x0029, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0016, 0x0015, 0x0014, 0x0013, 0x0012, 0x0011, 0x0010, 0x000f, 0x000e, 0x000d, 0x000c, 0x000b, 0x000a, 0x0009, 0x0008, 0x0007, 0x0006, 0x0005, 0x0004, 0x0003, 0x0002, 0x0001];
/** Groups defined for TLS 1.3 only (RFC 8734 brainpool, RFC 8998 SM2): a TLS 1.2 offer leaves them out. */
const TLS13_ONLY_GROUPS = new Set([0x001f, 0x0020, 0x0021, 0x0029]);
export const EC_GROUPS_TLS12 = SCAN_GROUPS.filter((g) => g < 0x0100 && !TLS13_ONLY_GROUPS.has(g));

export const SIGALGS_ALL = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201, 0x0402, 0x0502, 0x0602, 0x0302, 0x0202];
export const SIGALGS_RSA = [0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0301, 0x0201];
export const SIGALGS_ECDSA = [0x0403, 0x0503, 0x0603, 0x0303, 0x0203];

export interface HelloOptions {
  version: ScanVersion;
  suites: number[];
  servername?: string;
  /** supported_groups; default all. */
  groups?: number[];
  /** TLS 1.3 key shares; default one random x25519 share when x25519 is offered (else none: the server asks by HelloRetryRequest). */
  keyShareX25519?: boolean;
  sigalgs?: number[];
  /** Add TLS_FALLBACK_SCSV (RFC 7507). */
  fallback?: boolean;
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}
function vec(prefix: 1 | 2 | 3, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = prefix === 1 ? new Uint8Array([n]) : prefix === 2 ? u16(n) : new Uint8Array([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  return concatBytes(len, body);
}
function u16s(list: number[]): Uint8Array {
  return concatBytes(...list.map(u16));
}
function ext(type: number, body: Uint8Array): Uint8Array {
  return concatBytes(u16(type), vec(2, body));
}

/** One ClientHello in one handshake record. */
export function buildClientHello(o: HelloOptions): Uint8Array {
  const v = VERSION_CODE[o.version];
  const tls13 = o.version === "TLSv1.3";
  const suites = [...o.suites];
  if (!tls13 && !suites.includes(0x00ff)) suites.push(0x00ff);
  if (o.fallback) suites.push(0x5600);
  const exts: Uint8Array[] = [];
  if (o.version !== "SSLv3") {
    if (o.servername && !net.isIP(o.servername)) {
      const name = new Uint8Array(Buffer.from(o.servername, "latin1"));
      exts.push(ext(0, vec(2, concatBytes(new Uint8Array([0]), vec(2, name)))));
    }
    const groups = o.groups ?? SCAN_GROUPS;
    exts.push(ext(10, vec(2, u16s(groups))));
    exts.push(ext(11, vec(1, new Uint8Array([0]))));
    if (v >= 0x0303) exts.push(ext(13, vec(2, u16s(o.sigalgs ?? SIGALGS_ALL))));
    exts.push(ext(5, new Uint8Array([1, 0, 0, 0, 0]))); // status_request: OCSP, no responder ids, no extensions
    exts.push(ext(23, new Uint8Array(0))); // extended_master_secret
    if (tls13) {
      exts.push(ext(43, vec(1, u16s([0x0304]))));
      const share = (o.keyShareX25519 ?? true) && groups.includes(0x001d) ? concatBytes(u16(0x001d), vec(2, new Uint8Array(randomBytes(32)))) : new Uint8Array(0);
      exts.push(ext(51, vec(2, share)));
      exts.push(ext(45, vec(1, new Uint8Array([1]))));
    }
  }
  let body = concatBytes(
    u16(Math.min(v, 0x0303)),
    new Uint8Array(randomBytes(32)),
    vec(1, tls13 ? new Uint8Array(randomBytes(32)) : new Uint8Array(0)),
    vec(2, u16s(suites)),
    vec(1, new Uint8Array([0])),
  );
  let extBlock = concatBytes(...exts);
  if (o.version !== "SSLv3") {
    // RFC 7685: keep the hello out of 256–511 bytes, which some servers and middleboxes mishandle.
    const total = 4 + body.length + 2 + extBlock.length;
    if (total >= 256 && total < 512) extBlock = concatBytes(extBlock, ext(21, new Uint8Array(Math.max(0, 512 - total - 4))));
    body = concatBytes(body, vec(2, extBlock));
  }
  const hs = concatBytes(new Uint8Array([1]), new Uint8Array([(body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body);
  return concatBytes(new Uint8Array([22]), u16(o.version === "SSLv3" ? 0x0300 : 0x0301), vec(2, hs));
}
