/**
 * Issue 14's path-validation defects (x509-limbo) and the PKITS classes, each rebuilt here with certificates the
 * test makes, and the rfc5280 / webpki / auto profiles.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPrivateKey, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyChain, type VerifyOptions } from "../../src/core/chain";
import { CA_KU, EKU, LEAF_KU, generalizedNotBefore, makeCert, nameConstraints, newKeys, policyExt, reissue, standardChain, tlv, tlvs, type Issuer } from "./kit";

const AT = new Date("2026-06-01T00:00:00Z");
const base: VerifyOptions = { useSystemRoots: false, at: AT, host: "localhost" };

function errors(r: { problems: { code: string; certIndex?: number; severity?: string }[] }): string[] {
  return r.problems.filter((p) => p.severity !== "warning").map((p) => `${p.code}@${p.certIndex ?? "-"}`).sort();
}
function warnings(r: { problems: { code: string; certIndex?: number; severity?: string }[] }): string[] {
  return r.problems.filter((p) => p.severity === "warning").map((p) => `${p.code}@${p.certIndex ?? "-"}`).sort();
}

async function ca(name: string): Promise<Issuer> {
  return { name, keys: await newKeys() };
}

test("a cycle of cross-signed CAs is resolved through the self-signed anchor (CVE-2024-0567 class)", async () => {
  // leaf -> A1 -> (A <-> B <-> C), with A also a trusted self-signed root; B and C have subordinates too.
  const [A, B, C, A1, B1, C1] = await Promise.all(["CN=Root A", "CN=Root B", "CN=Root C", "CN=Intermediate A1", "CN=Intermediate B1", "CN=Intermediate C1"].map(ca));
  const caCert = (subject: Issuer, issuer: Issuer) => makeCert({ subject: subject.name, keys: subject.keys, issuer, ca: { ca: true }, keyUsage: CA_KU });
  // The anchor's certificate is signed by its own key but names another issuer and has no AKI, as limbo's has:
  // the anchor is its name and key (RFC 5280 §6.1.1 (d)), and that certificate must not be judged as a CA's.
  const root = await makeCert({ subject: A.name, keys: A.keys, issuer: { name: "CN=Elsewhere", keys: A.keys }, noAki: true, ca: { ca: true }, keyUsage: CA_KU });
  const intermediates = await Promise.all([caCert(A1, A), caCert(A, B), caCert(A, C), caCert(B1, B), caCert(B, A), caCert(B, C), caCert(C1, C), caCert(C, A), caCert(C, B)]);
  const leaf = await makeCert({ subject: "CN=cve.example.test", keys: await newKeys(), issuer: A1, keyUsage: LEAF_KU, eku: [EKU.server], sans: [{ type: "dns", value: "cve.example.test" }] });
  // Every order of the untrusted set: the path builder must not get lost in the cycle whichever comes first.
  for (const order of [intermediates, [...intermediates].reverse()]) {
    const r = await verifyChain([leaf], { ...base, host: "cve.example.test", trusted: [root], untrusted: order });
    assert.equal(r.valid, true, JSON.stringify(r.problems));
    assert.deepEqual(r.chain.map((l) => l.subject), ["CN=cve.example.test", "CN=Intermediate A1", "CN=Root A"]);
  }
});

test("a CA certificate as the leaf does not count against its issuer's pathLenConstraint (RFC 5280 §4.2.1.9)", async () => {
  const root = await ca("CN=PL Root");
  const ica1 = await ca("CN=PL ICA 1");
  const ica2 = await ca("CN=PL ICA 2");
  const rootDer = await makeCert({ subject: root.name, keys: root.keys, ca: { ca: true }, keyUsage: CA_KU });
  const ica1Der = await makeCert({ subject: ica1.name, keys: ica1.keys, issuer: root, ca: { ca: true, pathLen: 0 }, keyUsage: CA_KU });
  const ica2Der = await makeCert({ subject: ica2.name, keys: ica2.keys, issuer: ica1, ca: { ca: true, pathLen: 0 }, keyUsage: CA_KU });
  let r = await verifyChain([ica2Der, ica1Der], { ...base, host: undefined, trusted: [rootDer] });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  // Its keyUsage does not fit a TLS server: a warning under rfc5280, an error under webpki (CA/B: no CA as a leaf).
  assert.deepEqual(warnings(r), ["key_usage@0"]);
  r = await verifyChain([ica2Der, ica1Der], { ...base, host: undefined, trusted: [rootDer], profile: "webpki" });
  assert.deepEqual(errors(r), ["key_usage@0"]);
  // An end entity below ICA 2 makes ICA 2 an intermediate, which ICA 1's pathLen 0 forbids.
  const leaf = await makeCert({ subject: "CN=localhost", keys: await newKeys(), issuer: ica2, keyUsage: LEAF_KU, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  r = await verifyChain([leaf, ica2Der, ica1Der], { ...base, trusted: [rootDer] });
  assert.deepEqual(errors(r), ["path_length_exceeded@2"]);
});

test("--max-depth counts logical intermediates: a self-issued certificate does not count", async () => {
  const root = await ca("CN=MD Root");
  const icaName = "CN=MD ICA";
  const old: Issuer = { name: icaName, keys: await newKeys() };
  const rolled: Issuer = { name: icaName, keys: await newKeys() };
  const rootDer = await makeCert({ subject: root.name, keys: root.keys, ca: { ca: true }, keyUsage: CA_KU });
  const icaDer = await makeCert({ subject: icaName, keys: old.keys, issuer: root, ca: { ca: true }, keyUsage: CA_KU });
  const selfIssued = await makeCert({ subject: icaName, keys: rolled.keys, issuer: old, ca: { ca: true }, keyUsage: CA_KU });
  const leaf = await makeCert({ subject: "CN=localhost", keys: await newKeys(), issuer: rolled, keyUsage: LEAF_KU, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }] });
  let r = await verifyChain([leaf, selfIssued, icaDer], { ...base, trusted: [rootDer], maxDepth: 1 });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.equal(r.chain.length, 4);
  r = await verifyChain([leaf, selfIssued, icaDer], { ...base, trusted: [rootDer], maxDepth: 0 });
  assert.deepEqual(errors(r), ["max_depth_exceeded@-"]);
  assert.match(r.problems.find((p) => p.code === "max_depth_exceeded")!.message, /needs 1 intermediate certificate, more than the 0 allowed/);
});

test("a non-critical nameConstraints: rejected under rfc5280, allowed and enforced under webpki (CA/B BR 7.1.2.5.2)", async () => {
  const make = async (permitted: string[]) => {
    const s = await standardChain();
    const ica = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, nameConstraints: nameConstraints({ permitted }), ncCritical: false });
    return { s, ica };
  };
  const inside = await make(["localhost", "example.test", "127.0.0.0/8"]);
  let r = await verifyChain([inside.s.leafDer, inside.ica], { ...base, trusted: [inside.s.rootDer] });
  assert.deepEqual(errors(r), ["malformed@1"]);
  assert.match(r.problems[0].message, /nameConstraints is not marked critical/);
  r = await verifyChain([inside.s.leafDer, inside.ica], { ...base, trusted: [inside.s.rootDer], profile: "webpki" });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  const outside = await make(["example.test"]);
  r = await verifyChain([outside.s.leafDer, outside.ica], { ...base, trusted: [outside.s.rootDer], profile: "webpki" });
  assert.deepEqual(errors(r), ["name_constraints@0"]);
});

test("rules addressed to issuing CAs are warnings under rfc5280 and errors under webpki (PKITS 4.6.4, 4.8.6, 4.2.4)", async () => {
  const s = await standardChain();
  // Non-critical basicConstraints on the intermediate (PKITS 4.6.4).
  const softBc = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, caCritical: false, keyUsage: CA_KU });
  // Non-critical policyConstraints on the intermediate (PKITS 4.8.6 and twelve more).
  const softPc = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, extra: [{ ...policyExt.requireExplicit(0), critical: false }, policyExt.policies("2.5.29.32.0")] });
  // GeneralizedTime notBefore before 2050 on the leaf (PKITS 4.2.4).
  const gtLeaf = await reissue(s.leafDer, generalizedNotBefore, { keys: s.ica.keys });
  const rows: { chain: Uint8Array[]; code: string; text: RegExp }[] = [
    { chain: [s.leafDer, softBc], code: "malformed@1", text: /basicConstraints is not marked critical/ },
    { chain: [await makeCert({ subject: "CN=localhost", keys: s.leafKeys, issuer: s.ica, keyUsage: LEAF_KU, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }], extra: [policyExt.policies("1.2.3.4")] }), softPc], code: "malformed@1", text: /policyConstraints is not marked critical/ },
    { chain: [gtLeaf, s.icaDer], code: "malformed@0", text: /GeneralizedTime for a date before 2050/ },
  ];
  for (const row of rows) {
    let r = await verifyChain(row.chain, { ...base, trusted: [s.rootDer] });
    assert.equal(r.valid, true, JSON.stringify(r.problems));
    assert.deepEqual(warnings(r), [row.code]);
    assert.match(r.problems.find((p) => p.severity === "warning")!.message, row.text);
    r = await verifyChain(row.chain, { ...base, trusted: [s.rootDer], profile: "webpki" });
    assert.deepEqual(errors(r), [row.code]);
  }
});

test("DSA signatures and inherited DSA parameters validate under rfc5280; webpki refuses DSA (PKITS 4.1.4, 4.1.5)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "certscope-dsa-"));
  try {
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    ssl("dsaparam", "-out", "params.pem", "2048");
    for (const n of ["root", "ica", "leaf"]) ssl("gendsa", "-out", `${n}.key`, "params.pem");
    writeFileSync(join(dir, "ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
    writeFileSync(join(dir, "leaf.ext"), "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
    ssl("req", "-x509", "-new", "-key", "root.key", "-subj", "/CN=DSA Root", "-days", "3650", "-sha256", "-out", "root.pem", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    ssl("req", "-new", "-key", "ica.key", "-subj", "/CN=DSA ICA", "-out", "ica.csr");
    ssl("x509", "-req", "-in", "ica.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2", "-days", "3650", "-sha256", "-extfile", "ca.ext", "-out", "ica.pem", "-outform", "der");
    ssl("req", "-new", "-key", "leaf.key", "-subj", "/CN=localhost", "-out", "leaf.csr");
    ssl("x509", "-req", "-in", "leaf.csr", "-CA", "ica.pem", "-CAform", "der", "-CAkey", "ica.key", "-set_serial", "3", "-days", "3650", "-sha1", "-extfile", "leaf.ext", "-out", "leaf.der", "-outform", "der");
    ssl("x509", "-in", "root.pem", "-out", "root.der", "-outform", "der");
    const [root, ica, leaf] = ["root.der", "ica.pem", "leaf.der"].map((f) => new Uint8Array(readFileSync(join(dir, f))));
    const opts = { ...base, trusted: [root], at: new Date() };
    let r = await verifyChain([leaf, ica], opts);
    assert.equal(r.valid, true, JSON.stringify(r.problems));
    assert.deepEqual(warnings(r), ["weak_key@0", "weak_key@1", "weak_key@2", "weak_signature@0"]);
    r = await verifyChain([leaf, ica], { ...opts, profile: "webpki" });
    assert.ok(errors(r).includes("weak_key@0") && errors(r).includes("weak_signature@0"), JSON.stringify(r.problems));

    // The intermediate's key without DSA parameters (RFC 3279 §2.3.2: inherited from the root's).
    const rootKey = createPrivateKey(readFileSync(join(dir, "root.key")));
    const DSA_OID = Buffer.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]);
    const stripParams = (fields: Uint8Array[]) => {
      const i = fields.findIndex((f) => f[0] === 0x30 && Buffer.from(tlvs(f)[0] ?? []).indexOf(DSA_OID) >= 0 && tlvs(f).length === 2);
      const [alg, key] = tlvs(fields[i]);
      fields[i] = tlv(0x30, tlv(0x30, tlvs(alg)[0]), key);
      return fields;
    };
    const inherited = await reissue(ica, stripParams, { sign: (tbs) => sign("sha256", tbs, rootKey) });
    r = await verifyChain([leaf, inherited], opts);
    assert.equal(r.valid, true, JSON.stringify(r.problems));
    // Without the root that holds the parameters, the leaf's signature cannot be checked.
    r = await verifyChain([leaf, inherited], { ...opts, trusted: [] });
    assert.equal(r.valid, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CA/Browser Forum rules: warnings under rfc5280, errors under webpki; auto picks by the anchor", async () => {
  const s = await standardChain({ eku: [EKU.server, EKU.any] });
  let r = await verifyChain([s.leafDer, s.icaDer], { ...base, trusted: [s.rootDer] });
  assert.equal(r.valid, true);
  assert.deepEqual(warnings(r), ["eku_mismatch@0"]);
  r = await verifyChain([s.leafDer, s.icaDer], { ...base, trusted: [s.rootDer], profile: "webpki" });
  assert.deepEqual(errors(r), ["eku_mismatch@0"]);
  // auto: a private anchor is held to rfc5280.
  r = await verifyChain([s.leafDer, s.icaDer], { ...base, trusted: [s.rootDer], profile: "auto" });
  assert.equal(r.valid, true);
  // A CN that is a host name outside the SANs.
  const cn = await standardChain({ subject: "CN=other.example.test" });
  r = await verifyChain([cn.leafDer, cn.icaDer], { ...base, trusted: [cn.rootDer] });
  assert.deepEqual([r.valid, warnings(r)], [true, ["hostname_mismatch@0"]]);
  r = await verifyChain([cn.leafDer, cn.icaDer], { ...base, trusted: [cn.rootDer], profile: "webpki" });
  assert.deepEqual(errors(r), ["hostname_mismatch@0"]);
});
