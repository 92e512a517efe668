// The sentences src/core writes for the editor (chain problems, decode errors, encoding findings, OCSP results)
// come out in the host's language: representative cases run with a recording translation (each core message's
// German between ⟦ ⟧) and every displayed sentence must consist of marked messages only, so a sentence that
// skipped translation, or a message without German, fails. The decoding worker gets the same bundle with each
// request. Without a bundle (the CLI) nothing is translated.
import "reflect-metadata";
import { test, after } from "node:test";
import assert from "node:assert/strict";
// @ts-expect-error — a plain .mjs script without types
import { extract, readBundle } from "../scripts/l10n.mjs";
import { l10nBundle, useL10nBundle, type L10nBundle } from "../src/core/l10n";
import { verifyChain, type VerifyOptions } from "../src/core/chain";
import { evaluateOcspResponse, inspectBytesSync } from "../src/core/pki";
import { checkOcsp, clearOcspCache } from "../src/core/revocation";
import { handleDecode } from "../src/core/decodeWorker";
import { inspectInWorker, stopDecodeWorker } from "../src/adapters/decodeWorker";
import { CA_KU, EKU, generalizedNotBefore, makeCert, nameConstraints, newKeys, reissue, standardChain, type Issuer } from "./chain/kit";
import { makeOcspLab } from "./revocation/kit";
import { closedPort } from "./tls/helpers";
import { Lab } from "./pki/helpers";
import { analyzeText } from "../src/core/doc/analyze";
import { decodeCertificate, inspectBytes } from "../src/core/pki";

const de = readBundle("l10n/bundle.l10n.de.json") as L10nBundle;
const { messages } = extract() as { messages: Map<string, string[]> };
const coreMessages = [...messages].filter(([, at]) => at.some((w) => w.startsWith("src/core/"))).map(([m]) => m);
/** Each core message's German, marked; a message without German is left out, so its output stays unmarked. */
const recording: L10nBundle = Object.fromEntries(coreMessages.filter((m) => de[m]).map((m) => [m, `⟦${de[m]}⟧`]));

const AT = new Date("2026-06-01T00:00:00Z");
const base: VerifyOptions = { useSystemRoots: false, at: AT, host: "localhost" };
const lab = new Lab("l10n-core");
after(async () => {
  useL10nBundle(undefined);
  await stopDecodeWorker();
  lab.cleanup();
});

/** What is left of a text once every marked (translated) message is taken out, innermost first. */
function unmarked(s: string): string {
  let rest = s;
  for (let prev = ""; prev !== rest; ) {
    prev = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, "");
  }
  return rest;
}

function assertTranslated(texts: string[], what: string): void {
  assert.ok(texts.length > 0, `${what}: nothing was displayed`);
  for (const s of texts) {
    assert.ok(s.includes("⟦"), `${what}: not translated: ${JSON.stringify(s)}`);
    assert.doesNotMatch(unmarked(s), /[A-Za-z]/, `${what}: words outside any translated message (or a message without German): ${JSON.stringify(s)}`);
  }
}

async function inBundle<T>(bundle: L10nBundle | undefined, fn: () => Promise<T> | T): Promise<T> {
  useL10nBundle(bundle);
  try {
    return await fn();
  } finally {
    useL10nBundle(undefined);
  }
}

const problemTexts = (r: Awaited<ReturnType<typeof verifyChain>>) => [...r.problems, ...(r.alternatives ?? []).flatMap((a) => a.problems)].map((p) => p.message);

test("the recording translation covers core: hundreds of messages, every one with German", () => {
  assert.ok(coreMessages.length > 300, `only ${coreMessages.length} core messages found: the extractor misses src/core`);
  assert.deepEqual(coreMessages.filter((m) => !de[m]), []);
});

test("chain problems in German: expired, hostname mismatch, untrusted root, name constraints, path length", async () => {
  const past = { notBefore: new Date("2024-01-01T00:00:00Z"), notAfter: new Date("2026-01-01T00:00:00Z") };
  const expired = await standardChain(past);
  const c = await standardChain();
  const ncIca = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: true }, keyUsage: CA_KU, nameConstraints: nameConstraints({ permitted: ["example.test", "127.0.0.0/8"] }) });
  const ica2: Issuer = { name: "CN=Second CA", keys: await newKeys() };
  const ica2Der = await makeCert({ subject: ica2.name, keys: ica2.keys, issuer: c.ica, ca: { ca: true }, keyUsage: CA_KU });
  const leaf2 = await makeCert({ subject: "CN=l", keys: c.leafKeys, issuer: ica2, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  const cases: [string, string, () => ReturnType<typeof verifyChain>][] = [
    ["expired", "expired", () => verifyChain([expired.leafDer, expired.icaDer], { ...base, trusted: [expired.rootDer] })],
    ["hostname mismatch", "hostname_mismatch", () => verifyChain([c.leafDer, c.icaDer], { ...base, host: "other.test", trusted: [c.rootDer] })],
    ["untrusted root", "untrusted_root", () => verifyChain([c.leafDer, c.icaDer, c.rootDer], base)],
    ["name constraints", "name_constraints", () => verifyChain([c.leafDer, ncIca], { ...base, trusted: [c.rootDer] })],
    ["path length", "path_length_exceeded", () => verifyChain([leaf2, ica2Der, c.icaDer], { ...base, trusted: [c.rootDer] })],
  ];
  for (const [what, code, run] of cases) {
    const english = await run();
    assert.ok(english.problems.some((p) => p.code === code), `${what}: ${JSON.stringify(english.problems)}`);
    assert.ok(problemTexts(english).every((m) => !m.includes("⟦")), `${what}: English without a bundle`);
    const marked = await inBundle(recording, run);
    assert.deepEqual(marked.problems.map((p) => p.code), english.problems.map((p) => p.code), `${what}: the same problems`);
    assertTranslated(problemTexts(marked), what);
  }
  // And with the real German bundle the words are German (RFC references and field names kept as they are).
  const german = await inBundle(de, cases[0][2]);
  assert.match(german.problems[0].message, /^Das Zertifikat 'CN=localhost' ist am 2026-01-01 abgelaufen \(151 Tage vor dem Prüfzeitpunkt\)\.$/);
  const pathLen = await inBundle(de, cases[4][2]);
  assert.match(pathLen.problems[0].message, /erlaubt 0 Zwischen-CAs unter sich \(pathLenConstraint\), aber in dieser Kette folgen 1 \(RFC 5280 §4\.2\.1\.9\)\.$/);
});

test("decode errors and encoding findings in German: truncated DER, wrong PKCS#12 password, GeneralizedTime before 2050", async () => {
  const c = await standardChain();
  const truncated = c.leafDer.slice(0, 120);
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=l10n.test", "-days", "2", "-out", "c.pem"]);
  lab.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:right", "-out", "c.p12"]);
  const p12 = new Uint8Array(lab.read("c.p12"));
  const generalized = await reissue(c.leafDer, generalizedNotBefore, { keys: c.ica.keys });
  const runs: [string, () => string[]][] = [
    ["truncated DER", () => inspectBytesSync(truncated, { fileName: "cut.der" }).errors.map((e) => e.message)],
    ["truncated PEM", () => inspectBytesSync(new TextEncoder().encode(pem(truncated)), { fileName: "cut.pem" }).errors.map((e) => e.message)],
    ["wrong PKCS#12 password", () => inspectBytesSync(p12, { fileName: "c.p12", password: "wrong" }).errors.map((e) => e.message)],
    ["encoding finding", () => inspectBytesSync(generalized, { fileName: "g.der" }).objects.flatMap((o) => ("findings" in o ? (o.findings ?? []) : []).map((f) => f.message))],
  ];
  for (const [what, run] of runs) {
    const english = run();
    assert.ok(english.length > 0 && english.every((m) => !m.includes("⟦")), `${what}: ${JSON.stringify(english)}`);
    assertTranslated(await inBundle(recording, run), what);
  }
  const wrong = await inBundle(de, runs[2][1]);
  assert.match(wrong.join("\n"), /falsches Passwort für die PKCS#12-Datei/);
  // The problem the same finding makes in a chain check is German too.
  const r = await inBundle(recording, () => verifyChain([generalized, c.icaDer], { ...base, trusted: [c.rootDer] }));
  assertTranslated(problemTexts(r), "GeneralizedTime problem");
});

test("hover and Problems: a broken block's error is German, without the translated 'at line' locator", async () => {
  const text = ["-----BEGIN CERTIFICATE-----", "MIIB", "-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----", "MIIBx!", "-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----", "AQIDBA==", "-----END CERTIFICATE-----"].join("\n");
  const run = () => analyzeText(text, { summary: true, now: AT, expiryWarningDays: 30 }, { decodeCertificate, inspectBytes });
  const english = (await run()).map((e) => e.error ?? "");
  const marked = (await inBundle(recording, run)).map((e) => e.error ?? "");
  assertTranslated(marked, "document entries");
  const german = (await inBundle(de, run)).map((e) => e.error ?? "");
  for (const [i, e] of german.entries()) {
    assert.doesNotMatch(e, /in Zeile \d+: /, `entry ${i}: the locator is stripped as in English (${english[i]})`);
    assert.notEqual(e, english[i]);
  }
});

test("an OCSP 'revoked' answer in German: the evaluation and the responder's status", async () => {
  const ocsp = await makeOcspLab({ deadPort: await closedPort() });
  try {
    const english = evaluateOcspResponse(ocsp.respond("revoked.pem"), ocsp.revoked, ocsp.ca);
    assert.equal(english.status, "revoked", english.detail);
    assert.match(english.detail, /^signed by CN=OCSP Lab Responder \(delegated by CN=OCSP Lab CA\)$/);
    const marked = await inBundle(recording, () => evaluateOcspResponse(ocsp.respond("revoked.pem"), ocsp.revoked, ocsp.ca));
    assert.equal(marked.status, "revoked");
    assertTranslated([marked.detail, marked.signer!], "OCSP evaluation");
    clearOcspCache();
    const status = await inBundle(recording, () => checkOcsp(ocsp.revoked, ocsp.ca, {}));
    assert.equal(status.status, "revoked", status.detail);
    assertTranslated([status.detail], "OCSP status");
    clearOcspCache();
    const german = await inBundle(de, () => checkOcsp(ocsp.revoked, ocsp.ca, {}));
    assert.match(german.detail, /^OCSP-Responder http:\/\/127\.0\.0\.1:\d+\S*: widerrufen \(revoked\); signiert von CN=OCSP Lab Responder \(beauftragt von CN=OCSP Lab CA\)/);
  } finally {
    clearOcspCache();
    await ocsp.close();
  }
});

test("the decoding worker answers in the host's language: its message handler with a bundle, and the real thread", async () => {
  const c = await standardChain();
  const truncated = c.leafDer.slice(0, 120);
  const req = { id: 1, bytes: truncated, opts: { fileName: "cut.der" } };
  const english = handleDecode(req);
  assert.ok("result" in english && english.result.errors.length > 0);
  const englishTexts = english.result.errors.map((e) => e.message);
  assert.ok(englishTexts.every((m) => !m.includes("⟦")));
  const marked = handleDecode({ ...req, l10n: recording });
  assert.ok("result" in marked);
  assertTranslated(marked.result.errors.map((e) => e.message), "worker handler");
  // The handler sets the language of each request: one without a bundle is English again.
  assert.deepEqual(handleDecode(req), english);
  useL10nBundle(undefined);

  // Through the thread: the host's bundle (set as adapters/config.ts does) travels with the request.
  const viaThread = await inBundle(recording, async () => {
    assert.equal(l10nBundle(), recording);
    return inspectInWorker(truncated, { fileName: "cut.der" });
  });
  assertTranslated(viaThread.errors.map((e) => e.message), "worker thread");
  const germanThread = await inBundle(de, () => inspectInWorker(truncated, { fileName: "cut.der" }));
  assert.notDeepEqual(germanThread.errors, english.result.errors);
  assert.deepEqual((await inspectInWorker(truncated, { fileName: "cut.der" })).errors, english.result.errors, "English again when the host has no bundle");
});

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
