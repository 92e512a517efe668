#!/usr/bin/env node
// Benchmark for `certscope inspect` on a large bundle (issue 2 §3): the system CA bundle repeated to 5,000
// certificates as PEM, plus the same as a PKCS#7 (openssl crl2pkcs7). Times, next to
// `openssl pkcs7 -print_certs -text` on the same file: `inspect --summary --json` and the full
// `inspect --json`, each including process start; prints ratios and per-certificate costs.
// Also times a bundle of 5,000 DISTINCT certificates (generated once), so that per-certificate caches
// (self-signature checks by fingerprint) do not flatter the figures.
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { loadavg, cpus } from "node:os";

const root = new URL("../..", import.meta.url).pathname;
const cli = join(root, "dist/cli.js");
const N = Number(process.env.BENCH_CERTS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const caFile = "/etc/ssl/certs/ca-certificates.crt";

if (!existsSync(cli)) {
  console.error("dist/cli.js missing: run `npm run build` first");
  process.exit(1);
}
if (!existsSync(caFile)) {
  console.log(`skipped: ${caFile} not found`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "certscope-bench-"));
try {
  const blocks = readFileSync(caFile, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  const out = [];
  for (let i = 0; out.length < N; i++) out.push(blocks[i % blocks.length].endsWith("\n") ? blocks[i % blocks.length] : blocks[i % blocks.length] + "\n");
  const pem = join(dir, "big.pem");
  writeFileSync(pem, out.join(""));
  const p7 = join(dir, "big.p7b");
  const r = spawnSync("openssl", ["crl2pkcs7", "-nocrl", "-certfile", pem, "-outform", "DER", "-out", p7]);
  if (r.status !== 0) throw new Error(`openssl crl2pkcs7 failed: ${r.stderr}`);

  const time = (cmd, args) => {
    const samples = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const res = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: "buffer" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${res.status}: ${String(res.stderr).slice(0, 400)}`);
      bytes = res.stdout.length;
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    return { ms: samples[Math.floor(samples.length / 2)], min: samples[0], bytes };
  };
  const start = time(process.execPath, ["-e", "0"]);
  const ossl = time("openssl", ["pkcs7", "-inform", "DER", "-in", p7, "-print_certs", "-text", "-noout"]);
  const summary = time(process.execPath, [cli, "inspect", pem, "--summary", "--json"]);
  const full = time(process.execPath, [cli, "inspect", pem, "--json"]);
  const fullP7 = time(process.execPath, [cli, "inspect", p7, "--json"]);
  const human = time(process.execPath, [cli, "inspect", pem]);
  const per = (ms) => `${((ms * 1000) / N).toFixed(1)} µs/cert`;
  const row = (name, t, base) =>
    console.log(
      `${name.padEnd(40)} ${t.ms.toFixed(0).padStart(6)} ms (min ${t.min.toFixed(0).padStart(5)})  ${per(t.ms).padStart(14)}  ${(t.ms / base.ms).toFixed(2).padStart(5)}× openssl (min/min ${(t.min / base.min).toFixed(2)})  ${(t.bytes / 1e6).toFixed(1)} MB out`,
    );
  console.log(`${N} certificates (system CA bundle repeated), median and min of ${RUNS} runs, each including process start (node alone: ${start.ms.toFixed(0)} ms)`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${cpus().length} CPUs${loadavg()[0] > cpus().length ? " — busy machine: figures are noisy, compare the min columns" : ""}`);
  row("openssl pkcs7 -print_certs -text (p7b)", ossl, ossl);
  row("inspect --summary --json (pem)", summary, ossl);
  row("inspect --json (pem, full decode)", full, ossl);
  row("inspect --json (p7b, full decode)", fullP7, ossl);
  row("inspect (pem, human-readable)", human, ossl);
  const ratio = summary.min / ossl.min;
  console.log(
    `goals: summary ≤ 0.15× openssl → ${ratio.toFixed(2)}× (${ratio <= 0.15 ? "met" : "not met"}); summary ≤ 0.4 s → ${summary.min.toFixed(0)} ms (${summary.min <= 400 ? "met" : "not met"}); ` +
      `full ≤ 1× openssl → ${(full.min / ossl.min).toFixed(2)}× (${full.min <= ossl.min ? "met" : "not met"})`,
  );

  // Distinct certificates: no cache can help. Generated with node:crypto keys + a tiny DER writer would be
  // long; use openssl to make 1 key and many self-signed certs in one call per batch instead.
  const distinct = join(dir, "distinct.pem");
  const M = Number(process.env.BENCH_DISTINCT ?? 1000);
  const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
  const keyFile = join(dir, "k.pem");
  writeFileSync(keyFile, key);
  const certs = [];
  // openssl req is ~3 ms per call; 1,000 calls ≈ 3 s, which is fine for a bench.
  for (let i = 0; i < M; i++) {
    const g = spawnSync("openssl", ["req", "-x509", "-new", "-key", keyFile, "-subj", `/CN=distinct-${i}/O=Bench`, "-days", "30", "-addext", `subjectAltName=DNS:host${i}.example`], { encoding: "utf8" });
    if (g.status !== 0) break;
    certs.push(g.stdout);
  }
  if (M > 0 && certs.length === M) {
    new X509Certificate(certs[0]);
    writeFileSync(distinct, certs.join(""));
    const dSum = time(process.execPath, [cli, "inspect", distinct, "--summary", "--json"]);
    const dFull = time(process.execPath, [cli, "inspect", distinct, "--json"]);
    const perD = (ms) => `${(((ms - start.ms) * 1000) / M).toFixed(1)} µs/cert (after node start)`;
    console.log(`${M} distinct self-signed EC certificates (every self-signature verified): summary ${dSum.ms.toFixed(0)} ms = ${perD(dSum.ms)}; full ${dFull.ms.toFixed(0)} ms = ${perD(dFull.ms)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
