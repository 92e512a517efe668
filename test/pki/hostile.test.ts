/**
 * The hostile corpus (issue 11): inputs made to hurt, crafted here, each fed to the real CLI in its own
 * process with a 600 MB heap cap. Every case must end with exit 0/1/2, a clear message naming the limit or the
 * fault, bounded output, and a peak RSS under 600 MB (reported by rss-report.cjs). Times and memory are
 * printed (the bench numbers of the report), never asserted against a tight bound: the machine is shared.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import * as tls from "node:tls";
import { join } from "node:path";
import { Lab } from "./helpers";
import { decryptPrivateKey, PkiError } from "../../src/core/pki";
import { readPkcs12 } from "../../src/core/pki/containers";
import { children, parse } from "../../src/core/pki/der";
import { Budget, LIMITS } from "../../src/core/budget";
import { writeOwnerOnly } from "../../src/core/privateFile";

const lab = new Lab("hostile");
const ROOT = join(__dirname, "../..");
const MEMORY_KB = 600 * 1024;

after(() => lab.cleanup());

// @ts-expect-error: a plain ESM helper shared with the e2e run (no type declarations)
import { ctx0, int, oct, oid, seq, tlv, hostileP12 } from "../fixtures/pki/hostile.mjs";

const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  pbmac1: "1.2.840.113549.1.5.14",
  hmacSha256: "1.2.840.113549.2.9",
  aes256: "2.16.840.1.101.3.4.1.42",
  sha1: "1.3.14.3.2.26",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
};

/** PBES2 AlgorithmIdentifier (PBKDF2-HMAC-SHA256 + AES-256-CBC), optionally with a keyLength. */
const pbes2 = (salt: Buffer, iterations: number, iv: Buffer, keyLength?: number) =>
  seq(oid(OID.pbes2), seq(seq(oid(OID.pbkdf2), seq(oct(salt), int(iterations), ...(keyLength !== undefined ? [int(keyLength)] : []), seq(oid(OID.hmacSha256)))), seq(oid(OID.aes256), oct(iv))));

/** PFX with the given SafeContents as one `data` safe, and an optional MacData. */
const pfx = (safeContents: Buffer, mac?: Buffer) =>
  seq(int(3), seq(oid(OID.data), ctx0(oct(seq(seq(oid(OID.data), ctx0(oct(safeContents))))))), ...(mac ? [mac] : []));

/** PFX whose one safe is encryptedData under `alg` (the 211-byte hang: only the parameters matter). */
const pfxEncrypted = (alg: Buffer) => seq(int(3), seq(oid(OID.data), ctx0(oct(seq(seq(oid(OID.encryptedData), ctx0(seq(int(0), seq(oid(OID.data), alg, tlv(0x80, randomBytes(32)))))))))));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssKb: number;
}

/** The CLI in its own process, 600 MB heap cap, peak RSS reported on fd 3. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=600", "--require", join(__dirname, "rss-report.cjs"), "--import", "tsx", join(ROOT, "src/cli.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let rss = "";
    child.stdout!.on("data", (d) => (stdout.length < 4 << 20 ? (stdout += d) : undefined));
    child.stderr!.on("data", (d) => (stderr.length < 4 << 20 ? (stderr += d) : undefined));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (d) => (rss += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - t0), rssKb: Number(rss) || 0 });
    });
  });
}

function bounded(name: string, r: Run, codes: number[] = [0, 1, 2]) {
  console.log(`# hostile ${name}: exit ${r.code}, ${r.ms} ms, ${Math.round(r.rssKb / 1024)} MB, ${r.stdout.length + r.stderr.length} bytes of output`);
  assert.ok(codes.includes(r.code ?? -1), `${name}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`);
  assert.ok(r.rssKb > 0 && r.rssKb < MEMORY_KB, `${name}: peak RSS ${r.rssKb} KB`);
  assert.ok(r.stdout.length + r.stderr.length < 2 << 20, `${name}: ${r.stdout.length + r.stderr.length} bytes of output`);
  assert.ok(!r.stderr.includes("internal error"), `${name}: ${r.stderr}`);
}

before(() => {
  // An encrypted PKCS#8 key at the iteration cap (1,000,000), repeated 30 times in one PEM file.
  lab.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"]);
  lab.openssl(["pkcs8", "-topk8", "-in", "k.pem", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "1000000", "-passout", "pass:right", "-out", "enc.pem"]);
  lab.write("30keys.pem", lab.text("enc.pem").repeat(30));
});

test("PKCS#12 whose PBES2 keyLength asks for 2 GB: refused at once (it hung, without any password)", async () => {
  const f = lab.write("keylen.p12", pfxEncrypted(pbes2(randomBytes(8), 1, randomBytes(16), 0x7fffffff)));
  assert.ok(statSync(f).size < 300);
  const r = await cli(["inspect", f]);
  bounded("PBES2 keyLength 2^31-1", r, [2]);
  assert.match(r.stderr, /keyLength 2147483647 does not match AES-256-CBC/);
  assert.match(r.stderr, /keylen\.p12/);
});

test("PKCS#12 whose PBMAC1 keyLength is absurd: a clear error", async () => {
  const mac = seq(
    seq(seq(oid(OID.pbmac1), seq(seq(oid(OID.pbkdf2), seq(oct(randomBytes(8)), int(1), int(0x7fffffff), seq(oid(OID.hmacSha256)))), seq(oid(OID.hmacSha256)))), oct(randomBytes(32))),
    oct(randomBytes(8)),
    int(1),
  );
  const r = await cli(["inspect", lab.write("pbmac1.p12", pfx(seq(), mac))]);
  bounded("PBMAC1 keyLength 2^31-1", r, [2]);
  assert.match(r.stderr, /PBMAC1 keyLength 2147483647 is outside 1–128 bytes/);
});

test("PKCS#12 with 40 key bags at the iteration cap: the file's key-derivation budget stops it", async () => {
  // Correctly encrypted under the empty password, so every bag's KDF would run (40 × 1,000,000 iterations).
  const f = lab.write("40bags.p12", hostileP12());
  assert.ok(statSync(f).size < 16_000);
  const r = await cli(["inspect", f]);
  bounded("40 PBES2 bags at 1M iterations", r, [2]);
  assert.match(r.stderr, /40bags\.p12: .*beyond the limit of 8,000,000 units of key-derivation work per file/);
});

test("PKCS#12 with a legacy HMAC-SHA1 MAC at the cap, no password: one MAC try, then the budget", async () => {
  const mac = seq(seq(seq(oid(OID.sha1)), oct(randomBytes(20))), oct(randomBytes(8)), int(1_000_000));
  const r = await cli(["inspect", lab.write("mac.p12", pfx(seq(), mac))]);
  bounded("HMAC-SHA1 MAC at 1M iterations", r, [2]);
  assert.match(r.stderr, /PKCS#12 key derivation \(SHA1\).*limit/);
});

test("30 encrypted keys at the iteration cap in one PEM file, wrong password: the budget stops it", async () => {
  const r = await cli(["inspect", lab.path("30keys.pem"), "--password-env", "PW"], { PW: "wrong" });
  bounded("30 encrypted PKCS#8 keys", r, [0, 2]);
  assert.match(r.stderr, /limit of 8,000,000 units of key-derivation work per file/);
  // The right password opens the first keys, and the limit is still said for the rest.
  const ok = await cli(["inspect", lab.path("enc.pem"), "--password-env", "PW"], { PW: "right" });
  bounded("one encrypted key, right password", ok, [0]);
});

test("one SEQUENCE of 5 million NULLs (10 MB): a limit, not 2 GB", async () => {
  const body = Buffer.alloc(10_000_000);
  for (let i = 0; i < body.length; i += 2) body[i] = 0x05;
  const f = lab.write("wide.der", Buffer.concat([Buffer.from([0x30, 0x84]), Buffer.from([0, 0x98, 0x96, 0x80]), body]));
  const r = await cli(["inspect", f]);
  bounded("5M NULLs", r, [2]);
  assert.match(r.stderr, /holds more than 1,000,000 elements \(the limit\)/);
  // Its neighbours: the same as a certificate to verify, and deep nesting.
  const v = await cli(["verify", f, "--no-system-roots"]);
  bounded("5M NULLs to verify", v, [1, 2]);
  const deep = Buffer.concat([Buffer.from("30800000".repeat(0), "hex"), Buffer.from(Array.from({ length: 5000 }, () => [0x30, 0x80]).flat()), Buffer.alloc(10000)]);
  const d = await cli(["inspect", lab.write("deep.der", deep)]);
  bounded("5,000 nested indefinite SEQUENCEs", d, [2]);
});

test("PEM: 25,000 BEGIN lines and a 20 MB base64 body: the block limit is said, nothing silently dropped", async () => {
  const r = await cli(["inspect", lab.write("begins.pem", "-----BEGIN CERTIFICATE-----\n".repeat(25_000))]);
  bounded("25,000 BEGIN lines", r, [2]);
  assert.match(r.stderr, /only the first 20000 PEM blocks were read.*the limit is 20000 blocks per file/);
  const big = `-----BEGIN CERTIFICATE-----\n${"QUFB".repeat(5_000_000)}\n-----END CERTIFICATE-----\n`;
  const b = await cli(["inspect", lab.write("big.pem", big)]);
  bounded("20 MB base64 body", b, [2]);
  const v = await cli(["verify", lab.path("begins.pem"), "--no-system-roots"]);
  bounded("25,000 BEGIN lines to verify", v, [1, 2]);
});

test("a CN holding terminal escapes is printed escaped by inspect and verify", async () => {
  const cn = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m";
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "esc.key", "-utf8", "-subj", `/CN=${cn}`, "-days", "2", "-out", "esc.pem"]);
  const r = await cli(["inspect", lab.path("esc.pem")]);
  bounded("escape CN inspect", r, [0]);
  assert.ok(!/[\x1b\x07\x9b]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout));
  assert.match(r.stdout, /evil\\x1b\]0\\?;pwned\\x07\\x1b\[2J\\x9b31m/);
  const v = await cli(["verify", lab.path("esc.pem"), "--no-system-roots"]);
  bounded("escape CN verify", v, [1]);
  assert.ok(!/[\x1b\x07\x9b]/.test(v.stdout + v.stderr));
});

test("1,000 SANs under 1,000 permitted subtrees: bounded findings", async () => {
  const permitted = Array.from({ length: 1000 }, (_, i) => `permitted;DNS:p${i}.example`).join(",");
  const sans = Array.from({ length: 1000 }, (_, i) => `DNS:n${i}.other.test`).join(",");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  lab.openssl(["req", "-x509", ...ec, "-keyout", "r.key", "-subj", "/CN=Root", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign", "-out", "r.pem"]);
  lab.write("ica.ext", `basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\nnameConstraints=critical,${permitted}\n`);
  lab.openssl(["req", "-new", ...ec, "-keyout", "i.key", "-subj", "/CN=Constrained", "-out", "i.csr"]);
  lab.openssl(["x509", "-req", "-in", "i.csr", "-CA", "r.pem", "-CAkey", "r.key", "-days", "2", "-extfile", "ica.ext", "-out", "i.pem"]);
  lab.write("leaf.ext", `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
  lab.openssl(["req", "-new", ...ec, "-keyout", "l.key", "-subj", "/CN=n0.other.test", "-out", "l.csr"]);
  lab.openssl(["x509", "-req", "-in", "l.csr", "-CA", "i.pem", "-CAkey", "i.key", "-days", "2", "-extfile", "leaf.ext", "-out", "l.pem"]);
  lab.write("chain.pem", lab.text("l.pem") + lab.text("i.pem"));
  const r = await cli(["verify", lab.path("chain.pem"), "--trusted", lab.path("r.pem"), "--no-system-roots", "--json"]);
  bounded("1,000 SANs × 1,000 subtrees", r, [1]);
  assert.ok(r.stdout.length < 200_000, `${r.stdout.length} bytes of JSON`);
  assert.match(r.stdout, /and 990 more/);
  assert.match(r.stdout, /more names violate the constraints/);
});

test("a TLS 1.3 server that asks for a certificate and then floods data: the recorder keeps a bounded part", async () => {
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "s.key", "-subj", "/CN=localhost", "-days", "2", "-out", "s.pem"]);
  const chunk = Buffer.alloc(1 << 20, 0x41);
  const server = tls.createServer({ key: lab.read("s.key"), cert: lab.read("s.pem"), requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.3" }, (s) => {
    s.on("error", () => {});
    let sent = 0;
    const pump = () => {
      while (sent < 600 && !s.destroyed && s.write(chunk)) sent++;
      if (sent < 600 && !s.destroyed) s.once("drain", pump);
    };
    pump();
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await cli(["handshake", `127.0.0.1:${port}`, "--ca", lab.path("s.pem"), "--servername", "localhost", "--transcript", lab.path("flood.json"), "--timeout", "20000"]);
    bounded("flooding TLS 1.3 server", r, [0, 1]);
    assert.ok(statSync(lab.path("flood.json")).size < 3 * LIMITS.wireBytes, "transcript bounded");
  } finally {
    server.close();
  }
});

test("in process: the budget sums a whole file, and an operation's limits are its own", () => {
  const budget = new Budget({ ...LIMITS, derChildren: 10, derNodes: 25 });
  const wide = parse(Buffer.from([0x30, 22, ...Array.from({ length: 11 }, () => [0x05, 0x00]).flat()]));
  assert.equal(children(wide).length, 11); // no operation: the default per-value cap
  assert.throws(() => budget.run(() => children(wide)), (e: PkiError) => e.code === "too_large" && /more than 10 elements/.test(e.message));
  const nine = parse(Buffer.from([0x30, 18, ...Array.from({ length: 9 }, () => [0x05, 0x00]).flat()]));
  assert.throws(() => budget.run(() => [0, 1, 2, 3].map(() => children(nine))), (e: PkiError) => e.code === "too_large" && /25 elements in all/.test(e.message));
  assert.throws(() => readPkcs12(pfxEncrypted(pbes2(randomBytes(8), 1, randomBytes(16), 64)), ["", null]), /keyLength 64 does not match AES-256-CBC/);
  assert.throws(() => decryptPrivateKey(lab.text("30keys.pem"), "wrong"), /wrong password|wrong passphrase/);
});

test("writeOwnerOnly: a key log is created 0600, and an existing file is narrowed to 0600", async () => {
  const f = lab.path("keylog.txt");
  lab.write("keylog.txt", "old");
  const { chmodSync } = await import("node:fs");
  chmodSync(f, 0o644);
  await writeOwnerOnly(f, "CLIENT_RANDOM a b\n");
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.equal(lab.text("keylog.txt"), "CLIENT_RANDOM a b\n");
  await writeOwnerOnly(lab.path("new.txt"), "x");
  assert.equal(statSync(lab.path("new.txt")).mode & 0o777, 0o600);
});

test("handshake: opening slow credentials counts against --timeout, and nothing is sent", async () => {
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "c.key", "-subj", "/CN=client", "-days", "2", "-out", "c.pem"]);
  lab.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "c.key", "-passout", "pass:pw", "-iter", "600000", "-maciter", "-out", "slow.p12"]);
  const r = await cli(["handshake", "127.0.0.1:9", "--pfx", lab.path("slow.p12"), "--passphrase-env", "PW", "--timeout", "50"], { PW: "pw" });
  bounded("slow credentials, --timeout 50", r, [1, 2]);
  assert.match(r.stdout + r.stderr, /Opening the client credentials took \d+ ms, longer than the whole operation's 50 ms/);
});
