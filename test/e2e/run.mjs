#!/usr/bin/env node
// `npm run test:e2e`: the end-to-end suite in a real VS Code.
//   1. scripts/e2e-setup.sh installs Node 24 + code-server into .e2e/ and Debian's chromium (fast when present),
//   2. scripts/package.mjs builds for production and packages the .vsix (into test/e2e/.work/),
//   3. Node's test runner runs test/e2e/*.e2e.mjs, which start code-server with the .vsix installed and drive
//      it with Chromium; screenshots go to test/e2e/artifacts/.
// Arguments are passed to `node --test` (e.g. `--test-name-pattern=viewer`). `--skip-package` reuses the last .vsix.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const args = process.argv.slice(2);
const skipPackage = args.includes("--skip-package");
// Flags go to node --test; other words pick the e2e files whose names contain them (`run.mjs german scan`).
const passthrough = args.filter((a) => a !== "--skip-package" && a.startsWith("-"));
const only = args.filter((a) => !a.startsWith("-"));
const work = join(root, "test/e2e/.work");
const vsix = join(work, "certscope.vsix");
const t0 = Date.now();

function step(what, cmd, argv) {
  const t = Date.now();
  const r = spawnSync(cmd, argv, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`e2e: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  console.log(`e2e: ${what} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

mkdirSync(work, { recursive: true });
step("tools ready", "bash", [join(root, "scripts/e2e-setup.sh")]);
if (!skipPackage) step("packaged", process.execPath, [join(root, "scripts/package.mjs"), "--out", vsix, "--quiet"]);
// A full run starts from an empty artifacts folder; a run of chosen files keeps the others' screenshots.
if (!only.length) rmSync(join(root, "test/e2e/artifacts"), { recursive: true, force: true });

const files = readdirSync(join(root, "test/e2e"))
  .filter((f) => f.endsWith(".e2e.mjs") && (!only.length || only.some((w) => f.includes(w))))
  .sort()
  .map((f) => join("test/e2e", f));
// One line per file and every failure in full (scripts/test-reporter.mjs); `--test-reporter=spec` for the verbose one.
const reporter = passthrough.some((a) => a.startsWith("--test-reporter"))
  ? []
  : ["--test-reporter", join(root, "scripts/test-reporter.mjs"), "--test-reporter-destination", "stdout"];
const child = spawn(
  process.execPath,
  ["--test", "--test-concurrency=1", "--test-timeout=300000", ...reporter, ...passthrough, ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, CERTSCOPE_VSIX: vsix, CERTSCOPE_TEST_SUITE: process.env.CERTSCOPE_TEST_SUITE || "e2e" } },
);
// Ctrl-C: let the test process run its after() hooks (they stop code-server and Chromium).
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => {
  console.log(`e2e: done in ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in test/e2e/artifacts/`);
  process.exit(code ?? (signal ? 1 : 0));
});
