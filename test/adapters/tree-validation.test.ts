import { test } from "node:test";
import assert from "node:assert/strict";
import { chainSummary, placeProblems } from "../../src/adapters/commands/chainDiagnostics";
import { verifyChain } from "../../src/core/chain";
import type { VerifyResult } from "../../src/shared/model";
import { standardChain } from "../chain/kit";

const result: VerifyResult = {
  valid: false,
  chain: [
    { subject: "CN=leaf", issuer: "CN=ica", sha256: "AA".repeat(32), source: "leaf" },
    { subject: "CN=ica", issuer: "CN=root", sha256: "bb".repeat(32), source: "file" },
    { subject: "CN=root", issuer: "CN=root", sha256: "cc".repeat(32), source: "system" },
  ],
  problems: [
    { code: "hostname_mismatch", message: "not for example.com", certIndex: 0 },
    { code: "expired", message: "expired yesterday", certIndex: 1 },
    { code: "weak_signature", message: "SHA-1", certIndex: 2, severity: "warning" },
    { code: "untrusted_root", message: "no trusted root" },
  ],
};

test("chain diagnostics: each problem goes on its certificate's block, others on the leaf", () => {
  const placed = placeProblems(result, [
    { sha256: "aa".repeat(32), block: 4 },
    { sha256: "bb".repeat(32), block: 7 },
  ], 4);
  assert.deepEqual(placed, [
    { block: 4, message: "not for example.com", code: "hostname_mismatch", severity: "error" },
    { block: 7, message: "expired yesterday", code: "expired", severity: "error" },
    { block: 4, message: "root (system): SHA-1", code: "weak_signature", severity: "warning" },
    { block: 4, message: "no trusted root", code: "untrusted_root", severity: "error" },
  ]);
  assert.equal(chainSummary(result), "leaf → ica → root");
});

test("chain diagnostics: a real verifyChain result maps onto the file's blocks", async () => {
  const { leafDer, icaDer, rootDer } = await standardChain();
  const { createHash } = await import("node:crypto");
  const sha = (d: Uint8Array) => createHash("sha256").update(d).digest("hex");
  // No trust anchors: the chain ends untrusted; the root is in the file.
  const r = await verifyChain([leafDer, icaDer, rootDer], { useSystemRoots: false, host: "wrong.example", at: new Date("2026-06-01T00:00:00Z") });
  assert.equal(r.valid, false);
  const placed = placeProblems(r, [leafDer, icaDer, rootDer].map((d, block) => ({ sha256: sha(d), block })), 0);
  assert.ok(placed.some((p) => p.code === "hostname_mismatch" && p.block === 0));
  assert.ok(placed.length >= 2);
  const trusted = await verifyChain([leafDer, icaDer], { useSystemRoots: false, trusted: [rootDer], host: "localhost", at: new Date("2026-06-01T00:00:00Z") });
  assert.equal(trusted.valid, true, JSON.stringify(trusted.problems));
  assert.equal(chainSummary(trusted), "localhost → Issuing CA → Test Root CA");
  assert.deepEqual(placeProblems(trusted, [], 0), []);
});
