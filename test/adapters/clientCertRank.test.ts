// The client-certificate picker's order and words (src/adapters/handshake/clientCertRank.ts): certificates with a
// matching key and the clientAuth EKU first, DER files included, CAs marked, unsuitable ones listed with why.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issue, type Issued } from "../tls/helpers";
import { findKeyBeside, rankClientCertificates, type FileBytes } from "../../src/adapters/handshake/clientCertRank";
import { classify } from "../../src/adapters/handshake/credentialFiles";

const enc = (s: string) => new Uint8Array(Buffer.from(s));
const DAY = 86400000;
let ca: Issued, client: Issued, noEku: Issued, server: Issued, expired: Issued, clientNoKey: Issued;
const dir = mkdtempSync(join(tmpdir(), "certscope-rank-"));

before(async () => {
  ca = await issue({ subject: "CN=Rank CA,O=Lab", ca: true });
  [client, noEku, server, expired, clientNoKey] = await Promise.all([
    issue({ subject: "CN=client,O=Lab", issuer: ca, eku: ["1.3.6.1.5.5.7.3.2"] }),
    issue({ subject: "CN=any-use,O=Lab", issuer: ca }),
    issue({ subject: "CN=localhost,O=Lab", issuer: ca, eku: ["1.3.6.1.5.5.7.3.1"] }),
    issue({ subject: "CN=old,O=Lab", issuer: ca, eku: ["1.3.6.1.5.5.7.3.2"], notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - 2 * DAY) }),
    issue({ subject: "CN=keyless,O=Lab", issuer: ca, eku: ["1.3.6.1.5.5.7.3.2"] }),
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("rank: key + clientAuth first, then no EKU, then no key found, then unsuitable with the reason", () => {
  const certs: FileBytes[] = [
    { path: "/w/ca.crt", bytes: enc(ca.certPem) },
    { path: "/w/server.crt", bytes: enc(server.certPem) },
    { path: "/w/keyless.crt", bytes: enc(clientNoKey.certPem) },
    { path: "/w/any.pem", bytes: enc(noEku.certPem + noEku.keyPem) },
    { path: "/w/old.crt", bytes: enc(expired.certPem) },
    { path: "/w/client.der", bytes: client.der },
  ];
  const keys: FileBytes[] = [
    { path: "/w/client.key", bytes: enc(client.keyPem) },
    { path: "/w/server.key", bytes: enc(server.keyPem) },
    { path: "/w/old.key", bytes: enc(expired.keyPem) },
  ];
  const r = rankClientCertificates(certs, keys);
  assert.deepEqual(
    r.map((x) => [x.path, x.tier]),
    [
      ["/w/client.der", 0],
      ["/w/any.pem", 0],
      ["/w/keyless.crt", 1],
      ["/w/old.crt", 2],
      ["/w/server.crt", 2],
      ["/w/ca.crt", 2],
    ],
  );
  assert.equal(r[0].keyPath, "/w/client.key");
  assert.equal(r[0].clientAuth, "clientAuth");
  assert.equal(r[1].keyPath, "/w/any.pem", "a key in the same file counts");
  assert.equal(r[1].clientAuth, "any");
  const why = Object.fromEntries(r.map((x) => [x.path, x.reasons.join("; ")]));
  assert.match(why["/w/ca.crt"], /CA certificate/);
  assert.equal(r.find((x) => x.path === "/w/ca.crt")!.isCA, true);
  assert.match(why["/w/server.crt"], /serverAuth only, not clientAuth/);
  assert.match(why["/w/old.crt"], /expired on \d{4}-\d\d-\d\d/);
  assert.equal(why["/w/keyless.crt"], "");
});

test("rank: a certificate embedded in JSON (escaped newlines) or YAML (indented) is judged by its content", () => {
  const json = enc(JSON.stringify({ tls: { cert: client.certPem } }));
  const yaml = enc(`tls:\n  cert: |\n${server.certPem.trim().split("\n").map((l) => `    ${l}`).join("\n")}\n`);
  const r = rankClientCertificates([{ path: "/w/client.json", bytes: json }, { path: "/w/gateway.yaml", bytes: yaml }], [{ path: "/w/client.key", bytes: enc(client.keyPem) }]);
  const by = Object.fromEntries(r.map((x) => [x.path, x]));
  assert.equal(by["/w/client.json"].tier, 0, JSON.stringify(by["/w/client.json"]));
  assert.equal(by["/w/client.json"].subject, "CN=client,O=Lab");
  assert.equal(by["/w/gateway.yaml"].tier, 2);
  assert.match(by["/w/gateway.yaml"].reasons.join(), /serverAuth only/);
  // …and the picker's description names it too.
  assert.equal(classify(json).subject, "CN=client,O=Lab");
  assert.equal(classify(yaml).subject, "CN=localhost,O=Lab");
});

test("rank: an unreadable certificate is listed as unsuitable, not dropped", () => {
  const r = rankClientCertificates([{ path: "/w/bad.pem", bytes: enc("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") }], []);
  assert.equal(r.length, 1);
  assert.equal(r[0].tier, 2);
  assert.match(r[0].reasons[0], /cannot be read/);
});

test("findKeyBeside: the key file in the certificate's folder, by public key", async () => {
  const cert = join(dir, "me.crt");
  writeFileSync(cert, client.certPem);
  writeFileSync(join(dir, "other.key"), server.keyPem);
  writeFileSync(join(dir, "private.pem"), client.keyPem);
  assert.equal(await findKeyBeside(cert), join(dir, "private.pem"));
});
