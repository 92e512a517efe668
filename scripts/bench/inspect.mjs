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

  // Wall time of each run, plus the child's CPU time (user + sys, from bash's `times`), which a busy
  // machine disturbs much less than wall time.
  const q = (a) => `'${String(a).replace(/'/g, "'\\''")}'`;
  const time = (cmd, args) => {
    const samples = [];
    const cpu = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const res = spawnSync("bash", ["-c", `${[cmd, ...args].map(q).join(" ")} | wc -c; times`], { maxBuffer: 1 << 26, encoding: "utf8" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${res.status}: ${String(res.stderr).slice(0, 400)}`);
      const lines = res.stdout.trim().split("\n");
      bytes = Number(lines[0]);
      const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1]);
      if (m) cpu.push((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return { ms: samples[Math.floor(samples.length / 2)], min: samples[0], cpu: cpu.length ? cpu[0] : NaN, bytes };
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
      `${name.padEnd(40)} ${t.ms.toFixed(0).padStart(6)} ms (min ${t.min.toFixed(0).padStart(5)}, cpu ${t.cpu.toFixed(0).padStart(5)})  ${per(t.min).padStart(14)}  ` +
        `${(t.min / base.min).toFixed(2).padStart(5)}× openssl (cpu/cpu ${(t.cpu / base.cpu).toFixed(2)})  ${(t.bytes / 1e6).toFixed(1)} MB out`,
    );
  console.log(`${N} certificates (system CA bundle repeated), median and min of ${RUNS} runs, each including process start (node alone: ${start.min.toFixed(0)} ms, cpu ${start.cpu.toFixed(0)} ms); µs/cert from the min`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${cpus().length} CPUs${loadavg()[0] > cpus().length ? " — busy machine: figures are noisy, compare the min columns" : ""}`);
  row("openssl pkcs7 -print_certs -text (p7b)", ossl, ossl);
  row("inspect --summary --json (pem)", summary, ossl);
  row("inspect --json (pem, full decode)", full, ossl);
  row("inspect --json (p7b, full decode)", fullP7, ossl);
  row("inspect (pem, human-readable)", human, ossl);
  const ratio = summary.min / ossl.min;
  const cpuRatio = summary.cpu / ossl.cpu;
  console.log(
    `goals: summary ≤ 0.15× openssl → ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× cpu (${Math.min(ratio, cpuRatio) <= 0.15 ? "met" : "not met"}); ` +
      `summary ≤ 0.4 s → ${summary.min.toFixed(0)} ms wall, ${summary.cpu.toFixed(0)} ms cpu (${Math.min(summary.min, summary.cpu) <= 400 ? "met" : "not met"}); ` +
      `full ≤ 1× openssl → ${(full.min / ossl.min).toFixed(2)}× wall, ${(full.cpu / ossl.cpu).toFixed(2)}× cpu (${Math.min(full.min / ossl.min, full.cpu / ossl.cpu) <= 1 ? "met" : "not met"})`,
  );

  // This environment may set NODE_EXTRA_CA_CERTS (some sandboxes and corporate machines do): Node then reads and
  // parses that file at every start, which openssl does not. Say what it costs, so the figures can be compared.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const bare = time("env", ["-u", "NODE_EXTRA_CA_CERTS", process.execPath, "-e", "0"]);
    const summaryBare = time("env", ["-u", "NODE_EXTRA_CA_CERTS", process.execPath, cli, "inspect", pem, "--summary", "--json"]);
    console.log(
      `NODE_EXTRA_CA_CERTS is set here (${process.env.NODE_EXTRA_CA_CERTS}): node's own start ${start.min.toFixed(0)} ms with it, ${bare.min.toFixed(0)} ms without; ` +
        `inspect --summary --json without it: ${summaryBare.min.toFixed(0)} ms wall (${(summaryBare.min / ossl.min).toFixed(2)}× openssl)`,
    );
  }

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
    const perD = (t) => `${(((t.min - start.min) * 1000) / M).toFixed(1)} µs/cert after node start`;
    console.log(
      `${M} distinct self-signed EC P-256 certificates (no cache helps; every self-signature verified): ` +
        `summary min ${dSum.min.toFixed(0)} ms (cpu ${dSum.cpu.toFixed(0)}) = ${perD(dSum)}; full min ${dFull.min.toFixed(0)} ms (cpu ${dFull.cpu.toFixed(0)}) = ${perD(dFull)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
