/**
 * The diagnosis: what happened, in plain words that name the certificates and CAs involved, and what to do.
 * A pure function of the facts gathered by the runner (attempt outcome, decoded wire messages, chain
 * validation, the protocol probe), so it can be tested from recorded transcripts as well as live.
 */
import type { CertificateModel, Diagnosis, VerifyResult } from "../../shared/model";
import type { DecodedTranscript } from "./transcript";
import type { AttemptResult } from "./connect";
import { classifyApplication } from "../net/probe/classify";
import { starttlsForPort } from "../net/starttls";
import { withAlso } from "./alsoProblems";
import { chainDiagnosis, day } from "./chainDiagnosis";

export interface ProbeFinding {
  /** The version and suite the server chose when offered everything, or undefined when it still refused. */
  version?: string;
  cipher?: string;
  alert?: string;
}

export interface DiagnosisInput {
  host: string;
  port: number;
  /** The name checked against the certificate (SNI or host). */
  name: string;
  tlsMin?: string;
  tlsMax?: string;
  alpn?: string[];
  attempt: AttemptResult;
  decoded: DecodedTranscript;
  serverChain: CertificateModel[];
  validation: VerifyResult | null;
  /** The client certificate we offered, if any. */
  client?: { subject: string; issuer: string; notBefore: string; notAfter: string };
  /** Subjects of the trust anchors given with --ca (for telling an incomplete chain from an untrusted root). */
  anchors: CertificateModel[];
  usedSystemRoots: boolean;
  probe?: ProbeFinding;
  timeoutMs: number;
  now?: Date;
  /** The --starttls protocol, when one was used. */
  starttls?: string;
}

const VERSION_TEXT: Record<string, string> = { TLSv1: "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3", SSLv3: "SSL 3.0" };
const vtext = (v?: string) => (v ? (VERSION_TEXT[v] ?? v) : "?");

const CLIENT_CERT_ALERTS = new Set([
  "bad_certificate",
  "unsupported_certificate",
  "certificate_revoked",
  "certificate_expired",
  "certificate_unknown",
  "unknown_ca",
  "access_denied",
  "certificate_required",
  "handshake_failure",
  "decrypt_error",
  "illegal_parameter",
  "no_certificate",
]);

/** Server bytes past which an unfinished handshake is "still sending", not "stopped answering" (chains are a few KB). */
const OVERSIZED_HANDSHAKE_BYTES = 256 * 1024;

const kib = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** Days of notice before a server certificate expires that a successful run mentions. */
export const EXPIRY_NOTICE_DAYS = 30;

/** A warning when a certificate of a valid server chain expires within EXPIRY_NOTICE_DAYS (the soonest one). */
function expiringSoon(x: DiagnosisInput): string | undefined {
  const now = (x.now ?? new Date()).getTime();
  let soonest: CertificateModel | undefined;
  for (const c of x.serverChain) {
    const t = c.notAfter ? new Date(c.notAfter).getTime() : NaN;
    if (t >= now && t - now <= EXPIRY_NOTICE_DAYS * 86400000 && (!soonest || t < new Date(soonest.notAfter).getTime())) soonest = c;
  }
  if (!soonest) return undefined;
  const days = Math.floor((new Date(soonest.notAfter).getTime() - now) / 86400000);
  const which = soonest === x.serverChain[0] ? "The server's certificate" : "The certificate";
  return `${which} '${soonest.subject.text}'${soonest === x.serverChain[0] ? "" : " in the server's chain"} expires on ${day(soonest.notAfter)} (${days === 0 ? "today" : `in ${days} day${days === 1 ? "" : "s"}`}): renew it before then.`;
}

/** A hint for a plaintext port reached without --starttls. */
function starttlsHint(x: DiagnosisInput): string {
  const p = x.starttls ? undefined : starttlsForPort(x.port);
  return p ? ` Port ${x.port} usually speaks ${p} first: run with --starttls ${p}.` : "";
}

export function diagnose(x: DiagnosisInput): { outcome: "success" | "failure"; diagnosis: Diagnosis | null; warnings: string[]; appRefused?: boolean } {
  const warnings: string[] = [];
  const a = x.attempt;
  const d = x.decoded;
  const fail = (category: string, summary: string, fix: string) => ({ outcome: "failure" as const, diagnosis: withAlso({ category, summary, fix }, x, chainDiagnosis), warnings });
  const target = `${x.host} port ${x.port}`;

  if (a.cancelled) return fail("other", "The handshake test was cancelled before it finished.", "Run it again and let it complete.");
  // ── The steps before TLS: proxy CONNECT, STARTTLS preamble ──
  if (a.dialFailure) return fail(a.dialFailure.category, a.dialFailure.message, a.dialFailure.fix ?? "Check the connection settings (proxy, STARTTLS protocol).");

  // ── TCP ──
  if (!a.tcpConnected) {
    const code = a.error?.code ?? "";
    if (a.timedOut) return fail("timeout", `No TCP connection to ${target} within ${x.timeoutMs} ms: the host did not answer.`, "Check the address and port, and whether a firewall drops the connection; raise --timeout for slow networks.");
    if (code === "ECONNREFUSED") return fail("connection_refused", `Nothing is listening on ${target}: the connection was refused.`, "Check the host and port, and that the server is running.");
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_FAIL")
      return fail("dns_failure", `The name '${x.host}' could not be resolved (${code}).`, "Check the host name for typos, and the DNS configuration of this machine.");
    if (code === "ETIMEDOUT") return fail("timeout", `The TCP connection to ${target} timed out.`, "Check the address and port, and whether a firewall drops the connection.");
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
      return fail("connection_refused", `${x.host} is unreachable from this machine (${code}).`, "Check the address, the network route and any VPN or firewall.");
    return fail("other", `Could not connect to ${target}: ${a.error?.message ?? "unknown error"}.`, "Check the host and port.");
  }

  // ── Not TLS ──
  if (d.notTls) {
    const text = d.notTls.text;
    if (/^HTTP\//.test(text))
      return fail("not_tls", `${target} speaks plain HTTP, not TLS: it answered the ClientHello with '${text.split(".")[0].slice(0, 40)}'.`, "Use the server's HTTPS port, or enable TLS on this one.");
    const shown = text.slice(0, 32);
    const kind = /^SSH-/.test(text) ? " (an SSH server)" : /^220[ -]/.test(text) ? " (an FTP or SMTP greeting; it may need STARTTLS)" : /^\+OK|^\* OK/.test(text) ? " (a mail server greeting; it may need STARTTLS)" : "";
    return fail("not_tls", `${target} does not speak TLS${kind}: its first bytes were '${shown}'.`, `Check the port; if the protocol upgrades to TLS later, run with --starttls PROTO (smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql).${starttlsHint(x)}`);
  }
  const serverSpoke = d.bytes.server > 0;
  if (a.timedOut) {
    if (!serverSpoke)
      return fail("timeout", `${target} accepted the TCP connection but sent nothing back within ${x.timeoutMs} ms: no answer to the ClientHello.`, `Check that this port serves TLS (some services wait for the client to speak a different protocol first); raise --timeout for slow servers.${starttlsHint(x)}`);
    const lastMsg = [...d.messages].reverse().find((m) => m.from === "server");
    // A server still sending far more than any handshake needs (a dribbled 16 MB Certificate) did not stop answering.
    if (d.bytes.server > OVERSIZED_HANDSHAKE_BYTES)
      return fail("timeout", `The handshake with ${target} did not complete within ${x.timeoutMs} ms: the server was still sending, ${kib(d.bytes.server)} so far${lastMsg ? ` after its ${lastMsg.type}` : ""} — far more than a handshake needs (a certificate chain takes a few KB). The server sends an oversized or endless handshake message, or sends it very slowly.`, "Check what the server sends as its certificate chain (only the leaf and its intermediates belong there); raise --timeout only if the link is truly slow.");
    const where = lastMsg ? `after its ${lastMsg.type}` : `after ${d.bytes.server} byte${d.bytes.server === 1 ? "" : "s"} that do not form a complete TLS message`;
    return fail("timeout", `The handshake with ${target} did not complete within ${x.timeoutMs} ms: the server stopped answering ${where}.`, "Raise --timeout, or check the server's logs for a stalled handshake.");
  }

  const serverHello = d.messages.find((m) => m.from === "server" && m.type === "ServerHello");
  const serverAlert = d.alerts.find((al) => al.from === "server" && al.level === "fatal") ?? d.alerts.find((al) => al.from === "server" && al.description !== "close_notify");
  const clientAlert = d.alerts.find((al) => al.from === "client" && al.description !== "close_notify");
  const errCode = a.error?.code ?? "";
  const errMsg = a.error?.message ?? "";
  // The TLS library refuses a handshake message past its size limit (OpenSSL: a certificate list over 100 KB).
  if (/excessive message size|EXCESSIVE_MESSAGE_SIZE|message too long|max_cert_list/i.test(`${errCode} ${errMsg}`))
    return fail("other", `The server sent a handshake message larger than a TLS client accepts (${kib(d.bytes.server)} received${serverHello ? " after its ServerHello" : ""}): typically a certificate chain of hundreds of certificates, or a hostile server.`, "Configure the server to send only its certificate and the intermediates up to (not including) the root.");

  // ── The server refused our hello: version or cipher ──
  if (!serverHello && (serverAlert || /UNSUPPORTED_PROTOCOL|NO_PROTOCOLS|PROTOCOL_VERSION|NO_SHARED_CIPHER|NO_CIPHERS/i.test(errCode))) {
    const desc = serverAlert?.description;
    if (desc === "unrecognized_name")
      return fail("other", `The server does not serve the name '${x.name}' (alert unrecognized_name to the SNI).`, "Pass the name the server is configured for with --servername.");
    if (desc === "no_application_protocol")
      return fail(
        "other",
        `The server supports none of the application protocols offered with ALPN (${x.alpn?.join(", ") || "none"}): it refused the ClientHello with 'no_application_protocol'.`,
        "Offer a protocol the server supports with --alpn (for HTTPS usually h2 or http/1.1), or none at all.",
      );
    return versionOrCipher(x, fail, desc);
  }
  if (serverHello && /UNSUPPORTED_PROTOCOL|WRONG_SSL_VERSION|VERSION_TOO_LOW/i.test(errCode + errMsg)) {
    const chosen = (serverHello.detail.selectedVersion ?? serverHello.detail.version) as string;
    return fail(
      "protocol_mismatch",
      `The server chose ${vtext(chosen)}, which this run does not allow${x.tlsMin ? ` (--tls-min ${x.tlsMin})` : " (the default minimum is TLS 1.2)"}.`,
      `Enable TLS 1.2 or 1.3 on the server; to test the old server anyway, run with --tls-min ${chosen === "TLSv1" ? "1.0" : "1.1"}.`,
    );
  }
  if (/WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|record layer failure/i.test(errCode + errMsg) && !serverHello)
    return fail("not_tls", `${target} did not answer with TLS (${errMsg}).`, "Check that the port serves TLS.");

  // ── Client certificate: requested, and the server's verdict ──
  const req = d.ctx.certificateRequest;
  const requested = !!req || d.messages.some((m) => m.type === "CertificateRequest");
  const sent = clientCertSent(d, !!x.client);
  const accepted = req?.acceptableIssuers ?? [];
  const acceptText = accepted.length ? `It accepts certificates issued by: ${accepted.join("; ")}.` : "It did not name the CAs it accepts.";
  // A server that closes with close_notify after the handshake accepted it; a close without any alert is a rejection.
  const closedGracefully = d.alerts.some((al) => al.from === "server" && al.description === "close_notify");
  const handshakeFailed = !a.secure || a.verdict === "alert" || (a.verdict === "closed" && !closedGracefully && !serverAlert);
  const rejectedLate = a.verdict === "closed" && !!serverAlert && serverAlert.description !== "close_notify";
  if ((handshakeFailed || rejectedLate) && requested && serverHello) {
    const rejectionAlert = serverAlert?.description;
    if (!sent) {
      if (!rejectionAlert || CLIENT_CERT_ALERTS.has(rejectionAlert) || a.verdict === "closed") {
        return fail(
          "client_cert_required",
          `The server requires a client certificate and none was sent${x.client ? ` (the certificate '${x.client.subject}' was not offered: it does not suit the server's request)` : ""}. ${acceptText}`,
          accepted.length
            ? `Run again with --cert/--key or --pfx, using a client certificate issued by one of: ${accepted.join("; ")}.`
            : "Run again with --cert/--key or --pfx and the client certificate the server expects.",
        );
      }
    } else if (!rejectionAlert || CLIENT_CERT_ALERTS.has(rejectionAlert)) {
      return fail("client_cert_rejected", clientRejectionSummary(x, rejectionAlert, accepted), clientRejectionFix(x, rejectionAlert, accepted));
    }
  }

  // ── Other handshake failures ──
  if (handshakeFailed || rejectedLate) {
    if (serverAlert && serverAlert.description !== "close_notify") {
      if (["handshake_failure", "insufficient_security"].includes(serverAlert.description) && !d.finished.server && !requested && lastServerMessage(d) === "ServerHello")
        return fail("no_shared_cipher", `The server ended the handshake with '${serverAlert.description}' after its ServerHello.`, "Check the cipher suites and key exchange groups configured on both sides.");
      return fail("other", `The server ended the handshake with the alert '${serverAlert.description}' after ${lastServerMessage(d, true)}.`, "Check the server's TLS configuration and logs.");
    }
    if (clientAlert) {
      return fail("other", `This client ended the handshake with the alert '${clientAlert.description}': ${errMsg}.`, "Check the server's TLS configuration (certificate, signature algorithms, groups).");
    }
    if (!serverSpoke) {
      return fail(
        "other",
        `${target} accepted the connection but closed it without answering the ClientHello${errMsg ? ` (${errMsg})` : ""}.`,
        `Check that this port serves TLS, and that the server accepts the name sent as SNI (--servername); the server's logs will say more.${starttlsHint(x)}`,
      );
    }
    if (a.error) return fail("other", `The handshake failed after ${lastServerMessage(d, true)}: ${errMsg}.`, "Check the server's logs for the reason.");
  }

  // ── The handshake completed: the application's verdict above TLS (nginx's 400 page, PostgreSQL's FATAL) ──
  const app = a.application;
  const appVerdict = app ? classifyApplication({ app, requested, sent, clientSubject: x.client?.subject, acceptableIssuers: accepted }) : undefined;
  if (appVerdict) return { ...fail(appVerdict.category, appVerdict.summary, appVerdict.fix), appRefused: true };

  // ── Then the server's chain, as a real client would judge it ──
  if (a.verdict === "waited" && requested && sent) warnings.push("The server did not confirm the client certificate (no session ticket) within the wait; it did not reject it either.");
  if (requested && !sent && a.secure) {
    if (app?.answer) warnings.push(`The server asked for a client certificate but served the request without one (optional client authentication): it answered '${app.answer}'. ${acceptText}`);
    else
      warnings.push(
        `The server asked for a client certificate and completed the TLS handshake without one; ${app ? `the application did not answer (${app.noAnswer ?? "no answer"}), so whether it accepts clients without a certificate is not known` : "whether the application above TLS accepts clients without a certificate was not checked (no request was sent)"}. ${acceptText}`,
      );
  }
  if (a.secure && x.serverChain.length === 0) warnings.push("No server certificate could be seen, so the server's identity was not checked.");
  const chainDiag = chainDiagnosis(x);
  if (chainDiag) return fail(chainDiag.category, chainDiag.summary, chainDiag.fix);
  const soon = expiringSoon(x);
  if (soon) warnings.push(soon);
  return { outcome: "success", diagnosis: null, warnings };
}

function versionOrCipher(
  x: DiagnosisInput,
  fail: (c: string, s: string, f: string) => { outcome: "failure"; diagnosis: Diagnosis; warnings: string[] },
  desc?: string,
) {
  const p = x.probe;
  const lo = x.tlsMin ?? "1.2";
  const hi = x.tlsMax ?? "1.3";
  const range = lo === hi ? `TLS ${lo} only` : `TLS ${lo}–${hi}`;
  if (p?.version) {
    const order = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    const min = x.tlsMin ? `TLSv${x.tlsMin}`.replace("TLSv1.0", "TLSv1") : "TLSv1.2";
    const max = x.tlsMax ? `TLSv${x.tlsMax}`.replace("TLSv1.0", "TLSv1") : "TLSv1.3";
    const vi = order.indexOf(p.version);
    if (vi >= 0 && (vi < order.indexOf(min) || vi > order.indexOf(max))) {
      const old = vi < order.indexOf(min);
      return fail(
        "protocol_mismatch",
        old
          ? `The server only speaks ${vtext(p.version)}, older than this run allows (${range}); it refused the ClientHello${desc ? ` with '${desc}'` : ""}.`
          : `The server speaks ${vtext(p.version)} but none of the versions this run allows (${range}); it refused the ClientHello${desc ? ` with '${desc}'` : ""}.`,
        old
          ? p.version === "TLSv1.2"
            ? "Enable TLS 1.3 on the server, or allow TLS 1.2 in this run (--tls-min 1.2)."
            : `Enable TLS 1.2 or 1.3 on the server (${vtext(p.version)} is obsolete); to test it anyway, run with --tls-min ${p.version === "TLSv1.1" ? "1.1" : "1.0"}.`
          : `Allow ${vtext(p.version)} in this run (--tls-max ${p.version.replace("TLSv", "")}).`,
      );
    }
    if (desc && !["handshake_failure", "insufficient_security", "illegal_parameter"].includes(desc))
      return fail("other", `The server refused the ClientHello with the alert '${desc}' (it does accept a ${vtext(p.version)} ClientHello offering every suite).`, "Check the server's TLS configuration and logs.");
    return fail(
      "no_shared_cipher",
      `The server and this client have no cipher suite in common in ${range}: the server only accepts weaker or unusual suites such as ${p.cipher ?? "?"}${desc ? ` (it answered '${desc}')` : ""}.`,
      "Enable modern suites on the server (ECDHE with AES-GCM or ChaCha20-Poly1305).",
    );
  }
  if (desc && !["protocol_version", "handshake_failure", "insufficient_security", "illegal_parameter"].includes(desc))
    return fail("other", `The server refused the ClientHello with the alert '${desc}'.`, "Check the server's TLS configuration and logs.");
  if (desc === "protocol_version")
    return fail("protocol_mismatch", `The server refused every TLS version offered (${range}) with the alert 'protocol_version'.`, "Compare the TLS versions enabled on the server with --tls-min/--tls-max.");
  return fail(
    "no_shared_cipher",
    `The server refused the ClientHello${desc ? ` with the alert '${desc}'` : ""}: no cipher suite (or key exchange group) in common, even when all versions and suites were offered.`,
    "Compare the cipher suites and groups enabled on the server with what this client offers (see the ClientHello).",
  );
}

function lastServerMessage(d: DecodedTranscript, withArticle = false): string {
  const m = [...d.messages].reverse().find((x) => x.from === "server" && x.type !== "Alert");
  if (!m) return withArticle ? "the ClientHello" : "ClientHello";
  return withArticle ? `the server's ${m.type}` : m.type;
}

function clientCertSent(d: DecodedTranscript, offered: boolean): boolean {
  const cm = d.messages.find((m) => m.from === "client" && m.type === "Certificate");
  if (cm) return cm.detail.empty === false;
  // TLS 1.3 without keys: the client's Certificate is inside an undecrypted record; Node sends what it was given.
  return offered && d.messages.some((m) => m.from === "client" && m.undecrypted);
}

function clientRejectionSummary(x: DiagnosisInput, alert: string | undefined, accepted: string[]): string {
  const c = x.client;
  const who = c ? `the client certificate '${c.subject}' (issued by '${c.issuer}')` : "the client certificate";
  const now = x.now ?? new Date();
  const reasons: Record<string, string> = {
    unknown_ca: "it does not trust the CA that issued it",
    certificate_expired: "it considers the certificate expired",
    bad_certificate: "it found the certificate bad (wrong CA, bad signature or unsuitable key usage)",
    unsupported_certificate: "the certificate's type or key usage is not acceptable for client authentication",
    certificate_revoked: "the certificate is revoked",
    certificate_unknown: "it could not accept the certificate",
    access_denied: "the certificate is valid but not allowed access",
    decrypt_error: "the CertificateVerify signature did not check (the key does not match, or an unsupported signature algorithm)",
    handshake_failure: "it did not accept it",
  };
  let s = `The server rejected ${who}${alert ? ` with the alert '${alert}'` : " and closed the connection"}: ${alert ? (reasons[alert] ?? "it did not accept it") : "it did not accept it"}.`;
  if (c && c.notAfter && new Date(c.notAfter) < now) s += ` The certificate expired on ${day(c.notAfter)}.`;
  if (c && c.notBefore && new Date(c.notBefore) > now) s += ` The certificate is not valid before ${day(c.notBefore)}.`;
  if (accepted.length) {
    s += c && !accepted.includes(c.issuer) ? ` Its issuer is not among the CAs the server accepts: ${accepted.join("; ")}.` : ` The server accepts certificates issued by: ${accepted.join("; ")}.`;
  }
  return s;
}

function clientRejectionFix(x: DiagnosisInput, alert: string | undefined, accepted: string[]): string {
  const c = x.client;
  const now = x.now ?? new Date();
  if (c && ((c.notAfter && new Date(c.notAfter) < now) || alert === "certificate_expired")) return `Renew the client certificate '${c.subject}' and run again with the new one.`;
  if (accepted.length && c && !accepted.includes(c.issuer))
    return `Use a client certificate issued by one of: ${accepted.join("; ")} — or add '${c.issuer}' to the CAs the server trusts for client certificates.`;
  if (alert === "unknown_ca" && c) return `Add '${c.issuer}' to the CAs the server trusts for client certificates, or use a certificate from a CA it trusts.`;
  return "Check the server's log for why it refused the certificate (trusted client CAs, revocation, allowed subjects).";
}
