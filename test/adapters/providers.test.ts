/**
 * The thin vscode glue of the text surfaces, registered against the stand-in `vscode`: what VS Code would
 * receive from the hover, symbol, CodeLens and diagnostics providers, and that settings switch them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { vscode } from "./fake";
import { fixtures } from "../doc/fixtures";

/* eslint-disable @typescript-eslint/no-require-imports */
const { PkiDocumentService } = require("../../src/adapters/documents/service") as typeof import("../../src/adapters/documents/service");
const { registerHover } = require("../../src/adapters/hover/provider") as typeof import("../../src/adapters/hover/provider");
const { registerSymbols } = require("../../src/adapters/symbols/provider") as typeof import("../../src/adapters/symbols/provider");
const { registerCodeLens } = require("../../src/adapters/codelens/provider") as typeof import("../../src/adapters/codelens/provider");
const { registerDiagnostics } = require("../../src/adapters/diagnostics/provider") as typeof import("../../src/adapters/diagnostics/provider");
const { log } = require("../../src/adapters/log") as typeof import("../../src/adapters/log");
/* eslint-enable @typescript-eslint/no-require-imports */

async function until<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined || Date.now() > end) return v as T;
    await sleep(20);
  }
}

test("providers: hover, Outline, CodeLens and Problems for a YAML file with an expired certificate", async () => {
  const f = await fixtures();
  const { fake } = vscode;
  const context = { subscriptions: [] as { dispose(): void }[] };
  const documents = new PkiDocumentService();
  const services = { log: log(), documents };
  fake.providers.hover.length = fake.providers.symbols.length = fake.providers.codeLens.length = 0;
  registerHover(context as never, services);
  registerSymbols(context as never, services);
  registerCodeLens(context as never, services);
  registerDiagnostics(context as never, services);
  const token = new vscode.CancellationTokenSource().token;
  const indent = (pem: string) => pem.trim().split("\n").map((l) => `    ${l}`).join("\n");
  const doc = vscode.makeDocument("/w/deploy.yaml", `data:\n  ca: |\n${indent(f.good)}\n  partner: |\n${indent(f.expired)}\n`, "yaml");
  try {
    fake.textDocuments.push(doc);
    fake.events.open.fire(doc);
    const diags = await until(() => fake.diagnostics.get(doc.uri.toString()));
    assert.deepEqual(
      diags.map((d: { source: string; code: string; severity: number; message: string }) => [d.source, d.code, d.severity]),
      [["CertScope", "expired", vscode.DiagnosticSeverity.Error]],
    );
    assert.match(diags[0].message, /old\.example expired 10 days ago/);

    const partnerLine = doc.getText().split("\n").findIndex((l: string) => l.includes("partner:")) + 1;
    const hover = await fake.providers.hover[0].provideHover(doc, new vscode.Position(partnerLine, 6), token);
    const md = hover.contents[0];
    assert.match(md.value, /Expired 10 days ago/);
    assert.deepEqual(md.isTrusted, { enabledCommands: ["certscope.openViewer", "certscope.validateChain"] });
    assert.equal(md.supportThemeIcons, true);
    assert.equal(hover.range.start.line, partnerLine);
    assert.equal(await fake.providers.hover[0].provideHover(doc, new vscode.Position(0, 0), token), undefined, "nothing outside blocks");

    const symbols = await fake.providers.symbols[0].provideDocumentSymbols(doc, token);
    assert.deepEqual(symbols.map((s: { name: string }) => s.name), ["Certificate CN=good.example", "Certificate CN=old.example"]);

    const lenses = await fake.providers.codeLens[0].provideCodeLenses(doc, token);
    assert.equal(lenses.length, 2);
    assert.equal(lenses[1].command.command, "certscope.openViewer");
    assert.deepEqual(lenses[1].command.arguments, [{ uri: doc.uri.toString(), line: partnerLine + 1, index: 1 }]);

    // Settings: CodeLens off; embedded-block diagnostics off (a .yaml is not a PEM file).
    fake.settings["certscope.codeLens.enabled"] = false;
    assert.deepEqual(await fake.providers.codeLens[0].provideCodeLenses(doc, token), []);
    fake.settings["certscope.diagnostics.embeddedBlocks"] = false;
    fake.events.config.fire({ affectsConfiguration: (k: string) => k === "certscope.diagnostics.embeddedBlocks" });
    assert.deepEqual(await until(() => (fake.diagnostics.get(doc.uri.toString())?.length === 0 ? [] : undefined)), []);

    fake.events.close.fire(doc);
    assert.equal(fake.diagnostics.has(doc.uri.toString()), false);
  } finally {
    delete fake.settings["certscope.codeLens.enabled"];
    delete fake.settings["certscope.diagnostics.embeddedBlocks"];
    fake.textDocuments.length = 0;
    for (const d of context.subscriptions) d.dispose();
    documents.dispose();
  }
});
