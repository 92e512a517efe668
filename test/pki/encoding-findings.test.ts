/**
 * Issue 15: every encoding violation of the crafted corpus raises its finding AND shows the right value; a
 * well-formed certificate raises none; CSRs, CRLs and keys carry findings too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import type { ContainerModel, CrlModel, CsrModel, EncodingFinding } from "../../src/shared/model";
import { Lab } from "./helpers";
import { CLEAN, CRAFTED, pick } from "./encodingCorpus";
import { cert, crl, csr, ext, gen, intRaw, name, pem, seq, tlv, utc } from "./derBuilder";

const codes = (fs: EncodingFinding[] | undefined) => (fs ?? []).map((f) => `${f.code} @ ${f.where}`);

for (const c of CRAFTED) {
  test(`crafted: ${c.name}`, () => {
    const m = decodeCertificate(c.der);
    for (const want of c.findings) assert.ok(codes(m.findings).includes(`${want.code} @ ${want.where}`), `missing ${want.code} @ ${want.where}; got ${JSON.stringify(m.findings, null, 1)}`);
    if (c.findings.length === 0) assert.deepEqual(m.findings, []);
    for (const f of m.findings ?? []) assert.ok(f.message.length > 10 && (f.severity === "error" || f.severity === "warning"), JSON.stringify(f));
    for (const [path, want] of Object.entries(c.shown)) assert.deepEqual(pick(m, path), want, `${path} of ${c.name}`);
  });
}

test("crafted: policyConstraints with wrong tags never shows the tag bytes as a number", () => {
  const c = CRAFTED.find((x) => x.name.startsWith("policyConstraints"))!;
  const e = decodeCertificate(c.der).extensions!.find((x) => x.name === "policyConstraints")!;
  assert.ok(!/131329/.test(e.text ?? ""), e.text);
  assert.match(e.text ?? "", /#a003020101/);
});

test("a well-formed crafted certificate has no findings; a summary carries none", () => {
  assert.deepEqual(decodeCertificate(CLEAN).findings, []);
  assert.equal(decodeCertificate(CRAFTED[0].der, { summary: true }).findings, undefined);
});

test("UTCTime years: 49 is 2049, 50 is 1950 (RFC 5280 §4.1.2.5.1)", () => {
  assert.equal(decodeCertificate(CLEAN).notBefore, "2026-01-01T00:00:00Z");
  const a = decodeCertificate(cert({ notBefore: utc("500101000000Z"), notAfter: utc("491231235959Z") }));
  assert.equal(a.notBefore, "1950-01-01T00:00:00Z");
  assert.equal(a.notAfter, "2049-12-31T23:59:59Z");
  assert.deepEqual(a.findings, []);
  const b = decodeCertificate(cert({ notBefore: gen("00000101000000Z"), notAfter: gen("20491231235959Z") }));
  assert.equal(b.notBefore, "0000-01-01T00:00:00Z");
  assert.deepEqual(codes(b.findings).sort(), ["time_type @ tbsCertificate.validity.notAfter", "time_type @ tbsCertificate.validity.notBefore"]);
});

test("a CRL: negative entry serial, fractional thisUpdate, bad UTF-8 issuer", async () => {
  const der = crl({
    issuer: name([["2.5.4.3", tlv(0x0c, [0xff])]]),
    thisUpdate: gen("20500101000000.25Z"),
    entries: [seq(intRaw(0x80), utc("260101000000Z"))],
  });
  const r = await inspectBytes(der, { fileName: "crafted.crl" });
  assert.deepEqual(r.errors, []);
  const m = r.objects[0] as CrlModel & { entries: { serialNumberSigned?: string }[] };
  assert.equal(m.thisUpdate, "2050-01-01T00:00:00.25Z");
  assert.equal(m.issuer.text, "CN=#0c01ff");
  assert.equal(m.entries[0].serialNumberSigned, "-80");
  const got = codes(m.findings);
  for (const want of ["fractional_seconds @ tbsCertList.thisUpdate", "negative_serial @ tbsCertList.revokedCertificates[0].userCertificate", "invalid_string @ tbsCertList.issuer.rdn[0]"])
    assert.ok(got.includes(want), `${want} not in ${got.join(", ")}`);
});

test("a CSR: empty RDN and a non-minimal length in the subject", async () => {
  const subject = Uint8Array.from([0x30, 0x81, ...name([["2.5.4.3", tlv(0x13, Buffer.from("x"))]], []).subarray(1)]);
  const r = await inspectBytes(csr(subject), { fileName: "crafted.csr" });
  assert.deepEqual(r.errors, []);
  const m = r.objects[0] as CsrModel;
  assert.equal(m.subject.text, "CN=x");
  const got = codes(m.findings);
  assert.ok(got.includes("empty_rdn @ certificationRequestInfo.subject.rdn[1]"), got.join(", "));
  assert.ok(got.includes("non_der @ certificationRequestInfo.subject"), got.join(", "));
});

test("keys carry findings: an openssl key has none", async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const k = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const r = await inspectBytes(new Uint8Array(k.privateKey.export({ type: "pkcs8", format: "der" })), { fileName: "k.der" });
  assert.deepEqual(r.objects[0].findings, []);
  const p = await inspectBytes(new Uint8Array(k.publicKey.export({ type: "spki", format: "der" })), { fileName: "p.der" });
  assert.deepEqual(p.objects[0].findings, []);
});

test("a time's characters quoted in a message are printable: a control character is written \\xNN", async () => {
  const der = crl({ entries: [seq(intRaw(1), utc("260101000000Z"), seq(ext("2.5.29.24", gen("2026010100000\u0007Z"))))] });
  const r = await inspectBytes(der, { fileName: "crafted.crl" });
  const f = (r.objects[0].findings ?? []).find((x) => x.code === "time_format");
  assert.ok(f, JSON.stringify(r.objects[0].findings));
  assert.match(f.message, /'2026010100000\\x07Z'/);
  assert.doesNotMatch(f.message, /\u0007/);
});

test("a container's nested objects carry their findings (PKCS#7 made by openssl crl2pkcs7)", async () => {
  const lab = new Lab("p7-findings");
  try {
    const bad = CRAFTED.find((c) => c.name === "negative serial")!.der;
    lab.write("bad.pem", pem(bad));
    lab.openssl(["crl2pkcs7", "-nocrl", "-certfile", "bad.pem", "-outform", "DER", "-out", "bad.p7b"]);
    const r = await inspectBytes(lab.read("bad.p7b"), { fileName: "bad.p7b" });
    assert.deepEqual(r.errors, []);
    const p7 = r.objects[0] as ContainerModel;
    assert.equal(p7.kind, "pkcs7");
    assert.deepEqual(codes(p7.objects[0].findings), ["negative_serial @ tbsCertificate.serialNumber"]);
  } finally {
    lab.cleanup();
  }
});
