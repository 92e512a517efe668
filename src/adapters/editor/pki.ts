/**
 * The few core functions the editor surfaces call, loaded lazily through lazyCore (dist/core.js), plus small
 * byte helpers. `PkiApi` names exactly which core functions the tree, viewer and commands depend on.
 */
import { core, type CoreApi } from "../lazyCore";
import { inspectInWorker } from "../decodeWorker";

/** The core functions the editor surfaces call: their types are the core's own (src/core/pki, src/core/chain). */
export type PkiApi = Pick<CoreApi, "inspectBytes" | "verifyChain">;

/** inspectBytes runs in the decoding worker (../decodeWorker.ts), never on the extension host's thread. */
export function pki(): PkiApi {
  return { inspectBytes: inspectInWorker, verifyChain: core().verifyChain };
}

/** The `code` of a PkiError (needs_password, bad_password, malformed, not_pki, …), if it is one. */
export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && typeof (err as { code?: unknown }).code === "string") return (err as { code: string }).code;
  return undefined;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** DER bytes of the first PEM block of `pem` (the body between BEGIN and END, headers skipped). */
export function pemToDer(pem: string): Uint8Array | undefined {
  const m = /-----BEGIN ([^-]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) return undefined;
  const body = m[2]
    .split(/\r?\n/)
    .filter((l) => !/^[A-Za-z-]+:/.test(l.trim()))
    .join("")
    .replace(/\s+/g, "");
  if (!body) return undefined;
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** PEM text for DER bytes. */
export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Binary (DER/PKCS#12) rather than text: starts like a long-form ASN.1 SEQUENCE, or has control bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n >= 2 && bytes[0] === 0x30 && bytes[1] >= 0x81 && bytes[1] <= 0x84) return true;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x09 || (b > 0x0d && b < 0x20)) return true;
  }
  return false;
}
