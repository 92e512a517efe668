// The lab end to end without the UI: the kit, the local test server in each mode, the real handshake engine,
// and the diagram view-model over its real results — what the panel shows after "Run".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTestKit, startTestServer, type RunningTestServer, type TestServerMode } from "../../src/core/lab";
import { runHandshake } from "../../src/core/tls";
import { buildDiagram, type DiagramArrow } from "../../src/shared/handshakeView";

const dir = mkdtempSync(join(tmpdir(), "certscope-labhs-"));
const servers: Partial<Record<TestServerMode, RunningTestServer>> = {};
before(async () => {
  await writeTestKit(dir);
  for (const mode of ["one-way", "optional", "required"] as const) servers[mode] = await startTestServer({ mode, kitDir: dir });
});
after(async () => {
  await Promise.all(Object.values(servers).map((s) => s?.close()));
  rmSync(dir, { recursive: true, force: true });
});
const read = (n: string) => new Uint8Array(readFileSync(join(dir, n)));

const rows: { mode: TestServerMode; client: boolean; tlsMax?: "1.2" | "1.3"; outcome: "success" | "failure"; category?: string; diagramMode: string; mutualTypes: string[] }[] = [
  { mode: "one-way", client: false, outcome: "success", diagramMode: "one-way", mutualTypes: [] },
  { mode: "optional", client: false, outcome: "success", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate"] },
  { mode: "optional", client: true, outcome: "success", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate", "client:CertificateVerify"] },
  { mode: "required", client: false, outcome: "failure", category: "client_cert_required", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate"] },
  { mode: "required", client: false, tlsMax: "1.2", outcome: "failure", category: "client_cert_required", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate"] },
  { mode: "required", client: true, outcome: "success", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate", "client:CertificateVerify"] },
  { mode: "required", client: true, tlsMax: "1.2", outcome: "success", diagramMode: "two-way", mutualTypes: ["server:CertificateRequest", "client:Certificate", "client:CertificateVerify"] },
];

for (const r of rows) {
  test(`lab ${r.mode} server, ${r.client ? "with" : "without"} the kit's client certificate${r.tlsMax ? `, TLS ≤ ${r.tlsMax}` : ""}`, async () => {
    const s = servers[r.mode]!;
    const keylog: string[] = [];
    const result = await runHandshake({
      host: s.host,
      port: s.port,
      servername: "localhost",
      ca: [read("ca.crt")],
      useSystemRoots: false,
      tlsMax: r.tlsMax,
      timeoutMs: 5000,
      credentials: r.client ? { kind: "pem", cert: read("client.crt"), key: read("client.key") } : undefined,
      keylog: (l) => keylog.push(l),
    });
    assert.equal(result.outcome, r.outcome, JSON.stringify(result.diagnosis));
    if (r.category) assert.equal(result.diagnosis?.category, r.category);
    assert.ok(result.validation?.valid, "the kit's server chain validates against the kit's CA");
    assert.ok(keylog.length > 0, "a key log was recorded");
    const d = buildDiagram(result);
    assert.equal(d.mode, r.diagramMode);
    const arrows = d.rows.filter((x): x is DiagramArrow => x.kind === "message");
    assert.equal(arrows.length, result.messages.length);
    assert.deepEqual(
      arrows.filter((a) => a.mutual).map((a) => `${a.from}:${a.type}`),
      r.mutualTypes,
    );
    if (r.outcome === "failure") assert.ok(arrows.some((a) => a.alert && a.from === "server"), "the server's alert is drawn");
    if (r.tlsMax !== "1.2") assert.ok(arrows.some((a) => a.encrypted && a.type === "Certificate"), "TLS 1.3: the server Certificate was decrypted");
    if (r.client && r.mode !== "one-way") assert.equal(result.clientCertificate.subject?.includes("CertScope Lab Client"), true);
    if (r.mode !== "one-way") assert.deepEqual(result.clientCertificate.acceptableIssuers, ["CN=CertScope Lab CA,O=CertScope Lab"]);
  });
}
