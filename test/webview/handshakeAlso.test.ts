// The Markdown export says everything the run found, like the panel's banner: the primary diagnosis, then each
// secondary problem (diagnosis.also) with its own fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resultToMarkdown } from "../../src/shared/handshakeView";
import type { HandshakeResult } from "../../src/shared/model";

const result: HandshakeResult = {
  target: { host: "127.0.0.1", port: 8443, servername: "localhost" },
  outcome: "failure",
  diagnosis: {
    category: "client_cert_required",
    summary: "The server requires a client certificate and none was sent.",
    fix: "Run again with --cert/--key.",
    also: [{ category: "untrusted_root", summary: "The server's chain ends at the root 'CN=Lab Root', which is not trusted.", fix: "Pass its certificate with --ca FILE." }],
  },
  protocol: "TLSv1.3",
  messages: [],
  clientCertificate: { requested: true, required: true, acceptableIssuers: [], sent: false },
  serverChain: [],
  validation: null,
};

test("Markdown export: the primary diagnosis, then each 'Also' problem with its fix", () => {
  const md = resultToMarkdown(result);
  const primary = md.indexOf("**Diagnosis (`client_cert_required`):**");
  const also = md.indexOf("**Also (`untrusted_root`):** The server's chain ends at the root 'CN=Lab Root'");
  assert.ok(primary >= 0 && also > primary, md);
  assert.match(md.slice(also), /\*\*Fix:\*\* Pass its certificate with --ca FILE\./);
});
