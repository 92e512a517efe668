/**
 * The few core functions the editor surfaces call, loaded lazily through lazyCore (dist/core.js), plus small
 * byte helpers. Keeping the signatures here documents exactly what the tree, viewer and commands depend on.
 */
import type { InspectResult, PublicKeyInfo, VerifyResult } from "../../shared/model";
import { core } from "../lazyCore";

export interface InspectOptions {
  fileName: string;
  password?: string;
  summary?: boolean;
}

export interface VerifyOptions {
  trusted?: Uint8Array[];
  untrusted?: Uint8Array[];
  useSystemRoots?: boolean;
  host?: string;
  purpose?: "server" | "client" | "any";
  at?: Date;
  signal?: AbortSignal;
}

export interface PkiApi {
  inspectBytes(bytes: Uint8Array, opts: InspectOptions): Promise<InspectResult>;
  verifyChain(certs: Uint8Array[], opts: VerifyOptions): Promise<VerifyResult>;
  publicKeyInfo?(spkiDer: Uint8Array): PublicKeyInfo;
}

export function pki(): PkiApi {
  const c = core() as unknown as Partial<PkiApi>;
  if (typeof c.inspectBytes !== "function" || typeof c.verifyChain !== "function") {
    throw new Error("CertScope's decoding core is incomplete in this build (inspectBytes/verifyChain missing).");
  }
  return c as PkiApi;
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
