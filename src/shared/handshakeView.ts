/**
 * Pure view-models for the handshake webview: the transcript → sequence-diagram rows, the Markdown export,
 * and the equivalent `openssl s_client` / `curl` command lines. No DOM, no Node, no vscode: unit-tested in
 * plain Node and used by the page (diagram) and the host (exports).
 */
import { english, formatTime, type Translate } from "./format";
import type { HandshakeMessage, HandshakeResult } from "./model";
import { preambleRows, applicationRows, type DiagramPlain } from "./connectionRows";
export type { DiagramPlain } from "./connectionRows";
import { shellCommand, shellWord, type ShellPart } from "./safeText";

// ───────────────────────────── the diagram ─────────────────────────────

export interface DiagramField {
  name: string;
  value: string;
}

/** One arrow: one message that crossed the wire, in wire order. */
export interface DiagramArrow {
  kind: "message";
  /** Index into result.messages. */
  index: number;
  from: "client" | "server";
  /** The contract's message type: ClientHello, Certificate, Alert, … (the page sets it as data-type). */
  type: string;
  /** Shown name, e.g. "Certificate" or "Alert". */
  label: string;
  /** Key detail in a few words, e.g. "3 certificates" or "fatal: certificate_required". */
  detail: string;
  /** Travelled encrypted (a lock is shown). */
  encrypted: boolean;
  /** Could not be decrypted: only the size is known. */
  undecrypted: boolean;
  alert: boolean;
  fatal: boolean;
  /** Part of two-way (mutual) TLS only: CertificateRequest, the client's Certificate and CertificateVerify. */
  mutual: boolean;
  time?: number;
  /** Everything the engine decoded, as name/value text for the details panel. */
  fields: DiagramField[];
  /** One sentence for screen readers. */
  ariaLabel: string;
}

export type NoteTone = "info" | "mutual" | "oneway" | "ok" | "error" | "encrypted";

/** A marker between arrows, e.g. where one-way and two-way TLS differ, or where encryption starts. */
export interface DiagramNote {
  kind: "note";
  tone: NoteTone;
  text: string;
}

export type DiagramRow = DiagramArrow | DiagramNote | DiagramPlain;

export interface DiagramModel {
  rows: DiagramRow[];
  /** two-way: the server asked for a client certificate; one-way: it did not (and got far enough to say). */
  mode: "one-way" | "two-way" | "unknown";
  /** A one-line caption above the diagram. */
  caption: string;
}

function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}
function s(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : typeof v === "number" ? String(v) : undefined;
}
function firstRdn(dn: string | undefined): string | undefined {
  if (!dn) return undefined;
  const cn = /(?:^|,)\s*CN=((?:\\.|[^,])+)/.exec(dn);
  return cn ? `CN=${cn[1]}` : dn.split(/,(?=[A-Za-z.0-9]+=)/)[0];
}

/** The few words shown on an arrow. */
export function messageDetail(m: HandshakeMessage, t: Translate = english): string {
  const d = m.detail ?? {};
  const parts: string[] = [];
  switch (m.type) {
    case "ClientHello": {
      const versions = arr(d.supportedVersions)?.map(String) ?? (s(d.version) ? [s(d.version)!] : []);
      if (versions.length) parts.push(versions.join(", "));
      const suites = arr(d.cipherSuites);
      if (suites) parts.push(suites.length === 1 ? t("{0} cipher suite", 1) : t("{0} cipher suites", suites.length));
      if (s(d.serverName)) parts.push(`SNI ${s(d.serverName)}`);
      const alpn = arr(d.alpn);
      if (alpn?.length) parts.push(`ALPN ${alpn.join(", ")}`);
      break;
    }
    case "ServerHello": {
      const v = s(d.selectedVersion) ?? s(d.version);
      if (v) parts.push(v);
      if (s(d.cipherSuite)) parts.push(s(d.cipherSuite)!);
      if (s(d.keyShare)) parts.push(s(d.keyShare)!);
      if (s(d.alpn)) parts.push(`ALPN ${s(d.alpn)}`);
      break;
    }
    case "HelloRetryRequest":
      parts.push(s(d.selectedGroup) ? t("retry with key share {0}", s(d.selectedGroup)!) : t("asks the client to send a new ClientHello"));
      break;
    case "EncryptedExtensions": {
      if (s(d.alpn)) parts.push(`ALPN ${s(d.alpn)}`);
      const ex = arr(d.extensions);
      if (!parts.length) parts.push(ex ? (ex.length === 1 ? t("{0} extension", 1) : t("{0} extensions", ex.length)) : "");
      break;
    }
    case "Certificate": {
      const certs = arr(d.certificates) as { subject?: string }[] | undefined;
      const count = typeof d.count === "number" ? d.count : (certs?.length ?? undefined);
      if (count === 0 || d.empty === true) parts.push(m.from === "client" ? t("empty certificate — no client certificate sent") : t("empty certificate"));
      else if (count !== undefined) {
        parts.push(count === 1 ? t("{0} certificate", 1) : t("{0} certificates", count));
        const first = firstRdn(certs?.[0]?.subject);
        if (first) parts.push(first);
      }
      if (d.ocspStaple) parts.push(t("with a stapled OCSP response"));
      break;
    }
    case "CertificateStatus":
      parts.push(d.statusType === "ocsp" ? t("stapled OCSP response") : t("certificate status"));
      break;
    case "CertificateRequest": {
      const cas = arr(d.acceptableIssuers);
      parts.push(cas && cas.length ? (cas.length === 1 ? t("asks for a client certificate from {0} CA", 1) : t("asks for a client certificate from {0} CAs", cas.length)) : t("asks for a client certificate (any CA)"));
      break;
    }
    case "ServerKeyExchange":
      parts.push([s(d.keyExchange), s(d.group) ?? (typeof d.primeBits === "number" ? t("{0}-bit prime", d.primeBits) : undefined)].filter(Boolean).join(" "));
      break;
    case "ServerHelloDone":
      parts.push(t("server's turn is over"));
      break;
    case "ClientKeyExchange":
      parts.push(s(d.keyExchange) ? t("{0} key exchange", s(d.keyExchange)!) : t("key exchange"));
      break;
    case "CertificateVerify":
      parts.push([t("proves it holds the private key"), s(d.signatureAlgorithm)].filter(Boolean).join(" · "));
      break;
    case "ChangeCipherSpec":
      parts.push(t("switches to encryption"));
      break;
    case "Finished":
      parts.push(m.undecrypted ? t("encrypted, not decrypted") : t("handshake integrity check"));
      break;
    case "NewSessionTicket":
      parts.push(typeof d.lifetimeSeconds === "number" ? t("session ticket, lifetime {0} s", d.lifetimeSeconds) : t("session ticket"));
      break;
    case "Alert":
      parts.push(`${s(d.level) ?? t("alert")}: ${s(d.description) ?? "?"}`);
      break;
    case "EncryptedRecord": {
      const bytes = String(m.length ?? d.length ?? "?");
      parts.push(s(d.contentType) ? t("{0}, {1} bytes, could not be decrypted", s(d.contentType)!, bytes) : t("{0} bytes, could not be decrypted", bytes));
      break;
    }
    default:
      if (typeof m.length === "number") parts.push(t("{0} bytes", m.length));
  }
  return parts.filter(Boolean).join(" · ");
}

function fieldValue(v: unknown, t: Translate): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return v.map(String).join(", ");
    return v.map((x) => fieldValue(x, t)).join("\n");
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.subject === "string") {
      const extra = [o.issuer ? t("issued by {0}", String(o.issuer)) : "", o.notAfter ? t("until {0}", formatTime(String(o.notAfter))) : ""].filter(Boolean).join(", ");
      return extra ? `${o.subject} (${extra})` : o.subject;
    }
    return JSON.stringify(v);
  }
  return String(v);
}

/** The detail fields' shown names (unknown ones are shown as they are). */
const fieldNames = (t: Translate): Record<string, string> => ({
  version: t("Version (record/legacy)"),
  supportedVersions: t("Supported versions"),
  selectedVersion: t("Selected version"),
  cipherSuites: t("Cipher suites"),
  cipherSuite: t("Cipher suite"),
  serverName: t("Server name (SNI)"),
  supportedGroups: t("Groups"),
  keyShares: t("Key shares"),
  keyShare: t("Key share"),
  selectedGroup: t("Requested group"),
  signatureAlgorithms: t("Signature algorithms"),
  signatureAlgorithm: t("Signature algorithm"),
  alpn: t("ALPN"),
  extensions: t("Extensions"),
  acceptableIssuers: t("Acceptable CAs"),
  certificateTypes: t("Certificate types"),
  certificates: t("Certificates"),
  count: t("Count"),
  empty: t("Empty"),
  level: t("Level"),
  description: t("Description"),
  keyExchange: t("Key exchange"),
  group: t("Group"),
  lifetimeSeconds: t("Lifetime (s)"),
  reason: t("Why not decrypted"),
});

function fields(m: HandshakeMessage, t: Translate): DiagramField[] {
  const out: DiagramField[] = [
    { name: t("Sent by"), value: m.from === "client" ? t("client") : t("server") },
    { name: t("Protection"), value: m.undecrypted ? t("encrypted (could not be decrypted)") : m.encrypted ? t("encrypted (decrypted by CertScope from the key log)") : t("plaintext") },
  ];
  if (typeof m.length === "number") out.push({ name: t("Length"), value: t("{0} bytes", m.length) });
  if (typeof m.time === "number") out.push({ name: t("Seen at"), value: t("{0} ms", m.time.toFixed(1)) });
  const names = fieldNames(t);
  for (const [k, v] of Object.entries(m.detail ?? {})) {
    if (k === "random") continue;
    const value = fieldValue(v, t);
    if (value === "") continue;
    out.push({ name: names[k] ?? k, value });
  }
  return out;
}

function isMutual(m: HandshakeMessage): boolean {
  return m.type === "CertificateRequest" || (m.from === "client" && (m.type === "Certificate" || m.type === "CertificateVerify"));
}

/**
 * Turns the engine's transcript into diagram rows: one arrow per message in wire order, plus notes where
 * encryption starts (TLS 1.3), where one-way and two-way TLS differ, and how it ended.
 */
export function buildDiagram(result: HandshakeResult, t: Translate = english): DiagramModel {
  const msgs = result.messages ?? [];
  const rows: DiagramRow[] = [];
  const requested = msgs.some((m) => m.type === "CertificateRequest") || result.clientCertificate?.requested === true;
  const is13 = /1\.3/.test(result.protocol ?? "") || msgs.some((m) => m.type === "ServerHello" && /1\.3/.test(String(m.detail?.selectedVersion ?? "")));
  let encryptedNoteDone = false;
  let oneWayNoteDone = false;
  // Where the server's first flight ends: TLS 1.2 ServerHelloDone; TLS 1.3 the server's Finished.
  const serverFlightEnd = msgs.findIndex((m) => m.from === "server" && (m.type === "ServerHelloDone" || (is13 && m.type === "Finished")));
  const serverReachedFlightEnd = serverFlightEnd >= 0;
  rows.push(...preambleRows(result, t));
  // The application exchange goes where it happened: before the alerts that followed it (close_notify, a rejection).
  const appAt = result.application?.at;
  // (The client's last flight may be timed just after the request was written: only alerts are placed after it.)
  const appIndex = appAt === undefined ? -1 : msgs.findIndex((m) => m.type === "Alert" && typeof m.time === "number" && m.time > appAt);

  msgs.forEach((m, index) => {
    if (index === appIndex) rows.push(...applicationRows(result, t));
    const encrypted = m.encrypted === true || m.undecrypted === true;
    if (encrypted && is13 && !encryptedNoteDone && m.from === "server") {
      rows.push({ kind: "note", tone: "encrypted", text: t("From here on the handshake is encrypted (TLS 1.3); CertScope decrypted it with the connection's own key log.") });
      encryptedNoteDone = true;
    }
    // close_notify is the ordinary end of a connection, not a problem: it is drawn like any other message.
    const alert = m.type === "Alert" && String(m.detail?.description ?? "") !== "close_notify";
    const fatal = alert && String(m.detail?.level ?? "") === "fatal";
    const mutual = isMutual(m);
    const label = m.type === "EncryptedRecord" ? t("Encrypted record") : m.type;
    const detail = messageDetail(m, t);
    const what = detail ? `${label}, ${detail}` : label;
    rows.push({
      kind: "message",
      index,
      from: m.from,
      type: m.type,
      label,
      detail,
      encrypted,
      undecrypted: m.undecrypted === true,
      alert,
      fatal,
      mutual,
      time: m.time,
      fields: fields(m, t),
      ariaLabel: (m.from === "client" ? t("{0}. Client to server: {1}", index + 1, what) : t("{0}. Server to client: {1}", index + 1, what)) + (encrypted ? t(", encrypted") : "") + (mutual ? t(", two-way TLS only") : ""),
    });
    if (m.type === "CertificateRequest") {
      const cas = arr(m.detail?.acceptableIssuers)?.map(String) ?? [];
      rows.push({
        kind: "note",
        tone: "mutual",
        text: cas.length
          ? t("Two-way TLS: the server asks the client to prove who it is with a certificate from {0}. One-way TLS has no CertificateRequest.", cas.join("; "))
          : t("Two-way TLS: the server asks the client to prove who it is. One-way TLS has no CertificateRequest."),
      });
    }
    if (index === serverFlightEnd && !requested && !oneWayNoteDone) {
      rows.push({ kind: "note", tone: "oneway", text: t("No CertificateRequest: one-way TLS. Only the server proves who it is; in two-way TLS a CertificateRequest would be here.") });
      oneWayNoteDone = true;
    }
  });

  if (!msgs.length) {
    rows.push({ kind: "note", tone: "error", text: result.diagnosis ? t("No TLS message was exchanged: {0}", result.diagnosis.summary) : t("No TLS message was exchanged.") });
  } else if (requested && result.clientCertificate && !result.clientCertificate.sent && !msgs.some((m) => m.from === "client" && m.type === "Certificate")) {
    // Nothing to add: the alert or diagnosis says it.
  }
  const lastAlert = [...msgs].reverse().find((m) => m.type === "Alert" && String(m.detail?.description ?? "") !== "close_notify");
  if (result.outcome === "success" || result.application?.refused) {
    rows.push({ kind: "note", tone: "ok", text: result.protocol ? (result.cipher ? t("Handshake complete ({0}, {1}).", result.protocol, result.cipher) : t("Handshake complete ({0}).", result.protocol)) : t("Handshake complete.") });
  } else if (msgs.length && !lastAlert && bothFinished(msgs)) {
    // TLS itself completed; what failed is the judgement after it (the server's chain, a closed connection).
    const done = result.protocol ? (result.cipher ? t("The TLS handshake completed ({0}, {1}); the test failed after it: see the diagnosis.", result.protocol, result.cipher) : t("The TLS handshake completed ({0}); the test failed after it: see the diagnosis.", result.protocol)) : t("The TLS handshake completed; the test failed after it: see the diagnosis.");
    rows.push({ kind: "note", tone: "error", text: done });
  } else if (msgs.length) {
    const level = String(lastAlert?.detail?.level ?? "");
    const description = String(lastAlert?.detail?.description ?? "");
    const text = !lastAlert
      ? t("Handshake failed.")
      : lastAlert.from === "client"
        ? t("Handshake failed. The client sent a {0} alert: {1}.", level, description)
        : t("Handshake failed. The server sent a {0} alert: {1}.", level, description);
    rows.push({ kind: "note", tone: "error", text });
  }

  if (result.application && appIndex < 0) rows.push(...applicationRows(result, t));

  const mode: DiagramModel["mode"] = requested ? "two-way" : serverReachedFlightEnd || result.outcome === "success" ? "one-way" : "unknown";
  const caption =
    mode === "two-way"
      ? result.clientCertificate?.sent
        ? t("Two-way (mutual) TLS: the server asked for a client certificate and the client sent one.")
        : t("Two-way (mutual) TLS: the server asked for a client certificate and the client sent none.")
      : mode === "one-way"
        ? t("One-way TLS: the server did not ask for a client certificate.")
        : t("The handshake did not get far enough to tell one-way from two-way TLS.");
  return { rows, mode, caption };
}

/** Both sides sent Finished: the TLS handshake itself completed. */
function bothFinished(msgs: HandshakeMessage[]): boolean {
  return msgs.some((m) => m.from === "server" && m.type === "Finished") && msgs.some((m) => m.from === "client" && m.type === "Finished");
}

// ───────────────────────────── equivalent commands ─────────────────────────────

export interface CommandInput {
  host: string;
  port: number;
  servername?: string;
  alpn?: string[];
  tlsMin?: string;
  tlsMax?: string;
  caFiles?: string[];
  /** No trust anchors beyond caFiles (system roots off). */
  noSystemRoots?: boolean;
  cert?: string;
  key?: string;
  pfx?: string;
  /** Credentials are encrypted: reference the passphrase through an environment variable, never inline. */
  passphrase?: boolean;
  /** The --starttls protocol (openssl's -starttls names: smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql). */
  starttls?: string;
  /** The HTTP proxy as host:port (never with credentials). */
  proxy?: string;
  /** The proxy needs credentials: placeholders are written, never the real ones. */
  proxyAuth?: boolean;
}

export const PROXY_PASS_ENV = "CERTSCOPE_PROXY_PASS";
/** curl URL schemes that speak STARTTLS with --ssl-reqd. */
const CURL_STARTTLS: Record<string, string> = { smtp: "smtp", imap: "imap", pop3: "pop3", ftp: "ftp", ldap: "ldap" };

/** POSIX shell quoting of one word: bare when safe, else single quotes (./safeText.ts). */
export const shellQuote = (v: string): string => shellWord(v);

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":");
const hostPort = (h: string, p: number) => (h.includes(":") ? `[${h}]:${p}` : `${h}:${p}`);
export const PASSPHRASE_ENV = "CERTSCOPE_PASSPHRASE";

/** The `openssl s_client` line that makes the same handshake (OpenSSL 3 syntax). */
export function opensslCommand(c: CommandInput): string {
  const a = ["openssl", "s_client", "-connect", hostPort(c.host, c.port)];
  if (c.starttls) a.push("-starttls", c.starttls);
  if (c.proxy) a.push("-proxy", c.proxy);
  if (c.proxy && c.proxyAuth) a.push("-proxy_user", "PROXY_USER", "-proxy_pass", `env:${PROXY_PASS_ENV}`);
  const sni = c.servername ?? (isIp(c.host) ? undefined : c.host);
  if (sni) a.push("-servername", sni);
  else a.push("-noservername");
  if (c.alpn?.length) a.push("-alpn", c.alpn.join(","));
  if (c.tlsMin) a.push("-min_protocol", `TLSv${c.tlsMin}`);
  if (c.tlsMax) a.push("-max_protocol", `TLSv${c.tlsMax}`);
  for (const f of c.caFiles ?? []) a.push("-CAfile", f);
  if (c.noSystemRoots) a.push("-no-CAfile", "-no-CApath", "-no-CAstore");
  if (c.pfx) a.push("-cert", c.pfx, "-key", c.pfx);
  else if (c.cert) {
    a.push("-cert", c.cert);
    if (c.key) a.push("-key", c.key);
  }
  if ((c.pfx || c.cert) && c.passphrase) a.push("-pass", `env:${PASSPHRASE_ENV}`);
  a.push("-showcerts", "-verify_return_error");
  return shellCommand(a) + " </dev/null";
}

/** The `curl` line that makes the same handshake (and an HTTPS request). */
export function curlCommand(c: CommandInput): string {
  if (c.starttls && !CURL_STARTTLS[c.starttls]) return `# curl does not speak ${c.starttls}'s STARTTLS: use the openssl line`;
  const a: (string | ShellPart[])[] = ["curl", "-v"];
  if (c.proxy) a.push("--proxy", `http://${c.proxy}`, ...(c.starttls ? ["--proxytunnel"] : []));
  if (c.proxy && c.proxyAuth) a.push("--proxy-user", "PROXY_USER");
  if (c.starttls) a.push("--ssl-reqd");
  const sni = c.servername && c.servername !== c.host ? c.servername : undefined;
  const urlHost = sni ?? c.host;
  if (sni) a.push("--resolve", `${sni}:${c.port}:${c.host}`);
  if (c.tlsMin) a.push(`--tlsv${c.tlsMin}`);
  if (c.tlsMax) a.push("--tls-max", c.tlsMax);
  for (const f of c.caFiles ?? []) a.push("--cacert", f);
  if (c.noSystemRoots && !(c.caFiles ?? []).length) a.push("--insecure");
  if (c.pfx) {
    a.push("--cert-type", "P12", "--cert", c.passphrase ? [`${c.pfx}:`, { env: PASSPHRASE_ENV }] : c.pfx);
  } else if (c.cert) {
    a.push("--cert", c.cert);
    if (c.key) a.push("--key", c.key);
    if (c.passphrase) a.push("--pass", [{ env: PASSPHRASE_ENV }]);
  }
  if (c.alpn?.length && !c.alpn.includes("h2")) a.push("--http1.1");
  a.push(`${c.starttls ? CURL_STARTTLS[c.starttls] : "https"}://${urlHost.includes(":") ? `[${urlHost}]` : urlHost}:${c.port}/`);
  // The passphrase variable expands ("$VAR"); everything else, file names included, is single-quoted.
  return shellCommand(a);
}

// ───────────────────────────── Markdown export ─────────────────────────────

const mdCell = (v: string) => v.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

/** The run as a Markdown report: what a ticket or a pull request needs. */
export function resultToMarkdown(result: HandshakeResult, opts: { startedAt?: string; commands?: { openssl: string; curl: string } } = {}): string {
  const t = result.target;
  const out: string[] = [];
  out.push(`# TLS handshake with ${hostPort(t.host, t.port)}${t.servername ? ` (SNI ${t.servername})` : ""}`, "");
  out.push(`**Outcome:** ${result.outcome === "success" ? "✅ success" : "❌ failure"}${opts.startedAt ? ` — ${opts.startedAt}` : ""}`, "");
  if (result.diagnosis) {
    out.push(`**Diagnosis (\`${result.diagnosis.category}\`):** ${result.diagnosis.summary}`, "", `**Fix:** ${result.diagnosis.fix}`, "");
    for (const a of result.diagnosis.also ?? []) out.push(`**Also (\`${a.category}\`):** ${a.summary}`, "", `**Fix:** ${a.fix}`, "");
  }
  const neg: [string, string | undefined][] = [
    ["Protocol", result.protocol],
    ["Cipher suite", result.cipher],
    ["Group", result.group],
    ["ALPN", result.alpn === null ? "(none)" : result.alpn],
  ];
  if (neg.some(([, v]) => v)) {
    out.push("| Negotiated | |", "|---|---|");
    for (const [k, v] of neg) if (v) out.push(`| ${k} | ${mdCell(v)} |`);
    out.push("");
  }
  if (result.starttls || result.proxy) {
    out.push(`**Connection:** ${[result.proxy ? `through the HTTP proxy ${result.proxy}` : "", result.starttls ? `STARTTLS (${result.starttls})` : ""].filter(Boolean).join(", then ")}`, "");
  }
  const pre = (result.preamble ?? []).filter((p) => p.step !== "tcp" && p.from !== "note");
  if (pre.length) {
    out.push("## Before TLS (plaintext)", "", "```", ...pre.map((p) => `${p.from === "client" ? "C:" : "S:"} ${p.text}`), "```", "");
  }
  const d = buildDiagram(result);
  out.push("## Messages", "", `_${d.caption}_`, "", "| # | direction | message | detail |", "|---|---|---|---|");
  for (const r of d.rows) {
    if (r.kind !== "message") continue;
    const dir = r.from === "client" ? "client → server" : "server → client";
    out.push(`| ${r.index + 1} | ${dir} | ${r.encrypted ? "🔒 " : ""}${r.alert ? "⚠ " : ""}${mdCell(r.label)}${r.mutual ? " _(two-way only)_" : ""} | ${mdCell(r.detail)} |`);
  }
  out.push("");
  if (result.application) {
    const app = result.application;
    out.push(`## Application (${app.protocol}, encrypted)`, "", "```", `C: ${app.request}`, `S: ${app.answer ?? `(${app.noAnswer ?? "no answer"})`}`, "```", "");
    if (app.refused) out.push("The application refused the connection because of the client certificate.", "");
  }
  const cc = result.clientCertificate;
  if (cc) {
    out.push("## Client certificate", "");
    out.push(`- Requested: ${cc.requested ? "yes" : "no"}${cc.required !== undefined ? ` (required: ${cc.required ? "yes" : "no"})` : ""}`);
    if (cc.acceptableIssuers?.length) out.push(`- Acceptable CAs: ${cc.acceptableIssuers.map((x) => `\`${x}\``).join(", ")}`);
    out.push(`- Sent: ${cc.sent ? `yes${cc.subject ? ` — \`${cc.subject}\`` : ""}${cc.issuer ? ` issued by \`${cc.issuer}\`` : ""}` : "no"}`, "");
  }
  if (result.serverChain?.length) {
    out.push("## Server chain (as sent)", "");
    result.serverChain.forEach((c, i) => {
      const probs = (result.validation?.problems ?? []).filter((p) => p.certIndex === i).map((p) => p.message);
      out.push(`${i + 1}. \`${c.subject.text}\` — issued by \`${c.issuer.text}\`, valid ${formatTime(c.notBefore)} → ${formatTime(c.notAfter)}${probs.length ? ` — ⚠ ${probs.join("; ")}` : ""}`);
    });
    out.push("");
  }
  if (result.validation) {
    out.push(`**Chain validation:** ${result.validation.valid ? "valid" : "not valid"}`, "");
    const general = result.validation.problems.filter((p) => p.certIndex === undefined);
    for (const p of general) out.push(`- ${p.code}: ${p.message}`);
    if (general.length) out.push("");
  }
  if (result.warnings?.length) {
    out.push("## Warnings", "", ...result.warnings.map((w) => `- ${w}`), "");
  }
  if (result.timing && Object.keys(result.timing).length) {
    out.push("## Timing", "", "| phase | ms |", "|---|---|");
    for (const [k, v] of Object.entries(result.timing)) out.push(`| ${mdCell(k)} | ${typeof v === "number" ? v.toFixed(1) : String(v)} |`);
    out.push("");
  }
  if (opts.commands) {
    out.push("## Reproduce", "", "```sh", opts.commands.openssl, opts.commands.curl, "```", "");
  }
  out.push("_Generated by CertScope._", "");
  return out.join("\n");
}

// ───────────────────────────── CLI words → form words ─────────────────────────────

/** A phrase as a global pattern matching it literally. */
const phrase = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "g");

/**
 * The flags and the form's words for them, in the display language. The two phrases with words in them
 * ("--cert/--key or --pfx", "--ca files") are translated too, since a translated diagnosis says them in its
 * language.
 */
const flagWords = (t: Translate): [RegExp, string][] => [
  [phrase(t("--cert/--key or --pfx")), t("a client certificate (PEM certificate + key, or PKCS#12)")],
  [/--cert\/--key/g, t("a PEM client certificate + key")],
  [/--passphrase-env(?: VAR)?/g, t("the passphrase")],
  [/--pfx(?: FILE)?/g, t("a PKCS#12 file")],
  [/--cert(?: FILE)?/g, t("the client certificate file")],
  [/--key(?: FILE)?/g, t("the private key file")],
  [phrase(t("--ca files")), t("CA files (Trust: CA file(s) I choose)")],
  [/--ca(?: FILE)?/g, t("a CA file (Trust: CA file(s) I choose)")],
  [/--no-system-roots/g, t("a trust option without the system roots")],
  [/--servername(?: NAME)?/g, t("Server name (SNI)")],
  [/--tls-min\/--tls-max/g, t("TLS min / TLS max")],
  [/--tls-min/g, t("TLS min")],
  [/--tls-max/g, t("TLS max")],
  [/--alpn(?: LIST)?/g, "ALPN"],
  [/--timeout(?: MS)?/g, t("Timeout")],
  [/--keylog(?: FILE)?/g, t("Write key log")],
];

/**
 * The engine's diagnosis speaks the CLI's language ("Run again with --cert/--key or --pfx"). In the panel the
 * same advice names the form's fields instead. Display only: exports keep the contract's text.
 */
export function formWords(text: string, t: Translate = english): string {
  let out = text;
  // A function replacement: the words are inserted as they are ("$" in a translation is not a pattern).
  for (const [re, words] of flagWords(t)) out = out.replace(re, () => words);
  return out;
}
