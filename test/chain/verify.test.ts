import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { rootCertificates } from "node:tls";
import * as x509 from "@peculiar/x509";
import { verifyChain, type VerifyOptions } from "../../src/core/chain";
import { CA_KU, EKU, LEAF_KU, makeCert, nameConstraints, newKeys, policyExt, standardChain, tlv, type Issuer } from "./kit";

const AT = new Date("2026-06-01T00:00:00Z");
const base: VerifyOptions = { useSystemRoots: false, at: AT, host: "localhost" };

/** The errors as "code@certIndex", sorted (warnings left out). */
function codes(r: { problems: { code: string; certIndex?: number; severity?: string }[] }): string[] {
  return r.problems.filter((p) => p.severity !== "warning").map((p) => `${p.code}@${p.certIndex ?? "-"}`).sort();
}

test("a valid three-certificate chain, sources and links", async () => {
  const c = await standardChain();
  const r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.chain.map((l) => [l.subject, l.source]),
    [
      ["CN=localhost", "leaf"],
      ["CN=Issuing CA,O=CertScope Tests", "file"],
      ["CN=Test Root CA,O=CertScope Tests", "trusted"],
    ],
  );
  assert.equal(r.chain[0].issuer, "CN=Issuing CA,O=CertScope Tests");
  assert.match(r.chain[0].sha256, /^[0-9a-f]{64}$/);
});

test("validity: expired leaf, intermediate and root; not yet valid", async () => {
  const past = { notBefore: new Date("2024-01-01T00:00:00Z"), notAfter: new Date("2026-01-01T00:00:00Z") };
  // Expired leaf.
  let c = await standardChain(past);
  let r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["expired@0"]);
  assert.equal(r.problems[0].message, "The certificate 'CN=localhost' expired on 2026-01-01 (151 days before the validation time).");
  // Expired intermediate and root.
  c = await standardChain();
  const rootKeys = await newKeys();
  const root: Issuer = { name: "CN=Old Root", keys: rootKeys };
  const oldRoot = await makeCert({ subject: root.name, keys: rootKeys, ca: { ca: true }, keyUsage: CA_KU, ...past });
  const oldIca = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: root, ca: { ca: true }, keyUsage: CA_KU, ...past });
  r = await verifyChain([c.leafDer, oldIca], { ...base, trusted: [oldRoot] });
  assert.deepEqual(codes(r), ["expired@1", "expired@2"]);
  // Not yet valid: everything starts in 2025.
  r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], at: new Date("2024-12-31T23:59:59Z") });
  assert.deepEqual(codes(r), ["not_yet_valid@0", "not_yet_valid@1", "not_yet_valid@2"]);
  assert.match(r.problems[0].message, /is not valid until 2025-01-01 \(1 second after the validation time\)/);
  // Bounds are inclusive.
  r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], at: new Date("2025-01-01T00:00:00Z") });
  assert.equal(r.valid, true);
});

test("host names and IP addresses (RFC 6125)", async () => {
  const c = await standardChain();
  const rows: [string, boolean][] = [
    ["localhost", true],
    ["LOCALHOST.", true],
    ["other.test", false],
    ["a.example.test", true],
    ["A.Example.Test", true],
    ["example.test", false], // wildcard needs a label
    ["a.b.example.test", false], // wildcard covers one label only
    ["127.0.0.1", true],
    ["127.0.0.2", false],
    ["::1", false],
  ];
  for (const [host, ok] of rows) {
    const r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], host });
    assert.equal(r.valid, ok, `${host}: ${JSON.stringify(r.problems)}`);
    if (!ok) assert.deepEqual(codes(r), ["hostname_mismatch@0"], host);
  }
});

test("wildcard edge cases and IDNA", async () => {
  const rootKeys = await newKeys();
  const root: Issuer = { name: "CN=R", keys: rootKeys };
  const rootDer = await makeCert({ subject: root.name, keys: rootKeys, ca: { ca: true }, keyUsage: CA_KU });
  const rows: [string, string, boolean][] = [
    ["f*.example.test", "foo.example.test", false], // partial-label wildcard
    ["*.test", "example.test", false], // wildcard over a whole TLD
    ["foo.*.example.test", "foo.bar.example.test", false], // not left-most
    ["*", "localhost", false],
    ["xn--bcher-kva.example.test", "bücher.example.test", true], // U-label host → A-label
    ["*.xn--bcher-kva.test", "a.bücher.test", true],
    ["*.example.test", "1.2.3.4", false], // no wildcard for IPs
  ];
  for (const [san, host, ok] of rows) {
    const k = await newKeys();
    const leaf = await makeCert({ subject: "CN=w", keys: k, issuer: root, eku: [EKU.server], sans: [{ type: "dns", value: san }] });
    const r = await verifyChain([leaf], { ...base, trusted: [rootDer], host });
    assert.equal(r.valid, ok, `${san} vs ${host}: ${JSON.stringify(r.problems)}`);
  }
  // No CN fallback, even without SANs.
  const k = await newKeys();
  const noSan = await makeCert({ subject: "CN=localhost", keys: k, issuer: root, eku: [EKU.server] });
  const r = await verifyChain([noSan], { ...base, trusted: [rootDer] });
  assert.deepEqual(codes(r), ["hostname_mismatch@0"]);
  assert.match(r.problems[0].message, /no subjectAltName extension \(its CN 'localhost' is not used for host names/);
});

test("path building: missing intermediate, --untrusted, untrusted root, self-signed leaf", async () => {
  const c = await standardChain();
  let r = await verifyChain([c.leafDer], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["missing_issuer@0"]);
  assert.match(r.problems[0].message, /issued by 'CN=Issuing CA,O=CertScope Tests', which was not found/);

  r = await verifyChain([c.leafDer], { ...base, trusted: [c.rootDer], untrusted: [c.icaDer] });
  assert.equal(r.valid, true);
  assert.deepEqual(r.chain.map((l) => l.source), ["leaf", "untrusted", "trusted"]);

  r = await verifyChain([c.leafDer, c.icaDer, c.rootDer], { ...base });
  assert.deepEqual(codes(r), ["untrusted_root@2"]);

  // The root in the file is fine when the same root is trusted.
  r = await verifyChain([c.leafDer, c.icaDer, c.rootDer], { ...base, trusted: [c.rootDer] });
  assert.equal(r.valid, true);
  assert.equal(r.chain.length, 3);

  const k = await newKeys();
  const self = await makeCert({ subject: "CN=localhost", keys: k, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  r = await verifyChain([self], base);
  assert.deepEqual(codes(r), ["self_signed@0"]);
  // …and valid once trusted explicitly.
  r = await verifyChain([self], { ...base, trusted: [self] });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
});

test("CA rules: CA:FALSE issuer, missing basicConstraints, keyCertSign, pathLen, max depth", async () => {
  const c = await standardChain();
  const notCa = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: false }, keyUsage: LEAF_KU });
  let r = await verifyChain([c.leafDer, notCa], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["key_usage@1", "not_a_ca@1"]);
  assert.match(r.problems.find((p) => p.code === "not_a_ca")!.message, /basicConstraints has cA FALSE/);

  const noBc = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root });
  r = await verifyChain([c.leafDer, noBc], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["not_a_ca@1"]);

  // pathLen 0 on the intermediate, with a second intermediate below it.
  const ica2Keys = await newKeys();
  const ica2: Issuer = { name: "CN=Second CA", keys: ica2Keys };
  const ica2Der = await makeCert({ subject: ica2.name, keys: ica2Keys, issuer: c.ica, ca: { ca: true }, keyUsage: CA_KU });
  const leaf2 = await makeCert({ subject: "CN=l", keys: c.leafKeys, issuer: ica2, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  r = await verifyChain([leaf2, ica2Der, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["path_length_exceeded@2"]);
  assert.match(r.problems[0].message, /allows 0 intermediate CAs below it \(pathLenConstraint\) but 1 follow/);

  r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], maxDepth: 0 });
  assert.deepEqual(codes(r), ["max_depth_exceeded@-"]);
  r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], maxDepth: 1 });
  assert.equal(r.valid, true);
});

test("extended key usage: purpose, explicit OIDs, intermediates, anyExtendedKeyUsage", async () => {
  const c = await standardChain({ eku: [EKU.client] });
  const opts = { ...base, trusted: [c.rootDer] };
  assert.deepEqual(codes(await verifyChain([c.leafDer, c.icaDer], opts)), ["eku_mismatch@0"]);
  assert.equal((await verifyChain([c.leafDer, c.icaDer], { ...opts, purpose: "client" })).valid, true);
  assert.equal((await verifyChain([c.leafDer, c.icaDer], { ...opts, purpose: "any" })).valid, true);
  assert.equal((await verifyChain([c.leafDer, c.icaDer], { ...opts, ekus: [EKU.client] })).valid, true);
  assert.deepEqual(codes(await verifyChain([c.leafDer, c.icaDer], { ...opts, ekus: [EKU.code] })), ["eku_mismatch@0"]);

  // An intermediate restricted to clientAuth cannot issue server certificates.
  const s = await standardChain();
  const ica = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, eku: [EKU.client] });
  assert.deepEqual(codes(await verifyChain([s.leafDer, ica], { ...base, trusted: [s.rootDer] })), ["eku_mismatch@1"]);
  const icaAny = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, eku: [EKU.any] });
  assert.equal((await verifyChain([s.leafDer, icaAny], { ...base, trusted: [s.rootDer] })).valid, true);
});

test("name constraints: permitted and excluded DNS and IP, applied below the CA", async () => {
  const rows: { nc: { permitted?: string[]; excluded?: string[] }; ok: boolean }[] = [
    { nc: { permitted: ["localhost", "example.test", "127.0.0.0/8"] }, ok: true },
    { nc: { permitted: ["example.test", "127.0.0.0/8"] }, ok: false }, // localhost outside
    { nc: { permitted: ["localhost", ".example.test", "127.0.0.0/8"] }, ok: true }, // "*.example.test" is inside ".example.test"
    { nc: { permitted: ["localhost", "example.test", "10.0.0.0/8"] }, ok: false }, // IP outside
    { nc: { excluded: ["bad.example.test"] }, ok: false }, // the wildcard could name bad.example.test
    { nc: { excluded: ["x.bad.example.test"] }, ok: true },
    { nc: { excluded: ["127.0.0.1/32"] }, ok: false },
    { nc: { permitted: ["email:lab.test"] }, ok: true }, // no email names: unconstrained
    { nc: { permitted: ["*.example.test"] }, ok: false }, // a wildcard is not a constraint (malformed)
  ];
  for (const row of rows) {
    const s = await standardChain();
    const ica = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, nameConstraints: nameConstraints(row.nc) });
    const r = await verifyChain([s.leafDer, ica], { ...base, trusted: [s.rootDer] });
    assert.equal(r.valid, row.ok, `${JSON.stringify(row.nc)}: ${JSON.stringify(r.problems)}`);
    if (!row.ok) assert.ok(r.problems.every((p) => (p.code === "name_constraints" && p.certIndex === 0) || (p.code === "malformed" && p.certIndex === 1)), JSON.stringify(r.problems));
    const dotted = row.nc.permitted?.some((x) => x.startsWith("."));
    assert.equal(r.problems.some((p) => p.severity === "warning" && /starts with a period/.test(p.message)), !!dotted);
  }
});

test("unknown critical extensions are rejected on every certificate, including the leaf", async () => {
  const ext = { oid: "1.3.6.1.4.1.55738.666.1", critical: true, value: tlv(0x05) };
  const c = await standardChain({ extra: [ext] });
  let r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["unknown_critical_extension@0"]);
  // Non-critical: ignored.
  const d = await standardChain({ extra: [{ ...ext, critical: false }] });
  r = await verifyChain([d.leafDer, d.icaDer], { ...base, trusted: [d.rootDer] });
  assert.equal(r.valid, true);
});

test("cross-signed intermediates: the path to a trusted root is found, alternatives reported", async () => {
  const c = await standardChain();
  // The same intermediate (name + key) also signed by an old, untrusted root.
  const oldKeys = await newKeys();
  const old: Issuer = { name: "CN=Legacy Root", keys: oldKeys };
  const oldRoot = await makeCert({ subject: old.name, keys: oldKeys, ca: { ca: true }, keyUsage: CA_KU });
  const icaByOld = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: old, ca: { ca: true }, keyUsage: CA_KU });
  // Server sends the legacy cross-sign; the current one comes from --untrusted.
  let r = await verifyChain([c.leafDer, icaByOld, oldRoot], { ...base, trusted: [c.rootDer], untrusted: [c.icaDer] });
  assert.equal(r.valid, true, JSON.stringify(r));
  assert.equal(r.chain[2].subject, "CN=Test Root CA,O=CertScope Tests");

  // With the legacy root trusted but its cross-sign expired, the current path still wins.
  const expiredCross = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: old, ca: { ca: true }, keyUsage: CA_KU, notAfter: new Date("2026-01-01T00:00:00Z") });
  r = await verifyChain([c.leafDer, expiredCross, c.icaDer], { ...base, trusted: [oldRoot, c.rootDer] });
  assert.equal(r.valid, true);

  // Only the expired cross-sign: the failing path is reported.
  r = await verifyChain([c.leafDer, expiredCross], { ...base, trusted: [oldRoot] });
  assert.deepEqual(codes(r), ["expired@1"]);

  // Both paths fail: best one first, the other as an alternative with its reasons.
  r = await verifyChain([c.leafDer, expiredCross, c.icaDer], { ...base, trusted: [oldRoot] });
  assert.equal(r.valid, false);
  assert.ok(r.alternatives && r.alternatives.length >= 1);
  assert.deepEqual(codes(r), ["expired@1"]);
  assert.ok(r.alternatives!.some((a) => a.problems.some((p) => p.code === "missing_issuer")));
});

test("loops between CAs terminate and report the dead end", async () => {
  const aKeys = await newKeys();
  const bKeys = await newKeys();
  const a: Issuer = { name: "CN=CA A", keys: aKeys };
  const b: Issuer = { name: "CN=CA B", keys: bKeys };
  const aByB = await makeCert({ subject: a.name, keys: aKeys, issuer: b, ca: { ca: true }, keyUsage: CA_KU });
  const bByA = await makeCert({ subject: b.name, keys: bKeys, issuer: a, ca: { ca: true }, keyUsage: CA_KU });
  const leafKeys = await newKeys();
  const leaf = await makeCert({ subject: "CN=l", keys: leafKeys, issuer: a, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  const rootKeys = await newKeys();
  const rootDer = await makeCert({ subject: "CN=Unrelated Root", keys: rootKeys, ca: { ca: true }, keyUsage: CA_KU });
  const t0 = performance.now();
  const r = await verifyChain([leaf, aByB, bByA], { ...base, trusted: [rootDer] });
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(r.valid, false);
  assert.deepEqual(codes(r), ["missing_issuer@2"]);
  assert.deepEqual(r.chain.map((l) => l.subject), ["CN=l", "CN=CA A", "CN=CA B"]);
  assert.match(r.problems[0].message, /issued by 'CN=CA A', which is already on this path: the certificates cross-sign each other in a loop/);
});

test("bad signature, weak key, malformed input", async () => {
  const c = await standardChain();
  // An intermediate with the right name but signed by another key.
  const impostorKeys = await newKeys();
  const forged = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: { name: c.root.name, keys: impostorKeys }, ca: { ca: true }, keyUsage: CA_KU });
  let r = await verifyChain([c.leafDer, forged], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(codes(r), ["bad_signature@1"]);

  const rsa = (await webcrypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const weak = await makeCert({ subject: "CN=weak", keys: rsa, issuer: c.ica, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  // Algorithm policy: an error under webpki, a warning under rfc5280 (the default for private anchors).
  r = await verifyChain([weak, c.icaDer], { ...base, trusted: [c.rootDer], profile: "webpki" });
  assert.deepEqual(codes(r), ["weak_key@0"]);
  assert.match(r.problems[0].message, /1024-bit RSA key/);
  r = await verifyChain([weak, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.equal(r.valid, true);
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity]), [["weak_key", "warning"]]);

  r = await verifyChain([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])], base);
  assert.deepEqual(codes(r), ["malformed@0"]);
  // Garbage among the extras is reported as a warning, not a crash.
  r = await verifyChain([c.leafDer, new Uint8Array([1, 2, 3]), c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.equal(r.valid, true);
  assert.equal(r.problems[0].severity, "warning");
});

test("profile rules browsers do not enforce are warnings: valid, but reported", async () => {
  const c = await standardChain({ eku: [EKU.server, EKU.any], subject: "CN=www.example.test" });
  const r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.equal(r.valid, true);
  const byCode = Object.fromEntries(r.problems.map((p) => [p.code, p]));
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity, p.certIndex]).sort(), [
    ["eku_mismatch", "warning", 0],
    ["hostname_mismatch", "warning", 0],
  ]);
  assert.match(byCode.eku_mismatch.message, /anyExtendedKeyUsage, which CA\/B BR 7\.1\.2\.7\.10 forbids/);
  assert.match(byCode.hostname_mismatch.message, /common name 'www\.example\.test' is not one of its subjectAltName entries/);
});

test("a CN that repeats a SAN in another form is an error (CA/B BR 7.1.4.3)", async () => {
  const rows: [string, { type: "dns" | "ip"; value: string }, string, boolean][] = [
    ["CN=localhost", { type: "dns", value: "localhost" }, "localhost", true],
    ["CN=Example.TEST", { type: "dns", value: "example.test" }, "example.test", false],
    ["CN=0xC0A80101", { type: "ip", value: "192.168.1.1" }, "192.168.1.1", false],
    ["CN=192.168.001.001", { type: "ip", value: "192.168.1.1" }, "192.168.1.1", false],
    ["CN=2001:DB8::1", { type: "ip", value: "2001:db8::1" }, "2001:db8::1", false],
    ["CN=2001:db8::1", { type: "ip", value: "2001:db8::1" }, "2001:db8::1", true],
    ["CN=My Lab Server", { type: "dns", value: "lab.test" }, "lab.test", true],
  ];
  const c = await standardChain();
  for (const [subject, san, host, ok] of rows) {
    const leaf = await makeCert({ subject, keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [san] });
    const r = await verifyChain([leaf, c.icaDer], { ...base, trusted: [c.rootDer], host });
    assert.equal(r.valid, ok, `${subject}: ${JSON.stringify(r.problems)}`);
    if (!ok) assert.deepEqual(codes(r), ["malformed@0"], subject);
  }
});

test("several problems on one path are all listed", async () => {
  const c = await standardChain({ notAfter: new Date("2026-01-01T00:00:00Z"), eku: [EKU.client] });
  const r = await verifyChain([c.leafDer], { ...base, trusted: [c.rootDer], host: "nope.test" });
  assert.deepEqual(codes(r), ["eku_mismatch@0", "expired@0", "hostname_mismatch@0", "missing_issuer@0"]);
});

test("signature algorithms: RSA PKCS#1, RSA-PSS, ECDSA P-384, Ed25519 issuers", async () => {
  const algs: { name: string; gen: any; sign: any }[] = [
    { name: "RSA", gen: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, sign: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } },
    { name: "PSS", gen: { name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, sign: { name: "RSA-PSS", hash: "SHA-256", saltLength: 32 } },
    { name: "P-384", gen: { name: "ECDSA", namedCurve: "P-384" }, sign: { name: "ECDSA", hash: "SHA-384" } },
    { name: "Ed25519", gen: { name: "Ed25519" }, sign: { name: "Ed25519" } },
  ];
  for (const a of algs) {
    const keys = (await webcrypto.subtle.generateKey(a.gen, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=${a.name} Root`,
      keys,
      signingAlgorithm: a.sign,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(CA_KU, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
    });
    const leafKeys = await newKeys();
    const leaf = await x509.X509CertificateGenerator.create({
      subject: "CN=leaf",
      issuer: root.subject,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
      publicKey: leafKeys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: a.sign,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]), await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey)],
    });
    const r = await verifyChain([new Uint8Array(leaf.rawData)], { ...base, trusted: [new Uint8Array(root.rawData)] });
    assert.equal(r.valid, true, `${a.name}: ${JSON.stringify(r.problems)}`);
  }
});

test("Node's bundled roots are used by default and can be turned off", async () => {
  const c = await standardChain();
  const r = await verifyChain([c.leafDer, c.icaDer, c.rootDer], { at: AT, host: "localhost" });
  assert.deepEqual(codes(r), ["untrusted_root@2"]);
});

test("certificate policies (RFC 5280 §6.1): requireExplicitPolicy, anyPolicy, inhibitAnyPolicy, mappings", async () => {
  const P1 = "1.3.6.1.4.1.55555.1";
  const P2 = "1.3.6.1.4.1.55555.2";
  const ANY = "2.5.29.32.0";
  const rows: { name: string; ica: ReturnType<typeof policyExt.policies>[]; leaf: string[] | null; ok: boolean }[] = [
    { name: "no constraints, no policies", ica: [], leaf: null, ok: true },
    { name: "explicit policy required and present", ica: [policyExt.requireExplicit(0), policyExt.policies(P1)], leaf: [P1], ok: true },
    { name: "explicit policy required, leaf has none", ica: [policyExt.requireExplicit(0), policyExt.policies(P1)], leaf: null, ok: false },
    { name: "explicit policy required, leaf has another", ica: [policyExt.requireExplicit(0), policyExt.policies(P1)], leaf: [P2], ok: false },
    { name: "CA anyPolicy admits any leaf policy", ica: [policyExt.requireExplicit(0), policyExt.policies(ANY)], leaf: [P2], ok: true },
    { name: "inhibitAnyPolicy stops the leaf's anyPolicy", ica: [policyExt.requireExplicit(0), policyExt.inhibitAny(0), policyExt.policies(ANY)], leaf: [ANY], ok: false },
    { name: "mapping P1 → P2 admits P2", ica: [policyExt.requireExplicit(0), policyExt.policies(P1), policyExt.mappings([P1, P2])], leaf: [P2], ok: true },
    { name: "mapping P1 → P2 no longer admits P1", ica: [policyExt.requireExplicit(0), policyExt.policies(P1), policyExt.mappings([P1, P2])], leaf: [P1], ok: false },
    // The end-of-path check runs after the leaf's own decrement (§6.1.5 (a)), so skip 1 still binds the leaf; skip 2 does not.
    { name: "requireExplicitPolicy skip 1 still binds the leaf", ica: [policyExt.requireExplicit(1), policyExt.policies(P1)], leaf: null, ok: false },
    { name: "requireExplicitPolicy skip 2 leaves the leaf free", ica: [policyExt.requireExplicit(2), policyExt.policies(P1)], leaf: null, ok: true },
  ];
  const c = await standardChain();
  for (const row of rows) {
    const ica = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: true }, keyUsage: CA_KU, extra: row.ica });
    const leaf = await makeCert({
      subject: "CN=p",
      keys: c.leafKeys,
      issuer: c.ica,
      eku: [EKU.server],
      sans: [{ type: "dns", value: "localhost" }],
      extra: row.leaf ? [policyExt.policies(...row.leaf)] : [],
    });
    const r = await verifyChain([leaf, ica], { ...base, trusted: [c.rootDer] });
    assert.equal(r.valid, row.ok, `${row.name}: ${JSON.stringify(r.problems)}`);
    if (!row.ok) assert.deepEqual(codes(r), ["policy@0"], row.name);
  }
});

test("trust anchors supplied by the user are held to the CA profile", async () => {
  const rootKeys = await newKeys();
  const root: Issuer = { name: "CN=Home Root", keys: rootKeys };
  const leafKeys = await newKeys();
  const leaf = await makeCert({ subject: "CN=l", keys: leafKeys, issuer: root, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  const noSki = await makeCert({ subject: root.name, keys: rootKeys, ca: { ca: true }, keyUsage: CA_KU, noSki: true });
  let r = await verifyChain([leaf], { ...base, trusted: [noSki] });
  assert.deepEqual(codes(r), ["malformed@1"]);
  assert.match(r.problems[0].message, /without subjectKeyIdentifier, which RFC 5280 §4\.2\.1\.2 requires/);
  const noBc = await makeCert({ subject: root.name, keys: rootKeys, keyUsage: CA_KU });
  r = await verifyChain([leaf], { ...base, trusted: [noBc] });
  assert.deepEqual(codes(r), ["malformed@1", "not_a_ca@1"]);
});

test("roots shipped in Node's store are trusted as shipped, even from a --trusted bundle; private roots are not", async () => {
  // Go Daddy / Starfield G2 roots have serial number 0, which RFC 5280 §4.1.2.2 forbids.
  const zeroSerial = rootCertificates
    .map((pem) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64")))
    .find((der) => new x509.X509Certificate(der).serialNumber.replace(/^0+/, "") === "");
  assert.ok(zeroSerial, "Node's store has a zero-serial root");
  const at = new Date(new x509.X509Certificate(zeroSerial!).notBefore.getTime() + 86_400_000);
  let r = await verifyChain([zeroSerial!], { trusted: [zeroSerial!], useSystemRoots: false, purpose: "any", at });
  assert.equal(r.valid, true, JSON.stringify(r.problems));

  const keys = await newKeys();
  // A private root whose serial is zeroed afterwards (its own signature is not checked: it is the anchor).
  const mine = await makeCert({ subject: "CN=Private Root", keys, ca: { ca: true }, keyUsage: CA_KU, serial: "7a7b" });
  const at7a = mine.findIndex((b, k) => b === 0x02 && mine[k + 1] === 0x02 && mine[k + 2] === 0x7a && mine[k + 3] === 0x7b);
  mine.set([0x00, 0x00], at7a + 2); // INTEGER 02 02 00 00: zero (and not minimally encoded)
  r = await verifyChain([mine], { trusted: [mine], useSystemRoots: false, purpose: "any", at: AT });
  assert.ok(r.problems.some((p) => p.code === "malformed" && /serialNumber is zero/.test(p.message)), JSON.stringify(r.problems));
  assert.equal(r.valid, false);
});

test("a mesh of mutually cross-signed CAs resolves to the trusted root (GnuTLS CVE-2024-0567 shape)", async () => {
  const [ka, kb, kc, ka1, kl] = await Promise.all([newKeys(), newKeys(), newKeys(), newKeys(), newKeys()]);
  const A: Issuer = { name: "CN=Root A", keys: ka };
  const B: Issuer = { name: "CN=Root B", keys: kb };
  const C: Issuer = { name: "CN=Root C", keys: kc };
  const ca = { ca: { ca: true }, keyUsage: CA_KU } as const;
  const rootA = await makeCert({ subject: A.name, keys: ka, ...ca });
  const a1: Issuer = { name: "CN=Intermediate A1", keys: ka1 };
  const mesh = await Promise.all([
    makeCert({ subject: a1.name, keys: ka1, issuer: A, ...ca }),
    makeCert({ subject: A.name, keys: ka, issuer: B, ...ca }),
    makeCert({ subject: A.name, keys: ka, issuer: C, ...ca }),
    makeCert({ subject: B.name, keys: kb, issuer: A, ...ca }),
    makeCert({ subject: B.name, keys: kb, issuer: C, ...ca }),
    makeCert({ subject: C.name, keys: kc, issuer: A, ...ca }),
    makeCert({ subject: C.name, keys: kc, issuer: B, ...ca }),
  ]);
  const leaf = await makeCert({ subject: "CN=mesh", keys: kl, issuer: a1, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  let r = await verifyChain([leaf], { ...base, trusted: [rootA], untrusted: mesh });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(r.chain.map((l) => l.subject), ["CN=mesh", "CN=Intermediate A1", "CN=Root A"]);
  // Without the trusted root, the search ends (no hang) with an untrusted verdict.
  const t0 = performance.now();
  r = await verifyChain([leaf], { ...base, untrusted: mesh });
  assert.equal(r.valid, false);
  assert.ok(performance.now() - t0 < 3000);
});

test("IPv6 names and constraints; directoryName constraints on the subject", async () => {
  const c = await standardChain();
  const leaf6 = await makeCert({ subject: "CN=v6", keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [{ type: "ip", value: "2001:db8::5" }] });
  const opts = { ...base, trusted: [c.rootDer] };
  assert.equal((await verifyChain([leaf6, c.icaDer], { ...opts, host: "2001:db8:0:0::5" })).valid, true);
  assert.equal((await verifyChain([leaf6, c.icaDer], { ...opts, host: "[2001:DB8::5]" })).valid, true);
  assert.deepEqual(codes(await verifyChain([leaf6, c.icaDer], { ...opts, host: "2001:db8::6" })), ["hostname_mismatch@0"]);

  // iPAddress constraint 2001:db8::/32 (16 address octets + 16 mask octets), and a directoryName constraint O=CertScope Tests.
  const v6nc = tlv(0x30, tlv(0xa0, tlv(0x30, tlv(0x87, [0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0), 0xff, 0xff, 0xff, 0xff, ...Array(12).fill(0)]))));
  const ica6 = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: true }, keyUsage: CA_KU, nameConstraints: v6nc });
  assert.equal((await verifyChain([leaf6, ica6], { ...opts, host: "2001:db8::5" })).valid, true);
  const leafOther6 = await makeCert({ subject: "CN=v6b", keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [{ type: "ip", value: "2001:db9::5" }] });
  assert.deepEqual(codes(await verifyChain([leafOther6, ica6], { ...opts, host: "2001:db9::5" })), ["name_constraints@0"]);

  const orgDn = tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x0a]), tlv(0x0c, Array.from(Buffer.from("CertScope Tests"))))));
  const dnNc = tlv(0x30, tlv(0xa0, tlv(0x30, tlv(0xa4, orgDn))));
  const icaDn = await makeCert({ subject: c.ica.name, keys: c.ica.keys, issuer: c.root, ca: { ca: true }, keyUsage: CA_KU, nameConstraints: dnNc });
  const inOrg = await makeCert({ subject: "O=CertScope Tests,CN=inside", keys: c.leafKeys, issuer: c.ica, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  assert.equal((await verifyChain([inOrg, icaDn], opts)).valid, true);
  const r = await verifyChain([c.leafDer, icaDn], opts); // subject CN=localhost has no O=CertScope Tests prefix
  assert.deepEqual(codes(r), ["name_constraints@0"]);
  assert.match(r.problems[0].message, /directory name 'CN=localhost' is outside the permitted subtrees/);
});

test("trustAnchor marks the certificate the path ends at when it is a trust anchor", async () => {
  const c = await standardChain();
  let r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer] });
  assert.deepEqual(r.chain.map((l) => [l.source, l.trustAnchor]), [["leaf", undefined], ["file", undefined], ["trusted", true]]);

  // A root that is only in the file is not an anchor: nothing is marked.
  r = await verifyChain([c.leafDer, c.icaDer, c.rootDer], base);
  assert.deepEqual(codes(r), ["untrusted_root@2"]);
  assert.ok(r.chain.every((l) => l.trustAnchor === undefined), JSON.stringify(r.chain));

  // A leaf trusted directly: source "leaf", trustAnchor true.
  const self = await makeCert({ subject: "CN=localhost", keys: await newKeys(), eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  r = await verifyChain([self], { ...base, trusted: [self] });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(r.chain.map((l) => [l.source, l.trustAnchor]), [["leaf", true]]);

  // A system root checked on its own ends at itself, found in Node's store.
  const sysRoot = new Uint8Array(Buffer.from(rootCertificates[0].replace(/-----[^-]+-----|\s/g, ""), "base64"));
  r = await verifyChain([sysRoot], { at: AT, purpose: "any" });
  assert.equal(r.chain.length, 1);
  assert.equal(r.chain[0].trustAnchor, true);
});
