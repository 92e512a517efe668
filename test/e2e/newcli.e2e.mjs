// What a new user meets first, in a real VS Code (code-server + Chromium): the demo's VS Code opens on the
// workspace guide, and a certificate written without PEM armour (a JWKS x5c entry) is recognised by hover and
// the Outline. Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots go to test/e2e/artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withCodeServer, until } from "./harness.mjs";
import { makeWorkspace, FIXTURE } from "./fixtures.mjs";
import { DEMO_GUIDE, DEMO_JWKS as JWKS, DEMO_SETTINGS, writeDemoGuide, writeDemoJwks } from "../../scripts/demo-guide.mjs";

// The demo's settings: VS Code opens the workspace's README.md (the guide) on start.
const { wb } = withCodeServer({
  name: "newcli",
  settings: DEMO_SETTINGS,
  async prepare({ workspace }) {
    await makeWorkspace(workspace);
    writeDemoGuide(workspace, "127.0.0.1:8443");
    writeDemoJwks(workspace, FIXTURE.der);
  },
});

test("the demo's VS Code opens on the workspace guide, in the Markdown preview", async () => {
  const tab = wb.page.locator(".tabs-container .tab", { hasText: DEMO_GUIDE });
  const label = await until(async () => (await tab.first().innerText({ timeout: 2000 })).trim() || undefined, 30_000);
  assert.ok(label, `no editor tab shows ${DEMO_GUIDE} after start-up; tabs: ${(await wb.page.locator(".tabs-container .tab").allInnerTexts()).join(" | ") || "none"}`);
  assert.match(label, /Preview/, `the guide is open, but not in the Markdown preview: tab "${label}"`);
  const preview = wb.page.frameLocator("iframe.webview").frameLocator("#active-frame").locator("body");
  const text = await until(async () => {
    const t = await preview.innerText({ timeout: 3000 });
    return /start here/.test(t) ? t : undefined;
  }, 30_000);
  await wb.screenshot("newcli-demo-guide");
  assert.ok(text, "the preview does not show the guide's text");
  assert.match(text, /Test TLS Handshake/);
  assert.match(text, /jwks\.json/, "the guide points at the JWKS example");
});

test("a certificate in a JWKS x5c entry (base64 DER, no PEM armour): hover and Outline", async () => {
  await wb.openFile(JWKS);
  const line = wb.page.locator(".monaco-editor .view-line", { hasText: '"MII' }).first();
  await line.waitFor({ timeout: 15_000 });
  const token = line.locator("span > span", { hasText: "MII" }).first();
  const hover = wb.page.locator(".monaco-hover:visible, .monaco-resizable-hover:visible").first();
  const text = await until(async () => {
    await wb.page.mouse.move(0, 0);
    await token.hover({ position: { x: 40, y: 5 } });
    const t = (await hover.innerText({ timeout: 3000 })).trim();
    return t.includes(FIXTURE.leafCN) ? t : undefined;
  }, 30_000, 500);
  await wb.screenshot("newcli-x5c-hover");
  assert.ok(text, `hovering the x5c entry in ${JWKS} showed no certificate hover`);
  assert.match(text, /without PEM armour/);
  assert.match(text, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, `the hover's dates are not in the one form:\n${text}`);
  await wb.page.mouse.move(0, 0);
  await wb.page.keyboard.press("Escape");

  const pane = await wb.pane("Outline");
  const rows = pane.locator(".monaco-list-row");
  const outline = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return all.includes(FIXTURE.leafCN) ? all : undefined;
  }, 20_000);
  await wb.screenshot("newcli-x5c-outline");
  assert.ok(outline, `the Outline of ${JWKS} does not list ${FIXTURE.leafCN}; it shows: ${(await rows.allInnerTexts()).join(" | ") || "nothing"}`);
  await pane.locator(".pane-header").click();
});
