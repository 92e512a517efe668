// A reporter for Node's test runner (`node --test --test-reporter=./scripts/test-reporter.mjs`): one line per test
// file, every failure in full (its name path, where, the error with expected/actual and the stack, and what the
// file printed), then the runner's own summary lines (`# tests N`, `# pass N`, `# fail N` …) and a last line
// "N passed, N failed" alone, which CI reads. With CERTSCOPE_TEST_SUITE=name the lines say which suite (unit, e2e);
// with CERTSCOPE_TEST_COUNTS=file the suite's counts are appended to that file (scripts/test.sh adds them up).
import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import { inspect } from "node:util";

const suite = process.env.CERTSCOPE_TEST_SUITE || "tests";
const root = process.cwd();
const MAX_OUTPUT = 20_000;

const rel = (file) => (file ? relative(root, file) : "(no file)");

/** Per test file: counts, time, its failures and what it printed. */
function fileState(files, file) {
  let f = files.get(file);
  if (!f) {
    f = { pass: 0, fail: 0, skip: 0, todo: 0, ms: 0, failures: [], output: "" };
    files.set(file, f);
  }
  return f;
}

function errorText(err) {
  // The runner wraps what the test threw: ERR_TEST_FAILURE with the original as `cause`.
  const e = err?.code === "ERR_TEST_FAILURE" && err.cause ? err.cause : err;
  if (!e) return "(no error)";
  if (!(e instanceof Error) && typeof e !== "object") return String(e);
  const lines = [];
  const head = `${e.name ?? "Error"}${e.code && e.code !== "ERR_ASSERTION" ? ` [${e.code}]` : ""}: ${e.message ?? ""}`;
  lines.push(head);
  if ("expected" in e || "actual" in e) {
    // AssertionError's message holds the diff for deep comparisons; for others show both values.
    if (!/[+-] (?:actual|expected)/.test(e.message ?? "")) {
      lines.push(`  expected: ${inspect(e.expected, { depth: 6, breakLength: 120 })}`);
      lines.push(`  actual:   ${inspect(e.actual, { depth: 6, breakLength: 120 })}`);
    }
  }
  const stack = String(e.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !/node:internal|node:async_hooks|node_modules\/tsx|\(<anonymous>\)$/.test(l))
    .slice(0, 12);
  lines.push(...stack.map((l) => `  ${l.trim()}`));
  if (e.cause && e.cause !== e) lines.push(`  caused by: ${e.cause?.message ?? String(e.cause)}`);
  return lines.join("\n");
}

export default async function* summaryReporter(source) {
  const files = new Map();
  const stack = []; // names of the tests being run, by nesting, per file (tests of one file report in order)
  const diagnostics = [];
  const t0 = Date.now();
  let leafPass = 0;
  let leafFail = 0;
  for await (const event of source) {
    const d = event.data ?? {};
    switch (event.type) {
      case "test:start":
        stack[d.nesting] = d.name;
        stack.length = d.nesting + 1;
        break;
      case "test:pass":
      case "test:fail": {
        const f = fileState(files, d.file);
        const isSuite = d.details?.type === "suite";
        const failure = d.details?.error;
        if (d.nesting === 0) f.ms += d.details?.duration_ms ?? 0;
        if (event.type === "test:fail" && failure?.failureType === "subtestsFailed") break; // its subtests say why
        if (d.skip) f.skip++;
        else if (d.todo) f.todo++;
        else if (event.type === "test:pass") {
          if (!isSuite) (f.pass++, leafPass++);
        } else {
          f.fail++;
          leafFail++;
          const path = [...stack.slice(0, d.nesting), d.name].filter(Boolean).join(" › ");
          // The event's line is the transpiled file's (tsx): the stack below has the real one.
          const where = rel(d.file);
          f.failures.push(`✗ ${path}\n  at ${where}\n${errorText(failure).replace(/^/gm, "  ")}`);
        }
        break;
      }
      case "test:stdout":
      case "test:stderr": {
        const f = fileState(files, d.file);
        if (f.output.length < MAX_OUTPUT) f.output += d.message;
        break;
      }
      case "test:diagnostic":
        if (d.nesting === 0 && /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(d.message)) diagnostics.push(d.message);
        else if (d.nesting === 0 && d.file) fileState(files, d.file).output += `# ${d.message}\n`;
        break;
      default:
        break;
    }
  }
  const ordered = [...files.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
  for (const [file, f] of ordered) {
    if (!f.pass && !f.fail && !f.skip && !f.todo && !f.output) continue;
    const extra = [f.skip ? `${f.skip} skipped` : "", f.todo ? `${f.todo} todo` : ""].filter(Boolean).join(", ");
    yield `${f.fail ? "✗" : "✓"} ${rel(file)}  ${f.pass} passed${f.fail ? `, ${f.fail} FAILED` : ""}${extra ? `, ${extra}` : ""}  (${(f.ms / 1000).toFixed(1)} s)\n`;
  }
  const failed = ordered.filter(([, f]) => f.failures.length || (f.fail && f.output));
  if (failed.length) {
    yield `\n──────── ${suite}: failures ────────\n`;
    for (const [file, f] of failed) {
      for (const text of f.failures) yield `\n${text}\n`;
      if (f.output.trim()) yield `\n  output of ${rel(file)}:\n${f.output.trimEnd().replace(/^/gm, "  │ ")}\n`;
    }
    yield "\n";
  }
  // Node's own counts (every test, subtests included) when it gave them; else ours.
  const count = (name) => {
    const line = diagnostics.find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(" ")[1]) : undefined;
  };
  const pass = count("pass") ?? leafPass;
  const fail = count("fail") ?? leafFail;
  const cancelled = count("cancelled") ?? 0;
  for (const l of diagnostics) yield `# ${l}\n`;
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (process.env.CERTSCOPE_TEST_COUNTS) {
    try {
      appendFileSync(process.env.CERTSCOPE_TEST_COUNTS, `${suite} ${pass} ${fail + cancelled} ${seconds}\n`);
    } catch {
      // The summary file is a convenience for scripts/test.sh; the lines above already say everything.
    }
  }
  yield `${suite}: ${pass} passed, ${fail + cancelled} failed in ${seconds} s\n`;
  yield `${pass} passed, ${fail + cancelled} failed\n`;
}
