// A large JSON/YAML corpus for measuring how CertScope finds certificates written as bare base64 DER
// (src/core/doc/der64.ts): the certificates it must find (JWKS x5c arrays, "MII…" JSON strings, base64 wrapped
// at 76 columns as Java writes it, a YAML value) among what it must not take for one — package-lock integrity
// hashes, JWTs, random base64 blobs of every length, random blobs made to start like DER ("MII…" with a length
// that matches), and real DER that is not a certificate (public keys, PKCS#8 private keys, CSRs, PKCS#7).
// Certificates and keys come from openssl (run here, nothing kept); random bytes from a seeded generator.
import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Deterministic bytes from a seed (SHA-256 in counter mode). */
function prng(seed) {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (n) => {
    while (pool.length < n) pool = Buffer.concat([pool, createHash("sha256").update(`${seed}:${counter++}`).digest()]);
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return Buffer.from(out);
  };
  const int = (lo, hi) => lo + (bytes(4).readUInt32BE(0) % (hi - lo + 1));
  return { bytes, int };
}

const MIN_CONF = "[req]\ndistinguished_name=dn\nx509_extensions=none\n[dn]\n[none]\n";

/** DER certificates, keys, CSRs and a PKCS#7 made by openssl: { certs: Buffer[], others: {what, der}[] }. */
export function makeDerSamples() {
  const dir = mkdtempSync(join(tmpdir(), "certscope-b64corpus-"));
  try {
    const run = (args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    writeFileSync(join(dir, "min.cnf"), MIN_CONF);
    const specs = [
      ["rsa", ["-newkey", "rsa:2048"], ["-subj", "/CN=rsa.example/O=Corpus", "-addext", "subjectAltName=DNS:rsa.example"]],
      ["ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], ["-subj", "/CN=ec.example", "-addext", "subjectAltName=DNS:ec.example,DNS:www.ec.example"]],
      ["ed", ["-newkey", "ed25519"], ["-subj", "/CN=ed.example"]],
      ["tiny", ["-newkey", "ed25519"], ["-subj", "/CN=a", "-config", "min.cnf"]], // 213 bytes: "MIH…", a one-byte length
    ];
    const certs = [];
    const others = [];
    for (const [name, key, rest] of specs) {
      run(["req", "-x509", ...key, "-nodes", "-keyout", `${name}.key`, "-days", "30", ...rest, "-outform", "DER", "-out", `${name}.der`]);
      certs.push(readFileSync(join(dir, `${name}.der`)));
      others.push({ what: `PKCS#8 private key (${name})`, der: run(["pkey", "-in", `${name}.key`, "-outform", "DER"]) });
      others.push({ what: `public key (${name})`, der: run(["pkey", "-in", `${name}.key`, "-pubout", "-outform", "DER"]) });
      if (name !== "tiny") {
        run(["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${name}.csr.example`, "-outform", "DER", "-out", `${name}.csr`]);
        others.push({ what: `CSR (${name})`, der: readFileSync(join(dir, `${name}.csr`)) });
      }
    }
    run(["x509", "-inform", "DER", "-in", "rsa.der", "-out", "rsa.pem"]);
    others.push({ what: "PKCS#7 with a certificate", der: run(["crl2pkcs7", "-nocrl", "-certfile", "rsa.pem", "-outform", "DER"]) });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    others.push({ what: "PKCS#1 RSA private key", der: rsa.privateKey.export({ type: "pkcs1", format: "der" }) });
    return { certs, others };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const b64 = (buf) => Buffer.from(buf).toString("base64");
const b64url = (buf) => b64(buf).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Random bytes shaped like the start of DER: SEQUENCE 0x30, a long-form length that matches the blob. */
function derLookalike(r) {
  const len = r.int(130, 3000);
  const body = r.bytes(len);
  // Sometimes a SEQUENCE inside too, to get past the first check.
  if (r.int(0, 1)) {
    body[0] = 0x30;
    body[1] = 0x82;
    body.writeUInt16BE(Math.max(0, len - 4 - r.int(0, 40)), 2);
  }
  const head = len < 256 ? Buffer.from([0x30, 0x81, len]) : Buffer.from([0x30, 0x82, len >> 8, len & 255]);
  return Buffer.concat([head, body]);
}

/**
 * The corpus: `{ text, expected: number[] }` — the JSON text (plus a YAML tail) and the offsets where a
 * certificate's base64 starts (what must be found, nothing else). `scale` ≈ megabytes of filler.
 */
export function makeCorpus({ scale = 4, seed = "certscope", samples = makeDerSamples() } = {}) {
  const r = prng(seed);
  const parts = [];
  const expected = [];
  let length = 0;
  const push = (s) => {
    parts.push(s);
    length += s.length;
  };
  /** Writes `before`, then a certificate's base64 (its offset noted), then `after`. */
  const cert = (before, text, after) => {
    push(before);
    expected.push(length);
    push(text);
    push(after);
  };
  push('{\n  "name": "corpus",\n  "lockfileVersion": 3,\n  "packages": {\n');
  const target = scale * 1024 * 1024;
  let n = 0;
  while (length < target) {
    n++;
    const kind = r.int(0, 99);
    if (kind < 55) {
      // package-lock entries: sha512 / sha1 integrity hashes, URLs, versions
      const name = `pkg-${n.toString(36)}`;
      push(`    "node_modules/${name}": {\n      "version": "${r.int(0, 20)}.${r.int(0, 40)}.${r.int(0, 9)}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz",\n      "integrity": "sha512-${b64(r.bytes(64))}",\n      "license": "MIT",\n      "shasum": "${b64(r.bytes(20))}"\n    },\n`);
    } else if (kind < 70) {
      const header = b64url(Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: b64url(r.bytes(8)) })));
      const payload = b64url(Buffer.from(JSON.stringify({ sub: `user${n}`, iat: 1700000000 + n, scope: "MII read write" })));
      push(`    "jwt-${n}": { "token": "${header}.${payload}.${b64url(r.bytes(256))}", "note": "MIIB is not a certificate" },\n`);
    } else if (kind < 82) {
      push(`    "blob-${n}": { "data": "${b64(r.bytes(r.int(1, 4000)))}" },\n`);
    } else if (kind < 90) {
      push(`    "lookalike-${n}": { "data": "${b64(derLookalike(r))}" },\n`);
    } else if (kind < 95) {
      const o = samples.others[r.int(0, samples.others.length - 1)];
      push(`    "der-${n}": { "what": "${o.what}", "data": "${b64(o.der)}" },\n`);
    } else if (kind < 97) {
      // A JWKS key with an x5c chain: every entry is a certificate to find.
      const chain = [samples.certs[r.int(0, samples.certs.length - 1)], samples.certs[r.int(0, samples.certs.length - 1)]];
      push(`    "jwks-${n}": { "keys": [ { "kty": "RSA", "kid": "${b64url(r.bytes(6))}", "n": "${b64url(r.bytes(256))}", "e": "AQAB", "x5c": [`);
      chain.forEach((c, i) => cert(`${i ? ", " : ""}"`, b64(c), '"'));
      push("] } ] },\n");
    } else if (kind < 98) {
      // Java style: base64 wrapped at 76 columns, each line indented.
      const c = samples.certs[r.int(0, samples.certs.length - 1)];
      const wrapped = b64(c).match(/.{1,76}/g).join("\n        ");
      cert(`    "java-${n}": {\n      "certificate": "\n        `, wrapped, '\n      "\n    },\n');
    } else {
      const c = samples.certs[r.int(0, samples.certs.length - 1)];
      cert(`    "string-${n}": "`, b64(c), '",\n');
    }
  }
  push('    "end": {}\n  }\n}\n');
  // A YAML tail: a Kubernetes-style value and a base64 private key (never to be found).
  cert("# yaml\ndata:\n  ca.der: ", b64(samples.certs[0]), "\n");
  push(`  key.der: ${b64(samples.others.find((o) => o.what.startsWith("PKCS#8")).der)}\n`);
  return { text: parts.join(""), expected };
}
