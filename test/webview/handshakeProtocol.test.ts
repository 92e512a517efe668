import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyForm, parseForm, parseHandshakeMessage, parseTarget, isHandshakeHostMessage } from "../../src/shared/protocol/handshake";

const form = { ...emptyForm(), host: "localhost", port: 8443 };

const valid: [string, unknown, string][] = [
  ["ready", { type: "ready" }, "ready"],
  ["run", { type: "handshake/run", id: 1, form }, "handshake/run"],
  ["check", { type: "handshake/check", id: 2, form }, "handshake/check"],
  ["cancel", { type: "handshake/cancel", id: 3 }, "handshake/cancel"],
  ["pick", { type: "handshake/pick", id: 4, role: "pfx", form }, "handshake/pick"],
  ["action", { type: "handshake/action", id: 5, action: "copyCurl", form }, "handshake/action"],
  ["openCert", { type: "handshake/action", id: 6, action: "openCert", index: 2, form }, "handshake/action"],
  ["loadEndpoint", { type: "handshake/loadEndpoint", id: 7, index: 0 }, "handshake/loadEndpoint"],
  ["recent", { type: "handshake/recent", id: 8, runId: "r1", rerun: true }, "handshake/recent"],
  ["useLab", { type: "handshake/useLab", id: 9, withClientCert: false }, "handshake/useLab"],
];
for (const [name, msg, type] of valid) {
  test(`protocol accepts ${name}`, () => {
    const r = parseHandshakeMessage(msg);
    assert.ok(!("invalid" in r), JSON.stringify(r));
    assert.equal((r as { type: string }).type, type);
  });
}

const invalid: [string, unknown, RegExp, number | undefined][] = [
  ["not an object", "hi", /without a type/, undefined],
  ["no id", { type: "handshake/run", form }, /without a valid id/, undefined],
  ["negative id", { type: "handshake/cancel", id: -1 }, /without a valid id/, undefined],
  ["unknown type", { type: "handshake/nope", id: 1 }, /unknown message type/, 1],
  ["bad form", { type: "handshake/run", id: 2, form: { ...form, port: "x" } }, /port/, 2],
  ["bad trust", { type: "handshake/run", id: 3, form: { ...form, trust: "all" } }, /trust/, 3],
  ["bad kind", { type: "handshake/check", id: 4, form: { ...form, credentialKind: "jks" } }, /credentialKind/, 4],
  ["bad version", { type: "handshake/run", id: 5, form: { ...form, tlsMin: "1.4" } }, /tlsMin/, 5],
  ["timeout", { type: "handshake/run", id: 6, form: { ...form, timeoutMs: 1e9 } }, /timeoutMs/, 6],
  ["huge host", { type: "handshake/run", id: 7, form: { ...form, host: "x".repeat(5000) } }, /host/, 7],
  ["unknown action", { type: "handshake/action", id: 8, action: "rm", form }, /unknown action/, 8],
  ["openCert without index", { type: "handshake/action", id: 9, action: "openCert", form }, /index/, 9],
  ["pick role", { type: "handshake/pick", id: 10, role: "ssh", form }, /pick role/, 10],
  ["recent without runId", { type: "handshake/recent", id: 11, rerun: false }, /runId/, 11],
  ["useLab flag", { type: "handshake/useLab", id: 12 }, /withClientCert/, 12],
  ["caFiles", { type: "handshake/run", id: 13, form: { ...form, caFiles: [1] } }, /caFiles/, 13],
];
for (const [name, msg, want, id] of invalid) {
  test(`protocol rejects ${name} (and keeps the id to answer it)`, () => {
    const r = parseHandshakeMessage(msg) as { invalid?: string; id?: number };
    assert.match(r.invalid ?? "", want);
    assert.equal(r.id, id);
  });
}

test("parseForm copies only known fields", () => {
  const f = parseForm({ ...form, extra: "x", passphrase: "nope" });
  assert.ok(!("invalid" in f));
  assert.ok(!("passphrase" in f) && !("extra" in f));
});

const targets: [string, number | null, { host: string; port: number } | RegExp][] = [
  ["example.com", 443, { host: "example.com", port: 443 }],
  ["example.com:8443", 443, { host: "example.com", port: 8443 }],
  ["https://example.com/path?q", null, { host: "example.com", port: 443 }],
  ["https://user@example.com:9443/", null, { host: "example.com", port: 9443 }],
  ["ldaps://dc.corp", null, { host: "dc.corp", port: 636 }],
  ["[::1]:4433", null, { host: "::1", port: 4433 }],
  ["::1", 443, { host: "::1", port: 443 }],
  ["", 443, /Enter a host/],
  ["a b", 443, /not a host/],
  ["example.com:99999", 443, /Port must be/],
  ["example.com", null, /Port must be/],
];
for (const [input, port, want] of targets) {
  test(`parseTarget ${JSON.stringify(input)}`, () => {
    const r = parseTarget(input, port);
    if (want instanceof RegExp) assert.match((r as { error: string }).error, want);
    else assert.deepEqual(r, want);
  });
}

test("host message guard", () => {
  assert.ok(isHandshakeHostMessage({ type: "handshake/response", id: 1, ok: true }));
  assert.ok(isHandshakeHostMessage({ type: "handshake/running", running: false }));
  assert.ok(!isHandshakeHostMessage({ type: "handshake/result", run: { result: {} } }));
  assert.ok(!isHandshakeHostMessage({ type: "viewer/state" }));
});
