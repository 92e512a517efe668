// The Scan panel's "Protocol before TLS" and its Cancel button in a real VS Code (code-server + Chromium):
//   1. an SMTP server that offers STARTTLS (aiosmtpd, Debian python3-aiosmtpd, via test/servers/textservers.py)
//      is not TLS from the first byte — the panel says so; choosing "SMTP (STARTTLS)" scans it and shows results;
//   2. a mail server that accepts connections and never greets: Cancel stops the scan at once (its connections
//      close), the page says "cancelled", and nothing from the stopped scan appears later (not even the
//      STARTTLS step's own failure, which would come after 4 s).
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "scanstarttls-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCodeServer, root, freePort, until } from "./harness.mjs";

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

let smtp;
let smtpPort;
let silent;
let silentPort;
/** The silent server's connections that are still open, and how many it accepted in all. */
const silentOpen = new Set();
let silentAccepted = 0;

async function startSmtp(dir) {
  const key = join(dir, "smtp.key");
  const cert = join(dir, "smtp.pem");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "2"], { encoding: "utf8" });
  assert.equal(r.status, 0, `openssl could not make the SMTP server's certificate: ${r.stderr}`);
  smtpPort = await freePort();
  const child = spawn(PYTHON, [join(root, "test/servers/textservers.py"), "smtp", String(smtpPort), cert, key], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr.on("data", (b) => (out += b));
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the SMTP server did not start: ${out}`)), 20_000);
    child.on("exit", (code) => reject(new Error(`the SMTP server exited (${code}): ${out}`)));
    child.stdout.on("data", (b) => {
      out += b;
      if (out.includes("READY")) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return child;
}

/** Accepts connections, reads what comes and never says a word (not even an SMTP greeting). */
async function startSilent() {
  const s = createServer((sock) => {
    silentAccepted++;
    silentOpen.add(sock);
    sock.resume();
    sock.on("close", () => silentOpen.delete(sock));
    sock.on("error", () => {});
  });
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  silentPort = s.address().port;
  return s;
}

const cs = withCodeServer({
  name: "scanstarttls",
  viewport: { width: 1440, height: 1000 },
  async prepare({ work, workspace }) {
    writeFileSync(join(workspace, "README.md"), "Scan workspace.\n");
    smtp = await startSmtp(work);
    silent = await startSilent();
  },
});
const { wb } = cs;

after(async () => {
  smtp?.kill("SIGTERM");
  for (const s of silentOpen) s.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve()));
});

/** Picks an option of a vscode-single-select the way a user does: open it, click the option. */
async function choose(view, id, label) {
  await view.locator(`#${id}`).click();
  await view.locator(`#${id} li[role="option"]`, { hasText: label }).first().click();
}

const state = (view) => view.locator("#scan-status").getAttribute("data-state");

test("an SMTP server with STARTTLS: not TLS from the first byte, then scanned after choosing SMTP (STARTTLS)", async () => {
  await wb.runCommand("CertScope: Scan TLS Configuration…", 60_000);
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`127.0.0.1:${smtpPort}`);
  await cs.page.keyboard.press("Enter");
  const view = wb.webview();
  const status = view.locator("#scan-status");
  const select = view.locator("#scan-starttls");
  await select.waitFor({ timeout: 30_000 });
  // The same control and wording as the handshake panel's.
  assert.equal(await view.locator("label", { has: select }).evaluate((l) => l.firstChild.textContent), "Protocol before TLS");
  assert.equal(await select.getAttribute("aria-label"), "Protocol before TLS (STARTTLS)");
  // An unknown port suggests nothing: TLS from the first byte meets the server's "220" greeting.
  assert.ok(await until(async () => (await state(view)) === "error", 60_000), `no error shown: ${await status.innerText()}`);
  assert.match(await status.innerText(), /does not speak TLS: its first bytes were '220.*choose it under “Protocol before TLS”\./);
  await wb.screenshot("scanstarttls-not-tls");

  await choose(view, "scan-starttls", "SMTP (STARTTLS)");
  assert.equal(await select.evaluate((e) => e.value), "smtp");
  await view.locator("#scan-start").click();
  const rows = view.locator("#scan-suites-table tbody tr");
  await rows.first().waitFor({ timeout: 90_000 });
  assert.equal(await state(view), "done");
  assert.match(await view.locator("#scan-summary").innerText(), new RegExp(`127\\.0\\.0\\.1:${smtpPort} after SMTP \\(STARTTLS\\) — Mozilla profile`));
  assert.match(await view.locator("#scan-versions-table").innerText(), /TLS 1\.3\s+yes/);
  assert.ok((await rows.count()) >= 3, "the suites the server accepts after STARTTLS");
  assert.ok(await view.locator("#scan-certs .scan-cert").count(), "the server's certificate");
  // Nine columns beside the sidebar: the last one (the strength badges) is inside the panel, not cut off.
  const fits = await view.locator("#scan-suites-table").evaluate((t) => t.getBoundingClientRect().right <= document.documentElement.clientWidth);
  assert.ok(fits, "the suites table is wider than the panel");
  assert.equal(await select.evaluate((e) => e.value), "smtp", "the choice stays after the scan");
  await wb.screenshot("scanstarttls-result");
});

test("Cancel during a scan of a mail server that never greets: stops at once, says 'cancelled', nothing later", async () => {
  const view = wb.webview();
  await view.locator("#scan-port input").fill(String(silentPort));
  await view.locator("#scan-timeout input").fill("60000");
  const select = view.locator("#scan-starttls");
  assert.equal(await select.evaluate((e) => e.value), "smtp", "a picked protocol stays when the port changes");
  await view.locator("#scan-start").click();
  assert.ok(await until(async () => (await state(view)) === "running" && silentOpen.size > 0, 20_000), "the scan runs and connects");
  const cancel = view.locator("#scan-cancel");
  assert.ok(await cancel.isVisible(), "Cancel shows while the scan runs");
  await wb.screenshot("scanstarttls-running");

  const t0 = Date.now();
  await cancel.click();
  assert.ok(await until(async () => (await state(view)) === "cancelled", 2000, 50), `not cancelled: ${await view.locator("#scan-status").innerText()}`);
  assert.ok(await until(async () => silentOpen.size === 0, 2000, 50), `${silentOpen.size} connection(s) still open after Cancel`);
  const stoppedMs = Date.now() - t0;
  assert.ok(stoppedMs < 2500, `the scan stopped ${stoppedMs} ms after Cancel`);
  assert.match(await view.locator("#scan-status").innerText(), new RegExp(`^Cancelled: the scan of 127\\.0\\.0\\.1:${silentPort} after SMTP \\(STARTTLS\\) was stopped`));
  assert.equal(await cancel.isVisible(), false, "Cancel hides");
  assert.equal(await view.locator("#scan-start").getAttribute("disabled"), null, "Scan is enabled again");
  await wb.screenshot("scanstarttls-cancelled");

  // The stopped scan's STARTTLS step would have given up after 4 s: nothing of it shows, no new connection.
  const accepted = silentAccepted;
  await new Promise((r) => setTimeout(r, 5500));
  assert.equal(await state(view), "cancelled");
  assert.equal(await view.locator("#scan-result").innerHTML(), "", "no results appear after Cancel");
  assert.equal(silentAccepted, accepted, "no connection after Cancel");
});
