/**
 * Bad input (issue 2 §4): every row gives a clear error naming what is wrong (and the PEM line), in
 * bounded time, with no exception escaping; good blocks next to broken ones still decode.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Lab, rng } from "./helpers";
import { inspectBytes, scanPem, decodeCertificate, PkiError, certificatesFromBytes } from "../../src/core/pki";

const lab = new Lab("bad");
let certPem = "";
let certDer: Buffer;

before(() => {
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=bad-input", "-days", "2", "-out", "c.pem"]);
  certPem = lab.text("c.pem");
  certDer = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
});
after(() => lab.cleanup());

function lines(s: string) {
  return s.split("\n");
}

interface Row {
  name: string;
  input: () => Uint8Array | string;
  objects: number;
  errors: RegExp[];
  lines?: (number | undefined)[];
}

const rows: Row[] = [
  { name: "zero-length file", input: () => new Uint8Array(0), objects: 0, errors: [/^the file is empty$/] },
  { name: "garbage bytes", input: () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251), objects: 0, errors: [/^not a PKI file: binary data/] },
  { name: "plain text", input: () => "hello\nworld\n", objects: 0, errors: [/^not a PKI file: no PEM block/] },
  {
    name: "truncated base64",
    input: () => {
      const l = lines(certPem);
      l[l.length - 3] = l[l.length - 3].slice(0, -3);
      return l.join("\n");
    },
    objects: 0,
    errors: [/^PEM block 'CERTIFICATE' at line 1: base64 is truncated$/],
    lines: [1],
  },
  {
    name: "invalid base64 character",
    input: () => certPem.replace(/\n(.)/, "\n*$1"),
    objects: 0,
    errors: [/^PEM block 'CERTIFICATE' at line 1: invalid character '\*' in base64$/],
  },
  {
    name: "a broken block among good ones",
    input: () => {
      const l = lines(certPem.trim());
      const broken = [...l.slice(0, 4), ...l.slice(5)].join("\n"); // one base64 line missing
      return `# good\n${certPem}# broken\n${broken}\n# good again\n${certPem}`;
    },
    objects: 2,
    errors: [/^PEM block 'CERTIFICATE' at line \d+: (base64 is truncated|malformed ASN\.1.*)$/],
  },
  {
    name: "missing END line before the next block",
    input: () => certPem.replace(/-----END CERTIFICATE-----\n/, "") + certPem,
    objects: 1,
    errors: [/^PEM block 'CERTIFICATE' at line 1: no '-----END CERTIFICATE-----' line/],
    lines: [1],
  },
  {
    name: "END of another type",
    input: () => certPem.replace("END CERTIFICATE", "END X509 CRL"),
    objects: 0,
    errors: [/BEGIN CERTIFICATE is closed by END X509 CRL/],
  },
  { name: "Java KeyStore", input: () => Uint8Array.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]), objects: 0, errors: [/^a Java KeyStore \(JKS\) is not supported: convert it with `keytool/] },
  { name: "unsupported PEM type", input: () => "-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n", objects: 0, errors: [/unsupported PEM block type 'FOO BAR'/] },
  { name: "empty PEM block", input: () => "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", objects: 0, errors: [/block is empty/] },
  {
    name: "valid base64, not a certificate",
    input: () => `-----BEGIN CERTIFICATE-----\n${Buffer.from("just some text, not DER").toString("base64")}\n-----END CERTIFICATE-----\n`,
    objects: 0,
    errors: [/^PEM block 'CERTIFICATE' at line 1: malformed ASN\.1 at byte 0/],
  },
  { name: "truncated DER certificate", input: () => certDer.subarray(0, certDer.length - 20), objects: 0, errors: [/^not a PKI file: looks like DER but malformed ASN\.1 at byte 0: length \d+ runs past the end/] },
  { name: "over-long ASN.1 length (4 GB)", input: () => Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00]), objects: 0, errors: [/runs past the end of its container/] },
  { name: "length of 9 octets", input: () => Uint8Array.from([0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]), objects: 0, errors: [/length of 9 octets is too long/] },
  { name: "deeply nested indefinite lengths", input: () => Uint8Array.from([...Array(20000).fill(0).flatMap(() => [0x30, 0x80])]), objects: 0, errors: [/nesting deeper than 48/] },
  {
    name: "deeply nested definite lengths",
    input: () => {
      let b = Buffer.from([0x05, 0x00]);
      for (let i = 0; i < 3000; i++) {
        const len = b.length;
        const hdr = len < 128 ? [0x30, len] : len < 256 ? [0x30, 0x81, len] : [0x30, 0x82, len >> 8, len & 255];
        b = Buffer.concat([Buffer.from(hdr), b]);
      }
      return b;
    },
    objects: 0,
    errors: [/^not a PKI file: valid DER, but not a/],
  },
  { name: "certificate with trailing garbage in the DER", input: () => Buffer.concat([certDer, Buffer.from("garbage!")]), objects: 1, errors: [/^DER data after object 1: malformed ASN\.1/] },
  {
    name: "a certificate DER inside a wrong label",
    input: () => `-----BEGIN X509 CRL-----\n${certDer.toString("base64")}\n-----END X509 CRL-----\n`,
    objects: 1,
    errors: [/^PEM block 'X509 CRL' at line 1: the block actually holds a certificate \(decoded as one\)$/],
  },
];

for (const row of rows) {
  test(`bad input: ${row.name}`, async () => {
    const input = row.input();
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const t0 = performance.now();
    const r = await inspectBytes(bytes, { fileName: "bad.pem" });
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.equal(r.file, "bad.pem");
    assert.equal(r.objects.length, row.objects, JSON.stringify(r.errors));
    assert.equal(r.errors.length, row.errors.length, JSON.stringify(r.errors));
    row.errors.forEach((re, i) => assert.match(r.errors[i].message, re));
    if (row.lines) assert.deepEqual(r.errors.map((e) => e.line), row.lines);
  });
}

test("bad input: a 50 MB file is refused or decoded in bounded time", async () => {
  const big = new Uint8Array(50 * 1024 * 1024);
  const rand = rng(7);
  for (let i = 0; i < big.length; i += 4096) big[i] = Math.floor(rand() * 256);
  let t0 = performance.now();
  let r = await inspectBytes(big, { fileName: "zeros.bin" });
  assert.ok(performance.now() - t0 < 5000);
  assert.match(r.errors[0].message, /^not a PKI file/);
  // 50 MB of base64 inside one PEM block: decoded, then found not to be a certificate.
  const body = Buffer.alloc(50 * 1024 * 1024, "QUFB");
  const text = Buffer.concat([Buffer.from("-----BEGIN CERTIFICATE-----\n"), body, Buffer.from("\n-----END CERTIFICATE-----\n")]);
  t0 = performance.now();
  r = await inspectBytes(text, { fileName: "huge.pem" });
  assert.ok(performance.now() - t0 < 8000, `took ${performance.now() - t0} ms`);
  assert.equal(r.objects.length, 0);
  assert.match(r.errors[0].message, /^PEM block 'CERTIFICATE' at line 1: malformed ASN\.1/);
});

test("decodeCertificate throws PkiError with the line, never anything else", () => {
  assert.throws(
    () => decodeCertificate(certDer.subarray(0, 50), { line: 12 }),
    (e: unknown) => e instanceof PkiError && e.code === "malformed" && e.line === 12 && /^certificate at line 12: malformed ASN\.1/.test(e.message),
  );
  assert.throws(() => decodeCertificate(new Uint8Array(0)), (e: unknown) => e instanceof PkiError && /unexpected end of data/.test(e.message));
});

test("certificatesFromBytes keeps good certificates and reports the broken one", () => {
  const l = lines(certPem.trim());
  const broken = [...l.slice(0, 3), ...l.slice(4)].join("\n");
  const { certs, errors } = certificatesFromBytes(new TextEncoder().encode(certPem + broken + "\n" + certPem));
  assert.equal(certs.length, 2);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].line, lines(certPem).length);
});

test("scanPem never throws on random text", () => {
  const rand = rng(99);
  const alphabet = "-----BEGIN CERTIFICATE-----END \n\r\\nMIIBABCabc+/=:\"{}";
  for (let i = 0; i < 500; i++) {
    let s = "";
    const n = Math.floor(rand() * 400);
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    const blocks = scanPem(s);
    for (const b of blocks) assert.ok(b.der || b.error);
  }
});

test("inspectBytes yields on big bundles and stops when cancelled", async () => {
  const text = new TextEncoder().encode(certPem.repeat(2000));
  const controller = new AbortController();
  const pending = inspectBytes(text, { fileName: "big.pem", summary: true, signal: controller.signal });
  setImmediate(() => controller.abort());
  const r = await pending;
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /^cancelled after \d+ of 2000 PEM blocks$/);
  assert.ok(r.objects.length > 0 && r.objects.length < 2000);
  const all = await inspectBytes(text, { fileName: "big.pem", summary: true });
  assert.equal(all.objects.length, 2000);
  assert.deepEqual(all.errors, []);
});
