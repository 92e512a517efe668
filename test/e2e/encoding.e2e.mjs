// Issue 15 in a real VS Code (code-server + Chromium): a crafted certificate with encoding problems opens in
// the certificate viewer with an "Encoding problems" section, and its errors are listed in the Problems panel
// when the PEM file is open. The certificate is crafted with the unit tests' DER builder (test/pki/derBuilder.ts).
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (named "encoding-…").
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { withCodeServer, root, until } from "./harness.mjs";

/** Writes bad.der and bad.pem (one certificate: negative serial, bad UTF-8, empty RDN, policyConstraints with wrong tags) and ok.pem. */
function craft(dir) {
  const script = `
    const b = await import(${JSON.stringify(join(root, "test/pki/derBuilder.ts"))});
    const { cert, name, utf8, tlv, intRaw, ext, seq, ctx, int, gen, pem } = b.cert ? b : b.default;
    const fs = await import("node:fs");
    const der = cert({
      serial: intRaw(0xff, 0x01),
      subject: name([["2.5.4.6", tlv(0x13, Buffer.from("US"))]], [], [["2.5.4.10", tlv(0x0c, [0x61, 0xc3, 0x28])]], [["2.5.4.3", utf8("bad.encoding.test")]]),
      notAfter: gen("20500101000000.5Z"),
      extensions: [ext("2.5.29.36", seq(ctx(0, int(1))), true)],
    });
    fs.writeFileSync(${JSON.stringify(join(dir, "bad.der"))}, der);
    fs.writeFileSync(${JSON.stringify(join(dir, "bad.pem"))}, pem(der));
    fs.writeFileSync(${JSON.stringify(join(dir, "ok.pem"))}, pem(cert({ notAfter: gen("20700101000000Z") })));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, `could not craft the test certificate: ${r.stderr}`);
}

const { wb } = withCodeServer({ name: "encoding", prepare: ({ workspace }) => craft(workspace) });

test("the viewer shows 'Encoding problems' for a crafted bad certificate, with the values it holds", async () => {
  await wb.openFile("bad.der");
  const view = wb.webview();
  const viewer = view.locator("#viewer");
  const ready = await until(async () => (await viewer.getAttribute("data-status", { timeout: 1000 })) === "ready", 60_000);
  assert.ok(ready, `bad.der did not open in the certificate viewer; it shows: ${(await viewer.innerText().catch(() => "nothing")).slice(0, 300)}`);
  const section = view.locator('[data-section="encoding"]');
  await section.first().waitFor({ timeout: 10_000 }).catch(() => {});
  const text = await section.innerText().catch(() => "");
  await wb.screenshot("encoding-viewer");
  assert.match(text, /Encoding problems/, `the viewer has no "Encoding problems" section; it shows:\n${(await viewer.innerText()).slice(0, 800)}`);
  for (const want of [/serial number is negative/, /not valid UTF-8/, /empty RelativeDistinguishedName/, /fractional seconds/, /requireExplicitPolicy/])
    assert.match(text, want, `the Encoding problems section does not say ${want}:\n${text}`);
  const all = await viewer.innerText();
  assert.match(all, /-ff \(negative; encoded as FF:01\)/, "the viewer does not show the negative serial with its sign");
  assert.match(all, /#a003020101/, "the viewer does not show policyConstraints' unreadable value as its bytes");
  assert.doesNotMatch(all, /131329/, "the viewer shows policyConstraints' tag bytes as a number");
  await section.locator("summary").first().scrollIntoViewIfNeeded().catch(() => {});
  await wb.screenshot("encoding-viewer-section");

  // The Certificates view: the object counts its problems; expanded, it lists them and marks the fields.
  const pane = await wb.pane("Certificates");
  const row = pane.locator(".monaco-list-row", { hasText: "bad.encoding.test" }).first();
  const counted = await until(async () => /5 encoding problems/.test(await row.innerText({ timeout: 1000 })), 30_000);
  assert.ok(counted, `the Certificates view does not count the encoding problems; it shows: ${await pane.innerText().catch(() => "nothing")}`);
  await row.locator(".monaco-tl-twistie").click();
  const listed = await until(async () => /Encoding problems/.test(await pane.innerText()), 15_000);
  await wb.screenshot("encoding-tree");
  assert.ok(listed, `the expanded certificate has no "Encoding problems" node: ${await pane.innerText()}`);
  await wb.closeAllEditors();
});

test("the Problems panel lists the encoding errors of the open files (PEM text, DER in the viewer), none for a clean one", async () => {
  await wb.openFile("bad.der");
  await wb.openFile("ok.pem");
  await wb.openFile("bad.pem");
  await wb.runCommand("View: Focus Problems");
  const rows = wb.page.locator(".markers-panel .monaco-list-row");
  const text = await until(async () => {
    const all = (await rows.allInnerTexts()).join("\n");
    return /encoding error in tbsCertificate\.serialNumber/.test(all) && /bad\.der/.test(all) ? all : undefined;
  }, 30_000);
  await wb.screenshot("encoding-problems-panel");
  assert.ok(text, `the Problems panel does not list the encoding errors; it shows: ${(await rows.allInnerTexts().catch(() => [])).join(" | ") || "no problems"}`);
  assert.match(text, /bad\.pem/);
  assert.match(text, /bad\.der/, "the DER file open in the viewer has no problems listed");
  assert.doesNotMatch(text, /ok\.pem/, "the clean certificate has problems listed");
});
