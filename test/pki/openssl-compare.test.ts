/**
 * Agreement with openssl for EVERY certificate of the system CA bundle: subject, issuer (RFC 2253 text),
 * serial, validity, SHA-256 fingerprint, SANs, key type/size/curve, signature algorithm and CA flag.
 * openssl runs once per certificate inside one shell loop (≈ 2–3 s for ~150 certificates). openssl prints
 * a SAN directoryName in its "/A=x/B=y" one-line form: the test turns it into RFC 4514 order to compare.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { Lab } from "./helpers";
import { certificatesFromBytes, decodeCertificate } from "../../src/core/pki";

const BUNDLE = process.env.CERTSCOPE_CA_BUNDLE ?? "/etc/ssl/certs/ca-certificates.crt";

/** openssl's RFC 2253 output escapes UTF-8 bytes as \XX: turn those back into text. */
function unescapeOpenssl(s: string): string {
  return s.replace(/(?:\\[0-9A-F]{2})+/g, (m) => {
    const bytes = Buffer.from(m.replace(/\\/g, ""), "hex");
    const txt = bytes.toString("utf8");
    // Re-escape what RFC 4514 requires escaped, as our formatter does.
    return txt;
  });
}

const CURVE_NAMES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

function parseOpenssl(out: string) {
  const get = (re: RegExp) => re.exec(out)?.[1];
  const keyAlg = get(/Public Key Algorithm: (\S+)/);
  const sanLine = /X509v3 Subject Alternative Name:.*\n\s+(.*)/.exec(out)?.[1];
  const curveOid = get(/ASN1 OID: (\S+)/);
  return {
    subject: unescapeOpenssl(get(/^subject=(.*)$/m) ?? ""),
    issuer: unescapeOpenssl(get(/^issuer=(.*)$/m) ?? ""),
    serial: (get(/^serial=(\S+)/m) ?? "").toLowerCase(),
    notBefore: new Date(get(/^notBefore=(.*)$/m) ?? "").toISOString().replace(".000Z", "Z"),
    notAfter: new Date(get(/^notAfter=(.*)$/m) ?? "").toISOString().replace(".000Z", "Z"),
    sha256: (get(/^sha256 Fingerprint=(\S+)/im) ?? "").replace(/:/g, "").toLowerCase(),
    keyAlgorithm: keyAlg === "rsaEncryption" ? "RSA" : keyAlg === "id-ecPublicKey" ? "EC" : keyAlg,
    bits: Number(get(/Public-Key: \((\d+) bit\)/)),
    curve: curveOid ? CURVE_NAMES[curveOid] ?? curveOid : undefined,
    signatureAlgorithm: get(/Signature Algorithm: (\S+)/),
    isCA: /CA:TRUE/.test(out),
    sans: sanLine
      ? sanLine.split(", ").map((s) => s.replace(/^IP Address:/, "ip:").replace(/^DNS:/, "dns:").replace(/^email:/, "email:").replace(/^URI:/, "uri:").replace(/^DirName:(.*)$/, (_m, dn: string) => `dirName:${dn.split("/").filter(Boolean).reverse().join(",")}`))
      : [],
  };
}

test("agrees with openssl on every certificate of the system bundle", { skip: !existsSync(BUNDLE) && `${BUNDLE} not found` }, () => {
  const { certs, errors } = certificatesFromBytes(readFileSync(BUNDLE));
  assert.deepEqual(errors, []);
  assert.ok(certs.length > 20, `only ${certs.length} certificates in ${BUNDLE}`);
  const lab = new Lab("bundle");
  try {
    certs.forEach((der, i) => lab.write(`c${String(i).padStart(4, "0")}.der`, der));
    const script =
      'for f in c*.der; do echo "=== $f"; openssl x509 -inform DER -in "$f" -noout -subject -issuer -serial -startdate -enddate ' +
      "-fingerprint -sha256 -nameopt RFC2253 -text -certopt no_sigdump,no_header,no_version,no_aux; done";
    const r = spawnSync("bash", ["-c", script], { cwd: lab.dir, encoding: "utf8", maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const sections = r.stdout.split(/^=== /m).slice(1);
    assert.equal(sections.length, certs.length);
    let compared = 0;
    const mismatches: string[] = [];
    for (const section of sections) {
      const name = section.slice(0, section.indexOf("\n"));
      const idx = Number(name.slice(1, 5));
      const want = parseOpenssl(section);
      const c = decodeCertificate(certs[idx]);
      const got = {
        subject: c.subject.text,
        issuer: c.issuer.text,
        serial: c.serialNumber,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        sha256: c.fingerprints.sha256,
        keyAlgorithm: c.publicKey.algorithm,
        bits: c.publicKey.bits,
        curve: c.publicKey.curve,
        signatureAlgorithm: c.signatureAlgorithm,
        isCA: c.isCA,
        sans: c.subjectAltNames.map((g) => {
          // openssl prints IPv6 SANs uncompressed and upper-case: compare in that form.
          if (g.type === "ip" && g.value.includes(":")) return `ip:${expandIpv6(g.value)}`;
          return `${g.type}:${g.value}`;
        }),
      };
      for (const k of Object.keys(want) as (keyof typeof want)[]) {
        if (JSON.stringify(want[k]) !== JSON.stringify(got[k])) mismatches.push(`${name} ${c.subject.text}: ${k}: openssl ${JSON.stringify(want[k])} vs ours ${JSON.stringify(got[k])}`);
      }
      compared++;
    }
    assert.deepEqual(mismatches, []);
    assert.equal(compared, certs.length);
  } finally {
    lab.cleanup();
  }
});

function expandIpv6(s: string): string {
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.map((g) => parseInt(g, 16).toString(16).toUpperCase()).join(":");
}
