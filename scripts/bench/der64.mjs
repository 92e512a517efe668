#!/usr/bin/env node
// Certificates without PEM armour (src/core/doc/der64.ts): on a generated ~16 MB JSON corpus (package-lock
// integrity hashes, JWTs, random base64 blobs, DER lookalikes, keys, CSRs, PKCS#7 — and JWKS x5c entries, "MII…"
// strings and wrapped base64 certificates to find), prints how many certificates were found, the false
// positives and misses (goal: 0 and 0), and the time the whole locator (PEM + base64 DER) takes.
import { createRequire } from "node:module";
import { join } from "node:path";
import { makeCorpus } from "./lib/base64-corpus.mjs";

const root = new URL("../..", import.meta.url).pathname;
const core = createRequire(import.meta.url)(join(root, "dist/core.js"));

const t0 = performance.now();
const { text, expected } = makeCorpus({ scale: 16, seed: "bench" });
const made = performance.now() - t0;
const runs = [];
let blocks = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  blocks = core.locateBlocks(text).blocks;
  runs.push(performance.now() - t);
}
const found = blocks.filter((b) => b.encoding === "base64-der");
const want = new Set(expected);
const got = new Set(found.map((b) => b.startOffset));
const falsePositives = found.filter((b) => !want.has(b.startOffset)).length;
const missed = expected.filter((o) => !got.has(o)).length;
const best = Math.min(...runs);
const mb = text.length / 1048576;
console.log(`corpus: ${mb.toFixed(1)} MB of JSON (made in ${(made / 1000).toFixed(1)} s), ${expected.length} certificates in it`);
console.log(`found: ${found.length}   false positives: ${falsePositives}   missed: ${missed}`);
console.log(`locate (PEM + base64 DER): best of 3 ${best.toFixed(0)} ms = ${(mb / (best / 1000)).toFixed(0)} MB/s`);
if (falsePositives || missed) process.exitCode = 1;
