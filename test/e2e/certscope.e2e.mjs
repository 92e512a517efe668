// CertScope in a real VS Code (code-server + Chromium), driven like a user. Started by test/e2e/run.mjs, which
// installs the tools and packages the .vsix first (CERTSCOPE_VSIX). Each step screenshots into
// test/e2e/artifacts/. A step whose surface is not in the installed extension yet is skipped with a message;
// an assertion that fails says what the user saw instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withCodeServer } from "./harness.mjs";
import { makeWorkspace, FIXTURE } from "./fixtures.mjs";
import { runPanel, until } from "./panel.mjs";

let bundle;
/** Errors and warnings the page and its frames (webviews included) printed to the console. */
const consoleErrors = [];

/** Whether the installed extension's bundle contains `re` (a registration call): tells built from not-yet-built. */
const built = (...res) => res.every((re) => re.test((bundle ??= installedBundle())));

function installedBundle() {
  const extDir = readdirSync(cs.server.extensionsDir).find((d) => d.startsWith("certscope.certscope-"));
  assert.ok(extDir, `the .vsix did not install into ${cs.server.extensionsDir}`);
  return readFileSync(join(cs.server.extensionsDir, extDir, "dist/extension.js"), "utf8");
}

/** What the user sees right now, for failure messages: notifications and the active editor tab. */
async function seen() {
  const toasts = (await wb.notifications()).map((t) => t.replace(/\s+/g, " ").trim()).filter(Boolean);
  const tab = await wb.page.locator(".tabs-container .tab.active").first().innerText().catch(() => "");
  return `active tab: ${JSON.stringify(tab.trim())}; notifications: ${toasts.length ? toasts.map((t) => JSON.stringify(t)).join(", ") : "none"}`;
}

async function innerText(locator, timeout = 10_000) {
  await locator.first().waitFor({ timeout });
  return (await locator.allInnerTexts()).join("\n");
}

const cs = withCodeServer({
  name: "suite",
  async prepare({ workspace }) {
    await makeWorkspace(workspace);
  },
  onPage(page) {
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push({ type: m.type(), text: m.text(), url: m.location()?.url ?? "" });
    });
    page.on("pageerror", (e) => consoleErrors.push({ type: "pageerror", text: String(e), url: "" }));
  },
});
const { wb } = cs;

test("CertScope activates in VS Code and lists its commands in the palette", async () => {
  const row = await wb.findCommand("CertScope: Test TLS Handshake", 30_000);
  assert.ok(row, "The command palette has no 'CertScope: Test TLS Handshake…' command: the extension did not load");
  await wb.screenshot("palette");
  await wb.closeQuickInput();

  // "Developer: Show Running Extensions": the extension host's own list with activation times.
  await wb.runCommand("Developer: Show Running Extensions");
  const list = wb.page.locator(".runtime-extensions-editor .monaco-list");
  await list.waitFor({ timeout: 15_000 });
  const certscope = wb.page.locator(".runtime-extensions-editor .monaco-list-row", { hasText: "CertScope" });
  // The list is sorted by activation time and renders only the rows in view: CertScope is near the end when it
  // activated fast, at the top when it was slow (a loaded machine). Look at both ends in turn.
  let end = false;
  const text = await until(async () => {
    await list.click({ position: { x: 20, y: 20 } });
    await wb.page.keyboard.press((end = !end) ? "End" : "Home");
    const t = await certscope.innerText({ timeout: 1000 });
    return /activation/i.test(t) ? t : undefined;
  }, 30_000, 1000);
  await wb.screenshot("running-extensions");
  assert.ok(text, `Running Extensions does not list CertScope as activated; the list shows: ${(await list.innerText()).slice(0, 400)}`);
  assert.match(text, /Activation: \d+ms/i, `CertScope row in Running Extensions: ${text}`);
  await wb.page.keyboard.press("Escape");
  await wb.closeAllEditors();
});

test("the Explorer has the Certificates view", async () => {
  const pane = await wb.pane("Certificates");
  await wb.screenshot("explorer-certificates-view");
  const body = await pane.innerText();
  assert.ok(!/no data provider registered/i.test(body) || !built(/createTreeView|registerTreeDataProvider/),
    `the Certificates view says: ${body.trim()}`);
});

test("a DER certificate opens in the viewer with subject, issuer and validity", async (t) => {
  if (!built(/registerCustomEditorProvider/, /certscope\.viewer/)) return t.skip("the certificate viewer (custom editor certscope.viewer) is not built yet");
  await wb.openFile(FIXTURE.der);
  const view = wb.webview();
  const viewer = view.locator("#viewer");
  await until(async () => (await viewer.getAttribute("data-status", { timeout: 1000 })) !== "loading", 30_000);
  const status = await viewer.getAttribute("data-status").catch(() => null);
  await wb.screenshot("der-viewer");
  assert.equal(status, "ready", `the viewer of ${FIXTURE.der} did not show the certificate (status ${status}); it shows: ${(await viewer.innerText().catch(() => "nothing")).slice(0, 300)}; ${await seen()}`);
  const text = await viewer.innerText();
  assert.match(text, new RegExp(FIXTURE.leafCN.replace(/\./g, "\\.")), `the viewer does not show the subject ${FIXTURE.leafCN}:\n${text.slice(0, 600)}`);
  assert.match(text, new RegExp(FIXTURE.issuingCN), `the viewer does not show the issuer ${FIXTURE.issuingCN}:\n${text.slice(0, 600)}`);
  assert.ok(await view.locator('[data-section="validity"]').count(), `the viewer has no Validity section:\n${text.slice(0, 600)}`);
  assert.match(text, /Not after/i, `the viewer does not show the expiry (Not after):\n${text.slice(0, 600)}`);
  assert.match(text, new RegExp(String(new Date().getFullYear() + 1)), `the viewer does not show the expiry date next year:\n${text.slice(0, 800)}`);
});

test("a DER certificate with a .crt name opens in the viewer, not in the text editor's binary placeholder", async (t) => {
  if (!built(/registerCustomEditorProvider/, /certscope\.viewerText/)) return t.skip("the certificate viewer is not built yet");
  await wb.closeAllEditors();
  await wb.openFile(FIXTURE.derCrt);
  const viewer = wb.webview().locator("#viewer");
  const ready = await until(async () => (await viewer.getAttribute("data-status", { timeout: 1000 })) === "ready", 20_000);
  await wb.screenshot("der-crt-viewer");
  assert.ok(ready, `${FIXTURE.derCrt} (DER) did not open in the certificate viewer; ${await seen()}`);
  assert.match(await viewer.innerText(), new RegExp(FIXTURE.issuingCN), `the viewer of ${FIXTURE.derCrt} does not show ${FIXTURE.issuingCN}`);
  const tabs = await wb.page.locator(".tabs-container .tab", { hasText: "issuing-ca.crt" }).count();
  assert.equal(tabs, 1, `${tabs} tabs show issuing-ca.crt: the text editor's binary placeholder was not replaced`);
});

test("hovering an embedded PEM block in YAML shows the certificate summary", async (t) => {
  if (!built(/registerHoverProvider/)) return t.skip("the PEM hover is not built yet");
  await wb.openFile(FIXTURE.yaml);
  // The second block of the ConfigMap is the expired partner certificate.
  const begin = wb.page.locator(".monaco-editor .view-line", { hasText: "BEGIN CERTIFICATE" }).nth(1).locator("span > span", { hasText: "BEGIN" }).first();
  await begin.waitFor({ timeout: 15_000 });
  const hover = wb.page.locator(".monaco-hover:visible, .monaco-resizable-hover:visible").first();
  const text = await until(async () => {
    await wb.page.mouse.move(0, 0);
    await begin.hover();
    return (await hover.innerText({ timeout: 3000 })).trim() || undefined;
  }, 20_000, 500);
  await wb.screenshot("yaml-hover");
  assert.ok(text, `hovering the PEM block in ${FIXTURE.yaml} showed no hover; ${await seen()}`);
  assert.match(text, new RegExp(FIXTURE.expiredCN.replace(/\./g, "\\.")), `the hover does not name ${FIXTURE.expiredCN}:\n${text}`);
  assert.match(text, /expired/i, `the hover does not say the certificate expired:\n${text}`);
  await wb.page.mouse.move(0, 0);
  await wb.page.keyboard.press("Escape");
});

test("the Problems panel lists the expired certificate", async (t) => {
  if (!built(/createDiagnosticCollection\(\s*["']certscope["']/)) return t.skip("CertScope's diagnostics are not built yet");
  await wb.openFile(FIXTURE.yaml);
  await wb.runCommand("View: Focus Problems");
  const rows = wb.page.locator(".markers-panel .monaco-list-row");
  const text = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return new RegExp(FIXTURE.expiredCN.replace(/\./g, "\\.")).test(all) && /expired/i.test(all) ? all : undefined;
  }, 20_000);
  await wb.screenshot("problems-expired");
  assert.ok(text, `the Problems panel does not list the expired ${FIXTURE.expiredCN}; it shows: ${(await rows.allInnerTexts().catch(() => [])).join(" | ") || "no problems"}`);
  await wb.runCommand("View: Toggle Panel Visibility");
});

test("the Outline lists the PEM blocks of the YAML file", async (t) => {
  if (!built(/registerDocumentSymbolProvider/)) return t.skip("the Outline (document symbols) is not built yet");
  await wb.openFile(FIXTURE.yaml);
  const pane = await wb.pane("Outline");
  const rows = pane.locator(".monaco-list-row");
  const text = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return all.includes(FIXTURE.rootCN) && all.includes(FIXTURE.expiredCN) ? all : undefined;
  }, 20_000);
  await wb.screenshot("outline");
  assert.ok(text, `the Outline does not list both certificates (${FIXTURE.rootCN}, ${FIXTURE.expiredCN}); it shows: ${(await rows.allInnerTexts()).join(" | ") || "nothing"}`);
  // Collapse it again so the other panes keep their room.
  await pane.locator(".pane-header").click();
});

test("the Certificates view shows the active file's certificates and expands to their extensions", async (t) => {
  if (!built(/createTreeView|registerTreeDataProvider/, /certscope\.certificates/)) return t.skip("the Certificates tree is not built yet");
  await wb.openFile(FIXTURE.bundle);
  // Give the view the side bar's height: fold the folder tree (its header is the workspace folder's name).
  const folders = wb.page.locator('.pane-header[aria-label^="Explorer Section"]').first();
  if ((await folders.getAttribute("aria-expanded", { timeout: 2000 }).catch(() => null)) === "true") await folders.click();
  const pane = await wb.pane("Certificates");
  const rows = pane.locator(".monaco-list-row");
  const top = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return all.includes(FIXTURE.leafCN) && all.includes(FIXTURE.rootCN) ? all : undefined;
  }, 20_000);
  assert.ok(top, `the Certificates view does not list ${FIXTURE.leafCN} and ${FIXTURE.rootCN} of ${FIXTURE.bundle}; it shows: ${(await pane.innerText()).trim() || "nothing"}`);
  // Expand with the twistie (a click on the label reveals the block in the editor).
  const expand = async (row) => {
    if ((await row.getAttribute("aria-expanded")) === "false") await row.locator(".monaco-tl-twistie").click();
  };
  await expand(rows.filter({ hasText: FIXTURE.leafCN }).first());
  const ext = rows.filter({ hasText: /^\s*Extensions/ }).first();
  await ext.waitFor({ timeout: 10_000 }).catch(() => {});
  if (await ext.count()) await expand(ext);
  const expanded = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return /Extensions/.test(all) && /basicConstraints|Basic Constraints|keyUsage|Key Usage/i.test(all) ? all : undefined;
  }, 10_000);
  await wb.screenshot("certificates-tree");
  if ((await folders.getAttribute("aria-expanded", { timeout: 2000 }).catch(() => null)) === "false") await folders.click();
  assert.ok(expanded, `expanding ${FIXTURE.leafCN} in the Certificates view did not show its extensions; it shows: ${(await rows.allInnerTexts()).join(" | ")}`);
});

test("Validate Chain: an untrusted root the workspace holds is named, trusted on request, and the chain shows valid in the tree", async (t) => {
  if (!built(/certscope\.validateChain/)) return t.skip("Validate Chain is not built yet");
  await wb.closeAllEditors();
  await wb.clearNotifications();
  await wb.openFile(FIXTURE.bundle);
  await wb.runCommand("CertScope: Validate Chain…");
  // Host name: pre-filled with the leaf's first DNS name; purpose: TLS server (first).
  const hostBox = wb.quickInput.locator("input");
  await hostBox.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`Validate Chain did not ask for a host name; ${await seen()}`);
  });
  assert.equal(await hostBox.inputValue(), FIXTURE.leafCN, "the host name box is not pre-filled with the leaf's DNS name");
  await wb.page.keyboard.press("Enter");
  await wb.quickInput.locator(".monaco-list-row", { hasText: "TLS server" }).first().waitFor({ timeout: 10_000 });
  await wb.page.keyboard.press("Enter");

  const invalid = wb.page.locator(".notification-toast", { hasText: /Chain invalid/ });
  await invalid.waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`Validate Chain showed no "Chain invalid" result for a chain whose root is not trusted; ${await seen()}`);
  });
  const text = (await invalid.innerText()).replace(/\s+/g, " ");
  await wb.screenshot("validate-chain-untrusted-root");
  assert.match(text, new RegExp(`${FIXTURE.rootCN}.*is in certs/`), `the result does not say which workspace file holds the root: ${text}`);
  const trustButton = invalid.locator(".monaco-button", { hasText: "Trust Workspace Root CAs" });
  assert.ok(await trustButton.count(), `the result offers no way to trust the workspace's root CA: ${text}`);
  await trustButton.click();

  // Validated again at once; the Certificates view comes up with the result.
  const pane = await wb.pane("Certificates");
  const rows = pane.locator(".monaco-list-row");
  const shown = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return /Chain valid/.test(all) && all.includes(FIXTURE.rootCN) ? all : undefined;
  }, 20_000);
  await wb.screenshot("validate-chain-valid-tree");
  assert.ok(shown, `after "Trust Workspace Root CAs" the Certificates view shows no valid chain; it shows: ${(await rows.allInnerTexts()).join(" | ")}; ${await seen()}`);
  const settings = readFileSync(join(cs.workspace, ".vscode/settings.json"), "utf8");
  assert.match(settings, /"certscope\.trust\.workspaceCaFiles":\s*true/, "the choice was not saved in the workspace settings");
  await wb.clearNotifications();
});

test("mTLS: create a test kit, start a local server that requires a client certificate, test the handshake without and with one", async (t) => {
  if (!built(/certscope\.createTestKit/, /certscope\.startTestServer/)) return t.skip("Create mTLS Test Kit / Start Local Test Server are not built yet");
  await wb.closeAllEditors();

  // Create mTLS Test Kit → "where?" → the fresh folder in the workspace (first item).
  await wb.runCommand("CertScope: Create mTLS Test Kit");
  const where = wb.quickInput.locator(".monaco-list-row", { hasText: "mtls-lab" }).first();
  await where.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`Create mTLS Test Kit did not offer a folder; the quick pick shows: ${(await wb.quickPickRows()).join(" | ")}; ${await seen()}`);
  });
  await where.click();
  const created = wb.page.locator(".notification-toast", { hasText: /mTLS test kit created/i });
  await created.waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`no "mTLS test kit created" notification; ${await seen()}`);
  });
  await wb.screenshot("testkit-created");
  const kitDir = join(cs.workspace, "mtls-lab");
  for (const f of ["ca.crt", "server.crt", "client.crt", "client.key", "client.p12"]) {
    assert.ok(existsSync(join(kitDir, f)), `the test kit has no ${f} in ${kitDir}`);
  }

  // Start Local Test Server from the notification's button → mode: client certificate required.
  await created.locator(".monaco-button", { hasText: "Start Local Test Server" }).click();
  const required = wb.quickInput.locator(".monaco-list-row", { hasText: "Client certificate required" }).first();
  await required.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`Start Local Test Server did not ask how to treat client certificates; the quick pick shows: ${(await wb.quickPickRows()).join(" | ")}; ${await seen()}`);
  });
  await required.click();
  const started = wb.page.locator(".notification-toast", { hasText: /CertScope test server on 127\.0\.0\.1:\d+/ });
  await started.waitFor({ timeout: 20_000 }).catch(async () => {
    throw new Error(`no "CertScope test server on 127.0.0.1:<port>" notification; ${await seen()}`);
  });
  const port = Number((await started.innerText()).match(/127\.0\.0\.1:(\d+)/)[1]);
  await wb.screenshot("test-server-started");
  const status = wb.page.locator(".statusbar-item", { hasText: `mTLS lab :${port}` });
  assert.ok(await status.count(), `the status bar does not show the running test server (mTLS lab :${port})`);

  if (!built(/certscope\.testHandshake/)) return t.skip("Test TLS Handshake (the handshake webview) is not built yet");
  await handshakeSteps(t, port);
});

/** Runs the handshake panel against the local server: without, then with the kit's client certificate. */
async function handshakeSteps(t, port) {
  await wb.clearNotifications();
  await wb.runCommand("CertScope: Test TLS Handshake");
  const view = wb.webview();
  const without = view.locator("#lab-without");
  await without.waitFor({ timeout: 20_000 }).catch(async () => {
    const body = await view.locator("body").innerText().catch(() => "nothing");
    throw new Error(`the Test TLS Handshake panel has no "Fill: without a client certificate" button for the running test server; it shows: ${body.slice(0, 300)}`);
  });
  await wb.screenshot("handshake-form");

  const diagnosis = view.locator("#diagnosis");
  /** Clicks Run and waits for a result with a new run id; returns { category, outcome, text }. */
  const run = (what) => runPanel(view, what, 30_000);
  const types = async (from) => view.locator(`#diagram [data-type]${from ? `[data-from="${from}"]` : ""}`).evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));

  // 1. Without a client certificate: the server asks for one and refuses the connection.
  await without.click();
  await until(async () => (await view.locator("#port").evaluate((e) => e.value)) === String(port), 5000);
  const first = await run("without a client certificate");
  await diagnosis.evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
  await wb.screenshot("handshake-client-cert-required");
  await view.locator("#diagram").evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
  await wb.screenshot("handshake-client-cert-required-diagram");
  assert.equal(first.category, "client_cert_required", `without a client certificate the diagnosis is "${first.category}": ${first.text}`);
  assert.equal(first.outcome, "failure", `without a client certificate the handshake did not fail: ${first.text}`);
  assert.match(first.text, /client certificate/i, `the diagnosis does not mention the client certificate: ${first.text}`);
  const t1 = await types();
  for (const m of ["ClientHello", "ServerHello", "CertificateRequest"]) {
    assert.ok(t1.includes(m), `the diagram of the failed handshake has no ${m}; it shows: ${t1.join(", ")}`);
  }

  // 2. With the kit's client certificate: a clean mutual-TLS handshake.
  await view.locator("#lab-with").click();
  await until(async () => (await view.locator("#credential-kind").getAttribute("data-value")) === "pem", 5000);
  const second = await run("with the kit's client certificate");
  await diagnosis.evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
  await wb.screenshot("handshake-mutual-tls-success");
  await view.locator("#diagram").evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
  await wb.screenshot("handshake-mutual-tls-diagram");
  assert.equal(second.outcome, "success", `with the kit's client certificate the handshake failed: ${second.category}: ${second.text}`);
  const fromClient = await types("client");
  for (const m of ["Certificate", "CertificateVerify", "Finished"]) {
    assert.ok(fromClient.includes(m), `the diagram of the mutual-TLS handshake shows no ${m} from the client; client messages: ${fromClient.join(", ")}`);
  }
  t.diagnostic(`handshake diagram (mutual TLS): ${(await types()).join(" → ")}`);
}

test("Test as Client Certificate from the Certificates view fills the handshake form with the certificate and its key", async (t) => {
  const crt = join(cs.workspace, "mtls-lab/client.crt");
  if (!existsSync(crt)) return t.skip("no test kit (client.crt) was created by the mTLS step");
  await wb.closeAllEditors();
  await wb.clearNotifications();
  await wb.openFile("mtls-lab/client.crt");
  const pane = await wb.pane("Certificates");
  const row = pane.locator(".monaco-list-row", { hasText: "CertScope Lab Client" }).first();
  await row.waitFor({ timeout: 20_000 }).catch(async () => {
    throw new Error(`the Certificates view does not list the kit's client certificate; it shows: ${(await pane.innerText()).trim() || "nothing"}`);
  });
  await row.click({ button: "right" });
  const item = wb.page.locator(".context-view .action-menu-item", { hasText: "Test as Client Certificate" }).first();
  await item.waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`the context menu of a certificate in the Certificates view has no "Test as Client Certificate…"; it shows: ${(await wb.page.locator(".context-view").innerText().catch(() => "no menu")).replace(/\s+/g, " ")}`);
  });
  // VS Code's context menus act on the keyboard's Enter over the hovered item (a synthetic click does not reach them).
  await item.hover();
  await wb.page.keyboard.press("Enter");
  const view = wb.webview();
  const kind = await until(async () => (await view.locator("#credential-kind").getAttribute("data-value", { timeout: 1000 })) === "pem", 15_000);
  const certFile = await view.locator("#cert-file").innerText().catch(() => "");
  const keyFile = await view.locator("#key-file").innerText().catch(() => "");
  await wb.screenshot("test-as-client-cert");
  assert.ok(kind, `after "Test as Client Certificate" the panel's client certificate is not "PEM certificate + key"; ${await seen()}`);
  assert.match(certFile, /client\.crt$/, `the panel's certificate is ${JSON.stringify(certFile)}, not the chosen client.crt`);
  assert.match(keyFile, /client\.key$/, `the panel did not find the matching key next to client.crt (shows ${JSON.stringify(keyFile)})`);
});

/** Picks a color theme in "Preferences: Color Theme", as a user would. */
async function setTheme(label) {
  await wb.runCommand("Preferences: Color Theme");
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 10_000 });
  await input.fill(label);
  const row = wb.quickInput.locator(".monaco-list-row", { hasText: label }).first();
  await row.waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`the Color Theme picker has no "${label}"; it shows: ${(await wb.quickPickRows()).join(" | ")}`);
  });
  await wb.page.keyboard.press("Enter");
  await wb.quickInput.waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
}

/**
 * Runs in the webview: for each selector's visible elements, the WCAG contrast ratio of the text (color, or fill
 * for SVG text) against the first opaque background up the tree (else the theme's editor background).
 */
function contrastOf(_body, selectors) {
  // Computed colours come as rgb()/rgba(), or as color(srgb r g b / a) with 0–1 channels (color-mix results).
  const rgb = (s) => {
    let m = /rgba?\(([^)]+)\)/.exec(s || "");
    if (m) {
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    }
    m = /color\(srgb ([^)]+)\)/.exec(s || "");
    if (!m) return undefined;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: r * 255, g: g * 255, b: b * 255, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const probe = document.createElement("div");
  probe.style.color = "var(--vscode-editor-background)";
  document.body.append(probe);
  const pageBg = rgb(getComputedStyle(probe).color);
  probe.remove();
  const out = [];
  for (const sel of selectors) {
    for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 5)) {
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height || !(el.textContent || "").trim()) continue;
      const cs = getComputedStyle(el);
      const fg = rgb(el instanceof SVGElement && cs.fill && cs.fill !== "none" ? cs.fill : cs.color);
      let bg;
      for (let n = el; n && n.nodeType === 1 && !bg; n = n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c && c.a > 0.9) bg = c;
      }
      bg ??= pageBg;
      if (!fg || !bg) {
        out.push({ sel, text: el.textContent.trim().slice(0, 40), ratio: 0, unparsed: `${cs.color} on ${bg ? "?" : "no background"}` });
        continue;
      }
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out.push({ sel, text: el.textContent.trim().slice(0, 40), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 10) / 10 });
    }
  }
  return out;
}

test("the handshake panel reads in light and high-contrast themes and runs from the keyboard alone", async (t) => {
  if (!built(/certscope\.testHandshake/)) return t.skip("Test TLS Handshake (the handshake webview) is not built yet");
  if (!existsSync(join(cs.workspace, "mtls-lab/client.p12"))) return t.skip("needs the test kit and the local server of the mTLS step");
  await wb.clearNotifications();
  // A result on screen to look at (an earlier step may have refilled the form, which clears the last result).
  await wb.runCommand("CertScope: Test TLS Handshake");
  const first = wb.webview();
  await first.locator("#run").waitFor({ timeout: 20_000 });
  if (!(await first.locator("#diagnosis").count())) {
    await first.locator("#run").click();
    await first.locator("#diagnosis").waitFor({ timeout: 30_000 });
  }
  try {
    for (const [theme, cls, name] of [
      ["Light Modern", "vscode-light", "light"],
      ["Dark High Contrast", "vscode-high-contrast", "high-contrast"],
    ]) {
      await setTheme(theme);
      await wb.runCommand("CertScope: Test TLS Handshake");
      const view = wb.webview();
      const themed = await until(async () => (await view.locator("body").getAttribute("class", { timeout: 1000 }))?.includes(cls), 15_000);
      assert.ok(themed, `after choosing the ${theme} theme the handshake panel's page is not marked ${cls}`);
      await view.locator("#diagnosis").waitFor({ timeout: 10_000 });
      await view.locator("#diagnosis").evaluate((e) => e.scrollIntoView({ block: "start" })).catch(() => {});
      await sleep(500); // the theme's colours reach the page's CSS variables a frame later
      const ratios = await view.locator("body").evaluate(contrastOf, ["#diagnosis p, #diagnosis strong", ".hs-section h2", "#diagram h3", ".seq-note", "dt, dd", ".muted", ".tone-ok, .tone-error, .tone-warning", "legend, .file-label"]);
      await wb.screenshot(`handshake-${name}-theme`);
      assert.ok(ratios.length >= 4, `the ${theme} check found almost no text in the panel: ${JSON.stringify(ratios)}`);
      const poor = ratios.filter((r) => r.ratio < 4.5);
      assert.deepEqual(poor, [], `in the ${theme} theme some text of the handshake panel is hard to read (WCAG AA wants 4.5:1)`);
      const low = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      t.diagnostic(`${theme}: ${ratios.length} texts, lowest contrast ${low.ratio}:1 (${low.sel}: "${low.text}")`);

      // The certificate viewer shares the stylesheet: the same measure on the DER certificate.
      await wb.openFile(FIXTURE.der).catch(async (e) => {
        await wb.screenshot(`viewer-${name}-open-failed`);
        throw e;
      });
      const viewer = wb.webview();
      await until(async () => (await viewer.locator("#viewer").getAttribute("data-status", { timeout: 1000 })) === "ready", 20_000);
      await until(async () => (await viewer.locator("body").getAttribute("class", { timeout: 1000 }))?.includes(cls), 10_000);
      const vr = await viewer.locator("body").evaluate(contrastOf, [".viewer th", ".viewer td", ".viewer .tone-ok, .viewer .tone-warning, .viewer .tone-error", ".viewer-badge", ".object-subtitle, .viewer-summary, .object-kind", ".viewer .note", ".section-title"]);
      await wb.screenshot(`viewer-${name}-theme`);
      assert.ok(vr.length >= 10, `the ${theme} check found almost no text in the viewer: ${JSON.stringify(vr)}`);
      assert.deepEqual(vr.filter((r) => r.ratio < 4.5), [], `in the ${theme} theme some text of the certificate viewer is hard to read (WCAG AA wants 4.5:1)`);
      const vlow = vr.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      t.diagnostic(`${theme} viewer: ${vr.length} texts, lowest contrast ${vlow.ratio}:1 (${vlow.sel}: "${vlow.text}")`);
      await wb.runCommand("View: Close Editor");
    }
    await wb.runCommand("CertScope: Test TLS Handshake");

    // Keyboard only: Tab from the top of the panel to Run, Enter runs the handshake.
    const view = wb.webview();
    const result = view.locator(".hs-result");
    const before = await result.getAttribute("data-run", { timeout: 2000 }).catch(() => null);
    await view.locator("body").evaluate(() => {
      document.activeElement?.blur?.();
      window.scrollTo(0, 0);
    });
    await wb.page.keyboard.press("Escape"); // nothing open to close; keeps focus where it is
    const path = [];
    let onRun = false;
    for (let i = 0; i < 60 && !onRun; i++) {
      await wb.page.keyboard.press("Tab");
      const id = await view.locator("body").evaluate(() => {
        let a = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        const host = document.activeElement;
        return host && host !== document.body ? host.id || host.getAttribute("aria-label") || host.tagName.toLowerCase() : "";
      });
      path.push(id || "(nothing)");
      onRun = id === "run";
    }
    assert.ok(onRun, `Tab never reached the Run button; focus went: ${path.join(" → ")}`);
    const arrowStops = path.filter((p) => /^\d+\. (Client|Server) to /.test(p));
    assert.ok(arrowStops.length <= 1, `the sequence diagram takes ${arrowStops.length} Tab stops (one per message) instead of one: ${arrowStops.join(" → ")}`);
    await wb.screenshot("handshake-keyboard-focus-run");
    t.diagnostic(`Tab order to Run: ${path.join(" → ")}`);
    await wb.page.keyboard.press("Enter");
    const after = await until(async () => {
      const id = await result.getAttribute("data-run", { timeout: 500 });
      return id && id !== before ? id : undefined;
    }, 30_000);
    assert.ok(after, `Enter on the focused Run button started no handshake; the panel shows: ${(await view.locator("body").innerText()).slice(0, 300)}`);
    const outcome = await view.locator("#diagnosis").getAttribute("data-outcome");
    assert.ok(outcome === "success" || outcome === "failure", `the keyboard-started run shows no outcome (${outcome})`);

    // "Remember the passphrase" only where there is one: not for the kit's unencrypted client.key, yes for its .p12.
    assert.ok(!path.includes("remember"), `with the kit's unencrypted client.key the panel still offers to remember a passphrase (Tab order: ${path.join(" → ")})`);
    await view.locator('vscode-radio[value="pkcs12"]').click();
    const offered = await until(async () => view.locator("#remember").isVisible(), 10_000);
    assert.ok(offered, "after choosing PKCS#12 the panel does not offer to remember its password");
    assert.equal(await view.locator("#forget-passphrase").isVisible(), false, "the panel offers to forget a passphrase nobody remembered");
    await view.locator('vscode-radio[value="pem"]').click();
  } finally {
    await setTheme("Dark Modern").catch(() => {});
  }
});

test("a password-protected PKCS#12 asks for its password, says when it is wrong, then opens in the viewer", async (t) => {
  const p12 = join(cs.workspace, "mtls-lab/client.p12");
  if (!existsSync(p12)) return t.skip("no test kit (client.p12) was created by the mTLS step");
  if (!built(/registerCustomEditorProvider/)) return t.skip("the certificate viewer is not built yet");
  await wb.closeAllEditors();
  await wb.clearNotifications();
  await wb.page.keyboard.press("Control+P");
  const input = wb.quickInput.locator("input");
  await input.waitFor({ timeout: 10_000 });
  await input.fill("mtls-lab/client.p12");
  await wb.quickInput.locator(".monaco-list-row", { hasText: "client.p12" }).first().waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press("Enter");
  const prompt = wb.quickInput.filter({ hasText: /Password for client\.p12/ });
  await prompt.waitFor({ timeout: 20_000 }).catch(async () => {
    throw new Error(`opening client.p12 did not ask for its password; ${await seen()}`);
  });
  assert.equal(await wb.quickInput.locator("input").getAttribute("type"), "password", "the PKCS#12 password box shows what is typed");
  await wb.quickInput.locator("input").fill("not-the-password");
  await wb.page.keyboard.press("Enter");
  await wb.quickInput.filter({ hasText: /Wrong password for client\.p12/ }).waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`a wrong PKCS#12 password was not reported; ${await seen()}`);
  });
  await wb.screenshot("pkcs12-wrong-password");
  // The kit's documented default lab password (its README says so); not a secret.
  await wb.quickInput.locator("input").fill("certscope");
  await wb.page.keyboard.press("Enter");
  const viewer = wb.webview().locator("#viewer");
  await until(async () => (await viewer.getAttribute("data-status", { timeout: 1000 })) === "ready", 30_000);
  const text = await viewer.innerText().catch(() => "");
  await wb.clearNotifications(); // "Remember the password?" — left unanswered
  await wb.screenshot("pkcs12-viewer");
  assert.equal(await viewer.getAttribute("data-status"), "ready", `client.p12 did not open with its password; the viewer shows: ${text.slice(0, 300)}; ${await seen()}`);
  assert.match(text, /CertScope Lab Client/, `the viewer of client.p12 does not show the client certificate:\n${text.slice(0, 600)}`);
  assert.doesNotMatch(text, /BEGIN [A-Z ]*PRIVATE KEY/, "the viewer of client.p12 shows private key material");
});

test("the webviews ran without Content Security Policy violations or script errors", async () => {
  const webviewIssues = consoleErrors.filter(
    (e) => /Content Security Policy|Refused to (load|execute|apply|connect)/i.test(e.text) || (/certscope|dist\/webview/i.test(e.url + e.text) && e.type !== "warning"),
  );
  for (const e of consoleErrors) console.log(`console ${e.type}: ${e.text.slice(0, 300)} ${e.url ? `(${e.url.slice(0, 120)})` : ""}`);
  assert.deepEqual(webviewIssues.map((e) => e.text.slice(0, 300)), [], "the browser console reported CSP violations or CertScope script errors");
});
