// One run says everything: besides the primary diagnosis, the other independent problems the same run found
// (diagnosis.also), each with its fix — live against openssl s_server and Node TLS servers on 127.0.0.1.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { runHandshake } from "../../src/core/tls";
import { main } from "../../src/cli";
import { makeLab, nodeServer, opensslServer, chainPem, type Lab, type Running } from "./helpers";

let lab: Lab;
const servers: Running[] = [];
const f: Record<string, string> = {};

before(async () => {
  lab = await makeLab();
  f.serverCert = lab.file("server.pem", lab.server.certPem);
  f.serverKey = lab.file("server.key", lab.server.keyPem);
  f.inter = lab.file("inter.pem", lab.inter.certPem);
  f.clientCa = lab.file("client-ca.pem", lab.clientCa.certPem);
  f.root = lab.file("root.pem", lab.root.certPem);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  lab?.cleanup();
});

async function mtlsServer(): Promise<number> {
  const s = await opensslServer(["-cert", f.serverCert, "-key", f.serverKey, "-cert_chain", f.inter, "-Verify", "1", "-CAfile", f.clientCa, "-tls1_3"]);
  servers.push(s);
  return s.port;
}

describe("diagnosis.also: every independent problem of one run", { concurrency: true }, () => {
  it("client certificate required AND an untrusted server root, in the same run", async () => {
    const port = await mtlsServer();
    const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [], useSystemRoots: false, timeoutMs: 20_000 });
    assert.equal(r.diagnosis?.category, "client_cert_required");
    const also = r.diagnosis?.also ?? [];
    assert.deepEqual(also.map((a) => a.category), ["untrusted_root"], JSON.stringify(also));
    assert.match(also[0].summary, /Lab Root CA/);
    assert.match(also[0].fix, /--ca/);
  });

  it("the same server with its root trusted: only the client certificate (no also)", async () => {
    const port = await mtlsServer();
    const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: 20_000 });
    assert.equal(r.diagnosis?.category, "client_cert_required");
    assert.equal(r.diagnosis?.also, undefined);
  });

  it("an expired server certificate for another name under an untrusted root: all three, expiry first", async () => {
    const s = await nodeServer({ cert: chainPem(lab.expired, lab.inter), key: lab.expired.keyPem });
    servers.push(s);
    const r = await runHandshake({ host: "127.0.0.1", port: s.port, servername: "wrong.example", ca: [], useSystemRoots: false, timeoutMs: 20_000 });
    assert.equal(r.diagnosis?.category, "cert_expired");
    assert.deepEqual((r.diagnosis?.also ?? []).map((a) => a.category), ["untrusted_root", "hostname_mismatch"]);
    for (const a of r.diagnosis!.also!) assert.ok(a.summary && a.fix, JSON.stringify(a));
  });

  it("a clean success has no diagnosis at all", async () => {
    const s = await nodeServer({ cert: chainPem(lab.server, lab.inter), key: lab.server.keyPem });
    servers.push(s);
    const r = await runHandshake({ host: "127.0.0.1", port: s.port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: 20_000 });
    assert.equal(r.outcome, "success");
    assert.equal(r.diagnosis, null);
  });

  it("the CLI report lists each secondary problem with its fix", async () => {
    const port = await mtlsServer();
    let out = "";
    const code = await main(["handshake", `127.0.0.1:${port}`, "--servername", "localhost", "--no-system-roots", "--timeout", "20000"], { stdout: (t) => (out += t), stderr: () => {}, env: {} });
    assert.equal(code, 1);
    assert.match(out, /Result: FAILED \(client_cert_required\)/);
    assert.match(out, /^Also \(untrusted_root\): .*Lab Root CA/m);
    assert.match(out, /^ {2}Fix: .*--ca/m);
    let json = "";
    await main(["handshake", `127.0.0.1:${port}`, "--servername", "localhost", "--no-system-roots", "--timeout", "20000", "--json"], { stdout: (t) => (json += t), stderr: () => {}, env: {} });
    const doc = JSON.parse(json);
    assert.equal(doc.diagnosis.also[0].category, "untrusted_root");
  });
});
