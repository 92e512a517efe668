// The hand-kept registry names (src/core/tls/names.ts): the post-quantum hybrids and TLS 1.3-only groups a 2026
// server may choose, ML-DSA signature schemes, and the fallback for code points we do not know.
import { test } from "node:test";
import assert from "node:assert/strict";
import { groupName, signatureSchemeName } from "../../src/core/tls/names";
import { EC_GROUPS_TLS12, SCAN_GROUPS } from "../../src/core/tls/scan/hello";

test("names: hybrid ML-KEM and TLS 1.3-only groups", () => {
  assert.equal(groupName(0x11ec), "X25519MLKEM768");
  assert.equal(groupName(0x11eb), "SecP256r1MLKEM768");
  assert.equal(groupName(0x11ed), "SecP384r1MLKEM1024");
  assert.equal(groupName(0x001f), "brainpoolP256r1tls13");
  assert.equal(groupName(0x0029), "curveSM2");
  assert.equal(groupName(0x1234), "0x1234");
  assert.equal(groupName(0x2a2a), "GREASE(0x2a2a)");
});

test("names: ML-DSA and SM2 signature schemes", () => {
  assert.deepEqual([0x0904, 0x0905, 0x0906, 0x0708].map(signatureSchemeName), ["mldsa44", "mldsa65", "mldsa87", "sm2sig_sm3"]);
});

test("scan: every named group is probed; TLS 1.3-only groups stay out of TLS 1.2 offers", () => {
  for (const g of [0x11eb, 0x11ec, 0x11ed, 0x001f, 0x0029]) assert.ok(SCAN_GROUPS.includes(g), groupName(g));
  for (const g of [0x001f, 0x0020, 0x0021, 0x0029, 0x11ec]) assert.ok(!EC_GROUPS_TLS12.includes(g), groupName(g));
  assert.ok(EC_GROUPS_TLS12.includes(0x001d) && EC_GROUPS_TLS12.includes(0x0017));
});
