/**
 * The Scan panel's host (src/adapters/scan/panel.ts) against the stand-in `vscode` and a stand-in webview: the
 * form's STARTTLS choice reaches the scanner's dialer (a real SMTP server with STARTTLS, aiosmtpd; left on None,
 * the error says where to choose it), and Cancel stops a scan of a server that never answers at once — its
 * connections close, the state says "cancelled", and nothing from the stopped scan is posted afterwards.
 * Real servers on 127.0.0.1, stopped by the test.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import { vscode } from "./fake";
import { makeLab, chainPem, type Lab, type Running } from "../tls/helpers";
import { startTextServer } from "../servers/servers";
import type { ScanForm, ScanHostToPage, ScanViewState } from "../../src/shared/protocol/scan";

// The page's HTML names the display language (src/adapters/webview/html.ts); the stand-in has no `env`.
(vscode as Record<string, unknown>).env = { language: "en" };
/* eslint-disable @typescript-eslint/no-require-imports */
const { ScanPanel, emptyScanForm } = require("../../src/adapters/scan/panel") as typeof import("../../src/adapters/scan/panel");
const { registerScan } = require("../../src/adapters/scan/index") as typeof import("../../src/adapters/scan/index");
/* eslint-enable @typescript-eslint/no-require-imports */

const window = vscode.window as Record<string, unknown>;

/** A webview panel that records what the host posts and lets the test post as the page. */
function fakePanel() {
  const posted: ScanHostToPage[] = [];
  let receive: (m: unknown) => void = () => undefined;
  let disposed: () => void = () => undefined;
  const panel = {
    webview: {
      html: "",
      cspSource: "vscode-resource:",
      asWebviewUri: (u: unknown) => u,
      postMessage: async (m: ScanHostToPage) => (posted.push(m), true),
      onDidReceiveMessage: (fn: (m: unknown) => void) => ((receive = fn), { dispose() {} }),
    },
    onDidDispose: (fn: () => void) => ((disposed = fn), { dispose() {} }),
    reveal() {},
    dispose: () => disposed(),
  };
  window.createWebviewPanel = () => panel;
  return { posted, send: (m: unknown) => receive(m), states: () => posted.filter((m): m is Extract<ScanHostToPage, { type: "scan/state" }> => m.type === "scan/state").map((m) => m.state) };
}

const deps = () => ({ context: { extensionUri: vscode.Uri.file("/ext") }, peers: {} }) as unknown as Parameters<typeof ScanPanel.show>[0];

async function until<T>(what: string, fn: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let lab: Lab;
const running: Running[] = [];
before(async () => {
  lab = await makeLab();
});
after(async () => {
  ScanPanel.current?.dispose();
  await Promise.all(running.map((r) => r.close()));
  lab.cleanup();
});

test("the form's STARTTLS protocol reaches the dialer: an SMTP server is scanned after STARTTLS", async () => {
  const smtp = await startTextServer("smtp", lab.file("chain.pem", chainPem(lab.server, lab.inter)), lab.file("server.key", lab.server.keyPem));
  running.push(smtp);
  const page = fakePanel();
  // Left on None, the server's "220" greeting is not TLS: the error says where to choose the protocol.
  ScanPanel.show(deps(), { form: { ...emptyScanForm(), host: "127.0.0.1", port: smtp.port, servername: "localhost" }, run: true });
  const plain = await until("the first scan's end", () => page.states().find((s) => !s.running && (s.result || s.error)));
  assert.match(plain.error ?? "", /does not speak TLS: its first bytes were '220 .*choose it under “Protocol before TLS”\.$/);
  const form: ScanForm = { ...emptyScanForm(), host: "127.0.0.1", port: smtp.port, servername: "localhost", starttls: "smtp" };
  const n = page.states().length;
  page.send({ type: "scan/start", id: 1, form });
  const done = await until("the scan's end", () => page.states().slice(n).find((s) => !s.running && (s.result || s.error)));
  assert.equal(done.error, undefined, done.error);
  assert.equal(done.result!.target.starttls, "smtp");
  assert.ok(done.result!.protocols.some((p) => p.supported), "TLS was reached after the upgrade");
  assert.equal(done.form.starttls, "smtp", "the form keeps the choice");
  // "Test a handshake" opens the handshake panel for the same server, reached the same way.
  const asked: unknown[] = [];
  const reg = vscode.commands.registerCommand("certscope.testHandshake", (a: unknown) => void asked.push(a));
  page.send({ type: "scan/action", id: 2, action: "openHandshake" });
  await until("the handshake command", () => asked[0]);
  reg.dispose();
  assert.deepEqual(asked[0], { host: "127.0.0.1", port: smtp.port, servername: "localhost", starttls: "smtp" });
  ScanPanel.current?.dispose();
});

test("certscope.scanServer suggests the protocol from the port, as the page's field does; an explicit choice wins", async () => {
  registerScan({ subscriptions: [], extensionUri: vscode.Uri.file("/ext") } as unknown as Parameters<typeof registerScan>[0], { peers: {} } as unknown as Parameters<typeof registerScan>[1]);
  const cases: [Record<string, unknown>, string][] = [
    [{ host: "mail.example", port: 587, run: false }, "smtp"],
    [{ host: "db.example:5432", run: false }, "postgres"],
    [{ host: "mail.example", port: 587, starttls: "", run: false }, ""],
    [{ host: "mail.example", port: 2525, starttls: "smtp", run: false }, "smtp"],
    [{ host: "example.org", run: false }, ""],
    [{ host: "mail.example", port: 25, starttls: "bogus", run: false }, "smtp"],
  ];
  for (const [args, want] of cases) {
    const page = fakePanel();
    ScanPanel.current?.dispose();
    await vscode.commands.executeCommand("certscope.scanServer", args);
    const st = await until("the panel's state", () => page.states().at(-1));
    assert.equal(st.form.starttls, want, JSON.stringify(args));
    assert.equal(st.running, false);
  }
  ScanPanel.current?.dispose();
});

test("Cancel stops a scan of a server that never answers: connections close, 'cancelled', and nothing later", async () => {
  // Accepts connections, reads the ClientHellos and never says a word: every probe would wait its full timeout.
  const open = new Set<net.Socket>();
  let accepted = 0;
  const silent = net.createServer((s) => {
    accepted++;
    open.add(s);
    s.resume(); // reading, so the client's close is seen
    s.on("close", () => open.delete(s));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  running.push({ port: 0, close: () => new Promise<void>((r) => silent.close(() => r())) } as Running);
  const port = (silent.address() as net.AddressInfo).port;
  const page = fakePanel();
  ScanPanel.show(deps(), { form: { ...emptyScanForm(), host: "127.0.0.1", port, timeoutMs: 60_000 } });
  page.send({ type: "scan/start", id: 1, form: { ...emptyScanForm(), host: "127.0.0.1", port, timeoutMs: 60_000 } });
  await until("the scan's connections", () => accepted >= 3 && open.size >= 3);
  assert.ok(page.states().at(-1)!.running, "running before Cancel");

  const t0 = Date.now();
  page.send({ type: "scan/cancel", id: 2 });
  const cancelled: ScanViewState = await until("the cancelled state", () => page.states().find((s) => s.cancelled), 2000);
  assert.equal(cancelled.running, false);
  assert.equal(cancelled.result, undefined);
  assert.equal(cancelled.error, undefined, "cancelled, not an error");
  assert.ok(page.posted.some((m) => m.type === "scan/response" && m.id === 2 && m.ok), "the Cancel request is answered");
  await until("the scan's connections to close", () => open.size === 0 || undefined, 2000);
  const stoppedMs = Date.now() - t0;
  assert.ok(stoppedMs < 2000, `stopped in ${stoppedMs} ms`);

  // Nothing from the stopped scan afterwards: no result, no error, no "running" again, no new connections.
  const n = page.posted.length;
  const seen = accepted;
  await new Promise((r) => setTimeout(r, 1500));
  const later = page.posted.slice(n);
  assert.deepEqual(later, [], `posted after the cancel: ${JSON.stringify(later).slice(0, 300)}`);
  assert.equal(accepted, seen, "no connection after the cancel");

  // A page that reloads sees the same cancelled state; a new scan clears it.
  page.send({ type: "ready" });
  await until("the state on ready", () => page.posted.length > n || undefined);
  assert.equal((page.posted.at(-1) as Extract<ScanHostToPage, { type: "scan/state" }>).state.cancelled, true);
  const before = page.states().length;
  page.send({ type: "scan/start", id: 3, form: { ...emptyScanForm(), host: "127.0.0.1", port, timeoutMs: 60_000 } });
  const again = await until("the new scan", () => page.states()[before]);
  assert.equal(again.running, true);
  assert.equal(again.cancelled, undefined, "a new scan is not 'cancelled'");
  ScanPanel.current?.dispose();
  await until("the disposed panel's connections to close", () => open.size === 0 || undefined, 2000);
});
