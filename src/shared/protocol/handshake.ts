/**
 * The typed protocol between the "Test TLS Handshake" webview (webview/views/handshake.ts) and its host
 * (src/adapters/handshake/panel.ts). One module, both sides; no vscode and no Node here.
 *
 * Flow: the page posts `ready`; the host answers with `handshake/state`. Every other page message is a
 * request with an `id`, and the host answers each one with exactly one `handshake/response` (ok or an error in
 * plain words) — a request never stays unanswered. Results and progress arrive as their own messages.
 *
 * What never crosses: private keys, passphrases, key-log secrets. The page only ever sees file paths, the
 * certificates' public data and the engine's result (the `certscope handshake --json` contract).
 */
import type { HandshakeResult } from "../model";
import { parseTlsVersion, type DisplayTimeZone } from "../format";
import { isStartTlsProtocol, type StartTlsProtocol } from "../starttls";
import type { RunTexts } from "../runTexts";

// ───────────────────────────── form ─────────────────────────────

export type TrustMode = "system" | "bundle" | "workspace" | "none";
export type CredentialKind = "none" | "pem" | "pkcs12";
export type TlsVersionChoice = "" | "1.0" | "1.1" | "1.2" | "1.3";

export const TRUST_MODES: readonly TrustMode[] = ["system", "bundle", "workspace", "none"];
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ["none", "pem", "pkcs12"];
export const TLS_VERSIONS: readonly TlsVersionChoice[] = ["", "1.0", "1.1", "1.2", "1.3"];

/** What the user filled in. Paths are absolute file-system paths chosen on the host; never secrets. */
export interface HandshakeForm {
  /** Host name, IP literal, or a URL (https://host:port/…) that the host splits. */
  host: string;
  port: number | null;
  servername: string;
  /** Comma-separated ALPN protocols. */
  alpn: string;
  tlsMin: TlsVersionChoice;
  tlsMax: TlsVersionChoice;
  trust: TrustMode;
  /** For trust "bundle": the CA files. */
  caFiles: string[];
  timeoutMs: number;
  credentialKind: CredentialKind;
  certFile: string;
  keyFile: string;
  pfxFile: string;
  /** Remember the passphrase (if one is asked) in the OS secret store, once it proved right. */
  rememberPassphrase: boolean;
  /** Upgrade this plaintext protocol first (STARTTLS); "" = TLS from the first byte. Suggested from the port. */
  starttls?: "" | StartTlsProtocol;
  /** After the handshake, one harmless request in the protocol above TLS (default true). */
  appProbe?: boolean;
}

export function emptyForm(timeoutMs = 10_000): HandshakeForm {
  return {
    host: "",
    port: 443,
    servername: "",
    alpn: "",
    tlsMin: "",
    tlsMax: "",
    trust: "system",
    caFiles: [],
    timeoutMs,
    credentialKind: "none",
    certFile: "",
    keyFile: "",
    pfxFile: "",
    rememberPassphrase: false,
    starttls: "",
    appProbe: true,
  };
}

/** Splits "host", "host:port", "[v6]:port" or "https://host:port/path" into host and port. */
export function parseTarget(input: string, fallbackPort: number | null): { host: string; port: number | null } | { error: string } {
  let s = input.trim();
  if (!s) return { error: "Enter a host name, an IP address or a URL." };
  let port = fallbackPort;
  const url = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (url) {
    const scheme = url[1].toLowerCase();
    const defaults: Record<string, number> = { https: 443, wss: 443, ldaps: 636, smtps: 465, imaps: 993, pop3s: 995, ftps: 990 };
    s = s.slice(url[0].length).replace(/[/?#].*$/, "").replace(/^[^@]*@/, "");
    port = defaults[scheme] ?? port;
  }
  let host = s;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    if (v6[2]) port = Number(v6[2]);
  } else {
    const hp = /^([^:]+):(\d+)$/.exec(s);
    if (hp) {
      host = hp[1];
      port = Number(hp[2]);
    }
  }
  if (!host || /\s/.test(host)) return { error: `'${input}' is not a host name, an IP address or a URL.` };
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535) return { error: `Port must be a number from 1 to 65535.` };
  return { host, port };
}

// ───────────────────────────── view state ─────────────────────────────

export type Tone = "ok" | "warning" | "error" | "info";

export interface CredentialHint {
  tone: Tone;
  text: string;
}

/** A saved endpoint of `certscope.endpoints`, as the page lists it. */
export interface EndpointSummary {
  index: number;
  label: string;
  description: string;
  /** Comes from the workspace's settings (as opposed to user settings). */
  fromWorkspace: boolean;
}

export interface RecentRunSummary {
  runId: string;
  startedAt: string;
  label: string;
  outcome: "success" | "failure";
  category?: string;
  protocol?: string;
}

/** The local test server of the mTLS lab, when one is running. */
export interface LabInfo {
  host: string;
  port: number;
  mode: "one-way" | "optional" | "required";
  kitDir: string;
}

/**
 * Whether the chosen credential takes a passphrase, and whether one is remembered: the page shows "Remember" and
 * "Forget" only when they mean something. `needed`: "no" (no file, an unencrypted key), "yes" (an encrypted key),
 * "maybe" (PKCS#12: CertScope tries an empty password first).
 */
export interface PassphraseState {
  needed: "no" | "yes" | "maybe";
  remembered: boolean;
}

export interface HandshakeViewState {
  form: HandshakeForm;
  hints: CredentialHint[];
  passphrase?: PassphraseState;
  endpoints: EndpointSummary[];
  recent: RecentRunSummary[];
  lab?: LabInfo;
  /** The workspace is trusted (vscode.workspace.isTrusted). */
  trusted: boolean;
  running: boolean;
  /** The last result shown, if any (so a reloaded page shows it again). */
  last?: RunResult;
  /** How times are shown (`certscope.display.timeZone`); absent means UTC. */
  timeZone?: DisplayTimeZone;
}

export interface RunResult {
  runId: string;
  startedAt: string;
  result: HandshakeResult;
  /** A key log was recorded for this run and can be saved (the secrets themselves stay on the host). */
  keylogAvailable: boolean;
  /**
   * When this run could not tell whether the server requires a client certificate (it sent one): what an
   * earlier run against the same host and port showed, so the panel says what is known instead of "unknown".
   */
  requiredEarlier?: { required: boolean; startedAt: string };
  /** Host side only: the diagnosis and warnings in the display language (../runTexts; the page gets them in `result`). */
  texts?: RunTexts;
}

// ───────────────────────────── messages ─────────────────────────────

/** Page → host: the page has mounted and wants the state. */
export interface ReadyMessage {
  type: "ready";
}

/** Page → host: run the handshake with this form. Answered at once; the result comes as `handshake/result`. */
export interface RunRequest {
  type: "handshake/run";
  id: number;
  form: HandshakeForm;
}

/** Page → host: cancel the running handshake. */
export interface CancelRequest {
  type: "handshake/cancel";
  id: number;
}

export type PickRole = "cert" | "key" | "pfx" | "ca";
export const PICK_ROLES: readonly PickRole[] = ["cert", "key", "pfx", "ca"];

/** Page → host: choose a file for one role (quick pick of workspace files found by content, or a dialog). */
export interface PickRequest {
  type: "handshake/pick";
  id: number;
  role: PickRole;
  form: HandshakeForm;
}

/** Page → host: the credential choice changed; send hints (key matches certificate, EKU, expiry). */
export interface CheckRequest {
  type: "handshake/check";
  id: number;
  form: HandshakeForm;
}

export type HandshakeAction =
  | "openCert"
  | "saveChain"
  | "exportJson"
  | "exportMarkdown"
  | "copyOpenssl"
  | "copyCurl"
  | "saveKeylog"
  | "saveEndpoint"
  | "forgetPassphrase"
  | "scanServer";
export const HANDSHAKE_ACTIONS: readonly HandshakeAction[] = [
  "openCert",
  "saveChain",
  "exportJson",
  "exportMarkdown",
  "copyOpenssl",
  "copyCurl",
  "saveKeylog",
  "saveEndpoint",
  "forgetPassphrase",
  "scanServer",
];

/** Page → host: an action on the shown run (or the form, for copy*, saveEndpoint and forgetPassphrase). */
export interface ActionRequest {
  type: "handshake/action";
  id: number;
  action: HandshakeAction;
  form: HandshakeForm;
  /** openCert: index into the result's serverChain. */
  index?: number;
}

/** Page → host: fill the form from a saved endpoint (never runs it by itself). */
export interface LoadEndpointRequest {
  type: "handshake/loadEndpoint";
  id: number;
  index: number;
}

/** Page → host: show a recent run again (`rerun`: run its form again). */
export interface RecentRequest {
  type: "handshake/recent";
  id: number;
  runId: string;
  rerun: boolean;
}

/** Page → host: fill the form for the running lab server, with or without the kit's client certificate. */
export interface UseLabRequest {
  type: "handshake/useLab";
  id: number;
  withClientCert: boolean;
}

export type HandshakeRequest = RunRequest | CancelRequest | PickRequest | CheckRequest | ActionRequest | LoadEndpointRequest | RecentRequest | UseLabRequest;
export type HandshakePageToHost = ReadyMessage | HandshakeRequest;

/** Host → page: the whole state (initially, and when endpoints, recent runs or the lab change). */
export interface StateMessage {
  type: "handshake/state";
  state: HandshakeViewState;
}

/** Host → page: replace the form (a pick, a loaded endpoint, the lab) and its hints. */
export interface FormMessage {
  type: "handshake/form";
  form: HandshakeForm;
  hints: CredentialHint[];
  passphrase?: PassphraseState;
}

/** Host → page: a run started or ended (`running: false` also after a cancel). */
export interface RunningMessage {
  type: "handshake/running";
  running: boolean;
  /** Plain-words phase, e.g. "Connecting to example.com:443…". */
  phase?: string;
  /** With `running: false`: the run could not start or crashed (bad input, unreadable file), in plain words. */
  error?: string;
}

/** Host → page: a run finished (success or failure: both are results). */
export interface ResultMessage {
  type: "handshake/result";
  run: RunResult;
}

/** Host → page: the answer to one request. */
export interface ResponseMessage {
  type: "handshake/response";
  id: number;
  ok: boolean;
  /** When `ok` is false: plain words for the page to show. */
  error?: string;
  /** When `ok` is true: a short confirmation to show (e.g. "Copied."). */
  info?: string;
}

export type HandshakeHostToPage = StateMessage | FormMessage | RunningMessage | ResultMessage | ResponseMessage;

// ───────────────────────────── runtime guards ─────────────────────────────

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

const MAX_TEXT = 4096;
const str = (v: unknown, max = MAX_TEXT): v is string => typeof v === "string" && v.length <= max;

function tlsChoice(v: unknown): TlsVersionChoice | undefined {
  if (v === "") return "";
  return typeof v === "string" && v.length <= 16 ? parseTlsVersion(v) : undefined;
}

/** Validates a form from the page; returns the form or the reason it is not one. */
export function parseForm(v: unknown): HandshakeForm | { invalid: string } {
  if (!isObj(v)) return { invalid: "form is not an object" };
  for (const k of ["host", "servername", "alpn", "certFile", "keyFile", "pfxFile"] as const) {
    if (!str(v[k])) return { invalid: `form.${k} must be a string` };
  }
  if (!(v.port === null || (typeof v.port === "number" && Number.isInteger(v.port) && v.port >= 0 && v.port <= 65535))) return { invalid: "form.port must be a port number or null" };
  // "1.2", "TLSv1.2" and "tls1.2" are one version (src/shared/format.ts): normalised to "1.2".
  const tlsMin = tlsChoice(v.tlsMin);
  const tlsMax = tlsChoice(v.tlsMax);
  if (tlsMin === undefined || tlsMax === undefined) return { invalid: "form.tlsMin/tlsMax must be '', 1.0, 1.1, 1.2 or 1.3 (or TLSv1.2, tls1.2 …)" };
  if (!(TRUST_MODES as readonly unknown[]).includes(v.trust)) return { invalid: `form.trust must be one of ${TRUST_MODES.join(", ")}` };
  if (!(CREDENTIAL_KINDS as readonly unknown[]).includes(v.credentialKind)) return { invalid: `form.credentialKind must be one of ${CREDENTIAL_KINDS.join(", ")}` };
  if (!Array.isArray(v.caFiles) || v.caFiles.length > 64 || !v.caFiles.every((x) => str(x))) return { invalid: "form.caFiles must be a list of paths" };
  if (typeof v.timeoutMs !== "number" || !Number.isFinite(v.timeoutMs) || v.timeoutMs < 100 || v.timeoutMs > 600_000) return { invalid: "form.timeoutMs must be from 100 to 600000" };
  if (typeof v.rememberPassphrase !== "boolean") return { invalid: "form.rememberPassphrase must be a boolean" };
  if (!(v.starttls === undefined || v.starttls === "" || isStartTlsProtocol(v.starttls))) return { invalid: "form.starttls must be '' or a STARTTLS protocol (smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql)" };
  if (!(v.appProbe === undefined || typeof v.appProbe === "boolean")) return { invalid: "form.appProbe must be a boolean" };
  return {
    host: v.host as string,
    port: v.port as number | null,
    servername: v.servername as string,
    alpn: v.alpn as string,
    tlsMin,
    tlsMax,
    trust: v.trust as TrustMode,
    caFiles: [...(v.caFiles as string[])],
    timeoutMs: v.timeoutMs,
    credentialKind: v.credentialKind as CredentialKind,
    certFile: v.certFile as string,
    keyFile: v.keyFile as string,
    pfxFile: v.pfxFile as string,
    rememberPassphrase: v.rememberPassphrase,
    starttls: (v.starttls ?? "") as "" | StartTlsProtocol,
    appProbe: v.appProbe !== false,
  };
}

/**
 * Validates a message from the page. Returns the typed message, or `{ invalid }` with the reason (and the
 * request id when one could be read, so the host can still answer it with an error).
 */
export function parseHandshakeMessage(v: unknown): HandshakePageToHost | { invalid: string; id?: number } {
  if (!isObj(v) || typeof v.type !== "string") return { invalid: "message without a type" };
  const id = isId(v.id) ? v.id : undefined;
  if (v.type === "ready") return { type: "ready" };
  if (id === undefined) return { invalid: `${v.type} without a valid id` };
  const form = () => {
    const f = parseForm(v.form);
    return "invalid" in f ? { invalid: f.invalid, id } : f;
  };
  switch (v.type) {
    case "handshake/run":
    case "handshake/check": {
      const f = form();
      if ("invalid" in f) return f;
      return { type: v.type, id, form: f };
    }
    case "handshake/cancel":
      return { type: "handshake/cancel", id };
    case "handshake/pick": {
      if (!(PICK_ROLES as readonly unknown[]).includes(v.role)) return { invalid: `unknown pick role ${String(v.role)}`, id };
      const f = form();
      if ("invalid" in f) return f;
      return { type: "handshake/pick", id, role: v.role as PickRole, form: f };
    }
    case "handshake/action": {
      if (!(HANDSHAKE_ACTIONS as readonly unknown[]).includes(v.action)) return { invalid: `unknown action ${String(v.action)}`, id };
      if (v.index !== undefined && !isId(v.index)) return { invalid: "handshake/action index must be a non-negative integer", id };
      if (v.action === "openCert" && v.index === undefined) return { invalid: "openCert needs the certificate's index", id };
      const f = form();
      if ("invalid" in f) return f;
      return { type: "handshake/action", id, action: v.action as HandshakeAction, form: f, index: v.index as number | undefined };
    }
    case "handshake/loadEndpoint":
      if (!isId(v.index)) return { invalid: "handshake/loadEndpoint needs an endpoint index", id };
      return { type: "handshake/loadEndpoint", id, index: v.index };
    case "handshake/recent":
      if (!str(v.runId, 100) || !v.runId) return { invalid: "handshake/recent needs a runId", id };
      if (typeof v.rerun !== "boolean") return { invalid: "handshake/recent needs rerun: boolean", id };
      return { type: "handshake/recent", id, runId: v.runId, rerun: v.rerun };
    case "handshake/useLab":
      if (typeof v.withClientCert !== "boolean") return { invalid: "handshake/useLab needs withClientCert: boolean", id };
      return { type: "handshake/useLab", id, withClientCert: v.withClientCert };
    default:
      return { invalid: `unknown message type ${v.type}`, id };
  }
}

/** Checks a host message on the page side (the page trusts the host, but a stale page must not crash). */
export function isHandshakeHostMessage(v: unknown): v is HandshakeHostToPage {
  if (!isObj(v) || typeof v.type !== "string") return false;
  switch (v.type) {
    case "handshake/state":
      return isObj(v.state) && isObj((v.state as Record<string, unknown>).form);
    case "handshake/form":
      return isObj(v.form) && Array.isArray(v.hints);
    case "handshake/running":
      return typeof v.running === "boolean";
    case "handshake/result":
      return isObj(v.run) && isObj((v.run as Record<string, unknown>).result) && Array.isArray(((v.run as Record<string, unknown>).result as Record<string, unknown>).messages);
    case "handshake/response":
      return isId(v.id) && typeof v.ok === "boolean";
    default:
      return false;
  }
}
