/** A scan result as the CLI's human report and as Markdown (the panel's export). */
import type { ScanFinding, ScanResult, ScanSuite } from "../../../shared/scanModel";
import { VERSION_TEXT } from "../../../shared/scanModel";

const VTEXT = VERSION_TEXT;
const SEVERITIES: ScanFinding["severity"][] = ["critical", "warning", "info"];

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function suiteExtra(s: ScanSuite): string {
  return [s.group, s.dhBits ? `DH ${s.dhBits} bits` : ""].filter(Boolean).join(", ");
}

function cipherText(s: ScanSuite): string {
  const p = s.parts;
  return `${p.keyExchange}/${p.authentication} ${p.cipher} ${p.mac}${p.forwardSecrecy ? "" : " no-FS"}`;
}

/** As `certscope handshake` says it: " after STARTTLS (smtp)". */
function afterStarttls(r: ScanResult): string {
  return r.target.starttls ? ` after STARTTLS (${r.target.starttls})` : "";
}

export function renderScanText(r: ScanResult): string {
  const L: string[] = [];
  L.push(`Scan of ${r.target.host}:${r.target.port}${r.target.servername ? ` (SNI ${r.target.servername})` : ""}${afterStarttls(r)}: ${r.elapsedMs} ms, ${r.connections} connections (cap ${r.maxConnections}, ${r.concurrency} at a time)`);
  L.push("");
  L.push("Protocols");
  for (const p of r.protocols) L.push(`  ${pad(VTEXT[p.version] ?? p.version, 8)} ${p.supported ? "yes" : "no"}`);
  for (const v of [...new Set(r.cipherSuites.map((s) => s.version))].reverse()) {
    const list = r.cipherSuites.filter((s) => s.version === v);
    const pref = r.serverPreference[v];
    L.push("");
    L.push(`Cipher suites, ${VTEXT[v] ?? v} (${list.length}; ${pref === undefined ? "one suite" : pref ? "server's order" : "client's order: the server follows the client"})`);
    const w = Math.max(...list.map((s) => s.name.length));
    for (const s of list) L.push(`  ${pad(s.strength, 10)} ${pad(s.name, w)}  ${pad(cipherText(s), 40)} ${suiteExtra(s)}`.trimEnd());
  }
  L.push("");
  L.push(`Groups: ${r.groups.length ? r.groups.join(", ") : "none found"}`);
  for (const [v, g] of Object.entries(r.groupsByVersion)) L.push(`  ${VTEXT[v] ?? v}: ${g.join(", ")}`);
  L.push("");
  L.push(`Certificates (${r.certificates.length} chain${r.certificates.length === 1 ? "" : "s"})`);
  r.certificates.forEach((chain, i) => {
    const leaf = chain[0];
    if (!leaf) return;
    const key = leaf.publicKey ? `${leaf.publicKey.algorithm}${leaf.publicKey.curve ? ` ${leaf.publicKey.curve}` : leaf.publicKey.bits ? ` ${leaf.publicKey.bits}` : ""}` : "?";
    L.push(`  [${i}] ${leaf.subject.text} — ${key}, until ${leaf.notAfter.slice(0, 10)}, ${chain.length} certificate${chain.length === 1 ? "" : "s"}, SHA-256 ${leaf.fingerprints.sha256.slice(0, 16)}…`);
  });
  L.push("");
  L.push(`OCSP stapling: ${r.ocspStapling ? "yes" : "no"}   Secure renegotiation: ${yn(r.secureRenegotiation)}   TLS_FALLBACK_SCSV: ${yn(r.fallbackScsv)}`);
  L.push(`Mozilla profile: ${r.mozilla.meets ?? "none"}${r.mozilla.next ? ` (to reach '${r.mozilla.next}': ${r.mozilla.blockers.join("; ")})` : ""}`);
  for (const sev of SEVERITIES) {
    const fs = r.findings.filter((f) => f.severity === sev);
    if (!fs.length) continue;
    L.push("");
    L.push(`${sev.toUpperCase()} (${fs.length})`);
    for (const f of fs) {
      L.push(`  - ${f.message}`);
      L.push(`    Fix: ${f.fix}`);
      if (f.config) for (const [srv, line] of Object.entries(f.config)) L.push(`    ${pad(srv + ":", 8)} ${line.replace(/\n/g, `\n${" ".repeat(13)}`)}`);
    }
  }
  L.push("");
  L.push(`Suite anatomy: IANA TLS Cipher Suites registry, copy of ${r.suiteRegistry.date}.`);
  return L.join("\n") + "\n";
}

function yn(v: boolean | null): string {
  return v === null ? "n/a" : v ? "yes" : "no";
}

function md(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderScanMarkdown(r: ScanResult): string {
  const L: string[] = [];
  L.push(`# TLS scan of ${r.target.host}:${r.target.port}${afterStarttls(r)}`);
  L.push("");
  L.push(`${r.elapsedMs} ms, ${r.connections} connections (cap ${r.maxConnections}). Mozilla profile: **${r.mozilla.meets ?? "none"}**${r.mozilla.next ? ` — to reach *${r.mozilla.next}*: ${md(r.mozilla.blockers.join("; "))}` : ""}.`);
  L.push("");
  L.push("## Protocols");
  L.push("");
  L.push("| Version | Supported |");
  L.push("|---|---|");
  for (const p of r.protocols) L.push(`| ${VTEXT[p.version] ?? p.version} | ${p.supported ? "yes" : "no"} |`);
  L.push("");
  L.push("## Cipher suites");
  L.push("");
  L.push("| Version | Suite | Key exchange | Authentication | Cipher | MAC | Forward secrecy | Group / DH | Strength |");
  L.push("|---|---|---|---|---|---|---|---|---|");
  for (const s of r.cipherSuites)
    L.push(`| ${VTEXT[s.version] ?? s.version} | \`${s.name}\` | ${s.parts.keyExchange} | ${s.parts.authentication} | ${s.parts.cipher} | ${s.parts.mac} | ${s.parts.forwardSecrecy ? "yes" : "no"} | ${suiteExtra(s)} | ${s.strength} |`);
  L.push("");
  L.push(`Server preference: ${Object.entries(r.serverPreference).map(([v, p]) => `${VTEXT[v] ?? v} ${p ? "server's order" : "client's order"}`).join(", ") || "n/a"}. Groups: ${r.groups.join(", ") || "none"}.`);
  L.push("");
  L.push("## Certificates");
  L.push("");
  for (const chain of r.certificates) L.push(`- ${md(chain[0]?.subject.text ?? "?")} (${chain[0]?.publicKey?.algorithm ?? "?"}), until ${chain[0]?.notAfter.slice(0, 10) ?? "?"}, SHA-256 \`${chain[0]?.fingerprints.sha256 ?? ""}\``);
  L.push("");
  L.push(`OCSP stapling: ${r.ocspStapling ? "yes" : "no"}; secure renegotiation: ${yn(r.secureRenegotiation)}; TLS_FALLBACK_SCSV: ${yn(r.fallbackScsv)}.`);
  L.push("");
  L.push("## Findings");
  for (const sev of SEVERITIES) {
    const fs = r.findings.filter((f) => f.severity === sev);
    if (!fs.length) continue;
    L.push("");
    L.push(`### ${sev[0].toUpperCase()}${sev.slice(1)}`);
    for (const f of fs) {
      L.push("");
      L.push(`- **${f.code}**: ${f.message}`);
      L.push(`  *Fix:* ${f.fix}`);
      if (f.config) {
        L.push("");
        L.push("  ```");
        for (const [srv, line] of Object.entries(f.config)) L.push(`  # ${srv}\n  ${line.replace(/\n/g, "\n  ")}`);
        L.push("  ```");
      }
    }
  }
  L.push("");
  L.push(`_Suite anatomy: IANA TLS Cipher Suites registry, copy of ${r.suiteRegistry.date}._`);
  return L.join("\n") + "\n";
}
