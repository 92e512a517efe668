/**
 * The scanner on the shared connection set-up (src/core/net): a scan reaches a STARTTLS service and a server
 * behind an HTTP proxy through the same steps as the handshake, and a proxy's refusal or a missing STARTTLS is said
 * with the step's category. Real servers on 127.0.0.1 (aiosmtpd, tinyproxy), started and stopped by the test.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { scanServer, ScanError } from "../../src/core/tls/scan/scanner";
import { makeDialer } from "../../src/core/net/dial";
import { renderScanMarkdown, renderScanText } from "../../src/core/tls/scan/report";
import { main } from "../../src/cli";
import { makeLab, chainPem, serverList, type Lab } from "./helpers";
import { startTextServer, startTinyproxy } from "../servers/servers";

let lab: Lab;
const { keep, closeAll } = serverList();
let chain: string;
let key: string;

before(async () => {
  lab = await makeLab();
  chain = lab.file("server-chain.pem", chainPem(lab.server, lab.inter));
  key = lab.file("server.key", lab.server.keyPem);
});
after(async () => {
  await closeAll();
  lab.cleanup();
});

describe("scan over the shared dialer", () => {
  it("scans an SMTP server after STARTTLS and sees its TLS 1.2/1.3 suites", async () => {
    const smtp = await keep(startTextServer("smtp", chain, key));
    const r = await scanServer({ host: "127.0.0.1", port: smtp.port, servername: "localhost", starttls: "smtp", dialer: makeDialer({ host: "127.0.0.1", port: smtp.port, starttls: "smtp", servername: "localhost" }) });
    assert.ok(r.protocols.find((p) => p.version === "TLSv1.3")?.supported, JSON.stringify(r.protocols));
    assert.ok(r.cipherSuites.some((s) => s.version === "TLSv1.3"), "TLS 1.3 suites listed");
    assert.ok(r.certificates.length >= 1, "the server's chain");
    assert.deepEqual(r.target, { host: "127.0.0.1", port: smtp.port, servername: "localhost", starttls: "smtp" }, "the result says how the server was reached");
    assert.match(renderScanText(r).split("\n")[0], /^Scan of 127\.0\.0\.1:\d+ \(SNI localhost\) after STARTTLS \(smtp\): /);
    assert.match(renderScanMarkdown(r).split("\n")[0], /^# TLS scan of 127\.0\.0\.1:\d+ after STARTTLS \(smtp\)$/);
  });

  it("without a dialer, `starttls` alone makes the scanner's own dialer upgrade first", async () => {
    const smtp = await keep(startTextServer("smtp", chain, key));
    const r = await scanServer({ host: "127.0.0.1", port: smtp.port, servername: "localhost", starttls: "smtp", maxConnections: 10 });
    assert.ok(r.protocols.some((p) => p.supported), JSON.stringify(r.protocols));
    assert.equal(r.target.starttls, "smtp");
  });

  it("a server that offers no STARTTLS is a starttls_failure, not 'unreachable'", async () => {
    const plain = await keep(startTextServer("smtp-plain", chain, key));
    await assert.rejects(
      scanServer({ host: "127.0.0.1", port: plain.port, dialer: makeDialer({ host: "127.0.0.1", port: plain.port, starttls: "smtp" }) }),
      (e: unknown) => e instanceof ScanError && e.category === "starttls_failure",
    );
  });

  it("the CLI scans through an open proxy, and a refusing proxy is proxy_failure (exit 2, no credentials echoed)", async () => {
    const smtp = await keep(startTextServer("smtp", chain, key));
    const open = await keep(startTinyproxy());
    const refusing = await keep(startTinyproxy({ basicAuth: { user: "u", password: "s3cret-pw" } }));
    const run = async (args: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["scan", `127.0.0.1:${smtp.port}`, "--servername", "localhost", "--starttls", "smtp", "--json", ...args], { stdout: (s) => void (out += s), stderr: (s) => void (err += s), env: {} });
      return { code, out, err };
    };
    const ok = await run(["--proxy", `http://127.0.0.1:${open.port}`]);
    assert.ok(ok.code === 0 || ok.code === 1, ok.err);
    assert.ok(JSON.parse(ok.out).protocols.some((p: { supported: boolean }) => p.supported));
    assert.equal(JSON.parse(ok.out).target.starttls, "smtp", "target names the --starttls protocol");
    const bad = await run(["--proxy", `http://u:wrong-pw@127.0.0.1:${refusing.port}`]);
    assert.equal(bad.code, 2, bad.err);
    assert.equal(JSON.parse(bad.out).error.category, "proxy_failure");
    assert.equal(JSON.parse(bad.out).target.starttls, "smtp", "the error document names it too");
    assert.ok(!/wrong-pw/.test(bad.out + bad.err), "the proxy password is never echoed");
  });
});
