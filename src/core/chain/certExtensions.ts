/**
 * Decoding of the certificate extensions the validator uses (RFC 5280 §4.2), into ParsedCert's fields; faults
 * that leave a readable certificate land in `cert.malformed`. Also the distribution point structures CRL
 * checking shares (cRLDistributionPoints, freshestCRL, issuingDistributionPoint).
 */
import { T, bitString, bool, children, content, count, expect, oid as readOid, parse, raw, seq, tagOf, type Node } from "../pki/der";
import { attributeValue } from "../pki/name";
import { CertParseError, OID, parseGeneralName, type DistributionPoint, type DistributionPointName, type Extension, type ParsedCert, type Subtree } from "./cert";
import { t } from "../l10n";

/** DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN }, given the [0] wrapper. */
export function parseDistributionPointName(wrapper: Node): DistributionPointName {
  const [choice, extra] = children(wrapper);
  if (!choice || extra) throw new CertParseError(t("DistributionPointName has the wrong shape"));
  if (tagOf(choice) === 0xa0) return { fullName: children(choice).map(parseGeneralName) };
  if (tagOf(choice) === 0xa1) {
    const attrs = children(choice).map((atv) => {
      const [type, v] = seq(atv, "AttributeTypeAndValue");
      if (!v) throw new CertParseError(t("nameRelativeToCRLIssuer attribute has no value"));
      return { oid: readOid(type, "attribute type"), value: attributeValue(v) };
    });
    return { relative: attrs, relativeDer: raw(choice) };
  }
  throw new CertParseError(t("DistributionPointName is neither fullName nor nameRelativeToCRLIssuer"));
}

/** ReasonFlags BIT STRING as a set of bit numbers (1 = keyCompromise … 8 = aACompromise). */
export function reasonFlags(t: Node): Set<number> {
  // Implicitly tagged ([1] in DistributionPoint, [3] in IssuingDistributionPoint): read as the BIT STRING it is.
  const { unused, bytes } = bitString({ ...t, cls: 0, num: T.BIT_STRING }, "ReasonFlags");
  const set = new Set<number>();
  for (let bit = 0; bit < bytes.length * 8 - unused; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) set.add(bit);
  return set;
}

function parseDistributionPoints(root: Node, what: string): DistributionPoint[] {
  return seq(root, what).map((dp) => {
    const out: DistributionPoint = {};
    for (const f of seq(dp, "DistributionPoint")) {
      const tag = tagOf(f);
      if (tag === 0xa0) out.name = parseDistributionPointName(f);
      else if (tag === 0x81) out.reasons = reasonFlags(f);
      else if (tag === 0xa2) out.crlIssuer = children(f).map(parseGeneralName);
      else throw new CertParseError(t("DistributionPoint has an unexpected field"));
    }
    return out;
  });
}

/** Parses one extension value; faults land in `cert.malformed`. */
export function decodeExtension(cert: ParsedCert, ext: Extension): void {
  const root = parse(ext.value, false, true);
  switch (ext.oid) {
    case OID.basicConstraints: {
      const f = seq(root, "BasicConstraints");
      let i = 0;
      let ca = false;
      if (tagOf(f[i]) === T.BOOLEAN) {
        ca = bool(f[i++]);
        if (!ca) {
          const m = t("basicConstraints encodes the default cA FALSE explicitly (not DER)");
          cert.malformed.push(m);
          cert.strictness.set(m, "anchor");
        }
      }
      let pathLen: number | undefined;
      if (tagOf(f[i]) === T.INTEGER) pathLen = count(f[i++], "pathLenConstraint");
      if (f[i]) throw new CertParseError(t("BasicConstraints has unexpected fields"));
      cert.basicConstraints = { ca, pathLen };
      return;
    }
    case OID.keyUsage: {
      const { unused, bytes } = bitString(root, "KeyUsage");
      const set = new Set<number>();
      for (let bit = 0; bit < bytes.length * 8 - unused; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) set.add(bit);
      if (set.size === 0) cert.malformed.push(t("keyUsage has no bits set (RFC 5280 §4.2.1.3)"));
      cert.keyUsage = set;
      return;
    }
    case OID.extKeyUsage: {
      const list = seq(root, "ExtKeyUsageSyntax").map((o) => readOid(o, "KeyPurposeId"));
      if (list.length === 0) cert.malformed.push(t("extKeyUsage is empty (RFC 5280 §4.2.1.12 requires at least one purpose)"));
      cert.extKeyUsage = list;
      return;
    }
    case OID.subjectAltName: {
      const names = seq(root, "GeneralNames").map(parseGeneralName);
      if (names.length === 0) cert.malformed.push(t("subjectAltName is empty (RFC 5280 §4.2.1.6)"));
      cert.subjectAltNames = names;
      return;
    }
    case OID.nameConstraints: {
      const out: { permitted?: Subtree[]; excluded?: Subtree[] } = {};
      for (const part of seq(root, "NameConstraints")) {
        const tag = tagOf(part);
        if (tag !== 0xa0 && tag !== 0xa1) throw new CertParseError(t("NameConstraints has an unexpected field"));
        const subtrees = children(part).map((st): Subtree => {
          const [base, ...bounds] = seq(st, "GeneralSubtree");
          if (!base) throw new CertParseError(t("GeneralSubtree without a base"));
          let nonDefaultBounds = false;
          for (const b of bounds) {
            if (tagOf(b) === 0x80) nonDefaultBounds ||= content(b).some((x) => x !== 0);
            else if (tagOf(b) === 0x81) nonDefaultBounds = true;
            else throw new CertParseError(t("GeneralSubtree has an unexpected field"));
          }
          return { base: parseGeneralName(base), nonDefaultBounds };
        });
        if (subtrees.length === 0) cert.malformed.push(t("nameConstraints has an empty list of subtrees (RFC 5280 §4.2.1.10)"));
        if (tag === 0xa0) out.permitted = subtrees;
        else out.excluded = subtrees;
      }
      if (!out.permitted && !out.excluded) cert.malformed.push(t("nameConstraints is empty (RFC 5280 §4.2.1.10)"));
      cert.nameConstraints = out;
      return;
    }
    case OID.subjectKeyIdentifier:
      cert.subjectKeyId = content(expect(root, T.OCTET_STRING, "SubjectKeyIdentifier"));
      return;
    case OID.authorityKeyIdentifier: {
      const aki: { keyId?: Uint8Array; hasIssuer: boolean; hasSerial: boolean } = { hasIssuer: false, hasSerial: false };
      for (const f of seq(root, "AuthorityKeyIdentifier")) {
        const tag = tagOf(f);
        if (tag === 0x80) aki.keyId = content(f);
        else if (tag === 0xa1) aki.hasIssuer = true;
        else if (tag === 0x82) aki.hasSerial = true;
        else throw new CertParseError(t("AuthorityKeyIdentifier has an unexpected field"));
      }
      cert.authorityKeyId = aki;
      return;
    }
    case OID.authorityInfoAccess: {
      const list = seq(root, "AuthorityInfoAccessSyntax");
      if (list.length === 0) cert.malformed.push(t("authorityInfoAccess is empty"));
      for (const ad of list) {
        const [method, location, extra] = seq(ad, "AccessDescription");
        if (extra || !location) throw new CertParseError(t("AccessDescription has the wrong shape"));
        const m = readOid(method, "accessMethod");
        const gn = parseGeneralName(location);
        if (m === OID.caIssuers && gn.kind === "uri") cert.caIssuers.push(gn.value);
      }
      return;
    }
    case OID.crlDistributionPoints:
      cert.crlDistributionPoints = parseDistributionPoints(root, "CRLDistributionPoints");
      return;
    case OID.freshestCrl:
      cert.freshestCrl = parseDistributionPoints(root, "FreshestCRL");
      return;
    default:
      decodePolicyExtension(cert, ext.oid, root);
  }
}

/** The certificate policy extensions (RFC 5280 §4.2.1.4, .5, .11, .14); others are ignored here. */
function decodePolicyExtension(cert: ParsedCert, oid: string, root: Node): void {
  switch (oid) {
    case OID.policyConstraints: {
      const f = seq(root, "PolicyConstraints");
      if (f.length === 0) cert.malformed.push(t("policyConstraints is an empty SEQUENCE (RFC 5280 §4.2.1.11)"));
      const pc: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
      for (const x of f) {
        const tag = tagOf(x);
        if (tag === 0x80) pc.requireExplicitPolicy = count(x, "requireExplicitPolicy");
        else if (tag === 0x81) pc.inhibitPolicyMapping = count(x, "inhibitPolicyMapping");
        else throw new CertParseError(t("PolicyConstraints has an unexpected field"));
      }
      cert.policyConstraints = pc;
      return;
    }
    case OID.inhibitAnyPolicy:
      cert.inhibitAnyPolicy = count(expect(root, T.INTEGER, "SkipCerts"), "SkipCerts");
      return;
    case OID.policyMappings: {
      const list = seq(root, "PolicyMappings");
      if (list.length === 0) cert.malformed.push(t("policyMappings is empty (RFC 5280 §4.2.1.5)"));
      cert.policyMappings = list.map((m) => {
        const [a, b, extra] = seq(m, "PolicyMapping");
        if (extra || !b) throw new CertParseError(t("PolicyMapping has the wrong shape"));
        return { issuer: readOid(a, "issuerDomainPolicy"), subject: readOid(b, "subjectDomainPolicy") };
      });
      return;
    }
    case OID.certificatePolicies: {
      const list = seq(root, "certificatePolicies");
      if (list.length === 0) cert.malformed.push(t("certificatePolicies is empty"));
      cert.policies = list.map((pi) => readOid(seq(pi, "PolicyInformation")[0], "policyIdentifier"));
      if (new Set(cert.policies).size !== cert.policies.length) cert.malformed.push(t("certificatePolicies names a policy more than once (RFC 5280 §4.2.1.4)"));
      return;
    }
    default:
      return;
  }
}
