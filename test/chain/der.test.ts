/**
 * The strict DER mode of src/core/pki/der.ts that the chain validator reads certificates with, next to the
 * lenient default that every pki decoder uses (which must keep accepting BER).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { T, bool, children, content, count, expect, oid, parse, seq, tagOf, time, tryParse, type Node } from "../../src/core/pki/der";
import { PkiError } from "../../src/core/pki/errors";
import { verifyChain } from "../../src/core/chain";
import { CertParseError, parseCertificate } from "../../src/core/chain/cert";
import { standardChain } from "./kit";

const b = (...x: number[]) => new Uint8Array(x);
const ascii = (s: string) => Array.from(Buffer.from(s, "latin1"));

// [name, bytes, read (throws when rejected), accepted leniently, accepted strictly]
const rows: [string, Uint8Array, (n: Node) => unknown, boolean, boolean][] = [
  ["DER SEQUENCE", b(0x30, 0x03, 0x02, 0x01, 0x05), (n) => children(n), true, true],
  ["indefinite length (BER)", b(0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00), (n) => children(n), true, false],
  ["non-minimal length 81 03", b(0x30, 0x81, 0x03, 0x02, 0x01, 0x05), (n) => children(n), true, false],
  ["length with a leading 00 octet", b(0x04, 0x82, 0x00, 0x01, 0xaa), (n) => n, true, false],
  ["non-minimal length inside", b(0x30, 0x04, 0x02, 0x81, 0x01, 0x05), (n) => children(n), true, false],
  ["high tag number", b(0x9f, 0x20, 0x01, 0x00), (n) => n, true, false],
  ["BOOLEAN FF", b(0x01, 0x01, 0xff), bool, true, true],
  ["BOOLEAN 01", b(0x01, 0x01, 0x01), bool, true, false],
  ["OID 1.2.840.113549", b(0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d), (n) => oid(n), true, true],
  ["OID with a non-minimal arc", b(0x06, 0x03, 0x2a, 0x80, 0x01), (n) => oid(n), true, false],
  ["constructed OCTET STRING", b(0x24, 0x03, 0x04, 0x01, 0xaa), (n) => expect(n, T.OCTET_STRING, "x"), true, false],
  ["primitive SEQUENCE tag", b(0x10, 0x00), (n) => expect(n, T.SEQUENCE, "x"), true, false],
  ["UTCTime YYMMDDHHMMSSZ", b(0x17, 13, ...ascii("260601000000Z")), (n) => time(n), true, true],
  ["UTCTime without seconds", b(0x17, 11, ...ascii("2606010000Z")), (n) => time(n), true, false],
  ["UTCTime with an offset", b(0x17, 17, ...ascii("260601000000+0100")), (n) => time(n), true, false],
  ["GeneralizedTime with a fraction", b(0x18, 17, ...ascii("20500601000000.5Z")), (n) => time(n), true, false],
  ["UTCTime 24:00:00", b(0x17, 13, ...ascii("260601240000Z")), (n) => time(n), true, false],
  ["UTCTime 31 February", b(0x17, 13, ...ascii("260231000000Z")), (n) => time(n), false, false],
];

test("strict DER mode rejects what DER forbids; the lenient default is unchanged", () => {
  for (const [name, bytes, read, lenient, strict] of rows) {
    for (const [der, want] of [
      [false, lenient],
      [true, strict],
    ] as const) {
      let got: unknown;
      try {
        read(parse(bytes, false, der));
        got = true;
      } catch (err) {
        assert.ok(err instanceof PkiError, `${name}: ${String(err)}`);
        assert.match(err.message, /malformed|expected|BOOLEAN|time|UTCTime|GeneralizedTime|OBJECT IDENTIFIER|DER/);
        got = false;
      }
      assert.equal(got, want, `${name} (${der ? "strict" : "lenient"})`);
    }
  }
});

test("strict helpers: tags, raw content, counts, the non-throwing parse", () => {
  const n = parse(b(0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x02), false, true);
  assert.equal(tagOf(n), 0x30);
  assert.equal(tagOf(undefined), -1);
  const [v] = children(n);
  assert.equal(v.der, true, "children of a strict node are strict");
  assert.equal(tagOf(v), 0xa0);
  assert.equal(count(children(v)[0]), 2);
  assert.deepEqual(content(v), b(0x02, 0x01, 0x02));
  assert.equal(count(parse(b(0x80, 0x01, 0x07))), 7, "implicitly tagged");
  assert.equal(count(parse(b(0x02, 0x02, 0x00, 0x80))), 128);
  for (const bad of [b(0x02, 0x02, 0x00, 0x05), b(0x02, 0x01, 0xff), b(0x02, 0x00)]) assert.throws(() => count(parse(bad)), PkiError);
  assert.equal(count(parse(b(0x02, 0x08, 1, 0, 0, 0, 0, 0, 0, 0))), Number.MAX_SAFE_INTEGER);
  assert.equal(tryParse(b(0x30, 0x81, 0x00), false, true), undefined);
  assert.equal(tryParse(b(0x30, 0x00, 0x00)), undefined, "trailing bytes");
  assert.equal(tagOf(tryParse(b(0x30, 0x00, 0x00), true)), 0x30);
  assert.deepEqual(seq(parse(b(0x30, 0x00), false, true), "empty"), []);
});

test("a certificate that is BER but not DER is reported as malformed, not rejected as unreadable", async () => {
  const c = await standardChain();
  // Re-encode the leaf's outer length in a non-minimal long form (one octet longer).
  const leaf = c.leafDer;
  assert.equal(leaf[1], 0x82);
  const ber = new Uint8Array(leaf.length + 1);
  ber.set([0x30, 0x83, 0x00, leaf[2], leaf[3]]);
  ber.set(leaf.subarray(4), 5);
  const r = await verifyChain([ber, c.icaDer], { useSystemRoots: false, trusted: [c.rootDer], at: new Date("2026-06-01T00:00:00Z"), host: "localhost" });
  assert.equal(r.valid, false);
  assert.deepEqual(r.problems.map((p) => p.code), ["malformed"]);
  assert.match(r.problems[0].message, /non-minimal length is not DER/);
});

test("mutated certificates give a parse or a CertParseError, never another exception", async () => {
  const c = await standardChain();
  let seed = 0x5eed;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  let parsed = 0;
  for (const der of [c.leafDer, c.icaDer, c.rootDer]) {
    for (let i = 0; i < 1500; i++) {
      const m = rnd(4) === 0 ? der.slice(0, rnd(der.length)) : der.slice();
      for (let k = 1 + rnd(3); k > 0 && m.length; k--) m[rnd(m.length)] = rnd(256);
      try {
        parseCertificate(m);
        parsed++;
      } catch (err) {
        assert.ok(err instanceof CertParseError, `${String(err)} for ${Buffer.from(m).toString("hex")}`);
      }
    }
  }
  assert.ok(parsed > 0);
});
