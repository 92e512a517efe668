// Protocol-level scenarios on 127.0.0.1: RSA key exchange, HelloRetryRequest, a TLS 1.0-only server, no shared
// cipher, a plain HTTP port, a silent port, a closed port, cancellation and unresolvable names.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { runHandshake, type HandshakeOptions } from "../../src/core/tls";
import { makeLab, nodeServer, opensslServer, httpServer, silentServer, closedPort, chainPem, seq, hasOpenssl, serverList, type Lab } from "./helpers";

let lab: Lab;
const { keep, closeAll } = serverList();
let certFile = "";
let keyFile = "";
let rsaCert = "";
let rsaKey = "";
let interFile = "";

before(async () => {
  lab = await makeLab();
  certFile = lab.file("server.pem", chainPem(lab.server, lab.inter));
  keyFile = lab.file("server.key", lab.server.keyPem);
  rsaCert = lab.file("rsa.pem", chainPem(lab.serverRsa, lab.inter));
  rsaKey = lab.file("rsa.key", lab.serverRsa.keyPem);
  interFile = lab.file("inter.pem", lab.inter.certPem);
});
after(async () => {
  await closeAll();
  lab?.cleanup();
});


function base(port: number, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return { host: "127.0.0.1", port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: 5000, ...extra };
}

describe("protocol scenarios", { concurrency: true }, () => {
  it("TLS 1.2 RSA key exchange (no ServerKeyExchange)", { skip: !hasOpenssl }, async () => {
    const s = await keep(opensslServer(["-cert", rsaCert, "-key", rsaKey, "-cert_chain", interFile, "-tls1_2", "-cipher", "AES128-GCM-SHA256"]));
    const r = await runHandshake(base(s.port));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.cipher, "TLS_RSA_WITH_AES_128_GCM_SHA256");
    const types = seq(r.messages);
    assert.ok(!types.includes("server:ServerKeyExchange"), types.join(" "));
    const cke = r.messages.find((m) => m.type === "ClientKeyExchange")!;
    assert.equal(cke.detail.keyExchange, "RSA");
    assert.equal(cke.detail.encryptedPreMasterSecretLength, 256);
    assert.ok(types.includes("server:Finished*"));
  });

  it("HelloRetryRequest: the server wants another group", { skip: !hasOpenssl }, async () => {
    const s = await keep(opensslServer(["-cert", certFile, "-key", keyFile, "-cert_chain", interFile, "-groups", "secp384r1", "-tls1_3"]));
    const r = await runHandshake(base(s.port));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    const types = seq(r.messages);
    assert.deepEqual(types.slice(0, 4), ["client:ClientHello", "server:HelloRetryRequest", "client:ClientHello", "server:ServerHello"]);
    assert.equal(r.messages[1].detail.selectedGroup, "secp384r1");
    assert.deepEqual(r.messages[2].detail.keyShares, ["secp384r1"]);
    assert.equal(r.group, "secp384r1");
    assert.ok(!types.includes("client:ChangeCipherSpec"), "compatibility CCS is not a protocol message");
    assert.ok(types.includes("server:Finished*"));
  });

  it("server speaking only TLS 1.0 → protocol_mismatch naming the version; --tls-min 1.0 connects", { skip: !hasOpenssl }, async () => {
    const s = await keep(opensslServer(["-cert", certFile, "-key", keyFile, "-cert_chain", interFile, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]));
    const r = await runHandshake(base(s.port));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "protocol_mismatch");
    assert.match(r.diagnosis!.summary, /TLS 1\.0/);
    assert.match(r.diagnosis!.fix, /--tls-min 1\.0/);
    assert.ok(r.messages.some((m) => m.from === "server" && m.type === "Alert"), "the server's refusal is on the wire");
    const old = await runHandshake(base(s.port, { tlsMin: "1.0" }));
    assert.equal(old.protocol, "TLSv1");
    assert.ok(seq(old.messages).includes("server:Finished*"), seq(old.messages).join(" "));
    assert.equal(old.outcome, "success", JSON.stringify(old.diagnosis));
    assert.ok(old.warnings?.some((w) => /TLS 1\.0, which is deprecated \(RFC 8996\)/.test(w)), `no deprecation warning: ${JSON.stringify(old.warnings)}`);
  });

  it("a valid server certificate that expires within 30 days → success with a warning naming the date", async () => {
    const s = await keep(nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem }));
    const notAfter = lab.server.cert.notAfter;
    const r = await runHandshake(base(s.port, { now: new Date(notAfter.getTime() - 10 * 86400000 - 3600000) }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.diagnosis, null);
    const day = notAfter.toISOString().slice(0, 10);
    assert.ok(r.warnings?.some((w) => w.includes(`expires on ${day} (in 10 days)`)), JSON.stringify(r.warnings));
    // 30½ days before expiry (the certificate is valid from a day before it was made, for 30 days after).
    const early = await runHandshake(base(s.port, { now: new Date(notAfter.getTime() - 30.5 * 86400000) }));
    assert.equal(early.outcome, "success", JSON.stringify(early.diagnosis));
    assert.ok(!early.warnings?.some((w) => /expires on/.test(w)), `a certificate 30½ days from expiry is not a warning: ${JSON.stringify(early.warnings)}`);
  });

  it("a run limited to TLS 1.2 against a TLS 1.3-only server → protocol_mismatch", async () => {
    const s = await keep(nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, minVersion: "TLSv1.3" }));
    const r = await runHandshake(base(s.port, { tlsMax: "1.2" }));
    assert.equal(r.diagnosis?.category, "protocol_mismatch");
    assert.match(r.diagnosis!.summary, /TLS 1\.3/);
  });

  it("no cipher suite in common → no_shared_cipher", { skip: !hasOpenssl }, async () => {
    // The server only has CBC-SHA1 suites with RSA key exchange at TLS 1.2; we still offer those… so restrict
    // the server to a suite Node never offers by default (ARIA / CAMELLIA are excluded from Node's list).
    const s = await keep(opensslServer(["-cert", rsaCert, "-key", rsaKey, "-cert_chain", interFile, "-tls1_2", "-cipher", "CAMELLIA256-SHA256:@SECLEVEL=0"]));
    const r = await runHandshake(base(s.port, { tlsMax: "1.2" }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "no_shared_cipher", JSON.stringify(r.diagnosis));
  });

  it("plain HTTP port → not_tls", async () => {
    const s = await keep(httpServer());
    const r = await runHandshake(base(s.port));
    assert.equal(r.diagnosis?.category, "not_tls");
    assert.match(r.diagnosis!.summary, /plain HTTP/);
    assert.deepEqual(seq(r.messages), ["client:ClientHello"]);
  });

  it("silent port → timeout within the bound", async () => {
    const s = await keep(silentServer());
    const t0 = Date.now();
    const r = await runHandshake(base(s.port, { timeoutMs: 400 }));
    assert.equal(r.diagnosis?.category, "timeout");
    assert.match(r.diagnosis!.summary, /sent nothing back/);
    assert.ok(Date.now() - t0 < 2000);
  });

  it("closed port → connection_refused", async () => {
    const port = await closedPort();
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "connection_refused");
    assert.deepEqual(r.messages, []);
  });

  it("cancellation through AbortSignal stops a hanging run", async () => {
    const s = await keep(silentServer());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const r = await runHandshake(base(s.port, { timeoutMs: 10000, signal: ac.signal }));
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(r.outcome, "failure");
    assert.equal(r.error?.code, "ABORT_ERR");
  });

  it("unresolvable name → dns_failure", async () => {
    const r = await runHandshake({ host: "no-such-host.invalid", port: 443, timeoutMs: 5000, useSystemRoots: false });
    assert.ok(["dns_failure", "timeout"].includes(String(r.diagnosis?.category)), JSON.stringify(r.diagnosis));
  });

  it("IPv6 loopback when available", async () => {
    const s = await keep(nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem }));
    const r = await runHandshake(base(s.port, { host: "[::1]" }));
    // The test server listens on 127.0.0.1 only: ::1 is refused (or unavailable) — the target is parsed either way.
    assert.equal(r.target.host, "::1");
    assert.equal(r.outcome, "failure");
  });
});
