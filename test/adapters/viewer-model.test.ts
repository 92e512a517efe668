import { test } from "node:test";
import assert from "node:assert/strict";
import { inspectBytes } from "../../src/core/pki";
import { buildViewerState, errorState, lockedState, summarize } from "../../src/adapters/editor/viewModel";
import { parseHostMessage } from "../../src/shared/protocol/viewer";
import type { CertificateModel, InspectResult } from "../../src/shared/model";
import { fixtures } from "../doc/fixtures";
import { standardChain } from "../chain/kit";

async function inspect(bytes: Uint8Array | string, fileName: string): Promise<InspectResult> {
  return inspectBytes(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes, { fileName });
}

const rowsOf = (state: ReturnType<typeof buildViewerState>, obj: number, section: string) => state.objects[obj].sections.find((s) => s.id === section)!.rows;

test("viewer: a DER certificate reads in order — for whom, by whom, when, for what, the key, the rest", async () => {
  const { leafDer } = await standardChain();
  const now = new Date("2026-06-01T00:00:00Z");
  const result = await inspect(leafDer, "leaf.der");
  const state = buildViewerState({ fileName: "leaf.der", result, now, warnDays: 30, isText: false });
  assert.equal(state.status, "ready");
  assert.equal(state.fileName, "leaf.der");
  assert.equal(state.summary, "1 certificate");
  const [o] = state.objects;
  assert.equal(o.title, "localhost");
  assert.equal(o.subtitle, "issued by Issuing CA");
  assert.deepEqual(
    o.sections.map((s) => s.id),
    ["subject", "issuer", "validity", "usage", "key", "extensions"],
  );
  assert.deepEqual(o.actions, ["exportPem", "exportDer", "validateChain", "checkRevocation"]);
  const subject = rowsOf(state, 0, "subject");
  assert.ok(subject.some((r) => r.label === "Common name (CN)" && r.value === "localhost"));
  assert.ok(subject.some((r) => r.value === "DNS:*.example.test"));
  const issuer = rowsOf(state, 0, "issuer");
  assert.ok(issuer.some((r) => r.value === "Issuing CA"));
  assert.ok(issuer.some((r) => r.value === "CN=Issuing CA,O=CertScope Tests" && r.copy));
  const validity = rowsOf(state, 0, "validity");
  assert.deepEqual(
    validity.map((r) => [r.label, r.value]),
    [
      ["Not before", "2025-01-01 00:00:00 UTC"],
      ["Not after", "2030-01-01 00:00:00 UTC"],
      ["Status", "expires in 1310 days"],
    ],
  );
  const usage = rowsOf(state, 0, "usage");
  assert.ok(usage.some((r) => r.label === "Certificate authority" && /^no/.test(r.value)));
  assert.deepEqual(
    usage.map((r) => [r.label, r.value]),
    [
      ["Certificate authority", "no — end-entity certificate"],
      ["Basic constraints", "CA: false"],
      ["Key usage", "digitalSignature"],
      ["Extended key usage", "serverAuth"],
    ],
  );
  assert.match(usage[3].note!, /^extKeyUsage · 2\.5\.29\.37$/);
  assert.ok(rowsOf(state, 0, "key").some((r) => r.label === "Curve" && r.value === "P-256"));
  const rest = rowsOf(state, 0, "extensions");
  const model = result.objects[0] as CertificateModel;
  assert.ok(rest.some((r) => r.label === "SHA-256 fingerprint" && r.value.replace(/:/g, "").toLowerCase() === model.fingerprints.sha256));
  assert.ok(rest.some((r) => r.label === "Subject key identifier"));
  assert.ok(!rest.some((r) => r.label === "subjectAltName"), "SANs are shown under the subject, not again");
  assert.ok(o.badges.some((b) => b.text === "end entity"));

  // What the page receives passes its own guard after a JSON round trip.
  const msg = parseHostMessage(JSON.parse(JSON.stringify({ type: "viewer/state", state })));
  assert.equal(msg?.type, "viewer/state");
});

test("viewer: a PEM bundle with a key, CSR, CRL and broken block — and never key material", async () => {
  const f = await fixtures();
  // The fixture's CRL is labelled "CRL"; OpenSSL and the core read "X509 CRL".
  const crlPem = f.crl.replace(/-----(BEGIN|END) CRL-----/g, "-----$1 X509 CRL-----");
  const text = f.good + f.key + f.csr + crlPem + f.expired + "-----BEGIN CERTIFICATE-----\nMIIB!!\n-----END CERTIFICATE-----\n";
  const state = buildViewerState({ fileName: "all.pem", result: await inspect(text, "all.pem"), now: f.now, warnDays: 30, isText: true });
  assert.equal(state.status, "ready");
  assert.equal(state.summary, "2 certificates, 1 private key, 1 certificate request, 1 revocation list");
  assert.deepEqual(
    state.objects.map((o) => o.kind),
    ["certificate", "privateKey", "csr", "crl", "certificate"],
  );
  assert.ok(state.objects[0].actions.includes("revealBlock"), "PEM objects can be shown in the text editor");
  // A long bundle starts compact: only the first certificate's sections are open.
  assert.ok(state.objects[0].sections.every((s) => s.open));
  assert.ok(state.objects.slice(1).every((o) => o.sections.every((s) => !s.open)));
  assert.deepEqual(state.objects[1].actions, ["revealBlock"], "keys are never exported");
  assert.equal(state.errors.length, 1);
  assert.ok(state.notices.some((n) => /private key/.test(n.text)));
  const expired = state.objects[4];
  assert.ok(expired.badges.some((b) => b.text === "expired 10 days ago" && b.tone === "error"));
  const csr = state.objects[2];
  assert.deepEqual(
    csr.sections.map((s) => s.id),
    ["subject", "usage", "key", "extensions"],
  );
  assert.ok(csr.badges.some((b) => b.text === "signature valid"));
  const crl = state.objects[3];
  assert.deepEqual(
    crl.sections.map((s) => s.id),
    ["issuer", "validity", "entries", "extensions"],
  );
  const json = JSON.stringify(state);
  assert.ok(!json.includes("-----BEGIN"), "no PEM text in the state");
  for (const l of f.key.split("\n").filter((x) => x && !x.startsWith("-----"))) assert.ok(!json.includes(l.slice(0, 20)), "no key material in the state");
});

test("viewer: errors and locked files name the file, never a blank page", async () => {
  const notPki = await inspect("hello world, nothing here\n", "notes.txt");
  const s1 = buildViewerState({ fileName: "notes.txt", result: notPki, now: new Date(), warnDays: 30, isText: true });
  assert.equal(s1.status, "error");
  assert.match(s1.message!, /notes\.txt/);

  const truncated = await inspect(new Uint8Array([0x30, 0x82, 0x05, 0x00, 0x30, 0x82]), "cut.der");
  const s2 = buildViewerState({ fileName: "cut.der", result: truncated, now: new Date(), warnDays: 30, isText: false });
  assert.equal(s2.status, "error");
  assert.match(s2.message!, /^cut\.der could not be decoded: /);
  assert.equal(s2.errors.length, 0, "a single error is not repeated under the message");

  const e = errorState("x.p12", "x.p12 could not be opened: boom");
  assert.equal(e.status, "error");
  assert.equal(e.objects.length, 0);

  const partial = buildViewerState({
    fileName: "a.p12",
    result: { file: "a.p12", objects: [{ kind: "pkcs12", encryption: ["PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)", "MAC: HMAC-SHA256"], legacy: false, objects: [] }], errors: [] },
    now: new Date(),
    warnDays: 30,
    isText: false,
    locked: true,
  });
  assert.equal(partial.objects[0].subtitle, "unknown until the password is given");
  const locked = lockedState("a.p12", "a.p12 is password-protected.", undefined, partial);
  assert.equal(locked.status, "locked");
  assert.equal(locked.message, "a.p12 is password-protected.");
  assert.ok(rowsOf(locked, 0, "contents").some((r) => r.value === "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)"), "encryption shows even while locked");
  assert.equal(lockedState("b.p12", "locked").objects.length, 0);
});

test("viewer: legacy PKCS#12 algorithms are warned about", () => {
  const state = buildViewerState({
    fileName: "old.pfx",
    result: {
      file: "old.pfx",
      objects: [{ kind: "pkcs12", encryption: ["pbeWithSHAAnd40BitRC2-CBC", "pbeWithSHAAnd3-KeyTripleDES-CBC", "MAC: HMAC-SHA1"], legacy: true, objects: [{ kind: "privateKey", encrypted: true, publicKey: { algorithm: "RSA", bits: 2048 } }] }],
      errors: [],
    },
    now: new Date(),
    warnDays: 30,
    isText: false,
  });
  assert.ok(state.notices.some((n) => n.tone === "warning" && /legacy algorithms \(pbeWithSHAAnd40BitRC2-CBC/.test(n.text)));
  assert.ok(state.objects[0].badges.some((b) => b.text === "legacy encryption"));
  assert.equal(state.objects[1].depth, 1);
  assert.deepEqual(state.objects[1].actions, []);
});

test("viewer: summaries count each kind", () => {
  assert.equal(summarize([]), "");
  assert.equal(
    summarize([
      { kind: "publicKey", publicKey: { algorithm: "Ed25519" } },
      { kind: "publicKey", publicKey: { algorithm: "Ed25519" } },
    ]),
    "2 public keys",
  );
});

test("viewer: a huge bundle is capped with a notice, indexes stay the file's", async () => {
  const f = await fixtures();
  const r = await inspect(f.good + f.expired + f.expiring + f.future, "many.pem");
  const state = buildViewerState({ fileName: "many.pem", result: r, now: f.now, warnDays: 30, isText: true, maxObjects: 2 });
  assert.equal(state.objects.length, 2);
  assert.deepEqual(state.objects.map((o) => o.index), [0, 1]);
  assert.equal(state.summary, "4 certificates");
  assert.ok(state.notices.some((n) => n.text === "Showing the first 2 of 4 objects. The Certificates view and the text editor list them all."));
});
