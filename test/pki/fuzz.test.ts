/**
 * Fuzzing the decoders (issue 2 §4): ≥ 10,000 seeded cases of random bytes, mutated DER (certificate, CSR,
 * CRL, PKCS#7, PKCS#12, keys) and mutated PEM text. Every case must come back as a result (objects and/or
 * errors with messages) — no exception escaping, no hang. Inputs that ever broke this are kept in
 * test/fixtures/pki/fuzz-regressions/ and replayed first. FUZZ_CASES / FUZZ_SEED override the defaults.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Lab, rng } from "./helpers";
import { inspectBytesSync, scanPem, decodeCertificate, certificatesFromBytes, decryptPrivateKey, openPkcs12, PkiError } from "../../src/core/pki";
import type { InspectResult } from "../../src/shared/model";

const CASES = Number(process.env.FUZZ_CASES ?? 12000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const REGRESSIONS = join(__dirname, "../fixtures/pki/fuzz-regressions");

const lab = new Lab("fuzz");
const seeds: { name: string; der: Buffer; pem: string }[] = [];

before(() => {
  lab.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-subj", "/CN=Fuzz CA", "-days", "2",
    "-addext", "subjectAltName=DNS:a.example,IP:10.0.0.1,IP:::1,email:a@b.c,URI:http://x", "-addext", "certificatePolicies=2.23.140.1.2.1",
    "-addext", "authorityInfoAccess=OCSP;URI:http://o", "-addext", "crlDistributionPoints=URI:http://c", "-addext", "nameConstraints=permitted;DNS:.example",
    "-addext", "extendedKeyUsage=serverAuth", "-out", "ca.pem"]);
  lab.openssl(["req", "-new", "-key", "ca.key", "-subj", "/CN=csr/O=Fuzz", "-addext", "subjectAltName=DNS:csr.example", "-out", "r.csr"]);
  lab.write("index.txt", "");
  lab.write("crlnumber", "01\n");
  lab.write("ca.cnf", `[ca]\ndefault_ca=x\n[x]\ndatabase=${lab.dir}/index.txt\ncrlnumber=${lab.dir}/crlnumber\ndefault_md=sha256\ndefault_crl_days=1\ncertificate=${lab.dir}/ca.pem\nprivate_key=${lab.dir}/ca.key\n`);
  lab.openssl(["ca", "-config", "ca.cnf", "-revoke", "ca.pem", "-crl_reason", "superseded"]);
  lab.openssl(["ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem"]);
  lab.openssl(["crl2pkcs7", "-in", "crl.pem", "-certfile", "ca.pem", "-out", "p7.pem"]);
  lab.openssl(["pkcs8", "-topk8", "-in", "ca.key", "-v2", "aes-128-cbc", "-iter", "1", "-passout", "pass:pw", "-out", "enc.key"]);
  lab.openssl(["pkey", "-in", "ca.key", "-pubout", "-out", "pub.pem"]);
  // Iteration count 1 keeps each PKCS#12 case cheap.
  lab.openssl(["pkcs12", "-export", "-in", "ca.pem", "-inkey", "ca.key", "-passout", "pass:", "-iter", "1", "-maciter", "-out", "a.p12"]);
  const fromPem = (f: string) => {
    const text = lab.text(f);
    return { name: f, pem: text, der: Buffer.from(scanPem(text)[0].der as Uint8Array) };
  };
  for (const f of ["ca.pem", "r.csr", "crl.pem", "p7.pem", "enc.key", "ca.key", "pub.pem"]) seeds.push(fromPem(f));
  const p12 = lab.read("a.p12");
  seeds.push({ name: "a.p12", der: p12, pem: `-----BEGIN PKCS12-----\n${p12.toString("base64")}\n-----END PKCS12-----\n` });
});
after(() => lab.cleanup());

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(r() * 7);
  const pos = () => Math.floor(r() * b.length);
  switch (kind) {
    case 0: // flip some bytes
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) b[pos()] = Math.floor(r() * 256);
      return b;
    case 1: // truncate
      return b.subarray(0, pos());
    case 2: {
      // insert random bytes
      const p = pos();
      return Buffer.concat([b.subarray(0, p), Buffer.from(Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256))), b.subarray(p)]);
    }
    case 3: {
      // make a length byte huge (find a 0x30/0x04/0x02 tag and poison the next byte)
      for (let i = 0; i < 20; i++) {
        const p = pos();
        if ([0x30, 0x31, 0x04, 0x02, 0x03, 0xa0, 0xa3].includes(b[p]) && p + 1 < b.length) {
          b[p + 1] = [0x80, 0x84, 0x89, 0xff, 0x00, 0x7f][Math.floor(r() * 6)];
          break;
        }
      }
      return b;
    }
    case 4: {
      // delete a span
      const p = pos();
      return Buffer.concat([b.subarray(0, p), b.subarray(Math.min(b.length, p + 1 + Math.floor(r() * 40)))]);
    }
    case 5: {
      // duplicate a span
      const p = pos();
      const q = Math.min(b.length, p + Math.floor(r() * 60));
      return Buffer.concat([b.subarray(0, q), b.subarray(p, q), b.subarray(q)]);
    }
    default: // flip bits
      for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[pos()] ^= 1 << Math.floor(r() * 8);
      return b;
  }
}

function mutatePem(src: string, r: () => number): string {
  const lines = src.split("\n");
  const k = Math.floor(r() * 6);
  const li = Math.floor(r() * lines.length);
  switch (k) {
    case 0:
      lines.splice(li, 1);
      break;
    case 1:
      lines[li] = lines[li].slice(0, Math.floor(r() * lines[li].length));
      break;
    case 2:
      lines.splice(li, 0, ["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,00", "====", "\\n", "!!"][Math.floor(r() * 7)]);
      break;
    case 3: {
      const chars = lines[li].split("");
      if (chars.length) chars[Math.floor(r() * chars.length)] = "A+/=*-\r\\"[Math.floor(r() * 8)];
      lines[li] = chars.join("");
      break;
    }
    case 4:
      return src + src.slice(0, Math.floor(r() * src.length));
    default:
      return JSON.stringify({ x: lines.join("\n") }).slice(0, Math.floor(r() * 2 * src.length));
  }
  return lines.join("\n");
}

function checkResult(r: InspectResult, what: string) {
  assert.ok(Array.isArray(r.objects) && Array.isArray(r.errors), what);
  assert.ok(r.objects.length + r.errors.length > 0, `${what}: neither objects nor errors`);
  for (const e of r.errors) {
    assert.ok(typeof e.message === "string" && e.message.length > 0, what);
    // Plain words only: no JavaScript internals leaking into messages.
    assert.doesNotMatch(e.message, /Cannot read|undefined|is not a function|is not iterable|Invalid array length|Maximum call stack|RangeError|TypeError/, `${what}: ${e.message}`);
  }
  JSON.stringify(r);
}

/** Runs one case through every entry point; returns the failure (or undefined). */
function runCase(input: Buffer, what: string): string | undefined {
  try {
    checkResult(inspectBytesSync(input, { fileName: "fuzz", password: "pw" }), what);
    checkResult(inspectBytesSync(input, { fileName: "fuzz", summary: true }), what);
    certificatesFromBytes(input);
    for (const fn of [() => decodeCertificate(input), () => decryptPrivateKey(input, "pw"), () => openPkcs12(input, "")]) {
      try {
        fn();
      } catch (err) {
        if (!(err instanceof PkiError)) return `${what}: ${fn.toString().slice(6, 40)} threw ${(err as Error)?.stack ?? err}`;
        if (/Cannot read|undefined|is not a function|is not iterable/.test(err.message)) return `${what}: ${fn.toString().slice(6, 40)}: ${err.message}`;
      }
    }
    return undefined;
  } catch (err) {
    return `${what}: ${(err as Error)?.stack ?? err}`;
  }
}

test("fuzz regressions replay cleanly", () => {
  if (!existsSync(REGRESSIONS)) return;
  for (const f of readdirSync(REGRESSIONS).filter((x) => !x.endsWith(".md"))) {
    const failure = runCase(readFileSync(join(REGRESSIONS, f)), f);
    assert.equal(failure, undefined);
  }
});

test(`fuzz: ${CASES} random and mutated DER/PEM cases`, () => {
  const r = rng(SEED);
  const failures: string[] = [];
  let slowest = 0;
  const t0 = performance.now();
  for (let i = 0; i < CASES; i++) {
    let input: Buffer;
    const pick = r();
    const seed = seeds[Math.floor(r() * seeds.length)];
    if (pick < 0.1) input = Buffer.from(Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256)));
    else if (pick < 0.15) input = Buffer.from([0x30, ...Array.from({ length: Math.floor(r() * 64) }, () => [0x30, 0x80, 0x82, 0x00, 0x01, 0xa0][Math.floor(r() * 6)])]);
    else if (pick < 0.75) {
      input = mutate(seed.der, r);
      if (r() < 0.3) input = mutate(input, r);
    } else input = Buffer.from(mutatePem(seed.pem, r));
    const c0 = performance.now();
    const failure = runCase(input, `case ${i} (${seed.name})`);
    const ms = performance.now() - c0;
    if (ms > slowest) slowest = ms;
    if (ms > 2000) failures.push(`case ${i}: took ${ms.toFixed(0)} ms`);
    if (failure) {
      failures.push(failure);
      if (process.env.FUZZ_SAVE) writeFileSync(join(REGRESSIONS, `case-${SEED}-${i}.bin`), input);
    }
    if (failures.length >= 5) break;
  }
  const total = performance.now() - t0;
  assert.deepEqual(failures, []);
  assert.ok(total < Math.max(60000, CASES * 5), `fuzz took ${total} ms`);
  console.log(`# fuzz: ${CASES} cases in ${total.toFixed(0)} ms, slowest ${slowest.toFixed(1)} ms`);
});
