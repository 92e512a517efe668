// Stapled OCSP in the handshake: openssl s_server -status_file with answers from `openssl ocsp` (good, revoked,
// stale), and no staple at all, over TLS 1.2 (CertificateStatus) and TLS 1.3 (status_request in the Certificate entry).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { runHandshake } from "../../src/core/tls";
import { renderHuman } from "../../src/cli/handshake";
import { makeOcspLab, type OcspLab } from "./kit";
import { closedPort, opensslServer, type Running } from "../tls/helpers";

let lab: OcspLab;
const servers: Running[] = [];

before(async () => {
  lab = await makeOcspLab({ deadPort: await closedPort() });
  writeFileSync(lab.path("good.ocsp"), lab.respond("good.pem"));
  writeFileSync(lab.path("revoked.ocsp"), lab.respond("revoked.pem"));
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await lab?.close();
});

async function serve(cert: string, status?: string): Promise<Running> {
  const s = await opensslServer(["-cert", lab.path(`${cert}.pem`), "-key", lab.path(`${cert}.key`), "-naccept", "4", ...(status ? ["-status_file", lab.path(status)] : [])]);
  servers.push(s);
  return s;
}

function run(port: number, tlsMax: "1.2" | "1.3", now?: Date) {
  return runHandshake({ host: "127.0.0.1", port, servername: "localhost", ca: [new Uint8Array(readFileSync(lab.path("ca.pem")))], useSystemRoots: false, tlsMax, timeoutMs: 20000, now });
}

for (const v of ["1.2", "1.3"] as const) {
  describe(`stapled OCSP over TLS ${v}`, () => {
    it("good: shown in the result and the message list", async () => {
      const s = await serve("good", "good.ocsp");
      const r = await run(s.port, v);
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.equal(r.ocsp?.stapled, true);
      assert.equal(r.ocsp?.status, "good", r.ocsp?.detail);
      assert.equal(r.ocsp?.responder, "CN=OCSP Lab Responder");
      assert.ok(r.ocsp?.thisUpdate && r.ocsp?.nextUpdate);
      const hello = r.messages.find((m) => m.from === "client" && m.type === "ClientHello");
      assert.equal(hello?.detail.statusRequest, true, "the client asks for stapling");
      assert.match(renderHuman(r), /\nOCSP: stapled, good \(this update .*, next update .*\), from CN=OCSP Lab Responder\n/);
      if (v === "1.2") assert.ok(r.messages.some((m) => m.from === "server" && m.type === "CertificateStatus"));
      else {
        const cert = r.messages.find((m) => m.from === "server" && m.type === "Certificate");
        assert.ok(cert?.encrypted);
        assert.deepEqual(cert?.detail.ocspStaple, { statusType: "ocsp", ocspResponseLength: readFileSync(lab.path("good.ocsp")).length });
      }
    });

    it("revoked: the handshake fails with category revoked, time and reason", async () => {
      const s = await serve("revoked", "revoked.ocsp");
      const r = await run(s.port, v);
      assert.equal(r.outcome, "failure");
      assert.equal(r.diagnosis?.category, "revoked");
      assert.match(r.diagnosis!.summary, /keyCompromise/);
      assert.equal(r.ocsp?.status, "revoked");
      assert.equal(r.ocsp?.reason, "keyCompromise");
      assert.ok(r.ocsp?.revokedAt);
    });

    it("none: stapled false, no warning", async () => {
      const s = await serve("good");
      const r = await run(s.port, v);
      assert.equal(r.outcome, "success");
      assert.deepEqual(r.ocsp, { stapled: false });
      assert.ok(!r.warnings?.some((w) => /OCSP/.test(w)), String(r.warnings));
    });

    it("stale (its nextUpdate passed): invalid, a warning, and the handshake's own verdict stands", async () => {
      const s = await serve("good", "good.ocsp");
      // Two days on the leaf is still valid (20 days) but the answer (1 day) is stale.
      const r = await run(s.port, v, new Date(Date.now() + 2 * 86400000));
      assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
      assert.equal(r.ocsp?.status, "invalid");
      assert.match(r.ocsp!.detail!, /stale/);
      assert.ok(r.warnings?.some((w) => /stapled an OCSP response that does not check out/.test(w)), String(r.warnings));
    });

    it("a staple about another certificate: invalid, a warning", async () => {
      const s = await serve("good", "revoked.ocsp");
      const r = await run(s.port, v);
      assert.equal(r.outcome, "success");
      assert.equal(r.ocsp?.status, "invalid");
      assert.match(r.ocsp!.detail!, /CertID/);
    });
  });
}

describe("must-staple", () => {
  it("a certificate that requires stapling, served without a staple: a warning", async () => {
    const { spawnSync } = await import("node:child_process");
    const ossl = (...args: string[]) => {
      const r = spawnSync("openssl", args, { cwd: lab.dir });
      assert.equal(r.status, 0, String(r.stderr));
    };
    writeFileSync(lab.path("ms.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\ntlsfeature=status_request\n");
    ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ms.key", "-out", "ms.csr", "-subj", "/CN=localhost");
    ossl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "ms.csr", "-out", "ms.pem", "-days", "5", "-extfile", "ms.ext", "-notext");
    const s = await serve("ms");
    const r = await run(s.port, "1.3");
    assert.equal(r.outcome, "success");
    assert.deepEqual(r.ocsp, { stapled: false });
    assert.ok(r.warnings?.some((w) => /must-staple/.test(w)), String(r.warnings));
  });
});
