#!/usr/bin/env node
// Benchmark for the editor side (issue 5 §7, §8): loads the real dist/extension.js against a stand-in `vscode`
// (lib/fake-vscode.cjs) and reports
//   - activation: time to require the bundle and run activate(), and whether any PKI library was loaded;
//   - the text surfaces on large documents, through the registered providers: 10,000 distinct certificates
//     (Outline = full analysis; a hover on the last block while that runs), 50 MB of logs with one block at
//     the end, 50 MB of PEM (capped at 20,000 blocks). For each: total time and the longest event-loop stall
//     (the extension host stays responsive when stalls stay short);
//   - the .vsix size (production package into a temp dir).
import Module, { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("../..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const fakePath = join(root, "scripts/bench/lib/fake-vscode.cjs");
const resolve0 = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? fakePath : resolve0.call(this, request, ...rest);
};
const vscode = require(fakePath);
const { fake } = vscode;

const ext = join(root, "dist/extension.js");
if (!existsSync(ext)) {
  console.error("dist/extension.js missing: run `npm run build` first");
  process.exit(1);
}

// ── activation ──
const heavy = () => Object.keys(require.cache).filter((k) => /dist[\\/]core\.js$|node_modules[\\/](pkijs|asn1js|@peculiar|node-forge|@noble)/.test(k));
const t0 = performance.now();
const extension = require(ext);
const t1 = performance.now();
const context = new Proxy(
  { subscriptions: [], extensionUri: vscode.Uri.file(root), extensionPath: root, asAbsolutePath: (p) => join(root, p) },
  { get: (t, p) => (p in t ? t[p] : undefined) },
);
extension.activate(context);
const t2 = performance.now();
console.log(`activation: require ${(t1 - t0).toFixed(1)} ms + activate() ${(t2 - t1).toFixed(1)} ms = ${(t2 - t0).toFixed(1)} ms (goal ≤ 50 ms)`);
console.log(`PKI libraries loaded by activation: ${heavy().length ? heavy().join(", ") : "none"}`);
console.log(`extension.js ${(statSync(ext).size / 1024).toFixed(0)} KiB, core.js ${(statSync(join(root, "dist/core.js")).size / 1024).toFixed(0)} KiB (loaded on first use)`);

// ── test material: distinct certificates from the system bundle, serials patched ──
function derLen(b, at) {
  const first = b[at + 1];
  if (first < 0x80) return { len: first, hdr: 2 };
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i];
  return { len, hdr: 2 + n };
}
function serialAt(der) {
  let at = derLen(der, 0).hdr; // into Certificate
  at += derLen(der, at).hdr; // into TBSCertificate
  if (der[at] === 0xa0) at += 2 + derLen(der, at).len; // [0] version
  const { len, hdr } = derLen(der, at);
  return { at: at + hdr, len };
}
const caFile = "/etc/ssl/certs/ca-certificates.crt";
const base = existsSync(caFile)
  ? readFileSync(caFile, "utf8")
      .split("-----END CERTIFICATE-----")
      .map((s) => s.slice(s.indexOf("-----BEGIN CERTIFICATE-----")))
      .filter((s) => s.startsWith("-----BEGIN"))
      .map((s) => Buffer.from(s.replace(/-----[^-]+-----|\s/g, ""), "base64"))
      .filter((d) => serialAt(d).len >= 4)
  : [];
if (!base.length) {
  console.log(`skipped the document figures: ${caFile} not found`);
  process.exit(0);
}
// Flat strings, like TextDocument.getText() returns (a lines.join), not V8 cons-strings that flatten on first use.
const flat = (s) => Buffer.from(s, "latin1").toString("latin1");
function pem(der) {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`;
}
function distinctBundle(n) {
  const parts = [];
  for (let i = 0; i < n; i++) {
    const der = Buffer.from(base[i % base.length]);
    const s = serialAt(der);
    der.writeUInt32BE(i, s.at + s.len - 4);
    parts.push(pem(der));
  }
  return flat(parts.join(""));
}

// ── measuring ──
/** Longest time the event loop went without running a 1 ms timer, while `work` runs. */
async function measure(name, doc, work) {
  fake.textDocuments.push(doc);
  let last = performance.now();
  let stall = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  const t = performance.now();
  const note = await work(doc);
  const ms = performance.now() - t;
  clearInterval(probe);
  stall = Math.max(stall, performance.now() - last);
  const own = fake.logLines.filter((l) => l.includes(doc.uri.path) && l.includes("longest step")).map((l) => Number(/longest step (\d+) ms/.exec(l)?.[1] ?? 0));
  const ownNote = own.length ? ` (longest step of the analysis itself ${Math.max(...own)} ms)` : "";
  console.log(`${name}: ${ms.toFixed(0)} ms, longest event-loop stall ${stall.toFixed(1)} ms${ownNote}${note ? `; ${note}` : ""}`);
  fake.textDocuments.pop();
  fake.events.close.fire(doc);
}
const token = new vscode.CancellationTokenSource().token;
const [hover] = fake.providers.hover;
const [symbols] = fake.providers.symbols;

const N = Number(process.env.BENCH_BLOCKS ?? 10000);
const bundle = distinctBundle(N);
const lastLine = bundle.split("\n").length - 3;
await measure(`${N} distinct certificates (${(bundle.length / 1048576).toFixed(1)} MB), Outline`, vscode.makeDocument("/bench/bundle.pem", bundle), async (doc) => {
  const tHover = performance.now();
  // A hover on the last block while the Outline's full analysis is still running.
  const hoverP = hover.provideHover(doc, new vscode.Position(lastLine, 0), token).then((h) => ({ h, ms: performance.now() - tHover }));
  const syms = await symbols.provideDocumentSymbols(doc, token);
  const { h, ms } = await hoverP;
  return `${syms.length} symbols; hover on the last block answered in ${ms.toFixed(0)} ms (${h ? "with content" : "EMPTY"})`;
});

const coreLoad = fake.logLines.find((l) => l.includes("PKI core loaded"));
if (coreLoad) console.log(`first use: ${coreLoad.replace(/^\[\w+\] /, "")} (one synchronous require, inside the first analysis step above)`);

const again = distinctBundle(N);
const edited = again.replace("-----BEGIN CERTIFICATE-----", "# edited\n-----BEGIN CERTIFICATE-----");
await measure(`same ${N} certificates in a second file, then an edit above them (objects reused)`, vscode.makeDocument("/bench/bundle2.pem", again), async (doc) => {
  await symbols.provideDocumentSymbols(doc, token);
  doc.edit(edited);
  const t = performance.now();
  const syms = await symbols.provideDocumentSymbols(doc, token);
  return `re-analysis after the edit ${(performance.now() - t).toFixed(0)} ms, ${syms.length} symbols`;
});

const logLine = "2026-01-01T00:00:00Z INFO request handled in 3 ms path=/api/v1/items status=200\n";
const logs = flat(logLine.repeat(Math.ceil((50 * 1048576) / logLine.length)) + pem(base[0]));
await measure(`50 MB of logs with one certificate at the end`, vscode.makeDocument("/bench/app.log", logs), async (doc) => {
  const syms = await symbols.provideDocumentSymbols(doc, token);
  return `${syms.length} symbol`;
});

const blocks = Math.ceil((50 * 1048576) / pem(base[0]).length);
const big = distinctBundle(blocks);
await measure(`50 MB of PEM (${blocks} certificates)`, vscode.makeDocument("/bench/huge.pem", big), async (doc) => {
  const syms = await symbols.provideDocumentSymbols(doc, token);
  const note = fake.logLines.find((l) => l.includes("only the first"));
  const t = performance.now();
  await symbols.provideDocumentSymbols(doc, token);
  const mapMs = performance.now() - t;
  return `${syms.length} symbols (Outline from the cached analysis: ${mapMs.toFixed(0)} ms)${note ? `; log: ${note.replace(/^\[\w+\] \S+: /, "")}` : ""}`;
});

// ── package size ──
const out = mkdtempSync(join(tmpdir(), "certscope-vsix-"));
try {
  const r = spawnSync(process.execPath, [join(root, "scripts/package.mjs"), "--out", join(out, "x.vsix"), "--quiet"], { cwd: root, encoding: "utf8" });
  if (r.status === 0 && existsSync(join(out, "x.vsix"))) console.log(`.vsix: ${(statSync(join(out, "x.vsix")).size / 1024).toFixed(0)} KiB`);
  else console.log(`.vsix: packaging failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ")}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
extension.deactivate?.();
process.exit(0);
