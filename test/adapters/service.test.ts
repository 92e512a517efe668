/**
 * The document service against the stand-in `vscode` module (scripts/bench/lib/fake-vscode.cjs): caching by
 * version, cancel on edit, a hover answered before the whole analysis, events, the cap on huge files.
 * Behaviour only; speed is measured by scripts/bench/editor.mjs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { vscode } from "./fake";
import { fixtures } from "../doc/fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PkiDocumentService } = require("../../src/adapters/documents/service") as typeof import("../../src/adapters/documents/service");

const never = new vscode.CancellationTokenSource().token;

test("service: analyses once per version, moves waiting callers to the new version on edit", async () => {
  const f = await fixtures();
  const svc = new PkiDocumentService();
  try {
    const doc = vscode.makeDocument("/w/a.pem", f.good + f.expired);
    const changes: string[] = [];
    svc.onDidChange((u) => changes.push(u.toString()));
    const a1 = await svc.analysis(doc, never);
    assert.equal(a1.entries.length, 2);
    assert.equal(a1.version, 1);
    assert.equal(await svc.analysis(doc, never), a1, "cached by version");
    assert.equal(svc.peek(doc), a1);
    assert.deepEqual(changes, ["file:///w/a.pem"]);

    // A request in flight when the document is edited ends with the new version's analysis.
    const doc2 = vscode.makeDocument("/w/b.pem", f.good.repeat(200));
    const pending = svc.get(doc2, never);
    doc2.edit(f.good + f.expired + f.future);
    const entries = await pending;
    assert.equal(entries.length, 3);
    assert.equal(svc.peek(doc2)?.version, 2);
    assert.equal(svc.peek(doc2)?.entries[2].facts.expiry?.status, "not_yet_valid");
    assert.ok(!changes.includes("file:///w/b.pem") || svc.peek(doc2)?.version === 2);

    // An edit above the blocks: objects are reused from the previous version, with their new line numbers.
    const before = await svc.get(doc2, never);
    doc2.edit("# a comment\n\n" + f.good + f.expired + f.future);
    const after = await svc.get(doc2, never);
    assert.deepEqual(
      after.map((e) => [e.block.line, e.object?.line]),
      before.map((e) => [e.block.line + 2, e.block.line + 2]),
    );
    assert.equal(after[1].object?.kind === "certificate" && after[1].object.fingerprints.sha256, before[1].object?.kind === "certificate" && before[1].object.fingerprints.sha256);
  } finally {
    svc.dispose();
  }
});

test("service: a hover decodes its own block without waiting for the whole document", async () => {
  const f = await fixtures();
  const svc = new PkiDocumentService();
  try {
    const text = f.good.repeat(400) + f.expired;
    const doc = vscode.makeDocument("/w/big.pem", text);
    const lastLine = text.split("\n").length - 3;
    const entry = await svc.entryAt(doc, new vscode.Position(lastLine, 0), never);
    assert.equal(entry?.object?.kind, "certificate");
    assert.equal(entry?.facts.expiry?.status, "expired");
    assert.equal(await svc.entryAt(doc, new vscode.Position(lastLine + 5, 0), never), undefined, "no block after the last");
    const all = await svc.get(doc, never);
    assert.equal(all.length, 401);
    assert.equal(all[400], entry, "the full analysis reuses the hover's decode");
  } finally {
    svc.dispose();
  }
});

test("service: a cancelled request rejects with CancellationError; documents without PEM cost one search", async () => {
  const f = await fixtures();
  const svc = new PkiDocumentService();
  try {
    const cts = new vscode.CancellationTokenSource();
    const doc = vscode.makeDocument("/w/c.pem", f.good.repeat(50));
    const p = svc.get(doc, cts.token);
    cts.cancel();
    await assert.rejects(p, (e: Error) => e instanceof vscode.CancellationError);
    assert.equal((await svc.get(doc, never)).length, 50, "the shared job was not cancelled by one caller");
    const plain = vscode.makeDocument("/w/readme.md", "# nothing to see\n".repeat(1000));
    assert.deepEqual(await svc.get(plain, never), []);
  } finally {
    svc.dispose();
  }
});

test("service: blocks beyond the cap are skipped and the analysis says so", async () => {
  const f = await fixtures();
  const svc = new PkiDocumentService();
  try {
    const { MAX_BLOCKS } = await import("../../src/adapters/documents/service");
    const text = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n".repeat(MAX_BLOCKS + 5) + f.good;
    const doc = vscode.makeDocument("/w/many.pem", text);
    const a = await svc.analysis(doc, never);
    assert.equal(a.entries.length, MAX_BLOCKS);
    assert.match(a.truncated ?? "", /only the first 20000 PEM blocks were read/);
    assert.ok(vscode.fake.logLines.some((l: string) => l.startsWith("[warn]") && l.includes("only the first 20000")));
  } finally {
    svc.dispose();
  }
});
