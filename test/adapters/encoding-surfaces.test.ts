/**
 * Issue 15 on the editor surfaces: a crafted certificate with encoding problems, analysed by the real core,
 * gets an "Encoding problems" section in the viewer, a marked field in the tree, a count in the hover and
 * its errors in the Problems panel; a clean certificate gets none of these.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../src/core/doc/analyze";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import { buildViewerState } from "../../src/adapters/editor/viewModel";
import { fileNodes, type TreeNodeData } from "../../src/adapters/tree/model";
import { hoverMarkdown } from "../../src/adapters/hover/markdown";
import { documentDiagnostics, fileEncodingDiagnostics } from "../../src/adapters/diagnostics/map";
import { defaultT } from "../../src/adapters/documents/describe";
import { CLEAN, CRAFTED } from "../pki/encodingCorpus";
import { pem } from "../pki/derBuilder";

const now = new Date("2026-06-01T00:00:00Z");
const negative = CRAFTED.find((c) => c.name === "negative serial")!.der;
const policy = CRAFTED.find((c) => c.name.startsWith("policyConstraints"))!.der;

async function entries(ders: Uint8Array[]) {
  return analyzeText(ders.map((d) => pem(d)).join(""), { summary: false, now, expiryWarningDays: 30 }, { decodeCertificate, inspectBytes });
}

function kids(n: TreeNodeData): TreeNodeData[] {
  return typeof n.children === "function" ? n.children() : (n.children ?? []);
}

test("viewer: an 'Encoding problems' section first, a badge, and the negative serial with its sign", async () => {
  const result = await inspectBytes(new TextEncoder().encode(pem(negative) + pem(CLEAN)), { fileName: "bad.pem" });
  const s = buildViewerState({ fileName: "bad.pem", result, now, warnDays: 30, isText: true });
  const [bad, clean] = s.objects;
  assert.equal(bad.sections[0].id, "encoding");
  assert.equal(bad.sections[0].title, "Encoding problems");
  assert.equal(bad.sections[0].rows[0].label, "tbsCertificate.serialNumber");
  assert.match(bad.sections[0].rows[0].value, /serial number is negative/);
  assert.equal(bad.sections[0].rows[0].tone, "error");
  assert.ok(bad.badges.some((b) => b.text === "1 encoding problem" && b.tone === "error"));
  const serial = bad.sections.flatMap((x) => x.rows).find((r) => r.label === "Serial number")!;
  assert.equal(serial.value, "-ff (negative; encoded as FF:01)");
  assert.ok(!clean.sections.some((x) => x.id === "encoding"));
});

test("tree: the object counts its problems, lists them, and marks the field", async () => {
  const result = await inspectBytes(new TextEncoder().encode(pem(policy)), { fileName: "bad.pem" });
  const [obj] = fileNodes(result, { now, warnDays: 30, uri: "file:///w/bad.pem" });
  assert.match(obj.description ?? "", /1 encoding problem/);
  const children = kids(obj);
  assert.equal(children[0].label, "Encoding problems");
  assert.equal(kids(children[0])[0].label, "tbsCertificate.extensions.policyConstraints.requireExplicitPolicy");
  const ext = children.find((c) => c.id.endsWith("/ext"))!;
  assert.equal(ext.icon?.id, "error");
  const pc = kids(ext).find((c) => c.label.includes("olicy"))!;
  assert.equal(pc.icon?.id, "error");
  assert.match(pc.tooltip ?? "", /shown as its bytes/);
  const clean = fileNodes(await inspectBytes(new TextEncoder().encode(pem(CLEAN)), { fileName: "ok.pem" }), { now, warnDays: 30, uri: "file:///w/ok.pem" })[0];
  assert.ok(!kids(clean).some((c) => c.label === "Encoding problems"));
});

test("hover: mentions the count; Problems: lists errors, not for a clean certificate", async () => {
  const e = await entries([negative, CLEAN]);
  const h = hoverMarkdown(e[0], { uri: "file:///w/bad.pem", now, expiryWarningDays: 30, t: defaultT });
  assert.match(h, /\*\*1 encoding problem\*\* \(1 error\)/);
  assert.doesNotMatch(hoverMarkdown(e[1], { uri: "file:///w/bad.pem", now, expiryWarningDays: 30, t: defaultT }), /encoding problem/);
  const d = documentDiagnostics(e, { pemFile: true, embeddedBlocks: true, now, expiryWarningDays: 30 }, defaultT).filter((x) => x.code === "encoding");
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, "error");
  assert.equal(d[0].range.start.line, e[0].block.range.start.line);
  assert.match(d[0].message, /encoding error in tbsCertificate\.serialNumber: the serial number is negative/);
});

test("Problems for a binary file in the viewer: its objects' encoding errors on the first line, containers included", async () => {
  const result = await inspectBytes(negative, { fileName: "bad.der" });
  const d = fileEncodingDiagnostics(result.objects, defaultT);
  assert.equal(d.length, 1);
  assert.deepEqual(d[0].range.start, { line: 0, character: 0 });
  assert.match(d[0].message, /serial number is negative/);
  const nested = fileEncodingDiagnostics([{ kind: "pkcs7", encryption: [], objects: result.objects }], defaultT);
  assert.match(nested[0].message, /^PKCS#7 item 1: /);
  assert.deepEqual(fileEncodingDiagnostics((await inspectBytes(CLEAN, { fileName: "ok.der" })).objects, defaultT), []);
});
