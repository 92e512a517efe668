/**
 * The negotiation messages (RFC 8446 §4.1, §4.3.1; RFC 5246 §7.4.1): ClientHello, ServerHello or HelloRetryRequest,
 * EncryptedExtensions. They record what was negotiated (version, suite, group, ALPN, SCTs) in the context.
 */
import { createHash } from "node:crypto";
import { Reader, toHex, equalBytes } from "./reader";
import { cipherSuiteName, extensionName, groupName, signatureSchemeName, versionName } from "./names";
import { alpnList, readExtensions, readVec2, sctCount, serverNames, u16List } from "./messageFields";
import type { HandshakeContext, ParsedMessage } from "./messages";

/** SHA-256("HelloRetryRequest"): the ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HRR_RANDOM = new Uint8Array(createHash("sha256").update("HelloRetryRequest").digest());

export function clientHello(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  ctx.clientRandom = random;
  const sessionId = r.vecBytes(1);
  const suites = u16List(readVec2(r), 2);
  const compression = Array.from(r.vecBytes(1));
  const exts = readExtensions(r);
  const detail: Record<string, unknown> = {
    version: versionName(legacyVersion),
    random: toHex(random),
    sessionIdLength: sessionId.length,
    cipherSuites: suites.map(cipherSuiteName),
    compressionMethods: compression,
  };
  for (const e of exts) {
    try {
      switch (e.type) {
        case 0:
          detail.serverName = serverNames(e.data)[0];
          break;
        case 10:
          detail.supportedGroups = u16List(e.data, 2).map(groupName);
          break;
        case 13:
          detail.signatureAlgorithms = u16List(e.data, 2).map(signatureSchemeName);
          break;
        case 16:
          detail.alpn = alpnList(e.data);
          break;
        case 43:
          detail.supportedVersions = u16List(e.data, 1).map(versionName);
          break;
        case 51: {
          const v = new Reader(e.data).vec(2);
          const shares: string[] = [];
          while (v.remaining > 0) {
            const g = v.u16();
            v.vecBytes(2);
            shares.push(groupName(g));
          }
          detail.keyShares = shares;
          break;
        }
        case 5:
          detail.statusRequest = true;
          break;
        case 45:
          detail.pskKeyExchangeModes = Array.from(new Reader(e.data).vecBytes(1)).map((m) => (m === 1 ? "psk_dhe_ke" : m === 0 ? "psk_ke" : String(m)));
          break;
      }
    } catch {
      // a malformed extension is listed by name below; its content is skipped
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  return detail;
}

export function serverHello(r: Reader, ctx: HandshakeContext): ParsedMessage {
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vecBytes(1);
  const suite = r.u16();
  const compression = r.u8();
  const exts = readExtensions(r);
  const hrr = equalBytes(random, HRR_RANDOM);
  let selected = legacyVersion;
  const detail: Record<string, unknown> = {
    version: versionName(legacyVersion),
    random: hrr ? "(HelloRetryRequest)" : toHex(random),
    sessionIdLength: sessionId.length,
    cipherSuite: cipherSuiteName(suite),
    compressionMethod: compression,
  };
  for (const e of exts) {
    try {
      switch (e.type) {
        case 43:
          selected = new Reader(e.data).u16();
          detail.selectedVersion = versionName(selected);
          break;
        case 51: {
          const g = new Reader(e.data).u16();
          if (hrr) detail.selectedGroup = groupName(g);
          else {
            detail.keyShare = groupName(g);
            ctx.group = groupName(g);
          }
          break;
        }
        case 16:
          detail.alpn = alpnList(e.data)[0];
          ctx.alpn = detail.alpn as string;
          break;
        case 22:
          ctx.encryptThenMac = true;
          break;
        case 44:
          detail.cookie = true;
          break;
        case 18:
          ctx.tlsScts = e.data;
          detail.scts = sctCount(e.data);
          break;
      }
    } catch {
      // skip malformed extension content
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  ctx.cipherSuite = suite;
  ctx.version = selected;
  if (hrr) {
    ctx.helloRetry = true;
    return { type: "HelloRetryRequest", detail };
  }
  ctx.serverRandom = random;
  return { type: "ServerHello", detail };
}

export function encryptedExtensions(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const exts = readExtensions(r);
  const detail: Record<string, unknown> = {};
  for (const e of exts) {
    try {
      if (e.type === 16) {
        detail.alpn = alpnList(e.data)[0];
        ctx.alpn = detail.alpn as string;
      } else if (e.type === 10) detail.supportedGroups = u16List(e.data, 2).map(groupName);
      else if (e.type === 0) detail.serverNameAcknowledged = true;
    } catch {
      // skip
    }
  }
  detail.extensions = exts.map((e) => extensionName(e.type));
  return detail;
}
