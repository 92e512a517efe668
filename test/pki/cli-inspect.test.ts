/**
 * `certscope inspect` end to end, in process (runInspect with captured io): exit codes, JSON contract,
 * human output, password handling.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Lab } from "./helpers";
import { runInspect, relativeValidity } from "../../src/cli/inspect";
import { UsageError } from "../../src/cli/args";
import { inspectBytes } from "../../src/core/pki";

const lab = new Lab("cli");

before(() => {
  lab.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-subj", "/O=Lab/CN=cli.example", "-days", "23", "-addext", "subjectAltName=DNS:cli.example,IP:127.0.0.1", "-out", "c.pem"]);
  lab.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:s3cret", "-out", "p.p12"]);
  lab.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:", "-out", "empty.p12"]);
  const pem = lab.text("c.pem");
  lab.write("partial.pem", pem + pem.replace(/\n[A-Za-z0-9+/]{10}/, "\n") + pem);
  lab.write("garbage.bin", Buffer.from("not a certificate at all\x00\x01\x02"));
  lab.write("empty.pem", "");
  lab.write("many.pem", pem.repeat(300));
  lab.openssl(["crl2pkcs7", "-nocrl", "-certfile", "many.pem", "-outform", "DER", "-out", "many.p7b"]);
});
after(() => lab.cleanup());

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  let code: number;
  try {
    code = await runInspect(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    code = 2;
    stderr += err.message;
  }
  return { code, stdout, stderr };
}

test("inspect --json: the contract shape, exit 0", async () => {
  const r = await run([lab.path("c.pem"), "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.file, lab.path("c.pem"));
  assert.deepEqual(doc.errors, []);
  const c = doc.objects[0];
  assert.equal(c.kind, "certificate");
  assert.equal(c.line, 1);
  assert.equal(c.subject.text, "CN=cli.example,O=Lab");
  assert.deepEqual(c.subject.attributes[1], { type: "CN", oid: "2.5.4.3", value: "cli.example" });
  assert.match(c.serialNumber, /^[0-9a-f]+$/);
  assert.match(c.notBefore, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(c.fingerprints.sha256, /^[0-9a-f]{64}$/);
  assert.equal(c.publicKey.algorithm, "RSA");
  assert.equal(c.publicKey.bits, 2048);
  assert.equal(c.signatureAlgorithm, "sha256WithRSAEncryption");
  assert.equal(c.isCA, true);
  assert.equal(c.selfSigned, true);
  assert.deepEqual(c.subjectAltNames, [{ type: "dns", value: "cli.example" }, { type: "ip", value: "127.0.0.1" }]);
  assert.ok(c.extensions.some((e: any) => e.name === "basicConstraints" && e.oid === "2.5.29.19"));
});

test("inspect: human output with aligned labels and relative expiry", async () => {
  const r = await run([lab.path("c.pem")]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Certificate \(line 1\)$/m);
  assert.match(r.stdout, /^  Subject         CN=cli\.example,O=Lab$/m);
  assert.match(r.stdout, /\(expires in 2[23] days\)/);
  assert.match(r.stdout, /^  Names \(SAN\)     DNS:cli\.example, IP:127\.0\.0\.1$/m);
  assert.doesNotMatch(r.stdout, /PRIVATE KEY|BEGIN/);
});

test("inspect: a broken block among good ones → exit 0, errors filled, message on stderr", async () => {
  const r = await run([lab.path("partial.pem"), "--json"]);
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.objects.length, 2);
  assert.equal(doc.errors.length, 1);
  assert.match(doc.errors[0].message, /^PEM block 'CERTIFICATE' at line \d+: /);
  assert.match(r.stderr, new RegExp(`${lab.path("partial.pem").replace(/[/.]/g, "\\$&")}: PEM block 'CERTIFICATE' at line`));
});

test("inspect --summary: only the summary fields", async () => {
  const r = await run([lab.path("c.pem"), "--summary", "--json"]);
  const c = JSON.parse(r.stdout).objects[0];
  assert.deepEqual(Object.keys(c).sort(), ["fingerprints", "isCA", "issuer", "kind", "line", "notAfter", "notBefore", "publicKey", "selfSigned", "serialNumber", "subject", "subjectAltNames"]);
});

const exits: { name: string; args: () => string[]; env?: Record<string, string>; code: number; stderr: RegExp }[] = [
  { name: "missing file", args: () => [lab.path("nope.pem")], code: 2, stderr: /nope\.pem: cannot be read: no such file/ },
  { name: "directory", args: () => [lab.dir], code: 2, stderr: /cannot be read: it is a directory/ },
  { name: "not a PKI file", args: () => [lab.path("garbage.bin")], code: 2, stderr: /garbage\.bin: not a PKI file/ },
  { name: "zero-length file", args: () => [lab.path("empty.pem")], code: 2, stderr: /empty\.pem: the file is empty/ },
  { name: "PKCS#12 without a password", args: () => [lab.path("p.p12")], code: 2, stderr: /protected by a password .*--password-env/ },
  { name: "PKCS#12 wrong password", args: () => [lab.path("p.p12"), "--password-env", "P"], env: { P: "nope" }, code: 2, stderr: /wrong password for the PKCS#12 file/ },
  { name: "PKCS#12 right password", args: () => [lab.path("p.p12"), "--password-env", "P"], env: { P: "s3cret" }, code: 0, stderr: /^$/ },
  { name: "PKCS#12 empty password, no env var", args: () => [lab.path("empty.p12")], code: 0, stderr: /^$/ },
  { name: "unset password variable", args: () => [lab.path("p.p12"), "--password-env", "UNSET"], code: 2, stderr: /environment variable UNSET .* is not set/ },
  { name: "no FILE", args: () => [], code: 2, stderr: /missing FILE/ },
  { name: "two FILEs", args: () => ["a", "b"], code: 2, stderr: /one FILE/ },
  { name: "unknown option", args: () => ["--nope"], code: 2, stderr: /unknown option/ },
];

for (const row of exits) {
  test(`inspect exit code: ${row.name} → ${row.code}`, async () => {
    const r = await run(row.args(), row.env);
    assert.equal(r.code, row.code, r.stderr);
    assert.match(r.stderr, row.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
    // A failed run reports on stderr only: no "1 object, 1 error / PKCS#12 — 0 objects" report beside the error.
    if (row.code === 2) assert.equal(r.stdout, "", `stdout of a failed run: ${r.stdout}`);
  });
}

test("relativeValidity words", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  assert.equal(relativeValidity("2026-01-01T00:00:00Z", "2026-06-24T00:00:00Z", now), "expires in 23 days");
  assert.equal(relativeValidity("2026-01-01T00:00:00Z", "2026-05-28T00:00:00Z", now), "EXPIRED 4 days ago");
  assert.equal(relativeValidity("2026-06-04T00:00:00Z", "2027-06-04T00:00:00Z", now), "not valid yet (starts in 3 days)");
  assert.equal(relativeValidity("2026-01-01T00:00:00Z", "2036-06-01T00:00:00Z", now), "expires in 10 years");
});

test("inspect --json on big results: compact, written in pieces, same document as JSON.stringify", async () => {
  for (const name of ["many.pem", "many.p7b"]) {
    const r = await run([lab.path(name), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const want = await inspectBytes(lab.read(name), { fileName: lab.path(name) });
    assert.equal(r.stdout, JSON.stringify(want) + "\n", name);
  }
});
