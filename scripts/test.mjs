#!/usr/bin/env node
// Runs the unit tests (test/**/*.test.ts) with Node's own test runner, TypeScript loaded through tsx.
// Arguments narrow the run: `npm run test:unit -- pem chain` runs files whose path contains "pem" or "chain".
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith("-"));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "e2e" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

let files = walk(join(root, "test")).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error("no test files matched");
  process.exit(1);
}
// One line per file and every failure in full (scripts/test-reporter.mjs), unless a reporter is asked for
// (`npm run test:unit -- --test-reporter=spec` for the verbose one).
const reporter = passthrough.some((a) => a.startsWith("--test-reporter")) ? [] : ["--test-reporter", join(root, "scripts/test-reporter.mjs"), "--test-reporter-destination", "stdout"];
const r = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", ...reporter, ...passthrough, ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, CERTSCOPE_TEST_SUITE: process.env.CERTSCOPE_TEST_SUITE || "unit" } },
);
process.exit(r.status ?? 1);
