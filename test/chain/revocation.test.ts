/**
 * Revocation in verify: CRL files, CRLs fetched from distribution points served on 127.0.0.1 by the test, stale
 * and wrongly signed CRLs, an unanswering distribution point (bounded, cancellable), the injected OCSP checker,
 * and the §6.1.1 policy inputs.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyChain, type VerifyOptions } from "../../src/core/chain";
import { parseCrls } from "../../src/core/revocation/crl";
import type { OcspChecker } from "../../src/core/revocation/types";
import { CA_KU, CrlReason, EKU, LEAF_KU, cdp, makeCert, makeCrl, newKeys, policyExt, serialOf, standardChain, type Issuer } from "./kit";

const AT = new Date("2026-06-01T00:00:00Z");
const base: VerifyOptions = { useSystemRoots: false, at: AT, host: "localhost" };

function problems(r: { problems: { code: string; certIndex?: number; severity?: string }[] }): string[] {
  return r.problems.map((p) => `${p.code}@${p.certIndex ?? "-"}${p.severity === "warning" ? ":w" : ""}`).sort();
}

const crls = (...ders: Uint8Array[]) => ders.flatMap((d, k) => parseCrls(d, `crl${k}.der`));

/** root → ICA → leaf where the leaf (and ICA) may carry CRL distribution points. */
async function chainWithCdp(leafUrl?: string, icaUrl?: string) {
  const root: Issuer = { name: "CN=Rev Root", keys: await newKeys() };
  const ica: Issuer = { name: "CN=Rev ICA", keys: await newKeys() };
  const rootDer = await makeCert({ subject: root.name, keys: root.keys, ca: { ca: true }, keyUsage: CA_KU });
  const icaDer = await makeCert({ subject: ica.name, keys: ica.keys, issuer: root, ca: { ca: true }, keyUsage: CA_KU, extra: icaUrl ? [cdp(icaUrl)] : [] });
  const leafDer = await makeCert({ subject: "CN=localhost", keys: await newKeys(), issuer: ica, keyUsage: LEAF_KU, eku: [EKU.server], sans: [{ type: "dns", value: "localhost" }], extra: leafUrl ? [cdp(leafUrl)] : [] });
  return { root, ica, rootDer, icaDer, leafDer };
}

async function serve(handler: (path: string) => Uint8Array | "hang" | undefined): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const body = handler(req.url ?? "");
    if (body === "hang") return; // never answers
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/pkix-crl" }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

test("CRL files: a revoked leaf (reason and invalidity date in the message), a good one, a missing CRL", async () => {
  const c = await chainWithCdp();
  const rootCrl = await makeCrl({ issuer: c.root, crlNumber: 1 });
  const revoked = await makeCrl({ issuer: c.ica, crlNumber: 7, entries: [{ serial: serialOf(c.leafDer), reason: CrlReason.keyCompromise, invalidity: new Date("2026-01-15T00:00:00Z") }] });
  const opts = { ...base, trusted: [c.rootDer], revocation: "crl" as const };
  let r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl, revoked) });
  assert.deepEqual(problems(r), ["revoked@0"]);
  assert.match(r.problems[0].message, /CN=localhost' is revoked: revoked on 2026-02-01T00:00:00Z, reason keyCompromise, invalid since 2026-01-15T00:00:00Z, according to the CRL of 'CN=Rev ICA' \(crl1\.der\)/);

  const good = await makeCrl({ issuer: c.ica, crlNumber: 8, entries: [{ serial: "7777" }] });
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl, good) });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(r.problems, []);

  // No CRL for the leaf: a warning, an error when strict.
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl) });
  assert.deepEqual(problems(r), ["revocation_unknown@0:w"]);
  assert.match(r.problems[0].message, /has no known revocation status \(CRL: no usable CRL covers it\)/);
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl), revocationStrict: true });
  assert.deepEqual(problems(r), ["revocation_unknown@0"]);
  assert.equal(r.valid, false);
  // Revocation off (the default): nothing is said.
  r = await verifyChain([c.leafDer, c.icaDer], { ...base, trusted: [c.rootDer], crls: crls(revoked) });
  assert.equal(r.valid, true);
});

test("stale, not yet issued and wrongly signed CRLs are not used", async () => {
  const c = await chainWithCdp();
  const rootCrl = await makeCrl({ issuer: c.root });
  const opts = { ...base, trusted: [c.rootDer], revocation: "crl" as const, revocationStrict: true };
  const entries = [{ serial: serialOf(c.leafDer), reason: CrlReason.superseded }];
  const stale = await makeCrl({ issuer: c.ica, thisUpdate: new Date("2026-01-01T00:00:00Z"), nextUpdate: new Date("2026-02-01T00:00:00Z"), entries });
  let r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl, stale) });
  assert.deepEqual(problems(r), ["revocation_unknown@0"]);
  assert.match(r.problems[0].message, /cannot be used: it is out of date \(nextUpdate 2026-02-01T00:00:00Z\)/);
  const future = await makeCrl({ issuer: c.ica, thisUpdate: new Date("2026-07-01T00:00:00Z"), nextUpdate: new Date("2026-08-01T00:00:00Z"), entries });
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl, future) });
  assert.match(r.problems[0].message, /issued after the validation time/);
  const impostor = await makeCrl({ issuer: { name: c.ica.name, keys: await newKeys() }, entries });
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, crls: crls(rootCrl, impostor) });
  assert.deepEqual(problems(r), ["revocation_unknown@0"]);
  assert.match(r.problems[0].message, /its signature does not verify with the key of 'CN=Rev ICA'/);
});

test("CRL distribution points over http on 127.0.0.1: fetched once per process, revoked and good", async () => {
  const leafCrl: { der?: Uint8Array } = {};
  const rootCrl: { der?: Uint8Array } = {};
  const srv = await serve((p) => (p === "/ica.crl" ? leafCrl.der : p === "/root.crl" ? rootCrl.der : undefined));
  try {
    const c = await chainWithCdp(`${srv.base}/ica.crl`, `${srv.base}/root.crl`);
    leafCrl.der = await makeCrl({ issuer: c.ica, entries: [{ serial: serialOf(c.leafDer), reason: CrlReason.cessationOfOperation }] });
    rootCrl.der = await makeCrl({ issuer: c.root });
    const opts = { ...base, trusted: [c.rootDer], revocation: "crl" as const, revocationStrict: true };
    let r = await verifyChain([c.leafDer, c.icaDer], opts);
    assert.deepEqual(problems(r), ["revoked@0"]);
    assert.match(r.problems[0].message, new RegExp(`reason cessationOfOperation, according to the CRL of 'CN=Rev ICA' \\(${srv.base}/ica\\.crl\\)`));
    r = await verifyChain([c.leafDer, c.icaDer], opts);
    assert.deepEqual(problems(r), ["revoked@0"]);
    assert.deepEqual(srv.hits.sort(), ["/ica.crl", "/root.crl"], "each CRL is fetched once per process");
    // fetchCrls false (the CLI's --no-fetch): the distribution points are not asked.
    const c2 = await chainWithCdp(`${srv.base}/ica.crl?unasked`);
    r = await verifyChain([c2.leafDer, c2.icaDer], { ...opts, trusted: [c2.rootDer], revocationStrict: false, fetchCrls: false });
    assert.deepEqual(problems(r), ["revocation_unknown@0:w", "revocation_unknown@1:w"]);
    assert.equal(srv.hits.length, 2);
  } finally {
    await stop(srv.server);
  }
});

test("an unanswering or missing distribution point: a bounded wait, then revocation_unknown; cancellable", async () => {
  const srv = await serve((p) => (p.startsWith("/hang.crl") ? "hang" : undefined));
  try {
    const c = await chainWithCdp(`${srv.base}/hang.crl`, `${srv.base}/missing.crl`);
    const opts = { ...base, trusted: [c.rootDer], revocation: "crl" as const, revocationTimeoutMs: 300 };
    let r = await verifyChain([c.leafDer, c.icaDer], opts);
    assert.equal(r.valid, true);
    assert.deepEqual(problems(r), ["revocation_unknown@0:w", "revocation_unknown@1:w"]);
    assert.match(r.problems[0].message, /hang\.crl: no answer within 300 ms/);
    assert.match(r.problems[1].message, /missing\.crl: HTTP status 404/);
    // Cancelled: the wait ends with the signal, not the timeout.
    const c2 = await chainWithCdp(`${srv.base}/hang.crl?2`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    r = await verifyChain([c2.leafDer, c2.icaDer], { ...opts, trusted: [c2.rootDer], revocationTimeoutMs: 60_000, signal: ac.signal });
    assert.ok(r.problems.some((p) => p.code === "revocation_unknown" && /cancelled/.test(p.message)), JSON.stringify(r.problems));
  } finally {
    await stop(srv.server);
  }
});

test("OCSP through the injected checker; with `all`, one good answer suffices and a revoked one wins", async () => {
  const c = await chainWithCdp();
  const asked: string[] = [];
  const leaf = Buffer.from(c.leafDer);
  // Answers `status` for the leaf; the intermediate is good unless everything is unknown.
  const checker =
    (status: "good" | "revoked" | "unknown"): OcspChecker =>
    async (cert, issuer, o) => {
      asked.push(`${Buffer.from(cert).equals(leaf) ? "leaf" : "ica"}@${o.timeoutMs}`);
      if (!Buffer.from(cert).equals(leaf) && status !== "unknown") return { status: "good", source: "ocsp", detail: "good" };
      return status === "revoked"
        ? { status, source: "ocsp", revokedAt: "2026-03-01T00:00:00Z", reason: "keyCompromise", location: "http://127.0.0.1:9/ocsp", detail: "revoked on 2026-03-01T00:00:00Z, reason keyCompromise, said the responder" }
        : { status, source: "ocsp", detail: status === "good" ? "good" : "the responder did not answer" };
    };
  const opts = { ...base, trusted: [c.rootDer], revocationTimeoutMs: 1234 };
  let r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "ocsp", ocspCheck: checker("revoked") });
  assert.deepEqual(problems(r), ["revoked@0"]);
  assert.match(r.problems[0].message, /is revoked: revoked on 2026-03-01T00:00:00Z, reason keyCompromise, said the responder/);
  asked.length = 0;
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "ocsp", ocspCheck: checker("good") });
  assert.equal(r.valid, true);
  assert.deepEqual(asked, ["leaf@1234", "ica@1234"], "every certificate below the anchor is asked about, with the time bound");
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "ocsp", ocspCheck: checker("unknown"), revocationStrict: true });
  assert.deepEqual(problems(r), ["revocation_unknown@0", "revocation_unknown@1"]);
  assert.match(r.problems[0].message, /OCSP: the responder did not answer/);
  // all: OCSP unknown, but the CRLs say good.
  const good = crls(await makeCrl({ issuer: c.ica }), await makeCrl({ issuer: c.root }));
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "all", ocspCheck: checker("unknown"), crls: good, revocationStrict: true });
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  // all: OCSP good, but a CRL knows of the revocation: revoked.
  const revokedCrl = crls(await makeCrl({ issuer: c.ica, entries: [{ serial: serialOf(c.leafDer) }] }), await makeCrl({ issuer: c.root }));
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "all", ocspCheck: checker("good"), crls: revokedCrl });
  assert.deepEqual(problems(r), ["revoked@0"]);
  // No checker given: said plainly, not pretended.
  r = await verifyChain([c.leafDer, c.icaDer], { ...opts, revocation: "ocsp" });
  assert.match(r.problems[0].message, /OCSP checking is not available/);
});

test("§6.1.1 inputs: user-initial-policy-set, initial-explicit-policy, -policy-mapping-inhibit, -any-policy-inhibit", async () => {
  const P1 = "1.3.6.1.4.1.99999.1";
  const P2 = "1.3.6.1.4.1.99999.2";
  const s = await standardChain({ extra: [policyExt.policies(P1)] });
  const ica = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, extra: [policyExt.policies(P1, P2)] });
  const opts = { ...base, trusted: [s.rootDer] };
  assert.equal((await verifyChain([s.leafDer, ica], opts)).valid, true);
  assert.equal((await verifyChain([s.leafDer, ica], { ...opts, policy: { initialPolicySet: [P1], requireExplicitPolicy: true } })).valid, true);
  let r = await verifyChain([s.leafDer, ica], { ...opts, policy: { initialPolicySet: [P2], requireExplicitPolicy: true } });
  assert.deepEqual(problems(r), ["policy@0"]);
  assert.match(r.problems[0].message, /none of the acceptable policies \(1\.3\.6\.1\.4\.1\.99999\.2\) is valid for the whole path/);
  // Without initial-explicit-policy an empty intersection is not an error (RFC 5280 §6.1.5 (g)).
  assert.equal((await verifyChain([s.leafDer, ica], { ...opts, policy: { initialPolicySet: [P2] } })).valid, true);

  // anyPolicy on the intermediate: accepted unless initial-any-policy-inhibit.
  const anyIca = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, extra: [policyExt.policies("2.5.29.32.0")] });
  assert.equal((await verifyChain([s.leafDer, anyIca], { ...opts, policy: { requireExplicitPolicy: true } })).valid, true);
  r = await verifyChain([s.leafDer, anyIca], { ...opts, policy: { requireExplicitPolicy: true, inhibitAnyPolicy: true } });
  assert.deepEqual(problems(r), ["policy@1"]);

  // A mapping P2 → P1 on the intermediate: the leaf's P1 is reached from P2 unless mapping is inhibited.
  const mapIca = await makeCert({ subject: s.ica.name, keys: s.ica.keys, issuer: s.root, ca: { ca: true }, keyUsage: CA_KU, extra: [policyExt.policies(P2), policyExt.mappings([P2, P1])] });
  assert.equal((await verifyChain([s.leafDer, mapIca], { ...opts, policy: { initialPolicySet: [P2], requireExplicitPolicy: true } })).valid, true);
  r = await verifyChain([s.leafDer, mapIca], { ...opts, policy: { initialPolicySet: [P2], requireExplicitPolicy: true, inhibitPolicyMapping: true } });
  assert.deepEqual(problems(r), ["policy@0"]);
});
