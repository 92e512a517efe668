/**
 * The iterated digest behind the PKCS#12 KDF and PBES1 (src/core/pki/iterhash.ts): SHA-1 and SHA-256 run in
 * JavaScript without allocation, so they are checked against node:crypto round by round counts that cover the
 * edges (1, 2, one block's worth) and a long run; the other digests take the native path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { iteratedDigest } from "../../src/core/pki/iterhash";

const reference = (alg: string, first: Uint8Array, n: number) => {
  let a: Buffer = createHash(alg).update(first).digest();
  for (let i = 1; i < n; i++) a = createHash(alg).update(a).digest();
  return a.toString("hex");
};

test("iteratedDigest equals the digest applied n times, for every digest the KDFs use", () => {
  for (const alg of ["sha1", "sha224", "sha256", "sha384", "sha512", "md5"])
    for (const n of [1, 2, 3, 64, 2048]) {
      for (const len of [0, 20, 55, 64, 200]) {
        const first = randomBytes(len);
        assert.equal(Buffer.from(iteratedDigest(alg, first, n)).toString("hex"), reference(alg, first, n), `${alg} × ${n}, ${len}-byte input`);
      }
    }
});
