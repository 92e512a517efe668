// A hostile PKCS#12 in a real VS Code (code-server + Chromium), issue 11: 40 key bags, each encrypted under the
// empty password with PBKDF2 at the 1,000,000-iteration cap. Opening it used to run every KDF on the extension
// host's thread; now the viewer decodes in a worker, so another editor keeps taking keystrokes while it works,
// and the viewer ends with a clear error naming the file and the limit.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "hostile-").
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withCodeServer } from "./harness.mjs";
import { hostileP12 } from "../fixtures/pki/hostile.mjs";

const { wb } = withCodeServer({
  name: "hostile",
  waitFor: "workbench",
  prepare({ workspace }) {
    writeFileSync(join(workspace, "hostile.p12"), hostileP12());
    writeFileSync(join(workspace, "notes.txt"), "notes\n");
  },
});

test("the hostile .p12: the editor stays responsive while the viewer works, then the viewer says which limit", async () => {
  await wb.openFile("notes.txt");
  await wb.openFile("hostile.p12");
  // At once, back to the text editor (its tab: keys sent to a webview do not reach Quick Open), and type.
  await wb.page.locator(".tab", { hasText: "notes.txt" }).first().click();
  const editor = wb.page.locator(".monaco-editor .view-lines").first();
  await editor.click();
  await wb.page.keyboard.press("Control+End");
  const typed = "still responsive";
  const t0 = Date.now();
  await wb.page.keyboard.type(typed, { delay: 20 });
  const lines = wb.page.locator(".monaco-editor .view-lines", { hasText: typed }).first();
  await lines.waitFor({ timeout: 30_000 });
  const echoMs = Date.now() - t0;
  await wb.screenshot("hostile-typing");
  console.log(`# typed ${typed.length} characters while the viewer worked; shown after ${echoMs} ms`);
  // Back to the viewer: it ends in an error that names the file and the limit.
  await wb.page.locator(".tab", { hasText: "hostile.p12" }).first().click();
  const viewer = wb.webview().locator("#viewer");
  let status = "loading";
  for (let i = 0; i < 120 && status === "loading"; i++) {
    status = (await viewer.getAttribute("data-status", { timeout: 1000 }).catch(() => "loading")) ?? "loading";
    if (status === "loading") await sleep(500);
  }
  await wb.screenshot("hostile-viewer-error");
  const text = await viewer.innerText().catch(() => "");
  assert.equal(status, "error", `the viewer of hostile.p12 shows status ${status}: ${text.slice(0, 400)}`);
  assert.match(text, /hostile\.p12/, text.slice(0, 400));
  assert.match(text, /limit of 8,000,000 units of key-derivation work/, text.slice(0, 400));
});
