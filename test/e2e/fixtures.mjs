// Generates the workspace the end-to-end suite and the demo open in VS Code: sample certificate files of
// every common shape, made fresh on each run (no key material is committed).
//
//   certs/api.example.test.der     DER leaf (EC P-256), issued by the demo issuing CA — opens in the viewer
//   certs/chain.pem                PEM bundle: leaf, issuing CA, root CA
//   certs/root-ca.crt              the root CA alone (PEM)
//   certs/issuing-ca.crt           the issuing CA as DER under a text extension (as Windows exports it)
//   deploy/gateway.yaml            a ConfigMap with two embedded PEM blocks: the root CA and an EXPIRED partner
//                                  certificate (CN=legacy-partner.example.test, expired 2024-01-01)
//   k8s/api-tls-secret.yaml        a kubernetes.io/tls Secret: tls.crt = base64 of the leaf + issuing CA PEM
//   config/client.json             a JSON config with the leaf as a "\n"-escaped string
//
// Usage: `node test/e2e/fixtures.mjs DIR` or `import { makeWorkspace } from "./fixtures.mjs"`.
import "reflect-metadata"; // @peculiar/x509 (through tsyringe) needs the Reflect metadata API first
import * as x509 from "@peculiar/x509";
import { spawnSync } from "node:child_process";
import { webcrypto } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tls from "node:tls";
import { fileURLToPath } from "node:url";

x509.cryptoProvider.set(webcrypto);
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY = 86_400_000;

/** Names and dates the e2e assertions look for. */
export const FIXTURE = {
  rootCN: "CertScope Demo Root CA",
  issuingCN: "CertScope Demo Issuing CA",
  leafCN: "api.example.test",
  expiredCN: "legacy-partner.example.test",
  expiredNotAfter: "2024-01-01T00:00:00.000Z",
  der: "certs/api.example.test.der",
  derCrt: "certs/issuing-ca.crt",
  yaml: "deploy/gateway.yaml",
  bundle: "certs/chain.pem",
  secret: "k8s/api-tls-secret.yaml",
  json: "config/client.json",
};

async function issue({ subject, issuer, issuerKeys, keys, serial, notBefore, notAfter, ca, pathLen, san, eku }) {
  const exts = [
    // A root without a path length limit, an issuing CA with pathLen 0: a chain a real PKI would have.
    new x509.BasicConstraintsExtension(ca, ca ? pathLen : undefined, true),
    new x509.KeyUsagesExtension(
      ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuerKeys !== keys) exts.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey));
  if (san) exts.push(new x509.SubjectAlternativeNameExtension(san.map((value) => ({ type: "dns", value }))));
  if (eku) exts.push(new x509.ExtendedKeyUsageExtension(eku));
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuer ?? subject,
    notBefore,
    notAfter,
    signingAlgorithm: EC,
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    extensions: exts,
  });
}

const pem = (cert) => cert.toString("pem").replace(/\r\n/g, "\n") + "\n";
const indent = (text, n) => text.trimEnd().split("\n").map((l) => " ".repeat(n) + l).join("\n");

/**
 * A TLS server on 127.0.0.1 with a throwaway self-signed certificate for localhost (made by openssl in `dir`):
 * it completes handshakes and closes. `onConnection` is called for each TCP connection.
 */
export async function startSelfSignedTlsServer(dir, onConnection = () => {}) {
  const key = join(dir, "server.key");
  const cert = join(dir, "server.crt");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "2", "-addext", "subjectAltName=DNS:localhost"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl could not make the test server's certificate: ${r.stderr}`);
  const srv = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => {
    s.on("error", () => {});
    s.end();
  });
  srv.on("connection", onConnection);
  srv.on("tlsClientError", () => {});
  await new Promise((res) => srv.listen(0, "127.0.0.1", res));
  return srv;
}

/** Writes the fixture workspace into `dir` (created if needed). Returns the absolute path. */
export async function makeWorkspace(dir, now = new Date()) {
  const root = resolve(dir);
  const gen = () => webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]);
  const [rootKeys, caKeys, leafKeys, oldKeys] = await Promise.all([gen(), gen(), gen(), gen()]);
  const t = now.getTime();
  // @peculiar/x509 encodes a name string in the order written, so the most general RDN comes first here:
  // the DER then reads O, CN as real certificates do, and RFC 4514 text shows "CN=…,O=…".
  const rootName = `O=CertScope Demo,CN=${FIXTURE.rootCN}`;
  const caName = `O=CertScope Demo,CN=${FIXTURE.issuingCN}`;
  const rootCert = await issue({
    subject: rootName, keys: rootKeys, issuerKeys: rootKeys, serial: "01",
    notBefore: new Date(t - 365 * DAY), notAfter: new Date(t + 10 * 365 * DAY), ca: true,
  });
  const caCert = await issue({
    subject: caName, issuer: rootName, keys: caKeys, issuerKeys: rootKeys, serial: "02",
    notBefore: new Date(t - 300 * DAY), notAfter: new Date(t + 5 * 365 * DAY), ca: true, pathLen: 0,
  });
  const leaf = await issue({
    subject: `O=CertScope Demo,CN=${FIXTURE.leafCN}`, issuer: caName, keys: leafKeys, issuerKeys: caKeys,
    serial: "1001", notBefore: new Date(t - 30 * DAY), notAfter: new Date(t + 365 * DAY), ca: false,
    san: [FIXTURE.leafCN, "www.example.test"], eku: [x509.ExtendedKeyUsage.serverAuth],
  });
  const expired = await issue({
    subject: `O=Legacy Partner,CN=${FIXTURE.expiredCN}`, issuer: caName, keys: oldKeys, issuerKeys: caKeys,
    serial: "0bad", notBefore: new Date("2023-01-01T00:00:00Z"), notAfter: new Date(FIXTURE.expiredNotAfter),
    ca: false, san: [FIXTURE.expiredCN], eku: [x509.ExtendedKeyUsage.clientAuth],
  });

  const files = {
    [FIXTURE.der]: Buffer.from(leaf.rawData),
    [FIXTURE.bundle]: pem(leaf) + pem(caCert) + pem(rootCert),
    "certs/root-ca.crt": pem(rootCert),
    [FIXTURE.derCrt]: Buffer.from(caCert.rawData),
    [FIXTURE.yaml]: [
      "# Gateway configuration: the CA it trusts for upstreams and the partner's client certificate.",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: gateway-tls",
      "  namespace: shop",
      "data:",
      "  upstream-ca.pem: |",
      indent(pem(rootCert), 4),
      "  partner-client.pem: |",
      indent(pem(expired), 4),
      "  timeout: \"30s\"",
      "",
    ].join("\n"),
    [FIXTURE.secret]: [
      "apiVersion: v1",
      "kind: Secret",
      "type: kubernetes.io/tls",
      "metadata:",
      "  name: api-tls",
      "  namespace: shop",
      "data:",
      `  tls.crt: ${Buffer.from(pem(leaf) + pem(caCert)).toString("base64")}`,
      "",
    ].join("\n"),
    [FIXTURE.json]: JSON.stringify({ endpoint: `https://${FIXTURE.leafCN}:8443`, serverCertificate: pem(leaf) }, null, 2) + "\n",
  };
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), data);
  }
  return root;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node test/e2e/fixtures.mjs DIR");
    process.exit(2);
  }
  console.log(`fixture workspace: ${await makeWorkspace(dir)}`);
}
