/**
 * The application's verdict on the client certificate, from its answer to the probe: nginx's two 400 pages,
 * PostgreSQL's SQLSTATE 28000 about the certificate, other 4xx/5xx pages and protocol errors that name the
 * certificate → client_cert_required / client_cert_rejected, quoting the server; a 401/403 after the server asked
 * for a certificate that was not sent → the application refused, the missing certificate being the likely reason.
 * Any other answer: the TLS verdict stands. Pure: tested from answers as data.
 */
import type { ApplicationExchange, Diagnosis } from "../../../shared/model";

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

export function classifyApplication(x: AppVerdictInput): Diagnosis | undefined {
  const app = x.app;
  const words = app.reason ?? app.answer ?? "";
  const quoted = app.answer ? `'${app.answer}'` : "";
  const who = appName(app.protocol);
  const accepted = x.acceptableIssuers.length ? ` It accepts client certificates issued by: ${x.acceptableIssuers.join("; ")}.` : "";
  const required = (how: string): Diagnosis => ({
    category: "client_cert_required",
    summary: `The TLS handshake completed, but ${who} then refused the connection because no client certificate was sent: ${how}.${accepted}`,
    fix: x.acceptableIssuers.length
      ? `Run again with a client certificate (--cert/--key or --pfx) issued by one of: ${x.acceptableIssuers.join("; ")}.`
      : "Run again with the client certificate the server expects (--cert/--key or --pfx).",
  });
  const rejected = (how: string): Diagnosis => ({
    category: "client_cert_rejected",
    summary: `The TLS handshake completed, but ${who} then refused the client certificate${x.clientSubject ? ` '${x.clientSubject}'` : ""}: ${how}.${accepted}`,
    fix: "Use a client certificate issued by a CA the server trusts for clients (and, for PostgreSQL's cert authentication, whose CN is the database user); the server's log says which check failed.",
  });
  const verdict = () => (x.sent ? rejected : required)(`it answered ${quoted}`);

  if (app.protocol === "http" || app.protocol === "h2") {
    const st = app.status ?? 0;
    if (NGINX_REQUIRED.test(words) || st === 496) return x.sent ? rejected(`it answered ${quoted} (the certificate did not reach the application)`) : required(`it answered ${quoted}`);
    if (NGINX_REJECTED.test(words) || st === 495) return x.sent ? rejected(`it answered ${quoted}`) : required(`it answered ${quoted}`);
    if (st >= 400 && NAMES_CERT.test(words)) return verdict();
    if ((st === 401 || st === 403) && x.requested && !x.sent)
      return {
        category: "client_cert_required",
        summary: `The TLS handshake completed without a client certificate, but the application refused the request with ${quoted}. The server had asked for a client certificate and none was sent, which is the likely reason (for example nginx with ssl_verify_client optional and a rule on $ssl_client_verify).${accepted}`,
        fix: "Run again with a client certificate (--cert/--key or --pfx); if the refusal stays, it is about something else (credentials, an access rule).",
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

function appName(protocol: string): string {
  switch (protocol) {
    case "http":
    case "h2":
      return "the web server";
    case "postgres":
      return "PostgreSQL";
    default:
      return `the ${protocol.toUpperCase()} server`;
  }
}
