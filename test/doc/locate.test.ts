import { test } from "node:test";
import assert from "node:assert/strict";
import { locateBlocks, mayContainPem, LineIndex, iterateBlocks } from "../../src/core/doc/locate";
import type { LocatedBlock } from "../../src/core/doc/types";
import { scanPem, inspectBytes } from "../../src/core/pki";
import { bodyLines, fixtures } from "./fixtures";

const derOf = (pem: string) => new Uint8Array(Buffer.from(bodyLines(pem).join(""), "base64"));

interface Want {
  label: string;
  encoding: LocatedBlock["encoding"];
  /** [startLine, startChar, endLine, endChar], 0-based. */
  range: [number, number, number, number];
  embedded: boolean;
  /** The PEM whose DER the block must decode to. */
  der?: string;
  error?: RegExp;
}

interface Row {
  name: string;
  text: string;
  want: Want[];
}

test("locateBlocks: ranges and bytes in every kind of host file", async () => {
  const f = await fixtures();
  const g = bodyLines(f.good);
  const e = bodyLines(f.expired);
  const k = bodyLines(f.key);
  const gl = g.length;
  const endLen = "-----END CERTIFICATE-----".length;
  const oneLine = (pem: string) => pem.trim().split("\n").join("\\n");

  const secretValue = Buffer.from(f.good + f.expired).toString("base64");
  const secretLines = ["apiVersion: v1", "kind: Secret", "type: kubernetes.io/tls", "data:", `  tls.crt: ${secretValue}`, "  tls.key: c2VjcmV0"];
  const goodB64Len = Math.ceil(Buffer.byteLength(f.good.trimEnd()) / 3) * 4;

  const jsonLine = `  "ca": "${oneLine(f.good)}\\n",`;
  const jsonStart = jsonLine.indexOf("-----BEGIN");

  const rows: Row[] = [
    {
      name: "plain PEM file",
      text: f.good,
      want: [{ label: "CERTIFICATE", encoding: "plain", range: [0, 0, gl + 1, endLen], embedded: false, der: f.good }],
    },
    {
      name: "bundle with text between blocks (openssl 'subject=' lines, Bag Attributes)",
      text: `subject=CN = good.example\nissuer=CN = good.example\n${f.good}\nBag Attributes\n    localKeyID: 01 02\n${f.expired}`,
      want: [
        { label: "CERTIFICATE", encoding: "plain", range: [2, 0, gl + 3, endLen], embedded: false, der: f.good },
        { label: "CERTIFICATE", encoding: "plain", range: [gl + 7, 0, gl + 7 + e.length + 1, endLen], embedded: false, der: f.expired },
      ],
    },
    {
      name: "CRLF line ends",
      text: (f.good + f.key).replace(/\n/g, "\r\n"),
      want: [
        { label: "CERTIFICATE", encoding: "plain", range: [0, 0, gl + 1, endLen], embedded: false, der: f.good },
        { label: "PRIVATE KEY", encoding: "plain", range: [gl + 2, 0, gl + 2 + k.length + 1, "-----END PRIVATE KEY-----".length], embedded: false, der: f.key },
      ],
    },
    {
      name: "YAML indented block scalar",
      text: `tls:\n  ca: |\n${f.good
        .trim()
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n")}\n  other: value\n`,
      want: [{ label: "CERTIFICATE", encoding: "plain", range: [2, 4, gl + 3, 4 + endLen], embedded: true, der: f.good }],
    },
    {
      name: "JSON string with \\n escapes",
      text: `{\n${jsonLine}\n  "x": 1\n}\n`,
      want: [
        {
          label: "CERTIFICATE",
          encoding: "json-escaped",
          range: [1, jsonStart, 1, jsonLine.indexOf("-----END") + endLen],
          embedded: true,
          der: f.good,
        },
      ],
    },
    {
      name: "JSON with \\/ escapes (PHP json_encode)",
      text: `{"ca":"${oneLine(f.good).replace(/\//g, "\\/")}"}`,
      want: [{ label: "CERTIFICATE", encoding: "json-escaped", range: [0, 7, 0, -1], embedded: true, der: f.good }],
    },
    {
      name: "Kubernetes Secret with base64 tls.crt holding two certificates",
      text: secretLines.join("\n") + "\n",
      want: [
        { label: "CERTIFICATE", encoding: "base64-secret", range: [4, 11, 4, 11 + goodB64Len], embedded: true, der: f.good },
        { label: "CERTIFICATE", encoding: "base64-secret", range: [4, 11 + Math.floor(Buffer.byteLength(f.good) / 3) * 4, 4, 11 + Math.ceil((Buffer.byteLength(f.good + f.expired) - 1) / 3) * 4], embedded: true, der: f.expired },
      ],
    },
    {
      name: "source code: concatenated string literals",
      text: [
        "const ca =",
        `  "-----BEGIN CERTIFICATE-----\\n" +`,
        ...g.map((l) => `  "${l}\\n" +`),
        `  "-----END CERTIFICATE-----\\n";`,
      ].join("\n"),
      want: [{ label: "CERTIFICATE", encoding: "json-escaped", range: [1, 3, gl + 2, 3 + endLen], embedded: true, der: f.good }],
    },
    {
      name: "source code: Go raw string and Python bytes literal",
      text: `var ca = \`${f.good.trim()}\`\n\nKEY = b"""${f.expired.trim()}"""\n`,
      want: [
        { label: "CERTIFICATE", encoding: "plain", range: [0, 10, gl + 1, endLen], embedded: true, der: f.good },
        { label: "CERTIFICATE", encoding: "plain", range: [gl + 3, 10, gl + 3 + e.length + 1, endLen], embedded: true, der: f.expired },
      ],
    },
    {
      name: "PEM flattened onto one line with spaces (env var, annotation)",
      text: `export CA_CERT="${f.good.trim().split("\n").join(" ")}"\n`,
      want: [{ label: "CERTIFICATE", encoding: "plain", range: [0, 16, 0, 16 + f.good.trim().split("\n").join(" ").length], embedded: true, der: f.good }],
    },
    {
      name: "comment-prefixed block (# and //)",
      text: f.good
        .trim()
        .split("\n")
        .map((l) => `# ${l}`)
        .join("\n"),
      want: [{ label: "CERTIFICATE", encoding: "plain", range: [0, 2, gl + 1, 2 + endLen], embedded: true, der: f.good }],
    },
    {
      name: "malformed block among good ones",
      text: `${f.good}-----BEGIN CERTIFICATE-----\nMIIB!!notbase64\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${g.slice(0, 3).join("\n")}\n${f.expired}`,
      want: [
        { label: "CERTIFICATE", encoding: "plain", range: [0, 0, gl + 1, endLen], embedded: false, der: f.good },
        { label: "CERTIFICATE", encoding: "plain", range: [gl + 2, 0, gl + 4, endLen], embedded: false, error: new RegExp(`line ${gl + 4}: unexpected characters`) },
        { label: "CERTIFICATE", encoding: "plain", range: [gl + 5, 0, gl + 5, 27], embedded: false, error: /no "-----END CERTIFICATE-----" line before the next BEGIN line/ },
        { label: "CERTIFICATE", encoding: "plain", range: [gl + 9, 0, gl + 9 + e.length + 1, endLen], embedded: false, der: f.expired },
      ],
    },
    {
      name: "mismatched END label, truncated base64, empty body",
      text: [
        "-----BEGIN CERTIFICATE-----",
        g[0],
        "-----END PRIVATE KEY-----",
        "-----BEGIN X509 CRL-----",
        "QUJD",
        "QQ",
        "-----END X509 CRL-----",
        "-----BEGIN PUBLIC KEY-----",
        "-----END PUBLIC KEY-----",
      ].join("\n"),
      want: [
        { label: "CERTIFICATE", encoding: "plain", range: [0, 0, 2, 25], embedded: false, error: /END line says 'PRIVATE KEY'/ },
        { label: "X509 CRL", encoding: "plain", range: [3, 0, 6, 22], embedded: false, error: /base64 is truncated/ },
        { label: "PUBLIC KEY", encoding: "plain", range: [7, 0, 8, 24], embedded: false, error: /no base64 body/ },
      ],
    },
  ];

  for (const row of rows) {
    const { blocks, truncated } = locateBlocks(row.text);
    assert.equal(truncated, undefined, row.name);
    assert.equal(blocks.length, row.want.length, `${row.name}: ${blocks.length} blocks ${JSON.stringify(blocks.map((b) => b.error))}`);
    row.want.forEach((w, i) => {
      const b = blocks[i];
      const at = `${row.name} #${i}`;
      assert.equal(b.index, i, at);
      assert.equal(b.label, w.label, at);
      assert.equal(b.encoding, w.encoding, at);
      const r = b.range;
      const endChar = w.range[3] === -1 ? r.end.character : w.range[3];
      assert.deepEqual([r.start.line, r.start.character, r.end.line, r.end.character], [w.range[0], w.range[1], w.range[2], endChar], at);
      assert.equal(b.line, r.start.line + 1, at);
      assert.equal(b.embedded, w.embedded, at);
      if (w.error) {
        assert.match(b.error ?? "", w.error, at);
        assert.equal(b.der, undefined, at);
      } else {
        assert.equal(b.error, undefined, `${at}: ${b.error}`);
        assert.deepEqual(b.der, derOf(w.der!), at);
        assert.ok(b.pem?.startsWith(`-----BEGIN ${w.label}-----\n`), at);
      }
    });
  }
});

test("locateBlocks: legacy encrypted key headers are kept", () => {
  const text = [
    "-----BEGIN RSA PRIVATE KEY-----",
    "Proc-Type: 4,ENCRYPTED",
    "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF",
    "",
    "QUJDRA==",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n");
  const [b] = locateBlocks(text).blocks;
  assert.equal(b.kind, "privateKey");
  assert.deepEqual(b.headers, [
    ["Proc-Type", "4,ENCRYPTED"],
    ["DEK-Info", "AES-128-CBC,00112233445566778899AABBCCDDEEFF"],
  ]);
  assert.match(b.pem!, /Proc-Type: 4,ENCRYPTED\nDEK-Info: .*\n\nQUJDRA==\n/);
});

test("locateBlocks: kinds from labels, prose that mentions BEGIN is not a block", () => {
  const text = [
    "The file starts with -----BEGIN and then a label.",
    "-----BEGIN EC PARAMETERS-----",
    "BggqhkjOPQMBBw==",
    "-----END EC PARAMETERS-----",
    "-----BEGIN CERTIFICATE REQUEST-----",
    "QUJD",
    "-----END CERTIFICATE REQUEST-----",
    "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    "QUJD",
    "-----END PGP PUBLIC KEY BLOCK-----",
  ].join("\n");
  const kinds = locateBlocks(text).blocks.map((b) => [b.label, b.kind]);
  assert.deepEqual(kinds, [
    ["EC PARAMETERS", "parameters"],
    ["CERTIFICATE REQUEST", "csr"],
    ["PGP PUBLIC KEY BLOCK", "other"],
  ]);
});

test("mayContainPem and the block cap", async () => {
  const f = await fixtures();
  assert.equal(mayContainPem("just: yaml\n"), false);
  assert.equal(mayContainPem(f.good), true);
  assert.equal(mayContainPem(`x: ${Buffer.from(f.good).toString("base64")}`), true);
  const many = f.good.repeat(30);
  const r = locateBlocks(many, { maxBlocks: 25 });
  assert.equal(r.blocks.length, 25);
  assert.match(r.truncated ?? "", /only the first 25 PEM blocks were read; the rest of the file \(from line \d+\) was skipped/);
  // The generator yields one block per step, so a caller can slice the work.
  const it = iterateBlocks(many);
  const next = () => {
    for (;;) {
      const r = it.next();
      if (r.done || r.value) return r.value as LocatedBlock;
    }
  };
  assert.equal(next().index, 0);
  assert.equal(next().index, 1);
  // Megabytes of text before a block: the generator yields null ticks while it indexes lines.
  const far = "x".repeat(100).concat("\n").repeat(100_000) + f.good;
  const steps = [...iterateBlocks(far)];
  assert.ok(steps.filter((s) => s === null).length >= 2, "ticks while crossing 10 MB");
  assert.equal(steps.filter(Boolean).length, 1);
  assert.equal((steps.find(Boolean) as LocatedBlock).line, 100_001);
});

test("LineIndex handles LF, CRLF and lone CR", () => {
  const li = new LineIndex("a\nb\r\nc\rd");
  assert.deepEqual(
    [0, 2, 5, 7].map((o) => li.position(o)),
    [
      { line: 0, character: 0 },
      { line: 1, character: 0 },
      { line: 2, character: 0 },
      { line: 3, character: 0 },
    ],
  );
  assert.deepEqual(li.position(1), { line: 0, character: 1 });
});

test("one locator: scanPem (certscope inspect) and locateBlocks (editor) see the same blocks at the same lines", async () => {
  const f = await fixtures();
  const g = bodyLines(f.good);
  const texts: Record<string, string> = {
    bundle: `subject=CN = good\n${f.good}\nBag Attributes\n    localKeyID: 01\n${f.expired}# end\n`,
    yaml: `tls:\n  ca: |\n${f.good.trim().split("\n").map((l) => `    ${l}`).join("\n")}\n  key: |\n${f.key.trim().split("\n").map((l) => `    ${l}`).join("\n")}\n`,
    json: JSON.stringify({ ca: f.good, chain: [f.expired, f.csr] }, null, 2),
    secret: `data:\n  tls.crt: ${Buffer.from(f.good + f.expired).toString("base64")}\n  tls.key: ${Buffer.from(f.key).toString("base64")}\n`,
    source: ["const ca =", `  "-----BEGIN CERTIFICATE-----\\n" +`, ...g.map((l) => `  "${l}\\n" +`), `  "-----END CERTIFICATE-----\\n";`].join("\n"),
    "CR line ends": (f.good + f.crl).replace(/\n/g, "\r"),
    broken: `${f.good}-----BEGIN CERTIFICATE-----\nMIIB!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${g[0]}\n${f.expired.replace("END CERTIFICATE", "END X509 CRL")}`,
  };
  for (const [name, text] of Object.entries(texts)) {
    const editor = locateBlocks(text).blocks;
    const cli = scanPem(text);
    assert.ok(editor.length > 0, name);
    assert.deepEqual(
      cli.map((b) => [b.label, b.line, b.endLine, b.encoding, b.start, b.end, !!b.error, b.der && Buffer.from(b.der).toString("hex")]),
      editor.map((b) => [b.label, b.line, b.endLine, b.encoding, b.startOffset, b.endOffset, !!b.error, b.der && Buffer.from(b.der).toString("hex")]),
      name,
    );
  }
  // A lone CR ends a line for both (as in VS Code).
  assert.deepEqual(scanPem(texts["CR line ends"]).map((b) => b.line), [1, g.length + 3]);
});

test("locateBlocks: a comment leader glued to the base64 is a damaged line unless the BEGIN line has it too", async () => {
  const f = await fixtures();
  const lines = f.good.trim().split("\n");
  const star = [lines[0], `*${lines[1]}`, ...lines.slice(2)].join("\n");
  const [bad] = locateBlocks(star).blocks;
  assert.equal(bad.error, "invalid character '*' in base64");
  const hashed = lines.map((l) => `#${l}`).join("\n");
  const [ok] = locateBlocks(hashed).blocks;
  assert.equal(ok.error, undefined);
  assert.deepEqual(ok.der, derOf(f.good));
  assert.equal(ok.embedded, true);
});

test("inspect reads a CRL under the label 'CRL' (@peculiar/x509) as under 'X509 CRL' (OpenSSL)", async () => {
  const f = await fixtures();
  assert.match(f.crl, /^-----BEGIN CRL-----/);
  const openssl = f.crl.replace(/-----(BEGIN|END) CRL-----/g, "-----$1 X509 CRL-----");
  const [a, b] = await Promise.all([f.crl, openssl].map((t) => inspectBytes(new TextEncoder().encode(t), { fileName: "crl.pem" })));
  assert.deepEqual(a.errors, []);
  assert.deepEqual(a.objects.map((o) => o.kind), ["crl"]);
  assert.deepEqual(a.objects, b.objects);
});
