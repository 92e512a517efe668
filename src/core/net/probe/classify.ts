/**
 * The application's verdict on the client certificate, from its answer to the probe: nginx's two 400 pages,
 * PostgreSQL's SQLSTATE 28000 about the certificate, other 4xx/5xx pages and protocol errors that name the
 * certificate → client_cert_required / client_cert_rejected, quoting the server; a 401/403 after the server asked
 * for a certificate that was not sent → the application refused, the missing certificate being the likely reason.
 * Any other answer: the TLS verdict stands. Pure: tested from answers as data.
 */
import type { ApplicationExchange, Diagnosis } from "../../../shared/model";
import { english, type Translate } from "../../../shared/format";

export interface AppVerdictInput {
  app: ApplicationExchange;
  /** The server sent a CertificateRequest. */
  requested: boolean;
  /** We sent a (non-empty) client certificate. */
  sent: boolean;
  /** Subject of the certificate we sent. */
  clientSubject?: string;
  acceptableIssuers: string[];
}

const NGINX_REQUIRED = /no required ssl certificate was sent/i;
const NGINX_REJECTED = /the ssl certificate error/i;
const NAMES_CERT = /certificate/i;

export function classifyApplication(x: AppVerdictInput, t: Translate = english): Diagnosis | undefined {
  const app = x.app;
  const words = app.reason ?? app.answer ?? "";
  const quoted = app.answer ? `'${app.answer}'` : "";
  const who = appName(app.protocol, t);
  const accepted = x.acceptableIssuers.length ? t(" It accepts client certificates issued by: {0}.", x.acceptableIssuers.join("; ")) : "";
  const required = (how: string): Diagnosis => ({
    category: "client_cert_required",
    summary: t("The TLS handshake completed, but {0} then refused the connection because no client certificate was sent: {1}.{2}", who, how, accepted),
    fix: x.acceptableIssuers.length
      ? t("Run again with a client certificate (--cert/--key or --pfx) issued by one of: {0}.", x.acceptableIssuers.join("; "))
      : t("Run again with the client certificate the server expects (--cert/--key or --pfx)."),
  });
  const rejected = (how: string): Diagnosis => ({
    category: "client_cert_rejected",
    summary: x.clientSubject
      ? t("The TLS handshake completed, but {0} then refused the client certificate '{1}': {2}.{3}", who, x.clientSubject, how, accepted)
      : t("The TLS handshake completed, but {0} then refused the client certificate: {1}.{2}", who, how, accepted),
    fix: t("Use a client certificate issued by a CA the server trusts for clients (and, for PostgreSQL's cert authentication, whose CN is the database user); the server's log says which check failed."),
  });
  const answered = () => t("it answered {0}", quoted);
  const verdict = () => (x.sent ? rejected : required)(answered());

  if (app.protocol === "http" || app.protocol === "h2") {
    const st = app.status ?? 0;
    if (NGINX_REQUIRED.test(words) || st === 496) return x.sent ? rejected(t("it answered {0} (the certificate did not reach the application)", quoted)) : required(answered());
    if (NGINX_REJECTED.test(words) || st === 495) return x.sent ? rejected(answered()) : required(answered());
    if (st >= 400 && NAMES_CERT.test(words)) return verdict();
    if ((st === 401 || st === 403) && x.requested && !x.sent)
      return {
        category: "client_cert_required",
        summary: t(
          "The TLS handshake completed without a client certificate, but the application refused the request with {0}. The server had asked for a client certificate and none was sent, which is the likely reason (for example nginx with ssl_verify_client optional and a rule on $ssl_client_verify).{1}",
          quoted,
          accepted,
        ),
        fix: t("Run again with a client certificate (--cert/--key or --pfx); if the refusal stays, it is about something else (credentials, an access rule)."),
      };
    return undefined;
  }
  if (app.protocol === "postgres") {
    if (app.sqlstate === "28000" && NAMES_CERT.test(words)) return verdict();
    if (app.sqlstate?.startsWith("28") && NAMES_CERT.test(words)) return verdict();
    return undefined;
  }
  // Text protocols: an error line that names the certificate.
  if (app.reason && NAMES_CERT.test(app.reason)) return verdict();
  return undefined;
}

function appName(protocol: string, t: Translate): string {
  switch (protocol) {
    case "http":
    case "h2":
      return t("the web server");
    case "postgres":
      return "PostgreSQL";
    default:
      return t("the {0} server", protocol.toUpperCase());
  }
}
