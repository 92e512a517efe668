// Certificate Transparency: a certificate with embedded SCTs made here — a test log's key signs the
// precertificate (RFC 6962 §3.2), a second SCT claims to come from Google's Argon2026h1 with a bad signature —
// then decoded by inspect, verified, and seen in a handshake with openssl s_server.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { children, parse, raw } from "../../src/core/pki/der";
import { derOctets, derOid, derSeq, tlv } from "../../src/core/pki/derWrite";
import { checkScts, embeddedSctList, knownLog, precertTbs } from "../../src/core/pki/sct";
import { buildCertId, evaluateOcspResponse } from "../../src/core/pki/ocspCheck";
import { inspectBytesSync } from "../../src/core/pki";
import { runHandshake } from "../../src/core/tls";
import { renderHuman } from "../../src/cli/handshake";
import type { CertificateModel, SctInfo } from "../../src/shared/model";
import { opensslServer, type Running } from "../tls/helpers";

const ARGON_2026H1 = Buffer.from("0e5794bcf3aea93e331b2c9907b3f790df9bc23d713225dd21a925ac61c54e21", "hex").toString("base64");

let dir = "";
let caDer: Uint8Array;
let finalDer: Uint8Array;
let plainTbs: Uint8Array;
let logKey: { publicKey: KeyObject; privateKey: KeyObject };
let logSpki: Uint8Array;
const servers: Running[] = [];
const p = (n: string) => join(dir, n);
const run = (...args: string[]) => {
  const r = spawnSync("openssl", args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

/** One SCT over the precertificate entry (issuer key hash + TBS), signed by `key`, claiming `logId`. */
function makeSct(logId: Buffer, ts: number, issuerKeyHash: Buffer, tbs: Uint8Array, key: KeyObject | null): Buffer {
  const tsb = Buffer.alloc(8);
  tsb.writeBigUInt64BE(BigInt(ts));
  const signed = Buffer.concat([Buffer.from([0, 0]), tsb, u16(1), issuerKeyHash, u24(tbs.length), Buffer.from(tbs), u16(0)]);
  const sig = key ? sign("sha256", signed, key) : Buffer.from("3006020101020101", "hex");
  return Buffer.concat([Buffer.from([0]), logId, tsb, u16(0), Buffer.from([4, 3]), u16(sig.length), sig]);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "certscope-sct-"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  run("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=CT Lab CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign");
  run("req", ...ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
  writeFileSync(p("leaf.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
  run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "20", "-extfile", "leaf.ext");
  caDer = new Uint8Array(run("x509", "-in", "ca.pem", "-outform", "DER"));
  const leafDer = new Uint8Array(run("x509", "-in", "leaf.pem", "-outform", "DER"));

  // The final certificate: the leaf's TBSCertificate with an SCT list appended to its extensions, re-signed by the CA.
  logKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
  logSpki = new Uint8Array(logKey.publicKey.export({ format: "der", type: "spki" }));
  const [tbsNode, algNode] = children(parse(leafDer));
  plainTbs = raw(tbsNode);
  const caSpki = raw(children(children(parse(caDer))[0])[6]);
  const ikh = createHash("sha256").update(caSpki).digest();
  const ts = Date.UTC(2026, 0, 15, 12, 0, 0, 250);
  const scts = [
    makeSct(createHash("sha256").update(logSpki).digest(), ts, ikh, plainTbs, logKey.privateKey),
    makeSct(Buffer.from(ARGON_2026H1, "base64"), ts + 1000, ikh, plainTbs, null),
  ];
  const list = Buffer.concat(scts.map((s) => Buffer.concat([u16(s.length), s])));
  const sctExt = derSeq(derOid("1.3.6.1.4.1.11129.2.4.2"), derOctets(derOctets(Buffer.concat([u16(list.length), list]))));
  const fields = children(tbsNode).map((f) => (f.cls === 2 && f.num === 3 ? tlv(0xa3, derSeq(...children(children(f)[0]).map((e) => raw(e)), sctExt)) : raw(f)));
  const tbs = derSeq(...fields);
  const caKey = readFileSync(p("ca.key"));
  const sig = sign("sha256", tbs, caKey);
  finalDer = derSeq(tbs, raw(algNode), tlv(0x03, Buffer.concat([Buffer.from([0]), sig])));
  const pem = (der: Uint8Array, label = "CERTIFICATE") => `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END ${label}-----\n`;
  writeFileSync(p("final.pem"), pem(finalDer));
  writeFileSync(p("bundle.pem"), pem(finalDer) + pem(caDer));
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Certificate Transparency", () => {
  it("the bundled log list names logs by ID (a dated snapshot)", () => {
    assert.equal(knownLog(ARGON_2026H1)?.name, "Google Argon2026h1");
    assert.equal(knownLog(ARGON_2026H1)?.operator, "Google");
  });

  it("openssl reads the certificate we built, and its SCT list", () => {
    const t = spawnSync("openssl", ["x509", "-in", "final.pem", "-noout", "-text"], { cwd: dir, encoding: "utf8" });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /CT Precertificate SCTs/);
    const v = spawnSync("openssl", ["verify", "-CAfile", "ca.pem", "final.pem"], { cwd: dir, encoding: "utf8" });
    assert.match(v.stdout, /OK/);
  });

  it("the precertificate TBS is the certificate's without the SCT list (RFC 6962 §3.2)", () => {
    assert.deepEqual(Buffer.from(precertTbs(finalDer)), Buffer.from(plainTbs));
  });

  it("inspect decodes the SCTs, names known logs and checks the signatures whose log key it knows", () => {
    const r = inspectBytesSync(new Uint8Array(readFileSync(p("bundle.pem"))), { fileName: "bundle.pem" });
    assert.deepEqual(r.errors, []);
    const leaf = r.objects[0] as CertificateModel;
    const ext = leaf.extensions!.find((e) => e.oid === "1.3.6.1.4.1.11129.2.4.2")!;
    const scts = (ext.value as { scts: SctInfo[] }).scts;
    assert.equal(scts.length, 2);
    assert.equal(scts[0].log, undefined);
    assert.equal(scts[0].verified, undefined, "the test log is not in the bundled list: not checked");
    assert.equal(scts[0].timestamp, "2026-01-15T12:00:00.250Z");
    assert.equal(scts[0].hashAlgorithm, "sha256");
    assert.equal(scts[0].signatureAlgorithm, "ecdsa");
    assert.equal(scts[1].log, "Google Argon2026h1");
    assert.equal(scts[1].verified, false, "a bad signature from a known log");
    assert.match(ext.text!, /^2 SCTs from an unknown log \(.{8}…\), Google Argon2026h1$/);
  });

  it("verifies an embedded SCT with the log's key, and refuses it for another certificate", () => {
    const list = embeddedSctList(finalDer)!;
    const ok = checkScts(list, "embedded", finalDer, caDer, { extraLogs: [{ name: "CertScope Test Log", key: logSpki }] });
    assert.equal(ok[0].log, "CertScope Test Log");
    assert.equal(ok[0].verified, true);
    assert.equal(ok[0].source, "embedded");
    // The same SCT list on a certificate with a different key hash (issuer = itself): the signature no longer matches.
    const wrong = checkScts(list, "embedded", finalDer, finalDer, { extraLogs: [{ name: "CertScope Test Log", key: logSpki }] });
    assert.equal(wrong[0].verified, false);
  });

  it("a malformed SCT list is an extension error, not a crash", () => {
    const bad = Buffer.from(finalDer);
    // Corrupt the list's outer length (the two bytes after 04 82 xx xx 04 82 xx xx inside the SCT extension).
    const at = bad.indexOf(Buffer.from("060a2b06010401d679020402", "hex"));
    assert.ok(at > 0);
    bad[at + 12 + 4 + 4] ^= 0xff;
    const r = inspectBytesSync(new Uint8Array(bad), { fileName: "bad.der" });
    const leaf = r.objects[0] as CertificateModel;
    const ext = leaf.extensions!.find((e) => e.oid === "1.3.6.1.4.1.11129.2.4.2")!;
    assert.match(ext.text!, /^malformed: /);
  });

  it("the handshake shows the embedded SCTs of the server's certificate, and warns about one that does not verify", async () => {
    const s = await opensslServer(["-cert", p("final.pem"), "-key", p("leaf.key"), "-naccept", "1"]);
    servers.push(s);
    const r = await runHandshake({ host: "127.0.0.1", port: s.port, servername: "localhost", ca: [caDer], useSystemRoots: false, timeoutMs: 20000 });
    assert.equal(r.outcome, "success", JSON.stringify(r.diagnosis));
    assert.equal(r.scts?.length, 2);
    assert.deepEqual(r.scts!.map((x) => x.source), ["embedded", "embedded"]);
    assert.equal(r.scts![1].log, "Google Argon2026h1");
    assert.equal(r.scts![1].verified, false);
    assert.ok(r.warnings?.some((w) => /1 signed certificate timestamp from Google Argon2026h1 did not verify/.test(w)), String(r.warnings));
    assert.match(renderHuman(r), /\nCT: 2 SCTs \(embedded\) from an unknown log \(.{8}…\), Google Argon2026h1; 1 did not verify\n/);
  });

  it("SCTs in a stapled OCSP response (an answer signed by the issuer, responder ID by key hash) are read and verified over the certificate", async () => {
    const gt = (d: Date) => tlv(0x18, Buffer.from(d.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z")));
    const now = Date.now();
    // An SCT over the X.509 entry (the final certificate itself), signed by the test log.
    const tsb = Buffer.alloc(8);
    tsb.writeBigUInt64BE(BigInt(now - 60000));
    const signed = Buffer.concat([Buffer.from([0, 0]), tsb, u16(0), u24(finalDer.length), Buffer.from(finalDer), u16(0)]);
    const sig = sign("sha256", signed, logKey.privateKey);
    const sct = Buffer.concat([Buffer.from([0]), createHash("sha256").update(logSpki).digest(), tsb, u16(0), Buffer.from([4, 3]), u16(sig.length), sig]);
    const list = Buffer.concat([u16(sct.length + 2), u16(sct.length), sct]);
    const singleExts = derSeq(derSeq(derOid("1.3.6.1.4.1.11129.2.4.5"), derOctets(derOctets(list))));
    const single = derSeq(buildCertId(finalDer, caDer), Uint8Array.of(0x80, 0x00), gt(new Date(now - 3600000)), tlv(0xa0, gt(new Date(now + 86400000))), tlv(0xa1, singleExts));
    const spkiBits = raw(children(children(children(parse(caDer))[0])[6])[1]).subarray(3);
    const keyHash = createHash("sha1").update(spkiBits).digest();
    const responseData = derSeq(tlv(0xa2, derOctets(keyHash)), gt(new Date(now)), derSeq(single));
    const rsig = sign("sha256", responseData, readFileSync(p("ca.key")));
    const basic = derSeq(responseData, derSeq(derOid("1.2.840.10045.4.3.2")), tlv(0x03, Buffer.concat([Buffer.from([0]), rsig])));
    const resp = derSeq(Uint8Array.of(0x0a, 0x01, 0x00), tlv(0xa0, derSeq(derOid("1.3.6.1.5.5.7.48.1.1"), derOctets(basic))));

    const e = evaluateOcspResponse(resp, finalDer, caDer);
    assert.equal(e.status, "good", e.detail);
    assert.equal(e.signer, "CN=CT Lab CA");
    assert.match(e.responder!, /^keyHash [0-9a-f]{40}$/);
    const scts = checkScts(e.sctList!, "ocsp", finalDer, caDer, { extraLogs: [{ name: "CertScope Test Log", key: logSpki }] });
    assert.equal(scts.length, 1);
    assert.equal(scts[0].verified, true);
    assert.equal(scts[0].source, "ocsp");

    writeFileSync(p("sct.staple"), resp);
    const s = await opensslServer(["-cert", p("final.pem"), "-key", p("leaf.key"), "-status_file", p("sct.staple"), "-naccept", "1"]);
    servers.push(s);
    const r = await runHandshake({ host: "127.0.0.1", port: s.port, servername: "localhost", ca: [caDer], useSystemRoots: false, timeoutMs: 20000 });
    assert.equal(r.ocsp?.status, "good", r.ocsp?.detail);
    assert.deepEqual(r.scts!.map((x) => x.source), ["embedded", "embedded", "ocsp"]);
  });
});
