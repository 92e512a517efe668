/**
 * scanPem over the places PEM blocks live: comments, openssl "Bag Attributes", YAML, CRLF, JSON strings
 * with \n escapes (and \/), Kubernetes Secret data (base64 of PEM), comment-prefixed lines, one-line PEM.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Lab } from "./helpers";
import { scanPem, inspectBytes } from "../../src/core/pki";
import type { CertificateModel } from "../../src/shared/model";

const lab = new Lab("pem");
let pem = "";
let der: Buffer;

before(() => {
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=pem-scan", "-days", "2", "-out", "c.pem"]);
  pem = lab.text("c.pem");
  der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
});
after(() => lab.cleanup());

const indent = (s: string, n: number) => s.trimEnd().split("\n").map((l) => " ".repeat(n) + l).join("\n");

interface Row {
  name: string;
  text: () => string;
  want: { label: string; line: number; encoding: string }[];
}

const rows: Row[] = [
  {
    name: "comments and openssl Bag Attributes around two blocks",
    text: () => `# my bundle\nBag Attributes\n    localKeyID: 01 02\n    friendlyName: leaf\nsubject=/CN=pem-scan\n${pem}\nsome notes: here\n${pem}`,
    want: [
      { label: "CERTIFICATE", line: 6, encoding: "plain" },
      { label: "CERTIFICATE", line: 6 + pem.split("\n").length + 1, encoding: "plain" },
    ],
  },
  {
    name: "YAML block scalar with indentation",
    text: () => `tls:\n  cert: |\n${indent(pem, 4)}\n  other: x\n`,
    want: [{ label: "CERTIFICATE", line: 3, encoding: "plain" }],
  },
  {
    name: "CRLF line endings",
    text: () => `x\r\n${pem.replace(/\n/g, "\r\n")}`,
    want: [{ label: "CERTIFICATE", line: 2, encoding: "plain" }],
  },
  {
    name: "JSON string with \\n escapes",
    text: () => `{\n  "name": "a",\n  "cert": ${JSON.stringify(pem)}\n}\n`,
    want: [{ label: "CERTIFICATE", line: 3, encoding: "json-escaped" }],
  },
  {
    name: "JSON string with \\/ escapes and \\r\\n",
    text: () => `{"cert":"${pem.trim().replace(/\n/g, "\\r\\n").replace(/\//g, "\\/")}"}`,
    want: [{ label: "CERTIFICATE", line: 1, encoding: "json-escaped" }],
  },
  {
    name: "Kubernetes Secret data (base64 of the PEM)",
    text: () => `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${Buffer.from(pem).toString("base64")}\n  tls.key: ""\n`,
    want: [{ label: "CERTIFICATE", line: 5, encoding: "base64-secret" }],
  },
  {
    name: "comment-prefixed lines",
    text: () => `${pem.trim().split("\n").map((l) => "# " + l).join("\n")}\n`,
    want: [{ label: "CERTIFICATE", line: 1, encoding: "plain" }],
  },
  {
    name: "one-line PEM (as in an environment variable)",
    text: () => `CERT="${pem.trim().replace(/\n/g, " ")}"\n`,
    want: [{ label: "CERTIFICATE", line: 1, encoding: "plain" }],
  },
];

for (const row of rows) {
  test(`scanPem: ${row.name}`, async () => {
    const text = row.text();
    const blocks = scanPem(text);
    assert.deepEqual(
      blocks.map((b) => ({ label: b.label, line: b.line, encoding: b.encoding })),
      row.want,
    );
    for (const b of blocks) {
      assert.equal(b.error, undefined);
      assert.deepEqual(Buffer.from(b.der as Uint8Array), der);
      assert.ok(b.start < b.end && b.end <= text.length);
    }
    // And the whole-file decoder sees the same certificates at the same lines.
    const r = await inspectBytes(new TextEncoder().encode(text), { fileName: "x" });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.objects.map((o) => (o as CertificateModel).line), row.want.map((w) => w.line));
    assert.ok(r.objects.every((o) => (o as CertificateModel).subject.text === "CN=pem-scan"));
  });
}

test("scanPem: legacy encryption headers are parsed", () => {
  const text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
  const [b] = scanPem(text);
  assert.deepEqual(b.headers, { "Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF" });
  assert.deepEqual(Array.from(b.der ?? []), [0, 0, 0]);
  assert.equal(b.endLine, 6);
});

test("inspect: UTF-16 (Windows) text files and base64 without PEM armour", async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, "utf16le")]);
  let r = await inspectBytes(utf16, { fileName: "u16.pem" });
  assert.equal(r.objects.length, 1);
  r = await inspectBytes(Buffer.from(der.toString("base64") + "\n"), { fileName: "bare.b64" });
  assert.equal(r.objects.length, 1);
  assert.deepEqual(r.errors, []);
});
