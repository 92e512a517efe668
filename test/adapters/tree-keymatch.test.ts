import { test, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { inspectBytes } from "../../src/core/pki";
import { normalizePem } from "../../src/core/decodeWorker";
import { keySpkiInWorker, stopDecodeWorker } from "../../src/adapters/decodeWorker";

after(stopDecodeWorker);

// The passphrase is made up per run and never printed.
const PASS = `t-${process.pid}-${Date.now()}`;

test("key matching: an encrypted key's public key hash equals the core's spkiSha256", async () => {
  const rows = [
    { name: "EC PKCS#8 encrypted PEM", type: "ec" as const, opts: { namedCurve: "P-256" }, enc: { type: "pkcs8", format: "pem" } },
    { name: "EC legacy SEC1 PEM (Proc-Type)", type: "ec" as const, opts: { namedCurve: "P-384" }, enc: { type: "sec1", format: "pem" } },
    { name: "RSA PKCS#8 encrypted DER", type: "rsa" as const, opts: { modulusLength: 2048 }, enc: { type: "pkcs8", format: "der" } },
    { name: "RSA legacy PKCS#1 PEM", type: "rsa" as const, opts: { modulusLength: 2048 }, enc: { type: "pkcs1", format: "pem" } },
  ];
  for (const r of rows) {
    const pair = generateKeyPairSync(r.type as "ec", {
      ...(r.opts as { namedCurve: string }),
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { ...(r.enc as { type: "pkcs8"; format: "pem" }), cipher: "aes-256-cbc", passphrase: PASS },
    });
    const pub = await inspectBytes(new TextEncoder().encode(pair.publicKey), { fileName: "pub.pem" });
    const want = pub.objects[0].kind === "publicKey" ? pub.objects[0].publicKey.spkiSha256 : undefined;
    assert.ok(want, r.name);
    const priv = pair.privateKey as unknown as string | Buffer;
    const source = typeof priv === "string" ? { pem: priv } : { der: new Uint8Array(priv) };
    // Derived in the decoding worker (the key's KDF is the file's choice): never on the extension host's thread.
    assert.equal(await keySpkiInWorker(source, PASS, "key.pem"), want, r.name);
    assert.equal(await keySpkiInWorker(source, "wrong", "key.pem"), null, `${r.name}: wrong passphrase`);
  }
});

test("key matching: PEM written inside YAML or a JSON string still reads", () => {
  const pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
  const yaml = pem.split("\n").map((l) => `    ${l}`).join("\n");
  assert.equal(normalizePem(yaml), pem);
  const quoted = pem.split("\n").map((l) => `  "${l}",`).join("\n");
  assert.equal(normalizePem(quoted), pem);
});
