// The transcript → sequence-diagram view-model, the Markdown export and the equivalent commands.
// The transcripts here are hand-written in the engine's detail shapes (src/core/tls/messages.ts): a unit test
// of the view-model, never shown to users.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { HandshakeMessage, HandshakeResult } from "../../src/shared/model";
import { buildDiagram, messageDetail, opensslCommand, curlCommand, resultToMarkdown, shellQuote, type DiagramArrow } from "../../src/shared/handshakeView";

const m = (from: "client" | "server", type: string, detail: Record<string, unknown> = {}, extra: Partial<HandshakeMessage> = {}): HandshakeMessage => ({ from, type, detail, ...extra });

const clientHello = m("client", "ClientHello", {
  version: "TLS 1.2",
  supportedVersions: ["TLS 1.3", "TLS 1.2"],
  cipherSuites: ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"],
  serverName: "localhost",
  alpn: ["h2", "http/1.1"],
  random: "00".repeat(32),
});

function base(messages: HandshakeMessage[], over: Partial<HandshakeResult> = {}): HandshakeResult {
  return {
    target: { host: "127.0.0.1", port: 8443, servername: "localhost" },
    outcome: "success",
    diagnosis: null,
    protocol: "TLSv1.3",
    cipher: "TLS_AES_256_GCM_SHA384",
    messages,
    clientCertificate: { requested: false, acceptableIssuers: [], sent: false },
    serverChain: [],
    validation: null,
    ...over,
  };
}

const tls13MutualRejected = base(
  [
    clientHello,
    m("server", "ServerHello", { version: "TLS 1.2", selectedVersion: "TLS 1.3", cipherSuite: "TLS_AES_256_GCM_SHA384", keyShare: "x25519" }),
    m("server", "EncryptedExtensions", { extensions: ["supported_groups"] }, { encrypted: true }),
    m("server", "CertificateRequest", { acceptableIssuers: ["CN=CertScope Lab CA,O=CertScope Lab"], signatureAlgorithms: ["rsa_pss_rsae_sha256"] }, { encrypted: true }),
    m("server", "Certificate", { empty: false, count: 1, certificates: [{ subject: "CN=localhost,O=CertScope Lab", issuer: "CN=CertScope Lab CA,O=CertScope Lab" }] }, { encrypted: true }),
    m("server", "CertificateVerify", { signatureAlgorithm: "rsa_pss_rsae_sha256" }, { encrypted: true }),
    m("server", "Finished", { verifyDataLength: 48 }, { encrypted: true }),
    m("client", "Certificate", { empty: true, count: 0, certificates: [] }, { encrypted: true }),
    m("client", "Finished", {}, { encrypted: true }),
    m("server", "Alert", { level: "fatal", description: "certificate_required" }, { encrypted: true }),
  ],
  {
    outcome: "failure",
    diagnosis: { category: "client_cert_required", summary: "The server requires a client certificate and none was sent.", fix: "Choose a client certificate issued by CN=CertScope Lab CA." },
    clientCertificate: { requested: true, required: true, acceptableIssuers: ["CN=CertScope Lab CA,O=CertScope Lab"], sent: false },
  },
);

const tls12OneWay = base(
  [
    clientHello,
    m("server", "ServerHello", { version: "TLS 1.2", cipherSuite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" }),
    m("server", "Certificate", { count: 3, certificates: [{ subject: "CN=example.com" }, { subject: "CN=Issuing CA" }, { subject: "CN=Root" }] }),
    m("server", "ServerKeyExchange", { keyExchange: "ECDHE", group: "x25519" }),
    m("server", "ServerHelloDone"),
    m("client", "ClientKeyExchange", { keyExchange: "ECDHE" }),
    m("client", "ChangeCipherSpec"),
    m("client", "Finished", {}, { encrypted: true }),
    m("server", "ChangeCipherSpec"),
    m("server", "Finished", {}, { encrypted: true }),
  ],
  { protocol: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256" },
);

const arrows = (rows: ReturnType<typeof buildDiagram>["rows"]) => rows.filter((r): r is DiagramArrow => r.kind === "message");

test("diagram: one arrow per message, in wire order, with sides", () => {
  for (const r of [tls13MutualRejected, tls12OneWay]) {
    const a = arrows(buildDiagram(r).rows);
    assert.deepEqual(
      a.map((x) => [x.index, x.from, x.type]),
      r.messages.map((x, i) => [i, x.from, x.type]),
    );
  }
});

test("diagram: TLS 1.3 mutual TLS rejected — locks, two-way marks, red alert with its side", () => {
  const d = buildDiagram(tls13MutualRejected);
  assert.equal(d.mode, "two-way");
  assert.match(d.caption, /sent none/);
  const a = arrows(d.rows);
  assert.deepEqual(a.filter((x) => x.mutual).map((x) => `${x.from}:${x.type}`), ["server:CertificateRequest", "client:Certificate"]);
  assert.deepEqual(a.filter((x) => x.encrypted).length, 8);
  const alert = a.find((x) => x.alert)!;
  assert.equal(alert.from, "server");
  assert.ok(alert.fatal);
  assert.equal(alert.detail, "fatal: certificate_required");
  assert.match(a.find((x) => x.type === "CertificateRequest")!.detail, /from 1 CA$/);
  assert.match(a.find((x) => x.type === "Certificate" && x.from === "client")!.detail, /empty certificate/);
  const notes = d.rows.filter((r) => r.kind === "note").map((r) => (r.kind === "note" ? r.tone : ""));
  assert.deepEqual(notes, ["encrypted", "mutual", "error"]);
  // the encrypted note sits right after ServerHello
  const idx = d.rows.findIndex((r) => r.kind === "note" && r.tone === "encrypted");
  assert.equal((d.rows[idx - 1] as DiagramArrow).type, "ServerHello");
  const last = d.rows.at(-1)!;
  assert.match(last.kind === "note" ? last.text : "", /server sent a fatal alert: certificate_required/);
});

test("diagram: TLS 1.2 one-way — the one-way point is marked after ServerHelloDone", () => {
  const d = buildDiagram(tls12OneWay);
  assert.equal(d.mode, "one-way");
  const i = d.rows.findIndex((r) => r.kind === "note" && r.tone === "oneway");
  assert.ok(i > 0);
  assert.equal((d.rows[i - 1] as DiagramArrow).type, "ServerHelloDone");
  assert.equal(arrows(d.rows).filter((x) => x.mutual).length, 0);
  assert.ok(d.rows.some((r) => r.kind === "note" && r.tone === "ok"));
  assert.ok(!d.rows.some((r) => r.kind === "note" && r.tone === "encrypted"), "no TLS 1.3 encryption note on 1.2");
});

test("diagram: a run without messages still says what happened", () => {
  const d = buildDiagram(base([], { outcome: "failure", diagnosis: { category: "connection_refused", summary: "Nothing listens on 127.0.0.1:1.", fix: "Check the port." } }));
  assert.equal(d.rows.length, 1);
  assert.equal(d.mode, "unknown");
  assert.match((d.rows[0] as { text: string }).text, /Nothing listens/);
});

const details: [string, HandshakeMessage, RegExp][] = [
  ["ClientHello", clientHello, /^TLS 1\.3, TLS 1\.2 · 3 cipher suites · SNI localhost · ALPN h2, http\/1\.1$/],
  ["ServerHello 1.3", tls13MutualRejected.messages[1], /^TLS 1\.3 · TLS_AES_256_GCM_SHA384 · x25519$/],
  ["server Certificate", tls12OneWay.messages[2], /^3 certificates · CN=example\.com$/],
  ["CertificateRequest any CA", m("server", "CertificateRequest", { acceptableIssuers: [] }), /any CA/],
  ["HRR", m("server", "HelloRetryRequest", { selectedGroup: "secp256r1" }), /retry with key share secp256r1/],
  ["undecrypted", m("server", "EncryptedRecord", { contentType: "handshake", length: 90 }, { undecrypted: true, length: 90 }), /90 bytes, could not be decrypted/],
  ["NewSessionTicket", m("server", "NewSessionTicket", { lifetimeSeconds: 7200 }), /lifetime 7200 s/],
  ["unknown type", m("server", "Handshake(99)", {}, { length: 5 }), /5 bytes/],
];
for (const [name, msg, want] of details) {
  test(`messageDetail: ${name}`, () => assert.match(messageDetail(msg), want));
}

test("diagram: details fields flatten the engine's detail and skip the random", () => {
  const a = arrows(buildDiagram(tls13MutualRejected).rows);
  const ch = a[0].fields;
  assert.ok(!ch.some((f) => f.value === "00".repeat(32)));
  assert.deepEqual(ch.find((f) => f.name === "Server name (SNI)")?.value, "localhost");
  assert.match(a[4].fields.find((f) => f.name === "Certificates")!.value, /CN=localhost,O=CertScope Lab \(issued by CN=CertScope Lab CA/);
  assert.match(a[0].ariaLabel, /^1\. Client to server: ClientHello/);
});

test("commands: openssl and curl lines", () => {
  const c = { host: "127.0.0.1", port: 8443, servername: "localhost", alpn: ["http/1.1"], tlsMin: "1.2", caFiles: ["/kit/ca.crt"], noSystemRoots: true, cert: "/kit/client.crt", key: "/kit/client.key" };
  assert.equal(
    opensslCommand(c),
    "openssl s_client -connect 127.0.0.1:8443 -servername localhost -alpn http/1.1 -min_protocol TLSv1.2 -CAfile /kit/ca.crt -no-CAfile -no-CApath -no-CAstore -cert /kit/client.crt -key /kit/client.key -showcerts -verify_return_error </dev/null",
  );
  assert.equal(curlCommand(c), "curl -v --resolve localhost:8443:127.0.0.1 --tlsv1.2 --cacert /kit/ca.crt --cert /kit/client.crt --key /kit/client.key --http1.1 https://localhost:8443/");
  const p = { host: "example.com", port: 443, pfx: "/my dir/c.p12", passphrase: true };
  assert.equal(opensslCommand(p), "openssl s_client -connect example.com:443 -servername example.com -cert '/my dir/c.p12' -key '/my dir/c.p12' -pass env:CERTSCOPE_PASSPHRASE -showcerts -verify_return_error </dev/null");
  assert.equal(curlCommand(p), `curl -v --cert-type P12 --cert '/my dir/c.p12:'"$CERTSCOPE_PASSPHRASE" https://example.com:443/`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.match(opensslCommand({ host: "::1", port: 4433 }), /-connect '\[::1\]:4433' -noservername/);
});

test("markdown: names the outcome, diagnosis, messages and client certificate", () => {
  const md = resultToMarkdown(tls13MutualRejected, { startedAt: "2026-01-01T00:00:00Z", commands: { openssl: "openssl x", curl: "curl y" } });
  assert.match(md, /^# TLS handshake with 127\.0\.0\.1:8443 \(SNI localhost\)/);
  assert.match(md, /client_cert_required/);
  assert.match(md, /\| 4 \| server → client \| 🔒 CertificateRequest _\(two-way only\)_ \| asks for a client certificate from 1 CA \|/);
  assert.match(md, /\| 10 \| server → client \| 🔒 ⚠ Alert \| fatal: certificate_required \|/);
  assert.match(md, /- Requested: yes \(required: yes\)/);
  assert.match(md, /```sh\nopenssl x\ncurl y\n```/);
  const withPipe = resultToMarkdown(base([m("server", "Alert", { level: "fatal", description: "a|b" })], { outcome: "failure" }));
  assert.match(withPipe, /a\\\|b/);
});

test("formWords: CLI flags in a diagnosis become the form's words", async () => {
  const { formWords } = await import("../../src/shared/handshakeView");
  const rows: [string, string][] = [
    ["Run again with --cert/--key or --pfx, using a client certificate", "Run again with a client certificate (PEM certificate + key, or PKCS#12), using a client certificate"],
    ["Pass the issuing CA with --ca FILE.", "Pass the issuing CA with a CA file (Trust: CA file(s) I choose)."],
    ["Try --tls-min 1.0 or set --servername example.com", "Try TLS min 1.0 or set Server name (SNI) example.com"],
    ["Use --passphrase-env VAR with the right passphrase", "Use the passphrase with the right passphrase"],
    ["Increase --timeout for slow servers", "Increase Timeout for slow servers"],
    ["no flags here", "no flags here"],
  ];
  for (const [input, want] of rows) assert.equal(formWords(input), want);
});

test("the diagram's words go through the translator the page passes; without one they stay English", () => {
  // A translator that marks every message it is asked for, with its placeholders filled.
  const asked: string[] = [];
  const tr = (msg: string, ...args: (string | number | boolean)[]) => {
    asked.push(msg);
    return `«${msg.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;
  };
  const d = buildDiagram(tls13MutualRejected, tr);
  assert.match(d.caption, /^«Two-way \(mutual\) TLS: .*»$/);
  for (const r of d.rows) {
    if (r.kind === "note") assert.match(r.text, /^«.*»$/s, r.text);
    if (r.kind === "message") {
      assert.match(r.ariaLabel, /^«\d+\. (Client to server|Server to client): /, r.ariaLabel);
      for (const f of r.fields.slice(0, 2)) assert.match(f.name, /^«.*»$/, f.name);
    }
  }
  const cr = d.rows.find((r): r is DiagramArrow => r.kind === "message" && r.type === "CertificateRequest")!;
  assert.equal(cr.detail, "«asks for a client certificate from 1 CA»");
  assert.ok(asked.every((a) => !/\$\{/.test(a)));
  // No translator: the same words in English, placeholders filled.
  const en = buildDiagram(tls13MutualRejected);
  assert.ok(en.rows.every((r) => r.kind !== "note" || !/[«»{}]/.test(r.text)));
  assert.equal(en.rows.find((r): r is DiagramArrow => r.kind === "message" && r.type === "CertificateRequest")!.detail, "asks for a client certificate from 1 CA");
});

test("diagram: TLS completed but the chain failed — the closing note says TLS completed, not 'Handshake failed'", () => {
  const untrusted = base([...tls12OneWay.messages, m("server", "Alert", { level: "warning", description: "close_notify" })], {
    protocol: "TLSv1.2",
    cipher: "ECDHE-RSA-AES128-GCM-SHA256",
    outcome: "failure",
    diagnosis: { category: "untrusted_root", summary: "The server's chain ends at a root that is not trusted.", fix: "Trust the root." },
  });
  const notes = buildDiagram(untrusted).rows.filter((r) => r.kind === "note");
  const last = notes[notes.length - 1];
  assert.ok(last.kind === "note" && last.tone === "error");
  assert.equal(last.kind === "note" && last.text, "The TLS handshake completed (TLSv1.2, ECDHE-RSA-AES128-GCM-SHA256); the test failed after it: see the diagnosis.");
  assert.ok(!notes.some((n) => n.kind === "note" && /Handshake failed/.test(n.text)));
  // A fatal alert after both Finished still reads as the alert it was.
  const rejected = buildDiagram(tls13MutualRejected).rows.filter((r) => r.kind === "note");
  assert.match(rejected[rejected.length - 1].kind === "note" ? rejected[rejected.length - 1].text as string : "", /^Handshake failed\. The server sent a fatal alert: certificate_required\.$/);
});
