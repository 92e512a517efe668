// Every user-visible string is localizable and the shipped translation (German) is complete: the messages the
// code passes to vscode.l10n.t (host) and webview/l10n.ts's t (pages) are all in l10n/bundle.l10n.json and in
// l10n/bundle.l10n.de.json with the same placeholders; every manifest string is a %key% found in
// package.nls.json and package.nls.de.json. A failure lists exactly what to add.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error — a plain .mjs script without types
import { extract, placeholders, readBundle } from "../scripts/l10n.mjs";

const root = join(__dirname, "..");
const TRANSLATIONS = ["de"];
const { messages, problems } = extract() as { messages: Map<string, string[]>; problems: string[] };
const source = readBundle("l10n/bundle.l10n.json") as Record<string, string>;

test("every l10n.t / t call passes a string literal (messages are their own keys)", () => {
  assert.deepEqual(problems, []);
  assert.ok(messages.size > 300, `only ${messages.size} messages found: the extractor is broken`);
});

test("core's messages (t from src/core/l10n.ts) are extracted too", () => {
  const core = [...messages].filter(([, at]) => at.some((w) => w.startsWith("src/core/")));
  assert.ok(core.length > 300, `only ${core.length} messages found in src/core`);
  assert.ok(messages.get("{0} expired on {1} ({2} before the validation time).")?.some((w) => w.startsWith("src/core/chain/checks.ts")));
});

test("l10n/bundle.l10n.json holds every message of the code (run node scripts/l10n.mjs)", () => {
  const missing = [...messages.keys()].filter((m) => !(m in source)).map((m) => `${JSON.stringify(m)} (${messages.get(m)![0]})`);
  assert.deepEqual(missing, []);
});

for (const lang of TRANSLATIONS) {
  test(`l10n/bundle.l10n.${lang}.json translates every message, keeping its placeholders`, () => {
    const tr = readBundle(`l10n/bundle.l10n.${lang}.json`) as Record<string, string>;
    const missing = [...messages.keys()].filter((m) => typeof tr[m] !== "string" || !tr[m].trim());
    assert.deepEqual(missing, [], `${missing.length} messages have no ${lang} translation`);
    const broken = Object.entries(tr).filter(([k, v]) => placeholders(k) !== placeholders(v)).map(([k, v]) => `${k} → ${v}`);
    assert.deepEqual(broken, [], "a translation lost or added a {n} placeholder");
  });
}

/** The manifest fields VS Code shows to users. */
const SHOWN = new Set(["title", "description", "markdownDescription", "shortTitle", "displayName", "contents", "name", "deprecationMessage", "markdownDeprecationMessage", "placeholder", "label"]);

function manifestStrings(o: unknown, path: string, out: [string, string][]): [string, string][] {
  if (Array.isArray(o)) o.forEach((x, i) => manifestStrings(x, `${path}[${i}]`, out));
  else if (o && typeof o === "object") {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === "string" && SHOWN.has(k)) out.push([`${path}.${k}`, v]);
      else if (Array.isArray(v) && (k === "enumDescriptions" || k === "markdownEnumDescriptions")) v.forEach((x, i) => out.push([`${path}.${k}[${i}]`, String(x)]));
      else manifestStrings(v, `${path}.${k}`, out);
    }
  }
  return out;
}

test("the manifest's user-visible strings are %keys% of package.nls.json and every translation", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.l10n, "./l10n");
  const shown = manifestStrings({ displayName: pkg.displayName, description: pkg.description, capabilities: pkg.capabilities, contributes: pkg.contributes }, "package.json", []);
  const literal = shown.filter(([, v]) => !/^%[^%]+%$/.test(v)).map(([p, v]) => `${p}: ${JSON.stringify(v)}`);
  assert.deepEqual(literal, [], "move these to package.nls.json as %keys%");
  const keys = shown.map(([, v]) => v.slice(1, -1));
  for (const file of ["package.nls.json", ...TRANSLATIONS.map((l) => `package.nls.${l}.json`)]) {
    const nls = JSON.parse(readFileSync(join(root, file), "utf8")) as Record<string, string>;
    const missing = keys.filter((k) => typeof nls[k] !== "string" || !nls[k].trim());
    assert.deepEqual(missing, [], `${file} lacks these keys`);
  }
});
