import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyChain } from "../../src/core/chain";
import { main } from "../../src/cli";
import { EKU, makeCert, oid, standardChain, tlv } from "./kit";

const AT = new Date("2026-06-01T00:00:00Z");

function aia(url: string) {
  const uri = Array.from(Buffer.from(url, "latin1"));
  return { oid: "1.3.6.1.5.5.7.1.1", critical: false, value: tlv(0x30, tlv(0x30, oid("1.3.6.1.5.5.7.48.2"), tlv(0x86, uri))) };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test("AIA caIssuers: fetched only when asked, with a timeout and cancellation", async (t) => {
  const c = await standardChain();
  let hits = 0;
  const { server, base } = await listen((req, res) => {
    hits++;
    if (req.url === "/ica.cer") {
      res.writeHead(200, { "content-type": "application/pkix-cert" });
      res.end(Buffer.from(c.icaDer));
    }
    // "/hang" never answers.
  });
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const leafFor = (path: string) =>
    makeCert({ subject: "CN=localhost", keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }], extra: [aia(base + path)] });
  const leaf = await leafFor("/ica.cer");
  const opts = { trusted: [c.rootDer], useSystemRoots: false, at: AT, host: "localhost" };

  let r = await verifyChain([leaf], opts);
  assert.deepEqual(r.problems.map((p) => p.code), ["missing_issuer"]);
  assert.equal(hits, 0, "no network unless fetchAia");

  r = await verifyChain([leaf], { ...opts, fetchAia: true });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(r.chain.map((l) => l.source), ["leaf", "aia", "trusted"]);

  const hang = await leafFor("/hang");
  const t0 = Date.now();
  r = await verifyChain([hang], { ...opts, fetchAia: true, aiaTimeoutMs: 200 });
  assert.deepEqual(r.problems.map((p) => p.code), ["missing_issuer"]);
  assert.match(r.problems[0].message, /AIA caIssuers tried: http:\/\/127\.0\.0\.1:\d+\/hang: no answer within 200 ms/);
  assert.ok(Date.now() - t0 < 2000, "timeout honoured");

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t1 = Date.now();
  r = await verifyChain([hang], { ...opts, fetchAia: true, aiaTimeoutMs: 30_000, signal: ac.signal });
  assert.equal(r.valid, false);
  assert.ok(Date.now() - t1 < 2000, "abort honoured");
});

test("certscope verify --aia: the CLI fetches a missing issuer only with the flag", async (t) => {
  const c = await standardChain();
  const { server, base } = await listen((req, res) => {
    res.writeHead(200, { "content-type": "application/pkix-cert" });
    res.end(Buffer.from(c.icaDer));
  });
  const dir = mkdtempSync(join(tmpdir(), "certscope-aia-"));
  t.after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const leaf = await makeCert({ subject: "CN=localhost", keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }], extra: [aia(base + "/ica.cer")] });
  writeFileSync(join(dir, "leaf.der"), leaf);
  writeFileSync(join(dir, "root.der"), c.rootDer);
  const run = async (extra: string[]) => {
    let out = "";
    const code = await main(["verify", join(dir, "leaf.der"), "--trusted", join(dir, "root.der"), "--no-system-roots", "--host", "localhost", "--at", AT.toISOString(), "--json", ...extra], {
      stdout: (s) => (out += s),
      stderr: () => {},
      env: {},
    });
    return { code, json: JSON.parse(out) as { valid: boolean; chain: { source: string }[]; problems: { code: string }[] } };
  };
  const without = await run([]);
  assert.equal(without.code, 1);
  assert.deepEqual(without.json.problems.map((p) => p.code), ["missing_issuer"]);
  const withAia = await run(["--aia"]);
  assert.equal(withAia.code, 0, JSON.stringify(withAia.json.problems));
  assert.deepEqual(withAia.json.chain.map((l) => l.source), ["leaf", "aia", "trusted"]);
});

test("certscope: an internal error is one line unless CERTSCOPE_DEBUG asks for the stack", async () => {
  // Bad input is not an internal error; an io whose stdout throws is (it stands in for any bug of ours).
  const boom = () => {
    throw new Error("stdout closed");
  };
  let err = "";
  const code = await main(["verify", "/nonexistent/certscope-file.pem", "--json"], { stdout: boom, stderr: (s) => (err += s), env: {} });
  assert.equal(code, 2);
  assert.match(err, /no such file/);
  err = "";
  const dir = mkdtempSync(join(tmpdir(), "certscope-ie-"));
  try {
    const c = await standardChain();
    writeFileSync(join(dir, "leaf.der"), c.leafDer);
    let code2 = await main(["verify", join(dir, "leaf.der"), "--no-system-roots", "--json"], { stdout: boom, stderr: (s) => (err += s), env: {} });
    assert.equal(code2, 2);
    assert.match(err, /^certscope verify: internal error: stdout closed\n\(set CERTSCOPE_DEBUG=1/);
    assert.doesNotMatch(err, /\n\s+at /);
    err = "";
    code2 = await main(["verify", join(dir, "leaf.der"), "--no-system-roots", "--json"], { stdout: boom, stderr: (s) => (err += s), env: { CERTSCOPE_DEBUG: "1" } });
    assert.equal(code2, 2);
    assert.match(err, /internal error: Error: stdout closed\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
