// Replays the recorded transcripts (test/fixtures/tls/*.json, made by record.ts there) through the decoder:
// decoding and decryption are tested without a network, including byte-by-byte delivery and missing keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTranscript, decodeTranscript, type Transcript } from "../../src/core/tls";
import { useNativeCrypto } from "../../src/core/tls/decrypt";
import { seq } from "./helpers";

interface Fixture {
  scenario: string;
  transcript: Transcript;
  expect: { messages: string[]; protocol?: string; category: string | null };
}

const dir = join(__dirname, "../fixtures/tls");
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
const byName = (n: string) => fixtures.find((f) => f.scenario === n)!;

test("there is one fixture per recorded scenario", () => {
  assert.ok(fixtures.length >= 14, `${fixtures.length} fixtures`);
});

for (const f of fixtures) {
  test(`replay ${f.scenario}: same messages as the live run`, () => {
    assert.deepEqual(seq(parseTranscript(f.transcript)), f.expect.messages);
  });

  test(`replay ${f.scenario}: byte-by-byte delivery decodes the same`, () => {
    const events = f.transcript.events.flatMap((e) => (e.hex.match(/../g) ?? []).map((b) => ({ from: e.from, t: e.t, hex: b })));
    assert.deepEqual(seq(parseTranscript({ ...f.transcript, events })), f.expect.messages);
  });
}

test("every transcript decodes the same with the @noble primitives only (no backend crypto)", () => {
  useNativeCrypto(false);
  try {
    for (const f of fixtures) assert.deepEqual(seq(parseTranscript(f.transcript)), f.expect.messages, f.scenario);
  } finally {
    useNativeCrypto(true);
  }
});

test("TLS 1.3 without the key log: encrypted records are listed with sizes, marked undecrypted", () => {
  const f = byName("tls13-aes256-oneway");
  const msgs = parseTranscript({ ...f.transcript, keylog: [] });
  assert.deepEqual(seq(msgs).slice(0, 2), ["client:ClientHello", "server:ServerHello"]);
  const rest = msgs.slice(2);
  assert.ok(rest.length > 0);
  for (const m of rest) {
    assert.equal(m.undecrypted, true);
    assert.equal(m.type, "EncryptedRecord");
    assert.ok((m.length ?? 0) > 0);
  }
});

test("TLS 1.2 without the key log: Finished is still named (first protected message), undecrypted", () => {
  const f = byName("tls12-ecdhe-gcm");
  const msgs = parseTranscript({ ...f.transcript, keylog: [] });
  const fin = msgs.filter((m) => m.type === "Finished");
  assert.equal(fin.length, 2);
  for (const m of fin) assert.equal(m.undecrypted, true);
});

test("TLS 1.3 certificate request: acceptable CAs from certificate_authorities, encrypted alert decoded", () => {
  const d = decodeTranscript(byName("mtls13-required-none").transcript);
  const req = d.messages.find((m) => m.type === "CertificateRequest")!;
  assert.equal(req.encrypted, true);
  assert.deepEqual(req.detail.acceptableIssuers, ["CN=Lab Client CA,O=Lab"]);
  assert.ok((req.detail.signatureAlgorithms as string[]).includes("ecdsa_secp256r1_sha256"));
  const alert = d.messages.at(-1)!;
  assert.deepEqual({ from: alert.from, type: alert.type, encrypted: alert.encrypted, detail: alert.detail }, {
    from: "server",
    type: "Alert",
    encrypted: true,
    detail: { level: "fatal", description: "certificate_required" },
  });
  assert.equal(d.messages.find((m) => m.from === "client" && m.type === "Certificate")!.detail.empty, true);
});

test("TLS 1.2 certificate request: types, signature algorithms and CA names from the message", () => {
  const req = parseTranscript(byName("mtls12-required-none").transcript).find((m) => m.type === "CertificateRequest")!;
  assert.deepEqual(req.detail.acceptableIssuers, ["CN=Lab Client CA,O=Lab"]);
  assert.ok((req.detail.certificateTypes as string[]).includes("rsa_sign"));
  assert.ok((req.detail.signatureAlgorithms as string[]).length > 0);
});

test("server Certificate: the chain as sent, in order", () => {
  const cert = parseTranscript(byName("tls12-rsa-kx").transcript).find((m) => m.from === "server" && m.type === "Certificate")!;
  const certs = cert.detail.certificates as { subject: string; issuer: string }[];
  assert.deepEqual(
    certs.map((c) => c.subject),
    ["CN=localhost,O=Lab RSA", "CN=Lab Issuing CA,O=Lab"],
  );
  assert.equal(certs[0].issuer, "CN=Lab Issuing CA,O=Lab");
});

test("HelloRetryRequest: selected group, second ClientHello key share, negotiated group", () => {
  const d = decodeTranscript(byName("tls13-hello-retry").transcript);
  assert.equal(d.ctx.helloRetry, true);
  assert.equal(d.messages[1].detail.selectedGroup, "secp384r1");
  assert.deepEqual(d.messages[2].detail.keyShares, ["secp384r1"]);
  assert.equal(d.ctx.group, "secp384r1");
});

test("client certificate accepted: the client's Certificate and CertificateVerify decrypted, tickets after", () => {
  const msgs = parseTranscript(byName("mtls13-accepted").transcript);
  const c = msgs.find((m) => m.from === "client" && m.type === "Certificate")!;
  assert.equal((c.detail.certificates as { subject: string }[])[0].subject, "CN=lab-client,O=Lab");
  assert.ok(msgs.some((m) => m.from === "server" && m.type === "NewSessionTicket" && m.encrypted));
});

test("plain HTTP answer: not TLS, the first bytes kept as text", () => {
  const d = decodeTranscript(byName("plain-http").transcript);
  assert.match(d.notTls!.text, /^HTTP\/1\.1 400/);
});

test("TLS 1.0 CBC: chained IVs and the MD5/SHA-1 PRF decrypt both Finished messages", () => {
  const msgs = parseTranscript(byName("tls10-cbc").transcript);
  const fin = msgs.filter((m) => m.type === "Finished");
  assert.equal(fin.length, 2);
  for (const m of fin) assert.deepEqual(m.detail, { verifyDataLength: 12 });
});

test("garbage and truncated input never throw", () => {
  const cases: Transcript[] = [
    { version: 1, events: [{ from: "server", t: 0, hex: "zz" }], keylog: [] },
    { version: 1, events: [{ from: "client", t: 0, hex: "16030100ff0100" }], keylog: [] },
    { version: 1, events: [{ from: "server", t: 0, hex: "160303000502000001ff" }], keylog: ["nonsense"] },
    { version: 1, events: [{ from: "server", t: 0, hex: "1503030002" }], keylog: [] },
    { version: 1, events: [], keylog: [] },
  ];
  for (const t of cases) assert.doesNotThrow(() => decodeTranscript(t));
  const mal = decodeTranscript(cases[2]);
  assert.match(String(mal.messages[0]?.detail.error ?? ""), /malformed/);
});

test("a corrupted encrypted record is listed as undecrypted, not dropped", () => {
  const f = byName("tls13-aes256-oneway");
  const events = f.transcript.events.map((e, i) => (e.from === "server" && i === 1 ? { ...e, hex: e.hex.slice(0, -4) + (e.hex.endsWith("00") ? "0101" : "0000") } : e));
  const msgs = parseTranscript({ ...f.transcript, events });
  assert.ok(msgs.some((m) => m.undecrypted), JSON.stringify(seq(msgs)));
});
