/**
 * Error messages about a damaged private-key block travel to logs, the Problems panel, hovers and JSON output:
 * they must never quote the key's base64. Each row damages a real key line a different way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { inspectBytes, scanPem } from "../../src/core/pki";

const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const lines = pem.trim().split("\n");
const body = lines[1];

const damages: { name: string; line: (l: string) => string }[] = [
  { name: "stray dot inside the line", line: (l) => `${l.slice(0, 40)}.${l.slice(40)}` },
  { name: "colon makes it look like a header", line: (l) => `${l.slice(0, 20)}:${l.slice(20)}` },
  { name: "several stray characters", line: (l) => l.replace(/(.{3})/g, "$1!") },
  { name: "comment character glued to the start", line: (l) => `*${l}` },
];

/** Every run of 4+ base64 characters of the key body: none may appear in an error message. */
function leaks(message: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 4 <= body.length; i++) if (message.includes(body.slice(i, i + 4))) found.push(body.slice(i, i + 4));
  return found;
}

for (const d of damages) {
  test(`a damaged private key's error quotes none of its base64: ${d.name}`, async () => {
    const damaged = [lines[0], d.line(body), ...lines.slice(2)].join("\n") + "\n";
    const blocks = scanPem(damaged);
    const r = await inspectBytes(new TextEncoder().encode(damaged), { fileName: "damaged.key" });
    const messages = [...blocks.map((b) => b.error ?? ""), ...r.errors.map((e) => e.message)].filter(Boolean);
    assert.ok(messages.length > 0, "the damage is reported");
    for (const m of messages) assert.deepEqual(leaks(m), [], `message quotes key material: ${m}`);
  });
}
