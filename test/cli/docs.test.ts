/**
 * docs/cli.md, the CLI reference that ships with the repository, is kept honest against the code: each command's
 * section documents exactly the flags its --help lists (the help comes from the command's flag table, the same
 * table the parser reads), every command has a section, and the examples use only flags that exist.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { COMMANDS } from "../../src/cli";
import { commandHelp } from "../../src/cli/args";

const doc = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");

/** The text under `## heading` up to the next `## `. */
function section(heading: string): string | undefined {
  const at = doc.indexOf(`\n## ${heading}\n`);
  if (at < 0) return undefined;
  const next = doc.indexOf("\n## ", at + 4);
  return doc.slice(at, next < 0 ? undefined : next);
}

const flags = (text: string) => new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
const sorted = (s: Set<string>) => [...s].sort();

for (const [name, { spec }] of Object.entries(COMMANDS)) {
  test(`docs/cli.md documents exactly the flags of certscope ${name} --help`, () => {
    const text = section(`certscope ${name}`);
    assert.ok(text, `docs/cli.md has no section "## certscope ${name}"`);
    const help = flags(commandHelp(spec));
    help.delete("help");
    const documented = flags(text);
    // Each flag of the help has its own row in the section's option table; any flag the section names exists.
    const rows = new Set([...text.matchAll(/^\| `--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]));
    const undocumented = sorted(help).filter((f) => !rows.has(f));
    const phantom = sorted(documented).filter((f) => !help.has(f));
    assert.deepEqual(undocumented, [], `flags in certscope ${name} --help missing from docs/cli.md: ${undocumented.join(", ")}`);
    assert.deepEqual(phantom, [], `flags in docs/cli.md's ${name} section that certscope ${name} does not take: ${phantom.join(", ")}`);
    // The synopsis names the command's operands as the help does.
    assert.ok(text.includes(`certscope ${name} ${spec.operands}`), `section ${name} names its operands ${spec.operands}`);
  });
}

test("docs/cli.md: a section for each command and no other; the examples use real flags; the exit codes table", () => {
  const documented = [...doc.matchAll(/^## certscope (\S+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, Object.keys(COMMANDS).sort());
  const all = new Set(Object.values(COMMANDS).flatMap(({ spec }) => spec.flags.map((f) => f.name)));
  const examples = section("Examples") ?? "";
  for (const f of flags(examples)) assert.ok(all.has(f), `the examples use --${f}, which no command takes`);
  for (const { spec } of Object.values(COMMANDS)) assert.ok(examples.includes(`dist/cli.js ${spec.name} `), `an example of ${spec.name}`);
  assert.match(section("Exit codes") ?? "", /\| `0` \|[\s\S]*\| `1` \|[\s\S]*\| `2` \|/);
});
