import { test } from "node:test";
import assert from "node:assert/strict";
import type * as vscode from "vscode";
import { PasswordStore } from "../../src/adapters/secrets";
import { derToPem, errorCode, looksBinary, pemToDer } from "../../src/adapters/editor/pki";

/** In-memory stand-ins for SecretStorage and Memento (the store only uses these methods). */
function fakes() {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  const secretStorage = {
    get: async (k: string) => secrets.get(k),
    store: async (k: string, v: string) => void secrets.set(k, v),
    delete: async (k: string) => void secrets.delete(k),
  } as unknown as vscode.SecretStorage;
  const memento = {
    get: <T>(k: string) => state.get(k) as T | undefined,
    update: async (k: string, v: unknown) => void state.set(k, v),
    keys: () => [...state.keys()],
  } as unknown as vscode.Memento;
  return { secrets, state, store: new PasswordStore(secretStorage, memento) };
}

const uri = (s: string) => ({ toString: () => s }) as unknown as vscode.Uri;

test("passwords: remembered per file uri, the index holds uris only, forgetAll clears both", async () => {
  const { secrets, state, store } = fakes();
  await store.set(uri("file:///w/a.p12"), "pw-a");
  await store.set(uri("file:///w/b.pfx"), "pw-b");
  await store.set(uri("file:///w/a.p12"), "pw-a2");
  assert.equal(await store.get(uri("file:///w/a.p12")), "pw-a2");
  assert.equal(await store.get(uri("file:///w/c.p12")), undefined);
  assert.equal(store.count(), 2);
  assert.deepEqual(state.get("certscope.passwordIndex"), ["file:///w/a.p12", "file:///w/b.pfx"]);
  assert.ok(!JSON.stringify([...state.values()]).includes("pw-"), "no password in globalState");
  await store.delete(uri("file:///w/b.pfx"));
  assert.equal(store.count(), 1);
  assert.equal(await store.forgetAll(), 1);
  assert.equal(secrets.size, 0);
  assert.equal(store.count(), 0);
});

test("passwords: an unavailable keychain reads as nothing stored", async () => {
  const broken = { get: async () => Promise.reject(new Error("no keyring")) } as unknown as vscode.SecretStorage;
  const store = new PasswordStore(broken, { get: () => undefined, update: async () => {} } as unknown as vscode.Memento);
  assert.equal(await store.get(uri("file:///x.p12")), undefined);
});

test("bytes: binary detection, PEM ↔ DER, error codes", () => {
  const rows: { name: string; bytes: number[] | string; binary: boolean }[] = [
    { name: "DER certificate", bytes: [0x30, 0x82, 0x01, 0x0a, 0x30], binary: true },
    { name: "PEM", bytes: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", binary: false },
    { name: "text starting with 0", bytes: "0 certificates\n", binary: false },
    { name: "UTF-8 text", bytes: "Zertifikat für Köln\n", binary: false },
    { name: "NUL byte", bytes: [0x41, 0x00, 0x42], binary: true },
    { name: "empty", bytes: [], binary: false },
  ];
  for (const r of rows) {
    const b = typeof r.bytes === "string" ? new TextEncoder().encode(r.bytes) : new Uint8Array(r.bytes);
    assert.equal(looksBinary(b), r.binary, r.name);
  }
  const der = new Uint8Array(Array.from({ length: 200 }, (_, i) => i));
  const pem = derToPem(der, "CERTIFICATE");
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{64}\n/);
  assert.deepEqual(pemToDer(pem), der);
  // Indented (YAML) and with RFC 1421 headers.
  const indented = pem
    .split("\n")
    .map((l) => (l ? `    ${l}` : l))
    .join("\n")
    .replace("-----\n", "-----\n    Proc-Type: 4,ENCRYPTED\n");
  assert.deepEqual(pemToDer(indented), der);
  assert.equal(pemToDer("no pem here"), undefined);
  assert.equal(errorCode(Object.assign(new Error("x"), { code: "bad_password" })), "bad_password");
  assert.equal(errorCode(new Error("x")), undefined);
});
