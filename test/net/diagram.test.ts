// The sequence diagram and Markdown export around the TLS messages: the preamble before the ClientHello, the
// application exchange where it happened (before the closing alerts), a refusal marked as one.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildDiagram, resultToMarkdown } from "../../src/shared/handshakeView";
import type { HandshakeResult } from "../../src/shared/model";

const result = (): HandshakeResult => ({
  target: { host: "127.0.0.1", port: 5432, servername: "localhost" },
  outcome: "failure",
  diagnosis: { category: "client_cert_required", summary: "PostgreSQL refused: connection requires a valid client certificate.", fix: "Send one." },
  protocol: "TLSv1.3",
  messages: [
    { from: "client", type: "ClientHello", detail: {}, time: 10 },
    { from: "server", type: "ServerHello", detail: {}, time: 11 },
    { from: "client", type: "Finished", detail: {}, encrypted: true, time: 12.5 },
    { from: "server", type: "Alert", detail: { level: "warning", description: "close_notify" }, encrypted: true, time: 20 },
  ],
  clientCertificate: { requested: true, acceptableIssuers: [], sent: false },
  serverChain: [],
  validation: null,
  starttls: "postgres",
  proxy: "http://127.0.0.1:3128 (with credentials)",
  preamble: [
    { step: "proxy", from: "note", text: "TCP connected to 127.0.0.1:3128", time: 1 },
    { step: "proxy", from: "client", text: "CONNECT 127.0.0.1:5432 HTTP/1.1 (Proxy-Authorization: Basic ***)", time: 2 },
    { step: "proxy", from: "server", text: "HTTP/1.0 200 Connection established", time: 3 },
    { step: "starttls", from: "client", text: "SSLRequest", time: 4 },
    { step: "starttls", from: "server", text: "S (TLS accepted)", time: 5 },
  ],
  application: { protocol: "postgres", request: "StartupMessage user=certscope database=postgres", answer: "FATAL: connection requires a valid client certificate (SQLSTATE 28000)", sqlstate: "28000", refused: true, at: 12 },
});

describe("diagram around the TLS messages", () => {
  it("proxy and STARTTLS lines before the ClientHello, the application before the closing alert", () => {
    const d = buildDiagram(result());
    const seq = d.rows.map((r) => (r.kind === "message" ? r.type : r.kind === "plain" ? `${r.phase}:${r.from}` : `note:${r.tone}`));
    assert.deepEqual(seq, [
      "note:info",
      "proxy:client",
      "proxy:server",
      "note:info",
      "starttls:client",
      "starttls:server",
      "ClientHello",
      "ServerHello",
      "Finished",
      "note:encrypted",
      "app:client",
      "app:server",
      "note:error",
      "note:encrypted",
      "Alert",
      "note:ok",
    ]);
    const answer = d.rows.find((r) => r.kind === "plain" && r.phase === "app" && r.from === "server");
    assert.ok(answer && answer.kind === "plain" && answer.refused && answer.encrypted);
    assert.ok(d.rows.some((r) => r.kind === "note" && /PostgreSQL exchange before TLS: SSLRequest/.test(r.text)));
  });

  it("the Markdown export carries the connection, the preamble and the application exchange (no credentials)", () => {
    const md = resultToMarkdown(result());
    assert.match(md, /\*\*Connection:\*\* through the HTTP proxy http:\/\/127\.0\.0\.1:3128 \(with credentials\), then STARTTLS \(postgres\)/);
    assert.match(md, /## Before TLS \(plaintext\)\n\n```\nC: CONNECT 127\.0\.0\.1:5432 HTTP\/1\.1 \(Proxy-Authorization: Basic \*\*\*\)\nS: HTTP\/1\.0 200 Connection established\nC: SSLRequest\nS: S \(TLS accepted\)\n```/);
    assert.match(md, /## Application \(postgres, encrypted\)\n\n```\nC: StartupMessage user=certscope database=postgres\nS: FATAL: connection requires a valid client certificate \(SQLSTATE 28000\)\n```/);
  });
});
