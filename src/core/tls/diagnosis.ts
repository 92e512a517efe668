/**
 * The diagnosis: what happened, in plain words that name the certificates and CAs involved, and what to do.
 * A pure function of the facts gathered by the runner (attempt outcome, decoded wire messages, chain
 * validation, the protocol probe), so it can be tested from recorded transcripts as well as live.
 */
import type { CertificateModel, Diagnosis, VerifyResult } from "../../shared/model";
import { english, type Translate } from "../../shared/format";
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
  /** Says the sentences (default English; the panels pass a recording translator, see recordingTranslator). */
  t?: Translate;
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

const kib = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

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
  const t = x.t ?? english;
  const when = days === 0 ? t("today") : days === 1 ? t("in {0} day", days) : t("in {0} days", days);
  return soonest === x.serverChain[0]
    ? t("The server's certificate '{0}' expires on {1} ({2}): renew it before then.", soonest.subject.text, day(soonest.notAfter), when)
    : t("The certificate '{0}' in the server's chain expires on {1} ({2}): renew it before then.", soonest.subject.text, day(soonest.notAfter), when);
}

/** A hint for a plaintext port reached without --starttls. */
function starttlsHint(x: DiagnosisInput): string {
  const p = x.starttls ? undefined : starttlsForPort(x.port);
  const t = x.t ?? english;
  return p ? t(" Port {0} usually speaks {1} first: run with --starttls {1}.", x.port, p) : "";
}

export function diagnose(x: DiagnosisInput): { outcome: "success" | "failure"; diagnosis: Diagnosis | null; warnings: string[]; appRefused?: boolean } {
  const warnings: string[] = [];
  const a = x.attempt;
  const d = x.decoded;
  const t = x.t ?? english;
  const fail = (category: string, summary: string, fix: string) => ({ outcome: "failure" as const, diagnosis: withAlso({ category, summary, fix }, x, chainDiagnosis), warnings });
  const target = t("{0} port {1}", x.host, x.port);

  if (a.cancelled) return fail("other", t("The handshake test was cancelled before it finished."), t("Run it again and let it complete."));
  // ── The steps before TLS: proxy CONNECT, STARTTLS preamble ──
  if (a.dialFailure) return fail(a.dialFailure.category, a.dialFailure.message, a.dialFailure.fix ?? t("Check the connection settings (proxy, STARTTLS protocol)."));

  // ── TCP ──
  if (!a.tcpConnected) {
    const code = a.error?.code ?? "";
    if (a.timedOut)
      return fail("timeout", t("No TCP connection to {0} within {1} ms: the host did not answer.", target, x.timeoutMs), t("Check the address and port, and whether a firewall drops the connection; raise --timeout for slow networks."));
    if (code === "ECONNREFUSED") return fail("connection_refused", t("Nothing is listening on {0}: the connection was refused.", target), t("Check the host and port, and that the server is running."));
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_FAIL")
      return fail("dns_failure", t("The name '{0}' could not be resolved ({1}).", x.host, code), t("Check the host name for typos, and the DNS configuration of this machine."));
    if (code === "ETIMEDOUT") return fail("timeout", t("The TCP connection to {0} timed out.", target), t("Check the address and port, and whether a firewall drops the connection."));
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
      return fail("connection_refused", t("{0} is unreachable from this machine ({1}).", x.host, code), t("Check the address, the network route and any VPN or firewall."));
    return fail("other", t("Could not connect to {0}: {1}.", target, a.error?.message ?? t("unknown error")), t("Check the host and port."));
  }

  // ── Not TLS ──
  if (d.notTls) {
    const text = d.notTls.text;
    if (/^HTTP\//.test(text))
      return fail("not_tls", t("{0} speaks plain HTTP, not TLS: it answered the ClientHello with '{1}'.", target, text.split(".")[0].slice(0, 40)), t("Use the server's HTTPS port, or enable TLS on this one."));
    const shown = text.slice(0, 32);
    const kind = /^SSH-/.test(text)
      ? t(" (an SSH server)")
      : /^220[ -]/.test(text)
        ? t(" (an FTP or SMTP greeting; it may need STARTTLS)")
        : /^\+OK|^\* OK/.test(text)
          ? t(" (a mail server greeting; it may need STARTTLS)")
          : "";
    return fail(
      "not_tls",
      t("{0} does not speak TLS{1}: its first bytes were '{2}'.", target, kind, shown),
      t("Check the port; if the protocol upgrades to TLS later, run with --starttls PROTO (smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql).{0}", starttlsHint(x)),
    );
  }
  const serverSpoke = d.bytes.server > 0;
  if (a.timedOut) {
    if (!serverSpoke)
      return fail(
        "timeout",
        t("{0} accepted the TCP connection but sent nothing back within {1} ms: no answer to the ClientHello.", target, x.timeoutMs),
        t("Check that this port serves TLS (some services wait for the client to speak a different protocol first); raise --timeout for slow servers.{0}", starttlsHint(x)),
      );
    const lastMsg = [...d.messages].reverse().find((m) => m.from === "server");
    // A server still sending far more than any handshake needs (an endless stream of messages the client ignores, such
    // as HelloRequests) did not stop answering. An oversized Certificate never gets here: the TLS library refuses it.
    if (d.bytes.server > OVERSIZED_HANDSHAKE_BYTES)
      return fail(
        "timeout",
        lastMsg
          ? t(
              "The handshake with {0} did not complete within {1} ms: the server was still sending, {2} so far after its {3} — far more than a handshake needs (a whole certificate chain takes a few KB). It sends an endless stream of handshake messages, or one message very slowly.",
              target,
              x.timeoutMs,
              kib(d.bytes.server),
              lastMsg.type,
            )
          : t(
              "The handshake with {0} did not complete within {1} ms: the server was still sending, {2} so far — far more than a handshake needs (a whole certificate chain takes a few KB). It sends an endless stream of handshake messages, or one message very slowly.",
              target,
              x.timeoutMs,
              kib(d.bytes.server),
            ),
        t("The server is misbehaving or hostile: check its TLS configuration and logs for what it sends during the handshake; raise --timeout only if the link is truly slow."),
      );
    const where = lastMsg
      ? t("after its {0}", lastMsg.type)
      : d.bytes.server === 1
        ? t("after {0} byte that do not form a complete TLS message", d.bytes.server)
        : t("after {0} bytes that do not form a complete TLS message", d.bytes.server);
    return fail("timeout", t("The handshake with {0} did not complete within {1} ms: the server stopped answering {2}.", target, x.timeoutMs, where), t("Raise --timeout, or check the server's logs for a stalled handshake."));
  }

  const serverHello = d.messages.find((m) => m.from === "server" && m.type === "ServerHello");
  const serverAlert = d.alerts.find((al) => al.from === "server" && al.level === "fatal") ?? d.alerts.find((al) => al.from === "server" && al.description !== "close_notify");
  const clientAlert = d.alerts.find((al) => al.from === "client" && al.description !== "close_notify");
  const errCode = a.error?.code ?? "";
  const errMsg = a.error?.message ?? "";
  // The TLS library refuses a handshake message past its size limit (OpenSSL: a certificate list over 100 KB).
  if (/excessive message size|EXCESSIVE_MESSAGE_SIZE|message too long|max_cert_list/i.test(`${errCode} ${errMsg}`))
    return fail(
      "other",
      serverHello
        ? t("The server sent a handshake message larger than a TLS client accepts ({0} received after its ServerHello): typically a certificate chain of hundreds of certificates, or a hostile server.", kib(d.bytes.server))
        : t("The server sent a handshake message larger than a TLS client accepts ({0} received): typically a certificate chain of hundreds of certificates, or a hostile server.", kib(d.bytes.server)),
      t("Configure the server to send only its certificate and the intermediates up to (not including) the root."),
    );

  // ── The server refused our hello: version or cipher ──
  if (!serverHello && (serverAlert || /UNSUPPORTED_PROTOCOL|NO_PROTOCOLS|PROTOCOL_VERSION|NO_SHARED_CIPHER|NO_CIPHERS/i.test(errCode))) {
    const desc = serverAlert?.description;
    if (desc === "unrecognized_name")
      return fail("other", t("The server does not serve the name '{0}' (alert unrecognized_name to the SNI).", x.name), t("Pass the name the server is configured for with --servername."));
    if (desc === "no_application_protocol")
      return fail(
        "other",
        t("The server supports none of the application protocols offered with ALPN ({0}): it refused the ClientHello with 'no_application_protocol'.", x.alpn?.join(", ") || t("none")),
        t("Offer a protocol the server supports with --alpn (for HTTPS usually h2 or http/1.1), or none at all."),
      );
    return versionOrCipher(x, fail, desc);
  }
  if (serverHello && /UNSUPPORTED_PROTOCOL|WRONG_SSL_VERSION|VERSION_TOO_LOW/i.test(errCode + errMsg)) {
    const chosen = (serverHello.detail.selectedVersion ?? serverHello.detail.version) as string;
    return fail(
      "protocol_mismatch",
      x.tlsMin ? t("The server chose {0}, which this run does not allow (--tls-min {1}).", vtext(chosen), x.tlsMin) : t("The server chose {0}, which this run does not allow (the default minimum is TLS 1.2).", vtext(chosen)),
      t("Enable TLS 1.2 or 1.3 on the server; to test the old server anyway, run with --tls-min {0}.", chosen === "TLSv1" ? "1.0" : "1.1"),
    );
  }
  if (/WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|record layer failure/i.test(errCode + errMsg) && !serverHello)
    return fail("not_tls", t("{0} did not answer with TLS ({1}).", target, errMsg), t("Check that the port serves TLS."));

  // ── Client certificate: requested, and the server's verdict ──
  const req = d.ctx.certificateRequest;
  const requested = !!req || d.messages.some((m) => m.type === "CertificateRequest");
  const sent = clientCertSent(d, !!x.client);
  const accepted = req?.acceptableIssuers ?? [];
  const acceptText = accepted.length ? t("It accepts certificates issued by: {0}.", accepted.join("; ")) : t("It did not name the CAs it accepts.");
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
          x.client
            ? t("The server requires a client certificate and none was sent (the certificate '{0}' was not offered: it does not suit the server's request). {1}", x.client.subject, acceptText)
            : t("The server requires a client certificate and none was sent. {0}", acceptText),
          accepted.length
            ? t("Run again with --cert/--key or --pfx, using a client certificate issued by one of: {0}.", accepted.join("; "))
            : t("Run again with --cert/--key or --pfx and the client certificate the server expects."),
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
        return fail("no_shared_cipher", t("The server ended the handshake with '{0}' after its ServerHello.", serverAlert.description), t("Check the cipher suites and key exchange groups configured on both sides."));
      return fail("other", t("The server ended the handshake with the alert '{0}' after {1}.", serverAlert.description, lastServerMessageText(d, t)), t("Check the server's TLS configuration and logs."));
    }
    if (clientAlert) {
      return fail("other", t("This client ended the handshake with the alert '{0}': {1}.", clientAlert.description, errMsg), t("Check the server's TLS configuration (certificate, signature algorithms, groups)."));
    }
    if (!serverSpoke) {
      return fail(
        "other",
        errMsg ? t("{0} accepted the connection but closed it without answering the ClientHello ({1}).", target, errMsg) : t("{0} accepted the connection but closed it without answering the ClientHello.", target),
        t("Check that this port serves TLS, and that the server accepts the name sent as SNI (--servername); the server's logs will say more.{0}", starttlsHint(x)),
      );
    }
    if (a.error) return fail("other", t("The handshake failed after {0}: {1}.", lastServerMessageText(d, t), errMsg), t("Check the server's logs for the reason."));
  }

  // ── The handshake completed: the application's verdict above TLS (nginx's 400 page, PostgreSQL's FATAL) ──
  const app = a.application;
  const appVerdict = app ? classifyApplication({ app, requested, sent, clientSubject: x.client?.subject, acceptableIssuers: accepted }, t) : undefined;
  if (appVerdict) return { ...fail(appVerdict.category, appVerdict.summary, appVerdict.fix), appRefused: true };

  // ── Then the server's chain, as a real client would judge it ──
  if (a.verdict === "waited" && requested && sent) warnings.push(t("The server did not confirm the client certificate (no session ticket) within the wait; it did not reject it either."));
  if (requested && !sent && a.secure) {
    if (app?.answer) warnings.push(t("The server asked for a client certificate but served the request without one (optional client authentication): it answered '{0}'. {1}", app.answer, acceptText));
    else if (app)
      warnings.push(
        t(
          "The server asked for a client certificate and completed the TLS handshake without one; the application did not answer ({0}), so whether it accepts clients without a certificate is not known. {1}",
          app.noAnswer ?? t("no answer"),
          acceptText,
        ),
      );
    else
      warnings.push(
        t("The server asked for a client certificate and completed the TLS handshake without one; whether the application above TLS accepts clients without a certificate was not checked (no request was sent). {0}", acceptText),
      );
  }
  if (a.secure && x.serverChain.length === 0) warnings.push(t("No server certificate could be seen, so the server's identity was not checked."));
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
  const t = x.t ?? english;
  const p = x.probe;
  const lo = x.tlsMin ?? "1.2";
  const hi = x.tlsMax ?? "1.3";
  const range = lo === hi ? t("TLS {0} only", lo) : `TLS ${lo}–${hi}`;
  if (p?.version) {
    const order = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    const min = x.tlsMin ? `TLSv${x.tlsMin}`.replace("TLSv1.0", "TLSv1") : "TLSv1.2";
    const max = x.tlsMax ? `TLSv${x.tlsMax}`.replace("TLSv1.0", "TLSv1") : "TLSv1.3";
    const vi = order.indexOf(p.version);
    if (vi >= 0 && (vi < order.indexOf(min) || vi > order.indexOf(max))) {
      const old = vi < order.indexOf(min);
      const v = vtext(p.version);
      const summary = old
        ? desc
          ? t("The server only speaks {0}, older than this run allows ({1}); it refused the ClientHello with '{2}'.", v, range, desc)
          : t("The server only speaks {0}, older than this run allows ({1}); it refused the ClientHello.", v, range)
        : desc
          ? t("The server speaks {0} but none of the versions this run allows ({1}); it refused the ClientHello with '{2}'.", v, range, desc)
          : t("The server speaks {0} but none of the versions this run allows ({1}); it refused the ClientHello.", v, range);
      const fix = old
        ? p.version === "TLSv1.2"
          ? t("Enable TLS 1.3 on the server, or allow TLS 1.2 in this run (--tls-min 1.2).")
          : t("Enable TLS 1.2 or 1.3 on the server ({0} is obsolete); to test it anyway, run with --tls-min {1}.", v, p.version === "TLSv1.1" ? "1.1" : "1.0")
        : t("Allow {0} in this run (--tls-max {1}).", v, p.version.replace("TLSv", ""));
      return fail("protocol_mismatch", summary, fix);
    }
    if (desc && !["handshake_failure", "insufficient_security", "illegal_parameter"].includes(desc))
      return fail("other", t("The server refused the ClientHello with the alert '{0}' (it does accept a {1} ClientHello offering every suite).", desc, vtext(p.version)), t("Check the server's TLS configuration and logs."));
    return fail(
      "no_shared_cipher",
      desc
        ? t("The server and this client have no cipher suite in common in {0}: the server only accepts weaker or unusual suites such as {1} (it answered '{2}').", range, p.cipher ?? "?", desc)
        : t("The server and this client have no cipher suite in common in {0}: the server only accepts weaker or unusual suites such as {1}.", range, p.cipher ?? "?"),
      t("Enable modern suites on the server (ECDHE with AES-GCM or ChaCha20-Poly1305)."),
    );
  }
  if (desc && !["protocol_version", "handshake_failure", "insufficient_security", "illegal_parameter"].includes(desc))
    return fail("other", t("The server refused the ClientHello with the alert '{0}'.", desc), t("Check the server's TLS configuration and logs."));
  if (desc === "protocol_version")
    return fail("protocol_mismatch", t("The server refused every TLS version offered ({0}) with the alert 'protocol_version'.", range), t("Compare the TLS versions enabled on the server with --tls-min/--tls-max."));
  return fail(
    "no_shared_cipher",
    desc
      ? t("The server refused the ClientHello with the alert '{0}': no cipher suite (or key exchange group) in common, even when all versions and suites were offered.", desc)
      : t("The server refused the ClientHello: no cipher suite (or key exchange group) in common, even when all versions and suites were offered."),
    t("Compare the cipher suites and groups enabled on the server with what this client offers (see the ClientHello)."),
  );
}

/** The type of the server's last handshake message (ClientHello when it sent none). */
function lastServerMessage(d: DecodedTranscript): string {
  const m = [...d.messages].reverse().find((x) => x.from === "server" && x.type !== "Alert");
  return m ? m.type : "ClientHello";
}

/** "the server's Certificate" / "the ClientHello": where a failure happened, in a sentence. */
function lastServerMessageText(d: DecodedTranscript, t: Translate): string {
  const m = [...d.messages].reverse().find((x) => x.from === "server" && x.type !== "Alert");
  return m ? t("the server's {0}", m.type) : t("the ClientHello");
}

function clientCertSent(d: DecodedTranscript, offered: boolean): boolean {
  const cm = d.messages.find((m) => m.from === "client" && m.type === "Certificate");
  if (cm) return cm.detail.empty === false;
  // TLS 1.3 without keys: the client's Certificate is inside an undecrypted record; Node sends what it was given.
  return offered && d.messages.some((m) => m.from === "client" && m.undecrypted);
}

/** Why the server refused a client certificate, by its alert (the words after "it"). */
function rejectionReason(alert: string | undefined, t: Translate): string {
  switch (alert) {
    case "unknown_ca":
      return t("it does not trust the CA that issued it");
    case "certificate_expired":
      return t("it considers the certificate expired");
    case "bad_certificate":
      return t("it found the certificate bad (wrong CA, bad signature or unsuitable key usage)");
    case "unsupported_certificate":
      return t("the certificate's type or key usage is not acceptable for client authentication");
    case "certificate_revoked":
      return t("the certificate is revoked");
    case "certificate_unknown":
      return t("it could not accept the certificate");
    case "access_denied":
      return t("the certificate is valid but not allowed access");
    case "decrypt_error":
      return t("the CertificateVerify signature did not check (the key does not match, or an unsupported signature algorithm)");
    default:
      return t("it did not accept it");
  }
}

function clientRejectionSummary(x: DiagnosisInput, alert: string | undefined, accepted: string[]): string {
  const t = x.t ?? english;
  const c = x.client;
  const who = c ? t("the client certificate '{0}' (issued by '{1}')", c.subject, c.issuer) : t("the client certificate");
  const now = x.now ?? new Date();
  let s = alert ? t("The server rejected {0} with the alert '{1}': {2}.", who, alert, rejectionReason(alert, t)) : t("The server rejected {0} and closed the connection: {1}.", who, rejectionReason(undefined, t));
  // Each further sentence is joined through `t` too, so a translation can order them (and the panel can say them again).
  const and = (more: string) => (s = t("{0} {1}", s, more));
  if (c && c.notAfter && new Date(c.notAfter) < now) and(t("The certificate expired on {0}.", day(c.notAfter)));
  if (c && c.notBefore && new Date(c.notBefore) > now) and(t("The certificate is not valid before {0}.", day(c.notBefore)));
  if (accepted.length) {
    and(c && !accepted.includes(c.issuer) ? t("Its issuer is not among the CAs the server accepts: {0}.", accepted.join("; ")) : t("The server accepts certificates issued by: {0}.", accepted.join("; ")));
  }
  return s;
}

function clientRejectionFix(x: DiagnosisInput, alert: string | undefined, accepted: string[]): string {
  const t = x.t ?? english;
  const c = x.client;
  const now = x.now ?? new Date();
  if (c && ((c.notAfter && new Date(c.notAfter) < now) || alert === "certificate_expired")) return t("Renew the client certificate '{0}' and run again with the new one.", c.subject);
  if (accepted.length && c && !accepted.includes(c.issuer))
    return t("Use a client certificate issued by one of: {0} — or add '{1}' to the CAs the server trusts for client certificates.", accepted.join("; "), c.issuer);
  if (alert === "unknown_ca" && c) return t("Add '{0}' to the CAs the server trusts for client certificates, or use a certificate from a CA it trusts.", c.issuer);
  return t("Check the server's log for why it refused the certificate (trusted client CAs, revocation, allowed subjects).");
}
