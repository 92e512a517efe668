import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tls from "node:tls";
import * as net from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTestKit, startTestServer, type TestServerEvent, type TestServerMode } from "../../src/core/lab";

const dir = mkdtempSync(join(tmpdir(), "certscope-kitsrv-"));
before(() => writeTestKit(dir));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const read = (n: string) => readFileSync(join(dir, n));

interface Outcome {
  ok: boolean;
  reply?: string;
  error?: string;
  protocol?: string;
}

/** Connects like a real client, sends one HTTP request and reads the reply (or the rejection). */
function connect(port: number, withCert: boolean, maxVersion: tls.SecureVersion = "TLSv1.3"): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = tls.connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: read("ca.crt"),
      maxVersion,
      ...(withCert ? { cert: read("client.crt"), key: read("client.key") } : {}),
    });
    let data = "";
    let protocol: string | undefined;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ ok: false, error: "timeout" });
    }, 5000);
    s.on("secureConnect", () => {
      protocol = s.getProtocol() ?? undefined;
      s.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    });
    s.on("data", (d) => (data += d.toString()));
    s.on("end", () => {
      clearTimeout(timer);
      resolve(data ? { ok: true, reply: data, protocol } : { ok: false, error: "closed without reply" });
    });
    s.on("error", (e: Error & { code?: string }) => {
      clearTimeout(timer);
      resolve({ ok: false, error: e.code ?? e.message });
    });
  });
}

const rows: { mode: TestServerMode; withCert: boolean; maxVersion?: tls.SecureVersion; ok: boolean; reply?: RegExp; error?: RegExp }[] = [
  { mode: "one-way", withCert: false, ok: true, reply: /Client certificate: none/ },
  { mode: "one-way", withCert: true, ok: true, reply: /Client certificate: none/ },
  { mode: "optional", withCert: false, ok: true, reply: /Client certificate: none/ },
  { mode: "optional", withCert: true, ok: true, reply: /CN=CertScope Lab Client.*verified/ },
  { mode: "required", withCert: false, ok: false, error: /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|ECONNRESET|closed/i },
  { mode: "required", withCert: false, maxVersion: "TLSv1.2", ok: false, error: /HANDSHAKE_FAILURE|ECONNRESET|closed/i },
  { mode: "required", withCert: true, ok: true, reply: /CN=CertScope Lab Client.*verified/ },
  { mode: "required", withCert: true, maxVersion: "TLSv1.2", ok: true, reply: /TLSv1\.2/ },
];

for (const r of rows) {
  test(`server ${r.mode}, client ${r.withCert ? "with" : "without"} certificate${r.maxVersion ? `, ${r.maxVersion}` : ""}`, async () => {
    const events: TestServerEvent[] = [];
    const srv = await startTestServer({ mode: r.mode, kitDir: dir, onEvent: (e) => events.push(e) });
    try {
      assert.equal(srv.host, "127.0.0.1");
      assert.ok(srv.port > 0);
      const out = await connect(srv.port, r.withCert, r.maxVersion);
      assert.equal(out.ok, r.ok, JSON.stringify(out));
      if (r.reply) assert.match(out.reply ?? "", r.reply);
      if (r.error) assert.match(out.error ?? "", r.error);
      await new Promise((res) => setTimeout(res, 20));
      assert.ok(events.length >= 1, "the server reported the attempt");
      if (!r.ok) assert.ok(events.some((e) => e.outcome === "rejected"));
    } finally {
      await srv.close();
    }
  });
}

test("server: a port in use gets a clear error; close() is idempotent and frees the port", async () => {
  const a = await startTestServer({ mode: "one-way", kitDir: dir });
  await assert.rejects(startTestServer({ mode: "one-way", kitDir: dir, port: a.port }), /already in use/);
  await Promise.all([a.close(), a.close()]);
  const b = await startTestServer({ mode: "one-way", kitDir: dir, port: a.port });
  await b.close();
});

test("server: refuses non-loopback hosts and unknown modes", async () => {
  await assert.rejects(startTestServer({ mode: "one-way", kitDir: dir, host: "0.0.0.0" as "127.0.0.1" }), /loopback/);
  await assert.rejects(startTestServer({ mode: "weird" as TestServerMode, kitDir: dir }), /Unknown test server mode/);
  await assert.rejects(startTestServer({ mode: "one-way", kitDir: tmpdir() }), /not a CertScope test kit/);
});

test("server: a client that connects and never speaks is closed after the handshake timeout", async () => {
  const events: TestServerEvent[] = [];
  const srv = await startTestServer({ mode: "required", kitDir: dir, handshakeTimeoutMs: 150, onEvent: (e) => events.push(e) });
  try {
    const t0 = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const s = net.connect(srv.port, "127.0.0.1"); // raw TCP: sends nothing
      const guard = setTimeout(() => {
        s.destroy();
        reject(new Error("the server kept a silent connection open for 3 s"));
      }, 3000);
      s.on("error", () => undefined);
      s.on("close", () => {
        clearTimeout(guard);
        resolve(Date.now() - t0);
      });
    });
    console.log(`# silent client closed after ${closedAfter} ms (timeout 150 ms)`);
    assert.ok(closedAfter >= 100, `closed too early: ${closedAfter} ms`);
    await new Promise((res) => setTimeout(res, 20));
    const ev = events.find((e) => e.outcome === "rejected");
    assert.match(ev?.message ?? "", /no TLS handshake within 150 ms/, JSON.stringify(events));
  } finally {
    await srv.close();
  }
});
