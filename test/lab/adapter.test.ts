/**
 * The lab commands against the stand-in `vscode` (scripts/bench/lib/fake-vscode.cjs): they log to the one
 * "CertScope" channel with a "lab:" prefix, and a failing command is logged and shown, never a rejection.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as tls from "node:tls";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vscode } from "../adapters/fake";

const channels: string[] = [];
const errors: string[] = [];
const infos: string[] = [];
const w = vscode.window;
const makeChannel = w.createOutputChannel;
w.createOutputChannel = (name: string, opts?: unknown) => (channels.push(name), makeChannel(name, opts));
w.showErrorMessage = async (m: string) => (errors.push(m), undefined);
w.showInformationMessage = async (m: string) => (infos.push(m), undefined);
w.showWarningMessage = async () => undefined;
w.withProgress = async (_o: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) => task({ report() {} }, new vscode.CancellationTokenSource().token);

/* eslint-disable @typescript-eslint/no-require-imports */
const { registerLab } = require("../../src/adapters/lab") as typeof import("../../src/adapters/lab");
/* eslint-enable @typescript-eslint/no-require-imports */

const memento = () => {
  const m = new Map<string, unknown>();
  return { get: (k: string) => m.get(k), update: async (k: string, v: unknown) => void m.set(k, v), keys: () => [...m.keys()] };
};
const context = { subscriptions: [] as { dispose(): unknown }[], workspaceState: memento(), globalState: memento() };
const lab = registerLab(context as never);
const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args) as Promise<unknown>;
const lines = () => vscode.fake.logLines as string[];
const root = mkdtempSync(join(tmpdir(), "certscope-labcmd-"));
after(async () => {
  for (const d of context.subscriptions) await d.dispose();
  rmSync(root, { recursive: true, force: true });
});

test("lab commands: create a kit, start the server, log each connection and the stop to the CertScope channel as lab:", async () => {
  const dir = join(root, "kit");
  assert.equal(await run("certscope.createTestKit", dir), dir);
  assert.ok(existsSync(join(dir, "server.key")) && existsSync(join(dir, ".gitignore")));
  const started = (await run("certscope.startTestServer", { kitDir: dir, mode: "required" })) as { port: number };
  assert.ok(started.port > 0, JSON.stringify(started));
  assert.equal(lab.info?.mode, "required");

  // A client without a certificate: the server rejects it, and the log says so as a warning.
  await new Promise<void>((resolve) => {
    const s = tls.connect({ host: "127.0.0.1", port: started.port, rejectUnauthorized: false }, () => s.write("GET / HTTP/1.1\r\n\r\n"));
    s.on("error", () => resolve());
    s.on("close", () => resolve());
  });
  await new Promise((r) => setTimeout(r, 50));
  await run("certscope.stopTestServer");
  assert.equal(lab.info, undefined);

  const labLines = lines().filter((l) => l.includes("lab:"));
  assert.ok(labLines.some((l) => l.startsWith("[info] lab: created a test kit in ")), labLines.join("\n"));
  assert.ok(labLines.some((l) => l.startsWith("[info] lab: serving ") && l.includes(`127.0.0.1:${started.port}, mode required`)), labLines.join("\n"));
  assert.ok(labLines.some((l) => /^\[warn\] lab: 127\.0\.0\.1:\d+ rejected: handshake failed/.test(l)), labLines.join("\n"));
  assert.ok(labLines.some((l) => l === `[info] lab: stopped the test server on 127.0.0.1:${started.port}`), labLines.join("\n"));
  assert.ok(!labLines.some((l) => /PRIVATE KEY/.test(l)), "no key material in the log");
  assert.deepEqual([...new Set(channels)], ["CertScope"], "one output channel, no 'CertScope Lab'");
  assert.deepEqual(errors, []);
});

test("lab commands: a failure inside a command is logged and shown as CertScope: …, never a rejection", async () => {
  const before = errors.length;
  w.showQuickPick = async () => {
    throw new Error("quick pick broke");
  };
  try {
    const r = await run("certscope.startTestServer", { kitDir: join(root, "kit") }); // no mode → asks → throws
    assert.equal(r, undefined);
  } finally {
    delete w.showQuickPick;
  }
  assert.deepEqual(errors.slice(before), ["CertScope: quick pick broke"]);
  assert.ok(lines().includes("[error] lab: certscope.startTestServer: quick pick broke"), lines().join("\n"));
});

test("lab commands: a server that cannot start says why; the menu with no server says none is running", async () => {
  const before = errors.length;
  assert.equal(await run("certscope.startTestServer", { kitDir: root, mode: "one-way" }), undefined);
  assert.equal(errors.length, before + 1);
  assert.match(errors.at(-1)!, /^CertScope: could not start the test server: .*is not a CertScope test kit/);
  assert.ok(lines().some((l) => l.startsWith("[warn] lab: could not start the test server with ")));
  await run("certscope.labServerMenu");
  assert.equal(infos.at(-1), "No CertScope test server is running.");
});
