/**
 * Mutual TLS where the server decides above TLS, STARTTLS services, and servers behind a proxy — against the real
 * servers (Debian nginx, PostgreSQL, tinyproxy, aiosmtpd and a small IMAP server), started on 127.0.0.1 by the
 * test on ports it picks, and stopped by it.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { runHandshake, type HandshakeOptions } from "../../src/core/tls";
import { makeLab, chainPem, serverList, type Lab } from "../tls/helpers";
import { startNginx, startPostgres, startTinyproxy, startTextServer } from "../servers/servers";
import type { Running } from "../tls/helpers";

let lab: Lab;
const { keep, closeAll } = serverList();
let files: { serverChain: string; serverKey: string; clientCa: string };

before(async () => {
  lab = await makeLab();
  files = {
    serverChain: lab.file("server-chain.pem", chainPem(lab.server, lab.inter)),
    serverKey: lab.file("server.key", lab.server.keyPem),
    clientCa: lab.file("client-ca.pem", lab.clientCa.certPem),
  };
});
after(async () => {
  await closeAll();
  lab.cleanup();
});


const enc = (s: string) => new TextEncoder().encode(s);
function base(port: number, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return { host: "127.0.0.1", port, servername: "localhost", ca: [enc(lab.root.certPem)], useSystemRoots: false, timeoutMs: 15000, ...extra };
}
const right = () => ({ kind: "pem" as const, cert: enc(lab.client.certPem), key: enc(lab.client.keyPem) });
const wrong = () => ({ kind: "pem" as const, cert: enc(lab.wrongClient.certPem), key: enc(lab.wrongClient.keyPem) });

describe("nginx deciding above TLS", () => {
  let on: Running;
  before(async () => {
    on = await keep(startNginx({ certFile: files.serverChain, keyFile: files.serverKey, clientCaFile: files.clientCa, verify: "on" }));
  });

  it("ssl_verify_client on, no certificate → client_cert_required quoting the 400 page", async () => {
    const r = await runHandshake(base(on.port, { alpn: ["http/1.1"] }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_required", JSON.stringify(r.diagnosis));
    assert.match(r.diagnosis!.summary, /No required SSL certificate was sent/);
    assert.equal(r.application?.protocol, "http");
    assert.equal(r.application?.request, "GET / HTTP/1.1");
    assert.equal(r.application?.status, 400);
    assert.equal(r.application?.refused, true);
    assert.match(r.application!.answer!, /^HTTP\/1\.1 400 Bad Request: No required SSL certificate was sent$/);
    assert.equal(r.clientCertificate.required, true);
    assert.ok(!r.warnings!.some((w) => /optional client authentication/.test(w)));
  });

  it("a certificate from another CA → client_cert_rejected", async () => {
    // nginx only asks for certificates from its client CA, so Node would not offer one from another CA: the
    // certificate is offered anyway through the same path as a user's explicit choice.
    const r = await runHandshake(base(on.port, { alpn: ["http/1.1"], credentials: wrong() }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_rejected", JSON.stringify({ d: r.diagnosis, a: r.application, cc: r.clientCertificate }));
    assert.match(r.diagnosis!.summary, /The SSL certificate error/);
  });

  it("the right certificate → success, the page served", async () => {
    const r = await runHandshake(base(on.port, { alpn: ["http/1.1"], credentials: right() }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.application?.status, 200);
    assert.equal(r.application?.refused, false);
  });

  it("the port, without ALPN, does not make HTTP known: nothing is sent, and no claim of optional authentication", async () => {
    const r = await runHandshake(base(on.port));
    assert.equal(r.application, undefined);
    assert.equal(r.outcome, "success");
    assert.ok(r.warnings!.some((w) => /not checked/.test(w)));
  });

  it("--no-app-probe sends nothing", async () => {
    const r = await runHandshake(base(on.port, { alpn: ["http/1.1"], appProbe: false }));
    assert.equal(r.application, undefined);
    assert.equal(r.outcome, "success");
  });

  it("h2 over the same socket reads the same refusal", async () => {
    const h2 = await keep(startNginx({ certFile: files.serverChain, keyFile: files.serverKey, clientCaFile: files.clientCa, verify: "on", http2: true }));
    const r = await runHandshake(base(h2.port, { alpn: ["h2", "http/1.1"] }));
    assert.equal(r.alpn, "h2");
    assert.equal(r.application?.protocol, "h2");
    assert.equal(r.diagnosis?.category, "client_cert_required", JSON.stringify(r.application));
    assert.match(r.application!.answer!, /^HTTP\/2 400: No required SSL certificate was sent/);
  });

  it("ssl_verify_client optional with a 403 rule: the application's refusal is tied to the missing certificate", async () => {
    const opt = await keep(startNginx({ certFile: files.serverChain, keyFile: files.serverKey, clientCaFile: files.clientCa, verify: "optional", forbidWithout: true }));
    const r = await runHandshake(base(opt.port, { alpn: ["http/1.1"] }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_required");
    assert.match(r.diagnosis!.summary, /403/);
    assert.match(r.diagnosis!.summary, /likely reason/);
    const ok = await runHandshake(base(opt.port, { alpn: ["http/1.1"], credentials: right() }));
    assert.equal(ok.outcome, "success", JSON.stringify(ok.diagnosis));
  });

  it("ssl_verify_client optional that serves everyone → success, and now 'optional client authentication' is true", async () => {
    const opt = await keep(startNginx({ certFile: files.serverChain, keyFile: files.serverKey, clientCaFile: files.clientCa, verify: "optional" }));
    const r = await runHandshake(base(opt.port, { alpn: ["http/1.1"] }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.ok(r.warnings!.some((w) => /optional client authentication/.test(w) && /200/.test(w)), JSON.stringify(r.warnings));
  });
});

describe("PostgreSQL with hostssl … cert clientcert=verify-full", () => {
  let pg: Running;
  before(async () => {
    pg = await keep(startPostgres({ certPem: chainPem(lab.server, lab.inter), keyPem: lab.server.keyPem, clientCaPem: lab.clientCa.certPem, roles: ["lab-client"] }));
  });

  it("no certificate → client_cert_required quoting PostgreSQL, with the SSLRequest preamble", async () => {
    const r = await runHandshake(base(pg.port, { starttls: "postgres" }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_required", JSON.stringify({ d: r.diagnosis, a: r.application }));
    assert.match(r.diagnosis!.summary, /connection requires a valid client certificate/);
    assert.equal(r.application?.sqlstate, "28000");
    assert.equal(r.starttls, "postgres");
    assert.deepEqual(
      r.preamble!.filter((l) => l.step === "starttls").map((l) => `${l.from}: ${l.text}`),
      ["client: SSLRequest", "server: S (TLS accepted)"],
    );
  });

  it("a certificate from another CA → client_cert_rejected", async () => {
    const r = await runHandshake(base(pg.port, { starttls: "postgres", credentials: wrong() }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_rejected", JSON.stringify({ d: r.diagnosis, a: r.application, m: r.messages.map((m) => m.type) }));
  });

  it("the right certificate (CN = the role) → success, AuthenticationOk", async () => {
    const r = await runHandshake(base(pg.port, { starttls: "postgres", credentials: right() }));
    assert.equal(r.outcome, "success", JSON.stringify({ d: r.diagnosis, a: r.application }));
    assert.equal(r.application?.answer, "AuthenticationOk");
    assert.equal(r.clientCertificate.sent, true);
  });

  it("--starttls smtp against PostgreSQL → starttls_failure within a few seconds, naming the silence", async () => {
    const t0 = performance.now();
    const r = await runHandshake(base(pg.port, { starttls: "smtp" }));
    const took = performance.now() - t0;
    assert.equal(r.diagnosis?.category, "starttls_failure");
    assert.match(r.diagnosis!.summary, /SMTP greeting/);
    assert.match(r.diagnosis!.summary, /sent nothing/);
    assert.match(r.diagnosis!.fix, /not a SMTP server|likely not a SMTP/);
    assert.ok(took < 10000, `took ${took} ms`);
  });

  it("without --starttls: the hint names --starttls postgres for port 5432 only; here the failure says the server closed", async () => {
    const r = await runHandshake(base(pg.port));
    assert.equal(r.outcome, "failure");
  });
});

describe("SMTP and IMAP with STARTTLS", () => {
  let smtp: Running;
  let plain: Running;
  let imap: Running;
  before(async () => {
    [smtp, plain, imap] = await Promise.all([
      keep(startTextServer("smtp", files.serverChain, files.serverKey)),
      keep(startTextServer("smtp-plain", files.serverChain, files.serverKey)),
      keep(startTextServer("imap", files.serverChain, files.serverKey)),
    ]);
  });

  it("SMTP STARTTLS succeeds and the preamble shows the plaintext exchange; EHLO after TLS is the app probe", async () => {
    const r = await runHandshake(base(smtp.port, { starttls: "smtp" }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    const lines = r.preamble!.filter((l) => l.step === "starttls").map((l) => `${l.from}: ${l.text}`);
    assert.match(lines[0], /^server: 220 .*ESMTP/);
    assert.ok(lines.includes("client: EHLO certscope.invalid"));
    assert.ok(lines.some((l) => /^server: 250[- ]STARTTLS/.test(l)));
    assert.ok(lines.includes("client: STARTTLS"));
    assert.match(lines[lines.length - 1], /^server: 220 /);
    assert.equal(r.application?.protocol, "smtp");
    assert.match(r.application!.answer!, /^250/);
    assert.equal(r.protocol, "TLSv1.3");
  });

  it("SMTP without STARTTLS → starttls_failure listing what it offers", async () => {
    const r = await runHandshake(base(plain.port, { starttls: "smtp" }));
    assert.equal(r.diagnosis?.category, "starttls_failure");
    assert.match(r.diagnosis!.summary, /does not offer STARTTLS/);
    assert.equal(r.messages.length, 0);
  });

  it("IMAP STARTTLS succeeds; CAPABILITY after TLS", async () => {
    const r = await runHandshake(base(imap.port, { starttls: "imap" }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    const lines = r.preamble!.filter((l) => l.step === "starttls").map((l) => `${l.from}: ${l.text}`);
    assert.deepEqual(lines, ["server: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] test IMAP ready", "client: a1 STARTTLS", "server: a1 OK Begin TLS negotiation now"]);
    assert.equal(r.application?.request, "a2 CAPABILITY");
    assert.match(r.application!.answer!, /CAPABILITY/);
  });

  it("--starttls imap against the SMTP server → starttls_failure quoting its greeting", async () => {
    const r = await runHandshake(base(smtp.port, { starttls: "imap" }));
    assert.equal(r.diagnosis?.category, "starttls_failure");
    assert.match(r.diagnosis!.summary, /IMAP server.*220/);
  });
});

describe("a silent server under a short timeout", () => {
  it("the STARTTLS step reports the silence (not a TCP timeout) when the run's deadline comes first", async () => {
    const { silentServer } = await import("../tls/helpers");
    const silent = await keep(silentServer());
    const r = await runHandshake(base(silent.port, { starttls: "smtp", timeoutMs: 1500 }));
    assert.equal(r.diagnosis?.category, "starttls_failure", JSON.stringify(r.diagnosis));
    assert.match(r.diagnosis!.summary, /SMTP greeting before the time limit; it sent nothing/);
    assert.ok(r.preamble!.some((l) => l.step === "tcp" && /TCP connected/.test(l.text)));
  });
});

describe("the other STARTTLS protocols (small servers speaking each upgrade on the wire)", () => {
  const want: Record<string, string[]> = {
    pop3: ["server: +OK test POP3 ready", "client: STLS", "server: +OK Begin TLS negotiation"],
    ftp: ["server: 220 test FTP ready", "client: AUTH TLS", "server: 234 AUTH TLS OK"],
    ldap: ["client: ExtendedRequest StartTLS (1.3.6.1.4.1.1466.20037)", "server: ExtendedResponse resultCode 0 (success)"],
    mysql: ["server: Handshake v10, server 8.0.36-test, TLS available", "client: SSLRequest (CLIENT_SSL)"],
  };
  for (const proto of ["pop3", "ftp", "ldap", "xmpp", "mysql"] as const) {
    it(`${proto}: the upgrade, then a complete TLS handshake`, async () => {
      const srv = await keep(startTextServer(proto, files.serverChain, files.serverKey));
      const r = await runHandshake(base(srv.port, { starttls: proto }));
      assert.equal(r.outcome, "success", JSON.stringify({ d: r.diagnosis, p: r.preamble }));
      const lines = r.preamble!.filter((l) => l.step === "starttls").map((l) => `${l.from}: ${l.text}`);
      if (want[proto]) assert.deepEqual(lines, want[proto]);
      else assert.match(lines.at(-1)!, /^server: <proceed/);
      if (proto === "pop3") assert.match(r.application!.answer!, /^\+OK/);
      if (proto === "ftp") assert.equal(r.application?.status, 211);
    });
  }
});

describe("through an HTTP proxy (tinyproxy)", () => {
  let target: Running;
  let smtp: Running;
  let open: Running;
  before(async () => {
    [target, smtp, open] = await Promise.all([
      keep(startNginx({ certFile: files.serverChain, keyFile: files.serverKey, clientCaFile: files.clientCa, verify: "on" })),
      keep(startTextServer("smtp", files.serverChain, files.serverKey)),
      keep(startTinyproxy()),
    ]);
  });

  it("an open proxy → success with the right certificate, and the result says a proxy was used", async () => {
    const r = await runHandshake(base(target.port, { alpn: ["http/1.1"], credentials: right(), proxy: `http://127.0.0.1:${open.port}` }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.proxy, `http://127.0.0.1:${open.port}`);
    const lines = r.preamble!.filter((l) => l.step === "proxy").map((l) => `${l.from}: ${l.text}`);
    assert.ok(lines.includes(`client: CONNECT 127.0.0.1:${target.port} HTTP/1.1`), JSON.stringify(lines));
    assert.ok(lines.some((l) => /^server: HTTP\/1\.[01] 200/.test(l)));
  });

  it("an open proxy with STARTTLS behind it → success", async () => {
    const r = await runHandshake(base(smtp.port, { starttls: "smtp", proxy: `http://127.0.0.1:${open.port}` }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.deepEqual([...new Set(r.preamble!.map((l) => l.step))], ["proxy", "starttls"]);
  });

  it("a refusing proxy (CONNECT only to 443) → proxy_failure with its status line", async () => {
    const refusing = await keep(startTinyproxy({ connectPorts: [443] }));
    const r = await runHandshake(base(target.port, { proxy: `http://127.0.0.1:${refusing.port}` }));
    assert.equal(r.diagnosis?.category, "proxy_failure");
    assert.match(r.diagnosis!.summary, /HTTP\/1\.[01] 403/);
  });

  it("a proxy that needs credentials → proxy_failure (407) without them; success with them, and the password is nowhere in the result", async () => {
    const auth = await keep(startTinyproxy({ basicAuth: { user: "alice", password: "s3cret-Pw" } }));
    const r = await runHandshake(base(target.port, { proxy: `http://127.0.0.1:${auth.port}` }));
    assert.equal(r.diagnosis?.category, "proxy_failure");
    assert.match(r.diagnosis!.summary, /407/);
    assert.match(r.diagnosis!.fix, /requires credentials/);
    const bad = await runHandshake(base(target.port, { proxy: `http://alice:wrong-Pw@127.0.0.1:${auth.port}` }));
    assert.equal(bad.diagnosis?.category, "proxy_failure");
    assert.match(bad.diagnosis!.fix, /did not accept the credentials/, JSON.stringify(bad.diagnosis));
    const ok = await runHandshake(base(target.port, { alpn: ["http/1.1"], credentials: right(), proxy: `http://alice:s3cret-Pw@127.0.0.1:${auth.port}` }));
    assert.equal(ok.outcome, "success", JSON.stringify(ok.diagnosis));
    for (const x of [r, bad, ok]) {
      const text = JSON.stringify(x);
      assert.ok(!text.includes("s3cret-Pw") && !text.includes("wrong-Pw") && !text.includes(Buffer.from("alice:s3cret-Pw").toString("base64")), "credentials leaked");
    }
    assert.equal(ok.proxy, `http://127.0.0.1:${auth.port} (with credentials)`);
  });

  it("an unreachable proxy → proxy_failure", async () => {
    const { closedPort } = await import("../tls/helpers");
    const port = await closedPort();
    const r = await runHandshake(base(target.port, { proxy: `http://127.0.0.1:${port}` }));
    assert.equal(r.diagnosis?.category, "proxy_failure");
    assert.match(r.diagnosis!.summary, /could not be reached/);
  });
});
