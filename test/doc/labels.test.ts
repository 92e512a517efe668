/**
 * The PEM labels OpenSSL and OpenSSH write, as they appear in real files, through the whole analysis: what
 * each becomes, and that none is reported as malformed when it is fine. Made with the openssl CLI in a temp dir.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeText } from "../../src/core/doc/analyze";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import { entryTitle, defaultT } from "../../src/adapters/documents/describe";
import { hoverMarkdown } from "../../src/adapters/hover/markdown";
import { documentSymbols } from "../../src/adapters/symbols/map";
import { documentDiagnostics } from "../../src/adapters/diagnostics/map";

test("OpenSSL/OpenSSH labels: EC PARAMETERS + EC PRIVATE KEY, TRUSTED CERTIFICATE, PKCS7, legacy and PKCS#8 encrypted keys", async () => {
  const dir = mkdtempSync(join(tmpdir(), "certscope-labels-"));
  try {
    const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    ossl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    ossl("req", "-x509", "-key", "ec.pem", "-subj", "/CN=labels.example", "-days", "2", "-out", "c.pem");
    ossl("x509", "-in", "c.pem", "-trustout", "-addtrust", "serverAuth", "-out", "trusted.pem");
    ossl("crl2pkcs7", "-nocrl", "-certfile", "c.pem", "-out", "p7.pem");
    ossl("genrsa", "-aes128", "-passout", "pass:x", "-traditional", "-out", "legacy.pem", "2048");
    ossl("pkcs8", "-topk8", "-in", "ec.pem", "-passout", "pass:x", "-out", "enc8.pem");
    ossl("pkey", "-in", "ec.pem", "-pubout", "-out", "pub.pem");
    const pgp = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: not PKI\n\nmQINBF2bsAMBEAC=\n=Xq7T\n-----END PGP PUBLIC KEY BLOCK-----\n";
    // An OpenSSH key's base64 (its bytes never matter here: CertScope does not decode them).
    const ssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gt\n-----END OPENSSH PRIVATE KEY-----\n";
    const text = ["ec.pem", "trusted.pem", "p7.pem", "legacy.pem", "enc8.pem", "pub.pem"].map((f) => readFileSync(join(dir, f), "utf8")).join("\n") + pgp + ssh;
    const entries = await analyzeText(text, { summary: false, now: new Date(), expiryWarningDays: 30 }, { decodeCertificate, inspectBytes });
    const got = entries.map((e) => [e.block.label, e.object?.kind ?? "-", e.error ? "error" : "ok", entryTitle(e, defaultT)]);
    assert.deepEqual(
      got.map(([label, kind, ok]) => [label, kind, ok]),
      [
        ["EC PARAMETERS", "-", "ok"],
        ["EC PRIVATE KEY", "privateKey", "ok"],
        ["TRUSTED CERTIFICATE", "certificate", "ok"],
        ["PKCS7", "pkcs7", "ok"],
        ["RSA PRIVATE KEY", "privateKey", "ok"],
        ["ENCRYPTED PRIVATE KEY", "privateKey", "ok"],
        ["PUBLIC KEY", "publicKey", "ok"],
        ["PGP PUBLIC KEY BLOCK", "-", "ok"],
        ["OPENSSH PRIVATE KEY", "-", "ok"],
      ],
      JSON.stringify(got),
    );
    assert.equal(got[1][3], "Private key (EC P-256)");
    assert.equal(got[2][3], "Certificate CN=labels.example");
    assert.match(got[4][3], /Encrypted private key|Private key/);
    assert.equal(got[6][3], "Public key (EC P-256)");
    assert.match(entries[8].unsupported ?? "", /OPENSSH PRIVATE KEY/, "unsupported, not malformed");
    // A PKCS#7 lists its certificates in the hover and as Outline children.
    const now = new Date();
    assert.match(hoverMarkdown(entries[3], { uri: "file:///x", now, expiryWarningDays: 30, t: defaultT }), /\| 1 \| CN\\=labels\\\.example — expires in [12] days? \|/);
    assert.deepEqual(documentSymbols([entries[3]], now, 30, defaultT)[0].children.map((c) => c.name), ["Certificate CN=labels.example"]);
    // Its certificate expires within the warning window: reported, named as item 1.
    const d = documentDiagnostics([entries[3]], { pemFile: true, embeddedBlocks: true, now, expiryWarningDays: 30 }, defaultT);
    assert.deepEqual(d.map((x) => x.code), ["expiring"]);
    assert.match(d[0].message, /^PKCS#7 item 1: Certificate CN=labels\.example expires in/);
    // Nothing is reported for the parameters, PGP and OpenSSH blocks.
    assert.deepEqual(documentDiagnostics([entries[0], entries[7], entries[8]], { pemFile: true, embeddedBlocks: true, now, expiryWarningDays: 30 }, defaultT), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
