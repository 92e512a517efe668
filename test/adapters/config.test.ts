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

test("certscope.display.timeZone: read at registration and followed when it changes; anything else is UTC", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { registerDisplaySettings } = require("../../src/adapters/config") as typeof import("../../src/adapters/config");
  const { displayTimeZone, setDisplayTimeZone } = await import("../../src/shared/format");
  const s = vscode.fake.settings as Record<string, unknown>;
  const context = { subscriptions: [] as { dispose(): void }[] };
  try {
    s["certscope.display.timeZone"] = "local";
    registerDisplaySettings(context as never);
    assert.equal(displayTimeZone(), "local");
    s["certscope.display.timeZone"] = "Mars/Olympus";
    vscode.fake.events.config.fire({ affectsConfiguration: (k: string) => k === "certscope.display.timeZone" });
    assert.equal(displayTimeZone(), "utc");
  } finally {
    for (const d of context.subscriptions) d.dispose();
    delete s["certscope.display.timeZone"];
    setDisplayTimeZone("utc");
  }
});

test("saved endpoints: tlsMin/tlsMax as 1.2, TLSv1.2 or tls1.3 fill the form; a bad version leaves the default", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formFromEndpoint, endpointFromForm } = require("../../src/adapters/handshake/store") as typeof import("../../src/adapters/handshake/store");
  const f = formFromEndpoint({ host: "a.example", port: 443, tlsMin: "TLSv1.2", tlsMax: "tls1.3" });
  assert.equal(f.tlsMin, "1.2");
  assert.equal(f.tlsMax, "1.3");
  assert.equal(formFromEndpoint({ host: "a", port: 1, tlsMin: "1.2", tlsMax: "TLSv9" }).tlsMax, "");
  assert.deepEqual(endpointFromForm(f, "a.example", 443, "x"), { name: "x", host: "a.example", port: 443, tlsMin: "1.2", tlsMax: "1.3" });
});
