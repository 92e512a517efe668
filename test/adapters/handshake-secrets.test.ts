/**
 * One password store for the certificate viewer and the handshake panel (src/adapters/secrets.ts), failing
 * soft when the keychain refuses; the command guard (src/adapters/commands/guard.ts); and which command
 * arguments name a file for "Test as Client Certificate" (src/adapters/handshake/index.ts uriOf). Loaded
 * against the stand-in `vscode`; the handshake runs are real, against the lab's local server in "required" mode.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vscode } from "./fake";
import { randomBytes } from "node:crypto";
import { writeTestKit, startTestServer, type RunningTestServer } from "../../src/core/lab";
import { emptyForm, type HandshakeForm } from "../../src/shared/protocol/handshake";
import type * as VS from "vscode";

/* eslint-disable @typescript-eslint/no-require-imports */
const { PasswordStore } = require("../../src/adapters/secrets") as typeof import("../../src/adapters/secrets");
const { runForm, secretUri } = require("../../src/adapters/handshake/runner") as typeof import("../../src/adapters/handshake/runner");
const { uriOf } = require("../../src/adapters/handshake/index") as typeof import("../../src/adapters/handshake/index");
const { guarded } = require("../../src/adapters/commands/guard") as typeof import("../../src/adapters/commands/guard");
const { secretFailureReporter } = require("../../src/adapters/commands/index") as typeof import("../../src/adapters/commands/index");
// The credentials open in the real decoding worker, as in the extension.
const { openCredentialsInWorker, stopDecodeWorker } = require("../../src/adapters/decodeWorker") as typeof import("../../src/adapters/decodeWorker");
/* eslint-enable @typescript-eslint/no-require-imports */

const { fake } = vscode;
const window = vscode.window as Record<string, unknown>;

/** SecretStorage + Memento in memory; `broken` makes store/delete throw like a missing keyring does. */
function keychain(broken = false) {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  const fail = () => {
    throw new Error("Cannot create an item in a locked collection");
  };
  const secretStorage = {
    get: async (k: string) => secrets.get(k),
    store: async (k: string, v: string) => (broken ? fail() : void secrets.set(k, v)),
    delete: async (k: string) => (broken ? fail() : void secrets.delete(k)),
  } as unknown as VS.SecretStorage;
  const memento = {
    get: <T>(k: string) => state.get(k) as T | undefined,
    update: async (k: string, v: unknown) => void state.set(k, v),
  } as unknown as VS.Memento;
  return { secrets, state, secretStorage, memento };
}

/** Records input boxes and messages; `answers` are what the input boxes return, in order. */
function ui(answers: (string | undefined)[] = []) {
  const seen = { inputs: [] as string[], warnings: [] as string[], errors: [] as string[] };
  window.showInputBox = async (o: { prompt?: string }) => {
    seen.inputs.push(o.prompt ?? "");
    return answers.shift();
  };
  window.showWarningMessage = async (m: string) => void seen.warnings.push(m);
  window.showErrorMessage = async (m: string) => void seen.errors.push(m);
  return seen;
}

const dir = mkdtempSync(join(tmpdir(), "certscope-hs-secrets-"));
/** The kit's PKCS#12 password: random, so "it is in no log" means something. */
const PFX_PASSWORD = randomBytes(9).toString("base64url");
let server: RunningTestServer;
before(async () => {
  await writeTestKit(dir, { pkcs12Password: PFX_PASSWORD });
  server = await startTestServer({ mode: "required", kitDir: dir });
});
after(async () => {
  await stopDecodeWorker();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function pfxForm(remember = false): HandshakeForm {
  return {
    ...emptyForm(5000),
    host: server.host,
    port: server.port,
    servername: "localhost",
    trust: "bundle",
    caFiles: [join(dir, "ca.crt")],
    credentialKind: "pkcs12",
    pfxFile: join(dir, "client.p12"),
    rememberPassphrase: remember,
  };
}

test("one store: a PKCS#12 password remembered by the viewer (file uri) opens it for the handshake; Forget All forgets it for both", async () => {
  const k = keychain();
  const failures: string[] = [];
  const store = new PasswordStore(k.secretStorage, k.memento, (op) => failures.push(op));
  const pfx = join(dir, "client.p12");
  // The viewer keys by the document's uri; for a file on disk that is Uri.file(path).
  assert.equal(await store.set(vscode.Uri.file(pfx), PFX_PASSWORD), true);
  assert.equal(secretUri(pfx).toString(), vscode.Uri.file(pfx).toString());

  let seen = ui();
  const ok = await runForm(pfxForm(), { passwords: store, openCredentials: openCredentialsInWorker, signal: new AbortController().signal });
  assert.equal(ok?.result.outcome, "success", JSON.stringify(ok?.result.diagnosis));
  assert.equal(seen.inputs.length, 0, "no prompt: the remembered password was used");

  assert.equal(await store.forgetAll(), 1);
  assert.equal(k.secrets.size, 0);
  seen = ui([undefined]);
  const after = await runForm(pfxForm(), { passwords: store, openCredentials: openCredentialsInWorker, signal: new AbortController().signal });
  assert.equal(seen.inputs.length, 1, "after Forget, the run asks again");
  assert.equal(after?.result.diagnosis?.category, "bad_passphrase");
  assert.deepEqual(failures, []);
});

test("one store: a passphrase typed in the handshake run and remembered is one entry, under the file's uri", async () => {
  const k = keychain();
  const store = new PasswordStore(k.secretStorage, k.memento);
  const seen = ui([PFX_PASSWORD]);
  const r = await runForm(pfxForm(true), { passwords: store, openCredentials: openCredentialsInWorker, signal: new AbortController().signal });
  assert.equal(r?.result.outcome, "success");
  assert.equal(seen.inputs.length, 1);
  assert.deepEqual(k.state.get("certscope.passwordIndex"), [vscode.Uri.file(join(dir, "client.p12")).toString()]);
  assert.equal(await store.get(vscode.Uri.file(join(dir, "client.p12"))), PFX_PASSWORD);
  assert.ok(!JSON.stringify([...k.state.values()]).includes(PFX_PASSWORD), "no password in globalState");
});

test("a wrong remembered passphrase is forgotten, then asked for; the typed one is remembered", async () => {
  const k = keychain();
  const store = new PasswordStore(k.secretStorage, k.memento);
  await store.set(secretUri(join(dir, "client.p12")), "not-the-password");
  const seen = ui([PFX_PASSWORD]);
  const r = await runForm(pfxForm(true), { passwords: store, openCredentials: openCredentialsInWorker, signal: new AbortController().signal });
  assert.equal(r?.result.outcome, "success");
  assert.equal(seen.inputs.length, 1);
  assert.equal(await store.get(secretUri(join(dir, "client.p12"))), PFX_PASSWORD);
  assert.equal(store.count(), 1);
});

test("no keychain: remembering fails soft — the run succeeds, the user is told once, the log has no password", async () => {
  const k = keychain(true);
  const store = new PasswordStore(k.secretStorage, k.memento, secretFailureReporter());
  fake.logLines.length = 0;
  const seen = ui([PFX_PASSWORD, PFX_PASSWORD]);
  for (let i = 0; i < 2; i++) {
    const r = await runForm(pfxForm(true), { passwords: store, openCredentials: openCredentialsInWorker, signal: new AbortController().signal });
    assert.equal(r?.result.outcome, "success", JSON.stringify(r?.result.diagnosis));
  }
  assert.equal(seen.inputs.length, 2, "asked each time: nothing could be remembered");
  assert.equal(seen.warnings.length, 1, `told once: ${JSON.stringify(seen.warnings)}`);
  assert.match(seen.warnings[0], /could not remember the password/);
  const warns = fake.logLines.filter((l: string) => l.startsWith("[warn]"));
  assert.equal(warns.length, 2, "each failure is logged");
  assert.match(warns[0], /client\.p12.*locked collection/);
  assert.ok(!fake.logLines.join("\n").includes(PFX_PASSWORD));
  assert.ok(!seen.warnings.join("\n").includes(PFX_PASSWORD));
  assert.equal(store.count(), 0, "nothing indexed that was not stored");
});

test("no keychain: delete and forgetAll never throw; what could not be deleted stays listed", async () => {
  const good = keychain();
  const seeded = new PasswordStore(good.secretStorage, good.memento);
  await seeded.set(vscode.Uri.file("/w/a.p12"), "pw-a");
  await seeded.set(vscode.Uri.file("/w/b.p12"), "pw-b");
  // The same state, now with a keychain that refuses deletes.
  const broken = keychain(true);
  for (const [key, v] of good.secrets) broken.secrets.set(key, v);
  for (const [key, v] of good.state) broken.state.set(key, v);
  const ops: string[] = [];
  const store = new PasswordStore(broken.secretStorage, broken.memento, (op, uri, err) => ops.push(`${op} ${uri} ${(err as Error).message}`));
  assert.equal(await store.delete(vscode.Uri.file("/w/a.p12")), false);
  assert.equal(await store.forgetAll(), 0);
  assert.equal(store.count(), 2);
  assert.equal(ops.length, 3);
  assert.ok(ops.every((o) => o.startsWith("forget ") && !o.includes("pw-")));
});

test("uriOf: the argument shapes that name a file", () => {
  const u = vscode.Uri.file("/w/client.crt");
  const rows: { name: string; arg: unknown; want: string | undefined }[] = [
    { name: "Uri (explorer, editor title)", arg: u, want: u.toString() },
    { name: "explorer resource", arg: { resourceUri: u }, want: u.toString() },
    { name: "location with a Uri", arg: { uri: u, line: 3 }, want: u.toString() },
    { name: "location with a uri string (hover, CodeLens)", arg: { uri: "file:///w/bundle.pem", line: 3 }, want: vscode.Uri.parse("file:///w/bundle.pem").toString() },
    { name: "Certificates tree node", arg: { data: { id: "file:///w/tree.pem#0", label: "CN=x", collapsible: "collapsed" }, file: "file:///w/tree.pem" }, want: vscode.Uri.parse("file:///w/tree.pem").toString() },
    { name: "nothing", arg: undefined, want: undefined },
    { name: "a host name", arg: "example.com", want: undefined },
    { name: "an object without a file", arg: { data: { label: "x" } }, want: undefined },
  ];
  for (const r of rows) assert.equal(uriOf(r.arg)?.toString(), r.want, r.name);
});

test("guarded: returns the result; an error is logged and shown once, a cancellation is neither", async () => {
  const seen = ui();
  fake.logLines.length = 0;
  assert.equal(await guarded("t.ok", async (a: number) => a + 1)(1), 2);
  assert.equal(await guarded("t.sync", () => "x")(), "x");
  assert.equal(
    await guarded("t.fail", async () => {
      throw new Error("boom");
    })(),
    undefined,
  );
  assert.equal(
    await guarded("t.throw", () => {
      throw new Error("sync boom");
    })(),
    undefined,
  );
  assert.equal(
    await guarded("t.cancel", async () => {
      throw new vscode.CancellationError();
    })(),
    undefined,
  );
  assert.deepEqual(seen.errors, ["CertScope: boom", "CertScope: sync boom"]);
  assert.deepEqual(
    fake.logLines.filter((l: string) => l.startsWith("[error]")),
    ["[error] t.fail: boom", "[error] t.throw: sync boom"],
  );
});

test("onDidChange: fired after remembering and forgetting, not when the keychain refused", async () => {
  const k = keychain();
  const store = new PasswordStore(k.secretStorage, k.memento);
  let n = 0;
  const sub = store.onDidChange(() => n++);
  await store.set(vscode.Uri.file("/w/a.p12"), "pw-a");
  await store.delete(vscode.Uri.file("/w/a.p12"));
  await store.set(vscode.Uri.file("/w/b.p12"), "pw-b");
  await store.forgetAll();
  assert.equal(n, 4);
  const broken = new PasswordStore(keychain(true).secretStorage, k.memento);
  broken.onDidChange(() => n++);
  await broken.set(vscode.Uri.file("/w/c.p12"), "pw-c");
  assert.equal(n, 4);
  sub.dispose();
  await store.set(vscode.Uri.file("/w/d.p12"), "pw-d");
  assert.equal(n, 4);
});
