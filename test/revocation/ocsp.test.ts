// OCSP decoding, checking and the client against a real `openssl ca` PKI and `openssl ocsp` answering on 127.0.0.1.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { buildOcspRequest, decodeOcspResponse, evaluateOcspResponse, inspectBytesSync } from "../../src/core/pki";
import { checkOcsp, clearOcspCache } from "../../src/core/revocation";
import { runInspect } from "../../src/cli/inspect";
import { makeOcspLab, type OcspLab } from "./kit";
import { closedPort, silentServer, type Running } from "../tls/helpers";

let lab: OcspLab;
let silent: Running;

before(async () => {
  lab = await makeOcspLab({ deadPort: await closedPort() });
  silent = await silentServer();
});
after(async () => {
  await lab?.close();
  await silent?.close();
});

const DAY = 86400000;

describe("OCSP responses: decoding", () => {
  it("decodes a BasicOCSPResponse from openssl ocsp: responder, producedAt, status, updates, nonce-less, responder certificate", () => {
    const m = decodeOcspResponse(lab.respond("good.pem"));
    assert.equal(m.kind, "ocspResponse");
    assert.equal(m.responseStatus, "successful");
    assert.equal(m.responseType, "basic");
    assert.equal(m.responder, "CN=OCSP Lab Responder");
    assert.match(m.producedAt!, /^\d{4}-\d\d-\d\dT/);
    assert.equal(m.responses.length, 1);
    assert.equal(m.responses[0].status, "good");
    assert.equal(m.responses[0].certId.hashAlgorithm, "sha1");
    assert.ok(Date.parse(m.responses[0].nextUpdate!) > Date.parse(m.responses[0].thisUpdate));
    assert.equal(m.certificates?.[0].subject.text, "CN=OCSP Lab Responder");
    assert.equal(m.signatureValid, true);
  });

  it("decodes a revoked answer with its time and reason", () => {
    const m = decodeOcspResponse(lab.respond("revoked.pem"));
    assert.equal(m.responses[0].status, "revoked");
    assert.equal(m.responses[0].reason, "keyCompromise");
    assert.ok(Math.abs(Date.parse(m.responses[0].revokedAt!) - Date.now()) < DAY);
  });

  it("inspect detects an OCSP response and an OCSP request by content (kind ocspResponse / ocspRequest)", () => {
    const r = inspectBytesSync(lab.respond("good.pem"), { fileName: "good.ocsp" });
    assert.deepEqual(r.errors, []);
    assert.equal(r.objects[0].kind, "ocspResponse");
    const req = inspectBytesSync(buildOcspRequest(lab.good, lab.ca, new Uint8Array(16).fill(7)), { fileName: "req.der" });
    assert.deepEqual(req.errors, []);
    assert.equal(req.objects[0].kind, "ocspRequest");
    const o = req.objects[0] as { requests: { certId: { serialNumber: string } }[]; nonce?: string };
    assert.equal(o.nonce, "07".repeat(16));
    assert.equal(o.requests.length, 1);
  });

  it("a request we build is one openssl reads: same serial, the nonce", () => {
    const nonce = new Uint8Array(16).fill(0xab);
    writeFileSync(lab.path("ours.der"), buildOcspRequest(lab.good, lab.ca, nonce));
    const r = spawnSync("openssl", ["ocsp", "-reqin", "ours.der", "-req_text", "-noverify"], { cwd: lab.dir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const serial = spawnSync("openssl", ["x509", "-in", "good.pem", "-noout", "-serial"], { cwd: lab.dir, encoding: "utf8" }).stdout.trim().split("=")[1];
    assert.match(r.stdout, new RegExp(`Serial Number: ${serial}`, "i"));
    assert.match(r.stdout, /OCSP Nonce/);
    assert.match(r.stdout.replace(/\s+/g, ""), /ABABABABABABABABABABABABABABABAB/i);
  });

  it("a non-successful response status decodes without response bytes", () => {
    const m = decodeOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03));
    assert.equal(m.responseStatus, "tryLater");
    assert.deepEqual(m.responses, []);
  });

  it("a truncated response is a clear error in inspect, not a crash", () => {
    const der = lab.respond("good.pem");
    const r = inspectBytesSync(der.subarray(0, der.length - 30), { fileName: "cut.ocsp" });
    assert.equal(r.objects.length, 0);
    assert.ok(r.errors.length >= 1);
  });
});

describe("OCSP responses: checking one certificate", () => {
  it("good, signed by a delegated responder with the OCSPSigning EKU", () => {
    const e = evaluateOcspResponse(lab.respond("good.pem"), lab.good, lab.ca);
    assert.equal(e.status, "good", e.detail);
    assert.match(e.signer!, /CN=OCSP Lab Responder \(delegated by CN=OCSP Lab CA\)/);
  });

  it("revoked, with time and reason", () => {
    const e = evaluateOcspResponse(lab.respond("revoked.pem"), lab.revoked, lab.ca);
    assert.equal(e.status, "revoked", e.detail);
    assert.equal(e.reason, "keyCompromise");
  });

  it("signed by the issuer itself", () => {
    const e = evaluateOcspResponse(lab.respond("good.pem", ["-rsigner", "ca.pem", "-rkey", "ca.key"]), lab.good, lab.ca);
    assert.equal(e.status, "good", e.detail);
    assert.equal(e.signer, "CN=OCSP Lab CA");
  });

  it("a responder certificate without the OCSPSigning EKU is not trusted", () => {
    // The good leaf's own key signs an answer about itself: issued by the CA, but not an OCSP responder.
    const e = evaluateOcspResponse(lab.respond("good.pem", ["-rsigner", "good.pem", "-rkey", "good.key"]), lab.good, lab.ca);
    assert.equal(e.status, "invalid");
    assert.match(e.detail, /OCSPSigning/);
  });

  it("an answer about another certificate does not count", () => {
    const e = evaluateOcspResponse(lab.respond("good.pem"), lab.revoked, lab.ca);
    assert.equal(e.status, "invalid");
    assert.match(e.detail, /CertID/);
  });

  it("a stale answer (nextUpdate passed) is invalid", () => {
    const e = evaluateOcspResponse(lab.respond("good.pem"), lab.good, lab.ca, { at: new Date(Date.now() + 3 * DAY) });
    assert.equal(e.status, "invalid");
    assert.match(e.detail, /stale/);
  });

  it("a tampered signature is invalid", () => {
    const der = new Uint8Array(lab.respond("good.pem"));
    // The response ends with the responder certificate; flip a byte of the ResponseData's producedAt instead.
    const s = Buffer.from(der).indexOf("Z", 40);
    der[s - 1] = der[s - 1] === 0x30 ? 0x31 : 0x30;
    const e = evaluateOcspResponse(der, lab.good, lab.ca);
    assert.equal(e.status, "invalid");
    assert.match(e.detail, /signature/);
  });

  it("a mismatched nonce is invalid", () => {
    const nonce = new Uint8Array(16).fill(1);
    writeFileSync(lab.path("n.der"), buildOcspRequest(lab.good, lab.ca, nonce));
    const r = spawnSync("openssl", ["ocsp", "-index", "db/index.txt", "-CA", "ca.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-reqin", "n.der", "-respout", "n.resp", "-ndays", "1"], { cwd: lab.dir });
    assert.equal(r.status, 0);
    const resp = new Uint8Array(readFileSync(lab.path("n.resp")));
    assert.equal(evaluateOcspResponse(resp, lab.good, lab.ca, { nonce }).status, "good");
    const e = evaluateOcspResponse(resp, lab.good, lab.ca, { nonce: new Uint8Array(16).fill(2) });
    assert.equal(e.status, "invalid");
    assert.match(e.detail, /nonce/);
  });
});

describe("OCSP client: checkOcsp against the responder in the AIA", () => {
  it("good (GET for a short request), then answered from the session cache", async () => {
    clearOcspCache();
    const before = { ...lab.requests };
    const s = await checkOcsp(lab.good, lab.ca, {});
    assert.equal(s.status, "good", s.detail);
    assert.equal(s.source, "ocsp");
    assert.equal(s.location, lab.url);
    assert.match(s.detail, /nonce echoed/);
    assert.equal(lab.requests.GET, before.GET + 1);
    const again = await checkOcsp(lab.good, lab.ca, {});
    assert.equal(again.status, "good");
    assert.equal(lab.requests.GET, before.GET + 1, "the second check is answered from the cache");
  });

  it("revoked, by POST", async () => {
    clearOcspCache();
    const before = lab.requests.POST;
    const s = await checkOcsp(lab.revoked, lab.ca, { method: "POST" } as Parameters<typeof checkOcsp>[2]);
    assert.equal(s.status, "revoked", s.detail);
    assert.equal(s.reason, "keyCompromise");
    assert.ok(s.revokedAt);
    assert.equal(lab.requests.POST, before + 1);
  });

  it("an unreachable responder gives unknown with the reason", async () => {
    const s = await checkOcsp(lab.unreachable, lab.ca, { timeoutMs: 2000 });
    assert.equal(s.status, "unknown");
    assert.match(s.detail, /refused/);
  });

  it("a responder that never answers gives unknown once the timeout passes (bounded)", async () => {
    const dead = await makeCertWithAia(`http://127.0.0.1:${silent.port}/`);
    const t0 = Date.now();
    const s = await checkOcsp(dead, lab.ca, { timeoutMs: 500 });
    assert.equal(s.status, "unknown");
    assert.match(s.detail, /no answer within 500 ms/);
    assert.ok(Date.now() - t0 < 20000);
  });

  it("can be cancelled", async () => {
    const dead = await makeCertWithAia(`http://127.0.0.1:${silent.port}/x`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const s = await checkOcsp(dead, lab.ca, { timeoutMs: 60000, signal: ac.signal });
    assert.equal(s.status, "unknown");
    assert.match(s.detail, /cancelled/);
  });

  it("a certificate without an OCSP URL says so", async () => {
    const s = await checkOcsp(lab.ca, lab.ca, {});
    assert.equal(s.status, "unknown");
    assert.match(s.detail, /names no OCSP responder/);
  });

  it("a responder that is not an OCSP responder (HTTP 404) gives unknown", async () => {
    const srv = await import("node:http").then((h) => h.createServer((_q, r) => r.writeHead(404).end("no")));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const s = await checkOcsp(await makeCertWithAia(`http://127.0.0.1:${port}/`), lab.ca, {});
      assert.equal(s.status, "unknown");
      assert.match(s.detail, /HTTP 404/);
    } finally {
      srv.close();
    }
  });
});

let made = 0;
/** A certificate issued by the lab CA whose AIA names `url`. */
async function makeCertWithAia(url: string): Promise<Uint8Array> {
  const n = ++made;
  writeFileSync(lab.path(`aia${n}.ext`), `basicConstraints=CA:FALSE\nauthorityInfoAccess=OCSP;URI:${url}\n`);
  const run = (...args: string[]) => {
    const r = spawnSync("openssl", args, { cwd: lab.dir });
    if (r.status !== 0) throw new Error(String(r.stderr));
    return r.stdout;
  };
  run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `aia${n}.key`, "-out", `aia${n}.csr`, "-subj", `/CN=aia${n}`);
  run("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", `aia${n}.csr`, "-out", `aia${n}.pem`, "-days", "5", "-extfile", `aia${n}.ext`, "-notext");
  return new Uint8Array(run("x509", "-in", `aia${n}.pem`, "-outform", "DER"));
}

describe("Check Revocation's path walk (checkPathRevocation)", () => {
  it("asks about the leaf with its issuer from the candidates and stops at the root", async () => {
    clearOcspCache();
    const { checkPathRevocation } = await import("../../src/core/revocation");
    const r = await checkPathRevocation(lab.revoked, [lab.good, lab.ca], {});
    assert.equal(r.length, 1);
    assert.equal(r[0].subject, "CN=localhost");
    assert.equal(r[0].issuer, "CN=OCSP Lab CA");
    assert.equal(r[0].status.status, "revoked");
  });

  it("says when the issuer is not available", async () => {
    const { checkPathRevocation } = await import("../../src/core/revocation");
    const r = await checkPathRevocation(lab.good, [], {});
    assert.equal(r[0].status.status, "unknown");
    assert.match(r[0].status.detail, /issuer of CN=localhost is not available/);
  });

  it("a root alone: nothing above it can revoke it", async () => {
    const { checkPathRevocation } = await import("../../src/core/revocation");
    const r = await checkPathRevocation(lab.ca, [lab.ca], {});
    assert.equal(r.length, 1);
    assert.match(r[0].status.detail, /self-issued/);
  });
});

describe("certscope inspect on OCSP files", () => {
  const cli = async (...args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runInspect(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  };

  it("--json: kind ocspResponse with the revoked status; the report says REVOKED", async () => {
    writeFileSync(lab.path("revoked.ocsp"), lab.respond("revoked.pem"));
    const j = await cli(lab.path("revoked.ocsp"), "--json");
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.equal(doc.objects[0].kind, "ocspResponse");
    assert.equal(doc.objects[0].responses[0].status, "revoked");
    assert.equal(doc.objects[0].responses[0].reason, "keyCompromise");
    const h = await cli(lab.path("revoked.ocsp"));
    assert.match(h.stdout, /OCSP response — successful/);
    assert.match(h.stdout, /Status\s+serial [0-9a-f]+: REVOKED .*\(keyCompromise\)/);
    assert.match(h.stdout, /Responder\s+CN=OCSP Lab Responder/);
  });
});

describe("checkOcsp never throws", () => {
  it("an issuer that is not a certificate gives unknown with the reason", async () => {
    const s = await checkOcsp(lab.good, Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), {});
    assert.equal(s.status, "unknown");
    assert.match(s.detail, /no OCSP request could be built/);
  });
});
