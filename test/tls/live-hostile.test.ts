/**
 * Hostile TLS servers (issue 11 follow-up), real ones on 127.0.0.1: a raw server that answers the ClientHello
 * with a TLS 1.2 ServerHello and then a Certificate message whose header claims 16 MB, dribbled in records;
 * one that follows its ServerHello with an endless stream of HelloRequests (handshake messages a client must
 * ignore, so it waits: the "still sending" diagnosis); and a Node TLS server whose chain is 500 certificates.
 * Each run must end within its timeout (plus scheduling slack on a shared machine: before the fix the
 * HelloRequest stream took 10–17 s for a 3 s timeout), say what happened in plain words, and stay bounded in
 * memory: the wire recorder keeps 4 MB per direction and the decoder LIMITS.handshakeMessages messages. Memory
 * is measured on the CLI in its own process (peak RSS, 600 MB heap cap).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Socket } from "node:net";
import { runHandshake, type HandshakeRun } from "../../src/core/tls";
import { LIMITS } from "../../src/core/budget";
import { makeLab, issue, nodeServer, rawTlsServer, tlsRecord, handshakeMessage, serverHello12, type Issued, type Lab, type Running } from "./helpers";

const ROOT = join(__dirname, "../..");
const TIMEOUT_MS = 3000;
/** Slack over the timeout for a loaded machine (the unit suite runs two files at once beside other work). */
const SLACK_MS = 3000;
const MEMORY_KB = 600 * 1024;

let lab: Lab;
const servers: Running[] = [];
before(async () => {
  lab = await makeLab();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  lab?.cleanup();
});

/** Writes `records()` every `everyMs` until the client goes away. */
function dribble(s: Socket, onClose: (stop: () => void) => void, everyMs: number, records: () => Buffer) {
  const timer = setInterval(() => {
    if (!s.destroyed && s.writableLength < 1 << 20) s.write(records());
  }, everyMs);
  onClose(() => clearInterval(timer));
}

/** ServerHello, then a Certificate header claiming 16 MB (the 24-bit maximum), then its body in 16 KB records, ~1.6 MB/s. */
const sixteenMegCertificate = () =>
  rawTlsServer((s, onClose) => {
    s.write(tlsRecord(22, Buffer.concat([serverHello12(), handshakeMessage(11, Buffer.alloc(0), 0xffffff)])));
    const chunk = tlsRecord(22, Buffer.alloc(16_000, 0x41));
    dribble(s, onClose, 10, () => chunk);
  });

/** ServerHello, then HelloRequests (4 bytes each) without end, ~3 MB/s: more than 4 MB within the timeout. */
const helloRequestStream = () =>
  rawTlsServer((s, onClose) => {
    s.write(tlsRecord(22, serverHello12()));
    const chunk = Buffer.concat(Array.from({ length: 4 }, () => tlsRecord(22, Buffer.alloc(16_000)))); // 4,000 HelloRequests each
    dribble(s, onClose, 20, () => chunk);
  });

async function timed(port: number): Promise<{ r: HandshakeRun; ms: number }> {
  const t0 = performance.now();
  const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [lab.root.der], useSystemRoots: false, timeoutMs: TIMEOUT_MS, recordTranscript: true });
  return { r, ms: performance.now() - t0 };
}

interface CliRun {
  code: number | null;
  json: { outcome: string; diagnosis: { category: string; summary: string } | null };
  rssKb: number;
}

/** `certscope handshake … --json` in its own process (600 MB heap cap), peak RSS reported on fd 3. */
function cliHandshake(port: number, transcript: string): Promise<CliRun> {
  const args = ["handshake", `127.0.0.1:${port}`, "--servername", "localhost", "--no-system-roots", "--timeout", String(TIMEOUT_MS), "--json", "--transcript", transcript];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=600", "--require", join(ROOT, "test/pki/rss-report.cjs"), "--import", "tsx", join(ROOT, "src/cli.ts"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let rss = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (d) => (rss += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      try {
        resolve({ code, json: JSON.parse(out), rssKb: Number(rss) || 0 });
      } catch {
        reject(new Error(`exit ${code}, not JSON: ${out.slice(0, 500)} ${err.slice(0, 1000)}`));
      }
    });
  });
}

function boundedMemory(name: string, c: CliRun, transcript: string) {
  console.log(`# hostile TLS ${name}: CLI exit ${c.code}, peak RSS ${Math.round(c.rssKb / 1024)} MB, transcript ${Math.round(statSync(transcript).size / 1024)} KB`);
  assert.equal(c.code, 1);
  assert.ok(c.rssKb > 0 && c.rssKb < MEMORY_KB, `${name}: peak RSS ${c.rssKb} KB`);
  // Hex of at most LIMITS.wireBytes per direction, plus the JSON around it.
  assert.ok(statSync(transcript).size < 4 * LIMITS.wireBytes + 65536, `${name}: transcript ${statSync(transcript).size} bytes`);
}

test("a server that dribbles a Certificate message of 16 MB: refused at its header, in plain words, at once", async () => {
  const srv = await sixteenMegCertificate();
  servers.push(srv);
  const { r, ms } = await timed(srv.port);
  assert.equal(r.outcome, "failure");
  assert.equal(r.diagnosis?.category, "other", JSON.stringify(r.diagnosis));
  // OpenSSL's client checks a Certificate's declared length against its 100 KB limit before reading the body.
  assert.match(r.diagnosis!.summary, /^The server sent a handshake message larger than a TLS client accepts \(\d+ K?B received after its ServerHello\): typically a certificate chain of hundreds of certificates, or a hostile server\.$/);
  assert.match(r.diagnosis!.fix, /only its certificate and the intermediates/);
  assert.ok(ms < TIMEOUT_MS + SLACK_MS, `${ms} ms`);
  const c = await cliHandshake(srv.port, lab.file("cert16.json", ""));
  assert.equal(c.json.diagnosis?.category, "other");
  assert.match(c.json.diagnosis!.summary, /larger than a TLS client accepts/);
  boundedMemory("16 MB Certificate", c, join(lab.dir, "cert16.json"));
});

test("a server that keeps sending handshake messages after its ServerHello: 'still sending', within the timeout, bounded", async () => {
  const srv = await helloRequestStream();
  servers.push(srv);
  const { r, ms } = await timed(srv.port);
  assert.equal(r.outcome, "failure");
  assert.equal(r.diagnosis?.category, "timeout", JSON.stringify(r.diagnosis));
  assert.match(
    r.diagnosis!.summary,
    new RegExp(`^The handshake with 127\\.0\\.0\\.1 port ${srv.port} did not complete within ${TIMEOUT_MS} ms: the server was still sending, [\\d.]+ (MB|KB) so far after its HelloRequest — far more than a handshake needs \\(a whole certificate chain takes a few KB\\)\\. It sends an endless stream of handshake messages, or one message very slowly\\.$`),
  );
  assert.match(r.diagnosis!.fix, /raise --timeout only if the link is truly slow/);
  assert.ok(ms < TIMEOUT_MS + SLACK_MS, `the run took ${Math.round(ms)} ms for a ${TIMEOUT_MS} ms timeout`);
  // The recorder kept at most 4 MB of it, and the decoder a bounded list of messages.
  assert.ok(r.messages.length <= LIMITS.handshakeMessages, `${r.messages.length} messages`);
  const kept = (r.transcript?.events ?? []).filter((e) => e.from === "server").reduce((n, e) => n + e.hex.length / 2, 0);
  assert.ok(kept > 256 * 1024 && kept <= LIMITS.wireBytes, `${kept} server bytes kept`);
  const c = await cliHandshake(srv.port, lab.file("stream.json", ""));
  assert.equal(c.json.diagnosis?.category, "timeout");
  assert.match(c.json.diagnosis!.summary, /the server was still sending/);
  boundedMemory("HelloRequest stream", c, join(lab.dir, "stream.json"));
});

test("a server whose chain is 500 certificates: the client's size limit, said in plain words", async () => {
  // A real chain: Lab Issuing CA → 498 intermediates, each signed by the one before → the leaf.
  const chain: Issued[] = [];
  let issuer = lab.inter;
  for (let i = 0; i < 498; i++) {
    issuer = await issue({ subject: `CN=Chain CA ${i},O=Lab`, ca: true, issuer });
    chain.unshift(issuer);
  }
  const leaf = await issue({ subject: "CN=localhost,O=Lab", issuer, san: ["localhost", "127.0.0.1"], eku: ["1.3.6.1.5.5.7.3.1"] });
  const pem = [leaf, ...chain, lab.inter].map((c) => c.certPem).join("");
  assert.equal(pem.match(/BEGIN CERTIFICATE/g)?.length, 500);
  const srv = await nodeServer({ cert: pem, key: leaf.keyPem });
  servers.push(srv);
  const { r, ms } = await timed(srv.port);
  assert.equal(r.outcome, "failure");
  assert.equal(r.diagnosis?.category, "other", JSON.stringify(r.diagnosis));
  assert.match(r.diagnosis!.summary, /^The server sent a handshake message larger than a TLS client accepts \(\d+ KB received after its ServerHello\): typically a certificate chain of hundreds of certificates, or a hostile server\.$/);
  assert.match(r.diagnosis!.fix, /^Configure the server to send only its certificate and the intermediates up to \(not including\) the root\.$/);
  assert.ok(ms < TIMEOUT_MS + SLACK_MS, `${ms} ms`);
  const c = await cliHandshake(srv.port, lab.file("chain500.json", ""));
  assert.equal(c.json.diagnosis?.category, "other");
  boundedMemory("500-certificate chain", c, join(lab.dir, "chain500.json"));
});
