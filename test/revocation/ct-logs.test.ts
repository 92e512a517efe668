// The bundled CT log list (src/core/pki/data/ct-logs.json, made by scripts/ct/make-ct-logs.mjs): every log can
// verify the SCTs it signed — its ID is the SHA-256 of a key Node loads (RFC 6962 §3.2) — and the logs started
// since the 2025-01-20 copy (2027 shards, tiled logs, new operators) are named.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey } from "node:crypto";
import logList from "../../src/core/pki/data/ct-logs.json";
import { CT_LOG_LIST_SOURCE, knownLog } from "../../src/core/pki/sct";

const hexId = (hex: string) => Buffer.from(hex, "hex").toString("base64");

describe("bundled CT log list", () => {
  it("is a dated, sourced snapshot", () => {
    assert.match(CT_LOG_LIST_SOURCE.snapshot, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(CT_LOG_LIST_SOURCE.snapshot >= "2026-08-20", CT_LOG_LIST_SOURCE.snapshot);
    for (const s of logList.sources) assert.match(s.commit, /^[0-9a-f]{40}$/);
  });

  it("every log's ID is the SHA-256 of its key, and the key is one SCT signatures can be checked with", () => {
    const names = new Set<string>();
    for (const l of logList.logs) {
      const der = Buffer.from(l.key, "base64");
      assert.equal(createHash("sha256").update(der).digest("base64"), l.logId, l.name);
      const key = createPublicKey({ key: der, format: "der", type: "spki" });
      const d = key.asymmetricKeyDetails!;
      assert.ok(
        (key.asymmetricKeyType === "ec" && d.namedCurve === "prime256v1") || (key.asymmetricKeyType === "rsa" && d.modulusLength! >= 2048),
        `${l.name}: ${key.asymmetricKeyType} ${d.namedCurve ?? d.modulusLength}`,
      );
      assert.ok(l.name.startsWith(l.operator + " "), l.name);
      assert.ok(!names.has(l.name), `${l.name} twice`);
      names.add(l.name);
    }
    assert.equal(new Set(logList.logs.map((l) => l.logId)).size, logList.logs.length);
  });

  const rows: [string, string, string][] = [
    // Kept from the 2025-01-20 copy, though Google's list has since dropped it.
    ["Google Argon2024", "Google", hexId("eecdd064d5db1acec55cb79db4cd13a23287467cbcecdec351485946711fb59b")],
    ["Google Argon2026h1", "Google", hexId("0e5794bcf3aea93e331b2c9907b3f790df9bc23d713225dd21a925ac61c54e21")],
    // Started after it: a 2027 shard, a tiled (static-ct-api) log, a new operator.
    ["Google Argon2027h1", "Google", "1tWNqdAXU/NqSqDHV0kCr+vH3CzTjNn3ZMgMiRkenwI="],
    ["Google ParcelYard2027h1", "Google", "HIl0B+YBCgEpO7Z439ejaM6xjMpSHcyk04bkoy5bXQQ="],
    ["Cloudflare Nimbus2027", "Cloudflare", "TGPcmOWcHauI9h6KPd6uj6tEozd7X5uUw/uhnPzBviY="],
  ];
  for (const [name, operator, id] of rows)
    it(`names ${name}`, () => {
      assert.equal(knownLog(id)?.name, name);
      assert.equal(knownLog(id)?.operator, operator);
    });

  it("names Let's Encrypt's and Sectigo's logs the way the 2025 copy did", () => {
    const byName = new Map(logList.logs.map((l) => [l.name, l]));
    for (const n of ["Let's Encrypt Oak2025h1", "Let's Encrypt Sycamore2027h1", "Sectigo Sabre", "Sectigo Tiger2027h1", "TrustAsia Log2024-2", "TrustAsia HETU2027"])
      assert.ok(byName.has(n), n);
  });
});
