#!/usr/bin/env node
// `npm run package`: a production build (minified, no source maps), then `certscope-<version>.vsix` with
// @vscode/vsce. Everything the extension runs is bundled by esbuild, so no node_modules go in
// (--no-dependencies); `.vscodeignore` lets in only the bundles, media and the Marketplace texts.
// Prints the file list (`vsce ls`) and the package size. `--out FILE` writes elsewhere; `--skip-build` reuses dist/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outIdx = args.indexOf("--out");
const out = outIdx >= 0 ? resolve(args[outIdx + 1]) : join(root, `${pkg.name}-${pkg.version}.vsix`);
const quiet = args.includes("--quiet");
const vsce = join(root, "node_modules/@vscode/vsce/vsce");

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", stdio: opts.capture ? "pipe" : "inherit", env: process.env });
  if (r.status !== 0) {
    if (opts.capture) process.stderr.write(r.stdout + r.stderr);
    console.error(`package: ${[cmd, ...argv].join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return r.stdout;
}

const extra = [];
if (!existsSync(join(root, "README.md"))) {
  // Only while the README is being written: vsce refuses to package without one.
  // (vsce wants it inside the project tree; test/e2e/.work is git-ignored.)
  const tmp = join(root, "test/e2e/.work");
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, "README.md"), `# ${pkg.displayName}\n\n${pkg.description}\n`);
  extra.push("--readme-path", "test/e2e/.work/README.md");
  console.warn("package: README.md is missing; packaging with a one-line README from package.json's description");
}
for (const f of ["LICENSE", "CHANGELOG.md", pkg.icon].filter(Boolean)) {
  if (!existsSync(join(root, f))) {
    console.error(`package: ${f} is missing; vsce needs it for the Marketplace page`);
    process.exit(1);
  }
}

if (!args.includes("--skip-build")) run(process.execPath, [join(root, "scripts/build.mjs"), "--production"]);

// The local images README.md shows go in too (the extension page inside VS Code resolves relative links against
// the installed extension folder) — only those, so unused screenshots do not weigh on the package.
const readme = existsSync(join(root, "README.md")) ? readFileSync(join(root, "README.md"), "utf8") : "";
const images = [...readme.matchAll(/(?:\]\(|src=["'])(?:\.\/)?([^)"'\s]+\.(?:png|jpe?g|gif|webp))/gi)]
  .map((m) => m[1])
  .filter((p) => !/^[a-z]+:/i.test(p) && existsSync(join(root, p)));
const ignoreFile = join(tmpdir(), `certscope-vscodeignore-${process.pid}`);
writeFileSync(ignoreFile, readFileSync(join(root, ".vscodeignore"), "utf8") + images.map((p) => `\n!${p}`).join("") + "\n");
process.on("exit", () => rmSync(ignoreFile, { force: true }));

// No public repository is configured: don't let vsce prompt for one, and leave the README's relative links as
// they are (inside VS Code the extension page resolves them against the installed extension folder).
const common = ["--no-dependencies", "--ignoreFile", ignoreFile, "--allow-missing-repository", ...(pkg.repository ? [] : ["--no-rewrite-relative-links"])];
const t0 = Date.now();
run(process.execPath, [vsce, "package", ...common, ...extra, "--out", out], { capture: quiet });
const files = run(process.execPath, [vsce, "ls", "--no-dependencies", "--ignoreFile", ignoreFile], { capture: true })
  .split("\n")
  .filter(Boolean);
const unexpected = files.filter((f) => !/^(package\.json|package\.nls(\.[a-z-]+)?\.json|README\.md|CHANGELOG\.md|LICENSE(\.md|\.txt)?|dist\/|media\/|l10n\/)/.test(f) && !images.includes(f));
if (unexpected.length) {
  console.error(`package: unexpected files would ship:\n  ${unexpected.join("\n  ")}\nadjust .vscodeignore`);
  process.exit(1);
}
const kib = (statSync(out).size / 1024).toFixed(1);
console.log(`package: ${out.startsWith(root) ? out.slice(root.length) : out}  ${kib} KiB, ${files.length} files in ${Date.now() - t0} ms`);
if (!quiet) for (const f of files) console.log(`  ${f}`);
