// Credential files recognised by content and the form's inline hints (src/adapters/handshake/credentialFiles.ts,
// which uses Node crypto only — no vscode). Certificates come from the lab kit generator, made in a temp dir.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { writeTestKit, generateTestKit } from "../../src/core/lab";
import { classify, findMatchingKey, isEncryptedKey, looksLikePkcs12, pemCredentialHints } from "../../src/adapters/handshake/credentialFiles";
import { hasOpenssl } from "../tls/helpers";

const dir = mkdtempSync(join(tmpdir(), "certscope-cred-"));
const read = (n: string) => new Uint8Array(readFileSync(join(dir, n)));
let other: { cert: Uint8Array; key: Uint8Array };
before(async () => {
  await writeTestKit(dir);
  const k = await generateTestKit();
  other = { cert: k.files.find((f) => f.role === "clientCert")!.contents, key: k.files.find((f) => f.role === "clientKey")!.contents };
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("classify: by content, whatever the name", () => {
  assert.deepEqual(classify(read("client.crt")).kinds, ["certificate"]);
  assert.equal(classify(read("client.crt")).subject, "CN=CertScope Lab Client,O=CertScope Lab");
  assert.equal(classify(read("ca.crt")).isCA, true);
  assert.deepEqual(classify(read("client.key")).kinds, ["privateKey"]);
  assert.deepEqual(classify(read("client.p12")).kinds, ["pkcs12"]);
  assert.ok(looksLikePkcs12(read("client.p12")));
  assert.deepEqual(classify(read("README.md")).kinds, []);
  // PEM inside other text still counts; a bundle counts its certificates
  const yaml = new TextEncoder().encode(`tls:\n  cert: |\n${Buffer.from(read("client.crt")).toString()}\n${Buffer.from(read("ca.crt")).toString()}`);
  const f = classify(yaml);
  assert.deepEqual(f.kinds, ["certificate"]);
  assert.equal(f.certificates, 2);
  const both = new Uint8Array([...read("client.crt"), ...read("client.key")]);
  assert.deepEqual(classify(both).kinds, ["certificate", "privateKey"]);
  assert.deepEqual(classify(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03])).kinds, []);
});

test("classify: encrypted keys (PKCS#8 and legacy PEM)", { skip: !hasOpenssl && "openssl CLI not installed" }, () => {
  const enc = execFileSync("openssl", ["pkcs8", "-topk8", "-in", join(dir, "client.key"), "-passout", "pass:test-only"]);
  assert.deepEqual(classify(enc).kinds, ["encryptedPrivateKey"]);
  assert.ok(isEncryptedKey(enc));
  const legacy = execFileSync("openssl", ["rsa", "-in", join(dir, "client.key"), "-aes128", "-traditional", "-passout", "pass:test-only"], { stdio: ["ignore", "pipe", "ignore"] });
  assert.deepEqual(classify(legacy).kinds, ["encryptedPrivateKey"]);
  assert.ok(!isEncryptedKey(read("client.key")));
  const hints = pemCredentialHints({ cert: { path: "c.pem", bytes: read("client.crt") }, key: { path: "k.pem", bytes: enc } });
  assert.ok(hints.some((h) => h.tone === "info" && /encrypted/.test(h.text)));
});

test("hints: matching key, no clientAuth EKU, CA certificate, expiry, acceptable issuers", () => {
  const ok = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, key: { path: "k", bytes: read("client.key") } });
  assert.ok(ok.some((h) => h.tone === "ok" && h.text === "This key matches this certificate."));
  assert.ok(!ok.some((h) => h.tone === "warning" || h.tone === "error"), JSON.stringify(ok));

  const mismatch = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, key: { path: "k", bytes: other.key } });
  assert.ok(mismatch.some((h) => h.tone === "error" && /does NOT match/.test(h.text)));

  const server = pemCredentialHints({ cert: { path: "s", bytes: read("server.crt") } });
  assert.ok(server.some((h) => /no clientAuth EKU/.test(h.text)));

  const ca = pemCredentialHints({ cert: { path: "ca", bytes: read("ca.crt") } });
  assert.ok(ca.some((h) => /CA certificate/.test(h.text)));

  const soon = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, now: new Date(Date.now() + 362 * 86_400_000) });
  assert.ok(soon.some((h) => h.tone === "warning" && /expires in [23] days/.test(h.text)), JSON.stringify(soon));
  const expired = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, now: new Date(Date.now() + 400 * 86_400_000) });
  assert.ok(expired.some((h) => h.tone === "error" && /expired/.test(h.text)));

  const wrongCa = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, acceptableIssuers: ["CN=Other CA"] });
  assert.ok(wrongCa.some((h) => h.tone === "warning" && /CN=Other CA/.test(h.text)));
  const rightCa = pemCredentialHints({ cert: { path: "c", bytes: read("client.crt") }, acceptableIssuers: ["CN=CertScope Lab CA, O=CertScope Lab"] });
  assert.ok(rightCa.some((h) => h.tone === "ok" && /acceptable/.test(h.text)));
});

test("hints: unreadable files are named, never thrown", () => {
  const h = pemCredentialHints({ cert: { path: "/x/notes.txt", bytes: new TextEncoder().encode("hello") }, key: { path: "/x/k.txt", bytes: new TextEncoder().encode("nope") } });
  assert.ok(h.some((x) => x.tone === "error" && x.text.includes("/x/notes.txt")));
  assert.ok(h.some((x) => x.tone === "error" && x.text.includes("/x/k.txt")));
});

test("findMatchingKey: picks the key whose public key is the certificate's", () => {
  const cands = [
    { path: "other.key", bytes: other.key },
    { path: "ca.key", bytes: read("ca.key") },
    { path: "client.key", bytes: read("client.key") },
    { path: "README.md", bytes: read("README.md") },
  ];
  assert.equal(findMatchingKey(read("client.crt"), cands), "client.key");
  assert.equal(findMatchingKey(read("ca.crt"), cands), "ca.key");
  assert.equal(findMatchingKey(read("server.crt"), cands), undefined);
  assert.equal(findMatchingKey(new TextEncoder().encode("x"), cands), undefined);
});
