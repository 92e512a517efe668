// `certscope handshake --starttls / --proxy / --no-app-probe` (contract, second version): usage errors, the human
// report's preamble and application lines, and no proxy password anywhere in the output.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli";
import { makeLab, chainPem, type Lab, type Running } from "../tls/helpers";
import { startTextServer, startTinyproxy } from "../servers/servers";
import { opensslCommand, curlCommand } from "../../src/shared/handshakeView";

let lab: Lab;
let smtp: Running;
let proxy: Running;
const f: Record<string, string> = {};

before(async () => {
  lab = await makeLab();
  f.chain = lab.file("chain.pem", chainPem(lab.server, lab.inter));
  f.key = lab.file("server.key", lab.server.keyPem);
  f.root = lab.file("root.pem", lab.root.certPem);
  [smtp, proxy] = await Promise.all([startTextServer("smtp", f.chain, f.key), startTinyproxy({ basicAuth: { user: "bob", password: "pr0xy-Secret" } })]);
});
after(async () => {
  await Promise.all([smtp?.close(), proxy?.close()]);
  lab?.cleanup();
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["handshake", ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe("handshake connection flags", () => {
  it("bad --starttls and --proxy values are usage errors naming the option (the password is not echoed)", async () => {
    const a = await run(["127.0.0.1:25", "--starttls", "gopher"]);
    assert.equal(a.code, 2);
    assert.match(a.err, /--starttls must be one of smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql/);
    const b = await run(["127.0.0.1:443", "--proxy", "socks5://u:hunter22@127.0.0.1:1080"]);
    assert.equal(b.code, 2);
    assert.match(b.err, /--proxy: .*only http:\/\//);
    assert.ok(!b.err.includes("hunter22"));
  });

  it("--starttls smtp through an authenticating proxy: the report shows both preambles and the EHLO after TLS; no credentials in the output", async () => {
    const r = await run([`127.0.0.1:${smtp.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--starttls", "smtp", "--proxy", `http://bob:pr0xy-Secret@127.0.0.1:${proxy.port}`]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /after STARTTLS \(smtp\) through the proxy http:\/\/127\.0\.0\.1:\d+ \(with credentials\)/);
    assert.match(r.out, /Before TLS \(plaintext\):\n {5}TCP connected to 127\.0\.0\.1:\d+\n {2}C: CONNECT 127\.0\.0\.1:\d+ HTTP\/1\.1 \(Proxy-Authorization: Basic \*\*\*\)\n {2}S: HTTP\/1\.[01] 200/);
    assert.match(r.out, /C: STARTTLS\n {2}S: 220 /);
    assert.match(r.out, /Application \(smtp, encrypted\):\n {2}C: EHLO certscope\.invalid\n {2}S: 250/);
    const j = await run([`127.0.0.1:${smtp.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--starttls", "smtp", "--proxy", `http://bob:pr0xy-Secret@127.0.0.1:${proxy.port}`, "--json"]);
    for (const text of [r.out, r.err, j.out, j.err]) assert.ok(!text.includes("pr0xy-Secret") && !text.includes(Buffer.from("bob:pr0xy-Secret").toString("base64")));
    const doc = JSON.parse(j.out);
    assert.equal(doc.starttls, "smtp");
    assert.equal(doc.application.protocol, "smtp");
  });

  it("--no-app-probe: no application exchange", async () => {
    const r = await run([`127.0.0.1:${smtp.port}`, "--servername", "localhost", "--ca", f.root, "--no-system-roots", "--starttls", "smtp", "--no-app-probe", "--json"]);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.out).application, undefined);
  });

  it("the openssl and curl lines carry -starttls and -proxy, with placeholders for proxy credentials", () => {
    const c = { host: "db.example", port: 5432, starttls: "postgres", proxy: "proxy.example:3128", proxyAuth: true };
    assert.equal(opensslCommand(c), "openssl s_client -connect db.example:5432 -starttls postgres -proxy proxy.example:3128 -proxy_user PROXY_USER -proxy_pass env:CERTSCOPE_PROXY_PASS -servername db.example -showcerts -verify_return_error </dev/null");
    assert.match(curlCommand(c), /^# curl does not speak postgres/);
    assert.equal(curlCommand({ host: "mail.example", port: 587, starttls: "smtp", proxy: "proxy.example:3128" }), "curl -v --proxy http://proxy.example:3128 --proxytunnel --ssl-reqd smtp://mail.example:587/");
    assert.equal(curlCommand({ host: "web.example", port: 443, proxy: "proxy.example:3128" }), "curl -v --proxy http://proxy.example:3128 https://web.example:443/");
  });
});
