#!/usr/bin/env node
// Long fuzz run of src/core/pki (the unit test runs 12,000 cases): `node scripts/fuzz-pki.mjs [CASES] [SEED]`.
// Failing inputs are saved to test/fixtures/pki/fuzz-regressions/ (FUZZ_SAVE=1), where the unit test
// replays them on every run.
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const cases = process.argv[2] ?? "200000";
const seed = process.argv[3] ?? String(Date.now() % 2 ** 31);
console.log(`fuzzing src/core/pki: ${cases} cases, seed ${seed}`);
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-timeout=0", "test/pki/fuzz.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, FUZZ_CASES: cases, FUZZ_SEED: seed, FUZZ_SAVE: "1" },
});
process.exit(r.status ?? 1);
