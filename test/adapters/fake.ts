/**
 * Loads adapters in plain Node: `vscode` resolves to the stand-in scripts/bench/lib/fake-vscode.cjs, and
 * lazyCore's "./core.js" to the core's TypeScript source (lazyHandshake's "./handshake.js" to the handshake feature's). Import this before any module that imports vscode,
 * and load those modules with require() after it.
 */
import Module from "node:module";
import { join } from "node:path";

const root = join(__dirname, "../..");
const fakePath = join(root, "scripts/bench/lib/fake-vscode.cjs");
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve0 = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === "vscode") return fakePath;
  if (request === "./core.js") return join(root, "src/core/index.ts");
  if (request === "./handshake.js") return join(root, "src/adapters/handshake/feature.ts");
  if (request === "./views.js") return join(root, "src/adapters/views.ts");
  return resolve0.call(this, request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const vscode = require(fakePath);
