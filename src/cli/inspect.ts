/**
 * `certscope inspect FILE [--password-env VAR] [--summary] [--json]` (docs/cli.md).
 *
 * Exit codes: 0 when at least one object decoded (errors for broken parts are listed in `errors` and on
 * stderr, but do not fail the run); 2 when the file cannot be read, holds no PKI object, or a PKCS#12
 * password is missing or wrong.
 */
import { readFile, stat } from "node:fs/promises";
import { EXIT_CODES_NOTE, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, JSON_FLAG, type CliIo, type CommandSpec } from "./args";
import { inspectBytes, MAX_INPUT_BYTES, type PkiDecodeError } from "../core/pki";
import { escapeControl, escapeLines } from "../shared/safeText";
import type {
  CertificateModel, ContainerModel, CrlModel, CsrModel, DistinguishedName, ExtensionModel, GeneralName, InspectResult, PkiObject,
  PrivateKeyModel, PublicKeyInfo,
} from "../shared/model";
import { formatSerial, formatSpkiHash, formatTime, hexId } from "../shared/format";

/** The flags of `certscope inspect`: this table drives parsing and `certscope inspect --help` (append rows). */
export const INSPECT: CommandSpec = {
  name: "inspect",
  operands: "FILE",
  summary: "Decodes every PKI object in FILE: PEM (any number of blocks), DER, CSR, CRL, PKCS#7, PKCS#12, keys (never their key material).",
  flags: [
    { name: "password-env", kind: "string", value: "VAR", help: "PKCS#12 password from environment variable VAR (the empty password is tried first)" },
    { name: "summary", kind: "boolean", help: "certificates as summaries (the fields a list shows first): fast on large bundles" },
    JSON_FLAG,
  ],
  notes: [EXIT_CODES_NOTE, "inspect exits 0 when at least one object decodes (broken parts are listed in errors); 2 when none does or a password is missing or wrong."],
};

const PASSWORD_CODES = new Set(["bad_password", "needs_password"]);

/** Errors printed one by one on stderr before the rest are counted. */
const MAX_ERRORS_SHOWN = 100;

export async function runInspect(argv: string[], io: CliIo): Promise<number> {
  const a = parseArgs(argv, INSPECT);
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? "inspect takes one FILE" : "missing FILE (certscope inspect FILE [--password-env VAR] [--summary] [--json])");
  const file = a.positionals[0];
  let password: string | undefined;
  const envName = a.strings["password-env"];
  if (envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw new UsageError(`--password-env needs an environment variable name (got '${envName}')`);
    password = io.env[envName];
    if (password === undefined) throw new UsageError(`environment variable ${envName} (from --password-env) is not set`);
  }
  let bytes: Uint8Array;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw Object.assign(new Error("it is a directory"), { code: "EISDIR" });
    if (st.size > MAX_INPUT_BYTES) {
      io.stderr(`certscope inspect: ${file}: the file is too large (${st.size} bytes; limit ${MAX_INPUT_BYTES})\n`);
      return EXIT_USAGE;
    }
    bytes = new Uint8Array(await readFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
    io.stderr(`certscope inspect: ${file}: cannot be read: ${why}\n`);
    return EXIT_USAGE;
  }
  const result = await inspectBytes(bytes, { fileName: file, password, summary: a.flags.summary, signal: io.signal });
  const errors = result.errors as PkiDecodeError[];
  const fatal = result.objects.length === 0 || errors.some((e) => e.code && PASSWORD_CODES.has(e.code));
  if (a.flags.json) writeJson(result, io);
  // A fatal run (nothing decoded, a password missing or wrong) says so on stderr only: a report of an empty
  // PKCS#12 on stdout next to it would contradict the error. Certificate fields are attacker-chosen: control
  // characters are shown escaped, never sent to the terminal.
  else if (!fatal) io.stdout(escapeLines(formatResult(result, new Date())));
  // Bounded output: 20,000 broken blocks are summarised after the first MAX_ERRORS_SHOWN (--json lists them all).
  for (const e of errors.slice(0, MAX_ERRORS_SHOWN)) io.stderr(`certscope inspect: ${escapeControl(file)}: ${escapeControl(e.message)}\n`);
  if (errors.length > MAX_ERRORS_SHOWN) io.stderr(`certscope inspect: ${escapeControl(file)}: … and ${errors.length - MAX_ERRORS_SHOWN} more errors (--json lists them all); the last: ${escapeControl(errors[errors.length - 1].message)}\n`);
  return fatal ? EXIT_USAGE : EXIT_OK;
}

/** Objects including those nested in PKCS#7 / PKCS#12 containers. */
function countObjects(objects: PkiObject[]): number {
  let n = 0;
  for (const o of objects) n += 1 + (o.kind === "pkcs7" || o.kind === "pkcs12" ? countObjects((o as ContainerModel).objects) : 0);
  return n;
}

/**
 * The JSON document: indented for people when small; compact above 200 objects (where indentation would
 * double the size and the time), written in ~1 MB pieces so a 5,000-certificate bundle never becomes one
 * giant string. Same bytes as JSON.stringify(result).
 */
function writeJson(result: InspectResult, io: CliIo) {
  if (countObjects(result.objects) <= 200) {
    io.stdout(JSON.stringify(result, null, 2) + "\n");
    return;
  }
  let buf = `{"file":${JSON.stringify(result.file)},"objects":[`;
  result.objects.forEach((o, i) => {
    if (o.kind === "pkcs7" || o.kind === "pkcs12") {
      // A big bundle inside one container: stream its nested objects too.
      const { objects, ...rest } = o as ContainerModel;
      const head = JSON.stringify(rest);
      buf += `${i ? "," : ""}${head.slice(0, -1)}${head.length > 2 ? "," : ""}"objects":[`;
      objects.forEach((x, k) => {
        buf += (k ? "," : "") + JSON.stringify(x);
        if (buf.length > 1 << 20) {
          io.stdout(buf);
          buf = "";
        }
      });
      buf += "]}";
    } else buf += (i ? "," : "") + JSON.stringify(o);
    if (buf.length > 1 << 20) {
      io.stdout(buf);
      buf = "";
    }
  });
  io.stdout(`${buf}],"errors":${JSON.stringify(result.errors)}}\n`);
}

// ───────────────────────────── human-readable output ─────────────────────────────

const DAY = 86_400_000;

/** "expires in 23 days", "expired 4 days ago", "not valid until 2027-01-01 (in 3 days)". */
export function relativeValidity(notBefore: string, notAfter: string, now: Date): string {
  const nb = Date.parse(notBefore);
  const na = Date.parse(notAfter);
  const t = now.getTime();
  const span = (ms: number) => {
    const d = Math.floor(Math.abs(ms) / DAY);
    if (d >= 730) return `${Math.floor(d / 365)} years`;
    if (d >= 60) return `${Math.floor(d / 30)} months`;
    if (d >= 1) return `${d} day${d === 1 ? "" : "s"}`;
    const h = Math.floor(Math.abs(ms) / 3_600_000);
    if (h >= 1) return `${h} hour${h === 1 ? "" : "s"}`;
    const m = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
    return `${m} minute${m === 1 ? "" : "s"}`;
  };
  if (t < nb) return `not valid yet (starts in ${span(nb - t)})`;
  if (t > na) return `EXPIRED ${span(t - na)} ago`;
  return `expires in ${span(na - t)}`;
}

/** Times as every surface writes them (src/shared/format.ts); the JSON keeps ISO 8601. */
const dateText = (iso: string) => formatTime(iso, "utc");

function keyText(k: PublicKeyInfo | undefined): string {
  if (!k) return "(unknown)";
  const parts = [k.algorithm];
  if (k.curve) parts.push(k.curve);
  if (k.bits && !(k.curve && /\d{3}/.test(k.curve))) parts.push(`${k.bits} bits`);
  return parts.join(" ");
}

const colonHex = hexId;

function sanText(names: GeneralName[]): string {
  const label: Record<string, string> = { dns: "DNS", ip: "IP", email: "email", uri: "URI", dirName: "DirName", otherName: "othername", registeredId: "RID" };
  return names.map((n) => `${label[n.type] ?? n.type}:${n.value}`).join(", ");
}

class Out {
  lines: string[] = [];
  constructor(private indent = "") {}
  head(text: string) {
    this.lines.push(text ? this.indent + text : "");
  }
  row(label: string, value: string | undefined) {
    if (value === undefined || value === "") return;
    const pad = " ".repeat(Math.max(1, 16 - label.length));
    const cont = "\n" + this.indent + "  " + " ".repeat(16);
    this.lines.push(`${this.indent}  ${label}${pad}${value.split("\n").join(cont)}`);
  }
  child(): Out {
    const o = new Out(this.indent + "  ");
    o.lines = this.lines;
    return o;
  }
}

function dn(d: DistinguishedName): string {
  return d.text || "(empty)";
}

function extensionsBlock(out: Out, exts: ExtensionModel[] | undefined) {
  if (!exts?.length) return;
  out.head(`  Extensions`);
  const width = Math.min(34, Math.max(...exts.map((e) => e.name.length + (e.critical ? 11 : 0))) + 2);
  for (const e of exts) {
    const label = e.name + (e.critical ? " (critical)" : "");
    let text = e.text ?? "";
    if (text.length > 200) text = text.slice(0, 197) + "…";
    out.lines.push(`${out["indent"]}    ${label}${" ".repeat(Math.max(1, width - label.length))}${text}`);
  }
}

function certificateBlock(out: Out, c: CertificateModel, now: Date, title = "Certificate") {
  out.head(`${title}${c.line !== undefined ? ` (line ${c.line})` : ""}`);
  out.row("Subject", dn(c.subject));
  out.row("Issuer", c.selfSigned ? `${dn(c.issuer)} (self-signed)` : dn(c.issuer));
  out.row("Serial", c.serialNumberSigned ? `${c.serialNumberSigned} (negative; encoded as ${formatSerial(c.serialNumber)})` : formatSerial(c.serialNumber));
  out.row("Valid from", dateText(c.notBefore));
  out.row("Valid until", `${dateText(c.notAfter)}  (${relativeValidity(c.notBefore, c.notAfter, now)})`);
  out.row("Public key", keyText(c.publicKey));
  const params = (c as { signatureParameters?: string }).signatureParameters;
  out.row("Signature", c.signatureAlgorithm && params ? `${c.signatureAlgorithm} (${params})` : c.signatureAlgorithm);
  out.row("CA", c.isCA ? "yes" : "no");
  out.row("Names (SAN)", c.subjectAltNames.length ? sanText(c.subjectAltNames) : undefined);
  out.row("SHA-256", colonHex(c.fingerprints.sha256));
  out.row("SHA-1", colonHex(c.fingerprints.sha1));
  const friendly = (c as { friendlyName?: string }).friendlyName;
  out.row("Friendly name", friendly);
  extensionsBlock(out, c.extensions);
}

/** "Encoding problems": one line per finding (severity, where, plain words). */
function findingsBlock(out: Out, o: PkiObject) {
  const fs = o.findings;
  if (!fs?.length) return;
  out.head(`  Encoding problems (${fs.length})`);
  for (const f of fs) out.lines.push(`${out["indent"]}    ${f.severity === "error" ? "error  " : "warning"}  ${f.where ? `${f.where}: ` : ""}${f.message}`);
}

function objectBlock(out: Out, o: PkiObject, now: Date) {
  objectFields(out, o, now);
  findingsBlock(out, o);
}

function objectFields(out: Out, o: PkiObject, now: Date) {
  switch (o.kind) {
    case "certificate":
      certificateBlock(out, o, now);
      break;
    case "csr": {
      const c = o as CsrModel;
      out.head(`Certificate request${c.line !== undefined ? ` (line ${c.line})` : ""}`);
      out.row("Subject", dn(c.subject));
      out.row("Public key", keyText(c.publicKey));
      out.row("Signature", `${c.signatureAlgorithm} — ${c.signatureValid ? "valid" : "INVALID"}`);
      out.row("Names (SAN)", c.subjectAltNames.length ? sanText(c.subjectAltNames) : undefined);
      const attrs = (c as { attributes?: string[] }).attributes;
      out.row("Attributes", attrs?.join(", "));
      extensionsBlock(out, c.extensions);
      break;
    }
    case "crl": {
      const c = o as CrlModel;
      out.head(`CRL${c.line !== undefined ? ` (line ${c.line})` : ""}`);
      out.row("Issuer", dn(c.issuer));
      out.row("This update", dateText(c.thisUpdate));
      out.row("Next update", c.nextUpdate ? `${dateText(c.nextUpdate)}  (${Date.parse(c.nextUpdate) < now.getTime() ? "STALE" : "current"})` : "(none)");
      out.row("CRL number", c.crlNumber);
      out.row("Signature", c.signatureAlgorithm);
      out.row("Revoked", `${c.entries.length} certificate${c.entries.length === 1 ? "" : "s"}`);
      const shown = c.entries.slice(0, 50);
      for (const e of shown) out.lines.push(`${out["indent"]}    ${formatSerial(e.serialNumber)}  ${dateText(e.revocationDate)}${e.reason ? `  ${e.reason}` : ""}`);
      if (c.entries.length > shown.length) out.lines.push(`${out["indent"]}    … and ${c.entries.length - shown.length} more (use --json for all)`);
      extensionsBlock(out, c.extensions);
      break;
    }
    case "privateKey": {
      const k = o as PrivateKeyModel;
      out.head(`Private key${k.line !== undefined ? ` (line ${k.line})` : ""}`);
      out.row("Key", k.publicKey ? keyText(k.publicKey) : "(encrypted: type and size need the password)");
      out.row("Format", k.format);
      out.row("Encrypted", k.encrypted ? `yes — ${(k.encryption ?? []).join("; ")}` : "no");
      out.row("SPKI SHA-256", k.publicKey?.spkiSha256 && formatSpkiHash(k.publicKey.spkiSha256));
      break;
    }
    case "publicKey":
      out.head(`Public key${o.line !== undefined ? ` (line ${o.line})` : ""}`);
      out.row("Key", keyText(o.publicKey));
      out.row("SPKI SHA-256", o.publicKey.spkiSha256 && formatSpkiHash(o.publicKey.spkiSha256));
      break;
    case "pkcs7":
    case "pkcs12": {
      const c = o as ContainerModel;
      out.head(`${c.kind === "pkcs7" ? "PKCS#7" : "PKCS#12"}${c.line !== undefined ? ` (line ${c.line})` : ""} — ${c.objects.length} object${c.objects.length === 1 ? "" : "s"}`);
      if (c.encryption.length) out.row("Protection", c.encryption.join("\n"));
      if (c.legacy) out.row("Legacy", "yes — uses algorithms OpenSSL 3 only reads with -legacy");
      const inner = out.child();
      c.objects.forEach((x, i) => {
        inner.head("");
        objectBlock(inner, x, now);
        void i;
      });
      break;
    }
    case "ocspResponse":
      out.head(`OCSP response${o.line !== undefined ? ` (line ${o.line})` : ""} — ${o.responseStatus}`);
      out.row("Responder", o.responder);
      out.row("Produced at", o.producedAt ? dateText(o.producedAt) : undefined);
      for (const s of o.responses) {
        const st = s.status === "revoked" ? `REVOKED ${dateText(s.revokedAt ?? "")}${s.reason ? ` (${s.reason})` : ""}` : s.status;
        out.row("Status", `serial ${s.certId.serialNumber}: ${st}`);
        out.row("This update", dateText(s.thisUpdate));
        out.row("Next update", s.nextUpdate ? `${dateText(s.nextUpdate)}  (${Date.parse(s.nextUpdate) < now.getTime() ? "STALE" : "current"})` : "(none)");
      }
      out.row("Nonce", o.nonce);
      out.row("Signature", o.signatureAlgorithm);
      out.row("Responder certificate", o.certificates?.map((c) => dn(c.subject)).join("; "));
      extensionsBlock(out, o.extensions);
      break;
    case "ocspRequest":
      out.head(`OCSP request${o.line !== undefined ? ` (line ${o.line})` : ""}`);
      for (const r of o.requests) out.row("Certificate", `serial ${r.certId.serialNumber} (${r.certId.hashAlgorithm} issuer key hash ${r.certId.issuerKeyHash})`);
      out.row("Nonce", o.nonce);
      out.row("Signed", o.signed ? "yes" : "no");
      break;
  }
}

/** The human-readable report. */
export function formatResult(r: InspectResult, now: Date): string {
  const out = new Out();
  const n = r.objects.length;
  out.head(`${r.file}: ${n} object${n === 1 ? "" : "s"}${r.errors.length ? `, ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}` : ""}`);
  for (const o of r.objects) {
    out.head("");
    objectBlock(out, o, now);
  }
  return out.lines.join("\n") + "\n";
}
