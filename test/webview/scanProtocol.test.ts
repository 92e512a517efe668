// The Scan panel's protocol guard: the host acts only on well-formed page messages and names what is wrong.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseScanMessage } from "../../src/shared/protocol/scan";

const form = { host: "example.org", port: 443, servername: "", timeoutMs: 5000 };

describe("scan protocol: page → host guard", () => {
  const rows: { name: string; input: unknown; want: unknown }[] = [
    { name: "ready", input: { type: "ready" }, want: { type: "ready" } },
    { name: "start", input: { type: "scan/start", id: 1, form }, want: { type: "scan/start", id: 1, form } },
    { name: "cancel", input: { type: "scan/cancel", id: 2 }, want: { type: "scan/cancel", id: 2 } },
    { name: "openCert", input: { type: "scan/action", id: 3, action: "openCert", chain: 1, index: 0 }, want: { type: "scan/action", id: 3, action: "openCert", chain: 1, index: 0 } },
    { name: "export", input: { type: "scan/action", id: 4, action: "exportMarkdown" }, want: { type: "scan/action", id: 4, action: "exportMarkdown", chain: undefined, index: undefined } },
    { name: "no id", input: { type: "scan/cancel" }, want: { invalid: "message scan/cancel without a valid id" } },
    { name: "bad port", input: { type: "scan/start", id: 5, form: { ...form, port: 70000 } }, want: { invalid: "port must be 1–65535", id: 5 } },
    { name: "bad timeout", input: { type: "scan/start", id: 6, form: { ...form, timeoutMs: 5 } }, want: { invalid: "timeout must be 100–120000 ms", id: 6 } },
    { name: "unknown action", input: { type: "scan/action", id: 7, action: "rm" }, want: { invalid: "unknown action rm", id: 7 } },
    { name: "openCert without index", input: { type: "scan/action", id: 8, action: "openCert", chain: 0 }, want: { invalid: "openCert needs chain and index", id: 8 } },
    { name: "unknown type", input: { type: "scan/x", id: 9 }, want: { invalid: "unknown message type scan/x", id: 9 } },
    { name: "not an object", input: "ready", want: { invalid: "not an object" } },
  ];
  for (const r of rows) it(r.name, () => assert.deepEqual(parseScanMessage(r.input), r.want));
});
