import { test } from "node:test";
import assert from "node:assert/strict";
import { vscode } from "./fake";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getConfig } = require("../../src/adapters/config") as typeof import("../../src/adapters/config");

test("config: defaults, and wrong types or ranges in settings.json never reach a feature", () => {
  const s = vscode.fake.settings as Record<string, unknown>;
  for (const k of Object.keys(s)) delete s[k];
  assert.deepEqual(getConfig(), {
    expiryWarningDays: 30,
    diagnosticsEnabled: true,
    diagnosticsEmbeddedBlocks: true,
    codeLensEnabled: true,
    trustUseSystemRoots: true,
    trustExtraCaBundles: [],
    trustWorkspaceCaFiles: false,
    handshakeTimeoutMs: 10_000,
    endpoints: [],
  });
  Object.assign(s, {
    "certscope.expiryWarningDays": -5,
    "certscope.diagnostics.enabled": "yes",
    "certscope.codeLens.enabled": false,
    "certscope.handshake.timeoutMs": 10,
    "certscope.trust.extraCaBundles": ["ca.pem", 3, ""],
    "certscope.endpoints": [{ host: "a", port: 443 }, { host: "b" }, null],
  });
  const c = getConfig();
  assert.equal(c.expiryWarningDays, 0);
  assert.equal(c.diagnosticsEnabled, true);
  assert.equal(c.codeLensEnabled, false);
  assert.equal(c.handshakeTimeoutMs, 500);
  assert.deepEqual(c.trustExtraCaBundles, ["ca.pem"]);
  assert.deepEqual(c.endpoints, [{ host: "a", port: 443 }]);
  s["certscope.expiryWarningDays"] = 12.7;
  assert.equal(getConfig().expiryWarningDays, 12);
  for (const k of Object.keys(s)) delete s[k];
});
