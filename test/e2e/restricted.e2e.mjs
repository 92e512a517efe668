// CertScope in an untrusted workspace (Restricted Mode), in a real VS Code (code-server + Chromium): an endpoint
// from the workspace's own settings is never connected to without the user's say-so. The test's TLS server on
// 127.0.0.1 counts connections, so "nothing was sent" is measured, not inferred from the UI.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "restricted-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withCodeServer } from "./harness.mjs";
import { startSelfSignedTlsServer } from "./fixtures.mjs";

let tlsServer;
let connections = 0;
const ENDPOINT = "Restricted demo endpoint";

/** VS Code's modal dialog (workspace trust, CertScope's confirmation). */
const dialog = () => wb.page.locator(".monaco-dialog-box");

const { wb } = withCodeServer({
  name: "restricted",
  workspaceTrust: true,
  // VS Code asks whether to trust the folder before it shows the explorer.
  waitFor: "workbench",
  async prepare({ work, workspace }) {
    mkdirSync(join(workspace, ".vscode"), { recursive: true });
    tlsServer = await startSelfSignedTlsServer(work, () => connections++);
    const port = tlsServer.address().port;
    // The workspace's own settings name an endpoint: what a cloned repository could carry.
    writeFileSync(join(workspace, ".vscode/settings.json"), JSON.stringify({ "certscope.endpoints": [{ name: ENDPOINT, host: "127.0.0.1", port, servername: "localhost" }] }, null, 2));
    writeFileSync(join(workspace, "README.md"), "A workspace whose settings name a TLS endpoint.\n");
  },
});

after(async () => {
  await new Promise((r) => (tlsServer ? tlsServer.close(() => r()) : r()));
});

test("Restricted Mode: an endpoint from the workspace's settings is not connected to until the user says so", async () => {
  // VS Code asks whether to trust the folder; the user says no.
  const no = dialog().locator(".monaco-button", { hasText: /No, I don.t trust the authors/i });
  await no.waitFor({ timeout: 60_000 }).catch(async () => {
    throw new Error(`VS Code did not ask whether to trust the workspace; the page shows: ${(await wb.page.locator("body").innerText()).slice(0, 300)}`);
  });
  await no.click();
  await wb.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 60_000 });
  const row = await wb.findCommand("CertScope: Run Saved Endpoint…", 30_000);
  assert.ok(row, "CertScope's commands are not available in Restricted Mode (the extension did not activate)");
  await row.click();
  const pick = wb.quickInput.locator(".monaco-list-row", { hasText: ENDPOINT }).first();
  await pick.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`Run Saved Endpoint does not list the workspace's endpoint; it shows: ${(await wb.quickPickRows()).join(" | ")}`);
  });
  assert.match(await pick.innerText(), /workspace settings/, "the endpoint is not marked as coming from the workspace settings");
  await pick.click();

  // CertScope asks before connecting; nothing has reached the server.
  const ask = dialog().filter({ hasText: /not trusted/i });
  await ask.waitFor({ timeout: 15_000 }).catch(() => {
    throw new Error("CertScope did not ask before connecting to an endpoint from an untrusted workspace's settings");
  });
  await wb.screenshot("restricted-asks-before-connecting");
  assert.match(await ask.innerText(), /127\.0\.0\.1:\d+/, "the question does not say where CertScope would connect");
  assert.equal(connections, 0, "CertScope connected to the workspace's endpoint before the user answered");

  // "Cancel": the panel opens with the endpoint filled in, but nothing runs.
  await ask.locator(".monaco-button", { hasText: "Cancel" }).click();
  const view = wb.webview();
  await view.locator("#host").waitFor({ timeout: 20_000 });
  const banner = view.locator("#trust-banner");
  await banner.waitFor({ state: "visible", timeout: 10_000 }).catch(() => {
    throw new Error("the handshake panel does not say the workspace is in Restricted Mode");
  });
  await sleep(1500);
  assert.equal(connections, 0, "after Cancel, CertScope still connected to the workspace's endpoint");
  assert.equal(await view.locator(".hs-result").count(), 0, "after Cancel, the panel shows a handshake result");
  await wb.screenshot("restricted-panel-not-run");

  // "Connect": now it runs (the self-signed server certificate is the expected diagnosis).
  const again = await wb.findCommand("CertScope: Run Saved Endpoint…");
  await again.click();
  await wb.quickInput.locator(".monaco-list-row", { hasText: ENDPOINT }).first().click();
  await dialog().filter({ hasText: /not trusted/i }).locator(".monaco-button", { hasText: "Connect" }).click();
  const category = await view.locator("#diagnosis").getAttribute("data-category", { timeout: 30_000 }).catch(() => null);
  assert.ok(connections >= 1, "after Connect, CertScope did not connect");
  assert.equal(category, "self_signed", `after Connect the diagnosis is ${category}, not the self-signed server certificate`);
  await wb.screenshot("restricted-connected");
});
