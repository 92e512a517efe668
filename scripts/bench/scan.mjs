#!/usr/bin/env node
// `certscope scan` wall time next to sslscan's on the same loopback openssl s_server configurations (the scan
// tests' set), and the connections the scan used. Goal (issue 12): scan ≤ 0.5 × sslscan. Both are timed as
// processes (start-up included), medians of N runs. Installs Debian's sslscan through apt only when missing.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as net from "node:net";

const root = new URL("../..", import.meta.url).pathname;
const N = Number(process.env.BENCH_N ?? 5);
const cli = join(root, "dist/cli.js");

if (spawnSync("sh", ["-c", "command -v sslscan"]).status !== 0) {
  console.log("sslscan missing: installing Debian's sslscan");
  const apt = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "sslscan"];
  const cmd = process.getuid?.() === 0 ? apt : ["sudo", ...apt];
  spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (spawnSync("sh", ["-c", "command -v sslscan"]).status !== 0) {
    console.log("sslscan could not be installed: no anchor, skipped");
    process.exit(0);
  }
}

const dir = mkdtempSync(join(tmpdir(), "certscope-bench-scan-"));
const f = (n) => join(dir, n);
spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("rsa.key"), "-out", f("rsa.pem"), "-days", "2", "-subj", "/CN=localhost"]);
spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f("ec.key"), "-out", f("ec.pem"), "-days", "2", "-subj", "/CN=localhost"]);
const dh = join(root, "test/fixtures/scan/dh1024.pem");

const CONFIGS = {
  "TLS 1.3 only, 2 suites, 2 groups": ["-cert", f("ec.pem"), "-key", f("ec.key"), "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256", "-groups", "X25519:secp384r1"],
  "TLS 1.2 ECDSA, server order": ["-cert", f("ec.pem"), "-key", f("ec.key"), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384", "-serverpref"],
  "TLS 1.0-1.2 static RSA, SECLEVEL 0": ["-cert", f("rsa.pem"), "-key", f("rsa.key"), "-no_tls1_3", "-min_protocol", "TLSv1", "-cipher", "AES128-SHA:AES256-SHA:AES128-GCM-SHA256:@SECLEVEL=0"],
  "DHE 1024": ["-cert", f("rsa.pem"), "-key", f("rsa.key"), "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-dhparam", dh],
  "RSA + ECDSA, OpenSSL defaults": ["-cert", f("rsa.pem"), "-key", f("rsa.key"), "-dcert", f("ec.pem"), "-dkey", f("ec.key")],
};

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function start(args) {
  const port = await freePort();
  const child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, ...args], { stdio: ["pipe", "pipe", "ignore"] });
  await new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error("s_server did not start")), 10000);
    child.stdout.on("data", (b) => {
      out += b;
      if (out.includes("ACCEPT")) (clearTimeout(t), resolve());
    });
  });
  child.stdout.resume();
  return { port, stop: () => child.kill("SIGKILL") };
}

function timed(cmd, args) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (b) => (out += b));
    p.on("close", () => resolve({ ms: performance.now() - t0, out }));
  });
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows = [];
for (const [name, args] of Object.entries(CONFIGS)) {
  const s = await start(args);
  try {
    const ours = [];
    const theirs = [];
    let conns = 0;
    let cap = 0;
    for (let i = 0; i < N; i++) {
      const a = await timed(process.execPath, [cli, "scan", `127.0.0.1:${s.port}`, "--json"]);
      ours.push(a.ms);
      const doc = JSON.parse(a.out);
      conns = doc.connections;
      cap = doc.maxConnections;
      theirs.push((await timed("sslscan", ["--no-colour", `127.0.0.1:${s.port}`])).ms);
    }
    rows.push({ name, ours: median(ours), theirs: median(theirs), conns, cap });
  } finally {
    s.stop();
  }
}
rmSync(dir, { recursive: true, force: true });
const w = Math.max(...rows.map((r) => r.name.length));
console.log(`${"configuration".padEnd(w)}  certscope scan   sslscan    ratio  connections (cap)   [median of ${N}]`);
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.ours.toFixed(0).padStart(9)} ms  ${r.theirs.toFixed(0).padStart(6)} ms  ${(r.ours / r.theirs).toFixed(2).padStart(6)}×  ${String(r.conns).padStart(6)} (${r.cap})`);
const total = rows.reduce((a, r) => a + r.ours, 0) / rows.reduce((a, r) => a + r.theirs, 0);
console.log(`overall: ${total.toFixed(2)}× sslscan's wall time (goal ≤ 0.5×)`);
