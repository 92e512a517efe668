// CertScope in a German VS Code (issue 13), in code-server + Chromium: code-server runs with --locale de and a
// synthetic German language pack (test/e2e/languagePack.mjs says why one is needed), so vscode.env.language is
// "de" and the extension's package.nls.de.json and l10n/bundle.l10n.de.json are the ones in use. Checked: the
// command palette, the certificate viewer, the handshake panel after a failing run against the test's own TLS
// server (self-signed: the chain is not trusted) with its diagram, and the Scan panel. Every German string
// asserted is looked up in those files by its English message, so the test follows the translations.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "german-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { withCodeServer, root, until } from "./harness.mjs";
import { makeWorkspace, startSelfSignedTlsServer, FIXTURE } from "./fixtures.mjs";
import { runPanel } from "./panel.mjs";

const bundle = JSON.parse(readFileSync(join(root, "l10n/bundle.l10n.de.json"), "utf8"));
const nls = JSON.parse(readFileSync(join(root, "package.nls.de.json"), "utf8"));

/** The German for an English message of the extension, from its bundle; only for messages whose German differs. */
function de(message) {
  const s = bundle[message];
  assert.equal(typeof s, "string", `l10n/bundle.l10n.de.json has no German for "${message}"`);
  assert.notEqual(s, message, `"${message}" reads the same in German: it cannot show which language is in use`);
  return s;
}
/** A command's title in the palette: the category (not translated) and the German title from package.nls.de.json. */
const command = (id) => `CertScope: ${nls[`contributes.commands.certscope.${id}.title`]}`;

let tlsServer;
let port;

const { wb } = withCodeServer({
  name: "german",
  locale: "de",
  viewport: { width: 1440, height: 1000 },
  async prepare({ work, workspace }) {
    await makeWorkspace(workspace);
    // Self-signed: every handshake with it fails validation.
    tlsServer = await startSelfSignedTlsServer(work);
    port = tlsServer.address().port;
  },
});

after(async () => {
  await new Promise((r) => (tlsServer ? tlsServer.close(() => r()) : r()));
});

/** The text of `locator` (waited for), for assertions that quote what was there. */
async function text(locator, timeout = 30_000) {
  await locator.first().waitFor({ timeout });
  return locator.first().innerText();
}

test("the workbench runs in German and the palette lists CertScope's commands with their German titles", async () => {
  // The language the page's nls.messages.js set: the one the extension host is started with (vscode.env.language).
  assert.equal(await wb.page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE), "de", "VS Code did not take the German language pack");
  const title = command("testHandshake");
  const row = await wb.findCommand(title, 60_000);
  assert.ok(row, `the command palette has no "${title}": ${(await wb.quickPickRows()).join(" | ")}`);
  await wb.quickInput.locator("input").fill(">CertScope");
  await until(async () => (await wb.quickPickRows()).length > 3, 10_000);
  const rows = await wb.quickPickRows();
  await wb.screenshot("german-palette");
  for (const id of ["testHandshake", "scanServer", "createTestKit"]) {
    assert.ok(rows.some((r) => r.includes(command(id))), `the palette does not show "${command(id)}"; it shows:\n${rows.join("\n")}`);
  }
  await wb.closeQuickInput();
});

test("the certificate viewer in German", async () => {
  await wb.openFile(FIXTURE.der);
  const view = wb.webview();
  const viewer = view.locator("#viewer");
  const ready = await until(async () => (await viewer.getAttribute("data-status", { timeout: 1000 })) === "ready", 60_000);
  assert.ok(ready, `${FIXTURE.der} did not open in the certificate viewer`);
  const all = await viewer.innerText();
  await wb.screenshot("german-viewer");
  for (const m of ["Issued to", "Issued by", "Validity", "Not before", "What it may be used for", "Public key and signature"]) {
    assert.ok(all.includes(de(m)), `the viewer does not say "${de(m)}" (${m}):\n${all.slice(0, 1200)}`);
  }
  await view.locator("[data-section]").last().scrollIntoViewIfNeeded();
  await wb.screenshot("german-viewer-end");
  await wb.closeAllEditors();
});

test("the handshake panel in German: the form, a failing run's result and its diagram", async () => {
  await wb.runCommand(command("testHandshake"), 60_000);
  const view = wb.webview();
  await view.locator("#run").waitFor({ timeout: 30_000 });
  assert.equal((await text(view.locator(".hs-title"))).trim(), de("Test TLS Handshake"));
  assert.equal((await view.locator("#run").innerText()).trim(), de("Run"));
  assert.equal(await view.locator("#hs-form").getAttribute("aria-label"), de("Handshake settings"));
  assert.equal(await view.locator("#host").getAttribute("aria-label"), de("Host or URL"));
  await view.locator("#host input").fill("127.0.0.1");
  await view.locator("#port input").fill(String(port));
  await view.locator("#servername input").fill("localhost");
  await wb.screenshot("german-handshake-form");

  const result = await runPanel(view, "against the self-signed test server", 60_000);
  assert.notEqual(result.outcome, "ok", `a handshake with a self-signed server and the system roots did not fail: ${result.text}`);
  const panel = view.locator(".hs-result");
  const shown = await text(panel);
  await view.locator("#diagnosis").evaluate((e) => e.scrollIntoView({ block: "start" }));
  await wb.screenshot("german-handshake-result");
  // The diagnosis banner: the engine's sentences said again in German (the run itself, and its exports, stay English).
  const banner = await text(view.locator("#diagnosis"));
  assert.doesNotMatch(banner, /\b(The|the|was|is|not|and|server's)\b/, `English words in the German diagnosis banner:\n${banner}`);
  assert.match(banner, /Zertifikat|Kette|vertrau/, `the diagnosis banner is not German:\n${banner}`);
  for (const m of ["Protocol", "Cipher suite", "Server chain", "Timing", "What crossed the wire"]) {
    assert.ok(shown.includes(de(m)), `the result does not say "${de(m)}" (${m}):\n${shown.slice(0, 1500)}`);
  }
  const parts = await view.locator("#cipher-parts dt").allInnerTexts();
  assert.deepEqual(parts, ["Key exchange", "Authentication", "Cipher", "MAC", "Forward secrecy"].map((m) => (m === "MAC" ? m : de(m))), "the negotiated suite's parts are not labelled in German");

  // The sequence diagram: its list of messages, and the lock on the encrypted ones (TLS 1.3: after ServerHello).
  const diagram = view.locator("#diagram");
  await diagram.evaluate((e) => e.scrollIntoView({ block: "start" }));
  await wb.screenshot("german-handshake-diagram");
  assert.equal(await diagram.locator(".seq-body").getAttribute("aria-label"), de("Messages in wire order"));
  // The lock's words are its SVG title (a tooltip); TLS 1.3 encrypts everything after ServerHello.
  const locks = await diagram.locator("svg.lock title").allTextContents();
  assert.ok(locks.includes(de("encrypted")), `no message of the diagram is marked "${de("encrypted")}": ${locks.join(" | ") || "no lock"}`);
  await wb.closeAllEditors();
});

test("the Scan panel in German", async () => {
  await wb.runCommand(command("scanServer"), 60_000);
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`127.0.0.1:${port}`);
  await wb.page.keyboard.press("Enter");
  const view = wb.webview();
  await view.locator("#scan-suites-table tbody tr").first().waitFor({ timeout: 90_000 });
  const shown = await view.locator("body").innerText();
  await wb.screenshot("german-scan");
  assert.ok(shown.includes(de("Scan TLS Configuration")), `the Scan page has no German title:\n${shown.slice(0, 800)}`);
  for (const m of ["Protocol versions", "Accepted cipher suites", "Key-exchange groups", "Findings"]) {
    assert.ok(shown.includes(de(m)), `the Scan page does not say "${de(m)}" (${m}):\n${shown.slice(0, 1500)}`);
  }
  await view.getByText(de("Findings"), { exact: true }).first().scrollIntoViewIfNeeded();
  await wb.screenshot("german-scan-findings");
  const heads = await view.locator("#scan-suites-table thead th").allInnerTexts();
  for (const m of ["Key exchange", "Forward secrecy"]) {
    assert.ok(heads.some((h) => h.includes(de(m))), `the suites table has no column "${de(m)}": ${heads.join(" | ")}`);
  }
});
