import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runVerify } from "../../src/cli/verify";
import { main } from "../../src/cli";
import { CA_KU, CrlReason, EKU, makeCert, makeCrl, newKeys, policyExt, serialOf, standardChain } from "./kit";

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["verify", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

test("certscope verify: exit codes, JSON and human output", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "certscope-verify-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const c = await standardChain();
  const chain = join(dir, "server.pem");
  const root = join(dir, "root.pem");
  const ica = join(dir, "ica.der");
  const leafOnly = join(dir, "leaf.pem");
  const notPki = join(dir, "notes.txt");
  writeFileSync(chain, "server chain\n" + pem(c.leafDer) + pem(c.icaDer));
  writeFileSync(root, pem(c.rootDer));
  writeFileSync(ica, c.icaDer);
  writeFileSync(leafOnly, pem(c.leafDer));
  writeFileSync(notPki, "hello\n");
  const at = ["--at", "2026-06-01T00:00:00Z", "--no-system-roots"];

  await t.test("valid chain, JSON: exit 0 and the contract's shape", async () => {
    const r = await run([chain, "--trusted", root, "--host", "localhost", ...at, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.valid, true);
    assert.deepEqual(j.problems, []);
    assert.deepEqual(Object.keys(j.chain[0]).slice(0, 4), ["subject", "issuer", "sha256", "source"]);
    assert.deepEqual(j.chain.map((l: { source: string }) => l.source), ["leaf", "file", "trusted"]);
  });

  await t.test("DER intermediate via --untrusted, human output top-down", async () => {
    const r = await run([leafOnly, "--trusted", root, "--untrusted", ica, "--host", "127.0.0.1", ...at]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    assert.match(lines[1], /✓ CN=Test Root CA,O=CertScope Tests {2}\[trust anchor\]/);
    assert.match(lines[2], /└─ ✓ CN=Issuing CA,O=CertScope Tests {2}\[intermediate you added\]/);
    assert.match(lines[3], /└─ ✓ CN=localhost {2}\[end entity\]/);
    assert.match(r.stdout, /Result: VALID/);
  });

  await t.test("invalid chain: exit 1, ✗ on the link, problems in words", async () => {
    const r = await run([chain, "--trusted", root, "--host", "other.test", "--at", "2031-01-01T00:00:00Z", "--no-system-roots"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✗ CN=localhost {2}\[end entity\]/);
    assert.match(r.stdout, /hostname_mismatch: The certificate 'CN=localhost' is not valid for 'other.test'/);
    assert.match(r.stdout, /expired: The certificate 'CN=Test Root CA,O=CertScope Tests' expired on 2030-01-01/);
    assert.match(r.stdout, /Result: INVALID \(4 problems\)/);
    // A missing intermediate with a decoy of the same name: the alternative is listed with its reason.
    const alt = await run([leafOnly, "--trusted", root, ...at]);
    assert.equal(alt.code, 1);
    assert.match(alt.stdout, /missing_issuer: The certificate 'CN=localhost' was issued by 'CN=Issuing CA,O=CertScope Tests', which was not found/);
    const j = JSON.parse((await run([chain, "--trusted", root, "--purpose", "client", ...at, "--json"])).stdout);
    assert.equal(j.valid, false);
    assert.deepEqual(j.problems.map((p: { code: string }) => p.code), ["eku_mismatch"]);
  });

  await t.test("rejected alternative paths are listed with their reasons", async () => {
    const oldKeys = await newKeys();
    const old = { name: "CN=Legacy Root", keys: oldKeys };
    const oldRoot = await makeCert({ subject: old.name, keys: oldKeys, ca: { ca: true }, keyUsage: CA_KU });
    const cross = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: old, ca: { ca: true }, keyUsage: CA_KU, notAfter: new Date("2026-01-01T00:00:00Z") });
    const file = join(dir, "cross.pem");
    const oldRootFile = join(dir, "legacy.pem");
    writeFileSync(file, pem(c.leafDer) + pem(cross) + pem(c.icaDer));
    writeFileSync(oldRootFile, pem(oldRoot));
    const r = await run([file, "--trusted", oldRootFile, "--host", "localhost", ...at]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✓ CN=Legacy Root {2}\[trust anchor\]\n.*└─ ✗ CN=Issuing CA,O=CertScope Tests {2}\[from the file\]\n.*expired: /);
    assert.match(r.stdout, /Other paths tried \(1\), and why each was rejected:\n {2}CN=localhost → CN=Issuing CA,O=CertScope Tests: missing_issuer\n/);
  });

  await t.test("usage and unreadable input: exit 2 with the file named", async () => {
    const rows: [string[], RegExp][] = [
      [[join(dir, "missing.pem")], /FILE '.*missing\.pem' cannot be read: no such file/],
      [[notPki], /FILE '.*notes\.txt' holds no certificate/],
      [[chain, "--trusted", notPki], /--trusted file '.*notes\.txt' holds no certificate/],
      [[chain, "--at", "yesterday"], /--at 'yesterday' is not an ISO 8601 date-time/],
      [[chain, "--at", "2026-02-30T00:00:00Z"], /--at .* is not an ISO 8601 date-time/],
      [[chain, "--purpose", "email"], /--purpose must be server, client or any/],
      [[chain, "--max-depth", "-1"], /--max-depth must be a non-negative integer/],
      [[chain, "--eku", "serverAuth"], /--eku 'serverAuth' is not a dotted OID/],
      [[], /needs a FILE/],
      [[chain, chain], /exactly one FILE/],
      [[chain, "--bogus"], /unknown option '--bogus'/],
    ];
    for (const [argv, re] of rows) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.stderr, re, argv.join(" "));
      assert.equal(r.stdout, "");
    }
  });

  await t.test("runVerify is the exported runner", () => {
    assert.equal(typeof runVerify, "function");
  });
});

test("certscope verify: --profile, the policy inputs, --crl (PEM and DER) and --revocation", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "certscope-verify-rev-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const P1 = "1.3.6.1.4.1.99999.1";
  const c = await standardChain({ eku: [EKU.server, EKU.any], extra: [policyExt.policies(P1)] });
  const file = (name: string, body: string | Uint8Array) => {
    writeFileSync(join(dir, name), body);
    return join(dir, name);
  };
  const ica = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: true }, keyUsage: CA_KU, extra: [policyExt.policies(P1)] });
  const chain = file("chain.pem", pem(c.leafDer) + pem(ica));
  const root = file("root.pem", pem(c.rootDer));
  const crlPem = (der: Uint8Array) => `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END X509 CRL-----\n`;
  const rootCrl = file("root.crl.pem", crlPem(await makeCrl({ issuer: c.root })));
  const revoked = file("ica.crl", await makeCrl({ issuer: c.ica, entries: [{ serial: serialOf(c.leafDer), reason: CrlReason.affiliationChanged }] }));
  const at = ["--at", "2026-06-01T00:00:00Z", "--no-system-roots", "--trusted", root, "--host", "localhost"];

  // The leaf's anyExtendedKeyUsage is a CA/B rule: a warning by default (rfc5280), an error under webpki.
  let r = await run([chain, ...at, "--json"]);
  assert.equal(r.code, 0, r.stdout);
  r = await run([chain, ...at, "--profile", "webpki", "--json"]);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code), ["eku_mismatch"]);

  r = await run([chain, ...at, "--policy", P1, "--require-explicit-policy", "--json"]);
  assert.equal(r.code, 0, r.stdout);
  r = await run([chain, ...at, "--policy", "1.2.3", "--require-explicit-policy", "--json"]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).problems[0].code, "policy");

  r = await run([chain, ...at, "--revocation", "crl", "--crl", rootCrl, "--crl", revoked]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /revoked: The certificate 'CN=localhost' is revoked: revoked on 2026-02-01T00:00:00Z, reason affiliationChanged/);
  r = await run([chain, ...at, "--revocation", "crl", "--crl", rootCrl, "--json"]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).problems.map((p: { code: string; severity?: string }) => [p.code, p.severity]), [["eku_mismatch", "warning"], ["revocation_unknown", "warning"]]);
  r = await run([chain, ...at, "--revocation", "crl", "--crl", rootCrl, "--revocation-strict", "--json"]);
  assert.equal(r.code, 1);

  const rows: [string[], RegExp][] = [
    [[chain, "--profile", "browser"], /--profile must be rfc5280 or webpki/],
    [[chain, "--policy", "anyPolicy"], /--policy 'anyPolicy' is not a dotted OID/],
    [[chain, "--revocation", "sometimes"], /--revocation must be off, ocsp, crl or all/],
    [[chain, "--crl", revoked], /--crl needs --revocation crl or --revocation all/],
    [[chain, "--revocation-strict"], /--revocation-strict needs --revocation ocsp, crl or all/],
    [[chain, "--revocation", "crl", "--crl", join(dir, "none.crl")], /--crl file '.*none\.crl' cannot be read: no such file/],
    [[chain, "--revocation", "crl", "--crl", chain], /--crl file '.*chain\.pem' is not a CRL: it holds no 'X509 CRL' PEM block/],
    [[chain, "--revocation", "crl", "--crl", file("junk.crl", new Uint8Array([0x30, 0x03, 1, 2]))], /--crl file '.*junk\.crl' is not a CRL: /],
  ];
  for (const [argv, re] of rows) {
    const x = await run(argv);
    assert.equal(x.code, 2, argv.join(" "));
    assert.match(x.stderr, re, argv.join(" "));
  }
});
