/**
 * `certscope handshake HOST:PORT [options] [--json]` (docs/cli.md).
 * Exit codes: 0 the handshake succeeded and the server chain is valid; 1 the handshake failed or the diagnosis
 * found a problem (including key_mismatch: the credentials are readable but wrong); 2 usage errors, unreadable
 * input files, and credentials that cannot be opened (bad_passphrase, unsupported_credentials) — the contract's
 * "unreadable input (… wrong password)". With --json the result document is printed in every case but usage errors.
 * Extra flag (beyond the contract): `--transcript FILE` saves the raw bytes + key log of the run (the fixture
 * format replayed by the tests) — it holds the connection's traffic secrets, like --keylog.
 */
import { ocspStapleText, sctLineText } from "../shared/ocspText";
import { readFileSync, openSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { EXIT_BAD, EXIT_CODES_NOTE, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, JSON_FLAG, type CliIo, type CommandSpec } from "./args";
import { runHandshake as runCoreHandshake, type HandshakeOptions } from "../core/tls";
import { certificatesFromBytes } from "../core/pki";
import type { HandshakeMessage, HandshakeResult } from "../shared/model";
import { CONNECTION_FLAGS, SERVERNAME_FLAG, timeoutFlag, parseProxy, parseStarttls } from "./connection";
import { partsLine, offeredSummary } from "../core/tls/scan/parts";
import { formatDay, parseTlsVersion, TLS_VERSION_NUMBERS, type TlsVersionNumber } from "../shared/format";
import { escapeLines } from "../shared/safeText";

/** The flags of `certscope handshake`: this table drives parsing and `certscope handshake --help` (append rows). */
export const HANDSHAKE: CommandSpec = {
  name: "handshake",
  operands: "HOST:PORT",
  summary: "Runs a TLS handshake (one-way or mutual) and shows the message sequence, the server chain and a diagnosis of any failure with its fix.",
  flags: [
    SERVERNAME_FLAG,
    { name: "cert", kind: "string", value: "FILE", help: "client certificate (chain allowed; with --key, or a PEM holding both)" },
    { name: "key", kind: "string", value: "FILE", help: "client private key" },
    { name: "pfx", kind: "string", value: "FILE", help: "client credentials as PKCS#12" },
    { name: "passphrase-env", kind: "string", value: "VAR", help: "passphrase of the key or PKCS#12, from environment variable VAR" },
    { name: "ca", kind: "list", value: "FILE", help: "trust anchors for the server chain" },
    { name: "no-system-roots", kind: "boolean", help: "do not trust the system roots" },
    { name: "tls-min", kind: "string", value: "V", help: "lowest TLS version: 1.0 1.1 1.2 1.3 (TLSv1.2 and tls1.2 also accepted)" },
    { name: "tls-max", kind: "string", value: "V", help: "highest TLS version, as --tls-min" },
    { name: "alpn", kind: "string", value: "LIST", help: "comma-separated ALPN protocols" },
    timeoutFlag("whole-operation bound in milliseconds (default 10000)"),
    { name: "keylog", kind: "string", value: "FILE", help: "also write the NSS key log (for Wireshark)" },
    { name: "transcript", kind: "string", value: "FILE", help: "save the raw bytes and key log of the run (holds traffic secrets, like --keylog)" },
    ...CONNECTION_FLAGS,
    { name: "no-app-probe", kind: "boolean", help: "send no application data after the handshake (no GET /, startup message, EHLO…)" },
    JSON_FLAG,
  ],
  notes: [EXIT_CODES_NOTE, "handshake exits 2 for bad_passphrase and unsupported_credentials (unreadable input), 1 for every other failure."],
};

const VERSIONS = TLS_VERSION_NUMBERS;
type V = TlsVersionNumber;

export function parseTarget(s: string): { host: string; port: number } {
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else {
    const i = s.lastIndexOf(":");
    if (i <= 0) throw new UsageError(`target '${s}' must be HOST:PORT (IPv6 as [::1]:443)`);
    host = s.slice(0, i);
    portText = s.slice(i + 1);
    if (host.includes(":")) throw new UsageError(`target '${s}': write IPv6 addresses in brackets, e.g. [::1]:443`);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new UsageError(`target '${s}': port must be 1–65535`);
  return { host, port };
}

class InputError extends Error {}

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new InputError(`cannot read ${what} '${path}': ${why}`);
  }
}

function version(v: string | undefined, flag: string): V | undefined {
  if (v === undefined) return undefined;
  const parsed = parseTlsVersion(v);
  if (!parsed) throw new UsageError(`${flag} must be one of ${VERSIONS.join(", ")} (or TLSv1.2, tls1.2 …; got '${v}')`);
  return parsed;
}

export async function runHandshake(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, HANDSHAKE);
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length ? "exactly one HOST:PORT expected" : "missing HOST:PORT");
  const { host, port } = parseTarget(args.positionals[0]);
  const s = args.strings;
  const tlsMin = version(s["tls-min"], "--tls-min");
  const tlsMax = version(s["tls-max"], "--tls-max");
  if (tlsMin && tlsMax && VERSIONS.indexOf(tlsMin) > VERSIONS.indexOf(tlsMax)) throw new UsageError("--tls-min is above --tls-max");
  let timeoutMs: number | undefined;
  if (s.timeout !== undefined) {
    if (!/^\d+$/.test(s.timeout) || Number(s.timeout) <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds (got '${s.timeout}')`);
    timeoutMs = Number(s.timeout);
  }
  if (s.pfx && (s.cert || s.key)) throw new UsageError("use either --pfx or --cert/--key, not both");
  if (s.key && !s.cert) throw new UsageError("--key needs --cert");
  let passphrase: string | undefined;
  if (s["passphrase-env"] !== undefined) {
    passphrase = io.env[s["passphrase-env"]];
    if (passphrase === undefined) throw new UsageError(`environment variable '${s["passphrase-env"]}' (from --passphrase-env) is not set`);
  }
  const alpn = s.alpn
    ?.split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (s.alpn !== undefined && !alpn?.length) throw new UsageError("--alpn needs a comma-separated list of protocols");

  const starttls = parseStarttls(s.starttls);
  const proxy = parseProxy(s.proxy);

  let opts: HandshakeOptions;
  try {
    opts = {
      host,
      port,
      servername: s.servername,
      alpn,
      tlsMin,
      tlsMax,
      ca: args.lists.ca.map((f) => {
        const b = readInput(f, "CA file");
        if (certificatesFromBytes(b).certs.length === 0) throw new InputError(`CA file '${f}' contains no certificate`);
        return b;
      }),
      useSystemRoots: !args.flags["no-system-roots"],
      timeoutMs,
      signal: io.signal,
      starttls,
      proxy,
      appProbe: !args.flags["no-app-probe"],
    };
    if (s.pfx) opts.credentials = { kind: "pkcs12", pfx: readInput(s.pfx, "PKCS#12 file"), passphrase, file: s.pfx };
    else if (s.cert) {
      // Without --key, the key is looked for in the certificate file (a combined PEM).
      const keyFile = s.key ?? s.cert;
      opts.credentials = { kind: "pem", cert: readInput(s.cert, "certificate file"), key: readInput(keyFile, "key file"), passphrase, certFile: s.cert, keyFile };
    }
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`certscope handshake: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }

  let keylogFd: number | undefined;
  if (s.keylog) {
    try {
      keylogFd = openSync(s.keylog, "a", 0o600);
    } catch (err) {
      io.stderr(`certscope handshake: cannot write key log '${s.keylog}': ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    const fd = keylogFd;
    opts.keylog = (line) => writeSync(fd, `${line}\n`);
  }
  if (s.transcript) opts.recordTranscript = true;
  let result: HandshakeResult;
  try {
    result = await runCoreHandshake(opts);
  } finally {
    if (keylogFd !== undefined) closeSync(keylogFd);
  }
  const { transcript, ...printable } = result as HandshakeResult & { transcript?: unknown };
  if (s.transcript && transcript) {
    try {
      writeFileSync(s.transcript, `${JSON.stringify(transcript)}\n`, { mode: 0o600 });
    } catch (err) {
      io.stderr(`certscope handshake: cannot write transcript '${s.transcript}': ${(err as Error).message}\n`);
    }
  }
  if (args.flags.json) io.stdout(`${JSON.stringify(printable, null, 2)}\n`);
  else io.stdout(escapeLines(renderHuman(result)));
  if (result.outcome === "success") return EXIT_OK;
  const cat = result.diagnosis?.category;
  if (cat === "bad_passphrase" || cat === "unsupported_credentials") {
    if (args.flags.json) io.stderr(`certscope handshake: ${escapeLines(result.diagnosis?.summary ?? "")}\n`);
    return EXIT_USAGE;
  }
  return EXIT_BAD;
}

// ───────────────────────────── human output ─────────────────────────────

const WIDTH = 26;

function brief(m: HandshakeMessage): string {
  const d = m.detail as Record<string, any>;
  const j = (a: unknown, n = 4) => (Array.isArray(a) ? (a.length > n ? `${a.slice(0, n).join(", ")}, … (${a.length})` : a.join(", ")) : "");
  switch (m.type) {
    case "ClientHello":
      return [
        d.supportedVersions ? `versions ${j(d.supportedVersions.filter((v: string) => !v.startsWith("GREASE")))}` : `version ${d.version}`,
        d.serverName ? `SNI ${d.serverName}` : "no SNI",
        d.alpn ? `ALPN ${j(d.alpn)}` : "",
        `${d.cipherSuites?.length ?? 0} suites${offeredSummary(d.cipherSuites ?? [])}`,
        d.keyShares ? `key share ${j(d.keyShares)}` : "",
      ]
        .filter(Boolean)
        .join("; ");
    case "ServerHello":
      return [d.selectedVersion ?? d.version, d.cipherSuite, d.keyShare, d.alpn ? `ALPN ${d.alpn}` : ""].filter(Boolean).join(", ");
    case "HelloRetryRequest":
      return `retry with group ${d.selectedGroup ?? "?"}`;
    case "EncryptedExtensions":
      return d.alpn ? `ALPN ${d.alpn}` : "";
    case "Certificate":
      return d.empty
        ? "EMPTY (no certificate)"
        : (d.certificates as { subject: string; issuer: string }[]).map((c, i) => `[${i}] ${c.subject} ← ${c.issuer}`).join("\n") + (d.ocspStaple ? "\n+ stapled OCSP response" : "");
    case "CertificateStatus":
      return d.statusType === "ocsp" ? `stapled OCSP response, ${d.ocspResponseLength} bytes` : `status type ${d.statusType}`;
    case "CertificateRequest":
      return d.acceptableIssuers?.length ? `acceptable CAs: ${d.acceptableIssuers.join("; ")}` : "no CA names given";
    case "ServerKeyExchange":
      return [d.keyExchange, d.group ?? (d.primeBits ? `${d.primeBits}-bit prime` : ""), d.signatureAlgorithm].filter(Boolean).join(", ");
    case "ClientKeyExchange":
      return d.keyExchange ?? "";
    case "CertificateVerify":
      return d.signatureAlgorithm ?? "";
    case "Alert":
      return `${d.level} ${d.description}`;
    case "NewSessionTicket":
      return `lifetime ${d.lifetimeSeconds} s`;
    case "EncryptedRecord":
      return `${d.length} bytes (${d.reason})`;
    default:
      return "";
  }
}

export function renderHuman(r: HandshakeResult): string {
  const lines: string[] = [];
  const t = r.target;
  const hostText = t.host.includes(":") ? `[${t.host}]` : t.host;
  lines.push(`Handshake with ${hostText}:${t.port}${t.servername ? ` (SNI ${t.servername})` : ""}${r.starttls ? ` after STARTTLS (${r.starttls})` : ""}${r.proxy ? ` through the proxy ${r.proxy}` : ""}`);
  if (r.protocol || r.cipher) lines.push(`  ${[r.protocol, r.cipher, r.group, r.alpn ? `ALPN ${r.alpn}` : ""].filter(Boolean).join("  ")}`);
  if (r.cipherParts) lines.push(`  ${partsLine(r.cipherParts)}`);
  lines.push("");
  if (r.preamble?.some((p) => p.step !== "tcp")) {
    lines.push("Before TLS (plaintext):");
    for (const p of r.preamble) if (p.step !== "tcp") lines.push(`  ${p.from === "client" ? "C:" : p.from === "server" ? "S:" : "  "} ${p.text}`);
    lines.push("");
  }
  if (r.messages.length) {
    const labelOf = (m: HandshakeResult["messages"][number]) => `${m.type}${m.encrypted ? " (encrypted)" : ""}${m.undecrypted ? " (not decrypted)" : ""}`;
    // The client column is as wide as its longest label, so every arrow starts in the same place.
    const width = Math.max(WIDTH, ...r.messages.filter((m) => m.from === "client").map((m) => labelOf(m).length));
    lines.push(`  ${"client".padEnd(width + 8)}server`);
    for (const m of r.messages) {
      const label = labelOf(m);
      const arrow = m.from === "client" ? `  ${label.padEnd(width)} ──────▶` : `  ${"".padEnd(width)} ◀────── ${label}`;
      const info = brief(m).split("\n");
      lines.push(arrow);
      for (const i of info) if (i) lines.push(m.from === "client" ? `      ${i}` : `  ${"".padEnd(width)}          ${i}`);
    }
    lines.push("");
  }
  if (r.application) {
    const app = r.application;
    lines.push(`Application (${app.protocol}, encrypted):`, `  C: ${app.request}`, `  S: ${app.answer ?? `(${app.noAnswer ?? "no answer"})`}${app.refused ? "   ← refused" : ""}`, "");
  }
  if (r.clientCertificate.requested) {
    const cc = r.clientCertificate;
    lines.push(
      `Client certificate: requested${cc.required === true ? " (required)" : cc.required === false ? " (optional)" : ""}; ${cc.sent ? `sent '${cc.subject ?? "?"}'` : "none sent"}`,
    );
    if (cc.acceptableIssuers.length) lines.push(`  acceptable issuers: ${cc.acceptableIssuers.join("; ")}`);
  }
  if (r.serverChain.length) {
    lines.push("Server chain (as sent):");
    r.serverChain.forEach((c, i) => lines.push(`  [${i}] ${c.subject.text}  (issuer ${c.issuer.text}; valid ${formatDay(c.notBefore, "utc")} – ${formatDay(c.notAfter, "utc")})`));
  }
  if (r.validation && !r.validation.valid) for (const p of r.validation.problems) lines.push(`  problem: ${p.code}: ${p.message}`);
  if (r.ocsp) lines.push(`OCSP: ${ocspStapleText(r.ocsp)}`);
  if (r.scts?.length) lines.push(`CT: ${sctLineText(r.scts)}`);
  lines.push("");
  if (r.outcome === "success") lines.push("Result: SUCCESS");
  else lines.push(`Result: FAILED (${r.diagnosis?.category ?? "other"})`);
  if (r.diagnosis) {
    lines.push(`  ${r.diagnosis.summary}`);
    lines.push(`Fix: ${r.diagnosis.fix}`);
    for (const a of r.diagnosis.also ?? []) lines.push(`Also (${a.category}): ${a.summary}`, `  Fix: ${a.fix}`);
  }
  for (const w of r.warnings ?? []) lines.push(`Warning: ${w}`);
  if (r.timing?.total !== undefined) lines.push(`(${Math.round(r.timing.total)} ms)`);
  // Sections are separated by one blank line, whichever of them are empty (a refused connection has no messages).
  return `${lines.filter((l, i) => l !== "" || (i > 0 && lines[i - 1] !== "")).join("\n")}\n`;
}
