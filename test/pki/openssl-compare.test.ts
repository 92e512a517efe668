/**
 * Agreement with openssl for EVERY certificate of the system CA bundle: subject, issuer (RFC 2253 text),
 * serial, validity, SHA-256 fingerprint, SANs, key type/size/curve, signature algorithm and CA flag.
 * openssl runs once per certificate inside one shell loop (≈ 2–3 s for ~150 certificates). openssl prints
 * a SAN directoryName in its "/A=x/B=y" one-line form: the test turns it into RFC 4514 order to compare.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { join, relative } from "node:path";
import { Lab } from "./helpers";
import { certificatesFromBytes, decodeCertificate } from "../../src/core/pki";
import { CLEAN, CRAFTED } from "./encodingCorpus";

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

// ───────────── issue 15: the crafted encoding corpus and the repository's certificate fixtures ─────────────

/** "Jan  1 00:00:00.5 2050 GMT" (openssl and Node's X509Certificate) → "2050-01-01T00:00:00.5Z", any year 0–9999. */
function opensslDate(s: string): string {
  const m = /^(\w{3})\s+(\d+) (\d\d):(\d\d):(\d\d)(\.\d+)? (\d+) GMT$/.exec(s.trim());
  if (!m) return `unparsed: ${s}`;
  const mon = "JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(m[1]) / 3 + 1;
  const p2 = (x: string | number) => String(x).padStart(2, "0");
  return `${m[7].padStart(4, "0")}-${p2(mon)}-${p2(m[2])}T${m[3]}:${m[4]}:${m[5]}${m[6] ?? ""}Z`;
}

interface Facts {
  loads: boolean;
  serial?: string;
  notBefore?: string;
  notAfter?: string;
  subject?: string;
  issuer?: string;
}

/** What `openssl x509 -text` says about each DER file (one shell loop for all). */
function opensslFacts(lab: Lab, names: string[]): Map<string, Facts & { text: string }> {
  const script = `for f in ${names.join(" ")}; do echo "=== $f"; openssl x509 -inform DER -in "$f" -noout -serial -startdate -enddate -subject -issuer -nameopt RFC2253 -text -certopt no_sigdump,no_pubkey 2>&1 || echo "REJECTED"; done`;
  const r = spawnSync("bash", ["-c", script], { cwd: lab.dir, encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, Facts & { text: string }>();
  for (const section of r.stdout.split(/^=== /m).slice(1)) {
    const name = section.slice(0, section.indexOf("\n"));
    const get = (re: RegExp) => re.exec(section)?.[1];
    if (/REJECTED/.test(section)) out.set(name, { loads: false, text: section });
    else
      out.set(name, {
        loads: true,
        text: section,
        serial: get(/^serial=(\S+)/m)?.toLowerCase(),
        notBefore: opensslDate(get(/^notBefore=(.*)$/m) ?? ""),
        notAfter: opensslDate(get(/^notAfter=(.*)$/m) ?? ""),
        subject: get(/^subject=(.*)$/m)?.toLowerCase(),
        issuer: get(/^issuer=(.*)$/m)?.toLowerCase(),
      });
  }
  return out;
}

/** Node's X509Certificate (OpenSSL underneath, its own name and serial printing). */
function nodeFacts(der: Uint8Array): Facts {
  try {
    const c = new X509Certificate(der);
    return { loads: true, serial: c.serialNumber.toLowerCase(), notBefore: opensslDate(c.validFrom), notAfter: opensslDate(c.validTo) };
  } catch {
    return { loads: false };
  }
}

/** CertScope's answer in the same terms: the serial with its sign, the RFC 2253 text with non-ASCII escaped. */
function ourFacts(der: Uint8Array): Facts & { findings: string[] } {
  const c = decodeCertificate(der);
  const serial = c.serialNumberSigned ?? c.serialNumber;
  return {
    loads: true,
    serial,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    subject: (c.subject.textAscii ?? c.subject.text).toLowerCase(),
    issuer: (c.issuer.textAscii ?? c.issuer.text).toLowerCase(),
    findings: (c.findings ?? []).map((f) => f.code),
  };
}

/**
 * Where CertScope and OpenSSL differ on the crafted corpus, by design. Every entry must still happen (a
 * difference that went away is reported too, so this table stays true).
 */
const INTENDED: Record<string, { field: keyof Facts; reason: string }[]> = {
  "non-minimal INTEGER serial": [
    {
      field: "loads",
      reason:
        "OpenSSL refuses a non-minimal INTEGER (X.690 §8.3.2) and shows nothing; CertScope shows the certificate, the serial as its value (1234) and a non_minimal_integer finding, because people open such files to see what is wrong with them",
    },
  ],
  "invalid UTF-8 in a UTF8String": [
    {
      field: "loads",
      reason: "OpenSSL refuses a Name with invalid UTF-8; CertScope shows the value as #hex of its DER (RFC 4514 §2.4) with an invalid_string finding",
    },
  ],
};

test("differential: the crafted encoding corpus against openssl x509 -text and Node's X509Certificate, differences named", () => {
  const lab = new Lab("crafted");
  try {
    const cases = [...CRAFTED.map((c) => ({ name: c.name, der: c.der })), { name: "clean", der: CLEAN }];
    const files = cases.map((c, i) => lab.write(`k${String(i).padStart(2, "0")}.der`, c.der)).map((p) => p.slice(lab.dir.length + 1));
    const ssl = opensslFacts(lab, files);
    const problems: string[] = [];
    cases.forEach((c, i) => {
      const o = ssl.get(files[i])!;
      const n = nodeFacts(c.der);
      const ours = ourFacts(c.der);
      const intended = INTENDED[c.name] ?? [];
      const differing = new Set<string>();
      // Node's X509Certificate and the openssl CLI must agree with each other on whether it loads.
      if (n.loads !== o.loads) problems.push(`${c.name}: Node loads=${n.loads} but openssl loads=${o.loads}`);
      if (!o.loads) differing.add("loads");
      else {
        for (const k of ["serial", "notBefore", "notAfter", "subject", "issuer"] as const) {
          if (o[k] !== ours[k]) {
            differing.add(k);
            if (!intended.some((x) => x.field === k)) problems.push(`${c.name}: ${k}: openssl ${JSON.stringify(o[k])} vs CertScope ${JSON.stringify(ours[k])}`);
          }
        }
        for (const k of ["serial", "notBefore", "notAfter"] as const) if (n[k] !== ours[k]) problems.push(`${c.name}: ${k}: Node ${JSON.stringify(n[k])} vs CertScope ${JSON.stringify(ours[k])}`);
      }
      if (!o.loads && !intended.some((x) => x.field === "loads")) problems.push(`${c.name}: openssl refuses it (${o.text.split("\n")[1]}) and no reason is given`);
      for (const x of intended) if (!differing.has(x.field)) problems.push(`${c.name}: the intended difference in ${x.field} no longer happens`);
      // A certificate OpenSSL refuses is one CertScope must flag.
      if (!o.loads && ours.findings.length === 0) problems.push(`${c.name}: openssl refuses it but CertScope has no finding`);
    });
    assert.deepEqual(problems, []);
  } finally {
    lab.cleanup();
  }
});

/** DER certificates inside the repository's fixtures (recorded TLS transcripts, PEM and DER files). */
function fixtureCertificates(): { file: string; der: Uint8Array }[] {
  const root = join(__dirname, "../fixtures");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(root);
  const seen = new Map<string, { file: string; der: Uint8Array }>();
  for (const f of files) {
    const text = readFileSync(f, "latin1");
    const blobs = [readFileSync(f), ...[...text.matchAll(/"hex":\s*"([0-9a-f]+)"/g)].map((m) => Buffer.from(m[1], "hex"))];
    for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)) blobs.push(Buffer.from(m[1].replace(/\\n|\s/g, ""), "base64"));
    for (const b of blobs) {
      // A certificate starts 30 82 LL LL 30 82 (SEQUENCE { TBSCertificate … }); let OpenSSL say whether it is one.
      for (let i = 0; i + 8 < b.length; i++) {
        if (b[i] !== 0x30 || b[i + 1] !== 0x82 || b[i + 4] !== 0x30 || b[i + 5] !== 0x82) continue;
        const der = b.subarray(i, i + 4 + ((b[i + 2] << 8) | b[i + 3]));
        try {
          const fp = new X509Certificate(der).fingerprint256;
          if (!seen.has(fp)) seen.set(fp, { file: relative(root, f), der: new Uint8Array(der) });
        } catch {
          /* not a certificate */
        }
      }
    }
  }
  return [...seen.values()];
}

test("differential: every certificate fixture of the repository agrees with openssl and Node, with no findings", () => {
  const certs = fixtureCertificates();
  assert.ok(certs.length >= 3, `only ${certs.length} certificates found in test/fixtures`);
  const lab = new Lab("fixtures");
  try {
    const files = certs.map((c, i) => lab.write(`f${i}.der`, c.der)).map((p) => p.slice(lab.dir.length + 1));
    const ssl = opensslFacts(lab, files);
    const problems: string[] = [];
    certs.forEach((c, i) => {
      const o = ssl.get(files[i])!;
      const n = nodeFacts(c.der);
      const ours = ourFacts(c.der);
      for (const k of ["loads", "serial", "notBefore", "notAfter", "subject", "issuer"] as const) if (o[k] !== ours[k]) problems.push(`${c.file}: ${k}: openssl ${o[k]} vs CertScope ${ours[k]}`);
      for (const k of ["loads", "serial", "notBefore", "notAfter"] as const) if (n[k] !== ours[k]) problems.push(`${c.file}: ${k}: Node ${n[k]} vs CertScope ${ours[k]}`);
      if (ours.findings.length) problems.push(`${c.file}: findings ${ours.findings.join(", ")}`);
    });
    assert.deepEqual(problems, []);
  } finally {
    lab.cleanup();
  }
});
