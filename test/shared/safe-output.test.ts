/**
 * Safe output (issue 11): control characters from certificate fields are shown escaped, and every generated
 * command line survives being pasted into `sh -c` with hostile file names — no side effect, and the program
 * receives exactly the words meant.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { escapeControl, escapeLines, shellCommand, shellWord } from "../../src/shared/safeText";
import { curlCommand, opensslCommand, PASSPHRASE_ENV, type CommandInput } from "../../src/shared/handshakeView";

const dir = mkdtempSync(join(tmpdir(), "certscope-safe-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("escapeControl: C0, DEL, C1 and bidi controls are shown, other text is untouched", () => {
  const rows: [string, string][] = [
    ["plain CN", "plain CN"],
    ["\x1b]0;owned\x07\x1b[2J", "\\x1b]0;owned\\x07\\x1b[2J"],
    ["tab\there\nnl\rcr", "tab\\x09here\\x0anl\\x0dcr"],
    ["del\x7f c1\x9b", "del\\x7f c1\\x9b"],
    ["evil\u202egnp.exe", "evil\\u202egnp.exe"],
    ["ls\u2028ps\u2029", "ls\\u2028ps\\u2029"],
    ["Ünïcödé 日本 \\x1b", "Ünïcödé 日本 \\x1b"],
    ["", ""],
  ];
  for (const [input, want] of rows) assert.equal(escapeControl(input), want, JSON.stringify(input));
  assert.equal(escapeLines("a\x1b\nb\x07\n"), "a\\x1b\nb\\x07\n");
});

test("shellWord: bare when safe, single quotes otherwise, environment variables as \"$NAME\"", () => {
  assert.equal(shellWord("/kit/ca.crt"), "/kit/ca.crt");
  assert.equal(shellWord(""), "''");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
  assert.equal(shellWord("a$(id)b"), `'a$(id)b'`);
  assert.equal(shellWord(["x.p12:", { env: "PW" }]), `x.p12:"$PW"`);
  assert.equal(shellWord([{ env: "PW" }]), `"$PW"`);
  assert.throws(() => shellWord([{ env: "A;B" }]), /not an environment variable name/);
  assert.equal(shellCommand(["echo", "a b", ["c", { env: "D" }]]), `echo 'a b' c"$D"`);
});

const HOSTILE = [
  "client$(touch PWNED1).p12",
  "c`touch PWNED2`.pem",
  "it's \"q\" $HOME; touch PWNED3",
  "new\nline; touch PWNED4",
  "-rf",
  "back\\slash$(touch PWNED5)'",
  "dollar$CERTSCOPE_PASSPHRASE",
  "space and * glob ?",
];

/** Runs `line` in sh with openssl and curl replaced by functions that print their arguments, NUL-separated. */
function paste(line: string): string[] {
  const script = `openssl() { printf '%s\\0' "$@"; }\ncurl() { printf '%s\\0' "$@"; }\n${line}\n`;
  const out = execFileSync("sh", ["-c", script], { cwd: dir, env: { PATH: process.env.PATH, [PASSPHRASE_ENV]: "pw' $(touch PWNED9)" } });
  const words = out.toString("utf8").split("\0");
  words.pop();
  return words;
}

test("every generated command line, pasted into sh -c with hostile file names, runs nothing and passes the names intact", () => {
  for (const name of HOSTILE) {
    const inputs: CommandInput[] = [
      { host: "127.0.0.1", port: 8443, servername: name.replace(/\n/g, ""), caFiles: [name], cert: name, key: name, passphrase: true, alpn: ["http/1.1"] },
      { host: "localhost", port: 443, pfx: name, passphrase: true, caFiles: [name, name], noSystemRoots: true },
      { host: "::1", port: 443, pfx: name },
      { host: "example.test", port: 443, cert: name, key: name },
    ];
    for (const c of inputs) {
      for (const [prog, line] of [["openssl", opensslCommand(c)], ["curl", curlCommand(c)]] as const) {
        const words = paste(line);
        const files = [...(c.caFiles ?? []), ...(c.cert ? [c.cert] : []), ...(c.key ? [c.key] : []), ...(c.pfx ? [c.pfx] : [])];
        for (const f of files) {
          const ok = words.includes(f) || words.includes(`${f}:pw' $(touch PWNED9)`);
          assert.ok(ok, `${prog}: '${JSON.stringify(f)}' not passed intact by ${JSON.stringify(line)}: ${JSON.stringify(words)}`);
        }
        if (c.passphrase && prog === "curl" && c.cert) assert.ok(words.includes("pw' $(touch PWNED9)"));
      }
    }
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith("PWNED")), [], "a pasted command line ran a command");
  assert.ok(!existsSync(join(dir, "PWNED1")));
});
