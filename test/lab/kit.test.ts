import { test, before } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { createSecureContext } from "node:tls";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  writeTestKit,
  locateTestKit,
  generateTestKit,
  kitGitignorePatterns,
  TEST_KIT_DEFAULT_PKCS12_PASSWORD,
  TEST_KIT_GITIGNORE_COMMENT,
  TestKitError,
} from "../../src/core/lab";
import { hasOpenssl } from "../tls/helpers";

const hasGit = (() => {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), "certscope-kit-"));
let written: Awaited<ReturnType<typeof writeTestKit>>;
let genMs = 0;
before(async () => {
  const t0 = Date.now();
  written = await writeTestKit(dir);
  genMs = Date.now() - t0;
});
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

const read = (n: string) => readFileSync(join(dir, n));
const cert = (n: string) => new X509Certificate(read(n));

test("kit: all files written", () => {
  console.log(`# kit generated and written in ${genMs} ms`);
  for (const n of ["ca.crt", "ca.key", "server.key", "server.csr", "server.crt", "client.key", "client.csr", "client.crt", "client.p12", "README.md", "certscope-kit.json", ".gitignore"]) {
    assert.ok(existsSync(join(dir, n)), n);
  }
  assert.equal(written.written.length, 12);
  for (const n of ["ca.key", "server.key", "client.key", "client.p12"]) assert.equal(statSync(join(dir, n)).mode & 0o777, 0o600, n);
});

test("kit: the chain verifies and the certificates carry the right purposes", () => {
  const ca = cert("ca.crt");
  const server = cert("server.crt");
  const client = cert("client.crt");
  assert.ok(ca.ca);
  assert.ok(ca.verify(ca.publicKey), "CA self-signed");
  assert.ok(server.verify(ca.publicKey), "server signed by CA");
  assert.ok(client.verify(ca.publicKey), "client signed by CA");
  assert.ok(server.checkIssued(ca));
  assert.ok(client.checkIssued(ca));
  assert.ok(!server.ca && !client.ca);
  assert.deepEqual(server.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
  assert.deepEqual(client.keyUsage, ["1.3.6.1.5.5.7.3.2"]);
  assert.ok(server.checkHost("localhost"));
  assert.ok(server.checkIP("127.0.0.1"));
  assert.match(server.subjectAltName ?? "", /DNS:localhost/);
  assert.match(server.subjectAltName ?? "", /IP Address:127\.0\.0\.1/);
  assert.ok(server.checkPrivateKey(createPrivateKey(read("server.key"))));
  assert.ok(client.checkPrivateKey(createPrivateKey(read("client.key"))));
  assert.ok(ca.checkPrivateKey(createPrivateKey(read("ca.key"))));
});

test("kit: the PKCS#12 opens with the password and holds the client certificate + key", () => {
  const ctx = createSecureContext({ pfx: read("client.p12"), passphrase: TEST_KIT_DEFAULT_PKCS12_PASSWORD });
  assert.ok(ctx);
  assert.throws(() => createSecureContext({ pfx: read("client.p12"), passphrase: "wrong" }), /mac verify failure|bad decrypt|password/i);
});

test("kit: openssl agrees (verify, CSR signatures, pkcs12 without legacy provider)", { skip: !hasOpenssl && "openssl CLI not installed" }, () => {
  const out = execFileSync("openssl", ["verify", "-CAfile", join(dir, "ca.crt"), join(dir, "server.crt"), join(dir, "client.crt")], { encoding: "utf8" });
  assert.match(out, /server\.crt: OK/);
  assert.match(out, /client\.crt: OK/);
  for (const n of ["server.csr", "client.csr"]) {
    const r = execFileSync("openssl", ["req", "-in", join(dir, n), "-noout", "-verify"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.ok(/verify OK/i.test(r) || r === "", n);
  }
  const p12 = execFileSync("openssl", ["pkcs12", "-in", join(dir, "client.p12"), "-info", "-noout", "-passin", `pass:${TEST_KIT_DEFAULT_PKCS12_PASSWORD}`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  void p12;
  const info = execFileSync("openssl", ["pkcs12", "-in", join(dir, "client.p12"), "-info", "-nokeys", "-passin", `pass:${TEST_KIT_DEFAULT_PKCS12_PASSWORD}`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  assert.match(info, /CertScope Lab Client/);
});

test("kit: README names every file and the PKCS#12 encryption", () => {
  const md = read("README.md").toString();
  for (const n of ["ca.crt", "ca.key", "server.key", "server.csr", "server.crt", "client.key", "client.csr", "client.crt", "client.p12"]) assert.ok(md.includes(`\`${n}\``), n);
  assert.match(md, /AES-256-CBC/);
});

test("kit: locateTestKit finds it; a folder that is not a kit gets a clear error", async () => {
  const found = await locateTestKit(dir);
  assert.equal(found.paths.serverCert, join(dir, "server.crt"));
  assert.equal(found.manifest?.format, "certscope-test-kit");
  const empty = mkdtempSync(join(tmpdir(), "certscope-nokit-"));
  try {
    await assert.rejects(locateTestKit(empty), (e: unknown) => e instanceof TestKitError && e.code === "not_a_kit" && e.message.includes(empty));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test("kit: refuses to overwrite an existing kit unless asked", async () => {
  await assert.rejects(writeTestKit(dir), (e: unknown) => e instanceof TestKitError && e.code === "exists" && /ca\.crt/.test(e.message));
});

test("kit: generateTestKit honours the clock and a custom password", async () => {
  const now = new Date("2030-01-01T00:00:00Z");
  const kit = await generateTestKit({ now, pkcs12Password: "s3cret-test", keyBits: 2048 });
  const c = new X509Certificate(kit.files.find((f) => f.role === "clientCert")!.contents);
  assert.ok(new Date(c.validFrom) < now && new Date(c.validTo) > now);
  const p12 = kit.files.find((f) => f.role === "clientPkcs12")!.contents;
  assert.ok(createSecureContext({ pfx: Buffer.from(p12), passphrase: "s3cret-test" }));
  const md = new TextDecoder().decode(kit.files.find((f) => f.role === "readme")!.contents);
  assert.ok(!md.includes("s3cret-test"), "a chosen password is not written to the README");
});

test("kit: an ECDSA server key on request (signed by the RSA CA)", async () => {
  const kit = await generateTestKit({ serverKeyAlgorithm: "ecdsa" });
  const get = (role: string) => kit.files.find((f) => f.role === role)!.contents;
  const server = new X509Certificate(get("serverCert"));
  assert.equal(server.publicKey.asymmetricKeyType, "ec");
  assert.ok(server.verify(new X509Certificate(get("caCert")).publicKey));
  assert.ok(server.checkPrivateKey(createPrivateKey(Buffer.from(get("serverKey")))));
  assert.match(kit.manifest.keys, /ECDSA P-256/);
});

test("kitGitignorePatterns: one *.ext per private file extension, public files left out", () => {
  const rows: { files: { name: string; private: boolean }[]; want: string[] }[] = [
    { files: [], want: [] },
    { files: [{ name: "ca.crt", private: false }], want: [] },
    {
      files: [
        { name: "ca.key", private: true },
        { name: "client.p12", private: true },
        { name: "client.crt", private: false },
        { name: "server.key", private: true },
      ],
      want: ["*.key", "*.p12"],
    },
    { files: [{ name: "secret", private: true }], want: ["secret"] },
  ];
  for (const r of rows) assert.deepEqual(kitGitignorePatterns(r.files), r.want, JSON.stringify(r.files));
});

test("kit: a .gitignore covers every secret file the kit writes", () => {
  assert.equal(read(".gitignore").toString(), `${TEST_KIT_GITIGNORE_COMMENT}\n*.key\n*.p12\n`);
  assert.ok(written.written.includes(join(dir, ".gitignore")));
  assert.match(read("README.md").toString(), /`\.gitignore`.*`\*\.key`, `\*\.p12`/);
});

test("kit: git itself leaves the keys and the PKCS#12 untracked", { skip: !hasGit && "git not installed" }, () => {
  const repo = mkdtempSync(join(tmpdir(), "certscope-kitgit-"));
  try {
    // No user or system git config (a global excludes file could hide files on its own).
    const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", XDG_CONFIG_HOME: repo, HOME: repo };
    execFileSync("git", ["init", "-q", repo], { env });
    cpSync(dir, join(repo, "mtls-lab"), { recursive: true });
    const status = execFileSync("git", ["-C", repo, "status", "--porcelain", "--untracked-files=all"], { encoding: "utf8", env });
    const listed = status.split("\n").filter(Boolean).map((l) => l.slice(3));
    for (const n of ["ca.crt", "server.crt", "client.crt", "server.csr", "README.md", ".gitignore"]) assert.ok(listed.includes(`mtls-lab/${n}`), `${n} in ${status}`);
    for (const n of ["ca.key", "server.key", "client.key", "client.p12"]) assert.ok(!listed.includes(`mtls-lab/${n}`), `${n} is ignored`);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test("kit: an existing .gitignore is completed, never replaced, and a rewrite adds nothing twice", async () => {
  const d = mkdtempSync(join(tmpdir(), "certscope-kitignore-"));
  try {
    const mine = "node_modules/\n  *.key  "; // no final newline; *.key already there (with spaces)
    writeFileSync(join(d, ".gitignore"), mine);
    const first = await writeTestKit(d, { keyBits: 1024 });
    const after = readFileSync(join(d, ".gitignore"), "utf8");
    assert.equal(after, `${mine}\n${TEST_KIT_GITIGNORE_COMMENT}\n*.p12\n`);
    assert.ok(first.written.includes(join(d, ".gitignore")));
    const again = await writeTestKit(d, { keyBits: 1024, overwrite: true });
    assert.equal(readFileSync(join(d, ".gitignore"), "utf8"), after, "nothing appended the second time");
    assert.ok(!again.written.includes(join(d, ".gitignore")), "an untouched .gitignore is not reported as written");
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
