import { test } from "node:test";
import assert from "node:assert/strict";
import { documentSymbols } from "../../src/adapters/symbols/map";
import { codeLenses } from "../../src/adapters/codelens/map";
import { capDiagnostics, documentDiagnostics, type DiagnosticSpec } from "../../src/adapters/diagnostics/map";
import { defaultT, isPemDocument, isPemFileName } from "../../src/adapters/documents/describe";
import { analysed } from "./surfaces";

test("symbols: one per block, named for the Outline", async () => {
  const a = await analysed();
  const symbols = documentSymbols(a.entries, a.f.now, 30, defaultT);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [
      ["Certificate CN=good.example", "certificate"],
      ["Certificate CN=old.example", "certificate"],
      ["Certificate CN=soon.example", "certificate"],
      ["Certificate CN=future.example", "certificate"],
      ["Certificate CN=weak.example", "certificate"],
      ["CSR CN=req.example", "csr"],
      ["Private key (EC P-256)", "key"],
      ["CRL CN=good.example", "crl"],
      ["Malformed CERTIFICATE block", "error"],
    ],
  );
  assert.match(symbols[0].detail, /^expires in (99|100) days · EC P-256$/);
  assert.match(symbols[1].detail, /^expired 10 days ago/);
  assert.match(symbols[7].detail, /^1 revoked · next update in [67] days$/);
  assert.ok(symbols[8].detail.length > 0, "the error is the detail");
  symbols.forEach((s, i) => {
    assert.deepEqual(s.range, a.entries[i].block.range);
    assert.deepEqual(s.selectionRange, s.range);
  });
});

test("CodeLens: one per certificate, with name and expiry, opening the viewer", async () => {
  const a = await analysed();
  const lenses = codeLenses("file:///w/b.pem", a.entries, defaultT);
  assert.equal(lenses.length, 5);
  const titles = lenses.map((l) => l.title);
  assert.match(titles[0], /^CN=good\.example · expires in (99|100) days$/);
  assert.equal(titles[1], "$(error) CN=old.example · expired 10 days ago");
  assert.match(titles[2], /^\$\(warning\) CN=soon\.example · expires in [45] days$/);
  assert.equal(titles[3], "$(clock) CN=future.example · not valid for another 3 days");
  lenses.forEach((l, i) => {
    assert.equal(l.command, "certscope.openViewer");
    assert.deepEqual(l.ref, { uri: "file:///w/b.pem", line: a.entries[i].block.line, index: i });
    assert.deepEqual(l.position, a.entries[i].block.range.start);
  });
  // A subject cannot smuggle codicons into the title.
  const evil = { ...a.entries[0], object: { ...a.entries[0].object!, subject: { text: "CN=$(x)", attributes: [{ type: "CN", oid: "2.5.4.3", value: "$(x)" }] } } } as (typeof a.entries)[0];
  assert.doesNotMatch(codeLenses("u", [evil], defaultT)[0].title, /\$\(x\)/);
});

test("diagnostics: each problem on its block, with code and severity", async () => {
  const a = await analysed();
  const opts = { pemFile: true, embeddedBlocks: true, now: a.f.now, expiryWarningDays: 30 };
  const d = documentDiagnostics(a.entries, opts, defaultT);
  const byCode = d.map((x) => [x.code, x.severity, a.entries.findIndex((e) => e.block.range === x.range)]);
  assert.deepEqual(byCode, [
    ["expired", "error", 1],
    ["expiring", "warning", 2],
    ["not-yet-valid", "warning", 3],
    ["weak-signature", "information", 4],
    ["weak-key", "warning", 4],
    ["malformed", "error", 8],
  ]);
  assert.match(d[0].message, /^Certificate CN=old\.example expired 10 days ago \(not after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$/);
  assert.match(d[1].message, /^Certificate CN=soon\.example expires in [45] days/);
  assert.match(d[2].message, /is not yet valid: not valid for another 3 days/);
  assert.match(d[3].message, /signed with sha1WithRSAEncryption, which is no longer considered secure/);
  assert.match(d[4].message, /RSA key of 1024 bits is too small/);
  assert.match(d[5].message, /^Malformed PEM block 'CERTIFICATE': /);
});

test("diagnostics: embedded blocks follow certscope.diagnostics.embeddedBlocks", async () => {
  const yaml = await analysed((f) => `spec:\n  ca: |\n${f.expired.trim().split("\n").map((l) => "    " + l).join("\n")}\n`);
  const plainInYaml = await analysed((f) => `# comment\n${f.expired}`);
  const pem = await analysed((f) => f.expired);
  const now = yaml.f.now;
  const run = (entries: typeof yaml.entries, pemFile: boolean, embeddedBlocks: boolean) =>
    documentDiagnostics(entries, { pemFile, embeddedBlocks, now, expiryWarningDays: 30 }, defaultT).map((x) => x.code);
  assert.deepEqual(run(yaml.entries, false, true), ["expired"]);
  assert.deepEqual(run(yaml.entries, false, false), []);
  assert.deepEqual(run(plainInYaml.entries, false, false), [], "a non-PEM file's blocks are embedded");
  assert.deepEqual(run(pem.entries, true, false), ["expired"], "PEM files are always checked");
  assert.deepEqual(run(yaml.entries, true, false), [], "an indented block is embedded even in a .pem");
  const trunc = documentDiagnostics([], { pemFile: true, embeddedBlocks: true, now, expiryWarningDays: 30, truncated: "only the first 2 PEM blocks were read" }, defaultT);
  assert.deepEqual(trunc.map((x) => [x.code, x.severity, x.range.start.line]), [["truncated", "information", 0]]);
  assert.equal(isPemFileName("/w/ca-bundle.crt"), true);
  assert.equal(isPemFileName("/w/values.yaml"), false);
  assert.equal(isPemDocument("Untitled-1", "plaintext", true), true, "pasted PEM in an untitled buffer");
  assert.equal(isPemDocument("Untitled-1", "yaml", true), false);
  assert.equal(isPemDocument("/w/x.txt", "plaintext", false), false);
});

test("diagnostics: capped per file, errors kept first, the rest counted", () => {
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 1 } });
  const specs: DiagnosticSpec[] = [
    { range: at(1), severity: "warning", code: "expiring", message: "w1" },
    { range: at(2), severity: "error", code: "expired", message: "e1" },
    { range: at(3), severity: "information", code: "weak-signature", message: "i1" },
    { range: at(4), severity: "error", code: "malformed", message: "e2" },
  ];
  assert.equal(capDiagnostics(specs, 4, defaultT), specs);
  const capped = capDiagnostics(specs, 2, defaultT);
  assert.deepEqual(capped.map((d) => d.message), ["e1", "e2", "CertScope found 2 more problems in this file that are not listed."]);
});
