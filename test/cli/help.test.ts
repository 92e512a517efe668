/**
 * Every command answers --help / -h with ALL the flags its table parses (the table drives both), the top-level
 * help lists every command's flags, and `certscope help CMD` is `certscope CMD --help`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { COMMANDS, main, usage } from "../../src/cli";
import { commandHelp, parseArgs, UsageError } from "../../src/cli/args";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

/** The `--flag` names a help text mentions. */
export function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
}

for (const [name, { spec }] of Object.entries(COMMANDS)) {
  for (const form of [["--help"], ["-h"], ["a.pem", "--help"], ["--json", "-h"]]) {
    test(`certscope ${name} ${form.join(" ")}: exit 0, help on stdout listing every flag`, async () => {
      const r = await run([name, ...form]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "");
      assert.match(r.out, new RegExp(`^Usage: certscope ${name} `));
      const listed = flagsIn(r.out);
      for (const f of spec.flags) assert.ok(listed.has(f.name), `--${f.name} missing from certscope ${name} --help`);
      assert.ok(listed.has("help"));
    });
  }

  test(`certscope ${name}: the help's flags are exactly the flags the parser takes`, () => {
    const listed = flagsIn(commandHelp(spec));
    listed.delete("help");
    // Every flag the help names parses; a flag outside the table does not.
    for (const f of listed) {
      const kind = spec.flags.find((x) => x.name === f)?.kind;
      assert.ok(kind, `--${f} is in the help of ${name} but not in its table`);
      const argv = kind === "boolean" ? [`--${f}`] : [`--${f}`, "x"];
      assert.doesNotThrow(() => parseArgs(argv, spec), `--${f}`);
    }
    assert.throws(() => parseArgs(["--no-such-flag"], spec), UsageError);
  });

  test(`certscope help ${name} = certscope ${name} --help`, async () => {
    assert.equal((await run(["help", name])).out, (await run([name, "--help"])).out);
  });
}

test("the top-level help lists every command and every flag of each (--transcript included)", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.out, usage());
  const listed = flagsIn(r.out);
  for (const { spec } of Object.values(COMMANDS)) {
    assert.match(r.out, new RegExp(`certscope ${spec.name} ${spec.operands.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    for (const f of spec.flags) assert.ok(listed.has(f.name), `--${f.name} (${spec.name}) missing from the top-level help`);
  }
  assert.ok(listed.has("transcript"));
});

test("no arguments: the help on stderr, exit 2; an unknown command or help topic: exit 2", async () => {
  const none = await run([]);
  assert.equal(none.code, 2);
  assert.equal(none.out, "");
  assert.match(none.err, /Commands:/);
  assert.equal((await run(["frobnicate"])).code, 2);
  assert.equal((await run(["help", "frobnicate"])).code, 2);
});

test("a usage error points at the command's --help", async () => {
  const r = await run(["verify", "--nope"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '--nope'/);
  assert.match(r.err, /certscope verify --help/);
});

test("--help after -- is an operand, not a request for help", async () => {
  const r = await run(["inspect", "--", "--help"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--help: cannot be read: no such file/);
});
