/**
 * runHandshake: one handshake test, as a linear sequence of named steps in wire order —
 * open the client credentials → connect through the tap → (TLS 1.3) wait for the verdict → decode the wire →
 * validate the server's chain → (on a refused hello) probe what the server speaks → diagnose.
 * Never throws for network or peer problems: they become outcome "failure" with a diagnosis.
 */
import * as net from "node:net";
import * as tls from "node:tls";
import type { CertificateModel, HandshakeResult } from "../../shared/model";
import { attempt, type AttemptResult, type TlsTarget } from "./connect";
import { openCredentials, derToPem, type Credentials, type CredentialsOutcome, type OpenedCredentials } from "./credentials";
import { decodeEvents, type Transcript, type DecodedTranscript } from "./transcript";
import { certificateModel } from "./certs";
import { validateServerChain } from "./validate";
import { diagnose, type ProbeFinding } from "./diagnosis";
import { cipherSuiteName } from "./names";
import { certificatesFromBytes } from "../pki";
import { addSuiteReport } from "./scan/parts";
import { applyStaple } from "./staple";
import { makeDialer } from "../net/dial";
import { proxyLabel, parseProxyUrl } from "../net/proxy";
import { probeApplication } from "../net/probe";
import type { Dialer, ProxyConfig, StartTlsProtocol } from "../net/types";
import { english, type Translate } from "../../shared/format";

export interface HandshakeOptions extends TlsTarget {
  ca?: Uint8Array[];
  /** Default true. */
  useSystemRoots?: boolean;
  credentials?: Credentials;
  /**
   * The credentials already opened elsewhere (the extension opens them in its decoding worker: their KDF must not
   * run on the extension host's thread). Used instead of opening `credentials` here.
   */
  opened?: CredentialsOutcome;
  /** Whole operation, default 10000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** NSS key log lines (without newline), for --keylog FILE. */
  keylog?: (line: string) => void;
  /** Acceptable CA names from an earlier run: warn before connecting when the client cert's issuer is not among them. */
  previousAcceptableIssuers?: string[];
  /** TLS 1.3 late-rejection wait after the handshake when a certificate was requested (default 400 ms or 3 round trips, at most 3000; explicit values up to 5000). */
  verdictWaitMs?: number;
  /** Also return the recorded transcript (raw bytes + key log) in the result's `transcript` field. */
  recordTranscript?: boolean;
  /** Clock for validity checks (tests). */
  now?: Date;
  /** Upgrade this plaintext protocol to TLS first (--starttls). */
  starttls?: StartTlsProtocol;
  /** Reach the target through this HTTP proxy (CONNECT): a URL `http://[user:pass@]host:port` or parsed. */
  proxy?: string | ProxyConfig;
  /** After the handshake, one harmless request in the protocol above TLS (default true; --no-app-probe: false). */
  appProbe?: boolean;
  /** Bound of the wait for the application's answer (default 3000 ms). */
  appWaitMs?: number;
  /**
   * Says the diagnosis and warnings. Default English (the contract); the panels pass a recordingTranslator,
   * which writes the same English and lets them say the texts again in the display language.
   */
  t?: Translate;
}

export type HandshakeRun = HandshakeResult & { transcript?: Transcript };

const OLD_CIPHERS = "ALL:@SECLEVEL=0";

export async function runHandshake(opts: HandshakeOptions): Promise<HandshakeRun> {
  const t0 = performance.now();
  const timeoutMs = clamp(opts.timeoutMs ?? 10000, 1, 600000);
  const deadline = t0 + timeoutMs;
  const host = opts.host.replace(/^\[(.*)\]$/, "$1");
  const servername = opts.servername ?? (net.isIP(host) ? undefined : host);
  // RFC 6066 forbids IP literals in SNI (Node warns and drops them): such a name is only checked, not sent.
  const sni = servername && !net.isIP(servername) ? servername : undefined;
  const checkName = opts.servername ?? host;
  const useSystemRoots = opts.useSystemRoots ?? true;
  const t = opts.t ?? english;
  const result: HandshakeRun = {
    target: { host, port: opts.port, ...(servername ? { servername } : {}) },
    outcome: "failure",
    diagnosis: null,
    messages: [],
    clientCertificate: { requested: false, acceptableIssuers: [], sent: false },
    serverChain: [],
    validation: null,
    warnings: [],
    timing: {},
  };

  // Step 1: the client credentials, checked before any byte is sent.
  let creds: OpenedCredentials | undefined;
  if (opts.opened || opts.credentials) {
    const c = opts.opened ?? openCredentials(opts.credentials!, { now: opts.now, previousAcceptableIssuers: opts.previousAcceptableIssuers, t });
    result.warnings!.push(...c.warnings);
    if (!c.ok) {
      result.diagnosis = c.diagnosis;
      result.timing!.total = ms(t0);
      return result;
    }
    creds = c.creds;
    // Opening counts against the timeout (its KDFs are bounded by src/core/budget.ts, not by the clock).
    if (performance.now() >= deadline) {
      result.diagnosis = {
        category: "timeout",
        summary: t("Opening the client credentials took {0} ms, longer than the whole operation's {1} ms: nothing was sent.", Math.round(performance.now() - t0), timeoutMs),
        fix: t("Raise --timeout, or use credentials with fewer key-derivation iterations."),
      };
      result.timing!.total = ms(t0);
      return result;
    }
  }

  // Step 2: the connection set-up (TCP → proxy → STARTTLS), then the handshake through the tap on its socket,
  // then the application probe (or the TLS 1.3 verdict wait).
  let proxy: ProxyConfig | undefined;
  try {
    proxy = typeof opts.proxy === "string" ? parseProxyUrl(opts.proxy) : opts.proxy;
  } catch (err) {
    result.diagnosis = {
      category: "proxy_failure",
      summary: t("The proxy setting is not usable: {0}.", (err as Error).message),
      fix: t("Give the proxy as http://[user:pass@]host:port (VS Code's http.proxy setting or --proxy)."),
    };
    result.timing!.total = ms(t0);
    return result;
  }
  if (opts.starttls) result.starttls = opts.starttls;
  if (proxy) result.proxy = proxyLabel(proxy);
  const dial: Dialer = makeDialer({ host, port: opts.port, proxy, starttls: opts.starttls, servername: sni, t });
  const user = creds ? (/(?:^|,)\s*CN=((?:\\.|[^,])+)/.exec(creds.subject)?.[1] ?? "certscope") : "certscope";
  const app =
    opts.appProbe === false
      ? undefined
      : (s: tls.TLSSocket, dl: number) => probeApplication(s, { host, port: opts.port, servername: sni, starttls: opts.starttls, user, waitMs: opts.appWaitMs, t }, dl);
  const anchorDers = (opts.ca ?? []).flatMap(expandCerts);
  const anchorsPem = anchorDers.map((der) => derToPem(der, "CERTIFICATE"));
  // Only for Node's own verdict (the fallback validation): its default store already is the system roots.
  const caForNode = useSystemRoots ? (anchorsPem.length ? [...tls.rootCertificates, ...anchorsPem] : undefined) : anchorsPem;
  // Node's default minimum is TLS 1.2: a run capped below it (--tls-max 1.0) starts at its cap.
  const tlsMin = opts.tlsMin ?? (opts.tlsMax === "1.0" || opts.tlsMax === "1.1" ? opts.tlsMax : undefined);
  const wantsOld = tlsMin === "1.0" || tlsMin === "1.1";
  const a = await attempt({
    host,
    port: opts.port,
    servername: sni,
    alpn: opts.alpn,
    tlsMin,
    tlsMax: opts.tlsMax,
    ca: caForNode,
    certPem: creds?.certPem,
    keyPem: creds?.keyPem,
    ciphers: wantsOld ? OLD_CIPHERS : undefined,
    deadline,
    signal: opts.signal,
    verdictWaitMs: opts.verdictWaitMs === undefined ? undefined : clamp(opts.verdictWaitMs, 0, 5000),
    keylog: opts.keylog,
    dial,
    app,
    t,
  });
  result.timing = { ...result.timing, ...a.timing };
  if (a.steps.length) result.preamble = a.steps;
  if (a.application) result.application = a.application;

  // Step 3: decode what crossed the wire.
  const tDecode = performance.now();
  const decoded = decodeEvents(a.events, a.keylog);
  if (opts.recordTranscript) result.transcript = toTranscript(a);
  result.messages = decoded.messages;
  fillNegotiated(result, a, decoded);

  // Step 4: the server's chain as sent, validated as a client would.
  result.timing!.decode = ms(tDecode);
  const tValidate = performance.now();
  const ders = decoded.ctx.serverCertificates ?? [];
  result.serverChain = ders.map((der) => certificateModel(der, false));
  if (ders.length === 0 && a.secure?.peer?.raw) {
    // Undecryptable TLS 1.3 flight: Node still saw the leaf.
    result.serverChain = [certificateModel(new Uint8Array(a.secure.peer.raw), false)];
    result.warnings!.push(t("The server's Certificate message could not be decrypted; only the leaf certificate (as seen by the TLS library) is shown."));
  }
  const chainDers = ders.length ? ders : result.serverChain.length && a.secure?.peer?.raw ? [new Uint8Array(a.secure.peer.raw)] : [];
  result.validation = await validateServerChain(chainDers, {
    ca: anchorDers,
    useSystemRoots,
    host: checkName,
    signal: opts.signal,
    now: opts.now,
    node: a.secure ? { authorized: a.secure.authorized, authorizationError: a.secure.authorizationError, peer: a.secure.peer } : undefined,
  });

  result.timing!.validate = ms(tValidate);

  // Step 5: a refused hello — ask the server what it does speak (all versions, all suites), within the deadline.
  let probe: ProbeFinding | undefined;
  const serverHello = decoded.messages.some((m) => m.from === "server" && m.type === "ServerHello");
  const refused =
    a.tcpConnected &&
    !a.cancelled &&
    !a.timedOut &&
    !decoded.notTls &&
    ((!serverHello && (decoded.alerts.some((x) => x.from === "server") || /VERSION|PROTOCOL|CIPHER/i.test(a.error?.code ?? ""))) ||
      (serverHello && /UNSUPPORTED_PROTOCOL/i.test(a.error?.code ?? "")));
  if (refused && deadline - performance.now() > 50) {
    const tProbe = performance.now();
    const p = await attempt({
      host,
      port: opts.port,
      servername: sni,
      alpn: opts.alpn,
      tlsMin: "1.0",
      tlsMax: "1.3",
      ciphers: OLD_CIPHERS,
      deadline: Math.min(deadline, performance.now() + 3000),
      signal: opts.signal,
      verdictWaitMs: 0,
      probe: true,
      dial,
    });
    const pd = decodeEvents(p.events, p.keylog, { light: true });
    const sh = pd.messages.find((m) => m.from === "server" && m.type === "ServerHello");
    probe = sh
      ? { version: (sh.detail.selectedVersion ?? sh.detail.version) as string, cipher: sh.detail.cipherSuite as string }
      : { alert: pd.alerts.find((x) => x.from === "server")?.description };
    result.timing!.probe = ms(tProbe);
  }

  // Step 6: the diagnosis.
  const anchors: CertificateModel[] = [];
  for (const der of anchorDers) {
    try {
      anchors.push(certificateModel(der, true));
    } catch {
      // an unreadable anchor is simply not used for the heuristics
    }
  }
  const verdict = diagnose({
    host,
    port: opts.port,
    name: checkName,
    tlsMin,
    tlsMax: opts.tlsMax,
    alpn: opts.alpn,
    attempt: a,
    decoded,
    serverChain: result.serverChain,
    validation: result.validation,
    client: creds ? { subject: creds.subject, issuer: creds.issuer, notBefore: creds.notBefore, notAfter: creds.notAfter } : undefined,
    anchors,
    usedSystemRoots: useSystemRoots,
    probe,
    timeoutMs,
    now: opts.now,
    starttls: opts.starttls,
    t,
  });
  if (result.application && verdict.appRefused) result.application.refused = true;
  result.outcome = verdict.outcome;
  result.diagnosis = verdict.diagnosis;
  result.warnings!.push(...verdict.warnings);
  applyStaple(result, decoded.ctx.ocspStaple, decoded.ctx.tlsScts, chainDers, anchorDers, useSystemRoots, !!a.secure, opts.now, t);
  if (a.error && verdict.outcome === "failure") result.error = { code: a.error.code, message: cleanMessage(a.error.message) };
  if (a.cancelled) result.error = { code: "ABORT_ERR", message: "cancelled" };
  if (result.protocol === "TLSv1" || result.protocol === "TLSv1.1") {
    const v = result.protocol === "TLSv1" ? "TLS 1.0" : "TLS 1.1";
    result.warnings!.push(t("The connection used {0}, which is deprecated (RFC 8996): current browsers, OpenSSL 3 and Node refuse it by default. Enable TLS 1.2 or 1.3 on the server.", v));
  }
  addSuiteReport(result, t);
  if (decoded.notes.length) result.warnings!.push(...decoded.notes.map((n) => t("Decoder: {0}", n)));
  const undecrypted = decoded.messages.filter((m) => m.undecrypted);
  if (undecrypted.length)
    result.warnings!.push(
      undecrypted.length === 1
        ? t("{0} protected record could not be decrypted ({1}); it is listed with its size only.", undecrypted.length, String(undecrypted[0].detail.reason ?? t("no key")))
        : t("{0} protected records could not be decrypted ({1}); they are listed with their sizes only.", undecrypted.length, String(undecrypted[0].detail.reason ?? t("no key"))),
    );
  const cc = result.clientCertificate;
  cc.requested = !!decoded.ctx.certificateRequest || decoded.messages.some((m) => m.type === "CertificateRequest");
  cc.acceptableIssuers = decoded.ctx.certificateRequest?.acceptableIssuers ?? [];
  const clientCertMsg = decoded.messages.find((m) => m.from === "client" && m.type === "Certificate");
  cc.sent = clientCertMsg ? clientCertMsg.detail.empty === false : !!creds && cc.requested && decoded.messages.some((m) => m.from === "client" && m.undecrypted);
  if (cc.sent && creds) {
    cc.subject = creds.subject;
    cc.issuer = creds.issuer;
  }
  if (cc.requested) {
    if (verdict.diagnosis?.category === "client_cert_required") cc.required = true;
    else if (!cc.sent && a.secure && verdict.outcome === "success") cc.required = false;
    else if (!cc.sent && a.secure && verdict.diagnosis && !["client_cert_rejected", "other", "timeout"].includes(verdict.diagnosis.category)) cc.required = false;
  }
  result.timing!.total = ms(t0);
  return result;
}

function fillNegotiated(result: HandshakeResult, a: AttemptResult, d: DecodedTranscript): void {
  const sh = d.messages.find((m) => m.from === "server" && m.type === "ServerHello");
  const v = (sh?.detail.selectedVersion ?? sh?.detail.version) as string | undefined;
  if (a.secure?.protocol) result.protocol = a.secure.protocol;
  else if (v) result.protocol = v;
  if (a.secure?.cipher) result.cipher = a.secure.cipher.standardName ?? a.secure.cipher.name;
  else if (d.ctx.cipherSuite !== undefined) result.cipher = cipherSuiteName(d.ctx.cipherSuite);
  const eph = a.secure?.ephemeral as { name?: string } | undefined;
  if (d.ctx.group) result.group = d.ctx.group;
  else if (eph?.name) result.group = eph.name.toLowerCase();
  if (a.secure) result.alpn = a.secure.alpn ? a.secure.alpn : null;
  else if (d.ctx.alpn) result.alpn = d.ctx.alpn;
}

export function toTranscript(a: AttemptResult): Transcript {
  return { version: 1, events: a.events.map((e) => ({ from: e.from, t: e.t, hex: e.data.toString("hex"), ...(e.omitted ? { omitted: e.omitted } : {}) })), keylog: a.keylog };
}

function looksPem(b: Uint8Array): boolean {
  return Buffer.from(b.subarray(0, 200)).toString("latin1").includes("-----BEGIN");
}

/** A trust-anchor file's bytes (PEM with any number of certificates, DER, PKCS#7) → DER certificates. */
export function expandCerts(b: Uint8Array): Uint8Array[] {
  try {
    const found = certificatesFromBytes(b).certs;
    if (found.length) return found;
  } catch {
    // not readable as certificates: handled below
  }
  return looksPem(b) ? [] : [b];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : lo));
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 100) / 100;
}

/** OpenSSL error strings carry file names and addresses: keep the reason ("tlsv13 alert certificate required"). */
function cleanMessage(m: string): string {
  const r = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(m);
  return (r ? r[1] : m).trim();
}
