// Mutual TLS decided above TLS, in a real VS Code (code-server + Chromium): PostgreSQL with a client certificate
// (SSLRequest preamble, TLS, the startup message's AuthenticationOk) and nginx refusing a request without one
// (the 400 page quoted as client_cert_required), both run from saved endpoints in the handshake panel; what the
// user sees is checked (verdict, preamble, application exchange) and screenshotted.
// Started by test/e2e/run.mjs (CERTSCOPE_VSIX); screenshots into test/e2e/artifacts/ (prefixed "above-").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";
import { withCodeServer } from "./harness.mjs";

let lab;
const servers = [];
let nginxAuthority;

const { wb } = withCodeServer({
  name: "above",
  viewport: { width: 1440, height: 1000 },
  async prepare({ workspace }) {
    writeFileSync(join(workspace, "README.md"), "Endpoints that decide mutual TLS above TLS.\n");
    // The real servers and the lab PKI of the unit tests (TypeScript, loaded through tsx).
    const helpers = await tsImport("../tls/helpers.ts", import.meta.url);
    const real = await tsImport("../servers/servers.ts", import.meta.url);
    lab = await helpers.makeLab();
    const chain = lab.file("server-chain.pem", helpers.chainPem(lab.server, lab.inter));
    const key = lab.file("server.key", lab.server.keyPem);
    const clientCa = lab.file("client-ca.pem", lab.clientCa.certPem);
    const rootCa = lab.file("root.pem", lab.root.certPem);
    const clientCert = lab.file("client.pem", lab.client.certPem);
    const clientKey = lab.file("client.key", lab.client.keyPem);
    const [pg, nginx, proxy] = await Promise.all([
      real.startPostgres({ certPem: helpers.chainPem(lab.server, lab.inter), keyPem: lab.server.keyPem, clientCaPem: lab.clientCa.certPem, roles: ["lab-client"] }),
      real.startNginx({ certFile: chain, keyFile: key, clientCaFile: clientCa, verify: "on" }),
      real.startTinyproxy(),
    ]);
    servers.push(pg, nginx, proxy);
    const endpoints = [
      { name: "PostgreSQL with client certificate", host: "127.0.0.1", port: pg.port, servername: "localhost", starttls: "postgres", cert: clientCert, key: clientKey, ca: [rootCa] },
      { name: "nginx without client certificate", host: "127.0.0.1", port: nginx.port, servername: "localhost", alpn: "http/1.1", ca: [rootCa] },
      { name: "nginx through the proxy", host: "127.0.0.1", port: nginx.port, servername: "localhost", alpn: "http/1.1", cert: clientCert, key: clientKey, ca: [rootCa] },
    ];
    nginxAuthority = `127.0.0.1:${nginx.port}`;
    // VS Code's proxy settings: PostgreSQL is in http.noProxy (host:port), nginx is reached through the proxy.
    return {
      settings: {
        "certscope.endpoints": endpoints,
        "http.proxy": `http://127.0.0.1:${proxy.port}`,
        "http.noProxy": [`127.0.0.1:${pg.port}`, "127.0.0.1:1"],
      },
    };
  },
});

after(async () => {
  await Promise.all(servers.map((s) => s.close().catch(() => {})));
  lab?.cleanup();
});

async function runEndpoint(name) {
  // A fresh panel each time: the previous run's result must not be mistaken for this one's.
  await wb.closeAllEditors();
  await wb.runCommand("CertScope: Run Saved Endpoint…", 60_000);
  // Narrow the list to the one endpoint (the second run's list also shows the first as recently used).
  await wb.quickInput.locator("input").fill(name);
  const pick = wb.quickInput.locator(".monaco-list-row", { hasText: name }).first();
  await pick.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`Run Saved Endpoint does not list '${name}'; it shows: ${(await wb.quickPickRows()).join(" | ")}`);
  });
  await pick.click();
  const view = wb.webview();
  await view.locator(".hs-result").waitFor({ timeout: 60_000 }).catch(async () => {
    await wb.screenshot(`above-no-result-${name.split(" ")[0]}`);
    throw new Error(`no result for '${name}' within 60 s`);
  });
  return view;
}

test("PostgreSQL with the right client certificate: SSLRequest before TLS, AuthenticationOk after it", async () => {
  const view = await runEndpoint("PostgreSQL with client certificate");
  const diag = view.locator("#diagnosis");
  assert.equal(await diag.getAttribute("data-outcome"), "success", await diag.innerText());
  // The form kept the endpoint's protocol.
  assert.equal(await view.locator("#starttls").evaluate((el) => el.value), "postgres");
  await view.locator("#starttls").scrollIntoViewIfNeeded();
  await wb.screenshot("above-postgres-form");
  const plain = await view.locator(".seq-plain-row").allInnerTexts();
  assert.ok(plain.some((t) => /C: SSLRequest/.test(t)), `no SSLRequest in the diagram: ${plain.join(" | ")}`);
  assert.ok(plain.some((t) => /S: S \(TLS accepted\)/.test(t)), `no 'S' answer in the diagram: ${plain.join(" | ")}`);
  assert.ok(plain.some((t) => /C: StartupMessage user=lab-client/.test(t)), `no startup message: ${plain.join(" | ")}`);
  assert.ok(plain.some((t) => /S: AuthenticationOk/.test(t)), `no AuthenticationOk: ${plain.join(" | ")}`);
  assert.ok(!plain.some((t) => /CONNECT/.test(t)), `http.noProxy lists this endpoint, yet it went through the proxy: ${plain.join(" | ")}`);
  // Wire order: the preamble before the ClientHello, the application exchange after the handshake.
  const order = await view.locator(".seq-body > .seq-row").evaluateAll((rows) =>
    rows.map((r) => (r.classList.contains("seq-plain-row") ? `plain:${r.querySelector("[data-phase]")?.getAttribute("data-phase")}` : r.querySelector("button")?.getAttribute("data-type") ?? "note")),
  );
  const iHello = order.indexOf("ClientHello");
  assert.ok(iHello > order.indexOf("plain:starttls") && order.lastIndexOf("plain:app") > order.lastIndexOf("Finished"), order.join(","));
  assert.match(await view.locator("#negotiated").innerText(), /STARTTLS \(postgres\)/);
  await view.locator(".seq-plain-row").first().scrollIntoViewIfNeeded();
  await wb.screenshot("above-postgres-preamble");
  await view.locator(".seq-plain-row").last().scrollIntoViewIfNeeded();
  await wb.screenshot("above-postgres-application");
});

test("nginx without a client certificate: client_cert_required, quoting its 400 page", async () => {
  const view = await runEndpoint("nginx without client certificate");
  const diag = view.locator("#diagnosis");
  await view.locator('#diagnosis[data-category="client_cert_required"]').waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`the verdict is not client_cert_required: ${await diag.innerText()}`);
  });
  assert.match(await diag.innerText(), /No required SSL certificate was sent/);
  const plain = await view.locator(".seq-plain-row").allInnerTexts();
  assert.ok(plain.some((t) => /C: GET \/ HTTP\/1\.1/.test(t)), plain.join(" | "));
  assert.ok(plain.some((t) => /S: HTTP\/1\.1 400 Bad Request: No required SSL certificate was sent/.test(t)), plain.join(" | "));
  assert.equal(await view.locator(".seq-plain-row .arrow.fatal").count(), 1, "the refusal is not marked as one in the diagram");
  const warnings = (await view.locator(".warnings").allInnerTexts()).join(" ");
  assert.doesNotMatch(warnings, /optional client authentication/);
  await diag.scrollIntoViewIfNeeded();
  await wb.screenshot("above-nginx-verdict");
  await view.locator(".seq-plain-row").last().scrollIntoViewIfNeeded();
  await wb.screenshot("above-nginx-application");
});

test("VS Code's http.proxy: the run goes through the proxy, and the result says so", async () => {
  const view = await runEndpoint("nginx through the proxy");
  const diag = view.locator("#diagnosis");
  assert.equal(await diag.getAttribute("data-outcome"), "success", await diag.innerText());
  assert.match(await view.locator("#negotiated").innerText(), /Proxy\s+http:\/\/127\.0\.0\.1:\d+/);
  const plain = await view.locator(".seq-plain-row").allInnerTexts();
  assert.ok(plain.some((t) => t.includes(`C: CONNECT ${nginxAuthority} HTTP/1.1`)), plain.join(" | "));
  assert.ok(plain.some((t) => /S: HTTP\/1\.[01] 200/.test(t)), plain.join(" | "));
  assert.ok(plain.some((t) => /S: HTTP\/1\.1 200 OK/.test(t)), `the page was not served: ${plain.join(" | ")}`);
  await view.locator(".seq-plain-row").first().scrollIntoViewIfNeeded();
  await wb.screenshot("above-proxy");
});
