// The Scan panel in a real VS Code (code-server + Chromium): "CertScope: Scan TLS Configuration…" from the
// command palette against an openssl s_server on 127.0.0.1 whose accepted set is known (TLS 1.2 only, an AEAD
// and a CBC-SHA1 suite under server preference); checks the suites table, its parts columns and strength
// badges, and the CBC-SHA1 finding. Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into
// test/e2e/artifacts/ (prefixed "scan-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCodeServer, freePort } from "./harness.mjs";

let sServer;
let port;

async function startOpenssl(dir) {
  const key = join(dir, "ec.key");
  const cert = join(dir, "ec.pem");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "2"], { encoding: "utf8" });
  assert.equal(r.status, 0, `openssl could not make the test server's certificate: ${r.stderr}`);
  port = await freePort();
  const child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", cert, "-key", key, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384", "-serverpref"], { stdio: ["pipe", "pipe", "ignore"] });
  await new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error("openssl s_server did not start")), 15_000);
    child.stdout.on("data", (b) => {
      out += b;
      if (out.includes("ACCEPT")) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  child.stdout.resume();
  return child;
}

const { wb } = withCodeServer({
  name: "scan",
  viewport: { width: 1440, height: 1000 },
  async prepare({ work, workspace }) {
    writeFileSync(join(workspace, "README.md"), "Scan workspace.\n");
    sServer = await startOpenssl(work);
  },
});

after(() => {
  sServer?.kill("SIGKILL");
});

test("Scan TLS Configuration from the command palette: the suites table with parts and grades, and a finding", async () => {
  await wb.runCommand("CertScope: Scan TLS Configuration…", 60_000);
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`127.0.0.1:${port}`);
  await wb.page.keyboard.press("Enter");
  const view = wb.webview();
  const rows = view.locator("#scan-suites-table tbody tr");
  await rows.first().waitFor({ timeout: 60_000 });
  await wb.screenshot("scan-result");
  assert.equal(await rows.count(), 2, "exactly the two suites the server accepts");
  assert.equal(await rows.nth(0).getAttribute("data-suite"), "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "in the server's order");
  assert.equal(await rows.nth(1).getAttribute("data-suite"), "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
  const cells = await rows.nth(0).locator("td").allInnerTexts();
  assert.deepEqual(cells.slice(2, 7), ["ECDHE", "ECDSA", "AES_128_CBC", "SHA1", "yes"]);
  assert.equal((await rows.nth(0).locator(".strength").innerText()).trim(), "weak");
  assert.equal((await rows.nth(1).locator(".strength").innerText()).trim(), "strong");
  assert.match((await rows.nth(0).locator("td").nth(2).getAttribute("title")) ?? "", /Ephemeral elliptic-curve Diffie-Hellman/);
  const finding = view.locator('#scan-findings li[data-code="cbc_sha1"]');
  await finding.waitFor({ timeout: 10_000 });
  assert.match(await finding.innerText(), /CBC suites with HMAC-SHA1/);
  assert.match(await finding.innerText(), /ssl_ciphers/);
  assert.match(await view.locator("#scan-versions-table").innerText(), /TLS 1\.2\s+yes/);
  assert.match(await view.locator("#scan-summary").innerText(), /Mozilla profile: old/);
  await view.locator("#scan-findings").scrollIntoViewIfNeeded();
  await wb.screenshot("scan-findings");
});

test("from the Scan panel to a handshake and back: the negotiated suite's parts, and 'Scan this server'", async () => {
  // The Scan panel's "Test a handshake" opens the handshake panel for the same target.
  const scanView = wb.webview();
  await scanView.locator("#scan-open-handshake").click();
  await wb.page.locator(".tab.active", { hasText: "Test TLS Handshake" }).waitFor({ timeout: 20_000 });
  const hs = wb.webview();
  const portField = hs.locator("#port");
  await portField.waitFor({ timeout: 20_000 });
  const deadline = Date.now() + 10_000;
  while ((await portField.evaluate((e) => e.value)) !== String(port) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await hs.locator("#run").click();
  const parts = hs.locator("#cipher-parts");
  await parts.waitFor({ timeout: 30_000 });
  const text = await parts.innerText();
  // The server prefers the CBC suite: the handshake negotiates it (the self-signed certificate fails validation; the parts are there all the same).
  assert.match(text, /Key exchange\s+ECDHE/);
  assert.match(text, /MAC\s+SHA1/);
  assert.match((await parts.locator("dd").first().getAttribute("title")) ?? "", /Ephemeral elliptic-curve/);
  await parts.evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
  await wb.screenshot("scan-handshake-parts");
  // "Scan this server" brings the Scan panel back with a fresh scan of the same target.
  await hs.locator("#scan-server").click();
  await wb.page.locator(".tab.active", { hasText: "Scan TLS Configuration" }).waitFor({ timeout: 20_000 });
  const rows = wb.webview().locator("#scan-suites-table tbody tr");
  await rows.first().waitFor({ timeout: 60_000 });
  assert.equal(await rows.count(), 2);
});
