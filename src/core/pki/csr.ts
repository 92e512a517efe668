/**
 * PKCS#10 certificate requests and X.509 CRLs.
 */
import type { CrlEntryModel, CrlModel, CsrModel, ExtensionModel, GeneralName } from "../../shared/model";
import { PKCS } from "./oids";
import { type Node, CLS_CONTEXT, bytesEqual, child, children, expect, intHex, intNum, isUniversal, oid, parse, raw, T, time } from "./der";
import { PkiError } from "./errors";
import { decodeExtension, decodeExtensions, duplicateExtensions } from "./extensions";
import { Findings, aTag, checkSerial, checkTimeType, checkTree } from "./findings";
import { nameFromNode } from "./name";
import { describeSignatureAlgorithm, signatureParametersText, signedParts, verifySigned } from "./signature";
import { digestHex, keyInfoFromSpkiNode } from "./spki";
import { t } from "../l10n";

function fingerprints(der: Uint8Array) {
  return { sha1: digestHex("sha1", der), sha256: digestHex("sha256", der) };
}

/** CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature } */
export function decodeCsr(der: Uint8Array, line?: number): CsrModel & { attributes?: string[] } {
  const top = parse(der, true);
  const outer = children(expect(top, T.SEQUENCE, "CertificationRequest"));
  if (outer.length !== 3) throw new PkiError("malformed", t("CertificationRequest: expected 3 elements, found {0}", outer.length));
  const info = children(expect(outer[0], T.SEQUENCE, "CertificationRequestInfo"));
  if (info.length < 3) throw new PkiError("malformed", t("CertificationRequestInfo: missing fields"));
  const f = new Findings();
  intNum(info[0], "version");
  const subject = nameFromNode(info[1], f, "certificationRequestInfo.subject");
  const spki = expect(info[2], T.SEQUENCE, "subjectPKInfo");
  const extensions: ExtensionModel[] = [];
  const attributes: string[] = [];
  const attrs = info[3];
  if (attrs && attrs.cls === CLS_CONTEXT && attrs.num === 0) {
    for (const a of children(attrs)) {
      const [typeNode, values] = children(expect(a, T.SEQUENCE, "Attribute"));
      const type = oid(typeNode);
      if (type === "1.2.840.113549.1.9.14" || type === "1.3.6.1.4.1.311.2.1.14") {
        for (const v of children(values)) extensions.push(...decodeExtensions(v, f, "certificationRequestInfo.extensionRequest"));
      } else attributes.push(PKCS[type] ?? type); // names only: a challengePassword's value is not shown
    }
  }
  let subjectAltNames: GeneralName[] = [];
  const san = extensions.find((e) => e.oid === "2.5.29.17");
  if (san && san.value && typeof san.value === "object" && "names" in san.value) subjectAltNames = (san.value as { names: GeneralName[] }).names;
  const parts = signedParts(top, "CertificationRequest");
  const model: CsrModel & { attributes?: string[] } = {
    kind: "csr",
    ...(line !== undefined ? { line } : {}),
    subject,
    publicKey: keyInfoFromSpkiNode(spki),
    signatureAlgorithm: describeSignatureAlgorithm(outer[1]),
    subjectAltNames,
    extensions,
    signatureValid: verifySigned(parts, raw(spki)),
    fingerprints: fingerprints(raw(top)),
  };
  if (attributes.length) model.attributes = attributes;
  checkTree(info[0], "certificationRequestInfo.version", f);
  checkTree(spki, "certificationRequestInfo.subjectPKInfo", f);
  if (attrs && !(attrs.cls === CLS_CONTEXT && attrs.num === 0)) f.error("wrong_tag", "certificationRequestInfo.attributes", t("the attributes are {0}, not [0] (RFC 2986)", aTag(attrs)));
  // A challengePassword's value is checked for its encoding like the rest, never shown.
  checkTree(outer[1], "signatureAlgorithm", f);
  checkTree(top, "certificationRequest", f);
  model.findings = f.result(["certificationRequest", "certificationRequestInfo.version", "certificationRequestInfo.subject", "certificationRequestInfo.subjectPKInfo", "certificationRequestInfo.extensionRequest", "certificationRequestInfo.attributes", "signatureAlgorithm"]);
  const params = signatureParametersText(outer[1]);
  if (params) (model as CsrModel & { signatureParameters?: string }).signatureParameters = params;
  return model;
}

/** CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue } */
export function decodeCrl(der: Uint8Array, line?: number): CrlModel & { version?: number } {
  const top = parse(der, true);
  const outer = children(expect(top, T.SEQUENCE, "CertificateList"));
  if (outer.length !== 3) throw new PkiError("malformed", t("CertificateList: expected 3 elements, found {0}", outer.length));
  const f = children(expect(outer[0], T.SEQUENCE, "TBSCertList"));
  let i = 0;
  let version = 1;
  const fd = new Findings();
  if (f[0] && isUniversal(f[0], T.INTEGER)) {
    version = intNum(f[0]) + 1;
    checkTree(f[0], "tbsCertList.version", fd);
    if (version !== 2) fd.error("invalid_value", "tbsCertList.version", t("version is v{0}; a CRL with a version field is v2 (RFC 5280 §5.1.2.1)", version));
    i = 1;
  }
  expect(f[i], T.SEQUENCE, "signature");
  checkTree(f[i], "tbsCertList.signature", fd);
  if (!bytesEqual(raw(f[i]), raw(outer[1]))) fd.error("invalid_value", "signatureAlgorithm", t("the outer signatureAlgorithm differs from tbsCertList.signature; RFC 5280 §5.1.1.2 requires the same value"));
  const issuer = nameFromNode(f[i + 1], fd, "tbsCertList.issuer");
  const thisUpdate = crlTime(f[i + 2], "tbsCertList.thisUpdate", fd);
  i += 3;
  let nextUpdate: string | undefined;
  if (f[i] && f[i].cls === 0 && (f[i].num === T.UTC_TIME || f[i].num === T.GENERALIZED_TIME)) nextUpdate = crlTime(f[i++], "tbsCertList.nextUpdate", fd);
  const entries: CrlEntryModel[] = [];
  if (f[i] && isUniversal(f[i], T.SEQUENCE)) {
    children(f[i++]).forEach((e, k) => {
      const at = `tbsCertList.revokedCertificates[${k}]`;
      const ef = children(expect(e, T.SEQUENCE, "revokedCertificate"));
      const entry: CrlEntryModel & { invalidityDate?: string; serialNumberSigned?: string } = { serialNumber: intHex(ef[0], "userCertificate"), revocationDate: crlTime(ef[1], `${at}.revocationDate`, fd) };
      checkSerial(ef[0], `${at}.userCertificate`, fd, entry);
      if (ef[2]) {
        if (version === 1) fd.error("invalid_value", at, t("a v1 CRL entry carries extensions; only v2 CRLs may (RFC 5280 §5.1.2.1)"));
        const exts: ExtensionModel[] = [];
        for (const x of children(expect(ef[2], T.SEQUENCE, "crlEntryExtensions"))) {
          const ext = decodeExtension(x, fd, `${at}.crlEntryExtensions`);
          exts.push(ext);
          const v = ext.value as Record<string, unknown> | undefined;
          if (ext.oid === "2.5.29.21" && v && typeof v.reason === "string") entry.reason = v.reason;
          if (ext.oid === "2.5.29.24" && v && typeof v.date === "string") entry.invalidityDate = v.date;
        }
        duplicateExtensions(exts, fd, `${at}.crlEntryExtensions`);
      }
      entries.push(entry);
    });
  }
  let extensions: ExtensionModel[] = [];
  const extWrap = f.slice(i).find((x: Node) => x.cls === CLS_CONTEXT && x.num === 0);
  if (extWrap) {
    if (version === 1) fd.error("invalid_value", "tbsCertList.crlExtensions", t("a v1 CRL carries extensions; only v2 CRLs may (RFC 5280 §5.1.2.1)"));
    extensions = decodeExtensions(child(extWrap, 0), fd, "tbsCertList.crlExtensions");
  }
  checkTree(outer[1], "signatureAlgorithm", fd);
  checkTree(top, "certificateList", fd);
  const num = extensions.find((e) => e.oid === "2.5.29.20")?.value as { number?: string } | undefined;
  const model: CrlModel & { version?: number } = {
    kind: "crl",
    ...(line !== undefined ? { line } : {}),
    issuer,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    signatureAlgorithm: describeSignatureAlgorithm(outer[1]),
    ...(num?.number !== undefined ? { crlNumber: num.number } : {}),
    entries,
    extensions,
    fingerprints: fingerprints(raw(top)),
    version,
    findings: fd.result(["certificateList", "tbsCertList.version", "tbsCertList.signature", "tbsCertList.issuer", "tbsCertList.thisUpdate", "tbsCertList.nextUpdate", "tbsCertList.revokedCertificates", "tbsCertList.crlExtensions", "signatureAlgorithm"]),
  };
  return model;
}

/** A CRL time, with its encoding checked (X.690, RFC 5280 §5.1.2.4–5's UTCTime/GeneralizedTime rule). */
function crlTime(n: Node | undefined, where: string, f: Findings): string {
  const iso = time(n, where.slice(where.lastIndexOf(".") + 1));
  if (n) {
    checkTree(n, where, f);
    checkTimeType(n, iso, where, f);
  }
  return iso;
}

