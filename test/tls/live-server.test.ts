// Server-side scenarios against real servers on 127.0.0.1: one-way TLS success (1.2, 1.3), and each kind of
// bad server certificate — asserting outcome, category, and the messages seen on the wire.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { runHandshake, type HandshakeOptions } from "../../src/core/tls";
import { makeLab, nodeServer, chainPem, seq, issue, type Lab, type Running } from "./helpers";

let lab: Lab;
const servers: Running[] = [];

async function serve(opts: Parameters<typeof nodeServer>[0]): Promise<number> {
  const s = await nodeServer(opts);
  servers.push(s);
  return s.port;
}

before(async () => {
  lab = await makeLab();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  lab?.cleanup();
});

function base(port: number, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return { host: "127.0.0.1", port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: 5000, ...extra };
}

describe("server certificate scenarios", { concurrency: true }, () => {
  it("TLS 1.3 one-way success: full chain, decrypted flight", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, minVersion: "TLSv1.3" });
    const r = await runHandshake(base(port));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.diagnosis, null);
    assert.equal(r.protocol, "TLSv1.3");
    assert.equal(r.group, "x25519");
    assert.deepEqual(seq(r.messages).slice(0, 7), [
      "client:ClientHello",
      "server:ServerHello",
      "server:EncryptedExtensions*",
      "server:Certificate*",
      "server:CertificateVerify*",
      "server:Finished*",
      "client:Finished*",
    ]);
    assert.deepEqual(
      r.serverChain.map((c) => c.subject.text),
      ["CN=localhost,O=Lab", "CN=Lab Issuing CA,O=Lab"],
    );
    assert.equal(r.validation?.valid, true);
    assert.equal(r.clientCertificate.requested, false);
    assert.ok(r.timing && r.timing.total > 0 && r.timing.handshake! > 0);
    const hello = r.messages[0].detail as Record<string, unknown>;
    assert.equal(hello.serverName, "localhost");
    assert.ok((hello.supportedVersions as string[]).includes("TLSv1.3"));
    assert.ok((hello.keyShares as string[]).includes("x25519"));
  });

  it("TLS 1.2 one-way success: ECDHE, Finished decrypted after ChangeCipherSpec", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, maxVersion: "TLSv1.2" });
    const r = await runHandshake(base(port));
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.protocol, "TLSv1.2");
    const s = seq(r.messages);
    for (const m of ["server:Certificate", "server:ServerKeyExchange", "server:ServerHelloDone", "client:ClientKeyExchange", "client:ChangeCipherSpec", "client:Finished*", "server:ChangeCipherSpec", "server:Finished*"])
      assert.ok(s.includes(m), `${m} in ${s.join(" ")}`);
    const ske = r.messages.find((m) => m.type === "ServerKeyExchange")!;
    assert.equal(ske.detail.group, "x25519");
  });

  it("expired server certificate → cert_expired", async () => {
    const port = await serve({ cert: chainPem(lab.expired, lab.inter), key: lab.expired.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "cert_expired");
    assert.match(r.diagnosis!.summary, /CN=localhost,O=Lab Expired/);
    assert.ok(seq(r.messages).includes("server:Certificate*"));
    assert.equal(r.serverChain.length, 2, "the chain is shown even though it is bad");
  });

  it("not-yet-valid server certificate → cert_not_yet_valid", async () => {
    const port = await serve({ cert: chainPem(lab.notYet, lab.inter), key: lab.notYet.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "cert_not_yet_valid");
    assert.equal(r.outcome, "failure");
  });

  it("wrong host → hostname_mismatch naming the certificate's names", async () => {
    const port = await serve({ cert: chainPem(lab.wrongHost, lab.inter), key: lab.wrongHost.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "hostname_mismatch");
    assert.match(r.diagnosis!.summary, /www\.example\.org/);
    assert.match(r.diagnosis!.summary, /'localhost'/);
  });

  it("self-signed leaf → self_signed", async () => {
    const port = await serve({ cert: lab.selfSigned.certPem, key: lab.selfSigned.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "self_signed");
    assert.match(r.diagnosis!.summary, /self-signed/);
    assert.doesNotMatch(r.diagnosis!.summary, /CA certificate/);
  });

  it("a self-signed leaf with CA:TRUE (openssl req -x509 default) is still called a self-signed leaf", async () => {
    const ss = await issue({ subject: "CN=localhost", ca: true, san: ["localhost"] });
    const port = await serve({ cert: ss.certPem, key: ss.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "self_signed");
    assert.match(r.diagnosis!.summary, /self-signed/);
    assert.doesNotMatch(r.diagnosis!.summary, /CA certificate/);
  });

  it("a CA certificate served as the leaf is told apart from a self-signed leaf", async () => {
    const port = await serve({ cert: lab.caAsLeaf.certPem, key: lab.caAsLeaf.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "self_signed");
    assert.match(r.diagnosis!.summary, /CA certificate 'CN=Lab Misused CA,O=Lab'/);
  });

  it("untrusted root (chain from another PKI) → untrusted_root naming the issuer", async () => {
    const port = await serve({ cert: lab.otherLeaf.certPem, key: lab.otherLeaf.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "untrusted_root");
    assert.match(r.diagnosis!.summary, /Other Root CA/);
  });

  it("untrusted root sent along with the chain → untrusted_root", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter, lab.root), key: lab.server.keyPem });
    const r = await runHandshake(base(port, { ca: [lab.otherRoot.der] }));
    assert.equal(r.diagnosis?.category, "untrusted_root");
    assert.match(r.diagnosis!.summary, /Lab Root CA/);
  });

  it("leaf without its intermediate → incomplete_chain naming the missing intermediate", async () => {
    const port = await serve({ cert: lab.server.certPem, key: lab.server.keyPem });
    const r = await runHandshake(base(port));
    assert.equal(r.diagnosis?.category, "incomplete_chain");
    assert.match(r.diagnosis!.summary, /CN=Lab Issuing CA,O=Lab/);
    assert.equal(r.serverChain.length, 1);
  });

  it("leaf without an intermediate named without hints, trust anchor of the same organisation → incomplete_chain", async () => {
    const root = await issue({ subject: "CN=Acme Trust,O=Acme", ca: true });
    const mid = await issue({ subject: "CN=Acme Servers,O=Acme", ca: true, issuer: root });
    const leaf = await issue({ subject: "CN=localhost", issuer: mid, san: ["localhost"] });
    const port = await serve({ cert: leaf.certPem, key: leaf.keyPem });
    const r = await runHandshake(base(port, { ca: [root.der] }));
    assert.equal(r.diagnosis?.category, "incomplete_chain");
    const alone = await runHandshake(base(port, { ca: [] }));
    assert.equal(alone.diagnosis?.category, "untrusted_root", "without any anchor it reads as an unknown root");
  });

  it("ALPN with no protocol in common → other, naming the ALPN list", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, ALPNProtocols: ["h2"] });
    const r = await runHandshake(base(port, { alpn: ["http/1.1"] }));
    assert.equal(r.outcome, "failure");
    assert.equal(r.diagnosis?.category, "other");
    assert.match(r.diagnosis!.summary, /ALPN \(http\/1\.1\)/);
  });

  it("ALPN: the server's choice is reported", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, ALPNProtocols: ["h2", "http/1.1"] });
    const r = await runHandshake(base(port, { alpn: ["h2", "http/1.1"] }));
    assert.equal(r.outcome, "success");
    assert.equal(r.alpn, "h2");
    assert.deepEqual(r.messages[0].detail.alpn, ["h2", "http/1.1"]);
    assert.equal(r.messages.find((m) => m.type === "EncryptedExtensions")?.detail.alpn, "h2");
  });

  it("key log lines are handed out and never land in the result", async () => {
    const port = await serve({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem });
    const lines: string[] = [];
    const r = await runHandshake(base(port, { keylog: (l) => lines.push(l) }));
    assert.equal(r.outcome, "success");
    assert.ok(lines.some((l) => l.startsWith("SERVER_HANDSHAKE_TRAFFIC_SECRET ")));
    const json = JSON.stringify(r);
    for (const l of lines) assert.ok(!json.includes(l.split(" ")[2]), "no secret in the result");
  });
});
