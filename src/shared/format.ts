/**
 * CertScope's one vocabulary: how every surface (CLI human reports, tree, hover, diagnostics, viewer, handshake
 * panel) writes a kind of value. One form per kind:
 *
 *   a time            2027-12-03 07:14:35 UTC        (certscope.display.timeZone "local": 2027-12-03 08:14:35 UTC+01:00)
 *   a day             2027-12-03
 *   hex identifiers   AB:CD:01:…  — serial numbers, fingerprints and the SPKI SHA-256, upper case, colon-separated
 *                     (the form `openssl x509 -fingerprint` and browsers show)
 *   a TLS version     TLSv1.2, TLSv1 for 1.0 (input: 1.2, TLSv1.2, tls1.2, TLS 1.2 — all accepted)
 *   a chain link's origin   plain words with a tooltip (chainSourceBadge)
 *
 * The JSON contract is not touched by any of this: JSON keeps ISO 8601 times and lowercase hex.
 * Pure: no vscode, no Node, no DOM — both bundles (host and webview) import it.
 */

/** How times are shown: in UTC (the default, as certificates state them) or in the machine's local time zone. */
export type DisplayTimeZone = "utc" | "local";

// On globalThis, not in this module: the extension host runs several bundles (extension.js, core.js, handshake.js)
// that each carry their own copy of this module, and the setting must reach all of them.
const ZONE_KEY = "__certscopeDisplayTimeZone";
type ZoneHolder = { [ZONE_KEY]?: DisplayTimeZone };

/** Sets the zone every `formatTime` without an explicit zone uses (the adapters follow `certscope.display.timeZone`). */
export function setDisplayTimeZone(zone: unknown): DisplayTimeZone {
  const z: DisplayTimeZone = zone === "local" ? "local" : "utc";
  (globalThis as ZoneHolder)[ZONE_KEY] = z;
  return z;
}

export function displayTimeZone(): DisplayTimeZone {
  return (globalThis as ZoneHolder)[ZONE_KEY] ?? "utc";
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function toMs(value: string | Date | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * "2027-12-03 07:14:35 UTC" (or, in local time, "2027-12-03 08:14:35 UTC+01:00"). Text that is not a time is
 * returned as it is, so a malformed date still shows what the certificate says.
 */
export function formatTime(value: string | Date | number | undefined, zone: DisplayTimeZone = displayTimeZone()): string {
  const ms = toMs(value);
  if (ms === undefined) return typeof value === "string" ? value : "";
  const d = new Date(ms);
  if (zone === "utc") return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC`;
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? "-" : "+";
  const zoneText = off === 0 ? "UTC" : `UTC${sign}${pad2(Math.floor(Math.abs(off) / 60))}:${pad2(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zoneText}`;
}

/** "2027-12-03": the day of a time, in the display zone. */
export function formatDay(value: string | Date | number | undefined, zone: DisplayTimeZone = displayTimeZone()): string {
  const ms = toMs(value);
  if (ms === undefined) return typeof value === "string" ? value : "";
  return formatTime(ms, zone).slice(0, 10);
}

/** "AB:CD:…" — serial numbers, fingerprints, SPKI hashes, key identifiers: one form for every hex identifier. */
export function hexId(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, "").toUpperCase();
  return (clean.match(/.{1,2}/g) ?? []).join(":");
}

/** A serial number as every surface shows it (hexId of the contract's lowercase hex). */
export const formatSerial = hexId;
/** A SHA-1 / SHA-256 fingerprint as every surface shows it. */
export const formatFingerprint = hexId;
/** The SHA-256 of a SubjectPublicKeyInfo as every surface shows it. */
export const formatSpkiHash = hexId;

// ───────────────────────────── TLS versions ─────────────────────────────

export type TlsVersionNumber = "1.0" | "1.1" | "1.2" | "1.3";
export const TLS_VERSION_NUMBERS: readonly TlsVersionNumber[] = ["1.0", "1.1", "1.2", "1.3"];

/**
 * A TLS version as a user may write it — `1.2`, `TLSv1.2`, `tls1.2`, `TLS 1.2`, `TLSv1` (= 1.0) — as the number
 * the engine takes; undefined when it is none of them.
 */
export function parseTlsVersion(text: string): TlsVersionNumber | undefined {
  const m = /^\s*(?:tls\s*v?\s*)?(1)(?:\.([0-3]))?\s*$/i.exec(text);
  if (!m) return undefined;
  // A bare "1" is not a version; "TLSv1" (OpenSSL's name) is 1.0.
  if (m[2] === undefined && !/^\s*tls/i.test(text)) return undefined;
  return `1.${m[2] ?? "0"}` as TlsVersionNumber;
}

/** "TLSv1.2": how every surface names a TLS version — the names Node, OpenSSL and the JSON use (1.0 is "TLSv1"). */
export function tlsVersionName(v: TlsVersionNumber): string {
  return v === "1.0" ? "TLSv1" : `TLSv${v}`;
}

// ───────────────────────────── chain link origins ─────────────────────────────

/** Where a chain link came from (the contract's `chain[].source`). */
export type ChainSourceCode = "leaf" | "file" | "untrusted" | "trusted" | "system" | "aia";

export interface Badge {
  /** A word or two a user can read without knowing the code. */
  text: string;
  /** One sentence saying what it means. */
  tooltip: string;
}

const SOURCE_BADGES: Record<ChainSourceCode, Badge> = {
  leaf: { text: "end entity", tooltip: "The certificate being checked: the first one in the file or the server's own certificate." },
  file: { text: "from the file", tooltip: "An intermediate certificate that came with the end-entity certificate, in the same file." },
  untrusted: { text: "intermediate you added", tooltip: "An intermediate certificate you supplied for building the path (--untrusted or workspace files); it confers no trust." },
  trusted: { text: "trust anchor", tooltip: "A certificate you chose to trust (--trusted / --ca, or the CA files in the settings)." },
  system: { text: "system root", tooltip: "A root certificate from the system (Node) root store." },
  aia: { text: "downloaded", tooltip: "An intermediate fetched from the URL in the certificate's Authority Information Access extension; it confers no trust." },
};

const SERVER_BADGES: Partial<Record<ChainSourceCode, Badge>> = {
  leaf: { text: "server certificate", tooltip: "The server's own certificate, the first one it sent." },
  file: { text: "sent by the server", tooltip: "An intermediate certificate the server sent with its own." },
};

/** A translator (vscode.l10n.t on the host, webview/l10n.ts's t in a page); the default keeps the English. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;
/** English: the message itself, with {0}, {1}, … replaced by the arguments (as vscode.l10n.t does). */
export const english: Translate = (m, ...args) => (args.length ? m.replace(/\{(\d+)\}/g, (all, i: string) => (args[Number(i)] === undefined ? all : String(args[Number(i)]))) : m);

/**
 * The plain words and tooltip for a chain link's origin (unknown codes are shown as they are). `from` says
 * where the chain came from: a file (verify, the tree) or a server (a handshake), which changes what "file" means.
 * The words are the tables' values, translated by `t` (scripts/l10n.mjs reads the tables).
 */
export function chainSourceBadge(source: string, from: "file" | "server" = "file", t: Translate = english): Badge {
  if (!Object.prototype.hasOwnProperty.call(SOURCE_BADGES, source)) return { text: source, tooltip: source };
  const code = source as ChainSourceCode;
  const { text, tooltip } = (from === "server" ? SERVER_BADGES[code] : undefined) ?? SOURCE_BADGES[code];
  return { text: t(text), tooltip: t(tooltip) };
}

/**
 * A translator that writes English (exactly as `english`) and remembers how each text was made, so the texts of
 * one engine run can be said again in the display language afterwards (`again`). The engine runs once; its
 * English result stays the contract (CLI, JSON, exports) and the panels show `again(text, vscode.l10n.t)`.
 * Arguments that this translator made themselves ("today", a reason) are said again too; any other text
 * (a subject name, a server's answer) is kept as it is.
 */
/** What a recording translator made: each English text with its message and arguments (plain data, clonable). */
export type Recorded = [string, { message: string; args: (string | number | boolean)[] }][];

export function recordingTranslator(): { t: Translate; again: (text: string, to: Translate) => string; made: () => Recorded; absorb: (r: Recorded) => void } {
  const made = new Map<string, { message: string; args: (string | number | boolean)[] }>();
  const t: Translate = (message, ...args) => {
    const text = english(message, ...args);
    if (!made.has(text)) made.set(text, { message, args });
    return text;
  };
  const again = (text: string, to: Translate, depth = 0): string => {
    const m = made.get(text);
    // Depth-bounded: a text that is its own argument ("{0}" with itself) must not recurse forever.
    if (!m || depth > 8) return text;
    return to(m.message, ...m.args.map((a) => (typeof a === "string" ? again(a, to, depth + 1) : a)));
  };
  return {
    t,
    again: (text, to) => again(text, to),
    // Across a thread: texts made by a recorder in the decoding worker are said again here too.
    made: () => [...made],
    absorb: (r) => {
      for (const [text, m] of r) if (!made.has(text)) made.set(text, m);
    },
  };
}
