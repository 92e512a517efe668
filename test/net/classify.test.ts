// The application's verdict, proxy URLs and no-proxy lists, as data (table-driven).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classifyApplication } from "../../src/core/net/probe/classify";
import { pageReason } from "../../src/core/net/probe/http";
import { appProtocol } from "../../src/core/net/probe";
import { parseProxyUrl, bypassesProxy, proxyLabel, redactProxyText } from "../../src/core/net/proxy";
import type { ApplicationExchange } from "../../src/shared/model";

const http = (status: number, reason?: string): ApplicationExchange => ({ protocol: "http", request: "GET / HTTP/1.1", status, answer: `HTTP/1.1 ${status}${reason ? `: ${reason}` : ""}`, reason, refused: false });

describe("classifyApplication", () => {
  const rows: { name: string; app: ApplicationExchange; requested: boolean; sent: boolean; want?: string }[] = [
    { name: "nginx, no certificate", app: http(400, "No required SSL certificate was sent"), requested: true, sent: false, want: "client_cert_required" },
    { name: "nginx, certificate error", app: http(400, "The SSL certificate error"), requested: true, sent: true, want: "client_cert_rejected" },
    { name: "nginx 496 page", app: http(496), requested: true, sent: false, want: "client_cert_required" },
    { name: "nginx 495 page with a certificate", app: http(495), requested: true, sent: true, want: "client_cert_rejected" },
    { name: "a 403 page naming the certificate", app: http(403, "Client certificate not authorized"), requested: true, sent: true, want: "client_cert_rejected" },
    { name: "403 after a request without certificate", app: http(403, "Forbidden"), requested: true, sent: false, want: "client_cert_required" },
    { name: "401 after a request without certificate", app: http(401, "Unauthorized"), requested: true, sent: false, want: "client_cert_required" },
    { name: "403 when no certificate was asked", app: http(403, "Forbidden"), requested: false, sent: false },
    { name: "403 with a certificate sent: not about it", app: http(403, "Forbidden"), requested: true, sent: true },
    { name: "200", app: http(200, "hello"), requested: true, sent: false },
    { name: "404", app: http(404, "Not Found"), requested: true, sent: false },
    { name: "302 redirect (not followed)", app: http(302), requested: true, sent: false },
    {
      name: "PostgreSQL 28000 certificate",
      app: { protocol: "postgres", request: "StartupMessage", answer: "FATAL: connection requires a valid client certificate (SQLSTATE 28000)", reason: "connection requires a valid client certificate", sqlstate: "28000", refused: false },
      requested: true,
      sent: false,
      want: "client_cert_required",
    },
    {
      name: "PostgreSQL certificate authentication failed",
      app: { protocol: "postgres", request: "StartupMessage", answer: 'FATAL: certificate authentication failed for user "x"', reason: 'certificate authentication failed for user "x"', sqlstate: "28000", refused: false },
      requested: true,
      sent: true,
      want: "client_cert_rejected",
    },
    {
      name: "PostgreSQL no pg_hba entry (not about the certificate)",
      app: { protocol: "postgres", request: "StartupMessage", answer: "FATAL: no pg_hba.conf entry", reason: "no pg_hba.conf entry for host", sqlstate: "28000", refused: false },
      requested: true,
      sent: true,
    },
    { name: "PostgreSQL password request", app: { protocol: "postgres", request: "StartupMessage", answer: "Authentication request: SASL (SCRAM)", status: 10, refused: false }, requested: false, sent: false },
    { name: "SMTP error naming the certificate", app: { protocol: "smtp", request: "EHLO x", answer: "530 5.7.0 Client certificate required", reason: "5.7.0 Client certificate required", refused: false }, requested: true, sent: false, want: "client_cert_required" },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const d = classifyApplication({ app: r.app, requested: r.requested, sent: r.sent, acceptableIssuers: ["CN=Lab Client CA"] });
      assert.equal(d?.category, r.want);
      if (d) assert.ok(d.summary.includes(r.app.answer!), d.summary);
    });
  }
});

describe("pageReason", () => {
  it("nginx's page: the title without its status", () => {
    const body = "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
    assert.equal(pageReason(body, "text/html", 400), "No required SSL certificate was sent");
  });
  it("a JSON error's message", () => assert.equal(pageReason('{"kind":"Status","message":"Unauthorized","code":401}', "application/json", 401), "Unauthorized"));
  it("plain text, bounded", () => assert.equal(pageReason("x".repeat(1000), "text/plain", 403)!.length, 201));
  it("an empty body", () => assert.equal(pageReason("  ", "text/html", 403), undefined));
});

describe("appProtocol", () => {
  const rows: [string | false | null, Record<string, unknown>, string | undefined][] = [
    ["h2", { port: 8443 }, "h2"],
    ["http/1.1", { port: 1234 }, "http"],
    [null, { port: 443 }, "http"],
    [null, { port: 1234 }, undefined],
    ["postgresql", { port: 5432 }, "postgres"],
    ["acme-tls/1", { port: 443 }, undefined],
    [null, { port: 5432, starttls: "postgres" }, "postgres"],
    [null, { port: 25, starttls: "smtp" }, "smtp"],
    [null, { port: 389, starttls: "ldap" }, undefined],
    [null, { port: 993 }, "imap"],
  ];
  for (const [alpn, ctx, want] of rows) it(`${String(alpn)} ${JSON.stringify(ctx)} → ${want}`, () => assert.equal(appProtocol(alpn, { host: "h", port: 0, ...ctx } as never)?.protocol, want));
});

describe("proxy URLs", () => {
  it("parses credentials, port and IPv6", () => {
    assert.deepEqual(parseProxyUrl("http://u%40x:p%3Aw@proxy.example:3128"), { host: "proxy.example", port: 3128, username: "u@x", password: "p:w" });
    assert.deepEqual(parseProxyUrl("proxy.example:8080"), { host: "proxy.example", port: 8080 });
    assert.deepEqual(parseProxyUrl("http://[::1]:3128/"), { host: "::1", port: 3128 });
    assert.equal(proxyLabel(parseProxyUrl("http://u:secret@p:1")), "http://p:1 (with credentials)");
  });
  it("refuses other schemes and paths, never echoing the password", () => {
    for (const bad of ["https://u:secret@p:1", "socks5://u:secret@p:1", "http://u:secret@p:1/path", "http://"]) {
      assert.throws(() => parseProxyUrl(bad), (e: Error) => !e.message.includes("secret"));
    }
    assert.equal(redactProxyText("http://u:secret@p:1"), "http://***@p:1");
  });
  it("no-proxy lists", () => {
    const list = ["localhost", ".corp.example", "*.internal", "10.0.0.1", "db.example:5432"];
    const rows: [string, number, boolean][] = [
      ["localhost", 443, true],
      ["corp.example", 443, true],
      ["a.corp.example", 443, true],
      ["x.internal", 443, true],
      ["notcorp.example", 443, false],
      ["10.0.0.1", 443, true],
      ["db.example", 5432, true],
      ["db.example", 443, false],
      ["example.org", 443, false],
    ];
    for (const [h, p, want] of rows) assert.equal(bypassesProxy(h, p, list), want, `${h}:${p}`);
    assert.equal(bypassesProxy("anything", 1, ["*"]), true);
  });
});
