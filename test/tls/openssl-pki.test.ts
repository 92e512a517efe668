// The same kinds of scenarios with a PKI made the way people make one with the openssl CLI (req -x509 defaults,
// CA:TRUE self-signed leaves, `openssl ca` with past/future dates, RSA keys, traditional encrypted keys, legacy
// PKCS#12) and openssl s_server — so the diagnosis does not depend on how our own test certificates look.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHandshake, type HandshakeOptions } from "../../src/core/tls";
import { opensslServer, hasOpenssl, type Running } from "./helpers";

let dir = "";
const servers: Running[] = [];
const PW = "pkcs-pass";

function ossl(...args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

const p = (name: string) => join(dir, name);
const bytes = (name: string) => new Uint8Array(readFileSync(p(name)));

before(() => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), "certscope-ossl-"));
  writeFileSync(p("leaf.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
  writeFileSync(p("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n");
  writeFileSync(p("cl.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  mkdirSync(p("db"));
  writeFileSync(p("db/index.txt"), "");
  writeFileSync(p("db/serial"), "1000\n");
  writeFileSync(
    p("ca.cnf"),
    "[ca]\ndefault_ca=c\n[c]\ndatabase=db/index.txt\nserial=db/serial\nnew_certs_dir=db\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nunique_subject=no\n[p]\ncommonName=supplied\n",
  );
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ossl("req", "-x509", ...ec, "-keyout", "root.key", "-out", "root.pem", "-days", "30", "-subj", "/CN=Test Root");
  ossl("req", ...ec, "-keyout", "int.key", "-out", "int.csr", "-subj", "/CN=Test Int");
  ossl("x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "int.pem", "-days", "30", "-extfile", "ca.ext");
  ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
  ossl("x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "30", "-extfile", "leaf.ext");
  ossl("ca", "-batch", "-config", "ca.cnf", "-cert", "int.pem", "-keyfile", "int.key", "-in", "leaf.csr", "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-extfile", "leaf.ext");
  ossl("ca", "-batch", "-config", "ca.cnf", "-cert", "int.pem", "-keyfile", "int.key", "-in", "leaf.csr", "-out", "future.pem", "-startdate", "20350101000000Z", "-enddate", "20360101000000Z", "-extfile", "leaf.ext");
  ossl("req", "-x509", ...ec, "-keyout", "ss.key", "-out", "ss.pem", "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost");
  ossl("req", "-x509", ...ec, "-keyout", "cca.key", "-out", "cca.pem", "-days", "30", "-subj", "/CN=Client CA");
  ossl("req", ...ec, "-keyout", "cl.key", "-out", "cl.csr", "-subj", "/CN=client1");
  ossl("x509", "-req", "-in", "cl.csr", "-CA", "cca.pem", "-CAkey", "cca.key", "-CAcreateserial", "-out", "cl.pem", "-days", "30", "-extfile", "cl.ext");
  ossl("x509", "-req", "-in", "cl.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "cl-wrong.pem", "-days", "30", "-extfile", "cl.ext");
  ossl("ca", "-batch", "-config", "ca.cnf", "-cert", "cca.pem", "-keyfile", "cca.key", "-in", "cl.csr", "-out", "cl-expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-extfile", "cl.ext");
  ossl("pkcs12", "-export", "-legacy", "-in", "cl.pem", "-inkey", "cl.key", "-out", "cl-legacy.p12", "-passout", `pass:${PW}`);
  ossl("ec", "-in", "cl.key", "-aes256", "-passout", `pass:${PW}`, "-out", "cl-trad.key");
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Row {
  name: string;
  server: string[];
  client?: Partial<HandshakeOptions>;
  outcome: "success" | "failure";
  category: string | null;
  summary?: RegExp;
}

const CHAIN = ["-cert", "leaf.pem", "-key", "leaf.key", "-cert_chain", "int.pem"];
const MTLS = [...CHAIN, "-Verify", "1", "-verify_return_error", "-CAfile", "cca.pem"];

const rows: Row[] = [
  { name: "valid chain, TLS 1.3", server: CHAIN, outcome: "success", category: null },
  { name: "expired leaf", server: ["-cert", "expired.pem", "-key", "leaf.key", "-cert_chain", "int.pem"], outcome: "failure", category: "cert_expired", summary: /2020-02-01/ },
  { name: "not yet valid leaf", server: ["-cert", "future.pem", "-key", "leaf.key", "-cert_chain", "int.pem"], outcome: "failure", category: "cert_not_yet_valid" },
  { name: "req -x509 self-signed leaf", server: ["-cert", "ss.pem", "-key", "ss.key"], outcome: "failure", category: "self_signed", summary: /self-signed/ },
  { name: "root served as the leaf", server: ["-cert", "root.pem", "-key", "root.key"], client: { ca: [] }, outcome: "failure", category: "self_signed", summary: /CA certificate 'CN=Test Root'/ },
  { name: "intermediate not sent", server: ["-cert", "leaf.pem", "-key", "leaf.key"], outcome: "failure", category: "incomplete_chain", summary: /CN=Test Int/ },
  { name: "no trust anchor for the chain", server: CHAIN, client: { ca: [] }, outcome: "failure", category: "untrusted_root", summary: /CN=Test Root/ },
  { name: "client cert required, none", server: MTLS, outcome: "failure", category: "client_cert_required", summary: /CN=Client CA/ },
  { name: "client cert from the wrong CA", server: MTLS, outcome: "failure", category: "client_cert_rejected", summary: /unknown_ca/ },
  { name: "expired client cert", server: MTLS, outcome: "failure", category: "client_cert_rejected", summary: /expired/ },
  { name: "legacy PKCS#12", server: MTLS, outcome: "success", category: null },
  { name: "traditional encrypted EC key", server: MTLS, outcome: "success", category: null },
];

describe("openssl-made PKI against openssl s_server", { concurrency: true, skip: !hasOpenssl && "openssl CLI not installed" }, () => {
  for (const row of rows) {
    it(row.name, async () => {
      const s = await opensslServer(row.server.map((a) => (/\.(pem|key)$/.test(a) ? p(a) : a)));
      servers.push(s);
      const client: Partial<HandshakeOptions> = { ...row.client };
      if (row.name === "client cert from the wrong CA") client.credentials = { kind: "pem", cert: bytes("cl-wrong.pem"), key: bytes("cl.key") };
      if (row.name === "expired client cert") client.credentials = { kind: "pem", cert: bytes("cl-expired.pem"), key: bytes("cl.key") };
      if (row.name === "legacy PKCS#12") client.credentials = { kind: "pkcs12", pfx: bytes("cl-legacy.p12"), passphrase: PW };
      if (row.name === "traditional encrypted EC key") client.credentials = { kind: "pem", cert: bytes("cl.pem"), key: bytes("cl-trad.key"), passphrase: PW };
      const r = await runHandshake({ host: "127.0.0.1", port: s.port, servername: "localhost", ca: [bytes("root.pem")], useSystemRoots: false, timeoutMs: 5000, ...client });
      assert.equal(r.outcome, row.outcome, JSON.stringify(r.diagnosis));
      assert.equal(r.diagnosis?.category ?? null, row.category, r.diagnosis?.summary);
      if (row.summary) assert.match(r.diagnosis!.summary, row.summary);
      assert.equal(r.messages[0]?.type, "ClientHello");
    });
  }
});
