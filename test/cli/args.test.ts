import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../src/cli/args";

const spec = { json: "boolean", trusted: "list", host: "string" } as const;

const rows: { name: string; argv: string[]; want?: unknown; error?: RegExp }[] = [
  { name: "positional and flag", argv: ["a.pem", "--json"], want: { positionals: ["a.pem"], strings: {}, lists: { trusted: [] }, flags: { json: true } } },
  { name: "repeatable list", argv: ["--trusted", "x", "--trusted=y", "f"], want: { positionals: ["f"], strings: {}, lists: { trusted: ["x", "y"] }, flags: { json: false } } },
  { name: "string with =", argv: ["--host=a.example"], want: { positionals: [], strings: { host: "a.example" }, lists: { trusted: [] }, flags: { json: false } } },
  { name: "unknown option", argv: ["--nope"], error: /unknown option '--nope'/ },
  { name: "missing value", argv: ["--host"], error: /needs a value/ },
  { name: "boolean with value", argv: ["--json=1"], error: /takes no value/ },
  { name: "string twice", argv: ["--host", "a", "--host", "b"], error: /given twice/ },
  { name: "short unknown option", argv: ["-x"], error: /unknown option '-x'/ },
];

for (const row of rows) {
  test(`parseArgs: ${row.name}`, () => {
    if (row.error) {
      assert.throws(() => parseArgs(row.argv, spec), (e: unknown) => e instanceof UsageError && row.error!.test((e as Error).message));
    } else {
      assert.deepEqual(parseArgs(row.argv, spec), row.want);
    }
  });
}
