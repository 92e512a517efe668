import { test } from "node:test";
import assert from "node:assert/strict";
import { inspectBytes } from "../../src/core/pki";
import { colonHex, displayName, relativeValidity, validityInfo, flattenObjects } from "../../src/adapters/tree/format";
import { chainOrder, fileNodes, type KeyRef, type TreeContext, type TreeNodeData } from "../../src/adapters/tree/model";
import type { CertificateModel, InspectResult, PkiObject, VerifyResult } from "../../src/shared/model";
import { fixtures } from "../doc/fixtures";
import { standardChain } from "../chain/kit";

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T12:00:00Z");

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

async function inspect(text: string, fileName = "bundle.pem"): Promise<InspectResult> {
  return inspectBytes(new TextEncoder().encode(text), { fileName });
}

function kids(n: TreeNodeData): TreeNodeData[] {
  const c = n.children;
  return typeof c === "function" ? c() : (c ?? []);
}

/** Every node of the tree, expanding everything. */
function walk(nodes: TreeNodeData[], out: TreeNodeData[] = []): TreeNodeData[] {
  for (const n of nodes) {
    out.push(n);
    walk(kids(n), out);
  }
  return out;
}

const ctx = (over: Partial<TreeContext> = {}): TreeContext => ({ now: NOW, warnDays: 30, uri: "file:///w/bundle.pem", keyRefs: () => [], ...over });

test("validity: state and relative words", () => {
  const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
  const rows: { name: string; nb: string; na: string; want: string; state: string }[] = [
    { name: "valid", nb: at(-10), na: at(100.5), want: "expires in 100 days", state: "valid" },
    { name: "expiring", nb: at(-10), na: at(5.2), want: "expires in 5 days", state: "expiring" },
    { name: "tomorrow", nb: at(-10), na: at(1.5), want: "expires in 1 day", state: "expiring" },
    { name: "today", nb: at(-10), na: at(0.2), want: "expires today", state: "expiring" },
    { name: "expired", nb: at(-100), na: at(-3.5), want: "expired 3 days ago", state: "expired" },
    { name: "expired 1", nb: at(-100), na: at(-1.1), want: "expired 1 day ago", state: "expired" },
    { name: "expired today", nb: at(-100), na: at(-0.1), want: "expired today", state: "expired" },
    { name: "future", nb: at(2.5), na: at(100), want: "not valid for another 3 days", state: "notYetValid" },
  ];
  for (const r of rows) {
    const v = validityInfo(r.nb, r.na, NOW, 30);
    assert.equal(v.state, r.state, r.name);
    assert.equal(relativeValidity(v), r.want, r.name);
  }
  assert.equal(validityInfo(undefined, "garbage", NOW, 30).state, "unknown");
});

test("format: fingerprints and names", () => {
  assert.equal(colonHex("0a1bff"), "0A:1B:FF");
  const dn = { text: "CN=a\\,b,O=Lab", attributes: [{ type: "O", oid: "2.5.4.10", value: "Lab" }, { type: "CN", oid: "2.5.4.3", value: "a,b" }] };
  assert.equal(displayName(dn), "a,b");
  assert.equal(displayName({ text: "O=Only", attributes: [{ type: "O", oid: "2.5.4.10", value: "Only" }] }), "Only");
  assert.equal(displayName({ text: "", attributes: [] }), "(empty name)");
});

test("tree: a certificate node and its fields, from the real decoder", async () => {
  const { leafDer, icaDer, rootDer } = await standardChain();
  const result = await inspect(pem(leafDer) + pem(icaDer) + pem(rootDer));
  assert.equal(result.errors.length, 0);
  const nodes = fileNodes(result, ctx());
  const [leaf, ica, root, chain] = nodes;
  assert.equal(nodes.length, 4);
  assert.equal(leaf.label, "localhost");
  assert.match(leaf.description!, /^expires in \d+ days$/);
  assert.equal(leaf.icon?.id, "shield");
  assert.deepEqual(leaf.reveal, { line: 1 });
  for (const flag of ["object", "certificate", "exportable", "validatable", "fingerprint", "viewable"]) assert.match(leaf.contextValue!, new RegExp(`\\b${flag}\\b`));
  assert.equal(ica.label, "Issuing CA");
  assert.match(ica.description!, /^CA · /);
  assert.equal(ica.icon?.id, "workspace-trusted");
  assert.match(root.description!, /^root CA · /);

  const fields = kids(leaf);
  const labels = fields.map((f) => f.label);
  assert.deepEqual(labels.slice(0, 3), ["Subject", "Issuer", "Validity"]);
  for (const l of ["Subject alternative names", "Serial number", "Fingerprints", "Public key", "Signature algorithm", "Extensions", "Private key"]) assert.ok(labels.includes(l), `${l} in ${labels}`);
  const issuer = fields.find((f) => f.label === "Issuer")!;
  assert.equal(issuer.description, "CN=Issuing CA,O=CertScope Tests");
  assert.equal(issuer.copyValue, issuer.description);
  const sans = fields.find((f) => f.label === "Subject alternative names")!;
  assert.deepEqual(kids(sans).map((n) => n.label), ["DNS:localhost", "DNS:*.example.test", "IP:127.0.0.1"]);
  const model = result.objects[0] as CertificateModel;
  const ext = fields.find((f) => f.label === "Extensions")!;
  assert.equal(kids(ext).length, model.extensions!.length);
  assert.ok(kids(ext).every((e) => e.description && e.description.length > 0), "every extension shows a decoded value");
  assert.ok(kids(ext).some((e) => /critical/.test(e.description!)), "critical extensions say so");
  const fp = fields.find((f) => f.label === "Fingerprints")!;
  assert.equal(kids(fp)[0].copyValue, colonHex(model.fingerprints.sha256));
  assert.match(kids(fp)[0].contextValue!, /\bfingerprint\b/);
  const key = fields.find((f) => f.label === "Public key")!;
  assert.equal(key.description, "EC P-256");
  assert.ok(fields.every((f) => f.objectIndex === 0 || f.objectIndex === undefined));

  // Chain order of the bundle, leaf first.
  assert.equal(chain.label, "Chain order");
  assert.equal(chain.description, "3 certificates, leaf first");
  assert.deepEqual(kids(chain).map((n) => n.label), ["1. localhost", "2. Issuing CA", "3. Test Root CA"]);
  assert.equal(kids(chain)[0].description, "issued by Issuing CA");
  assert.equal(kids(chain)[2].description, "self-signed root");

  // Ids are unique across the whole expanded tree (VS Code rejects duplicates).
  const all = walk(nodes);
  assert.equal(new Set(all.map((n) => n.id)).size, all.length);
});

test("tree: chain order of a shuffled bundle, and a missing issuer", async () => {
  const { leafDer, icaDer, rootDer } = await standardChain();
  const shuffled = await inspect(pem(rootDer) + pem(leafDer) + pem(icaDer));
  const certs = flattenObjects(shuffled.objects).map((f, i) => ({ o: f.object as CertificateModel, i }));
  assert.deepEqual(chainOrder(certs).paths, [[1, 2, 0]]);
  const chain = fileNodes(shuffled, ctx()).at(-1)!;
  assert.equal(chain.description, "3 certificates, not in leaf-first order");
  assert.equal(chain.icon?.color, "list.warningForeground");

  const partial = await inspect(pem(leafDer) + pem(rootDer));
  const p = fileNodes(partial, ctx()).at(-1)!;
  assert.equal(p.description, "2 separate chains");
  const first = kids(kids(p)[0]);
  assert.match(first[0].description!, /^issuer not in this file: CN=Issuing CA/);
});

test("tree: expired, expiring and not-yet-valid certificates are coloured", async () => {
  const f = await fixtures();
  const r = await inspect(f.good + f.expired + f.expiring + f.future + f.weak);
  const nodes = fileNodes(r, ctx({ now: f.now }));
  const by = (name: string) => nodes.find((n) => n.label === name)!;
  assert.equal(by("good.example").icon?.color, undefined);
  assert.equal(by("old.example").icon?.color, "list.errorForeground");
  assert.match(by("old.example").description!, /expired 10 days ago/);
  assert.equal(by("soon.example").icon?.color, "list.warningForeground");
  assert.equal(by("future.example").icon?.color, "list.errorForeground");
  const weakKey = kids(by("weak.example")).find((n) => n.label === "Public key")!;
  assert.match(weakKey.description!, /RSA 1024-bit · weak/);
  const weakSig = kids(by("weak.example")).find((n) => n.label === "Signature algorithm")!;
  assert.match(weakSig.description!, /sha1WithRSAEncryption · weak/);
});

test("tree: keys and certificates say which one belongs to which (by SPKI)", async () => {
  const f = await fixtures();
  const r = await inspect(f.good + f.key + f.csr, "pair.pem");
  const flat = flattenObjects(r.objects).map((x) => x.object);
  const cert = flat.find((o) => o.kind === "certificate") as CertificateModel;
  const key = flat.find((o) => o.kind === "privateKey") as Extract<PkiObject, { kind: "privateKey" }>;
  assert.ok(cert.publicKey.spkiSha256 && key.publicKey?.spkiSha256);
  const uri = "file:///w/pair.pem";
  const refs: (KeyRef & { spki: string })[] = [];
  for (const o of flat) {
    if ((o.kind === "certificate" || o.kind === "csr" || o.kind === "privateKey") && o.publicKey?.spkiSha256) {
      refs.push({ kind: o.kind, uri, label: "pair.pem", line: o.line!, spki: o.publicKey.spkiSha256, ...(o.kind !== "privateKey" ? { name: displayName(o.subject) } : {}) });
    }
  }
  // Also a key elsewhere in the workspace with the same public key.
  refs.push({ kind: "privateKey", uri: "file:///w/other/server.key", label: "other/server.key", line: 1, spki: key.publicKey.spkiSha256! });
  const lookup = (spki: string) => refs.filter((x) => x.spki === spki);
  const nodes = fileNodes(r, ctx({ uri, keyRefs: lookup }));

  const certNode = nodes.find((n) => n.contextValue?.includes("certificate"))!;
  const certMatch = kids(certNode).find((n) => n.label === "Private key")!;
  // The fixtures' certificate, key and CSR share one key pair.
  assert.equal(cert.publicKey.spkiSha256, key.publicKey.spkiSha256);
  assert.equal(certMatch.description, "2 matches");
  assert.deepEqual(kids(certMatch).map((n) => n.reveal), [{ uri, line: key.line }, { uri: "file:///w/other/server.key", line: 1 }]);
  const keyNode = nodes.find((n) => n.contextValue === "object privateKey")!;
  const belongs = kids(keyNode).find((n) => n.label === "Belongs to")!;
  assert.equal(belongs.description, "2 matches");
  assert.deepEqual(kids(belongs).map((n) => [n.label, n.description]), [
    ["good.example", "pair.pem:1"],
    ["req.example", "pair.pem:16"],
  ]);
  // A key that belongs to nothing says so.
  const lonely = fileNodes(r, ctx({ uri, keyRefs: () => [] }));
  const none = kids(lonely.find((n) => n.contextValue === "object privateKey")!).find((n) => n.label === "Belongs to")!;
  assert.match(none.description!, /no certificate or CSR/);

  // Index not built yet: the node says it is searching rather than "no match".
  const waiting = fileNodes(r, ctx({ uri, keyRefs: () => undefined }));
  const w = kids(waiting.find((n) => n.contextValue?.includes("certificate"))!).find((n) => n.label === "Private key")!;
  assert.match(w.description!, /searching/);

  // No key material anywhere in the tree.
  const body = f.key.split("\n").filter((l) => l && !l.startsWith("-----"));
  for (const n of walk(nodes)) for (const s of [n.label, n.description ?? "", n.tooltip ?? "", n.copyValue ?? ""]) for (const l of body) assert.ok(!s.includes(l.slice(0, 20)));
});

test("tree: the validation section shows each link and its problems", async () => {
  const result: VerifyResult = {
    valid: false,
    chain: [
      { subject: "CN=localhost", issuer: "CN=Issuing CA", sha256: "aa".repeat(32), source: "leaf" },
      { subject: "CN=Issuing CA,O=Lab", issuer: "CN=Root", sha256: "bb".repeat(32), source: "file" },
      { subject: "CN=Root", issuer: "CN=Root", sha256: "cc".repeat(32), source: "system" },
    ],
    problems: [
      { code: "expired", message: "The certificate expired on 2026-01-01.", certIndex: 0 },
      { code: "weak_signature", message: "Signed with SHA-1.", certIndex: 1, severity: "warning" },
      { code: "hostname_mismatch", message: "Not valid for example.com." },
    ],
    alternatives: [{ chain: [{ subject: "CN=localhost", issuer: "CN=Other", sha256: "dd".repeat(32), source: "leaf" }], problems: [{ code: "missing_issuer", message: "No issuer." }] }],
  };
  const nodes = fileNodes({ file: "x.pem", objects: [], errors: [] }, ctx({ validation: { result, purpose: "server", host: "example.com", at: NOW.toISOString(), lines: { ["aa".repeat(32)]: 1 } } }));
  const v = nodes[0];
  assert.equal(v.label, "Chain invalid");
  assert.match(v.description!, /2 errors · host example\.com, purpose server/);
  assert.equal(v.icon?.color, "testing.iconFailed");
  const links = kids(v);
  assert.deepEqual(links.slice(0, 3).map((l) => [l.label, l.icon?.id]), [
    ["1. localhost", "error"],
    ["2. Issuing CA", "warning"],
    ["3. Root", "pass-filled"],
  ]);
  assert.deepEqual(links[0].reveal, { line: 1 });
  assert.equal(kids(links[0])[0].label, "The certificate expired on 2026-01-01.");
  assert.equal(kids(links[0])[0].description, "expired");
  assert.match(links[2].description!, /system root/);
  assert.equal(links[3].label, "Not valid for example.com.");
  assert.equal(links[4].label, "Other paths tried");

  const ok = fileNodes({ file: "x.pem", objects: [], errors: [] }, ctx({ validation: { result: { valid: true, chain: result.chain, problems: [] }, purpose: "any", at: NOW.toISOString() } }));
  assert.equal(ok[0].label, "Chain valid");
  assert.ok(kids(ok[0]).every((l) => l.icon?.id === "pass-filled"));
});

test("tree: decode errors become nodes that reveal their line; big files are capped", async () => {
  const f = await fixtures();
  const r = await inspect(f.good + "-----BEGIN CERTIFICATE-----\nMIIB!!\n-----END CERTIFICATE-----\n");
  const nodes = fileNodes(r, ctx());
  const err = nodes.find((n) => n.icon?.id === "error")!;
  assert.ok(err, "an error node");
  assert.match(err.label, /^Line \d+: cannot decode$/);
  assert.ok(err.reveal?.line);
  const many = fileNodes(r, ctx({ maxObjects: 0 }));
  assert.ok(many.some((n) => n.label === "1 more objects not shown"));
});

test("tree: containers list their objects and legacy encryption", () => {
  const cert = { kind: "certificate", subject: { text: "CN=p12", attributes: [{ type: "CN", oid: "2.5.4.3", value: "p12" }] }, issuer: { text: "CN=p12", attributes: [] }, serialNumber: "01", notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z", fingerprints: { sha1: "00", sha256: "11" }, publicKey: { algorithm: "RSA", bits: 2048 }, isCA: false, selfSigned: true, subjectAltNames: [] } as CertificateModel;
  const r: InspectResult = {
    file: "a.p12",
    objects: [{ kind: "pkcs12", encryption: ["pbeWithSHAAnd40BitRC2-CBC", "MAC: HMAC-SHA1"], legacy: true, objects: [cert, { kind: "privateKey", encrypted: true, publicKey: { algorithm: "RSA", bits: 2048 } }] }],
    errors: [],
  };
  const [p12] = fileNodes(r, ctx({ uri: "file:///w/a.p12" }));
  assert.equal(p12.label, "PKCS#12 container");
  assert.match(p12.description!, /2 objects · legacy encryption/);
  assert.equal(p12.collapsible, "expanded");
  const inner = kids(p12);
  assert.equal(inner[0].label, "Encryption");
  assert.equal(inner[0].description, "legacy algorithms");
  assert.deepEqual(inner.slice(1).map((n) => [n.label, n.objectIndex]), [
    ["p12", 1],
    ["Private key (RSA 2048-bit)", 2],
  ]);
});
