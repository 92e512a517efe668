// The suite anatomy (every IANA suite by its parts, graded) and the raw ClientHellos, decoded back by the
// project's own handshake parser.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allSuites, suiteByName, SUITE_REGISTRY } from "../../src/core/tls/suites/anatomy";
import { buildClientHello } from "../../src/core/tls/scan/hello";
import { FlightParser } from "../../src/core/tls/scan/probe";
import { parseHandshake, type HandshakeContext } from "../../src/core/tls/messages";
import { CIPHER_SUITES, suiteParams } from "../../src/core/tls/names";
import { explainParts } from "../../src/shared/cipherExplain";

describe("suite anatomy", () => {
  it("holds the dated IANA registry, and names.ts reads its names from it", () => {
    assert.match(SUITE_REGISTRY.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(allSuites().size > 340);
    assert.equal(CIPHER_SUITES[0xc02f], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assert.equal(CIPHER_SUITES[0x0016], "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
  });

  const rows: { name: string; parts: [string, string, string, string, boolean]; strength: string; versions: string[]; reason?: RegExp }[] = [
    { name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", parts: ["ECDHE", "RSA", "AES_128_GCM", "AEAD", true], strength: "strong", versions: ["TLSv1.2"] },
    { name: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", parts: ["ECDHE", "ECDSA", "AES_128_CBC", "SHA1", true], strength: "weak", versions: ["TLSv1.0", "TLSv1.1", "TLSv1.2"], reason: /CBC mode with HMAC-SHA1/ },
    { name: "TLS_RSA_WITH_AES_128_CBC_SHA256", parts: ["RSA", "RSA", "AES_128_CBC", "SHA256", false], strength: "weak", versions: ["TLSv1.2"], reason: /no forward secrecy/ },
    { name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", parts: ["RSA", "RSA", "3DES_EDE_CBC", "SHA1", false], strength: "weak", versions: ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"], reason: /Sweet32/ },
    { name: "TLS_RSA_WITH_RC4_128_SHA", parts: ["RSA", "RSA", "RC4_128", "SHA1", false], strength: "insecure", versions: ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"], reason: /RFC 7465/ },
    { name: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", parts: ["RSA", "RSA", "DES40_CBC", "SHA1", false], strength: "insecure", versions: ["SSLv3", "TLSv1.0"], reason: /export-grade/ },
    { name: "TLS_DH_anon_WITH_AES_128_GCM_SHA256", parts: ["DHE", "anon", "AES_128_GCM", "AEAD", true], strength: "insecure", versions: ["TLSv1.2"], reason: /anonymous/ },
    { name: "TLS_RSA_WITH_NULL_SHA256", parts: ["RSA", "RSA", "NULL", "SHA256", false], strength: "insecure", versions: ["TLSv1.2"], reason: /NULL cipher/ },
    { name: "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", parts: ["ECDH", "ECDSA", "AES_128_GCM", "AEAD", false], strength: "weak", versions: ["TLSv1.2"], reason: /static ECDH/ },
    { name: "TLS_AES_128_GCM_SHA256", parts: ["any", "any", "AES_128_GCM", "AEAD", true], strength: "strong", versions: ["TLSv1.3"] },
    { name: "TLS_AES_128_CCM_8_SHA256", parts: ["any", "any", "AES_128_CCM_8", "AEAD", true], strength: "acceptable", versions: ["TLSv1.3"], reason: /8-byte tag/ },
    { name: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", parts: ["ECDHE", "RSA", "CAMELLIA_128_CBC", "SHA256", true], strength: "acceptable", versions: ["TLSv1.2"], reason: /CAMELLIA/ },
    // Registered after the 2022 copy: Ascon (NIST SP 800-232) as the AEAD and/or the HKDF hash; AEGIS-256 renamed _SHA512.
    { name: "TLS_ASCONAEAD128_ASCONHASH256", parts: ["any", "any", "ASCONAEAD128", "AEAD", true], strength: "acceptable", versions: ["TLSv1.3"], reason: /Ascon-AEAD128 .*Ascon-Hash256/ },
    { name: "TLS_AES_128_GCM_ASCONHASH256", parts: ["any", "any", "AES_128_GCM", "AEAD", true], strength: "acceptable", versions: ["TLSv1.3"], reason: /Ascon-Hash256/ },
    { name: "TLS_AEGIS_256_SHA512", parts: ["any", "any", "AEGIS_256", "AEAD", true], strength: "acceptable", versions: ["TLSv1.3"], reason: /AEGIS/ },
  ];
  for (const r of rows)
    it(r.name, () => {
      const s = suiteByName(r.name)!;
      assert.ok(s, "in the registry");
      const p = s.parts;
      assert.deepEqual([p.keyExchange, p.authentication, p.cipher, p.mac, p.forwardSecrecy], r.parts);
      assert.equal(s.strength, r.strength);
      assert.deepEqual(s.versions, r.versions);
      if (r.reason) assert.match(s.reasons.join(" "), r.reason);
      const e = explainParts(p);
      for (const line of Object.values(e)) assert.ok(line.length > 10 && !/undefined/.test(line), line);
    });

  it("every suite of the registry has a whole anatomy: known mode, MAC or AEAD, PRF hash, versions, a grade", () => {
    const modes = new Set(["CBC", "GCM", "CCM", "CCM_8", "POLY1305", "stream", "CTR", "CNT", "MGM", "AEGIS", "ASCON", "none"]);
    for (const s of allSuites().values()) {
      if (s.signaling) continue;
      const p = s.parts;
      assert.ok(modes.has(p.mode), `${s.name}: mode ${p.mode}`);
      assert.ok(p.mac && p.prf && p.cipherAlgorithm, `${s.name}: ${JSON.stringify(p)}`);
      assert.equal(p.aead, p.mac === "AEAD", s.name);
      assert.ok(p.cipherAlgorithm === "NULL" || p.keyBits >= 40, `${s.name}: ${p.keyBits} bits`);
      assert.ok(s.versions.length > 0, s.name);
      assert.ok(s.strength === "strong" || s.reasons.length > 0, s.name);
    }
    const ascon = suiteByName("TLS_ASCONAEAD128_ASCONHASH256")!.parts;
    assert.deepEqual([ascon.cipherAlgorithm, ascon.keyBits, ascon.mode, ascon.prf], ["ASCON", 128, "ASCON", "ASCONHASH256"]);
    assert.equal(suiteByName("TLS_AEGIS_256_SHA512")!.parts.prf, "SHA512");
  });

  it("suiteParams (record decryption) is unchanged for the suites the decoder handles", () => {
    assert.deepEqual(suiteParams(0xc02f), { hash: "sha256", cipher: "aes-gcm", keyLen: 16, ivLen: 4, kx: "ECDHE" });
    assert.deepEqual(suiteParams(0x1302), { hash: "sha384", cipher: "aes-gcm", keyLen: 32, ivLen: 12, kx: "TLS13" });
    assert.deepEqual(suiteParams(0x0035), { hash: "sha256", cipher: "aes-cbc", keyLen: 32, ivLen: 16, mac: "sha1", macLen: 20, kx: "RSA" });
    assert.equal(suiteParams(0x0016)?.kx, "DHE");
    assert.equal(suiteParams(0x00ff), undefined);
  });
});

describe("raw ClientHellos", () => {
  const decode = (rec: Uint8Array) => {
    assert.equal(rec[0], 22);
    const body = rec.subarray(5);
    assert.equal(body[0], 1);
    const ctx: HandshakeContext = { light: true };
    return parseHandshake(1, body.subarray(4), "client", ctx).detail;
  };

  it("TLS 1.3: supported_versions, an x25519 key share, SNI, all groups", () => {
    const d = decode(buildClientHello({ version: "TLSv1.3", suites: [0x1301, 0x1302], servername: "localhost" }));
    assert.deepEqual(d.supportedVersions, ["TLSv1.3"]);
    assert.deepEqual(d.keyShares, ["x25519"]);
    assert.equal(d.serverName, "localhost");
    assert.deepEqual(d.cipherSuites, ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]);
    assert.ok((d.supportedGroups as string[]).includes("ffdhe2048"));
  });

  it("TLS 1.2 with every suite: the renegotiation SCSV added, no supported_versions, no SNI for an IP", () => {
    const all = [...allSuites().values()].filter((s) => s.versions.includes("TLSv1.2")).map((s) => s.code);
    const d = decode(buildClientHello({ version: "TLSv1.2", suites: all, servername: "127.0.0.1", fallback: true }));
    assert.equal(d.version, "TLSv1.2");
    assert.equal(d.supportedVersions, undefined);
    assert.equal(d.serverName, undefined);
    assert.equal((d.cipherSuites as string[]).length, all.length + 2);
    assert.ok((d.cipherSuites as string[]).includes("TLS_FALLBACK_SCSV"));
    assert.ok((d.signatureAlgorithms as string[]).includes("rsa_pkcs1_sha1"));
  });

  it("SSL 3.0: its own hello, no extensions", () => {
    const rec = buildClientHello({ version: "SSLv3", suites: [0x000a, 0x0005] });
    assert.deepEqual([rec[1], rec[2]], [3, 0]);
    const d = decode(rec);
    assert.equal(d.version, "SSLv3");
    assert.deepEqual(d.extensions, []);
  });

  it("keeps the hello out of 256–511 bytes (RFC 7685 padding)", () => {
    for (let n = 1; n < 120; n += 7) {
      const rec = buildClientHello({ version: "TLSv1.2", suites: [...allSuites().keys()].slice(0, n) });
      const len = rec.length - 5;
      assert.ok(len < 256 || len >= 512, `${n} suites → ${len} bytes`);
    }
  });
});

describe("the server's flight, pushed byte by byte", () => {
  it("an alert ends the probe; non-TLS bytes are named", () => {
    const p = new FlightParser();
    let out;
    for (const b of [21, 3, 3, 0, 2, 2, 40]) out = p.push(new Uint8Array([b]));
    assert.deepEqual(out, { kind: "alert", alert: 40 });
    assert.equal(new FlightParser().push(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n"))?.kind, "not_tls");
  });
});

describe("Mozilla guideline 6.0", () => {
  it("finite-field DHE suites grade 'acceptable' (dropped from intermediate), ECDHE AEAD stays 'strong'", () => {
    const dhe = suiteByName("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")!;
    assert.equal(dhe.strength, "acceptable");
    assert.match(dhe.reasons.join(" "), /no longer in Mozilla 'intermediate' \(guideline 6\.0\)/);
    assert.equal(suiteByName("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")!.strength, "strong");
    // PSK and anonymous DHE keep their own reasons; a weaker grade is not softened.
    assert.equal(suiteByName("TLS_DH_anon_WITH_AES_128_GCM_SHA256")!.strength, "insecure");
    assert.equal(suiteByName("TLS_DHE_RSA_WITH_AES_128_CBC_SHA")!.strength, "weak");
  });
});
