#!/usr/bin/env node
// `npm run bench`: builds, then runs every benchmark in scripts/bench/*.mjs in turn; each prints its figures.
// `npm run bench -- inspect` runs only those whose file name contains "inspect".
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);
const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
const dir = join(root, "scripts/bench");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort() : [];
let failed = 0;
for (const f of files) {
  if (filters.length && !filters.some((x) => f.includes(x))) continue;
  console.log(`\n== ${f.replace(/\.mjs$/, "")} ==`);
  const r = spawnSync(process.execPath, [join(dir, f)], { stdio: "inherit", cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
