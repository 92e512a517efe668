// Mutual TLS scenarios against openssl s_server and Node tls servers on 127.0.0.1: required / optional client
// authentication, right and wrong CA, expired client certificate, PKCS#12 (modern and legacy), encrypted keys,
// wrong passphrase and key mismatch — each asserting outcome, category and the messages seen.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { runHandshake, type HandshakeOptions } from "../../src/core/tls";
import { makeLab, nodeServer, opensslServer, chainPem, seq, hasOpenssl, type Lab, type Running } from "./helpers";

let lab: Lab;
const servers: Running[] = [];
const PASS = "lab-passphrase";
let files: Record<string, string> = {};

before(async () => {
  lab = await makeLab();
  files = {
    serverCert: lab.file("server.pem", lab.server.certPem),
    serverKey: lab.file("server.key", lab.server.keyPem),
    inter: lab.file("inter.pem", lab.inter.certPem),
    clientCa: lab.file("client-ca.pem", lab.clientCa.certPem),
    client: lab.file("client.pem", lab.client.certPem),
    clientKey: lab.file("client.key", lab.client.keyPem),
  };
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  lab?.cleanup();
});

async function ossl(args: string[]): Promise<number> {
  const s = await opensslServer(["-cert", files.serverCert, "-key", files.serverKey, "-cert_chain", files.inter, ...args]);
  servers.push(s);
  return s.port;
}

async function node(opts: Parameters<typeof nodeServer>[0]): Promise<number> {
  const s = await nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, ...opts });
  servers.push(s);
  return s.port;
}

const enc = (s: string) => new Uint8Array(Buffer.from(s));

function base(port: number, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return { host: "127.0.0.1", port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: 5000, ...extra };
}

function pem(c: { certPem: string; keyPem: string }, passphrase?: string): HandshakeOptions["credentials"] {
  return { kind: "pem", cert: enc(c.certPem), key: enc(c.keyPem), passphrase, certFile: "client.pem", keyFile: "client.key" };
}

function pkcs12(legacy: boolean): Uint8Array {
  const out = `${lab.dir}/client-${legacy ? "legacy" : "modern"}.p12`;
  const args = ["pkcs12", "-export", "-in", files.client, "-inkey", files.clientKey, "-passout", `pass:${PASS}`, "-out", out, ...(legacy ? ["-legacy"] : [])];
  const r = spawnSync("openssl", args);
  assert.equal(r.status, 0, r.stderr.toString());
  return new Uint8Array(readFileSync(out));
}

describe("mutual TLS scenarios", { concurrency: true, skip: !hasOpenssl && "openssl CLI not installed" }, () => {
  it("TLS 1.3, certificate required, none sent → client_cert_required naming the accepted CA (late rejection)", async () => {
    const port = await ossl(["-Verify", "1", "-CAfile", files.clientCa, "-tls1_3"]);
    const r = await runHandshake(base(port));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_required");
    assert.match(r.diagnosis!.summary, /CN=Lab Client CA,O=Lab/);
    assert.deepEqual(r.clientCertificate, { requested: true, required: true, acceptableIssuers: ["CN=Lab Client CA,O=Lab"], sent: false });
    const s = seq(r.messages);
    assert.ok(s.includes("server:CertificateRequest*"), s.join(" "));
    assert.ok(s.includes("client:Certificate*"));
    const alert = r.messages.find((m) => m.type === "Alert" && m.from === "server")!;
    assert.equal(alert.encrypted, true);
    assert.deepEqual(alert.detail, { level: "fatal", description: "certificate_required" });
    assert.equal(r.messages.find((m) => m.from === "client" && m.type === "Certificate")!.detail.empty, true);
  });

  it("TLS 1.2, certificate required, none sent → client_cert_required", async () => {
    const port = await ossl(["-Verify", "1", "-CAfile", files.clientCa, "-tls1_2"]);
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "client_cert_required");
    assert.equal(r.protocol, "TLSv1.2");
    const s = seq(r.messages);
    assert.deepEqual(s.slice(0, 6), ["client:ClientHello", "server:ServerHello", "server:Certificate", "server:ServerKeyExchange", "server:CertificateRequest", "server:ServerHelloDone"]);
    assert.ok(s.includes("client:Certificate"));
    const req = r.messages.find((m) => m.type === "CertificateRequest")!;
    assert.deepEqual(req.detail.acceptableIssuers, ["CN=Lab Client CA,O=Lab"]);
    assert.ok((req.detail.certificateTypes as string[]).includes("ecdsa_sign"));
    assert.ok(r.messages.some((m) => m.type === "Alert" && m.from === "server" && m.detail.level === "fatal"));
  });

  it("TLS 1.3, certificate from the right CA → success, sent", async () => {
    const port = await node({ requestCert: true, rejectUnauthorized: true, ca: lab.clientCa.certPem, minVersion: "TLSv1.3" });
    const r = await runHandshake(base(port, { credentials: pem(lab.client) }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.clientCertificate.sent, true);
    assert.equal(r.clientCertificate.subject, "CN=lab-client,O=Lab");
    const cert = r.messages.find((m) => m.from === "client" && m.type === "Certificate")!;
    assert.equal(cert.encrypted, true);
    assert.equal((cert.detail.certificates as { subject: string }[])[0].subject, "CN=lab-client,O=Lab");
    assert.ok(seq(r.messages).includes("client:CertificateVerify*"));
  });

  it("TLS 1.2, certificate from the right CA (openssl) → success with CertificateVerify", async () => {
    const port = await ossl(["-Verify", "1", "-verify_return_error", "-CAfile", files.clientCa, "-tls1_2"]);
    const r = await runHandshake(base(port, { credentials: pem(lab.client) }));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    const s = seq(r.messages);
    const i = s.indexOf("client:Certificate");
    assert.deepEqual(s.slice(i, i + 5), ["client:Certificate", "client:ClientKeyExchange", "client:CertificateVerify", "client:ChangeCipherSpec", "client:Finished*"]);
  });

  it("certificate from a wrong CA (-verify_return_error) → client_cert_rejected naming both CAs", async () => {
    const port = await ossl(["-Verify", "1", "-verify_return_error", "-CAfile", files.clientCa]);
    const r = await runHandshake(base(port, { credentials: pem(lab.wrongClient) }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "client_cert_rejected");
    assert.match(r.diagnosis!.summary, /CN=rogue-client,O=Rogue/);
    assert.match(r.diagnosis!.summary, /CN=Lab Client CA,O=Lab/);
    assert.match(r.diagnosis!.fix, /Rogue Client CA/);
    assert.equal(r.clientCertificate.sent, true);
    assert.ok(r.messages.some((m) => m.type === "Alert" && m.from === "server" && m.detail.description === "unknown_ca"));
  });

  it("expired client certificate → warned before connecting, then client_cert_rejected", async () => {
    const port = await node({ requestCert: true, rejectUnauthorized: true, ca: lab.clientCa.certPem });
    const r = await runHandshake(base(port, { credentials: pem(lab.clientExpired) }));
    assert.equal(r.diagnosis?.category, "client_cert_rejected");
    assert.match(r.diagnosis!.summary, /certificate_expired|expired/);
    assert.ok(r.warnings!.some((w) => /expired/.test(w)));
    assert.match(r.diagnosis!.fix, /Renew/);
  });

  it("optional client authentication at TLS level, no certificate → success, requested but not required", async () => {
    const port = await ossl(["-verify", "1", "-CAfile", files.clientCa]);
    const r = await runHandshake(base(port));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.clientCertificate.requested, true);
    assert.equal(r.clientCertificate.required, false);
    assert.equal(r.clientCertificate.sent, false);
    // No protocol is known above TLS on this port (no ALPN, no --starttls): nothing was asked of the application,
    // so "optional client authentication" is not claimed — the warning says what was and was not seen.
    assert.equal(r.application, undefined);
    assert.ok(r.warnings!.some((w) => /completed the TLS handshake without one/.test(w) && /not checked/.test(w)), JSON.stringify(r.warnings));
    assert.ok(!r.warnings!.some((w) => /optional client authentication/.test(w)));
  });

  for (const legacy of [false, true]) {
    it(`PKCS#12 ${legacy ? "legacy (RC2/3DES)" : "modern (AES)"} client credentials → success`, async () => {
      const port = await node({ requestCert: true, rejectUnauthorized: true, ca: lab.clientCa.certPem });
      const r = await runHandshake(base(port, { credentials: { kind: "pkcs12", pfx: pkcs12(legacy), passphrase: PASS, file: "client.p12" } }));
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.equal(r.clientCertificate.subject, "CN=lab-client,O=Lab");
    });
  }

  it("encrypted PKCS#8 key and legacy encrypted PEM key with the passphrase → success", async () => {
    const port = await node({ requestCert: true, rejectUnauthorized: true, ca: lab.clientCa.certPem });
    const k = createPrivateKey(lab.client.keyPem);
    const pkcs8 = k.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASS }) as string;
    const legacy = k.export({ type: "sec1", format: "pem", cipher: "aes-128-cbc", passphrase: PASS }) as string;
    assert.match(legacy, /Proc-Type: 4,ENCRYPTED/);
    for (const key of [pkcs8, legacy]) {
      const r = await runHandshake(base(port, { credentials: pem({ certPem: lab.client.certPem, keyPem: key }, PASS) }));
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.equal(r.clientCertificate.sent, true);
    }
  });

  it("wrong passphrase (key and PKCS#12) → bad_passphrase before connecting", async () => {
    const k = createPrivateKey(lab.client.keyPem);
    const pkcs8 = k.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASS }) as string;
    const a = await runHandshake(base(1, { credentials: pem({ certPem: lab.client.certPem, keyPem: pkcs8 }, "wrong") }));
    assert.equal(a.diagnosis?.category, "bad_passphrase");
    assert.deepEqual(a.messages, [], "nothing was sent");
    const b = await runHandshake(base(1, { credentials: pem({ certPem: lab.client.certPem, keyPem: pkcs8 }) }));
    assert.equal(b.diagnosis?.category, "bad_passphrase");
    assert.match(b.diagnosis!.fix, /--passphrase-env/);
    const c = await runHandshake(base(1, { credentials: { kind: "pkcs12", pfx: pkcs12(true), passphrase: "wrong", file: "client.p12" } }));
    assert.equal(c.diagnosis?.category, "bad_passphrase");
    assert.match(c.diagnosis!.summary, /client\.p12/);
    for (const r of [a, b, c]) assert.ok(!JSON.stringify(r).includes(PASS));
  });

  it("unreadable credentials → unsupported_credentials naming the file, before connecting", async () => {
    const notP12 = await runHandshake(base(1, { credentials: { kind: "pkcs12", pfx: enc("not a pkcs12 file"), file: "junk.p12" } }));
    assert.equal(notP12.diagnosis?.category, "unsupported_credentials");
    assert.match(notP12.diagnosis!.summary, /junk\.p12/);
    const noCert = await runHandshake(base(1, { credentials: { kind: "pem", cert: enc(lab.client.keyPem), key: enc(lab.client.keyPem), certFile: "only-key.pem", keyFile: "only-key.pem" } }));
    assert.equal(noCert.diagnosis?.category, "unsupported_credentials");
    assert.match(noCert.diagnosis!.summary, /only-key\.pem' contains no certificate/);
    const noKey = await runHandshake(base(1, { credentials: { kind: "pem", cert: enc(lab.client.certPem), key: enc(lab.client.certPem), certFile: "c.pem", keyFile: "c.pem" } }));
    assert.equal(noKey.diagnosis?.category, "unsupported_credentials");
    assert.match(noKey.diagnosis!.summary, /'c\.pem' does not hold a usable private key/);
    for (const r of [notP12, noCert, noKey]) assert.deepEqual(r.messages, []);
  });

  it("key that does not match the certificate → key_mismatch before connecting", async () => {
    const r = await runHandshake(base(1, { credentials: pem({ certPem: lab.client.certPem, keyPem: lab.wrongClient.keyPem }) }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "key_mismatch");
    assert.match(r.diagnosis!.summary, /CN=lab-client,O=Lab/);
    assert.deepEqual(r.messages, []);
  });

  it("warns before connecting when the issuer was not acceptable in an earlier run", async () => {
    const port = await ossl(["-verify", "1", "-CAfile", files.clientCa]);
    const r = await runHandshake(base(port, { credentials: pem(lab.wrongClient), previousAcceptableIssuers: ["CN=Lab Client CA,O=Lab"] }));
    assert.ok(r.warnings!.some((w) => /Rogue Client CA/.test(w) && /earlier run/.test(w)), JSON.stringify(r.warnings));
  });
});
