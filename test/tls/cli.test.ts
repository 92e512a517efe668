// `certscope handshake` per the contract: flags, HOST:PORT forms, JSON document, exit codes, key log file.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createPrivateKey } from "node:crypto";
import { main } from "../../src/cli";
import { parseTarget } from "../../src/cli/handshake";
import { parseTranscript } from "../../src/core/tls";
import { makeLab, nodeServer, closedPort, chainPem, type Lab, type Running } from "./helpers";

let lab: Lab;
let server: Running;
let mtls: Running;
const f: Record<string, string> = {};

before(async () => {
  lab = await makeLab();
  server = await nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, ALPNProtocols: ["h2"] });
  mtls = await nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem, requestCert: true, rejectUnauthorized: true, ca: lab.clientCa.certPem });
  f.root = lab.file("root.pem", lab.root.certPem);
  f.client = lab.file("client.pem", lab.client.certPem);
  f.clientKey = lab.file("client.key", lab.client.keyPem);
  f.encKey = lab.file("client-enc.key", createPrivateKey(lab.client.keyPem).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw-123" }) as string);
  f.otherKey = lab.file("other.key", lab.wrongClient.keyPem);
  f.combined = lab.file("combined.pem", lab.client.certPem + lab.client.keyPem);
  f.keylog = `${lab.dir}/keys.log`;
});
after(async () => {
  await server?.close();
  await mtls?.close();
  lab?.cleanup();
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["handshake", ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out, err };
}

describe("certscope handshake", { concurrency: true }, () => {
  it("parses HOST:PORT, [v6]:PORT and rejects the rest", () => {
    assert.deepEqual(parseTarget("example.org:443"), { host: "example.org", port: 443 });
    assert.deepEqual(parseTarget("[::1]:8443"), { host: "::1", port: 8443 });
    assert.deepEqual(parseTarget("127.0.0.1:1"), { host: "127.0.0.1", port: 1 });
    for (const bad of ["example.org", "::1:443", "host:0", "host:70000", "host:abc", ":443"]) assert.throws(() => parseTarget(bad), /HOST:PORT|port|brackets/, bad);
  });

  it("usage errors exit 2 with a message on stderr", async () => {
    const cases: [string[], RegExp][] = [
      [[], /missing HOST:PORT/],
      [["localhost"], /HOST:PORT/],
      [["localhost:443", "--tls-min", "1.4"], /--tls-min/],
      [["localhost:443", "--tls-min", "1.3", "--tls-max", "1.2"], /above/],
      [["localhost:443", "--timeout", "soon"], /--timeout/],
      [["localhost:443", "--pfx", "a.p12", "--cert", "b.pem"], /either --pfx/],
      [["localhost:443", "--bogus"], /unknown option/],
      [["localhost:443", "--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"], /cannot read certificate file '\/nonexistent\/c\.pem': no such file/],
      [["localhost:443", "--ca", "/nonexistent/ca.pem"], /cannot read CA file/],
      [["localhost:443", "--ca", "KEYFILE"], /contains no certificate/],
      [["localhost:443", "--passphrase-env", "NOT_SET_ANYWHERE"], /NOT_SET_ANYWHERE/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv.map((a) => (a === "KEYFILE" ? f.clientKey : a)));
      assert.equal(r.code, 2, argv.join(" "));
      assert.equal(r.out, "");
      assert.match(r.err, re);
    }
  });

  it("--json success: one document, exit 0, the contract's fields", async () => {
    const r = await run([`127.0.0.1:${server.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--alpn", "h2,http/1.1", "--json"]);
    assert.equal(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.target, { host: "127.0.0.1", port: server.port, servername: "localhost" });
    assert.equal(j.outcome, "success");
    assert.equal(j.diagnosis, null);
    assert.equal(j.protocol, "TLSv1.3");
    assert.equal(j.alpn, "h2");
    assert.equal(typeof j.cipher, "string");
    assert.equal(typeof j.group, "string");
    assert.equal(j.messages[0].type, "ClientHello");
    assert.deepEqual(j.clientCertificate, { requested: false, acceptableIssuers: [], sent: false });
    assert.equal(j.serverChain[0].kind, "certificate");
    assert.equal(j.serverChain[0].subject.text, "CN=localhost,O=Lab");
    assert.equal(j.validation.valid, true);
    assert.equal(j.transcript, undefined);
  });

  it("human output: arrow diagram, result and fix", async () => {
    const r = await run([`127.0.0.1:${server.port}`, "--servername", "localhost", "--no-system-roots"]);
    assert.equal(r.code, 1);
    assert.match(r.out, /ClientHello\s+──────▶/);
    assert.match(r.out, /◀────── ServerHello/);
    assert.match(r.out, /Result: FAILED \(untrusted_root\)/);
    assert.match(r.out, /Fix: /);
  });

  it("--transcript FILE saves the run in the fixture format; replaying it gives the same messages", async () => {
    const file = `${lab.dir}/run.json`;
    const r = await run([`127.0.0.1:${server.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--transcript", file, "--json"]);
    assert.equal(r.code, 0);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    assert.equal(saved.version, 1);
    const live = JSON.parse(r.out).messages.map((m: { from: string; type: string }) => `${m.from}:${m.type}`);
    assert.deepEqual(
      parseTranscript(saved).map((m) => `${m.from}:${m.type}`),
      live,
    );
  });

  it("a failed handshake exits 1 (closed port, JSON still printed)", async () => {
    const port = await closedPort();
    const r = await run([`127.0.0.1:${port}`, "--json"]);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).diagnosis.category, "connection_refused");
    // The human report: one blank line between sections, never two (a refused connection has no messages).
    const human = await run([`127.0.0.1:${port}`]);
    assert.equal(human.code, 1);
    assert.match(human.out, /Result: FAILED \(connection_refused\)/);
    assert.doesNotMatch(human.out, /\n\n\n/);
  });

  it("client credentials: encrypted key with --passphrase-env, combined PEM without --key, --keylog file", async () => {
    const ok = await run([`127.0.0.1:${mtls.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--cert", f.client, "--key", f.encKey, "--passphrase-env", "PW", "--keylog", f.keylog, "--json"], {
      PW: "pw-123",
    });
    assert.equal(ok.code, 0, ok.out);
    assert.equal(JSON.parse(ok.out).clientCertificate.sent, true);
    assert.ok(!ok.out.includes("pw-123"));
    const keylog = readFileSync(f.keylog, "utf8");
    assert.match(keylog, /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m);
    const combined = await run([`127.0.0.1:${mtls.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--cert", f.combined, "--json"]);
    assert.equal(combined.code, 0, combined.out);
  });

  it("wrong passphrase exits 2 (unreadable input), key mismatch exits 1", async () => {
    const bad = await run([`127.0.0.1:${mtls.port}`, "--cert", f.client, "--key", f.encKey, "--passphrase-env", "PW", "--json"], { PW: "nope" });
    assert.equal(bad.code, 2);
    assert.equal(JSON.parse(bad.out).diagnosis.category, "bad_passphrase");
    const mismatch = await run([`127.0.0.1:${mtls.port}`, "--cert", f.client, "--key", f.otherKey, "--json"]);
    assert.equal(mismatch.code, 1);
    assert.equal(JSON.parse(mismatch.out).diagnosis.category, "key_mismatch");
  });

  it("mTLS without a certificate: client_cert_required, exit 1", async () => {
    const r = await run([`127.0.0.1:${mtls.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--json"]);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.diagnosis.category, "client_cert_required");
    assert.deepEqual(j.clientCertificate.acceptableIssuers, ["CN=Lab Client CA,O=Lab"]);
  });
});
