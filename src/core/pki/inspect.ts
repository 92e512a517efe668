/**
 * Whole-file decoding: detect what the bytes are by content (PEM text with any number of blocks, or DER of
 * a certificate / CSR / CRL / PKCS#7 / PKCS#12 / key), decode every object, and collect one plain error
 * per broken part. Nothing here throws for bad input.
 */
import type { DecodeError, InspectResult, PkiObject } from "../../shared/model";
import { type Node, children, isUniversal, parse, raw, sequenceChildren, T, CLS_CONTEXT } from "./der";
import { PkiError, asPkiError } from "./errors";
import { decodeCertificate, certificateParts } from "./certificate";
import { decodeCrl, decodeCsr } from "./csr";
import { isPkcs12, isPkcs7, readPkcs12, readPkcs7 } from "./containers";
import { detectPrivateKeyDer, isPrivateKeyLabel, privateKeyModel, publicKeyModel, type KeyFormat } from "./keys";
import { LineIndex, decodeBase64Body, scanPem, type PemBlock } from "./pem";
import { iterateBase64Certificates } from "../doc/der64";
import { annotateEmbeddedScts } from "./sct";
import { decodeOcspRequest, decodeOcspResponse, looksLikeOcspRequest, looksLikeOcspResponse } from "./ocsp";
import { Budget } from "../budget";
import { t } from "../l10n";

/** An error with a machine-readable code next to the contract's line + message. */
export interface PkiDecodeError extends DecodeError {
  code?: string;
}

export interface InspectOptions {
  /** Shown in InspectResult.file (and by callers in messages). */
  fileName: string;
  /** For PKCS#12 (after the empty password) and encrypted private keys. Never logged or stored. */
  password?: string;
  /** Certificates with the summary fields only, from the fast pass. */
  summary?: boolean;
  /** Stops a long decode between slices (async inspectBytes only). */
  signal?: AbortSignal;
}

/** Largest input accepted (a 50 MB file is fine; a 1 GB one is refused up front). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export type DerKind = "certificate" | "csr" | "crl" | "pkcs7" | "pkcs12" | "privateKey" | "publicKey" | "rsaPublicKey" | "ocspResponse" | "ocspRequest";

/** What a DER value is, from its structure alone. */
export function classifyDer(top: Node): DerKind | undefined {
  const f = sequenceChildren(top);
  if (!f) return undefined;
  if (f.length === 0) return undefined;
  if (isUniversal(f[0], T.OID)) return isPkcs7(top) ? "pkcs7" : undefined;
  if (isPkcs12(top)) return "pkcs12";
  if (f.length === 3 && isUniversal(f[0], T.SEQUENCE) && isUniversal(f[1], T.SEQUENCE) && isUniversal(f[2], T.BIT_STRING)) {
    let t: Node[];
    try {
      t = children(f[0]);
    } catch {
      return undefined;
    }
    if (t[0] && t[0].cls === CLS_CONTEXT && t[0].num === 0) return "certificate";
    if (t.length >= 6 && isUniversal(t[0], T.INTEGER) && isUniversal(t[1], T.SEQUENCE) && isUniversal(t[3], T.SEQUENCE)) return "certificate";
    if (t.length >= 3 && isUniversal(t[0], T.INTEGER) && isUniversal(t[1], T.SEQUENCE) && isUniversal(t[2], T.SEQUENCE)) {
      if (!t[3] || t[3].cls === CLS_CONTEXT) return "csr";
      return "crl";
    }
    if (t.length >= 3 && isUniversal(t[0], T.SEQUENCE)) return "crl";
    return undefined;
  }
  if (looksLikeOcspResponse(f)) return "ocspResponse";
  if (looksLikeOcspRequest(f)) return "ocspRequest";
  if (detectPrivateKeyDer(top)) return "privateKey";
  if (f.length === 2 && isUniversal(f[0], T.SEQUENCE) && isUniversal(f[1], T.BIT_STRING)) return "publicKey";
  if (f.length === 2 && isUniversal(f[0], T.INTEGER) && isUniversal(f[1], T.INTEGER)) return "rsaPublicKey";
  return undefined;
}

const KIND_WORDS: Record<DerKind, string> = {
  certificate: "certificate",
  csr: "certificate request",
  crl: "CRL",
  pkcs7: "PKCS#7",
  pkcs12: "PKCS#12",
  privateKey: "private key",
  publicKey: "public key",
  rsaPublicKey: "RSA public key",
  ocspResponse: "OCSP response",
  ocspRequest: "OCSP request",
};

const LABEL_KIND: Record<string, DerKind> = {
  CERTIFICATE: "certificate",
  "X509 CERTIFICATE": "certificate",
  "TRUSTED CERTIFICATE": "certificate",
  "CERTIFICATE REQUEST": "csr",
  "NEW CERTIFICATE REQUEST": "csr",
  "X509 CRL": "crl",
  CRL: "crl", // as @peculiar/x509 and some tools write it
  PKCS7: "pkcs7",
  CMS: "pkcs7",
  PKCS12: "pkcs12",
  "PUBLIC KEY": "publicKey",
  "RSA PUBLIC KEY": "rsaPublicKey",
  "OCSP RESPONSE": "ocspResponse",
  "OCSP REQUEST": "ocspRequest",
};

interface Ctx {
  /** Blocks that hold no object of their own (EC PARAMETERS next to an EC key). */
  skipped?: string[];
  opts: InspectOptions;
  objects: PkiObject[];
  errors: PkiDecodeError[];
}

function decodeKind(kind: DerKind, der: Uint8Array, ctx: Ctx, line: number | undefined, label?: string, headers?: Record<string, string>): PkiObject[] {
  const summary = !!ctx.opts.summary;
  switch (kind) {
    case "certificate":
      // "TRUSTED CERTIFICATE" carries OpenSSL trust settings after the certificate: decode the first TLV.
      return [decodeCertificate(label === "TRUSTED CERTIFICATE" ? raw(parse(der, true)) : der, { summary, line })];
    case "csr":
      return [decodeCsr(der, line)];
    case "crl":
      return [decodeCrl(der, line)];
    case "pkcs7": {
      const { certs, crls } = readPkcs7(der);
      const objects: PkiObject[] = [];
      certs.forEach((c, i) => {
        try {
          objects.push(decodeCertificate(c, { summary }));
        } catch (err) {
          ctx.errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: certificate #{1}: {2}", where(line, label ?? "PKCS7"), i + 1, asPkiError(err).message.replace(/^certificate: /, "")), code: asPkiError(err).code });
        }
      });
      crls.forEach((c, i) => {
        try {
          objects.push(decodeCrl(c));
        } catch (err) {
          ctx.errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: CRL #{1}: {2}", where(line, label ?? "PKCS7"), i + 1, asPkiError(err).message), code: asPkiError(err).code });
        }
      });
      return [{ kind: "pkcs7", ...(line !== undefined ? { line } : {}), encryption: [], objects }];
    }
    case "pkcs12":
      return [decodePkcs12(der, ctx, line)];
    case "privateKey": {
      const format: KeyFormat | undefined = label ? LABEL_FORMAT[label] : detectPrivateKeyDer(parse(der));
      if (!format) throw new PkiError("malformed", t("not a recognisable private key structure"));
      const encrypted = format === "pkcs8-encrypted" || /ENCRYPTED/i.test(headers?.["Proc-Type"] ?? "");
      try {
        return [privateKeyModel(der, format, { line, headers, password: encrypted ? ctx.opts.password : undefined })];
      } catch (err) {
        const e = asPkiError(err);
        if (e.code !== "bad_password" || !encrypted) throw e;
        ctx.errors.push({ ...(line !== undefined ? { line } : {}), message: `${where(line, label ?? "private key")}: ${e.message}`, code: e.code });
        return [privateKeyModel(der, format, { line, headers })];
      }
    }
    case "publicKey":
      return [publicKeyModel(der, false, line)];
    case "rsaPublicKey":
      return [publicKeyModel(der, true, line)];
    case "ocspResponse":
      return [decodeOcspResponse(der, line)];
    case "ocspRequest":
      return [decodeOcspRequest(der, line)];
  }
}

const LABEL_FORMAT: Record<string, KeyFormat> = {
  "PRIVATE KEY": "pkcs8",
  "ENCRYPTED PRIVATE KEY": "pkcs8-encrypted",
  "RSA PRIVATE KEY": "pkcs1",
  "EC PRIVATE KEY": "sec1",
  "DSA PRIVATE KEY": "dsa",
};

/** The words for a kind of object, translated (scripts/l10n.mjs reads KIND_WORDS). */
function kindWord(kind: DerKind): string {
  const word = KIND_WORDS[kind];
  return t(word);
}

function where(line: number | undefined, label: string): string {
  return line !== undefined ? t("PEM block '{0}' at line {1}", label, line) : `DER ${label}`;
}

function decodePkcs12(der: Uint8Array, ctx: Ctx, line: number | undefined): PkiObject {
  const pw = ctx.opts.password;
  // The user's password first: the MAC says which one is right, and each try costs a key derivation.
  const passwords = pw !== undefined && pw !== "" ? [pw, "", null] : ["", null];
  const r = readPkcs12(der, passwords);
  const objects: PkiObject[] = [];
  if (r.passwordError) {
    const e = r.passwordError;
    const msg =
      e.code === "needs_password"
        ? t("PKCS#12 is protected by a password and the empty password did not open it: give the password with --password-env VAR")
        : t("PKCS#12: {0}", e.message);
    ctx.errors.push({ ...(line !== undefined ? { line } : {}), message: msg, code: e.code });
  }
  for (const c of r.certificates) {
    try {
      const m = decodeCertificate(c.der, { summary: ctx.opts.summary });
      objects.push(c.friendlyName ? Object.assign(m, { friendlyName: c.friendlyName }) : m);
    } catch (err) {
      ctx.errors.push({ message: t("PKCS#12 certificate: {0}", asPkiError(err).message), code: asPkiError(err).code });
    }
  }
  for (const crl of r.crls) {
    try {
      objects.push(decodeCrl(crl));
    } catch (err) {
      ctx.errors.push({ message: t("PKCS#12 CRL: {0}", asPkiError(err).message), code: asPkiError(err).code });
    }
  }
  for (const k of r.keys) {
    if (!k.pkcs8) continue;
    try {
      const m = privateKeyModel(k.pkcs8, "pkcs8");
      m.encrypted = !!k.encryption;
      if (k.encryption) m.encryption = [k.encryption];
      objects.push(k.friendlyName ? Object.assign(m, { friendlyName: k.friendlyName }) : m);
    } catch (err) {
      ctx.errors.push({ message: t("PKCS#12 private key: {0}", asPkiError(err).message), code: asPkiError(err).code });
    }
  }
  return { kind: "pkcs12", ...(line !== undefined ? { line } : {}), encryption: r.encryption, legacy: r.legacy, objects };
}

function decodeBlock(b: PemBlock, ctx: Ctx) {
  const w = where(b.line, b.label);
  if (b.error || !b.der) {
    ctx.errors.push({ line: b.line, message: t("{0}: {1}", w, b.error ?? t("no data")), code: "malformed" });
    return;
  }
  if (/ PARAMETERS$/.test(b.label)) {
    (ctx.skipped ??= []).push(t("'{0}' at line {1}", b.label, b.line));
    return;
  }
  let kind: DerKind | undefined = LABEL_KIND[b.label];
  if (!kind && isPrivateKeyLabel(b.label)) kind = "privateKey";
  if (!kind) {
    const hint = b.label === "OPENSSH PRIVATE KEY" ? " " + t("(OpenSSH's own key format: `ssh-keygen -p -m PKCS8 -f FILE` converts it)") : "";
    ctx.errors.push({ line: b.line, message: t("{0}: unsupported PEM block type '{1}'{2}", w, b.label, hint), code: "unsupported" });
    return;
  }
  try {
    ctx.objects.push(...decodeKind(kind, b.der, ctx, b.line, b.label, b.headers));
  } catch (err) {
    // Some tools put a PKCS#7 (or a key…) under a CERTIFICATE label: decode what the bytes really are.
    const actual = kindOf(b.der);
    if (actual && actual !== kind && actual !== "privateKey") {
      try {
        ctx.objects.push(...decodeKind(actual, b.der, ctx, b.line));
        ctx.errors.push({ line: b.line, message: t("{0}: the block actually holds a {1} (decoded as one)", w, kindWord(actual)), code: "label_mismatch" });
        return;
      } catch {
        /* report the original error */
      }
    }
    const e = asPkiError(err);
    // decodeCertificate says where too ("certificate at line N: …"); the block's own locator is enough.
    const own = t("certificate at line {0}", b.line) + ": ";
    const msg = e.message.startsWith(own) ? e.message.slice(own.length) : e.message.replace(/^certificate at line \d+: /, "");
    ctx.errors.push({ line: b.line, message: t("{0}: {1}", w, msg), code: e.code });
  }
}

function kindOf(der: Uint8Array): DerKind | undefined {
  try {
    return classifyDer(parse(der, true));
  } catch {
    return undefined;
  }
}

function decodeDer(bytes: Uint8Array, ctx: Ctx): boolean {
  let off = 0;
  let count = 0;
  while (off < bytes.length) {
    let top: Node;
    try {
      top = parse(bytes.subarray(off), true);
    } catch (err) {
      if (count === 0) return false;
      ctx.errors.push({ message: t("DER data after object {0}: {1}", count, asPkiError(err).message), code: "malformed" });
      return true;
    }
    const der = bytes.subarray(off, off + top.end);
    const kind = classifyDer(top);
    if (!kind) {
      if (count === 0) {
        ctx.errors.push({ message: t("not a PKI file: valid DER, but not a certificate, CSR, CRL, PKCS#7, PKCS#12 or key"), code: "not_pki" });
        return true;
      }
      ctx.errors.push({ message: t("DER object {0}: not a recognisable PKI structure", count + 1), code: "not_pki" });
      return true;
    }
    try {
      ctx.objects.push(...decodeKind(kind, der, ctx, undefined));
    } catch (err) {
      const e = asPkiError(err);
      ctx.errors.push({ message: t("DER {0}: {1}", kindWord(kind), e.message.replace(/^certificate: /, "")), code: e.code });
    }
    count++;
    off += top.end;
    if (kind === "pkcs12") break;
  }
  return true;
}

function bytesToText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  // latin1, not UTF-8: every character PEM needs is ASCII, line breaks are the same bytes, and a one-byte
  // string is the cheapest to build and to search. Text outside the blocks is never shown.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let ctl = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0 || (c < 9 && c !== 0)) ctl++;
  }
  return ctl > 0;
}

/** The certificates src/core/doc/der64.ts finds in `text` (at most MAX_BARE), decoded with their lines. */
function bareCertificates(text: string, ctx: Ctx): boolean {
  const lines = new LineIndex(text);
  let n = 0;
  for (const hit of iterateBase64Certificates(text, { maxHits: MAX_BARE })) {
    if (!hit) continue;
    n++;
    const line = lines.line(hit.start);
    try {
      ctx.objects.push(...decodeKind("certificate", hit.der, ctx, line));
    } catch (err) {
      const e = asPkiError(err);
      ctx.errors.push({ line, message: t("base64 certificate at line {0}: {1}", line, e.message.replace(/^certificate: /, "")), code: e.code });
    }
  }
  return n > 0;
}

const MAX_BARE = 20_000;

/** Blocks decoded between two yields of the async inspectBytes (≈ 10–30 ms of work). */
const BLOCKS_PER_SLICE = 400;

/**
 * The decoding as a generator: it yields between slices of PEM blocks so inspectBytes can give the event
 * loop (an editor's extension host) a turn on big bundles, and stop when cancelled.
 */
function* inspectSteps(bytes: Uint8Array, opts: InspectOptions): Generator<void, InspectResult, void> {
  const ctx: Ctx = { opts, objects: [], errors: [] };
  const result = (): InspectResult => ({ file: opts.fileName, objects: ctx.objects, errors: ctx.errors });
  try {
    if (bytes.length === 0) {
      ctx.errors.push({ message: t("the file is empty"), code: "not_pki" });
      return result();
    }
    if (bytes.length > MAX_INPUT_BYTES) {
      ctx.errors.push({ message: t("the file is too large ({0} bytes; limit {1})", bytes.length, MAX_INPUT_BYTES), code: "too_large" });
      return result();
    }
    if ((bytes[0] === 0x30 || bytes[0] === 0x31) && decodeDer(bytes, ctx)) return result();
    const text = bytesToText(bytes);
    const blocks = scanPem(text);
    if (blocks.length) {
      for (let i = 0; i < blocks.length; i++) {
        if (i > 0 && i % BLOCKS_PER_SLICE === 0) {
          yield;
          if (opts.signal?.aborted) {
            ctx.errors.push({ message: t("cancelled after {0} of {1} PEM blocks", i, blocks.length), code: "cancelled" });
            return result();
          }
        }
        decodeBlock(blocks[i], ctx);
      }
      if (!ctx.objects.length && !ctx.errors.length && ctx.skipped)
        ctx.errors.push({ message: t("not a PKI file: only domain parameters ({0}), no certificate or key", ctx.skipped.join(", ")), code: "not_pki" });
      return result();
    }
    // Base64 of DER with no PEM armour (a .cer saved "Base-64" without headers, a pasted blob).
    const trimmed = text.trim();
    if (trimmed.length >= 16 && /^[A-Za-z0-9+/=\s]+$/.test(trimmed) && trimmed.startsWith("MI")) {
      const dec = decodeBase64Body(trimmed);
      if (dec.der && decodeDer(dec.der, ctx)) return result();
    }
    // Certificates as bare base64 DER inside text — JWKS x5c arrays, "MII…" JSON strings — as the editor finds them.
    if (!looksBinary(bytes) && bareCertificates(text, ctx)) return result();
    if (bytes[0] === 0x30 || bytes[0] === 0x31) {
      try {
        parse(bytes, true);
      } catch (err) {
        ctx.errors.push({ message: t("not a PKI file: looks like DER but {0}", asPkiError(err).message), code: "malformed" });
        return result();
      }
    }
    if (bytes.length >= 4 && bytes[0] === 0xfe && bytes[1] === 0xed && bytes[2] === 0xfe && bytes[3] === 0xed) {
      ctx.errors.push({
        message: t("a Java KeyStore (JKS) is not supported: convert it with `keytool -importkeystore -srckeystore FILE -destkeystore out.p12 -deststoretype PKCS12`"),
        code: "unsupported",
      });
      return result();
    }
    ctx.errors.push({
      message: looksBinary(bytes)
        ? t("not a PKI file: binary data that is not DER (certificate, CSR, CRL, PKCS#7, PKCS#12 or key)")
        : t("not a PKI file: no PEM block (-----BEGIN …-----) found"),
      code: "not_pki",
    });
  } catch (err) {
    ctx.errors.push({ message: t("could not decode: {0}", asPkiError(err).message), code: asPkiError(err).code });
  }
  return result();
}

/** Embedded SCTs of certificates whose issuer is in the same file are checked with the log's key (sct.ts). */
function withSctChecks(r: InspectResult): InspectResult {
  annotateEmbeddedScts(r.objects);
  return r;
}

/** Decodes every PKI object in a file's bytes, in one go. Never throws for bad input. */
export function inspectBytesSync(bytes: Uint8Array, opts: InspectOptions): InspectResult {
  const steps = inspectSteps(bytes, opts);
  const budget = new Budget();
  for (;;) {
    const r = budget.run(() => steps.next());
    if (r.done) return withSctChecks(r.value);
  }
}

/**
 * Decodes every PKI object in a file's bytes. Never throws for bad input. Big PEM bundles are decoded in
 * slices with a turn of the event loop in between; `opts.signal` stops early (an error "cancelled").
 */
export async function inspectBytes(bytes: Uint8Array, opts: InspectOptions): Promise<InspectResult> {
  const steps = inspectSteps(bytes, opts);
  // One budget for the whole file (../budget.ts), current only while a slice runs.
  const budget = new Budget();
  for (;;) {
    const r = budget.run(() => steps.next());
    if (r.done) return withSctChecks(r.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Every certificate (DER) in a PEM / DER / PKCS#7 file, in file order, plus one error per broken part. */
export function certificatesFromBytes(
  bytes: Uint8Array,
  opts: { keepMalformed?: boolean } = {},
): { certs: Uint8Array[]; errors: DecodeError[] } {
  const certs: Uint8Array[] = [];
  const errors: DecodeError[] = [];
  const addCert = (der: Uint8Array, line: number | undefined, w: string) => {
    try {
      certificateParts(der);
      certs.push(der);
    } catch (err) {
      errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: {1}", w, asPkiError(err).message) });
      // The validator reports such a certificate as `malformed` in its place in the chain instead of losing it.
      if (opts.keepMalformed) certs.push(der);
    }
  };
  const fromDer = (der: Uint8Array, line: number | undefined, w: string): boolean => {
    let top: Node;
    try {
      top = parse(der, true);
    } catch (err) {
      errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: {1}", w, asPkiError(err).message) });
      return true;
    }
    let kind: DerKind | undefined;
    try {
      kind = classifyDer(top);
    } catch (err) {
      errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: {1}", w, asPkiError(err).message) }); // a limit reached
      return true;
    }
    if (kind === "certificate") addCert(raw(top), line, w);
    else if (kind === "pkcs7") {
      try {
        for (const c of readPkcs7(der).certs) addCert(c, line, w);
      } catch (err) {
        errors.push({ ...(line !== undefined ? { line } : {}), message: t("{0}: {1}", w, asPkiError(err).message) });
      }
    } else return false;
    return true;
  };
  if (bytes.length === 0) return { certs, errors: [{ message: t("the file is empty") }] };
  if (bytes[0] === 0x30) {
    let off = 0;
    let any = false;
    while (off < bytes.length) {
      let top: Node;
      try {
        top = parse(bytes.subarray(off), true);
      } catch {
        break;
      }
      if (!fromDer(bytes.subarray(off, off + top.end), undefined, "DER")) break;
      any = true;
      off += top.end;
    }
    if (any) return { certs, errors };
  }
  const blocks = scanPem(bytesToText(bytes));
  for (const b of blocks) {
    const w = where(b.line, b.label);
    const kind = LABEL_KIND[b.label];
    if (b.label === "…" && b.error) errors.push({ line: b.line, message: b.error }); // the block limit was reached
    if (kind !== "certificate" && kind !== "pkcs7") continue;
    if (b.error || !b.der) {
      errors.push({ line: b.line, message: t("{0}: {1}", w, b.error) });
      continue;
    }
    if (kind === "certificate") addCert(b.label === "TRUSTED CERTIFICATE" ? safeFirst(b.der) : b.der, b.line, w);
    else fromDer(b.der, b.line, w);
  }
  if (!blocks.length && !certs.length && !errors.length) errors.push({ message: t("no certificate found (no PEM block and not DER)") });
  return { certs, errors };
}

function safeFirst(der: Uint8Array): Uint8Array {
  try {
    return raw(parse(der, true));
  } catch {
    return der;
  }
}

