// The handshake panel as a new user meets it, in a real VS Code (code-server + Chromium): nothing red before
// anything is typed; one run names every problem it found (a missing client certificate AND an untrusted root);
// an arrow's details open next to the arrow; a failure line goes away when the inputs change; copy and export
// confirm with VS Code notifications (Open File / Reveal), not a line at the top of the form; a later success
// says what an earlier run showed about "Required"; the success banner reads as words; and no focusable
// element of the panel lacks an accessible name. Screenshots: test/e2e/artifacts/newpanel/.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX).
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withCodeServer, root, ARTIFACTS } from "./harness.mjs";
import { makeWorkspace } from "./fixtures.mjs";
import { runPanel, until } from "./panel.mjs";

const artifacts = join(ARTIFACTS, "newpanel");
/** CERTSCOPE_DOCS_IMAGES=1: also refresh the README's handshake screenshots (docs/images) from this run. */
const docsImage = (shot, name) => shot && process.env.CERTSCOPE_DOCS_IMAGES && copyFileSync(shot, join(root, "docs/images", name));

let port;

const INTERACTIVE = /^\s*- (button|textbox|combobox|checkbox|radio|link|spinbutton|listbox|slider|switch|tab|menuitem|option)\b(?!\s+")/;

/**
 * Interactive elements without an accessible name, from the accessibility tree Playwright computes for the
 * page (shadow DOM included): an aria snapshot line like `- button` or `- textbox [disabled]` has no name.
 */
async function unnamed(view) {
  const snap = await view.locator("body").ariaSnapshot({ timeout: 15_000 });
  // The check reads names from the snapshot's `- role "name"` lines: make sure that is its shape here.
  assert.match(snap, /- button "Run"/, `the aria snapshot does not have the expected shape:\n${snap.slice(0, 500)}`);
  return { lines: snap.split("\n").filter((l) => INTERACTIVE.test(l)), snap };
}

/** The Tab order through the panel (names as a screen reader gets them), for the report. */
async function tabOrder(view, max = 60) {
  await view.locator("body").evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  const stops = [];
  for (let i = 0; i < max; i++) {
    await wb.page.keyboard.press("Tab");
    const name = await view.locator("body").evaluate(() => {
      const host = document.activeElement;
      if (!host || host === document.body) return null;
      const label = host.getAttribute("aria-label") || host.getAttribute("label") || host.getAttribute("title") || host.textContent?.trim().replace(/\s+/g, " ").slice(0, 40);
      return `${host.tagName.toLowerCase()}${host.id ? `#${host.id}` : ""}: ${label || "(no name)"}`;
    });
    if (name === null) break; // focus left the page
    if (stops.includes(name)) break;
    stops.push(name);
  }
  return stops;
}

const cs = withCodeServer({
  name: "newpanel",
  artifacts,
  viewport: { width: 1440, height: 1000 },
  async prepare({ workspace }) {
    rmSync(artifacts, { recursive: true, force: true });
    await makeWorkspace(workspace);
  },
});
const { wb } = cs;

test("a fresh panel: Host is not red before anything is typed, and every control has an accessible name", async (t) => {
  await wb.runCommand("CertScope: Test TLS Handshake");
  const view = wb.webview();
  await view.locator("#run").waitFor({ timeout: 30_000 });
  await sleep(500);
  const host = view.locator("#host");
  const state = await host.evaluate((e) => ({
    invalidAttr: e.hasAttribute("invalid"),
    ariaInvalid: e.getAttribute("aria-invalid"),
    inner: e.shadowRoot?.querySelector("input")?.matches(":invalid") ?? false,
    border: getComputedStyle(e.shadowRoot?.querySelector(".root, input") ?? e).borderColor,
  }));
  await wb.screenshot("fresh-panel");
  assert.equal(state.invalidAttr, false, "the Host field is marked invalid before anything was typed");
  assert.notEqual(state.ariaInvalid, "true", "the Host field says aria-invalid before anything was typed");
  assert.equal(state.inner, false, "the Host field's input matches :invalid before anything was typed (a red border)");
  const { lines, snap } = await unnamed(view);
  assert.deepEqual(lines, [], `focusable elements without an accessible name in the fresh panel:\n${snap}`);
  t.diagnostic(`Tab order: ${(await tabOrder(view)).join(" → ")}`);

  // Run with no host: now it is invalid, and typing one clears both the mark and the message.
  await view.locator("#run").click();
  await until(async () => host.evaluate((e) => e.hasAttribute("invalid")), 5000);
  assert.equal(await host.evaluate((e) => e.hasAttribute("invalid")), true, "Run without a host does not mark the Host field");
  await view.locator("#host input").fill("127.0.0.1");
  await until(async () => !(await host.evaluate((e) => e.hasAttribute("invalid"))), 5000);
  assert.equal(await host.evaluate((e) => e.hasAttribute("invalid")), false, "typing a host does not clear the invalid mark");
  assert.equal((await view.locator("#status").innerText()).trim(), "", "the 'Enter a host…' message stays after a host was typed");
});

test("lab: a test kit and a local server that requires a client certificate", async () => {
  await wb.closeAllEditors();
  await wb.runCommand("CertScope: Create mTLS Test Kit");
  const where = wb.quickInput.locator(".monaco-list-row", { hasText: "mtls-lab" }).first();
  await where.waitFor({ timeout: 15_000 });
  await where.click();
  const created = wb.page.locator(".notification-toast", { hasText: /mTLS test kit created/i });
  await created.waitFor({ timeout: 30_000 });
  await created.locator(".monaco-button", { hasText: "Start Local Test Server" }).click();
  const required = wb.quickInput.locator(".monaco-list-row", { hasText: "Client certificate required" }).first();
  await required.waitFor({ timeout: 15_000 });
  await required.click();
  const started = wb.page.locator(".notification-toast", { hasText: /CertScope test server on 127\.0\.0\.1:\d+/ });
  await started.waitFor({ timeout: 20_000 });
  port = Number((await started.innerText()).match(/127\.0\.0\.1:(\d+)/)[1]);
  assert.ok(port > 0);
  await wb.clearNotifications();
});

test("one run says everything; details in place; feedback where the eye is; state that follows the inputs", async (t) => {
  assert.ok(port, "the lab step did not start a server");
  await wb.runCommand("CertScope: Test TLS Handshake");
  const view = wb.webview();
  await view.locator("#lab-without").waitFor({ timeout: 20_000 });
  const diagnosis = view.locator("#diagnosis");
  const run = (what) => runPanel(view, what);

  // 1. Without a client certificate, trusting only the system roots: the server wants a certificate AND its
  //    root (the kit's CA) is not trusted — both in the banner of this one run.
  await view.locator("#lab-without").click();
  await until(async () => (await view.locator("#port").evaluate((e) => e.value)) === String(port), 5000);
  await view.locator("#trust").evaluate((e) => {
    e.value = "system";
    e.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await run("without a certificate, system roots");
  await diagnosis.evaluate((e) => e.scrollIntoView({ block: "start" }));
  docsImage(await wb.screenshot("one-run-says-everything"), "handshake-diagnosis.png");
  assert.equal(await diagnosis.getAttribute("data-category"), "client_cert_required");
  assert.match((await diagnosis.getAttribute("data-also")) ?? "", /\buntrusted_root\b/, `the banner does not list the untrusted root: ${await diagnosis.innerText()}`);
  const bannerText = await diagnosis.innerText();
  assert.match(bannerText, /Also:/);
  assert.equal((bannerText.match(/Fix:/g) ?? []).length, 2, `each problem should have its fix: ${bannerText}`);

  // 2. A failure line about the old inputs goes when the inputs change.
  const status = view.locator("#status");
  assert.equal(await status.getAttribute("data-tone"), "error", "a failed run shows no failure line");
  await view.locator("#alpn input").fill("h2");
  await until(async () => (await status.innerText()).trim() === "", 5000);
  assert.equal((await status.innerText()).trim(), "", "the 'Handshake failed…' line stays after the inputs changed");
  await view.locator("#alpn input").fill("");

  // 3. An arrow's details open right under the arrow, not below the whole diagram.
  const arrow = view.locator('#diagram [data-type="ServerHello"]').first();
  await arrow.scrollIntoViewIfNeeded();
  await arrow.click();
  const details = view.locator("#message-details");
  await details.waitFor({ state: "visible", timeout: 5000 });
  const placement = await arrow.evaluate((a) => {
    const row = a.closest(".seq-row");
    const d = document.getElementById("message-details");
    const ar = a.getBoundingClientRect();
    const dr = d.getBoundingClientRect();
    return { next: row?.nextElementSibling?.contains(d) ?? false, gap: Math.round(dr.top - ar.bottom), expanded: a.getAttribute("aria-expanded") };
  });
  await wb.screenshot("arrow-details-in-place");
  assert.ok(placement.next, "the details are not in the row right after the clicked arrow");
  assert.ok(placement.gap >= -2 && placement.gap < 40, `the details start ${placement.gap}px below the arrow`);
  assert.equal(placement.expanded, "true");
  await arrow.click();
  await details.waitFor({ state: "hidden", timeout: 5000 });
  assert.equal(await arrow.getAttribute("aria-expanded"), "false", "the same arrow again does not fold the details");

  // 4. Copy: a short notification, not the long command wrapped at the top of the form.
  await wb.clearNotifications();
  await view.locator("#copy-openssl").click();
  const copied = wb.page.locator(".notification-toast", { hasText: "Copied the openssl command." });
  await copied.waitFor({ timeout: 10_000 });
  assert.doesNotMatch(await status.innerText(), /openssl s_client/, "the copied command is still shown in the page's status line");
  await wb.screenshot("copied-notification");
  await wb.clearNotifications();

  // 5. Export: VS Code's save dialog, then a notification with Open File / Reveal.
  await view.locator("#export-json").click();
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press("Enter");
  const saved = wb.page.locator(".notification-toast", { hasText: /Saved .*handshake-127\.0\.0\.1-\d+\.json/ });
  await saved.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`no "Saved …json" notification; notifications: ${(await wb.notifications()).join(" | ")}`);
  });
  await sleep(800); // the save dialog fades out
  await wb.screenshot("export-notification");
  assert.equal(await saved.locator(".monaco-button", { hasText: "Open File" }).count(), 1, "the export notification has no Open File button");
  assert.equal(await saved.locator(".monaco-button", { hasText: "Reveal" }).count(), 1, "the export notification has no Reveal button");
  const file = join(cs.workspace, `handshake-127.0.0.1-${port}.json`);
  assert.ok(existsSync(file), `the export did not write ${file}`);
  assert.equal(JSON.parse(readFileSync(file, "utf8")).diagnosis.also[0].category, "untrusted_root");
  assert.equal((await status.innerText()).trim(), "", "the export's confirmation still goes to the page's status line");
  await saved.locator(".monaco-button", { hasText: "Open File" }).click();
  await wb.activeTab(`handshake-127.0.0.1-${port}.json`).waitFor({ timeout: 15_000 });
  await wb.clearNotifications();

  // 6. With the kit's certificate (and its CA): success. The banner reads as words; "Required" says what the
  //    first run showed instead of "unknown".
  await wb.runCommand("CertScope: Test TLS Handshake");
  await view.locator("#lab-with").click();
  await until(async () => (await view.locator("#credential-kind").getAttribute("data-value")) === "pem", 5000);
  await run("with the kit's certificate");
  await diagnosis.evaluate((e) => e.scrollIntoView({ block: "start" }));
  docsImage(await wb.screenshot("success-banner"), "handshake-mutual-tls.png");
  assert.equal(await diagnosis.getAttribute("data-outcome"), "success", await diagnosis.innerText());
  const ok = await diagnosis.innerText();
  assert.match(ok, /✔ Handshake succeeded/);
  assert.doesNotMatch(ok, /\bsuccess\b/, `the success banner still shows the code "success": ${ok}`);
  const cc = await view.locator("#client-cert").innerText();
  await view.locator("#client-cert").evaluate((e) => e.scrollIntoView({ block: "start" }));
  await wb.screenshot("required-known-from-earlier-run");
  assert.doesNotMatch(cc, /unknown/, `after a run that showed "Required: yes", the success says: ${cc}`);
  assert.match(cc, /yes — seen in the run of/, cc);

  // 7. The client-certificate picker: titled for what it lists, the kit's certificate with its key first, the
  //    CA marked as unsuitable with the reason (not hidden).
  await view.locator("#pick-cert").click();
  const title = wb.quickInput.locator(".quick-input-title");
  await until(async () => /Client certificate \(PEM or DER file\)/.test(await title.innerText()), 15_000);
  assert.match(await title.innerText(), /Client certificate \(PEM or DER file\)/);
  await until(async () => (await wb.quickPickRows()).some((r) => /client\.crt/.test(r)), 20_000);
  const rows = (await wb.quickPickRows()).map((r) => r.replace(/\s+/g, " "));
  await wb.screenshot("client-certificate-picker");
  assert.match(rows[0], /client\.crt.*key: client\.key.*clientAuth/, `the first entry is not the kit's client certificate with its key: ${rows.join(" | ")}`);
  const ca = rows.find((r) => /(^|\s)ca\.crt/.test(r));
  assert.ok(ca, `the kit's CA certificate is not listed: ${rows.join(" | ")}`);
  assert.match(ca, /not suitable: a CA certificate/, `the CA is not marked unsuitable with its reason: ${ca}`);
  const server = rows.find((r) => /(^|\s)server\.crt/.test(r));
  assert.ok(server, `the kit's server certificate is not listed: ${rows.join(" | ")}`);
  assert.match(server, /not suitable: .*not clientAuth/, `the server certificate does not say why it is unsuitable: ${server}`);
  assert.ok(!rows.some((r) => /cannot be read/.test(r)), `certificates embedded in JSON/YAML are listed as unreadable: ${rows.join(" | ")}`);
  await wb.closeQuickInput();

  // 8. With a result on screen (diagram, chain, actions): still no focusable element without a name.
  const { lines, snap } = await unnamed(view);
  assert.deepEqual(lines, [], `focusable elements without an accessible name with a result on screen:\n${snap}`);
  t.diagnostic(`Tab order with a result: ${(await tabOrder(view, 80)).join(" → ")}`);
});
