#!/usr/bin/env node
// The extension's translatable strings (VS Code's l10n: https://github.com/microsoft/vscode-l10n):
//   - host:    vscode.l10n.t("…") in src/ (and `t("…")` where a file sets `const t = vscode.l10n.t`);
//   - webview: t("…") from webview/l10n.ts in webview/ (the host passes the same bundle to the page).
//   - core:    t("…") imported from src/core/l10n.ts (the host hands core the bundle; the CLI stays English).
// Messages are their own keys, so every call must pass a string literal. `node scripts/l10n.mjs` rewrites
// l10n/bundle.l10n.json (the English source for translators) from the code; `--check` only reports.
// The unit test test/l10n.test.ts uses extract() to check that the bundle and each translation are complete.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Reads the JS string literal starting at s[i] (a quote); returns [value, end] or undefined if it is not a plain literal. */
function literal(s, i) {
  const q = s[i];
  if (q !== '"' && q !== "'" && q !== "`") return undefined;
  let out = "";
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === "\\") {
      const n = s[++j];
      const map = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "`": "`", "0": "\0" };
      if (n === "u") {
        out += String.fromCharCode(parseInt(s.slice(j + 1, j + 5), 16));
        j += 4;
      } else out += map[n] ?? n;
      continue;
    }
    if (q === "`" && c === "$" && s[j + 1] === "{") return undefined;
    if (c === q) return [out, j + 1];
    out += c;
  }
  return undefined;
}

/**
 * Messages handed to `t` indirectly: string-literal arguments of small helpers that pick singular/plural and
 * call `t` themselves, and the values of label tables looked up before `t`. In these files a call `t(name)`
 * with a plain identifier is such a forward, not a problem.
 */
const FORWARDERS = { "src/adapters/documents/describe.ts": ["days", "count"] };
const TABLES = { "src/adapters/tree/format.ts": ["EXT_LABELS"], "src/shared/format.ts": ["SOURCE_BADGES", "SERVER_BADGES"], "src/core/pki/inspect.ts": ["KIND_WORDS"] };

function indirect(rel, s, add) {
  for (const fn of FORWARDERS[rel] ?? []) {
    for (const m of s.matchAll(new RegExp(`(?<![\\w.$])${fn}\\(([^()]*)\\)`, "g"))) {
      const line = s.slice(0, m.index).split("\n").length;
      for (const q of m[1].matchAll(/"(?:[^"\\]|\\.)*"/g)) add(literal(q[0], 0)[0], `${rel}:${line}`);
    }
  }
  for (const name of TABLES[rel] ?? []) {
    const at = s.indexOf(`const ${name}`);
    if (at < 0) continue;
    const body = s.slice(at, s.indexOf("};", at));
    for (const m of body.matchAll(/:\s*("(?:[^"\\]|\\.)*")/g)) add(literal(m[1], 0)[0], `${rel}:${s.slice(0, at).split("\n").length}`);
  }
}

/** Every translatable message in the sources, with where it is used; and calls that do not pass a literal. */
export function extract() {
  const messages = new Map();
  const problems = [];
  const files = [...walk(join(root, "src")), ...walk(join(root, "webview"))];
  for (const file of files) {
    const s = readFileSync(file, "utf8");
    const rel = relative(root, file);
    const add = (msg, where) => messages.set(msg, [...(messages.get(msg) ?? []), where]);
    indirect(rel, s, add);
    const inWebview = rel.startsWith("webview/");
    // Host files: vscode.l10n.t, and `t(` / `tr(` where the file aliases it or takes a Translate function
    // (the pure mappers under src/adapters get vscode.l10n.t passed in as `t`, or fall back to the tree's
    // English `defaultT` when none is given).
    // Core files import `t` from src/core/l10n.ts (core messages, translated with the bundle the host hands over).
    const coreT = rel.startsWith("src/core/") && /import \{[^}]*\bt\b[^}]*\} from "(\.\.?\/)+l10n"/.test(s);
    const bareT = inWebview ? /import \{[^}]*\bt\b[^}]*\} from "(\.\.\/)+l10n"/.test(s) || rel === "webview/l10n.ts" : coreT || /\bconst t = vscode\.l10n\.t\b|\bTranslate\b|\bdefaultT\b/.test(s);
    const re = inWebview ? /(?<![\w.$])t\(\s*/g : bareT ? /(?:\bvscode\.l10n\.t|(?<![\w.$])tr?)\(\s*/g : /\bvscode\.l10n\.t\(\s*/g;
    if (!inWebview && !bareT && !/vscode\.l10n\.t\(/.test(s)) continue;
    if (inWebview && !bareT) continue;
    if (rel === "webview/l10n.ts") continue;
    for (const m of s.matchAll(re)) {
      const at = m.index + m[0].length;
      const line = s.slice(0, m.index).split("\n").length;
      // Skip the function's own declaration (`function t(`) and object-form calls.
      if (/function\s+$/.test(s.slice(Math.max(0, m.index - 10), m.index))) continue;
      const lit = literal(s, at);
      // A wrapper forwarding its own message (`(m, ...a) => vscode.l10n.t(m, ...a)`) is not a message.
      if (!lit && /^[A-Za-z_$][\w$]*\s*,\s*\.\.\./.test(s.slice(at, at + 40))) continue;
      if (!lit && (FORWARDERS[rel] || TABLES[rel]) && /^[A-Za-z_$][\w$]*\s*[,)]/.test(s.slice(at, at + 40))) continue;
      if (!lit) {
        problems.push(`${rel}:${line}: the message is not a string literal: ${s.slice(at, at + 50).split("\n")[0]}`);
        continue;
      }
      add(lit[0], `${rel}:${line}`);
    }
  }
  return { messages, problems };
}

export function readBundle(name) {
  return JSON.parse(readFileSync(join(root, name), "utf8"));
}

/** The placeholders ({0}, {1}, …) a message uses, sorted. */
export function placeholders(s) {
  return [...new Set(s.match(/\{\d+\}/g) ?? [])].sort().join(",");
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const { messages, problems } = extract();
  for (const p of problems) console.error(p);
  const bundle = Object.fromEntries([...messages.keys()].sort().map((k) => [k, k]));
  if (process.argv.includes("--check")) {
    const have = readBundle("l10n/bundle.l10n.json");
    const missing = Object.keys(bundle).filter((k) => !(k in have));
    for (const k of missing) console.log(`missing in l10n/bundle.l10n.json: ${JSON.stringify(k)}`);
    process.exit(missing.length || problems.length ? 1 : 0);
  }
  writeFileSync(join(root, "l10n/bundle.l10n.json"), JSON.stringify(bundle, null, 2) + "\n");
  console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} messages${problems.length ? `; ${problems.length} calls without a literal (above)` : ""}`);
}
