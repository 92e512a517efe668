import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHostMessage, parseViewerMessage } from "../../src/shared/protocol/viewer";
import { errorState, loadingState } from "../../src/adapters/editor/viewModel";

test("viewer protocol: messages from the page are checked before use", () => {
  const rows: { name: string; input: unknown; want: unknown }[] = [
    { name: "ready", input: { type: "ready" }, want: { type: "ready" } },
    { name: "ready drops extra fields", input: { type: "ready", evil: 1 }, want: { type: "ready" } },
    { name: "copy", input: { type: "viewer/copy", id: 3, text: "AB:CD" }, want: { type: "viewer/copy", id: 3, text: "AB:CD" } },
    { name: "copy without text", input: { type: "viewer/copy", id: 4 }, want: { invalid: "viewer/copy needs a text string", id: 4 } },
    { name: "copy too big", input: { type: "viewer/copy", id: 5, text: "x".repeat(1_000_001) }, want: { invalid: "viewer/copy needs a text string", id: 5 } },
    { name: "action", input: { type: "viewer/action", id: 6, action: "exportPem", index: 2 }, want: { type: "viewer/action", id: 6, action: "exportPem", index: 2 } },
    { name: "unknown action", input: { type: "viewer/action", id: 7, action: "rm -rf", index: 0 }, want: { invalid: "unknown action rm -rf", id: 7 } },
    { name: "negative index", input: { type: "viewer/action", id: 8, action: "exportDer", index: -1 }, want: { invalid: "viewer/action needs an object index", id: 8 } },
    { name: "unlock", input: { type: "viewer/unlock", id: 9 }, want: { type: "viewer/unlock", id: 9 } },
    { name: "reload", input: { type: "viewer/reload", id: 10 }, want: { type: "viewer/reload", id: 10 } },
    { name: "no id", input: { type: "viewer/reload" }, want: { invalid: "viewer/reload without a valid id" } },
    { name: "fractional id", input: { type: "viewer/unlock", id: 1.5 }, want: { invalid: "viewer/unlock without a valid id" } },
    { name: "unknown type keeps id", input: { type: "viewer/format", id: 11 }, want: { invalid: "unknown message type viewer/format", id: 11 } },
    { name: "not an object", input: "ready", want: { invalid: "message without a type" } },
    { name: "null", input: null, want: { invalid: "message without a type" } },
    { name: "array", input: [{ type: "ready" }], want: { invalid: "message without a type" } },
  ];
  for (const r of rows) assert.deepEqual(parseViewerMessage(r.input), r.want, r.name);
});

test("viewer protocol: the page accepts only well-formed host messages", () => {
  const state = loadingState("a.der");
  assert.deepEqual(parseHostMessage({ type: "viewer/state", state }), { type: "viewer/state", state });
  assert.equal(parseHostMessage({ type: "viewer/state", state: errorState("a.der", "a.der: boom") })?.type, "viewer/state");
  assert.deepEqual(parseHostMessage({ type: "viewer/response", id: 2, ok: false, error: "no" }), { type: "viewer/response", id: 2, ok: false, error: "no" });
  assert.deepEqual(parseHostMessage({ type: "viewer/response", id: 2, ok: true, error: 5 }), { type: "viewer/response", id: 2, ok: true });
  assert.deepEqual(parseHostMessage({ type: "viewer/focus", index: 1 }), { type: "viewer/focus", index: 1 });
  const bad: unknown[] = [
    undefined,
    { type: "viewer/state" },
    { type: "viewer/state", state: { ...state, status: "exploded" } },
    { type: "viewer/state", state: { ...state, objects: [{ index: 0, kind: "certificate", title: 1, badges: [], sections: [], actions: [] }] } },
    { type: "viewer/state", state: { ...state, objects: [{ index: 0, kind: "certificate", title: "t", badges: [], sections: [{ id: "subject", title: "S", rows: [{ label: "CN", value: 3 }] }], actions: [] }] } },
    { type: "viewer/response", id: "1", ok: true },
    { type: "viewer/focus", index: -2 },
    { type: "other" },
  ];
  for (const b of bad) assert.equal(parseHostMessage(b), undefined, JSON.stringify(b));
});
