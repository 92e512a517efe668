/**
 * scripts/test-reporter.mjs, the reporter scripts/test.sh's suites use: one line per file, every failure in full,
 * Node's summary lines, and "N passed, N failed" alone on the last line (what CI reads).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const reporter = new URL("../../scripts/test-reporter.mjs", import.meta.url).pathname;

function runSuite(files: Record<string, string>): { out: string; status: number | null; counts: string } {
  const dir = mkdtempSync(join(tmpdir(), "certscope-reporter-"));
  try {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    const counts = join(dir, "counts.txt");
    // NODE_TEST_CONTEXT would make the inner runner report to this one instead of through the reporter.
    const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
    const r = spawnSync(process.execPath, ["--test", "--test-reporter", reporter, "--test-reporter-destination", "stdout", ...Object.keys(files)], {
      cwd: dir,
      encoding: "utf8",
      env: { ...env, CERTSCOPE_TEST_SUITE: "demo", CERTSCOPE_TEST_COUNTS: counts },
      timeout: 60_000,
    });
    let c = "";
    try {
      c = readFileSync(counts, "utf8");
    } catch {
      // no counts written
    }
    return { out: r.stdout, status: r.status, counts: c };
  }
  finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a failing suite: the failure in full with its diff and output, a line per file, the CI line last", () => {
  const r = runSuite({
    "good.test.mjs": `import { test } from "node:test"; test("one", () => {}); test("two", () => {});`,
    "bad.test.mjs": [
      `import { test } from "node:test"; import assert from "node:assert/strict";`,
      `test("outer", async (t) => { await t.test("compares", () => { console.log("printed by the test"); assert.deepEqual({ a: [1, 2] }, { a: [1, 3] }); }); });`,
      `test("fine", () => {});`,
    ].join("\n"),
  });
  assert.equal(r.status, 1);
  const lines = r.out.trimEnd().split("\n");
  assert.match(r.out, /^✓ good\.test\.mjs {2}2 passed/m);
  assert.match(r.out, /^✗ bad\.test\.mjs {2}1 passed, 1 FAILED/m);
  assert.match(r.out, /✗ outer › compares\n {2}at bad\.test\.mjs\n {2}AssertionError: Expected values to be strictly deep-equal/);
  assert.match(r.out, /\+ {5}2\n.*- {5}3/s);
  assert.match(r.out, /│ printed by the test/);
  assert.match(r.out, /^# pass 3$/m);
  assert.match(r.out, /^# fail 2$/m);
  assert.equal(lines[lines.length - 1], "3 passed, 2 failed");
  assert.match(r.counts, /^demo 3 2 [\d.]+\n$/);
  // Short: no TAP, no per-test lines for passing tests.
  assert.ok(lines.length < 40, r.out);
  assert.doesNotMatch(r.out, /^ok \d|TAP version/m);
});

test("a passing suite prints no failure section and ends with the CI line", () => {
  const r = runSuite({ "a.test.mjs": `import { test } from "node:test"; test("x", () => { console.log("quiet"); });` });
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.out, /failures|quiet/);
  assert.equal(r.out.trimEnd().split("\n").pop(), "1 passed, 0 failed");
});
