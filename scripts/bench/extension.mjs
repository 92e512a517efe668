#!/usr/bin/env node
// Activation and footprint of CertScope in a real VS Code (code-server + Chromium, as in the e2e suite):
//   - the .vsix size and the size of what activation loads (dist/extension.js) vs. what loads later (dist/core.js);
//   - activation time as the extension host measures it ("Developer: Show Running Extensions"), and the
//     extension's own figure for activate() from its log;
//   - whether the PKI libraries (dist/core.js) are loaded at activation, read from the extension host itself
//     through its inspector (Debugger.scriptParsed), before and after a certificate is opened;
//   - extension-host memory (process.memoryUsage() inside the host) with CertScope idle, after opening a
//     certificate, and in the same VS Code without CertScope installed.
// Needs the e2e tools (scripts/e2e-setup.sh, run here if missing: ~2 min once). Prints numbers, exits 0.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const root = new URL("../..", import.meta.url).pathname;

// The inspector client needs a global WebSocket (Node >= 22): re-run under the e2e suite's Node 24.
if (typeof WebSocket === "undefined") {
  const setup = spawnSync("bash", [join(root, "scripts/e2e-setup.sh")], { stdio: "inherit" });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  const { node24 } = await import("../../test/e2e/harness.mjs");
  const r = spawnSync(node24, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
  process.exit(r.status ?? 1);
}

const { startCodeServer, launchBrowser, Workbench, freePort, findFiles, node24, codeServerEntry } = await import("../../test/e2e/harness.mjs");
const { makeWorkspace, FIXTURE } = await import("../../test/e2e/fixtures.mjs");

const work = join(root, "bench/.work/extension");
mkdirSync(work, { recursive: true });
const vsix = join(work, "certscope.vsix");
const pack = spawnSync(process.execPath, [join(root, "scripts/package.mjs"), "--out", vsix, "--quiet"], { cwd: root, encoding: "utf8" });
if (pack.status !== 0) {
  console.error(pack.stdout + pack.stderr);
  process.exit(1);
}
// A control: an empty extension activated by the same event, installed in the same VS Code. Its activation time is
// what the extension host charges any extension at that moment (scheduling, the host's own work); CertScope's time
// minus the control's is what CertScope's code costs.
const controlVsix = join(work, "control.vsix");
{
  const dir = join(work, "control");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = { name: "control", publisher: "certscope-bench", displayName: "Bench Control", version: "0.0.1", license: "MIT", engines: { vscode: "^1.80.0" }, main: "./extension.js", activationEvents: ["onStartupFinished"], repository: { type: "git", url: "https://example.invalid/control" } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, "extension.js"), "exports.activate = () => {};\nexports.deactivate = () => {};\n");
  writeFileSync(join(dir, "README.md"), "An empty extension: the activation-time control of scripts/bench/extension.mjs.\n");
  writeFileSync(join(dir, "LICENSE"), "MIT\n");
  const r = spawnSync(process.execPath, [join(root, "node_modules/@vscode/vsce/vsce"), "package", "--out", controlVsix], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stdout + r.stderr);
    process.exit(1);
  }
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
console.log(`vsix                      ${kib(statSync(vsix).size)}`);
console.log(`dist/extension.js         ${kib(statSync(join(root, "dist/extension.js")).size)}  (loaded at activation)`);
console.log(`dist/core.js              ${kib(statSync(join(root, "dist/core.js")).size)}  (PKI libraries, loaded on first use)`);
if (existsSync(join(root, "dist/views.js"))) console.log(`dist/views.js             ${kib(statSync(join(root, "dist/views.js")).size)}  (hover text, viewer model, editor commands, loaded on first use)`);
if (existsSync(join(root, "dist/handshake.js"))) console.log(`dist/handshake.js         ${kib(statSync(join(root, "dist/handshake.js")).size)}  (handshake panel + lab, loaded on first use)`);

/** A minimal Chrome DevTools Protocol client over the extension host's inspector. */
async function inspector(ports, pid) {
  let target;
  for (let i = 0; i < 50 && !target; i++) {
    for (const port of ports) {
      try {
        const list = await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(1000) })).json();
        // The inspector answers with the host's own script; make sure it is the process we signalled.
        const t = list.find((x) => x.webSocketDebuggerUrl && /bootstrap-fork/.test(x.title));
        if (t && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=extensionHost")) target = t;
      } catch {
        /* not yet */
      }
    }
    if (!target) await sleep(200);
  }
  if (!target) throw new Error(`the extension host's inspector did not answer on 127.0.0.1:${ports.join(" or ")}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = () => rej(new Error("cannot connect to the extension host's inspector"));
  });
  let id = 0;
  const waiting = new Map();
  const scripts = new Set();
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.id && waiting.has(m.id)) {
      waiting.get(m.id)(m);
      waiting.delete(m.id);
    } else if (m.method === "Debugger.scriptParsed" && m.params.url) scripts.add(m.params.url);
  };
  const send = (method, params = {}) =>
    new Promise((res, rej) => {
      const i = ++id;
      waiting.set(i, (m) => (m.error ? rej(new Error(m.error.message)) : res(m.result)));
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  await send("Debugger.enable"); // replays scriptParsed for every script already loaded
  return {
    scripts,
    async memory() {
      await send("HeapProfiler.collectGarbage").catch(() => {});
      const r = await send("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true });
      return JSON.parse(r.result.value);
    },
    close: () => ws.close(),
  };
}

async function activationRow(wb, name = "CertScope") {
  const page = wb.page;
  await wb.runCommand("Developer: Show Running Extensions");
  const list = page.locator(".runtime-extensions-editor .monaco-list");
  await list.waitFor({ timeout: 15_000 });
  const row = page.locator(".runtime-extensions-editor .monaco-list-row", { hasText: name });
  for (let i = 0; i < 30; i++) {
    await list.click({ position: { x: 20, y: 20 } });
    await page.keyboard.press("End");
    const text = await row.innerText({ timeout: 1000 }).catch(() => "");
    const m = text.match(/(Startup Activation|Activation):\s*(\d+)\s*ms/i);
    if (m) {
      await page.keyboard.press("Escape");
      return { kind: m[1], ms: Number(m[2]) };
    }
    await sleep(1000);
  }
  throw new Error(`Running Extensions never showed ${name}'s activation time`);
}

async function session({ withExtension }) {
  const dir = join(work, withExtension ? "with" : "without");
  const workspace = await makeWorkspace(join(dir, "workspace"));
  // The extension host's inspector is opened later with SIGUSR1 (after activation, so it costs nothing
  // before); NODE_OPTIONS only picks its port.
  const inspectPort = await freePort();
  // The control goes in first (startCodeServer with fresh: false keeps it), in both sessions.
  const vscodeDir = join(dir, "vscode");
  rmSync(vscodeDir, { recursive: true, force: true });
  const ctl = spawnSync(node24, [codeServerEntry, "--user-data-dir", join(vscodeDir, "user-data"), "--extensions-dir", join(vscodeDir, "extensions"), "--install-extension", controlVsix], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, EXTENSIONS_GALLERY: "{}", XDG_CONFIG_HOME: join(vscodeDir, "xdg/config"), XDG_DATA_HOME: join(vscodeDir, "xdg/data"), XDG_CACHE_HOME: join(vscodeDir, "xdg/cache") },
  });
  if (ctl.status !== 0) throw new Error(`code-server could not install the control extension:\n${ctl.stdout}${ctl.stderr}`);
  const server = await startCodeServer({
    fresh: false,
    work: vscodeDir,
    workspace,
    vsix: withExtension ? vsix : undefined,
    extraEnv: { NODE_OPTIONS: `--inspect-port=127.0.0.1:${inspectPort}` },
  });
  const browser = await launchBrowser();
  const out = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const wb = new Workbench(page);
    const t0 = Date.now();
    await wb.open(server.url);
    out.workbenchMs = Date.now() - t0;
    if (withExtension) out.activation = await activationRow(wb);
    out.control = await activationRow(wb, "Bench Control");
    await sleep(1500);
    const [exthost] = server.processes(/--type=extensionHost/);
    if (!exthost) throw new Error("no extension host process under code-server");
    process.kill(exthost, "SIGUSR1");
    // Node takes the port from NODE_OPTIONS unless the host's environment drops it; then it uses 9229.
    const insp = await inspector([inspectPort, 9229], exthost);
    const loaded = () => [...insp.scripts].filter((u) => /certscope\.certscope-[^/]+\/dist\//.test(u)).map((u) => u.replace(/^.*\/dist\//, "dist/"));
    out.idle = { memory: await insp.memory(), scripts: loaded() };
    if (withExtension) {
      const t1 = Date.now();
      await wb.openFile(FIXTURE.der);
      const viewer = wb.webview().locator('#viewer[data-status="ready"]');
      await viewer.waitFor({ timeout: 30_000 });
      out.firstViewerMs = Date.now() - t1;
      await sleep(500);
      out.afterOpen = { memory: await insp.memory(), scripts: loaded() };
      const logs = findFiles(join(server.userDataDir, "logs"), /CertScope\.log$/);
      const line = logs.map((f) => readFileSync(f, "utf8")).join("\n").match(/CertScope activated in ([\d.]+) ms/);
      out.activateFnMs = line ? Number(line[1]) : undefined;
    }
    insp.close();
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  return out;
}

// Activation time moves with whatever else the extension host starts at the same moment: take the median of
// a few fresh sessions (CERTSCOPE_BENCH_RUNS, default 3).
const runs = Math.max(1, Number(process.env.CERTSCOPE_BENCH_RUNS ?? 3));
const without = await session({ withExtension: false });
const sessions = [];
for (let i = 0; i < runs; i++) sessions.push(await session({ withExtension: true }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withExt = sessions.find((x) => x.activation.ms === median(sessions.map((y) => y.activation.ms)));
const spread = (f) => {
  const xs = sessions.map(f).filter((x) => x !== undefined);
  return xs.length > 1 ? ` (${runs} runs: ${Math.min(...xs)}–${Math.max(...xs)})` : "";
};
const coreAtActivation = sessions.some((x) => x.idle.scripts.some((s) => s.endsWith("core.js")));
console.log(`workbench on screen       ${withExt.workbenchMs} ms (without CertScope: ${without.workbenchMs} ms)`);
console.log(`activation (ext. host)    ${withExt.activation.ms} ms median${spread((x) => x.activation.ms)}  ("${withExt.activation.kind}", onStartupFinished)`);
console.log(`empty control extension   ${median(sessions.map((x) => x.control.ms))} ms median${spread((x) => x.control.ms)}  (same event, same VS Code; without CertScope: ${without.control.ms} ms)`);
console.log(`CertScope minus control   ${median(sessions.map((x) => x.activation.ms - x.control.ms))} ms median${spread((x) => x.activation.ms - x.control.ms)}  (what CertScope's own code costs)`);
if (withExt.activateFnMs !== undefined) console.log(`activate() itself         ${median(sessions.map((x) => x.activateFnMs ?? 0))} ms median${spread((x) => x.activateFnMs)}  (CertScope's own log)`);
console.log(`loaded at activation      ${withExt.idle.scripts.join(", ") || "nothing"}  → PKI libraries at activation: ${coreAtActivation ? "YES" : "no"}`);
console.log(`loaded after opening DER  ${withExt.afterOpen.scripts.join(", ")}  (viewer ready in ${median(sessions.map((x) => x.firstViewerMs))} ms median${spread((x) => x.firstViewerMs)})`);
const heapDelta = withExt.idle.memory.heapUsed - without.idle.memory.heapUsed;
console.log(`ext. host heap, idle      ${mib(withExt.idle.memory.heapUsed)} with CertScope, ${mib(without.idle.memory.heapUsed)} without (Δ ${heapDelta >= 0 ? "+" : ""}${mib(heapDelta)})`);
console.log(`ext. host RSS, idle       ${mib(withExt.idle.memory.rss)} with CertScope, ${mib(without.idle.memory.rss)} without`);
console.log(`ext. host after DER open  heap ${mib(withExt.afterOpen.memory.heapUsed)}, RSS ${mib(withExt.afterOpen.memory.rss)}`);
if (coreAtActivation) console.log("NOTE: dist/core.js was loaded during activation — activation is not lazy");
const installed = readdirSync(join(work, "with/vscode/extensions")).filter((d) => d.startsWith("certscope."));
if (!installed.length || !existsSync(vsix)) process.exit(1);
