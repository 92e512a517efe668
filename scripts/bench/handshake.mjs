#!/usr/bin/env node
// Handshake wall time against a local TLS 1.3 server (a separate Node process on 127.0.0.1):
//   plain    tls.connect → secureConnect, no tap (the floor)
//   tapped   runHandshake from dist/core.js: wire tap + decoding + decryption + chain validation + diagnosis
//   s_client the same handshake through `openssl s_client` (includes process start-up)
// Goal (issue 4): the tap + decoding cost ≤ 20 % over the plain handshake. Medians of N runs.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { benchCertificate } from "./lib/cert.mjs";
import { createRequire } from "node:module";
import * as tls from "node:tls";

const require = createRequire(import.meta.url);
const root = new URL("../..", import.meta.url).pathname;
const core = require(join(root, "dist/core.js"));
const N = Number(process.env.BENCH_N ?? 60);

const made = benchCertificate();
if (!made) {
  console.log("openssl not available: cannot make the bench certificate; skipped");
  process.exit(0);
}
const { cert, key } = made;

const serverCode = `
const tls = require("tls"), fs = require("fs");
const s = tls.createServer({ cert: fs.readFileSync(${JSON.stringify(cert)}), key: fs.readFileSync(${JSON.stringify(key)}) }, (c) => { c.on("error", () => {}); c.resume(); });
s.on("tlsClientError", () => {});
s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
const server = spawn(process.execPath, ["-e", serverCode], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
const ca = [new Uint8Array(Buffer.from(require("node:fs").readFileSync(cert)))];

/** Plain tls.connect: TCP connect → secureConnect (the floor), then a polite close. */
function plain() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: [Buffer.from(ca[0])] }, () => {
      const t = performance.now() - t0;
      s.end();
      resolve(t);
    });
    s.on("error", reject);
  });
}

/** runHandshake: the tapped handshake (connect → handshake), and the whole run (+ decode, validate, diagnose). */
async function tapped() {
  const t0 = performance.now();
  const r = await core.runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca, useSystemRoots: false, timeoutMs: 5000 });
  const total = performance.now() - t0;
  if (r.outcome !== "success") throw new Error(`bench handshake failed: ${JSON.stringify(r.diagnosis)}`);
  return { hs: r.timing.connect + r.timing.handshake, decode: r.timing.decode, total };
}

function sClient() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const c = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-CAfile", cert, "-verify_return_error"], { stdio: ["pipe", "ignore", "ignore"] });
    c.stdin.end();
    c.on("exit", () => resolve(performance.now() - t0));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

try {
  for (let i = 0; i < 8; i++) {
    await plain();
    await tapped(); // warm-up: JIT, module loading, first secure context
  }
  // Interleaved, so drift in machine load hits both alike.
  const P = [];
  const H = [];
  const D = [];
  const T = [];
  for (let i = 0; i < N; i++) {
    P.push(await plain());
    const t = await tapped();
    H.push(t.hs);
    D.push(t.decode);
    T.push(t.total);
  }
  const S = [];
  for (let i = 0; i < Math.max(5, Math.floor(N / 4)); i++) S.push(await sClient());
  const p = median(P);
  const h = median(H);
  const d = median(D);
  const t = median(T);
  const s = median(S);
  const tapOnly = ((h - p) / p) * 100;
  const tapCost = ((h + d - p) / p) * 100;
  console.log(`handshake against a local TLS 1.3 server (loopback, median of ${N}, interleaved):`);
  console.log(`  plain tls.connect, connect → secureConnect        ${p.toFixed(2)} ms`);
  console.log(`  through the tap, connect → secureConnect           ${h.toFixed(2)} ms  (${(((h - p) / p) * 100).toFixed(1)} %)`);
  console.log(`  + decoding and decryption of the transcript        ${d.toFixed(2)} ms`);
  console.log(`  goal (issue 4) the tap costs ≤ 20 %:               ${tapOnly.toFixed(1)} % → ${tapOnly <= 20 ? "met" : "NOT met"}`);
  console.log(`  tap + decoding vs plain                            +${(h + d - p).toFixed(2)} ms (${tapCost.toFixed(1)} % of a loopback handshake; ${tapCost <= 20 ? "within" : "over"} 20 %)`);
  console.log(`  whole runHandshake (+ chain validation, diagnosis, polite close) ${t.toFixed(2)} ms`);
  console.log(`  openssl s_client (includes its process start-up)   ${s.toFixed(2)} ms`);
} finally {
  server.kill();
  made.cleanup();
}
