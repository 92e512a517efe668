/**
 * Certificates without PEM armour (src/core/doc/der64.ts, merged into locateBlocks): JWKS x5c arrays, "MII…"
 * JSON strings, base64 wrapped as Java writes it — found with exact ranges, decoded, and surfaced by hover,
 * Outline and diagnostics; ordinary base64 never taken for a certificate (measured on a generated corpus).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { iterateBlocks, locateBlocks } from "../../src/core/doc/locate";
import { hasCertificateShape, iterateBase64Certificates } from "../../src/core/doc/der64";
import { analyzeText } from "../../src/core/doc/analyze";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import { hoverMarkdown } from "../../src/adapters/hover/markdown";
import { documentSymbols } from "../../src/adapters/symbols/map";
import { documentDiagnostics } from "../../src/adapters/diagnostics/map";
import { defaultT } from "../../src/adapters/documents/describe";
import { makeCorpus, makeDerSamples } from "../../scripts/bench/lib/base64-corpus.mjs";
import { fixtures } from "./fixtures";

const decoder = { decodeCertificate, inspectBytes };
const samples = makeDerSamples();
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");

test("x5c, JSON strings, wrapped base64, a YAML value: each certificate found with its exact range", async () => {
  const f = await fixtures();
  const good = b64(derOf(f.good));
  const tiny = b64(samples.certs[3]); // 213 bytes: "MIH…"
  const wrapped = good.match(/.{1,76}/g)!.join("\n    ");
  const text = [
    `{"keys":[{"kty":"EC","x5c":["${good}","${tiny}"]}],`,
    `"java": "`,
    `    ${wrapped}`,
    `"}`,
    `ca.der: ${good}`,
    ``,
  ].join("\n");
  const { blocks } = locateBlocks(text);
  assert.deepEqual(
    blocks.map((b) => [b.encoding, b.label, b.line, b.endLine, text.slice(b.startOffset, b.endOffset).replace(/\s+/g, "")]),
    [
      ["base64-der", "CERTIFICATE", 1, 1, good],
      ["base64-der", "CERTIFICATE", 1, 1, tiny],
      ["base64-der", "CERTIFICATE", 3, 3 + wrapped.split("\n").length - 1, good],
      ["base64-der", "CERTIFICATE", 5 + wrapped.split("\n").length - 1, 5 + wrapped.split("\n").length - 1, good],
    ],
  );
  assert.equal(blocks[0].range.start.character, `{"keys":[{"kty":"EC","x5c":["`.length);
  assert.ok(blocks.every((b) => b.embedded && b.kind === "certificate" && b.pem?.startsWith("-----BEGIN CERTIFICATE-----\n")));
  assert.deepEqual(blocks.map((b) => b.index), [0, 1, 2, 3]);
});

test("not certificates: keys, CSRs, PKCS#7, truncated or extended certificates, PEM bodies, base64 of text", async () => {
  const f = await fixtures();
  const cert = b64(samples.certs[0]);
  const rows: [string, string][] = [
    ...samples.others.map((o): [string, string] => [o.what, `"${b64(o.der)}"`]),
    ["a certificate cut short", `"${cert.slice(0, -8)}"`],
    ["a certificate with more base64 after it", `"${cert}QUJD"`],
    ["a certificate inside a longer run", `"QUJD${cert}"`],
    ["a certificate with one byte changed in its length", `"${b64(Buffer.concat([Buffer.from([0x30, 0x82]), Buffer.from([samples.certs[0][2], samples.certs[0][3] - 1]), samples.certs[0].subarray(4, -1)]))}"`],
    ["the words MII, MIME, MIT", "MII MIME MIT License MIIIIIII"],
    ["base64 of a sentence", `"${Buffer.from("MII is how a certificate starts, but this is prose. ".repeat(20)).toString("base64")}"`],
  ];
  for (const [name, text] of rows) assert.deepEqual(locateBlocks(text).blocks, [], name);
  // A PEM file: its body is base64 too, but the block is found once, as PEM.
  const pem = locateBlocks(f.good + f.expired).blocks;
  assert.deepEqual(pem.map((b) => b.encoding), ["plain", "plain"]);
  // Kubernetes base64 of a whole PEM file: the base64-wrapped PEM block only.
  assert.deepEqual(locateBlocks(`tls.crt: ${Buffer.from(f.good).toString("base64")}\n`).blocks.map((b) => b.encoding), ["base64-secret"]);
});

test("hasCertificateShape: real certificates pass; every other DER sample and every truncation fails", () => {
  for (const c of samples.certs) assert.ok(hasCertificateShape(new Uint8Array(c)));
  for (const o of samples.others) assert.ok(!hasCertificateShape(new Uint8Array(o.der)), o.what);
  const c = new Uint8Array(samples.certs[1]);
  for (let n = 0; n < c.length; n += 7) assert.ok(!hasCertificateShape(c.subarray(0, n)), `cut at ${n}`);
});

test("false positives on a generated corpus (package-lock hashes, JWTs, random blobs, DER lookalikes, keys, CSRs): none; every certificate found", () => {
  const { text, expected } = makeCorpus({ scale: 2, seed: "unit", samples });
  const found = locateBlocks(text).blocks.filter((b) => b.encoding === "base64-der");
  const want = new Set(expected);
  const falsePositives = found.filter((b) => !want.has(b.startOffset));
  const got = new Set(found.map((b) => b.startOffset));
  const missed = expected.filter((o) => !got.has(o));
  console.log(`base64 DER corpus: ${(text.length / 1048576).toFixed(1)} MB, ${expected.length} certificates, ${found.length} found, ${falsePositives.length} false positives, ${missed.length} missed`);
  assert.equal(falsePositives.length, 0, `false positives at ${falsePositives.map((b) => b.line).join(", ")}`);
  assert.deepEqual(missed, []);
  assert.ok(expected.length > 50);
});

test("bounded: adversarial runs of DER headers cost linear time, and the search yields while it works", () => {
  // 20,000 lines that each announce a 60 KB SEQUENCE and then stop: every collection ends at its line.
  const head = "MIIoAjCC";
  const text = `${head}AAAA\n`.repeat(20_000) + `x${head}${"A".repeat(70_000)}`;
  let steps = 0;
  let hits = 0;
  for (const h of iterateBase64Certificates(text, { step: 64 * 1024 })) {
    steps++;
    if (h) hits++;
  }
  assert.equal(hits, 0);
  assert.ok(steps >= 3, "yields while searching");
});

test("analysis, hover, Outline and Problems see a certificate from a JWKS x5c entry", async () => {
  const f = await fixtures();
  const text = `{"keys":[{"x5c":["${b64(derOf(f.good))}","${b64(derOf(f.expired))}"]}]}\n`;
  const entries = await analyzeText(text, { summary: false, now: f.now, expiryWarningDays: 30 }, decoder);
  assert.deepEqual(
    entries.map((e) => [e.block.encoding, e.object?.kind, e.object?.kind === "certificate" ? e.object.subject.text : "", e.error]),
    [
      ["base64-der", "certificate", "O=CertScope Test,CN=good.example", undefined],
      ["base64-der", "certificate", "O=CertScope Test,CN=old.example", undefined],
    ],
  );
  const hover = hoverMarkdown(entries[0], { uri: "file:///w/jwks.json", now: f.now, expiryWarningDays: 30, t: defaultT });
  assert.match(hover, /good\\\.example/);
  assert.match(hover, /without PEM armour/);
  const symbols = documentSymbols(entries, f.now, 30, defaultT);
  assert.equal(symbols.length, 2);
  assert.match(JSON.stringify(symbols), /good\.example/);
  const problems = documentDiagnostics(entries, { pemFile: false, embeddedBlocks: true, now: f.now, expiryWarningDays: 30 }, defaultT);
  assert.deepEqual(problems.map((d) => d.code), ["expired"]);
  assert.deepEqual(problems[0].range, entries[1].block.range);
});

test("the block cap counts base64 DER certificates too, and says where it stopped", () => {
  const line = `"${b64(samples.certs[1])}",\n`;
  const { blocks, truncated } = locateBlocks(line.repeat(30), { maxBlocks: 25 });
  assert.equal(blocks.length, 25);
  assert.match(truncated ?? "", /only the first 25 blocks were read; the rest of the file \(from line 26\) was skipped/);
});

test("JSON string escapes: PHP's \\/ inside the base64, and two certificates in one string joined by \\n", () => {
  const a = b64(samples.certs[0]);
  const c = b64(samples.certs[1]);
  const php = a.replace(/\//g, "\\/");
  assert.ok(php.includes("\\/"), "the sample has a / to escape");
  const text = `{"x5c":["${php}"],"pem":"${a.match(/.{1,64}/g)!.join("\\n")}\\n${c}"}`;
  const blocks = locateBlocks(text).blocks;
  assert.equal(blocks.length, 3);
  assert.deepEqual(blocks.map((b) => Buffer.from(b.der!).equals(samples.certs[0])), [true, true, false]);
  assert.ok(Buffer.from(blocks[2].der!).equals(samples.certs[1]));
  assert.equal(text.slice(blocks[0].startOffset, blocks[0].endOffset), php);
});

test("certscope inspect (and the Certificates view, which reads through inspectBytes) decodes x5c certificates with their lines", async () => {
  const text = `{\n  "keys": [ { "x5c": [\n    "${b64(samples.certs[1])}",\n    "${b64(samples.certs[3])}" ] } ],\n  "key": "${b64(samples.others[0].der)}"\n}\n`;
  const r = await inspectBytes(new TextEncoder().encode(text), { fileName: "jwks.json" });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.objects.map((o) => [o.kind, o.line, o.kind === "certificate" ? o.subject.text : ""]),
    [
      ["certificate", 3, "CN=ec.example"],
      ["certificate", 4, "CN=a"],
    ],
  );
  // Only base64 that is not a certificate: still "not a PKI file".
  const none = await inspectBytes(new TextEncoder().encode(`{"key": "${b64(samples.others[0].der)}"}`), { fileName: "k.json" });
  assert.equal(none.objects.length, 0);
  assert.match(none.errors[0].message, /not a PKI file/);
});

test("the merged locator still gives its caller a step between any two blocks (the editor yields to its event loop there)", async () => {
  const f = await fixtures();
  const x5c = `"${b64(samples.certs[1])}",\n`;
  const steps = [...iterateBlocks(f.good.repeat(40) + x5c.repeat(40))];
  const blocks = steps.filter(Boolean).length;
  assert.equal(blocks, 80);
  assert.ok(steps.filter((s) => s === null).length >= blocks, "a null step per block found");
});
