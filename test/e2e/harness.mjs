// Runs CertScope in a real VS Code: code-server (VS Code served to a browser, installed by
// scripts/e2e-setup.sh into .e2e/) on 127.0.0.1 with a throwaway user-data and extensions directory, the
// packaged .vsix installed into it, and Debian's Chromium driven by playwright-core. Shared by the e2e suite,
// the demo (scripts/demo.sh) and the extension bench (scripts/bench/extension.mjs).
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, after } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Workbench } from "./workbench.mjs";
import { makeLanguagePack, registerLanguagePack } from "./languagePack.mjs";

export { Workbench };

export const root = resolve(new URL("../..", import.meta.url).pathname);
const arch = process.arch === "arm64" ? "arm64" : "x64";
export const node24 = join(root, `.e2e/node_modules/node-linux-${arch}/bin/node`);
export const codeServerEntry = join(root, ".e2e/node_modules/code-server/out/node/entry.js");
export const CHROMIUM = process.env.CERTSCOPE_CHROMIUM ?? "/usr/bin/chromium";

/** User settings for a quiet, deterministic workbench (no welcome page, chat, git prompts, tips or telemetry). */
export const SETTINGS = {
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.hover.delay": 200,
  "editor.minimap.enabled": false,
  "window.zoomLevel": 0,
  "workbench.colorTheme": "Default Dark Modern",
};

/** Waits until `fn()` returns a truthy value (polled), or returns the last value after `timeout`. */
export async function until(fn, timeout = 20_000, every = 300) {
  const deadline = Date.now() + timeout;
  let v;
  for (;;) {
    v = await fn().catch(() => undefined);
    if (v || Date.now() > deadline) return v;
    await sleep(every);
  }
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function ensureTools() {
  for (const [what, p] of [["Node 24", node24], ["code-server", codeServerEntry], ["Chromium", CHROMIUM]]) {
    if (!existsSync(p)) throw new Error(`${what} is not installed at ${p}: run scripts/e2e-setup.sh`);
  }
}

/** The environment code-server runs in: Node 24 first on PATH, no marketplace, sockets and config inside `work`. */
function serverEnv(work) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Don't let an enclosing VS Code (terminal, debugger) leak into the one we start.
    if (!/^(VSCODE_|ELECTRON_|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  const xdg = join(work, "xdg");
  const tmp = join(work, "tmp");
  for (const d of [xdg, tmp]) mkdirSync(d, { recursive: true });
  return {
    ...env,
    PATH: `${join(node24, "..")}:${process.env.PATH}`,
    EXTENSIONS_GALLERY: "{}",
    TMPDIR: tmp,
    XDG_CONFIG_HOME: join(xdg, "config"),
    XDG_DATA_HOME: join(xdg, "data"),
    XDG_CACHE_HOME: join(xdg, "cache"),
    XDG_RUNTIME_DIR: xdg,
  };
}

/**
 * Installs `vsix` (if given) into a fresh user-data/extensions dir under `work` and starts code-server on
 * 127.0.0.1:`port` serving `workspace`. Returns { url, port, pid, work, userDataDir, stop() }.
 * `extraArgs` / `extraEnv` go to code-server as they are. code-server runs in its own process group, so a
 * Ctrl-C does not reach it: it is stopped on exit, and on SIGINT/SIGTERM unless `handleSignals` is false
 * (then the caller's own handler must call stop()). `workspaceTrust: true` runs with Workspace Trust on (VS Code
 * asks whether to trust the folder when it opens), as desktop VS Code does. `locale` (e.g. "de") runs VS Code in that
 * display language, with a synthetic language pack (languagePack.mjs says why one is needed).
 */
export async function startCodeServer({ work, workspace, vsix, port, extraArgs = [], extraEnv = {}, settings = {}, fresh = true, handleSignals = true, workspaceTrust = false, locale }) {
  ensureTools();
  if (fresh) rmSync(work, { recursive: true, force: true });
  const userDataDir = join(work, "user-data");
  const extensionsDir = join(work, "extensions");
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const trust = workspaceTrust ? { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "always" } : {};
  writeFileSync(join(userDataDir, "User/settings.json"), JSON.stringify({ ...SETTINGS, ...trust, ...settings }, null, 2));
  const env = { ...serverEnv(work), ...extraEnv };
  const base = [codeServerEntry, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];
  const install = (file) => {
    const r = spawnSync(node24, [...base, "--install-extension", file, "--force"], { env, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`code-server could not install ${file} (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    }
  };
  if (vsix) install(vsix);
  if (locale && !locale.startsWith("en")) {
    const pack = makeLanguagePack(join(work, `language-pack-${locale}`), locale);
    install(pack.vsix);
    registerLanguagePack(userDataDir, extensionsDir, pack);
    extraArgs = ["--locale", locale, ...extraArgs];
  }
  port ??= await freePort();
  const log = join(work, "code-server.log");
  const out = openSync(log, "a");
  const args = [
    ...base,
    "--bind-addr", `127.0.0.1:${port}`,
    "--auth", "none",
    "--disable-telemetry",
    "--disable-update-check",
    ...(workspaceTrust ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    ...extraArgs,
    workspace,
  ];
  const child = spawn(node24, args, { env, detached: true, stdio: ["ignore", out, out] });
  const pid = child.pid;
  let exited = null;
  child.on("exit", (code, sig) => (exited = `exit ${code ?? sig}`));
  const killGroup = () => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  process.once("exit", killGroup);
  const onSignal = (sig) => {
    killGroup();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  if (handleSignals) for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, onSignal);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server stopped while starting (${exited}); see ${log}:\n${tail(log)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      killGroup();
      throw new Error(`code-server did not answer on 127.0.0.1:${port} within 60 s; see ${log}:\n${tail(log)}`);
    }
    await sleep(200);
  }
  return {
    url,
    port,
    pid,
    /** PIDs of code-server's processes whose command line matches `re` (e.g. /--type=extensionHost/). */
    processes(re) {
      const r = spawnSync("ps", ["-o", "pid=,args=", "-g", String(pid)], { encoding: "utf8" });
      return r.stdout.split("\n").filter((l) => re.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
    },
    work,
    userDataDir,
    extensionsDir,
    log,
    async stop() {
      process.removeListener("exit", killGroup);
      for (const sig of ["SIGINT", "SIGTERM"]) process.removeListener(sig, onSignal);
      if (!exited) {
        killGroup();
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      }
      // Extension hosts outlive code-server now and then (orphaned, still in its process group): none may stay.
      for (let i = 0; i < 20 && groupAlive(pid); i++) {
        try {
          process.kill(-pid, i < 10 ? "SIGTERM" : "SIGKILL");
        } catch {
          /* gone */
        }
        await sleep(100);
      }
    },
  };
}

/** Whether any process of the process group `pgid` is still running. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Launches Debian's Chromium through playwright-core. */
export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Every file under `dir` whose name matches `re` (recursive). */
export function findFiles(dir, re, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, re, out);
    else if (re.test(name)) out.push(p);
  }
  return out;
}


/** The packaged extension the e2e files install (test/e2e/run.mjs packages it and names it in CERTSCOPE_VSIX). */
export const VSIX = process.env.CERTSCOPE_VSIX ?? join(root, "certscope-0.1.0.vsix");
export const ARTIFACTS = join(root, "test/e2e/artifacts");

/**
 * One e2e file's VS Code, as node:test hooks. before(): a fresh test/e2e/.work/<name>/ with an empty workspace/
 * folder that `prepare(handle)` fills (it may start servers, and return { settings } that need their ports); then
 * code-server with the packaged .vsix, `settings` and `locale` (see startCodeServer), Chromium at `viewport`, and the
 * workspace opened: until the explorer shows it, or with `waitFor: "workbench"` only until the workbench is there
 * (a trust dialog may stand in front of the explorer). `onPage(page)` runs before the page loads (console listeners).
 * after(): closes Chromium and stops code-server; a file's own after() hooks run after these.
 * Returns the handle: { work, workspace, wb } at once (wb, the Workbench, gets its page in before()), and
 * { server, browser, page } once before() has run.
 */
export function withCodeServer({ name, prepare, settings = {}, locale, workspaceTrust = false, viewport = { width: 1440, height: 900 }, artifacts = ARTIFACTS, waitFor = "explorer", onPage }) {
  const work = join(root, "test/e2e/.work", name);
  const wb = new Workbench(undefined, { artifacts });
  const cs = { work, workspace: join(work, "workspace"), wb, server: undefined, browser: undefined, page: undefined };
  before(async () => {
    // node:test runs a file's top-level before() hook at once, in the middle of loading the file: let the file
    // finish loading first, so that `prepare` and the tests find everything the file defines after this call.
    await null;
    if (!existsSync(VSIX)) throw new Error(`no packaged extension at ${VSIX}: run npm run package`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(cs.workspace, { recursive: true });
    const prepared = (await prepare?.(cs)) ?? {};
    const all = { ...settings, ...prepared.settings };
    cs.server = await startCodeServer({ work, workspace: cs.workspace, vsix: VSIX, fresh: false, settings: all, locale, workspaceTrust });
    cs.browser = await launchBrowser();
    cs.page = wb.page = await cs.browser.newPage({ viewport });
    onPage?.(cs.page);
    if (waitFor === "explorer") await wb.open(cs.server.url);
    else {
      await cs.page.goto(cs.server.url);
      await cs.page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
    }
  });
  after(async () => {
    await cs.browser?.close().catch(() => {});
    await cs.server?.stop();
  });
  return cs;
}
