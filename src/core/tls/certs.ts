/**
 * The TLS engine's view of certificates: one small bridge onto src/core/pki (decodeCertificate, formatName),
 * so the handshake code names subjects and CAs exactly as `certscope inspect` does.
 */
import { X509Certificate, createHash } from "node:crypto";
import { decodeCertificate, formatName } from "../pki";
import type { CertificateModel } from "../../shared/model";

/** Decoded once per DER buffer: the message list, the server chain and the diagnosis share the models. */
const cache = new WeakMap<Uint8Array, CertificateModel>();

/** Certificate model of a DER certificate (full; `summary` is accepted for callers that need less). A minimal model when the pki decoder fails. */
export function certificateModel(der: Uint8Array, _summary = false): CertificateModel {
  const hit = cache.get(der);
  if (hit) return hit;
  let m: CertificateModel;
  try {
    m = decodeCertificate(der);
  } catch {
    // Node's parser, so a certificate pki cannot read is still shown
    m = nodeModel(der);
  }
  cache.set(der, m);
  return m;
}

/** RFC 4514 text of a DER-encoded Name (as in CertificateRequest's certificate_authorities). */
export function nameText(nameDer: Uint8Array): string {
  try {
    return formatName(nameDer).text;
  } catch {
    // fall through to the minimal reader
  }
  return fallbackNameText(nameDer);
}

function nodeModel(der: Uint8Array): CertificateModel {
  const sha256 = createHash("sha256").update(der).digest("hex");
  const sha1 = createHash("sha1").update(der).digest("hex");
  try {
    const x = new X509Certificate(der);
    const subject = nodeDn(x.subject);
    const issuer = nodeDn(x.issuer);
    const key = x.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    const alg = (key.asymmetricKeyType ?? "unknown").toUpperCase().replace("ED25519", "Ed25519").replace("ED448", "Ed448");
    return {
      kind: "certificate",
      subject: { text: subject, attributes: [] },
      issuer: { text: issuer, attributes: [] },
      serialNumber: x.serialNumber.toLowerCase().replace(/^(00)+(?=.)/, ""),
      notBefore: new Date(x.validFrom).toISOString().replace(".000Z", "Z"),
      notAfter: new Date(x.validTo).toISOString().replace(".000Z", "Z"),
      fingerprints: { sha1, sha256 },
      publicKey: { algorithm: alg, bits: details.modulusLength, curve: details.namedCurve },
      isCA: x.ca,
      selfSigned: x.checkIssued(x) && safeVerify(x),
      subjectAltNames: (x.subjectAltName ?? "")
        .split(", ")
        .filter(Boolean)
        .map((s) => {
          const [t, ...v] = s.split(":");
          return { type: t === "IP Address" ? "ip" : t === "DNS" ? "dns" : t === "email" ? "email" : "uri", value: v.join(":") } as const;
        }),
    };
  } catch {
    return {
      kind: "certificate",
      subject: { text: "(unreadable certificate)", attributes: [] },
      issuer: { text: "", attributes: [] },
      serialNumber: "",
      notBefore: "",
      notAfter: "",
      fingerprints: { sha1, sha256 },
      publicKey: { algorithm: "unknown" },
      isCA: false,
      selfSigned: false,
      subjectAltNames: [],
    };
  }
}

function safeVerify(x: X509Certificate): boolean {
  try {
    return x.verify(x.publicKey);
  } catch {
    return false;
  }
}

/** Node prints "C=US\nO=Lab\nCN=x" (encoding order); RFC 4514 wants most specific first, comma-separated. */
function nodeDn(s: string): string {
  return s
    .split("\n")
    .filter(Boolean)
    .reverse()
    .map((p) => p.replace(/,/g, "\\,"))
    .join(",");
}

/** Minimal DER Name → RFC 4514 text for the fallback path (attribute types by short name or OID). */
function fallbackNameText(der: Uint8Array): string {
  const short: Record<string, string> = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "0.9.2342.19200300.100.1.25": "DC",
    "1.2.840.113549.1.9.1": "emailAddress",
  };
  const rdns: string[] = [];
  let p = 0;
  const readLen = (): number => {
    let n = der[p++];
    if (n & 0x80) {
      const k = n & 0x7f;
      n = 0;
      for (let i = 0; i < k; i++) n = n * 256 + der[p++];
    }
    return n;
  };
  if (der[p++] !== 0x30) return "(not a name)";
  const end = readLen() + p;
  while (p < end) {
    if (der[p++] !== 0x31) break;
    const setEnd = readLen() + p;
    const parts: string[] = [];
    while (p < setEnd) {
      p++; // SEQUENCE
      readLen();
      p++; // OID tag
      const oidLen = readLen();
      const oidBytes = der.subarray(p, p + oidLen);
      p += oidLen;
      const arcs: number[] = [Math.floor(oidBytes[0] / 40), oidBytes[0] % 40];
      let v = 0;
      for (let i = 1; i < oidBytes.length; i++) {
        v = v * 128 + (oidBytes[i] & 0x7f);
        if (!(oidBytes[i] & 0x80)) {
          arcs.push(v);
          v = 0;
        }
      }
      const oid = arcs.join(".");
      p++; // string tag
      const valLen = readLen();
      const value = Buffer.from(der.subarray(p, p + valLen)).toString("utf8");
      p += valLen;
      parts.push(`${short[oid] ?? oid}=${value.replace(/([,+"\\<>;])/g, "\\$1")}`);
    }
    rdns.push(parts.join("+"));
    p = setEnd;
  }
  return rdns.reverse().join(",");
}
