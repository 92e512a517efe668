/**
 * Client credentials for mutual TLS, opened by our own code so they work whatever the TLS backend supports:
 * PEM certificate (+ chain) and key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, legacy encrypted PEM), or PKCS#12
 * (modern and legacy RC2/3DES). Output is PEM cert chain + PKCS#8 PEM key for `tls.connect`, with the
 * certificate that matches the key first. Checked before connecting: the passphrase opens it (bad_passphrase),
 * the key matches a certificate (key_mismatch); EKU and validity are warned about.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { certificatesFromBytes, decryptPrivateKey, openPkcs12 } from "../pki";
import type { Diagnosis } from "../../shared/model";
import { certificateModel } from "./certs";
import { english, formatTime, type Translate } from "../../shared/format";

export type Credentials =
  | { kind: "pem"; cert: Uint8Array; key: Uint8Array; passphrase?: string; certFile?: string; keyFile?: string }
  | { kind: "pkcs12"; pfx: Uint8Array; passphrase?: string; file?: string };

export interface OpenedCredentials {
  /** PEM: the certificate matching the key, then the rest of the chain. */
  certPem: string;
  /** PKCS#8 PEM. Kept in memory only for tls.connect. */
  keyPem: string;
  leafDer: Uint8Array;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  chainLength: number;
}

export type CredentialsOutcome = { ok: true; creds: OpenedCredentials; warnings: string[] } | { ok: false; diagnosis: Diagnosis; warnings: string[] };


class CredError extends Error {
  constructor(
    readonly category: "bad_passphrase" | "unsupported_credentials" | "key_mismatch",
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
const ANY_EKU = "2.5.29.37.0";

export function openCredentials(c: Credentials, opts: { now?: Date; previousAcceptableIssuers?: string[]; t?: Translate } = {}): CredentialsOutcome {
  const warnings: string[] = [];
  const t = opts.t ?? english;
  try {
    const { certs, key } = c.kind === "pkcs12" ? openPfx(c, t) : openPem(c, t);
    const pub = spki(createPublicKey(key));
    const index = certs.findIndex((der) => {
      try {
        return spki(new X509Certificate(der).publicKey) === pub;
      } catch {
        return false;
      }
    });
    const where = c.kind === "pkcs12" ? (c.file ? t("the PKCS#12 file '{0}'", c.file) : t("the PKCS#12 file")) : `'${c.certFile ?? t("the certificate file")}'`;
    if (index < 0) {
      const first = certificateModel(certs[0], true);
      const kd = key.asymmetricKeyDetails ?? {};
      const keyDesc = `${(key.asymmetricKeyType ?? "?").toUpperCase()}${kd.modulusLength ? ` ${kd.modulusLength}` : ""}${kd.namedCurve ? ` ${kd.namedCurve}` : ""}`;
      const pk = first.publicKey;
      const certDesc = `${pk.algorithm}${pk.bits ? ` ${pk.bits}` : ""}${pk.curve ? ` ${pk.curve}` : ""}`;
      const sameKind = keyDesc.split(" ")[0] === certDesc.split(" ")[0].toUpperCase();
      const keyFile = c.kind === "pem" ? c.keyFile : undefined;
      const subject = first.subject.text;
      throw new CredError(
        "key_mismatch",
        keyFile
          ? sameKind
            ? t("The private key in '{0}' does not belong to the certificate '{1}' in {2} (both are {3}, but the public keys differ).", keyFile, subject, where, keyDesc)
            : t("The private key in '{0}' does not belong to the certificate '{1}' in {2} (the key is {3}; the certificate's public key is {4}).", keyFile, subject, where, keyDesc, certDesc)
          : sameKind
            ? t("The private key does not belong to the certificate '{0}' in {1} (both are {2}, but the public keys differ).", subject, where, keyDesc)
            : t("The private key does not belong to the certificate '{0}' in {1} (the key is {2}; the certificate's public key is {3}).", subject, where, keyDesc, certDesc),
        t("Use the key that was generated with this certificate's request, or the certificate issued for this key (compare their public keys with `certscope inspect`)."),
      );
    }
    const ordered = [certs[index], ...certs.filter((_, i) => i !== index)];
    const leaf = new X509Certificate(ordered[0]);
    const model = certificateModel(ordered[0], true);
    const now = opts.now ?? new Date();
    if (new Date(leaf.validTo) < now) warnings.push(t("The client certificate '{0}' expired on {1}; servers will reject it.", model.subject.text, formatTime(model.notAfter, "utc")));
    if (new Date(leaf.validFrom) > now) warnings.push(t("The client certificate '{0}' is not valid before {1}; servers will reject it.", model.subject.text, formatTime(model.notBefore, "utc")));
    const eku = leaf.keyUsage;
    if (Array.isArray(eku) && eku.length > 0 && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EKU)) {
      warnings.push(t("The client certificate '{0}' has an extended key usage without TLS client authentication (clientAuth); many servers will reject it.", model.subject.text));
    }
    if (opts.previousAcceptableIssuers?.length && !opts.previousAcceptableIssuers.includes(model.issuer.text)) {
      warnings.push(t("The client certificate's issuer '{0}' is not among the CAs the server accepted in an earlier run: {1}.", model.issuer.text, opts.previousAcceptableIssuers.join("; ")));
    }
    const certPem = ordered.map((der) => derToPem(der, "CERTIFICATE")).join("");
    const keyPem = key.export({ type: "pkcs8", format: "pem" }) as string;
    return {
      ok: true,
      warnings,
      creds: {
        certPem,
        keyPem,
        leafDer: ordered[0],
        subject: model.subject.text,
        issuer: model.issuer.text,
        notBefore: model.notBefore,
        notAfter: model.notAfter,
        chainLength: ordered.length,
      },
    };
  } catch (err) {
    if (err instanceof CredError) return { ok: false, warnings, diagnosis: { category: err.category, summary: err.message, fix: err.fix } };
    return {
      ok: false,
      warnings,
      diagnosis: {
        category: "unsupported_credentials",
        summary: t("The client credentials could not be read: {0}", (err as Error).message),
        fix: t("Give a PEM certificate with its PEM key (--cert/--key), or a PKCS#12 file (--pfx)."),
      },
    };
  }
}

function spki(k: KeyObject): string {
  return (k.export({ type: "spki", format: "der" }) as Buffer).toString("hex");
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

function pkiCode(err: unknown): string | undefined {
  return err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function openPem(c: Extract<Credentials, { kind: "pem" }>, t: Translate): { certs: Uint8Array[]; key: KeyObject } {
  const certFile = c.certFile ? `'${c.certFile}'` : t("the certificate file");
  const keyFile = c.keyFile ? `'${c.keyFile}'` : t("the key file");
  const certs = readCertificates(c.cert);
  if (certs.length === 0) {
    throw new CredError("unsupported_credentials", t("{0} contains no certificate.", certFile), t("Give the client certificate as PEM or DER with --cert (its chain may follow it)."));
  }
  let pkcs8: Uint8Array;
  try {
    pkcs8 = decryptKey(c.key, c.passphrase);
  } catch (err) {
    const code = pkiCode(err);
    if (code === "needs_password")
      throw new CredError("bad_passphrase", t("The private key in {0} is encrypted and no passphrase was given.", keyFile), t("Put the passphrase in an environment variable and pass --passphrase-env VAR."));
    if (code === "bad_password")
      throw new CredError("bad_passphrase", t("The passphrase does not open the private key in {0}.", keyFile), t("Check the passphrase in the environment variable given with --passphrase-env."));
    throw new CredError("unsupported_credentials", t("{0} does not hold a usable private key: {1}", keyFile, (err as Error).message), t("Give the client's private key as PEM or DER (PKCS#8, PKCS#1 or SEC1) with --key."));
  }
  return { certs, key: createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }) };
}

function openPfx(c: Extract<Credentials, { kind: "pkcs12" }>, t: Translate): { certs: Uint8Array[]; key: KeyObject } {
  const file = c.file ? `'${c.file}'` : t("the PKCS#12 file");
  let opened: { certificates: Uint8Array[]; privateKeys: Uint8Array[] };
  const tries = c.passphrase !== undefined ? [c.passphrase] : [""];
  let lastErr: unknown;
  for (const pass of tries) {
    try {
      opened = openPkcs12(c.pfx, pass);
      return pfxResult(opened, file, t);
    } catch (err) {
      if (err instanceof CredError) throw err;
      lastErr = err;
    }
  }
  const code = pkiCode(lastErr);
  if (code === "bad_password" || code === "needs_password") {
    if (c.passphrase === undefined)
      throw new CredError("bad_passphrase", t("{0} is protected by a passphrase and none was given.", file), t("Put the passphrase in an environment variable and pass --passphrase-env VAR."));
    throw new CredError("bad_passphrase", t("The passphrase does not open {0} (its integrity check failed).", file), t("Check the passphrase in the environment variable given with --passphrase-env."));
  }
  throw new CredError("unsupported_credentials", t("{0} could not be read as PKCS#12: {1}", file, String((lastErr as Error)?.message ?? lastErr)), t("Give a PKCS#12 (.p12/.pfx) file with --pfx, or PEM files with --cert/--key."));
}

function pfxResult(opened: { certificates: Uint8Array[]; privateKeys: Uint8Array[] }, file: string, t: Translate): { certs: Uint8Array[]; key: KeyObject } {
  if (opened.privateKeys.length === 0) throw new CredError("unsupported_credentials", t("{0} contains no private key.", file), t("Export the PKCS#12 with the private key included."));
  if (opened.certificates.length === 0) throw new CredError("unsupported_credentials", t("{0} contains no certificate.", file), t("Export the PKCS#12 with the certificate included."));
  const keys = opened.privateKeys.map((der) => createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" }));
  // Pick the key that matches one of the certificates (a PKCS#12 may hold several).
  for (const key of keys) {
    const pub = spki(createPublicKey(key));
    if (opened.certificates.some((der) => safeSpki(der) === pub)) return { certs: opened.certificates, key };
  }
  return { certs: opened.certificates, key: keys[0] };
}

function safeSpki(der: Uint8Array): string | undefined {
  try {
    return spki(new X509Certificate(der).publicKey);
  } catch {
    return undefined;
  }
}

function readCertificates(bytes: Uint8Array): Uint8Array[] {
  return certificatesFromBytes(bytes).certs;
}

/** PKCS#8 DER of a key file (PEM or DER; PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, legacy encrypted PEM). */
function decryptKey(bytes: Uint8Array, passphrase?: string): Uint8Array {
  return decryptPrivateKey(bytes, passphrase);
}
