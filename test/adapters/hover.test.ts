import { test } from "node:test";
import assert from "node:assert/strict";
import { hoverMarkdown, md } from "../../src/adapters/hover/markdown";
import { defaultT } from "../../src/adapters/documents/describe";
import type { DocEntry } from "../../src/core/doc/types";
import type { CertificateModel } from "../../src/shared/model";
import { analysed } from "./surfaces";

const ctx = (now: Date) => ({ uri: "file:///w/bundle.pem", now, expiryWarningDays: 30, t: defaultT });

/** Command links in a hover: [command, decoded args]. */
function links(markdown: string): [string, unknown][] {
  return [...markdown.matchAll(/\]\(command:([A-Za-z.]+)\?([^)]*)\)/g)].map((m) => [m[1], JSON.parse(decodeURIComponent(m[2]))]);
}

test("hover: what each kind of block shows", async () => {
  const a = await analysed();
  const h = (name: string) => hoverMarkdown(a.by(name), ctx(a.f.now));
  const rows: { name: string; has: RegExp[]; hasNot?: RegExp[] }[] = [
    {
      name: "good.example",
      has: [/^\*\*Certificate CN\\=good\\\.example\*\*/, /\$\(pass\) \*\*Expires in (99|100) days\*\*/, /\| Subject \| .*CN\\=good\\\.example \|/, /\| SANs \| DNS\\:good\\\.example, IP\\:127\\\.0\\\.0\\\.1 \|/, /\| Key \| EC P\\-256 \|/, /\| SHA-256 \| `([0-9A-F]{2}:){31}[0-9A-F]{2}` \|/, /\(expires in (99|100) days\)/, /Open in Certificate Viewer/, /Validate Chain/],
    },
    { name: "old.example", has: [/\$\(error\) \*\*Expired 10 days ago\*\*/, /\(expired 10 days ago\)/] },
    { name: "soon.example", has: [/\$\(warning\) \*\*Expires in [45] days\*\*/] },
    { name: "future.example", has: [/\$\(clock\) \*\*Not valid for another 3 days\*\*/] },
    { name: "weak.example", has: [/Weak signature algorithm sha1WithRSAEncryption\\; weak key\\: RSA 1024 bits/, /\| Key \| RSA 1024 \|/] },
    { name: "req.example", has: [/^\*\*CSR CN\\=req\\\.example\*\*/, /\| Signature \| ecdsa\\-with\\-SHA256 \(valid\) \|/, /Key SHA-256/], hasNot: [/Validate Chain/] },
    { name: "privateKey", has: [/^\*\*Private key \\\(EC P\\-256\\\)\*\*/, /\| Encrypted \| no \|/, /Public key SHA-256/], hasNot: [/Validate Chain/] },
    { name: "crl", has: [/^\*\*CRL CN\\=good\\\.example\*\*/, /\| Revoked \| 1 \|/, /\| Next update \| .* \(next update in [67] days\) \|/] },
    { name: "CERTIFICATE", has: [/^\*\*Malformed CERTIFICATE block\*\*/, /\$\(error\) /], hasNot: [/command:/] },
  ];
  for (const row of rows) {
    const text = h(row.name);
    for (const r of row.has) assert.match(text, r, `${row.name}\n${text}`);
    for (const r of row.hasNot ?? []) assert.doesNotMatch(text, r, row.name);
  }
  // Links carry the block reference the command handlers expect.
  const good = a.by("good.example");
  assert.deepEqual(links(h("good.example")), [
    ["certscope.openViewer", [{ uri: "file:///w/bundle.pem", line: good.block.line, index: good.block.index }]],
    ["certscope.validateChain", [{ uri: "file:///w/bundle.pem", line: good.block.line, index: good.block.index }]],
  ]);
  // The private key's hover never shows key material.
  const keyB64 = a.f.key.split("\n").filter((l) => l && !l.startsWith("-----"));
  for (const l of keyB64) assert.ok(!h("privateKey").includes(l.slice(0, 24)));
});

test("hover: a base64-wrapped block says where it comes from", async () => {
  const a = await analysed((f) => `data:\n  tls.crt: ${Buffer.from(f.good).toString("base64")}\n`);
  assert.match(hoverMarkdown(a.entries[0], ctx(a.f.now)), /Decoded from the base64 value in this file/);
});

test("hover: certificate text is escaped, never Markdown, HTML or links", async () => {
  const a = await analysed();
  const base = a.by("good.example");
  const evil = "[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> *bold* `code` $(alert) https://evil.example\n# heading";
  const cert = base.object as CertificateModel;
  const forged: DocEntry = {
    ...base,
    object: {
      ...cert,
      subject: { text: `CN=${evil}`, attributes: [{ type: "CN", oid: "2.5.4.3", value: evil }] },
      subjectAltNames: [{ type: "dns", value: evil }],
      signatureAlgorithm: evil,
    },
  };
  const text = hoverMarkdown(forged, ctx(a.f.now));
  assert.deepEqual(
    links(text).map(([c]) => c),
    ["certscope.openViewer", "certscope.validateChain"],
    "only our own command links",
  );
  assert.doesNotMatch(text, /[^\\]<img/);
  assert.doesNotMatch(text, /[^\\]\[click/);
  assert.doesNotMatch(text, /https:\/\//);
  assert.doesNotMatch(text, /\n# heading/);
  assert.equal(md("[a](b) <i>"), "\\[a\\]\\(b\\) \\<i\\>");
  // Control characters are shown escaped (src/shared/safeText.ts), and that backslash is Markdown-escaped.
  assert.equal(md("line\nbreak\u2028x\x1b"), "line\\\\x0abreak\\\\u2028x\\\\x1b");
  assert.equal(md("x".repeat(500)).length, 300);
});
