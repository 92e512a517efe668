#!/usr/bin/env node
// Chain validation time for a 3-certificate chain (leaf → intermediate → trusted root), after warm-up,
// through dist/core.js's verifyChain. Goal: ≤ 5 ms per validation. Also reports the CLI end to end.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import * as x509 from "@peculiar/x509";

const root = new URL("../..", import.meta.url).pathname;
const { verifyChain } = createRequire(import.meta.url)(join(root, "dist/core.js"));
x509.cryptoProvider.set(webcrypto);

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const rsa = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
async function chain(keyAlg) {
  const k = () => webcrypto.subtle.generateKey(keyAlg, true, ["sign", "verify"]);
  const [rk, ik, lk] = [await k(), await k(), await k()];
  const nb = new Date("2025-01-01T00:00:00Z");
  const na = new Date("2035-01-01T00:00:00Z");
  const ca = () => [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
  const rootC = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=Bench Root", keys: rk, signingAlgorithm: keyAlg, notBefore: nb, notAfter: na,
    extensions: [...ca(), await x509.SubjectKeyIdentifierExtension.create(rk.publicKey)],
  });
  const aki = async (pub) => x509.AuthorityKeyIdentifierExtension.create(pub);
  const icaC = await x509.X509CertificateGenerator.create({ subject: "CN=Bench CA", issuer: "CN=Bench Root", publicKey: ik.publicKey, signingKey: rk.privateKey, signingAlgorithm: keyAlg, notBefore: nb, notAfter: na, extensions: [...ca(), await aki(rk.publicKey), await x509.SubjectKeyIdentifierExtension.create(ik.publicKey)] });
  const leafC = await x509.X509CertificateGenerator.create({
    subject: "CN=bench.test", issuer: "CN=Bench CA", publicKey: lk.publicKey, signingKey: ik.privateKey, signingAlgorithm: keyAlg, notBefore: nb, notAfter: na,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "bench.test" }]), new x509.ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.1"]), await aki(ik.publicKey)],
  });
  return [leafC, icaC, rootC].map((c) => new Uint8Array(c.rawData));
}

async function time(label, fn, n = 300) {
  for (let i = 0; i < 30; i++) await fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
  console.log(`${label.padEnd(52)} ${ms.toFixed(3)} ms/validation${ms <= 5 ? "" : "  (over the 5 ms goal)"}`);
  return ms;
}

const at = new Date("2026-06-01T00:00:00Z");
let worst = 0;
for (const [name, a] of [["ECDSA P-256", alg], ["RSA-2048", rsa]]) {
  const [leaf, ica, rootDer] = await chain(a);
  const opts = { trusted: [rootDer], useSystemRoots: false, host: "bench.test", at };
  const r = await verifyChain([leaf, ica], opts);
  if (!r.valid) throw new Error(`bench chain is not valid: ${JSON.stringify(r.problems)}`);
  worst = Math.max(worst, await time(`3-cert chain, ${name}, --trusted only`, () => verifyChain([leaf, ica], opts)));
  worst = Math.max(worst, await time(`3-cert chain, ${name}, with Node's root store`, () => verifyChain([leaf, ica], { ...opts, useSystemRoots: true })));
}

// End to end through the CLI (process start included), for scale.
const dir = mkdtempSync(join(tmpdir(), "certscope-bench-"));
try {
  const [leaf, ica, rootDer] = await chain(alg);
  const pem = (d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString("base64")}\n-----END CERTIFICATE-----\n`;
  writeFileSync(join(dir, "chain.pem"), pem(leaf) + pem(ica));
  writeFileSync(join(dir, "root.pem"), pem(rootDer));
  const t0 = Date.now();
  const runs = 5;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(root, "dist/cli.js"), "verify", join(dir, "chain.pem"), "--trusted", join(dir, "root.pem"), "--host", "bench.test", "--at", at.toISOString(), "--json"]);
    if (r.status !== 0) throw new Error(`cli verify failed: ${r.stderr}`);
  }
  console.log(`${"certscope verify (CLI, process start included)".padEnd(52)} ${((Date.now() - t0) / runs).toFixed(1)} ms/run`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(worst <= 5 ? "goal met: ≤ 5 ms per 3-certificate validation" : "goal NOT met");
