#!/usr/bin/env node
// Benchmark for key-derivation work (issue 11 follow-up): `certscope inspect` on files whose cost is their KDF —
// legitimate 600,000-iteration PKCS#12 files (OpenSSL 3's default HMAC-SHA256 MAC, and an HMAC-SHA1 MAC), and
// the hostile cases the per-file budget stops (tests in test/pki/hostile.test.ts): a HMAC-SHA1 MAC at
// 1,000,000 iterations (PKCS#12 KDF, RFC 7292 B.2), 40 PBES2 bags at 1,000,000 (PBKDF2), 30 encrypted PKCS#8
// keys at 1,000,000 with a wrong password. Prints wall and CPU time (min and median of BENCH_RUNS runs, each
// including process start) — CPU time is what a busy machine disturbs least.
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { seq, oid, oct, int, ctx0, hostileP12 } from "../../test/fixtures/pki/hostile.mjs";

const root = new URL("../..", import.meta.url).pathname;
const cli = join(root, "dist/cli.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!existsSync(cli)) {
  console.error("dist/cli.js missing: run `npm run build` first");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "certscope-bench-kdf-"));
const openssl = (args) => {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
};
const q = (a) => `'${String(a).replace(/'/g, "'\\''")}'`;

/** Wall and CPU (user + sys of the child, from bash's `times`) of `certscope inspect …`, min and median. */
function time(args, env, want) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("bash", ["-c", `${[process.execPath, cli, "inspect", ...args].map(q).join(" ")} >/dev/null 2>"$ERR"; echo $?; times`], {
      env: { ...process.env, ...env, ERR: join(dir, "err") },
      encoding: "utf8",
    });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const lines = r.stdout.trim().split("\n");
    const code = Number(lines[0]);
    if (code !== want) throw new Error(`inspect ${args.join(" ")}: exit ${code}, expected ${want}: ${readFileSync(join(dir, "err"), "utf8").slice(0, 400)}`);
    const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1]);
    if (m) cpu.push((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
  }
  const sorted = (a) => [...a].sort((x, y) => x - y);
  return { wall: sorted(wall), cpu: sorted(cpu) };
}

try {
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=bench", "-days", "2", "-out", "c.pem"]);
  openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:pw", "-iter", "600000", "-maciter", "-out", "600k.p12"]);
  openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:pw", "-iter", "600000", "-maciter", "-macalg", "sha1", "-out", "600k-sha1mac.p12"]);
  openssl(["pkcs8", "-topk8", "-in", "k.pem", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "1000000", "-passout", "pass:right", "-out", "enc.pem"]);
  writeFileSync(join(dir, "30keys.pem"), readFileSync(join(dir, "enc.pem"), "utf8").repeat(30));
  writeFileSync(join(dir, "40bags.p12"), hostileP12());
  const data = "1.2.840.113549.1.7.1";
  const mac = seq(seq(seq(oid("1.3.14.3.2.26")), oct(randomBytes(20))), oct(randomBytes(8)), int(1_000_000));
  writeFileSync(join(dir, "mac.p12"), seq(int(3), seq(oid(data), ctx0(oct(seq(seq(oid(data), ctx0(oct(seq()))))))), mac));

  const cases = [
    ["PKCS#12 600,000 it., HMAC-SHA256 MAC (opens)", ["600k.p12", "--password-env", "PW"], { PW: "pw" }, 0],
    ["PKCS#12 600,000 it., HMAC-SHA1 MAC (opens)", ["600k-sha1mac.p12", "--password-env", "PW"], { PW: "pw" }, 0],
    ["hostile: HMAC-SHA1 MAC at 1,000,000 it.", ["mac.p12"], {}, 2],
    ["hostile: 40 PBES2 bags at 1,000,000 it.", ["40bags.p12"], {}, 2],
    ["hostile: 30 PKCS#8 keys, wrong password", ["30keys.pem", "--password-env", "PW"], { PW: "wrong" }, 2],
  ];
  const start = time(["/dev/null"], {}, 2);
  console.log(`certscope inspect, ${RUNS} runs each, including process start (${start.wall[0].toFixed(0)} ms wall, ${start.cpu[0].toFixed(0)} ms cpu for an empty file)`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${cpus().length} CPUs${loadavg()[0] > cpus().length ? " — busy machine: compare the cpu columns" : ""}`);
  for (const [name, args, env, want] of cases) {
    const t = time(args.map((a, i) => (i === 0 ? join(dir, a) : a)), env, want);
    const mid = (a) => a[Math.floor(a.length / 2)];
    console.log(`${name.padEnd(46)} wall min ${t.wall[0].toFixed(0).padStart(5)} ms, median ${mid(t.wall).toFixed(0).padStart(5)} ms   cpu min ${t.cpu[0].toFixed(0).padStart(5)} ms, median ${mid(t.cpu).toFixed(0).padStart(5)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
