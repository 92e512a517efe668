#!/usr/bin/env node
// What the connection steps add to a handshake (issue 16), against local servers in a separate Node process:
//   plain     runHandshake, no application probe (TCP → TLS 1.3 → polite close)
//   + probe   the same with ALPN http/1.1 and the application probe (GET / read from an HTTPS server)
//   STARTTLS  an SMTP server: greeting, EHLO, STARTTLS (2 round trips of its own), then TLS and the EHLO probe
// Goals: the probe adds at most one round trip plus its bounded wait; STARTTLS only the protocol's own round
// trips. On loopback a round trip is the TCP connect time (printed), so the added times are compared with it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchCertificate } from "./lib/cert.mjs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("../..", import.meta.url).pathname;
const core = require(join(root, "dist/core.js"));
const N = Number(process.env.BENCH_N ?? 40);

const made = benchCertificate("certscope-bench-net-");
if (!made) {
  console.log("openssl not available: cannot make the bench certificate; skipped");
  process.exit(0);
}
const { cert, key } = made;

const serverCode = `
const tls = require("tls"), net = require("net"), https = require("https"), fs = require("fs");
const opts = { cert: fs.readFileSync(${JSON.stringify(cert)}), key: fs.readFileSync(${JSON.stringify(key)}) };
const ctx = tls.createSecureContext(opts);
const web = https.createServer({ ...opts, ALPNProtocols: ["http/1.1"] }, (req, res) => res.end("ok\\n"));
web.on("tlsClientError", () => {});
const smtp = net.createServer((s) => {
  s.on("error", () => {});
  s.write("220 bench ESMTP\\r\\n");
  let buf = "";
  const onData = (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\\n")) >= 0) {
      const line = buf.slice(0, i).trim().toUpperCase();
      buf = buf.slice(i + 1);
      if (line.startsWith("EHLO")) s.write("250-bench\\r\\n250 STARTTLS\\r\\n");
      else if (line === "STARTTLS") {
        s.off("data", onData);
        s.write("220 go ahead\\r\\n");
        const t = new tls.TLSSocket(s, { isServer: true, secureContext: ctx });
        t.on("error", () => {});
        t.on("data", (d2) => { if (/^EHLO/i.test(String(d2))) t.write("250 bench\\r\\n"); });
        return;
      } else s.write("500 what\\r\\n");
    }
  };
  s.on("data", onData);
});
web.listen(0, "127.0.0.1", () => smtp.listen(0, "127.0.0.1", () => console.log(web.address().port + " " + smtp.address().port)));`;
const server = spawn(process.execPath, ["-e", serverCode], { stdio: ["ignore", "pipe", "inherit"] });
const [webPort, smtpPort] = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim().split(" ").map(Number))));
const ca = [new Uint8Array(readFileSync(cert))];
const base = { host: "127.0.0.1", servername: "localhost", ca, useSystemRoots: false, timeoutMs: 5000 };

async function run(o) {
  const t0 = performance.now();
  const r = await core.runHandshake({ ...base, ...o });
  const total = performance.now() - t0;
  if (r.outcome !== "success") throw new Error(`bench handshake failed: ${JSON.stringify(r.diagnosis)}`);
  return { total, connect: r.timing.connect ?? 0, handshake: r.timing.handshake ?? 0, app: r.timing.app ?? 0, starttls: r.timing.starttls ?? 0 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const col = (rows, k) => median(rows.map((r) => r[k]));

try {
  const cases = {
    plain: { port: webPort, alpn: ["http/1.1"], appProbe: false },
    probe: { port: webPort, alpn: ["http/1.1"] },
    starttls: { port: smtpPort, starttls: "smtp" },
    starttlsNoProbe: { port: smtpPort, starttls: "smtp", appProbe: false },
  };
  for (let i = 0; i < 5; i++) for (const c of Object.values(cases)) await run(c); // warm-up
  const R = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < N; i++) for (const [k, c] of Object.entries(cases)) R[k].push(await run(c)); // interleaved
  const rtt = col(R.plain, "connect");
  const f = (v) => `${v.toFixed(2).padStart(7)} ms`;
  console.log(`connection steps against local servers (loopback, median of ${N}, interleaved; one round trip ≈ TCP connect ${rtt.toFixed(2)} ms):`);
  console.log(`  plain handshake (no probe), whole run                ${f(col(R.plain, "total"))}   (connect + handshake ${f(col(R.plain, "connect") + col(R.plain, "handshake"))})`);
  const probeAdded = col(R.probe, "total") - col(R.plain, "total");
  console.log(`  + application probe (GET /, answer read)              ${f(col(R.probe, "app"))}   whole run ${f(col(R.probe, "total"))} (${probeAdded >= 0 ? "+" : ""}${probeAdded.toFixed(2)} ms vs plain)`);
  console.log(`    = ${(col(R.probe, "app") / rtt).toFixed(1)} TCP round trips (one request/answer + the server's own work); never more than the 3000 ms answer wait`);
  const stAdded = col(R.starttlsNoProbe, "total") - col(R.plain, "total");
  console.log(`  STARTTLS smtp preamble (greeting, EHLO, STARTTLS)      ${f(col(R.starttlsNoProbe, "starttls"))}   whole run ${f(col(R.starttlsNoProbe, "total"))} (${stAdded >= 0 ? "+" : ""}${stAdded.toFixed(2)} ms vs plain; ${(col(R.starttlsNoProbe, "starttls") / rtt).toFixed(1)} round trips for the protocol's own 3 exchanges)`);
  console.log(`  STARTTLS smtp + EHLO probe after TLS                   ${f(col(R.starttls, "starttls") + col(R.starttls, "app"))}   whole run ${f(col(R.starttls, "total"))}`);
} finally {
  server.kill();
  made.cleanup();
}
