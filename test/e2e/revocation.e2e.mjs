// Revocation in a real VS Code (code-server + Chromium): the viewer's "Check revocation" asks an OCSP responder
// (openssl ocsp behind a small http server on 127.0.0.1, answering from an `openssl ca` database where one
// certificate is revoked), and the handshake panel shows the OCSP response an openssl s_server staples.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "revocation-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withCodeServer, freePort } from "./harness.mjs";

const ENDPOINT = "Stapled OCSP demo";

let responder;
let sServer;
let ocspRequests = 0;

const { wb, work, workspace } = withCodeServer({
  name: "revocation",
  async prepare() {
    mkdirSync(pki, { recursive: true });
    responder = await startResponder();
    makePki(`http://127.0.0.1:${responder.address().port}/ocsp`);
    const port = await freePort();
    sServer = await startStapler(port);
    return {
      settings: {
        "certscope.trust.extraCaBundles": [p("ca.pem")],
        "certscope.endpoints": [{ name: ENDPOINT, host: "127.0.0.1", port, servername: "localhost", ca: [p("ca.pem")] }],
      },
    };
  },
});
const pki = join(work, "pki");

const p = (n) => join(pki, n);
function ossl(...args) {
  const r = spawnSync("openssl", args, { cwd: pki, encoding: "utf8" });
  assert.equal(r.status, 0, `openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `openssl ocsp` answering one request from the CA database (the per-request form; -port would bind every interface). */
function answer(reqDer) {
  const n = ++ocspRequests;
  writeFileSync(p(`req${n}.der`), reqDer);
  ossl("ocsp", "-index", "db/index.txt", "-CA", "ca.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-reqin", `req${n}.der`, "-respout", `resp${n}.der`, "-ndays", "1");
  return readFileSync(p(`resp${n}.der`));
}

async function startResponder() {
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        const der = req.method === "POST" ? Buffer.concat(chunks) : Buffer.from(decodeURIComponent((req.url ?? "/").split("/").pop() ?? ""), "base64");
        res.writeHead(200, { "content-type": "application/ocsp-response" }).end(answer(der));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  return srv;
}

async function startStapler(port) {
  const child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", p("good.pem"), "-key", p("good.key"), "-cert_chain", p("ca.pem"), "-status_file", p("good.staple")], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b) => (out += b));
  child.stderr.on("data", (b) => (out += b));
  for (let i = 0; i < 100 && !out.includes("ACCEPT"); i++) await sleep(100);
  assert.ok(out.includes("ACCEPT"), `openssl s_server did not start: ${out}`);
  return child;
}

function makePki(ocspUrl) {
  mkdirSync(join(pki, "db"), { recursive: true });
  writeFileSync(p("db/index.txt"), "");
  writeFileSync(p("db/serial"), "1000\n");
  writeFileSync(p("ca.cnf"), "[ca]\ndefault_ca=c\n[c]\ndatabase=db/index.txt\nserial=db/serial\nnew_certs_dir=db\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nunique_subject=no\n[p]\ncommonName=supplied\n");
  writeFileSync(p("leaf.ext"), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\nauthorityInfoAccess=OCSP;URI:${ocspUrl}\n`);
  writeFileSync(p("ocsp.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=OCSPSigning\n");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ossl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Revocation Demo CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign");
  for (const [name, ext, cn] of [["ocsp", "ocsp.ext", "Revocation Demo OCSP"], ["good", "leaf.ext", "localhost"], ["revoked", "leaf.ext", "localhost"]]) {
    ossl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    ossl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", `${name}.csr`, "-out", `${name}.pem`, "-days", "20", "-extfile", ext, "-notext");
  }
  ossl("ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
  // The staple for s_server: a fresh answer about the good certificate.
  ossl("ocsp", "-issuer", "ca.pem", "-cert", "good.pem", "-reqout", "staple.req", "-no_nonce");
  ossl("ocsp", "-index", "db/index.txt", "-CA", "ca.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-reqin", "staple.req", "-respout", "good.staple", "-ndays", "1");
  mkdirSync(workspace, { recursive: true });
  ossl("x509", "-in", "good.pem", "-outform", "DER", "-out", join(workspace, "good-server.der"));
  ossl("x509", "-in", "revoked.pem", "-outform", "DER", "-out", join(workspace, "revoked-server.der"));
}

after(async () => {
  sServer?.kill("SIGTERM");
  await new Promise((r) => (responder ? responder.close(() => r()) : r()));
});

/** Waits for a notification toast matching `re`; returns its text or undefined. */
async function toast(re, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const hit = (await wb.notifications()).find((n) => re.test(n));
    if (hit) return hit;
    await sleep(500);
  }
  return undefined;
}

async function checkInViewer(file) {
  await wb.closeAllEditors();
  await wb.clearNotifications();
  await wb.openFile(file);
  const view = wb.webview();
  const viewer = view.locator("#viewer");
  await viewer.locator('[data-action="checkRevocation"]').first().waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`the viewer of ${file} has no Check revocation button; it shows: ${(await viewer.innerText().catch(() => "nothing")).slice(0, 300)}`);
  });
  const before = ocspRequests;
  await viewer.locator('[data-action="checkRevocation"]').first().click();
  return before;
}

test("the viewer's Check revocation asks the OCSP responder: a revoked certificate, then a good one", async () => {
  const before = await checkInViewer("revoked-server.der");
  const revoked = await toast(/Revoked:/);
  await wb.screenshot("revocation-viewer-revoked");
  assert.ok(revoked, `no "Revoked" notification after Check revocation; notifications: ${(await wb.notifications()).join(" | ")}`);
  assert.match(revoked, /CN=localhost: REVOKED on \d{4}-\d\d-\d\d \d\d:\d\d UTC, keyCompromise \(OCSP answer from http:\/\/127\.0\.0\.1:\d+\/ocsp\)/);
  assert.ok(ocspRequests > before, "the OCSP responder was not asked");

  await checkInViewer("good-server.der");
  const good = await toast(/Not revoked:/);
  await wb.screenshot("revocation-viewer-good");
  assert.ok(good, `no "Not revoked" notification after Check revocation; notifications: ${(await wb.notifications()).join(" | ")}`);
  assert.match(good, /CN=localhost: good \(OCSP answer of \d{4}-\d\d-\d\d \d\d:\d\d UTC from http:\/\/127\.0\.0\.1:\d+\/ocsp\)/);
});

test("the handshake panel shows the server's stapled OCSP response", async () => {
  await wb.closeAllEditors();
  await wb.clearNotifications();
  await wb.runCommand("CertScope: Run Saved Endpoint…");
  await wb.quickInput.locator(".monaco-list-row", { hasText: ENDPOINT }).first().click();
  const view = wb.webview();
  const line = view.locator("#ocsp-line");
  await line.waitFor({ timeout: 45_000 }).catch(async () => {
    throw new Error(`the handshake result has no OCSP line; the panel shows: ${(await view.locator("body").innerText().catch(() => "nothing")).slice(0, 500)}`);
  });
  await line.evaluate((e) => e.scrollIntoView({ block: "center" })).catch(() => {});
  await wb.screenshot("revocation-handshake-ocsp-line");
  assert.equal(await line.getAttribute("data-status"), "good");
  assert.match(await line.innerText(), /OCSP: stapled, good .*from CN=Revocation Demo OCSP/);
  assert.equal(await view.locator("#diagnosis").getAttribute("data-outcome"), "success");
  const types = await view.locator("#diagram [data-type]").evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
  assert.ok(types.includes("Certificate"), `the diagram shows: ${types.join(", ")}`);
});
