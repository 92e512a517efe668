/**
 * Every format of issue 2, generated with the openssl CLI, decoded by inspectBytes and checked field by
 * field (and against openssl's own view where it prints one).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { Lab } from "./helpers";
import { inspectBytes, decryptPrivateKey, openPkcs12, certificatesFromBytes, decodeCertificate, PkiError, scanPem } from "../../src/core/pki";
import type { CertificateModel, ContainerModel, CrlModel, CsrModel, PkiObject, PrivateKeyModel, PublicKeyModel } from "../../src/shared/model";

const lab = new Lab("formats");
const PW = "correct horse";

// One SCT (version 1, log id 0x11…, timestamp 2026-01-02T03:04:05.678Z, sha256/ecdsa, 4-byte signature).
function sctExtension(): string {
  const sct = Buffer.alloc(51);
  sct[0] = 0;
  sct.fill(0x11, 1, 33);
  sct.writeBigUInt64BE(BigInt(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), 33);
  sct.writeUInt16BE(0, 41);
  sct[43] = 4;
  sct[44] = 3;
  sct.writeUInt16BE(4, 45);
  sct.writeUInt32BE(0xdeadbeef, 47);
  const list = Buffer.concat([Buffer.from([0, 53, 0, 51]), sct]);
  return "DER:" + Buffer.concat([Buffer.from([0x04, list.length]), list]).toString("hex");
}

const CA_CNF = `
[ca]
default_ca = lab
[lab]
dir = ${lab.dir}
database = ${lab.dir}/index.txt
new_certs_dir = ${lab.dir}
certificate = ${lab.dir}/ca.pem
private_key = ${lab.dir}/ca.key
crlnumber = ${lab.dir}/crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:.example.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;email:bad.example.com
policyConstraints = requireExplicitPolicy:0
inhibitAnyPolicy = 1
policyMappings = 1.2.3.4:1.2.3.5
[leaf_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, DNS:*.example.com, IP:127.0.0.1, IP:2001:db8::1, email:ops@example.com, URI:https://example.com/id
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
authorityInfoAccess = OCSP;URI:http://ocsp.example.com, caIssuers;URI:http://ca.example.com/ca.der
crlDistributionPoints = URI:http://crl.example.com/ca.crl
certificatePolicies = 2.23.140.1.2.1, @cps
tlsfeature = status_request
nsComment = "made by the certscope tests"
1.3.6.1.4.1.11129.2.4.2 = ${sctExtension()}
1.2.3.4.5.6.7 = DER:0403010203
[cps]
policyIdentifier = 1.3.6.1.4.1.99999.1
CPS.1 = "https://example.com/cps"
`;

const files: Record<string, Buffer> = {};

before(() => {
  lab.write("ca.cnf", CA_CNF);
  lab.write("index.txt", "");
  lab.write("crlnumber", "1000\n");
  lab.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key"]);
  lab.openssl(["req", "-x509", "-new", "-key", "ca.key", "-subj", "/C=NL/O=Certscope Lab/CN=Lab Root CA", "-days", "30", "-set_serial", "0x00ff01", "-config", "ca.cnf", "-extensions", "ca_ext", "-out", "ca.pem"]);
  lab.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "leaf.key"]);
  lab.openssl(["req", "-new", "-key", "leaf.key", "-subj", "/O=Lab, Inc./CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "extendedKeyUsage=serverAuth", "-out", "leaf.csr"]);
  lab.openssl(["req", "-in", "leaf.csr", "-outform", "DER", "-out", "leaf.csr.der"]);
  lab.openssl(["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "4660", "-days", "10", "-extfile", "ca.cnf", "-extensions", "leaf_ext", "-out", "leaf.pem"]);
  lab.openssl(["x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der"]);
  // CRL: revoke the leaf with a reason, through `openssl ca`.
  lab.openssl(["ca", "-config", "ca.cnf", "-revoke", "leaf.pem", "-crl_reason", "keyCompromise"]);
  lab.openssl(["ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem"]);
  lab.openssl(["crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der"]);
  lab.write("chain.pem", lab.text("leaf.pem") + lab.text("ca.pem"));
  lab.openssl(["crl2pkcs7", "-in", "crl.pem", "-certfile", "chain.pem", "-out", "bundle.p7b"]);
  lab.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", "DER", "-out", "bundle.p7b.der"]);
  // Keys in every format.
  lab.openssl(["genpkey", "-algorithm", "ED25519", "-out", "ed25519.key"]);
  lab.openssl(["genpkey", "-algorithm", "ED448", "-out", "ed448.key"]);
  lab.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.key"]);
  lab.openssl(["pkey", "-in", "p384.key", "-traditional", "-out", "p384.sec1.key"]);
  lab.openssl(["pkey", "-in", "leaf.key", "-traditional", "-out", "leaf.pkcs1.key"]);
  lab.openssl(["pkcs8", "-topk8", "-nocrypt", "-in", "leaf.key", "-outform", "DER", "-out", "leaf.key.der"]);
  lab.openssl(["rsa", "-in", "leaf.key", "-traditional", "-outform", "DER", "-out", "leaf.pkcs1.der"]);
  lab.openssl(["pkey", "-in", "p384.key", "-traditional", "-outform", "DER", "-out", "p384.sec1.der"]);
  lab.openssl(["pkcs8", "-topk8", "-in", "leaf.key", "-v2", "aes-256-cbc", "-passout", `pass:${PW}`, "-out", "leaf.enc.key"]);
  lab.openssl(["pkcs8", "-topk8", "-in", "p384.key", "-v1", "PBE-SHA1-3DES", "-passout", `pass:${PW}`, "-out", "p384.v1.key"]);
  lab.openssl(["rsa", "-in", "leaf.key", "-traditional", "-aes256", "-passout", `pass:${PW}`, "-out", "leaf.legacy-aes.key"]);
  lab.openssl(["ec", "-in", "p384.key", "-des3", "-passout", `pass:${PW}`, "-out", "p384.legacy-des3.key"]);
  lab.openssl(["pkey", "-in", "leaf.key", "-pubout", "-out", "leaf.pub"]);
  lab.openssl(["rsa", "-in", "leaf.key", "-RSAPublicKey_out", "-out", "leaf.rsapub"]);
  // PKCS#12: OpenSSL 3 default (PBES2/AES-256, HMAC-SHA256), legacy (RC2-40 + 3DES, SHA-1 MAC), empty password.
  lab.openssl(["pkcs12", "-export", "-in", "leaf.pem", "-inkey", "leaf.key", "-certfile", "ca.pem", "-name", "leaf cert", "-passout", `pass:${PW}`, "-out", "modern.p12"]);
  try {
    lab.openssl(["pkcs12", "-export", "-legacy", "-in", "leaf.pem", "-inkey", "leaf.key", "-passout", `pass:${PW}`, "-out", "legacy.p12"]);
  } catch {
    lab.openssl(["pkcs12", "-export", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-in", "leaf.pem", "-inkey", "leaf.key", "-passout", `pass:${PW}`, "-out", "legacy.p12"]);
  }
  lab.openssl(["pkcs12", "-export", "-in", "leaf.pem", "-inkey", "leaf.key", "-passout", "pass:", "-out", "empty.p12"]);
  lab.openssl(["pkcs12", "-export", "-in", "leaf.pem", "-inkey", "leaf.key", "-keypbe", "NONE", "-certpbe", "NONE", "-passout", "pass:", "-out", "plain.p12"]);
  lab.openssl(["x509", "-in", "ca.pem", "-trustout", "-addtrust", "serverAuth", "-setalias", "lab root", "-out", "trusted.pem"]);
  for (const f of ["ca.pem", "leaf.pem", "leaf.der", "leaf.csr", "leaf.csr.der", "crl.pem", "crl.der", "chain.pem", "bundle.p7b", "bundle.p7b.der", "ed25519.key", "ed448.key", "p384.key", "p384.sec1.key", "leaf.key", "leaf.pkcs1.key", "leaf.key.der", "leaf.pkcs1.der", "p384.sec1.der", "leaf.enc.key", "p384.v1.key", "leaf.legacy-aes.key", "p384.legacy-des3.key", "leaf.pub", "leaf.rsapub", "modern.p12", "legacy.p12", "empty.p12", "plain.p12", "trusted.pem"])
    files[f] = lab.read(f);
});

after(() => lab.cleanup());

async function one<T extends PkiObject>(name: string, kind: T["kind"], password?: string): Promise<T> {
  const r = await inspectBytes(files[name], { fileName: name, password });
  assert.deepEqual(r.errors, [], `${name}: ${JSON.stringify(r.errors)}`);
  assert.equal(r.objects.length, 1, name);
  assert.equal(r.objects[0].kind, kind, name);
  return r.objects[0] as T;
}

function ext(c: { extensions?: { name: string; value: unknown; text?: string; critical: boolean }[] }, name: string) {
  const e = c.extensions?.find((x) => x.name === name);
  assert.ok(e, `extension ${name} missing`);
  return e as { name: string; value: any; text?: string; critical: boolean };
}

test("CA certificate: names, serial, key, CA flag, self-signed, constraint extensions", async () => {
  const c = await one<CertificateModel>("ca.pem", "certificate");
  const x = new X509Certificate(files["ca.pem"]);
  assert.equal(c.line, 1);
  assert.equal(c.subject.text, "CN=Lab Root CA,O=Certscope Lab,C=NL");
  assert.deepEqual(c.subject.attributes.map((a) => a.type), ["C", "O", "CN"]);
  assert.equal(c.issuer.text, c.subject.text);
  assert.equal(c.serialNumber, "ff01");
  assert.equal(c.fingerprints.sha256, x.fingerprint256.replace(/:/g, "").toLowerCase());
  assert.equal(c.fingerprints.sha1, x.fingerprint.replace(/:/g, "").toLowerCase());
  assert.equal(c.notAfter, new Date(x.validTo).toISOString().replace(".000", ""));
  assert.deepEqual({ ...c.publicKey, spkiSha256: undefined }, { algorithm: "EC", curve: "P-256", bits: 256, spkiSha256: undefined });
  assert.equal(c.signatureAlgorithm, "ecdsa-with-SHA256");
  assert.equal(c.isCA, true);
  assert.equal(c.selfSigned, true);
  assert.equal(c.version, 3);
  assert.deepEqual(ext(c, "basicConstraints").value, { ca: true, pathLength: 1 });
  assert.equal(ext(c, "basicConstraints").critical, true);
  assert.deepEqual(ext(c, "keyUsage").value, { usages: ["keyCertSign", "cRLSign"] });
  const nc = ext(c, "nameConstraints").value;
  assert.deepEqual(nc.permitted, [{ type: "dns", value: ".example.com" }, { type: "ip", value: "10.0.0.0/255.0.0.0" }]);
  assert.deepEqual(nc.excluded, [{ type: "email", value: "bad.example.com" }]);
  assert.deepEqual(ext(c, "policyConstraints").value, { requireExplicitPolicy: 0 });
  assert.deepEqual(ext(c, "inhibitAnyPolicy").value, { skipCerts: 1 });
  assert.deepEqual(ext(c, "policyMappings").value, { mappings: [{ issuerDomainPolicy: "1.2.3.4", subjectDomainPolicy: "1.2.3.5" }] });
  assert.match(c.pem ?? "", /^-----BEGIN CERTIFICATE-----\n/);
});

test("leaf certificate: SANs (IPv6 compressed), every extension by name, unknown as hex, not self-signed", async () => {
  const c = await one<CertificateModel>("leaf.pem", "certificate");
  assert.equal(c.subject.text, "CN=localhost,O=Lab\\, Inc.");
  assert.equal(c.issuer.text, "CN=Lab Root CA,O=Certscope Lab,C=NL");
  assert.equal(c.serialNumber, "1234");
  assert.equal(c.isCA, false);
  assert.equal(c.selfSigned, false);
  assert.deepEqual(c.publicKey.algorithm, "RSA");
  assert.equal(c.publicKey.bits, 2048);
  assert.equal(c.signatureAlgorithm, "ecdsa-with-SHA256");
  assert.deepEqual(c.subjectAltNames, [
    { type: "dns", value: "localhost" },
    { type: "dns", value: "*.example.com" },
    { type: "ip", value: "127.0.0.1" },
    { type: "ip", value: "2001:db8::1" },
    { type: "email", value: "ops@example.com" },
    { type: "uri", value: "https://example.com/id" },
  ]);
  assert.deepEqual(ext(c, "extKeyUsage").value.usages, ["serverAuth", "clientAuth"]);
  assert.deepEqual(ext(c, "keyUsage").value.usages, ["digitalSignature", "keyEncipherment"]);
  assert.deepEqual(ext(c, "authorityInfoAccess").value.descriptions.map((d: any) => `${d.method}=${d.location.value}`), [
    "OCSP=http://ocsp.example.com",
    "caIssuers=http://ca.example.com/ca.der",
  ]);
  assert.deepEqual(ext(c, "cRLDistributionPoints").value.points[0].fullName, [{ type: "uri", value: "http://crl.example.com/ca.crl" }]);
  const pol = ext(c, "certificatePolicies").value.policies;
  assert.equal(pol[0].oid, "2.23.140.1.2.1");
  assert.equal(pol[0].name, "domainValidated");
  assert.deepEqual(pol[1].cps, ["https://example.com/cps"]);
  assert.deepEqual(ext(c, "tlsFeature").value.features, ["status_request"]);
  assert.equal(ext(c, "nsComment").value.comment, "made by the certscope tests");
  const sct = ext(c, "signedCertificateTimestampList").value;
  assert.equal(sct.count, 1);
  assert.equal(sct.scts[0].timestamp, "2026-01-02T03:04:05.678Z");
  assert.equal(sct.scts[0].logId, Buffer.alloc(32, 0x11).toString("base64"));
  assert.equal(sct.scts[0].hashAlgorithm, "sha256");
  const ca = await one<CertificateModel>("ca.pem", "certificate");
  const aki = ext(c, "authorityKeyIdentifier").value.keyIdentifier;
  assert.equal(aki, ext(ca, "subjectKeyIdentifier").value.keyIdentifier);
  const unknown = ext(c, "1.2.3.4.5.6.7");
  assert.deepEqual(unknown.value, { hex: "0403010203" });
  for (const e of c.extensions ?? []) assert.ok(typeof e.text === "string" && e.text.length > 0, `${e.name} has text`);
});

test("DER certificate is detected by content and decodes like the PEM", async () => {
  const der = await one<CertificateModel>("leaf.der", "certificate");
  const pem = await one<CertificateModel>("leaf.pem", "certificate");
  assert.equal(der.line, undefined);
  assert.deepEqual({ ...der, line: 1 }, pem);
});

test("summary mode: only the summary fields, same values as the full decode", async () => {
  const r = await inspectBytes(files["chain.pem"], { fileName: "chain.pem", summary: true });
  const full = await inspectBytes(files["chain.pem"], { fileName: "chain.pem" });
  assert.equal(r.objects.length, 2);
  const keys = ["fingerprints", "isCA", "issuer", "kind", "line", "notAfter", "notBefore", "publicKey", "selfSigned", "serialNumber", "subject", "subjectAltNames"];
  r.objects.forEach((o, i) => {
    assert.deepEqual(Object.keys(o).sort(), keys);
    const f = full.objects[i] as CertificateModel;
    for (const k of keys) assert.deepEqual((o as any)[k], (f as any)[k], k);
  });
  assert.equal((r.objects[1] as CertificateModel).line, files["leaf.pem"].toString().split("\n").length);
});

test("CSR (PEM and DER): subject, key, requested extensions, signature verified", async () => {
  for (const name of ["leaf.csr", "leaf.csr.der"]) {
    const c = await one<CsrModel>(name, "csr");
    assert.equal(c.subject.text, "CN=localhost,O=Lab\\, Inc.");
    assert.equal(c.publicKey.bits, 2048);
    assert.equal(c.signatureAlgorithm, "sha256WithRSAEncryption");
    assert.equal(c.signatureValid, true);
    assert.deepEqual(c.subjectAltNames, [{ type: "dns", value: "localhost" }, { type: "ip", value: "127.0.0.1" }]);
    assert.deepEqual(ext(c, "extKeyUsage").value.usages, ["serverAuth"]);
  }
  // A tampered CSR (one byte of the subject changed) no longer verifies.
  const der = Buffer.from(files["leaf.csr.der"]);
  const at = der.indexOf(Buffer.from("localhost"));
  der[at] = "L".charCodeAt(0);
  const r = await inspectBytes(der, { fileName: "tampered.csr" });
  assert.equal((r.objects[0] as CsrModel).signatureValid, false);
});

test("CRL from `openssl ca` (PEM and DER): entries with reasons, this/next update, CRL number", async () => {
  const leaf = await one<CertificateModel>("leaf.pem", "certificate");
  for (const name of ["crl.pem", "crl.der"]) {
    const c = await one<CrlModel>(name, "crl");
    assert.equal(c.issuer.text, "CN=Lab Root CA,O=Certscope Lab,C=NL");
    assert.equal(c.crlNumber, String(0x1000));
    assert.equal(c.entries.length, 1);
    assert.equal(c.entries[0].serialNumber, leaf.serialNumber);
    assert.equal(c.entries[0].reason, "keyCompromise");
    assert.ok(c.nextUpdate && Date.parse(c.nextUpdate) - Date.parse(c.thisUpdate) === 7 * 86400000);
    assert.equal(c.signatureAlgorithm, "ecdsa-with-SHA256");
  }
});

test("PKCS#7 from crl2pkcs7 (PEM with CRL, DER without): nested certificates and CRLs in order", async () => {
  const p = await one<ContainerModel>("bundle.p7b", "pkcs7");
  assert.deepEqual(p.objects.map((o) => o.kind), ["certificate", "certificate", "crl"]);
  assert.equal((p.objects[0] as CertificateModel).subject.text, "CN=localhost,O=Lab\\, Inc.");
  const d = await one<ContainerModel>("bundle.p7b.der", "pkcs7");
  assert.deepEqual(d.objects.map((o) => (o as CertificateModel).serialNumber), ["1234", "ff01"]);
  const { certs, errors } = certificatesFromBytes(files["bundle.p7b"]);
  assert.equal(certs.length, 2);
  assert.deepEqual(errors, []);
});

test("private keys: PKCS#8, PKCS#1, SEC1, Ed25519, Ed448, DER; type and size, never material", async () => {
  const rows: [string, string, Record<string, string | number>, string][] = [
    ["leaf.key", "pkcs8", { algorithm: "RSA", bits: 2048 }, "leaf.pub"],
    ["leaf.pkcs1.key", "pkcs1", { algorithm: "RSA", bits: 2048 }, "leaf.pub"],
    ["leaf.key.der", "pkcs8", { algorithm: "RSA", bits: 2048 }, "leaf.pub"],
    ["leaf.pkcs1.der", "pkcs1", { algorithm: "RSA", bits: 2048 }, "leaf.pub"],
    ["p384.sec1.der", "sec1", { algorithm: "EC", curve: "P-384", bits: 384 }, ""],
    ["p384.key", "pkcs8", { algorithm: "EC", curve: "P-384", bits: 384 }, ""],
    ["p384.sec1.key", "sec1", { algorithm: "EC", curve: "P-384", bits: 384 }, ""],
    ["ed25519.key", "pkcs8", { algorithm: "Ed25519" }, ""],
    ["ed448.key", "pkcs8", { algorithm: "Ed448", bits: 456 }, ""],
  ];
  const pub = await one<PublicKeyModel>("leaf.pub", "publicKey");
  for (const [name, format, want, pubName] of rows) {
    const k = await one<PrivateKeyModel>(name, "privateKey");
    assert.equal(k.encrypted, false, name);
    assert.equal(k.format, format, name);
    for (const [key, v] of Object.entries(want)) assert.equal((k.publicKey as any)[key], v, `${name} ${key}`);
    assert.match(k.publicKey?.spkiSha256 ?? "", /^[0-9a-f]{64}$/, name);
    if (pubName) assert.equal(k.publicKey?.spkiSha256, pub.publicKey.spkiSha256, name);
    const json = JSON.stringify(k);
    const pkcs8 = decryptPrivateKey(files[name]);
    assert.ok(!json.includes(Buffer.from(pkcs8).toString("base64").slice(40, 80)), "no key material in the model");
  }
});

test("encrypted keys: PBES2 and PKCS#12-PBE PKCS#8, legacy Proc-Type PEM (AES, 3DES)", async () => {
  const rows: [string, RegExp, string][] = [
    ["leaf.enc.key", /^PBES2 \(PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations\)$/, "RSA"],
    ["p384.v1.key", /^pbeWithSHA1And3-KeyTripleDES-CBC/, "EC"],
    ["leaf.legacy-aes.key", /^AES-256-CBC \(legacy PEM/, "RSA"],
    ["p384.legacy-des3.key", /^DES-EDE3-CBC \(legacy PEM/, "EC"],
  ];
  for (const [name, enc, alg] of rows) {
    const locked = await one<PrivateKeyModel>(name, "privateKey");
    assert.equal(locked.encrypted, true);
    assert.match(locked.encryption?.[0] ?? "", enc, name);
    assert.equal(locked.publicKey, undefined, `${name}: no public key without the password`);
    const opened = await one<PrivateKeyModel>(name, "privateKey", PW);
    assert.equal(opened.publicKey?.algorithm, alg, name);
    const wrong = await inspectBytes(files[name], { fileName: name, password: "nope" });
    assert.equal(wrong.objects.length, 1);
    assert.match(wrong.errors[0]?.message ?? "", /wrong (password|passphrase)/, name);
    // decryptPrivateKey gives the same key node:crypto reads.
    const pkcs8 = decryptPrivateKey(files[name].toString(), PW);
    const want = createPrivateKey({ key: files[name], passphrase: PW }).export({ format: "der", type: "pkcs8" });
    assert.deepEqual(Buffer.from(createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }).export({ format: "der", type: "pkcs8" })), want, name);
    assert.throws(() => decryptPrivateKey(files[name].toString()), (e: unknown) => e instanceof PkiError && e.code === "needs_password");
    assert.throws(() => decryptPrivateKey(files[name].toString(), "nope"), (e: unknown) => e instanceof PkiError && e.code === "bad_password", name);
  }
});

test("public keys: SPKI and PKCS#1 RSA PUBLIC KEY agree", async () => {
  const a = await one<PublicKeyModel>("leaf.pub", "publicKey");
  const b = await one<PublicKeyModel>("leaf.rsapub", "publicKey");
  assert.deepEqual(a.publicKey, b.publicKey);
  assert.equal(a.publicKey.bits, 2048);
  const spki = createPublicKey(files["leaf.pub"]).export({ format: "der", type: "spki" });
  const leaf = decodeCertificate(new X509Certificate(files["leaf.pem"]).raw);
  assert.equal(leaf.publicKey.spkiSha256, a.publicKey.spkiSha256);
  assert.ok(spki.length > 0);
});

test("PKCS#12: modern (PBES2/AES, HMAC-SHA256) and legacy (RC2-40/3DES, SHA-1 MAC) open; plain-name encryption", async () => {
  const m = await one<ContainerModel>("modern.p12", "pkcs12", PW);
  assert.equal(m.legacy, false);
  assert.ok(m.encryption.some((e) => /PBES2 \(PBKDF2-HMAC-SHA256, AES-256-CBC/.test(e)), m.encryption.join());
  assert.ok(m.encryption.some((e) => /^MAC: HMAC-SHA256/.test(e)));
  assert.deepEqual(m.objects.map((o) => o.kind).sort(), ["certificate", "certificate", "privateKey"]);
  assert.equal((m.objects.find((o) => o.kind === "certificate") as any).friendlyName, "leaf cert");
  const key = m.objects.find((o) => o.kind === "privateKey") as PrivateKeyModel;
  assert.equal(key.publicKey?.bits, 2048);
  assert.ok(!JSON.stringify(m).includes("PRIVATE KEY"));

  const l = await one<ContainerModel>("legacy.p12", "pkcs12", PW);
  assert.equal(l.legacy, true);
  assert.ok(l.encryption.some((e) => /RC2/.test(e)) || l.encryption.some((e) => /3-KeyTripleDES/.test(e)), l.encryption.join());
  assert.deepEqual(l.objects.map((o) => o.kind).sort(), ["certificate", "privateKey"]);

  const e = await one<ContainerModel>("empty.p12", "pkcs12");
  assert.equal(e.objects.length, 2, "the empty password is tried first");

  for (const name of ["modern.p12", "legacy.p12"]) {
    const opened = openPkcs12(files[name], PW);
    assert.ok(opened.certificates.length >= 1);
    assert.equal(opened.privateKeys.length, 1);
    const k = createPrivateKey({ key: Buffer.from(opened.privateKeys[0]), format: "der", type: "pkcs8" });
    assert.equal(k.asymmetricKeyType, "rsa");
    assert.throws(() => openPkcs12(files[name], "wrong"), (err: unknown) => err instanceof PkiError && err.code === "bad_password");
    const wrong = await inspectBytes(files[name], { fileName: name, password: "wrong" });
    assert.match(wrong.errors[0].message, /wrong password/);
    const none = await inspectBytes(files[name], { fileName: name });
    assert.match(none.errors[0].message, /--password-env/);
    assert.equal((none.errors[0] as any).code, "needs_password");
  }
});

test("scanPem finds every block of a mixed file, in order, with lines", () => {
  const text = [files["leaf.key"], files["ca.pem"], files["leaf.csr"], files["crl.pem"], files["leaf.pub"]].map(String).join("# comment\n");
  const blocks = scanPem(text);
  assert.deepEqual(blocks.map((b) => b.label), ["PRIVATE KEY", "CERTIFICATE", "CERTIFICATE REQUEST", "X509 CRL", "PUBLIC KEY"]);
  for (const b of blocks) {
    assert.equal(text.split("\n")[b.line - 1], `-----BEGIN ${b.label}-----`);
    assert.equal(text.split("\n")[b.endLine - 1], `-----END ${b.label}-----`);
    assert.equal(text.slice(b.start, b.end), text.split("\n").slice(b.line - 1, b.endLine).join("\n"));
  }
});

test("PKCS#12 without encryption says so; OpenSSL TRUSTED CERTIFICATE decodes as the certificate", async () => {
  const p = await one<ContainerModel>("plain.p12", "pkcs12");
  assert.ok(p.encryption.includes("certificates: not encrypted"), p.encryption.join());
  assert.ok(p.encryption.includes("private key: not encrypted"), p.encryption.join());
  const t = await one<CertificateModel>("trusted.pem", "certificate");
  const c = await one<CertificateModel>("ca.pem", "certificate");
  assert.equal(t.fingerprints.sha256, c.fingerprints.sha256);
  assert.equal(certificatesFromBytes(files["trusted.pem"]).certs.length, 1);
});

test("signature and key algorithms: RSA-PSS (params), RSA-PSS keys, brainpool, secp256k1/SHA-1, Ed25519, Ed448; self-signatures verify", async () => {
  const rows: { name: string; gen: string[][]; sig: string; key: Record<string, unknown>; params?: RegExp }[] = [
    { name: "pss", gen: [["req", "-x509", "-newkey", "rsa:2048", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sha256", "-nodes", "-keyout", "pss.key", "-subj", "/CN=pss", "-days", "2", "-out", "pss.pem"]], sig: "rsassaPss", key: { algorithm: "RSA", bits: 2048 }, params: /^SHA256, MGF1-SHA256, salt 32$/ },
    { name: "psskey", gen: [["genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "psskey.key"], ["req", "-x509", "-new", "-key", "psskey.key", "-subj", "/CN=psskey", "-days", "2", "-out", "psskey.pem"]], sig: "rsassaPss", key: { algorithm: "RSA-PSS", bits: 2048 } },
    { name: "bp", gen: [["ecparam", "-name", "brainpoolP384r1", "-genkey", "-noout", "-out", "bp.key"], ["req", "-x509", "-new", "-key", "bp.key", "-sha384", "-subj", "/CN=bp", "-days", "2", "-out", "bp.pem"]], sig: "ecdsa-with-SHA384", key: { algorithm: "EC", curve: "brainpoolP384r1", bits: 384 } },
    { name: "k1", gen: [["ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.key"], ["req", "-x509", "-new", "-key", "k1.key", "-sha1", "-subj", "/CN=k1", "-days", "2", "-out", "k1.pem"]], sig: "ecdsa-with-SHA1", key: { algorithm: "EC", curve: "secp256k1", bits: 256 } },
    { name: "p521", gen: [["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-sha512", "-nodes", "-keyout", "p521.key", "-subj", "/CN=p521", "-days", "2", "-out", "p521.pem"]], sig: "ecdsa-with-SHA512", key: { algorithm: "EC", curve: "P-521", bits: 521 } },
    { name: "ed25519", gen: [["req", "-x509", "-new", "-key", "ed25519.key", "-subj", "/CN=ed25519", "-days", "2", "-out", "ed25519.pem"]], sig: "ED25519", key: { algorithm: "Ed25519", bits: 256 } },
    { name: "ed448", gen: [["req", "-x509", "-new", "-key", "ed448.key", "-subj", "/CN=ed448", "-days", "2", "-out", "ed448.pem"]], sig: "ED448", key: { algorithm: "Ed448", bits: 456 } },
  ];
  for (const row of rows) {
    for (const g of row.gen) lab.openssl(g);
    const r = await inspectBytes(lab.read(`${row.name}.pem`), { fileName: row.name });
    assert.deepEqual(r.errors, [], row.name);
    const c = r.objects[0] as CertificateModel & { signatureParameters?: string };
    assert.equal(c.signatureAlgorithm, row.sig, row.name);
    assert.deepEqual({ ...c.publicKey, spkiSha256: undefined }, { ...row.key, spkiSha256: undefined }, row.name);
    assert.equal(c.selfSigned, true, `${row.name}: self-signature verifies`);
    if (row.params) assert.match(c.signatureParameters ?? "", row.params);
  }
});
