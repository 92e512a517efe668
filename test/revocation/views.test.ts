// What the editor shows for OCSP files and for a certificate's SCTs: the viewer state and the tree nodes
// (pure view models, no VS Code), from an `openssl ocsp` answer and a CT log list entry.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspectBytes } from "../../src/core/pki";
import { buildViewerState } from "../../src/adapters/editor/viewModel";
import { fileNodes, type TreeNodeData } from "../../src/adapters/tree/model";
import { sctText } from "../../src/adapters/tree/ocspFormat";
import type { CertificateModel } from "../../src/shared/model";
import { makeOcspLab, type OcspLab } from "./kit";
import { closedPort } from "../tls/helpers";

let lab: OcspLab;
before(async () => {
  lab = await makeOcspLab({ deadPort: await closedPort() });
});
after(async () => {
  await lab?.close();
});

const NOW = new Date();

describe("the editor's views of OCSP files and SCTs", () => {
  it("viewer: an OCSP response reads as its answer, with a revoked badge", async () => {
    const result = await inspectBytes(lab.respond("revoked.pem"), { fileName: "revoked.ocsp" });
    const state = buildViewerState({ fileName: "revoked.ocsp", result, now: NOW, warnDays: 30, isText: false });
    assert.equal(state.status, "ready");
    const [o] = state.objects;
    assert.equal(o.kind, "ocspResponse");
    assert.equal(o.title, "OCSP response: revoked");
    assert.equal(o.subtitle, "from CN=OCSP Lab Responder");
    assert.deepEqual(o.badges, [{ text: "revoked", tone: "error" }]);
    const rows = o.sections[0].rows.map((r) => `${r.label}: ${r.value}`);
    assert.ok(rows.some((r) => /^Status: serial [0-9a-f]+: revoked .* \(keyCompromise\)$/.test(r)), rows.join("\n"));
    assert.ok(rows.includes("Responder certificate: CN=OCSP Lab Responder"), rows.join("\n"));
  });

  it("tree: the OCSP response node and its facts", async () => {
    const result = await inspectBytes(lab.respond("good.pem"), { fileName: "good.ocsp" });
    const nodes = fileNodes(result, { now: NOW, warnDays: 30, uri: "file:///w/good.ocsp", keyRefs: () => [] });
    const node = nodes.find((n) => n.label === "OCSP response: good") as TreeNodeData;
    assert.ok(node, nodes.map((n) => n.label).join(", "));
    assert.equal(node.description, "CN=OCSP Lab Responder");
    const kids = (typeof node.children === "function" ? node.children() : node.children) as TreeNodeData[];
    assert.ok(kids.some((k) => k.label === "Signature" && /valid/.test(String(k.description))));
  });

  it("a certificate's SCT line names the logs and says what verified", () => {
    const c = {
      extensions: [
        {
          oid: "1.3.6.1.4.1.11129.2.4.2",
          name: "ctPrecertificateScts",
          critical: false,
          value: {
            count: 2,
            scts: [
              { version: 1, logId: "DleUvPOuqT4zG5kHs/eQ3fnCPXEyJd0hqSWsYcVOIQ=", log: "Google Argon2026h1", timestamp: "2026-01-01T00:00:00Z", hashAlgorithm: "sha256", signatureAlgorithm: "ecdsa", verified: true },
              { version: 1, logId: "abcdefghijklmnop", timestamp: "2026-01-01T00:00:00Z", hashAlgorithm: "sha256", signatureAlgorithm: "ecdsa" },
            ],
          },
        },
      ],
    } as unknown as CertificateModel;
    assert.equal(sctText(c), "2 SCTs from Google Argon2026h1, an unknown log (abcdefgh…) (1 verified)");
  });
});
