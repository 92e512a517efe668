/**
 * The authentication messages (RFC 8446 §4.3.2, §4.4.2; RFC 5246 §7.4.2, §7.4.4; RFC 6066 §8): Certificate with
 * its TLS 1.3 entry extensions, CertificateStatus, CertificateRequest. They keep the certificates, the OCSP staple,
 * the SCTs and what the server asks of a client certificate in the context.
 */
import { Reader } from "./reader";
import { CERTIFICATE_TYPES, extensionName, signatureSchemeName } from "./names";
import { certificateModel } from "./certs";
import { caNames, readExtensions, readVec2, sctCount, u16List } from "./messageFields";
import type { HandshakeContext } from "./messages";

export function certificate(r: Reader, from: "client" | "server", ctx: HandshakeContext): Record<string, unknown> {
  const is13 = ctx.version === 0x0304;
  if (is13) r.vecBytes(1); // certificate_request_context
  const list = r.vec(3);
  const ders: Uint8Array[] = [];
  const leafExtras: Record<string, unknown> = {};
  while (list.remaining > 0) {
    ders.push(list.vecBytes(3));
    if (is13) {
      // per-certificate extensions: the leaf's may carry the OCSP staple (status_request) and SCTs (RFC 8446 §4.4.2.1)
      const exts = list.vecBytes(2);
      if (ders.length === 1 && from === "server") Object.assign(leafExtras, certificateEntryExtensions(exts, ctx));
    }
  }
  if (from === "server") ctx.serverCertificates = ders;
  else ctx.clientCertificates = ders;
  if (ctx.light) return { empty: ders.length === 0, count: ders.length };
  const certificates = ders.map((der) => {
    const m = certificateModel(der, true);
    return {
      subject: m.subject.text,
      issuer: m.issuer.text,
      notBefore: m.notBefore,
      notAfter: m.notAfter,
      isCA: m.isCA,
      selfSigned: m.selfSigned,
      sha256: m.fingerprints.sha256,
      length: der.length,
    };
  });
  return { empty: ders.length === 0, count: ders.length, certificates, ...leafExtras };
}

/** RFC 6066 §8 CertificateStatus: status_type ocsp(1), then the DER OCSPResponse. */
export function certificateStatus(r: Reader, from: "client" | "server", ctx: HandshakeContext): Record<string, unknown> {
  const type = r.u8();
  if (type !== 1) return { statusType: type };
  const resp = r.vecBytes(3);
  if (from === "server") ctx.ocspStaple = resp;
  return { statusType: "ocsp", ocspResponseLength: resp.length };
}

/** The leaf's Certificate entry extensions in TLS 1.3: status_request (5) and signed_certificate_timestamp (18). */
function certificateEntryExtensions(data: Uint8Array, ctx: HandshakeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(data);
  try {
    while (r.remaining > 0) {
      const type = r.u16();
      const body = r.vecBytes(2);
      if (type === 5) out.ocspStaple = certificateStatus(new Reader(body), "server", ctx);
      else if (type === 18) {
        ctx.tlsScts = body;
        out.scts = sctCount(body);
      }
    }
  } catch {
    out.extensionsMalformed = true;
  }
  return out;
}

export function certificateRequest(r: Reader, ctx: HandshakeContext): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  let issuers: string[] = [];
  let sigalgs: string[] = [];
  if (ctx.version === 0x0304) {
    r.vecBytes(1); // context
    const exts = readExtensions(r);
    for (const e of exts) {
      try {
        if (e.type === 13) sigalgs = u16List(e.data, 2).map(signatureSchemeName);
        else if (e.type === 47) issuers = caNames(new Reader(e.data).vec(2));
      } catch {
        // skip
      }
    }
    detail.extensions = exts.map((e) => extensionName(e.type));
  } else {
    const types = Array.from(r.vecBytes(1)).map((t) => CERTIFICATE_TYPES[t] ?? String(t));
    detail.certificateTypes = types;
    if (ctx.version !== undefined && ctx.version >= 0x0303) sigalgs = u16List(readVec2(r), 2).map(signatureSchemeName);
    issuers = caNames(r.vec(2));
  }
  detail.signatureAlgorithms = sigalgs;
  detail.acceptableIssuers = issuers;
  ctx.certificateRequest = { acceptableIssuers: issuers, signatureAlgorithms: sigalgs, certificateTypes: detail.certificateTypes as string[] | undefined };
  return detail;
}
