// `certscope scan` against openssl s_server configurations whose accepted sets are known, checked against the
// configuration itself and against sslscan (Debian's, where its OpenSSL build can test): versions, every
// accepted suite per version, the server's order, groups, DH size, both chains of an RSA + ECDSA port, findings,
// exit codes. Also the handshake's cipherParts and its warnings about weak parts.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { main } from "../../src/cli";
import { scanServer } from "../../src/core/tls/scan/scanner";
import { runHandshake } from "../../src/core/tls";
import type { ScanResult } from "../../src/shared/scanModel";
import { issue, opensslServer, closedPort, httpServer, type Issued, type Running } from "./helpers";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const DH1024 = join(__dirname, "../fixtures/scan/dh1024.pem");
let dir: string;
let rsa: Issued;
let ec: Issued;
const files: Record<string, string> = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certscope-scan-"));
  const notAfter = new Date(Date.now() + 365 * 86400000);
  [rsa, ec] = await Promise.all([issue({ subject: "CN=localhost,O=Scan RSA", san: ["localhost"], rsa: true, notAfter }), issue({ subject: "CN=localhost,O=Scan ECDSA", san: ["localhost"], notAfter })]);
  for (const [n, v] of Object.entries({ "rsa.pem": rsa.certPem, "rsa.key": rsa.keyPem, "ec.pem": ec.certPem, "ec.key": ec.keyPem })) {
    files[n] = join(dir, n);
    writeFileSync(files[n], v, { mode: 0o600 });
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** sslscan's view of the same server: accepted "version code" pairs and TLS 1.3 groups. */
function sslscan(port: number): Promise<{ suites: string[]; groups: string[]; dhBits: number[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn("sslscan", ["--no-colour", "--xml=-", `127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => p.kill("SIGKILL"), 60000);
    p.stdout.on("data", (b) => (out += b));
    p.on("error", reject);
    p.on("close", () => {
      clearTimeout(timer);
      const suites = [...out.matchAll(/<cipher [^>]*sslversion="([^"]+)"[^>]*id="0x([0-9A-Fa-f]+)"/g)].map((m) => `${m[1]} 0x${m[2].toUpperCase()}`);
      const groups = [...out.matchAll(/<group [^>]*id="0x([0-9a-fA-F]+)"/g)].map((m) => m[1].toLowerCase());
      const dhBits = [...out.matchAll(/dhebits="(\d+)"/g)].map((m) => Number(m[1]));
      resolve({ suites, groups, dhBits });
    });
  });
}

const accepted = (r: ScanResult) => r.cipherSuites.map((s) => `${s.version} ${s.code}`);
const supported = (r: ScanResult) => r.protocols.filter((p) => p.supported).map((p) => p.version);
const codes = (r: ScanResult) => r.findings.map((f) => f.code);

async function withServer<T>(args: string[], fn: (port: number) => Promise<T>): Promise<T> {
  const s: Running = await opensslServer(args);
  try {
    return await fn(s.port);
  } finally {
    await s.close();
  }
}

describe("scan against openssl s_server", () => {
  it("TLS 1.3 only, two suites and two groups: exactly those, Mozilla modern, exit 0", async () => {
    await withServer(["-cert", files["ec.pem"], "-key", files["ec.key"], "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256", "-groups", "X25519:secp384r1"], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port, servername: "localhost" });
      assert.deepEqual(supported(r), ["TLSv1.3"]);
      assert.deepEqual(accepted(r).sort(), ["TLSv1.3 0x1302", "TLSv1.3 0x1303"]);
      assert.deepEqual([...r.groups].sort(), ["secp384r1", "x25519"]);
      assert.equal(r.certificates.length, 1, "the TLS 1.3 chain, read through a completed handshake");
      assert.equal(r.certificates[0][0].subject.text, "CN=localhost,O=Scan ECDSA");
      assert.equal(r.cipherSuites[0].parts.authentication, "ECDSA");
      assert.match(r.cipherSuites[0].parts.keyExchange, /ECDHE/);
      assert.equal(r.mozilla.meets, "modern");
      assert.equal(r.secureRenegotiation, null);
      assert.ok(r.findings.every((f) => f.severity === "info"), JSON.stringify(r.findings));
      assert.ok(r.connections <= r.maxConnections);
      const ref = await sslscan(port);
      assert.deepEqual(accepted(r).sort(), ref.suites.sort(), "same suites as sslscan");
      assert.deepEqual([...new Set(ref.groups)].sort(), ["0018", "001d"]);
      let out = "";
      const code = await main(["scan", `127.0.0.1:${port}`, "--servername", "localhost"], { stdout: (t) => (out += t), stderr: () => undefined, env: {} });
      assert.equal(code, 0);
      assert.match(out, /TLS_CHACHA20_POLY1305_SHA256/);
      assert.match(out, /Mozilla profile: modern/);
    });
  });

  it("TLS 1.2 only, ECDSA, an AEAD and a CBC-SHA1 suite under server preference: the server's order and the CBC finding", async () => {
    await withServer(["-cert", files["ec.pem"], "-key", files["ec.key"], "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384", "-serverpref"], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port });
      assert.deepEqual(supported(r), ["TLSv1.2"]);
      assert.deepEqual(accepted(r), ["TLSv1.2 0xC009", "TLSv1.2 0xC02C"], "in the server's order");
      assert.equal(r.serverPreference["TLSv1.2"], true);
      const cbc = r.cipherSuites[0];
      assert.deepEqual([cbc.parts.keyExchange, cbc.parts.authentication, cbc.parts.cipher, cbc.parts.mac, cbc.parts.forwardSecrecy], ["ECDHE", "ECDSA", "AES_128_CBC", "SHA1", true]);
      assert.equal(cbc.strength, "weak");
      assert.equal(r.cipherSuites[1].strength, "strong");
      assert.ok(codes(r).includes("cbc_sha1"));
      assert.ok(codes(r).includes("no_tls13"));
      assert.equal(r.mozilla.meets, "old");
      assert.equal(r.mozilla.next, "intermediate");
      assert.match(r.mozilla.blockers.join(" "), /TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA/);
      assert.ok(r.groups.includes("x25519") && r.groups.includes("secp256r1"));
      assert.equal(r.secureRenegotiation, true);
      const ref = await sslscan(port);
      assert.deepEqual(accepted(r), ref.suites, "same suites, same order as sslscan");
      let out = "";
      const code = await main(["scan", `127.0.0.1:${port}`, "--json"], { stdout: (t) => (out += t), stderr: () => undefined, env: {} });
      assert.equal(code, 1, "findings above info");
      const doc = JSON.parse(out);
      assert.deepEqual(Object.keys(doc.cipherSuites[0]).slice(0, 5), ["version", "name", "code", "parts", "strength"]);
      assert.equal(doc.cipherSuites[0].name, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    });
  });

  it("TLS 1.0–1.2, RSA at @SECLEVEL=0 with static-RSA suites: every version's set, no forward secrecy, old protocols", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-no_tls1_3", "-min_protocol", "TLSv1", "-cipher", "AES128-SHA:AES256-SHA:AES128-GCM-SHA256:@SECLEVEL=0"], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port });
      assert.deepEqual(supported(r), ["TLSv1.0", "TLSv1.1", "TLSv1.2"]);
      const by = (v: string) => r.cipherSuites.filter((s) => s.version === v).map((s) => s.code).sort();
      assert.deepEqual(by("TLSv1.0"), ["0x002F", "0x0035"]);
      assert.deepEqual(by("TLSv1.1"), ["0x002F", "0x0035"]);
      assert.deepEqual(by("TLSv1.2"), ["0x002F", "0x0035", "0x009C"]);
      assert.ok(r.cipherSuites.every((s) => !s.parts.forwardSecrecy && s.parts.keyExchange === "RSA"));
      for (const c of ["no_forward_secrecy", "protocol_tls10_tls11", "cbc_sha1"]) assert.ok(codes(r).includes(c), c);
      assert.equal(r.fallbackScsv, true, "OpenSSL refuses a TLS 1.1 hello marked as a fallback");
      assert.equal(r.mozilla.meets, "old");
      const ref = await sslscan(port);
      assert.deepEqual(accepted(r).sort(), ref.suites.sort(), "same suites as sslscan");
    });
  });

  it("DHE with a 1024-bit group: the size from ServerKeyExchange, graded down, weak_dh finding", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-dhparam", DH1024], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port });
      assert.deepEqual(accepted(r), ["TLSv1.2 0x009E"]);
      assert.equal(r.cipherSuites[0].dhBits, 1024);
      assert.equal(r.cipherSuites[0].strength, "weak");
      const f = r.findings.find((x) => x.code === "weak_dh");
      assert.ok(f && f.severity === "warning" && /1024-bit/.test(f.message) && f.config?.nginx?.includes("ssl_dhparam"));
      // Mozilla 6.0's intermediate has no DHE suites at all: this server meets 5.7's 'old' (1024 bits is its floor).
      assert.equal(r.mozilla.meets, "old");
      assert.deepEqual(r.mozilla.blockers, ["accepts a suite outside the profile (TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)"]);
      const ref = await sslscan(port);
      assert.deepEqual(accepted(r), ref.suites, "same suite as sslscan");
      assert.equal(ref.dhBits[0], 1024, "sslscan sees the same 1024-bit group");
    });
  });

  it("RSA and ECDSA certificates on one port: both chains, each suite with its own", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-dcert", files["ec.pem"], "-dkey", files["ec.key"]], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port, servername: "localhost" });
      assert.equal(r.certificates.length, 2);
      assert.deepEqual(r.certificates.map((c) => c[0].publicKey.algorithm).sort(), ["EC", "RSA"]);
      const auth = (a: string) => r.cipherSuites.filter((s) => s.version === "TLSv1.2" && s.parts.authentication === a);
      const rsaIdx = new Set(auth("RSA").map((s) => s.certificate));
      const ecIdx = new Set(auth("ECDSA").map((s) => s.certificate));
      assert.equal(rsaIdx.size, 1);
      assert.equal(ecIdx.size, 1);
      assert.notDeepEqual([...rsaIdx], [...ecIdx]);
      assert.equal(r.certificates[[...ecIdx][0]!][0].subject.text, "CN=localhost,O=Scan ECDSA");
      const t13 = r.cipherSuites.find((s) => s.version === "TLSv1.3");
      assert.match(t13!.parts.authentication, /ECDSA/);
      assert.match(t13!.parts.authentication, /RSA/);
      const ref = await sslscan(port);
      assert.deepEqual(accepted(r).sort(), ref.suites.sort(), "same suites as sslscan");
    });
  });
});

describe("scan: cannot scan → exit 2", () => {
  it("refused, not TLS, bad usage", async () => {
    const run = async (argv: string[]) => {
      let err = "";
      let out = "";
      const code = await main(["scan", ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
      return { code, err, out };
    };
    const port = await closedPort();
    const refused = await run([`127.0.0.1:${port}`, "--json"]);
    assert.equal(refused.code, 2);
    assert.equal(JSON.parse(refused.out).error.category, "connection_refused");
    const http = await httpServer();
    try {
      const r = await run([`127.0.0.1:${http.port}`]);
      assert.equal(r.code, 2);
      assert.match(r.err, /does not speak TLS/);
    } finally {
      await http.close();
    }
    assert.equal((await run(["nohost"])).code, 2);
    assert.equal((await run(["127.0.0.1:443", "--max-connections", "3"])).code, 2);
  });

  it("cancellation stops the scan with what it has", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"]], async (port) => {
      const ac = new AbortController();
      let seen = 0;
      const r = await scanServer({
        host: "127.0.0.1",
        port,
        signal: ac.signal,
        onProgress: (p) => {
          seen = p.connections;
          if (p.connections >= 8) ac.abort();
        },
      }).catch((e) => e);
      assert.ok(seen >= 8);
      if (r instanceof Error) assert.match(r.message, /cancelled/);
      else {
        assert.equal(r.complete, false);
        assert.ok(r.connections < 40, `stopped early (${r.connections} connections)`);
      }
    });
  });

  it("the connection cap bounds the scan and says so", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-cipher", "ALL:@SECLEVEL=0"], async (port) => {
      const r = await scanServer({ host: "127.0.0.1", port, maxConnections: 15 });
      assert.ok(r.connections <= 15);
      assert.equal(r.complete, false);
      assert.ok(codes(r).includes("scan_incomplete"));
    });
  });
});

describe("handshake: cipherParts and weak-part warnings", () => {
  it("static RSA key exchange: parts and a no-forward-secrecy warning", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-tls1_2", "-cipher", "AES128-SHA256:@SECLEVEL=0"], async (port) => {
      const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [rsa.der], useSystemRoots: false, tlsMax: "1.2" });
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.deepEqual(r.cipherParts && [r.cipherParts.keyExchange, r.cipherParts.authentication, r.cipherParts.cipher, r.cipherParts.mac, r.cipherParts.forwardSecrecy], ["RSA", "RSA", "AES_128_CBC", "SHA256", false]);
      assert.ok(r.warnings!.some((w) => /no forward secrecy/.test(w)), JSON.stringify(r.warnings));
    });
  });

  it("DHE with a 1024-bit group: a warning naming the size", async () => {
    await withServer(["-cert", files["rsa.pem"], "-key", files["rsa.key"], "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-dhparam", DH1024], async (port) => {
      const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [rsa.der], useSystemRoots: false, tlsMax: "1.2" });
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.equal(r.cipherParts?.keyExchange, "DHE");
      assert.ok(r.warnings!.some((w) => /1024 bits/.test(w)), JSON.stringify(r.warnings));
    });
  });

  it("TLS 1.3: key exchange from the group, authentication from the certificate, no warning", async () => {
    await withServer(["-cert", files["ec.pem"], "-key", files["ec.key"], "-tls1_3"], async (port) => {
      const r = await runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [ec.der], useSystemRoots: false });
      assert.equal(r.outcome, "success");
      assert.equal(r.cipherParts?.keyExchange, "ECDHE");
      assert.equal(r.cipherParts?.authentication, "ECDSA");
      assert.equal(r.cipherParts?.mac, "AEAD");
      assert.deepEqual(r.warnings, []);
    });
  });
});
