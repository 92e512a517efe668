import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText, analyzeDocumentText, type PkiDecoder } from "../../src/core/doc/analyze";
import { expiryOf, isWeakSignature, isWeakKey } from "../../src/core/doc/facts";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import type { DocEntry } from "../../src/core/doc/types";
import { fixtures } from "./fixtures";

const decoder: PkiDecoder = { decodeCertificate, inspectBytes };

function cn(e: DocEntry): string | undefined {
  const o = e.object;
  if (o?.kind === "certificate" || o?.kind === "csr") return o.subject.attributes.find((a) => a.type === "CN")?.value;
  return undefined;
}

/** What one entry should say, in brief: kind, CN, expiry status, weak flags, error. */
function brief(e: DocEntry): string {
  const parts: string[] = [e.block.encoding, e.object?.kind ?? "-"];
  if (cn(e)) parts.push(cn(e)!);
  if (e.facts.expiry) parts.push(e.facts.expiry.status);
  if (e.facts.weakSignature) parts.push("weak-sig");
  if (e.facts.weakKey) parts.push(`weak-key-${e.facts.weakKey.bits}`);
  if (e.error) parts.push("error");
  return parts.join(" ");
}

test("analyzeText: decoded entries and facts in every kind of host file", async () => {
  const f = await fixtures();
  const opts = { summary: false, now: f.now, expiryWarningDays: 30 };
  const indent = (pem: string, n: number) =>
    pem
      .trim()
      .split("\n")
      .map((l) => " ".repeat(n) + l)
      .join("\n");
  const escaped = (pem: string) => pem.trim().split("\n").join("\\n");
  const rows: { name: string; text: string; want: string[] }[] = [
    {
      name: "PEM bundle with every kind of block and text between",
      text: `# bundle\n${f.good}\nsubject=x\n${f.expired}${f.expiring}${f.future}${f.weak}${f.csr}${f.key}${f.crl}`,
      want: [
        "plain certificate good.example ok",
        "plain certificate old.example expired",
        "plain certificate soon.example expiring",
        "plain certificate future.example not_yet_valid",
        "plain certificate weak.example ok weak-sig weak-key-1024",
        "plain csr req.example",
        "plain privateKey",
        "plain crl ok",
      ],
    },
    {
      name: "CRLF",
      text: (f.good + f.expired).replace(/\n/g, "\r\n"),
      want: ["plain certificate good.example ok", "plain certificate old.example expired"],
    },
    {
      name: "YAML block scalars",
      text: `spec:\n  ca: |\n${indent(f.good, 4)}\n  key: |-\n${indent(f.key, 4)}\n`,
      want: ["plain certificate good.example ok", "plain privateKey"],
    },
    {
      name: "JSON strings",
      text: JSON.stringify({ ca: f.expired, csr: f.csr }, null, 2),
      want: ["json-escaped certificate old.example expired", "json-escaped csr req.example"],
    },
    {
      name: "Kubernetes Secret",
      text: `apiVersion: v1\nkind: Secret\ndata:\n  tls.crt: ${Buffer.from(f.expiring + f.good).toString("base64")}\n  tls.key: ${Buffer.from(f.key).toString("base64")}\n`,
      want: ["base64-secret certificate soon.example expiring", "base64-secret certificate good.example ok", "base64-secret privateKey"],
    },
    {
      name: "source code string literal",
      text: `const ca = "${escaped(f.future)}";\nconst other = \`\n${f.good}\`;\n`,
      want: ["json-escaped certificate future.example not_yet_valid", "plain certificate good.example ok"],
    },
    {
      name: "malformed block among good ones",
      text: `${f.good}-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n${f.expired}`,
      want: ["plain certificate good.example ok", "plain - error", "plain - error", "plain certificate old.example expired"],
    },
  ];
  for (const row of rows) {
    const entries = await analyzeText(row.text, opts, decoder);
    assert.deepEqual(entries.map(brief), row.want, row.name);
    for (const e of entries) {
      if (e.object) assert.equal(e.object.line, e.block.line, `${row.name}: model line is the host line`);
      if (e.block.kind === "privateKey") {
        assert.equal(e.block.der, undefined, `${row.name}: key bytes are dropped`);
        assert.equal(e.block.pem, undefined, `${row.name}: key text is dropped`);
      }
    }
  }
});

test("analyzeText: a malformed block says what is wrong, in plain words", async () => {
  const f = await fixtures();
  const opts = { summary: false, now: f.now, expiryWarningDays: 30 };
  const [truncated, garbage, notCert] = await analyzeText(
    [
      "-----BEGIN CERTIFICATE-----",
      "MIIB",
      "-----END CERTIFICATE-----",
      "-----BEGIN CERTIFICATE-----",
      "MIIBx!",
      "-----END CERTIFICATE-----",
      "-----BEGIN CERTIFICATE-----",
      "AQIDBA==",
      "-----END CERTIFICATE-----",
    ].join("\n"),
    opts,
    decoder,
  );
  assert.ok(truncated.error && truncated.error.length > 5, truncated.error);
  assert.match(garbage.error ?? "", /line 5: unexpected characters "!"/);
  assert.ok(notCert.error, "bytes that are no certificate");
  assert.doesNotMatch(notCert.error ?? "", /at line \d+: /, "no redundant 'at line' prefix");
});

test("analyzeDocumentText reports truncation", async () => {
  const f = await fixtures();
  const r = await analyzeDocumentText(f.good, { summary: true, now: f.now, expiryWarningDays: 30 }, decoder);
  assert.equal(r.entries.length, 1);
  assert.equal(r.truncated, undefined);
});

test("facts: expiry boundaries, weak algorithms", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const rows: [string, string, number, string, number][] = [
    ["2026-01-01T00:00:00Z", "2026-05-31T00:00:00Z", 30, "expired", 1],
    ["2026-01-01T00:00:00Z", "2026-06-01T12:00:00Z", 30, "expiring", 0],
    ["2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z", 30, "expiring", 30],
    ["2026-01-01T00:00:00Z", "2026-07-01T00:00:01Z", 30, "ok", 30],
    ["2026-06-03T00:00:00Z", "2027-01-01T00:00:00Z", 30, "not_yet_valid", 2],
    ["2026-01-01T00:00:00Z", "2026-06-10T00:00:00Z", 0, "ok", 9],
  ];
  for (const [nb, na, warn, status, days] of rows) {
    const e = expiryOf(nb, na, now, warn);
    assert.deepEqual([e?.status, e?.days], [status, days], `${nb}..${na} warn ${warn}`);
  }
  assert.equal(expiryOf("x", "y", now, 30), undefined);
  for (const [alg, weak] of [
    ["sha1WithRSAEncryption", true],
    ["ecdsa-with-SHA1", true],
    ["md5WithRSAEncryption", true],
    ["sha256WithRSAEncryption", false],
    ["RSASSA-PSS (SHA-1)", true],
    ["ecdsa-with-SHA384", false],
    ["Ed25519", false],
  ] as const) {
    assert.equal(isWeakSignature(alg), weak, alg);
  }
  assert.equal(isWeakKey({ algorithm: "RSA", bits: 1024 }), true);
  assert.equal(isWeakKey({ algorithm: "RSA", bits: 2048 }), false);
  assert.equal(isWeakKey({ algorithm: "EC", bits: 256, curve: "P-256" }), false);
});
