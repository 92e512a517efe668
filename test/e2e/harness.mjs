// Runs CertScope in a real VS Code: code-server (VS Code served to a browser, installed by
// scripts/e2e-setup.sh into .e2e/) on 127.0.0.1 with a throwaway user-data and extensions directory, the
// packaged .vsix installed into it, and Debian's Chromium driven by playwright-core. Shared by the e2e suite,
// the demo (scripts/demo.sh) and the extension bench (scripts/bench/extension.mjs).
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

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
 * asks whether to trust the folder when it opens), as desktop VS Code does.
 */
export async function startCodeServer({ work, workspace, vsix, port, extraArgs = [], extraEnv = {}, settings = {}, fresh = true, handleSignals = true, workspaceTrust = false }) {
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
  if (vsix) {
    const r = spawnSync(node24, [...base, "--install-extension", vsix, "--force"], { env, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`code-server could not install ${vsix} (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    }
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

/**
 * A user at the keyboard of the workbench in `page`: palette commands, quick open, panes, webviews.
 * Every wait has a bound; failures name what the user would have seen.
 */
export class Workbench {
  constructor(page, { artifacts } = {}) {
    this.page = page;
    this.artifacts = artifacts;
    this.shot = 0;
  }

  async open(url, timeout = 90_000) {
    await this.page.goto(url);
    await this.page.waitForSelector(".monaco-workbench", { timeout });
    // The explorer shows the folder once the remote extension host and file system are connected.
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout });
  }

  async screenshot(name) {
    if (!this.artifacts) return undefined;
    mkdirSync(this.artifacts, { recursive: true });
    const file = join(this.artifacts, `${String(++this.shot).padStart(2, "0")}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  get quickInput() {
    return this.page.locator(".quick-input-widget");
  }

  /** Rows of the open quick pick, as their visible text. */
  async quickPickRows() {
    return this.quickInput.locator(".monaco-list-row").allInnerTexts();
  }

  async closeQuickInput() {
    if (await this.quickInput.isVisible()) await this.page.keyboard.press("Escape");
    await this.quickInput.waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
  }

  /**
   * Finds `title` (e.g. "CertScope: Create mTLS Test Kit") in the command palette; resolves with the row or
   * null when it is still missing after `timeout`. An open palette does not refresh, so it reopens it.
   */
  async findCommand(title, timeout = 20_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.closeQuickInput();
      await this.page.keyboard.press("F1");
      const input = this.quickInput.locator("input");
      try {
        await input.waitFor({ timeout: 3000 });
      } catch {
        // Focus was somewhere that swallowed F1 (a webview, a modal): focus the workbench and retry.
        if (Date.now() > deadline) throw new Error(`F1 did not open the command palette (looking for "${title}")`);
        await this.page.keyboard.press("Escape");
        await this.page.locator(".part.statusbar").click({ position: { x: 5, y: 5 } }).catch(() => {});
        continue;
      }
      await input.fill(`>${title}`);
      const row = this.quickInput.locator(".monaco-list-row", { hasText: title }).first();
      try {
        await row.waitFor({ timeout: 1500 });
        return row;
      } catch {
        if (Date.now() > deadline) {
          await this.closeQuickInput();
          return null;
        }
        await sleep(1000);
      }
    }
  }

  /** Runs a palette command by its title, as a user would. */
  async runCommand(title, timeout = 20_000) {
    const row = await this.findCommand(title, timeout);
    if (!row) throw new Error(`The command palette did not list "${title}" within ${timeout / 1000} s`);
    await row.click();
    await this.quickInput.locator("input").waitFor({ state: "hidden", timeout: 2000 }).catch(() => {});
  }

  /** Quick Open (Ctrl+P) a workspace-relative path and wait for its editor tab. */
  async openFile(rel) {
    const base = rel.split("/").pop();
    await this.closeQuickInput();
    await this.page.keyboard.press("Control+P");
    const input = this.quickInput.locator("input");
    await input.waitFor({ timeout: 10_000 });
    await input.fill(rel);
    const row = this.quickInput.locator(".monaco-list-row", { hasText: base }).first();
    await row.waitFor({ timeout: 15_000 }).catch(() => {
      throw new Error(`Quick Open did not find ${rel} in the workspace`);
    });
    // Click the row: after fill() (a scripted value, no key events) Enter can miss the quick pick when a webview
    // had focus; typed keys do not (checked), so this is about the test driver, not what users see.
    await row.click();
    await this.activeTab(base).waitFor({ timeout: 15_000 });
  }

  activeTab(label) {
    return this.page.locator(".tabs-container .tab.active", { hasText: label });
  }

  /** The pane of a view in the side bar (e.g. "Outline", "Certificates"), expanded. */
  async pane(title) {
    const header = this.page.locator(`.pane-header[aria-label="${title} Section"]`).first();
    await header.waitFor({ timeout: 15_000 });
    if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
    return this.page.locator(".pane", { has: header });
  }

  /** The visible editor's webview content, two iframes deep (VS Code's webview host + the content frame). */
  webview() {
    return this.page.locator("iframe.webview").filter({ visible: true }).first().contentFrame().locator("#active-frame").contentFrame();
  }

  /** The text of the visible notifications (toasts). */
  async notifications() {
    return this.page.locator(".notifications-toasts .notification-toast").allInnerTexts();
  }

  /** Dismisses all notification toasts (they cover the bottom right of screenshots). */
  async clearNotifications() {
    if (await this.page.locator(".notifications-toasts .notification-toast").count()) {
      await this.runCommand("Notifications: Clear All Notifications").catch(() => {});
    }
  }

  /** Closes all editors. */
  async closeAllEditors() {
    await this.runCommand("View: Close All Editors");
  }
}
