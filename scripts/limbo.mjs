#!/usr/bin/env node
// Scores `certscope verify` against x509-limbo (C2SP/x509-limbo, Apache-2.0), read from
// ../shared/limbo/limbo-dev.json.gz (or LIMBO_FILE). Skips cleanly when the file is absent.
//
// Each case is mapped onto the contract's flags only: PEM files in a temp dir, `--trusted`, `--untrusted`,
// `--no-system-roots`, `--host` (DNS/IP peer names), `--purpose server|client`, `--eku`, `--at`, `--max-depth`,
// `--crl` with `--revocation crl --no-fetch` (the case's CRLs only: nothing is ever fetched), and `--profile webpki` for the webpki family and BetterTLS's path-building tests (see below).
// Cases needing what the contract cannot express (RFC822 peer names, key_usage or signature_algorithms
// requirements, several expected peer names) are SKIPPED, not passed.
//
// Profiles: the default rfc5280 takes NIST PKITS's side where it and a TLS rule pull opposite ways (PKITS
// 4.1.4 validates a dsa-with-SHA1 chain; algorithm policy is a warning under rfc5280). BetterTLS's
// path-building tests are a TLS client's (they expect SHA-1-signed certificates to be refused), so they run
// under webpki; its name-constraint tests put leaf CNs outside the SANs, which webpki rejects (CA/B BR
// 7.1.4.3), so they run under rfc5280, as the rfc5280 family does.
//
//   node scripts/limbo.mjs                 in-process: the same argv through dist/cli.js's main() (fast)
//   node scripts/limbo.mjs --cli           spawns `node dist/cli.js verify …` per case (slow, exact)
//   node scripts/limbo.mjs --filter nc::   only ids containing the text
//   node scripts/limbo.mjs --out FILE      where disagreeing ids go (default: limbo-disagree.txt in the temp dir)
//   node scripts/limbo.mjs --verbose       print each disagreement with certscope's problems
//   node scripts/limbo.mjs --webpki LIST   id prefixes run under --profile webpki (default webpki::,bettertls::pathbuilding::)
// Needs `npm run build` first (uses dist/cli.js).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const useCli = args.includes("--cli");
const verbose = args.includes("--verbose");
const filter = opt("--filter");
const limboFile = process.env.LIMBO_FILE ?? resolve(root, "../shared/limbo/limbo-dev.json.gz");
const outFile = opt("--out") ?? join(tmpdir(), "limbo-disagree.txt");
// Families run under --profile webpki (CA/Browser Forum rules as errors); the rest under the default rfc5280.
const WEBPKI_PREFIXES = (opt("--webpki") ?? "webpki::,bettertls::pathbuilding::").split(",").filter(Boolean);

if (!existsSync(limboFile)) {
  console.log(`limbo: ${limboFile} not found; skipped (x509-limbo is not part of this repository).`);
  process.exit(0);
}
const builtCli = join(root, "dist/cli.js");
if (!existsSync(builtCli)) {
  console.error("limbo: dist/cli.js is missing; run `npm run build` first.");
  process.exit(2);
}
// Run a snapshot of the bundle, so a rebuild during a long run cannot mix versions or catch a half-written file.
const snapshotDir = mkdtempSync(join(tmpdir(), "certscope-limbo-cli-"));
const cliPath = join(snapshotDir, "cli.js");
copyFileSync(builtCli, cliPath);
process.on("exit", () => rmSync(snapshotDir, { recursive: true, force: true }));

const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  OCSPSigning: "1.3.6.1.5.5.7.3.9",
  anyExtendedKeyUsage: "2.5.29.37.0",
};

/** The case as verify argv (after "verify"), or { skip: reason }. */
function mapCase(tc, dir) {
  if (tc.key_usage?.length) return { skip: "key_usage requirement" };
  if (tc.signature_algorithms?.length) return { skip: "signature_algorithms requirement" };
  if (tc.expected_peer_names?.length) return { skip: "several peer names" };
  const argv = [];
  const peer = join(dir, "peer.pem");
  writeFileSync(peer, tc.peer_certificate);
  argv.push(peer, "--no-system-roots");
  if (tc.trusted_certs.length) {
    writeFileSync(join(dir, "trusted.pem"), tc.trusted_certs.join("\n"));
    argv.push("--trusted", join(dir, "trusted.pem"));
  }
  if (tc.untrusted_intermediates.length) {
    writeFileSync(join(dir, "untrusted.pem"), tc.untrusted_intermediates.join("\n"));
    argv.push("--untrusted", join(dir, "untrusted.pem"));
  }
  const pn = tc.expected_peer_name;
  if (pn) {
    if (pn.kind !== "DNS" && pn.kind !== "IP") return { skip: `${pn.kind} peer name` };
    argv.push("--host", pn.value);
  }
  argv.push("--purpose", tc.validation_kind === "CLIENT" ? "client" : "server");
  for (const e of tc.extended_key_usage ?? []) {
    if (!EKU[e]) return { skip: `EKU ${e}` };
    argv.push("--eku", EKU[e]);
  }
  if (tc.validation_time) argv.push("--at", tc.validation_time);
  if (tc.max_chain_depth !== null && tc.max_chain_depth !== undefined) argv.push("--max-depth", String(tc.max_chain_depth));
  if (WEBPKI_PREFIXES.some((p) => tc.id.startsWith(p))) argv.push("--profile", "webpki");
  if (tc.crls?.length) {
    writeFileSync(join(dir, "crls.pem"), tc.crls.join("\n"));
    argv.push("--crl", join(dir, "crls.pem"), "--revocation", "crl", "--no-fetch");
  }
  argv.push("--json");
  return { argv };
}

function runCli(argv) {
  return new Promise((res) => {
    const p = spawn(process.execPath, [cliPath, "verify", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => res({ code, out, err }));
  });
}

let inProcess;
async function runInProcess(argv) {
  if (!inProcess) inProcess = createRequire(import.meta.url)(cliPath).main;
  let out = "";
  let err = "";
  const code = await inProcess(["verify", ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: process.env });
  return { code, out, err };
}

const data = JSON.parse(gunzipSync(readFileSync(limboFile)).toString("utf8"));
let cases = data.testcases;
if (filter) cases = cases.filter((c) => c.id.includes(filter));

const fam = {};
const disagree = [];
const total = { agree: 0, disagree: 0, skipped: 0 };
const work = mkdtempSync(join(tmpdir(), "certscope-limbo-"));
const t0 = Date.now();

async function one(tc, i) {
  const f = tc.id.split("::")[0];
  fam[f] ??= { agree: 0, disagree: 0, skipped: 0 };
  const dir = mkdtempSync(join(work, `c${i}-`));
  try {
    const m = mapCase(tc, dir);
    if (m.skip) {
      fam[f].skipped++;
      total.skipped++;
      return;
    }
    const r = useCli ? await runCli(m.argv) : await runInProcess(m.argv);
    const got = r.code === 0 ? "SUCCESS" : r.code === 1 ? "FAILURE" : "ERROR";
    if (got === tc.expected_result) {
      fam[f].agree++;
      total.agree++;
    } else {
      fam[f].disagree++;
      total.disagree++;
      let why = "";
      try {
        why = JSON.parse(r.out).problems.map((p) => `${p.code}: ${p.message}`).join(" | ");
      } catch {
        why = r.err.trim().split("\n")[0];
      }
      disagree.push({ id: tc.id, expected: tc.expected_result, got, why });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const concurrency = useCli ? 4 : 1;
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < cases.length) {
      const i = next++;
      await one(cases[i], i);
    }
  }),
);
rmSync(work, { recursive: true, force: true });

console.log(`x509-limbo (${limboFile.split("/").pop()}), ${useCli ? "CLI" : "in-process"}, ${cases.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log("family          agree  disagree  skipped");
for (const [f, s] of Object.entries(fam).sort()) console.log(`${f.padEnd(14)} ${String(s.agree).padStart(6)} ${String(s.disagree).padStart(9)} ${String(s.skipped).padStart(8)}`);
console.log(`${"overall".padEnd(14)} ${String(total.agree).padStart(6)} ${String(total.disagree).padStart(9)} ${String(total.skipped).padStart(8)}`);
console.log(`agree on ${total.agree}/${total.agree + total.disagree} expressible cases`);
writeFileSync(outFile, disagree.map((d) => `${d.id}\texpected ${d.expected}, got ${d.got}\t${d.why}`).join("\n") + (disagree.length ? "\n" : ""));
console.log(`disagreeing ids: ${outFile}`);
if (verbose) for (const d of disagree) console.log(`${d.id}: expected ${d.expected}, got ${d.got}\n    ${d.why}`);
