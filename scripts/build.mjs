#!/usr/bin/env node
// One build for everything that ships or runs: the extension host bundle, the lazily loaded core bundle,
// the CLI, and the webview bundle. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const common = {
  bundle: true,
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  absWorkingDir: root,
  legalComments: "none",
};

const node = {
  ...common,
  platform: "node",
  target: "node20",
  format: "cjs",
  // `vscode` is provided by the host; `./core.js` is the lazily required core bundle (see src/adapters/lazyCore.ts),
  // `./handshake.js` the lazily required handshake panel + lab (src/adapters/lazyHandshake.ts).
  external: ["vscode", "./core.js", "./handshake.js", "./views.js"],
};

const builds = [
  { ...node, entryPoints: ["src/extension.ts"], outfile: "dist/extension.js" },
  { ...node, entryPoints: ["src/core/index.ts"], outfile: "dist/core.js" },
  { ...node, entryPoints: ["src/adapters/handshake/feature.ts"], outfile: "dist/handshake.js" },
  // The hover's Markdown, the viewer's view model and the editor commands' bodies (src/adapters/lazyViews.ts).
  { ...node, entryPoints: ["src/adapters/views.ts"], outfile: "dist/views.js" },
  // The decoding worker (src/adapters/decodeWorker.ts): decoding and KDFs off the extension host's thread.
  { ...node, entryPoints: ["src/core/decodeWorker.ts"], outfile: "dist/worker.js" },
  { ...node, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } },
];
if (existsSync(join(root, "webview/main.ts"))) {
  builds.push({
    ...common,
    platform: "browser",
    target: "es2022",
    format: "esm",
    entryPoints: ["webview/main.ts"],
    outdir: "dist/webview",
    loader: { ".css": "text", ".ttf": "file" },
  });
}

mkdirSync(join(root, "dist"), { recursive: true });
if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log("watching…");
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync(join(root, "dist/cli.js"), 0o755);
  console.log(`built ${builds.length} bundles in ${Date.now() - t0} ms`);
}
