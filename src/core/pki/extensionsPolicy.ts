/**
 * The policy and name-constraint extensions (certificatePolicies, policyConstraints, nameConstraints): decoded
 * into values, and checked against RFC 5280 §4.2.1.4, §4.2.1.10 and §4.2.1.11 into encoding findings. Split
 * from ./extensions.ts, which dispatches to them by OID.
 */
import type { GeneralName } from "../../shared/model";
import { POLICIES } from "./oids";
import { type Node, CLS_CONTEXT, child, children, expect, intNum, isStringTag, isUniversal, oid, T } from "./der";
import { type Findings, aTag, bytesText, isNonMinimalInteger, tagName, textOrBytes } from "./findings";
import { generalName, generalNameText } from "./name";
import { t } from "../l10n";

export type Decoded = { value: unknown; text: string };

/** Where an extension's findings go: the collector and the extension's field path. */
export interface ExtCtx {
  f: Findings;
  where: string;
}
type Ctx = ExtCtx;

function namesText(g: GeneralName[]): string {
  return g.map(generalNameText).join(", ");
}

/**
 * An implicitly tagged INTEGER (SkipCerts in policyConstraints): a number only when the bytes are one —
 * primitive and minimal. Anything else (e.g. `[0]` constructed around an INTEGER) is a finding and its bytes.
 */
function implicitInt(n: Node, c: Ctx, field: string): number | string {
  const v = n.b.subarray(n.vs, n.ve);
  if (n.cons || v.length === 0) {
    const msg = n.cons
      ? t("{0} is constructed where an implicitly tagged INTEGER ([{1}] primitive) belongs; shown as its bytes", field, n.num)
      : t("{0} is empty where an implicitly tagged INTEGER ([{1}] primitive) belongs; shown as its bytes", field, n.num);
    c.f.error("wrong_tag", `${c.where}.${field}`, msg);
    return bytesText(n);
  }
  if (isNonMinimalInteger(v)) c.f.error("non_minimal_integer", `${c.where}.${field}`, t("{0} is not minimally encoded", field));
  if (v[0] & 0x80) c.f.error("invalid_value", `${c.where}.${field}`, t("{0} is negative; SkipCerts is 0 or more", field));
  return intNum({ ...n, cls: 0, num: T.INTEGER });
}

/** DisplayText ::= CHOICE { ia5String, visibleString, bmpString, utf8String } (RFC 5280 §4.2.1.4). */
const DISPLAY_TEXT: readonly number[] = [T.IA5, T.VISIBLE, T.BMP, T.UTF8];

/** A DisplayText field: its text when it is one (flagged if the type is not allowed), else its bytes. */
function displayText(n: Node, f: Findings, where: string, what: string): string {
  if (!isStringTag(n)) {
    f.error("wrong_tag", where, t("{0} is {1}, not a DisplayText string; shown as its bytes", what, aTag(n)));
    return bytesText(n);
  }
  if (!DISPLAY_TEXT.includes(n.num)) f.error("unknown_string_type", where, t("{0} is {1}; DisplayText is IA5String, VisibleString, BMPString or UTF8String", what, aTag(n)));
  return textOrBytes(n);
}

function userNotice(n: Node, f: Findings, where: string): { organization?: string; noticeNumbers?: (number | string)[]; explicitText?: string } {
  const out: { organization?: string; noticeNumbers?: (number | string)[]; explicitText?: string } = {};
  if (!isUniversal(n, T.SEQUENCE)) {
    f.error("wrong_tag", where, t("the user notice is {0}, not a SEQUENCE; shown as its bytes", aTag(n)));
    out.explicitText = bytesText(n);
    return out;
  }
  const fields = children(n);
  fields.forEach((x, i) => {
    if (i === 0 && isUniversal(x, T.SEQUENCE)) {
      const [org, nums] = children(x);
      if (org) out.organization = displayText(org, f, `${where}.noticeRef.organization`, t("the notice organization"));
      if (nums && isUniversal(nums, T.SEQUENCE)) {
        out.noticeNumbers = children(nums).map((k) => {
          if (isUniversal(k, T.INTEGER) && !k.cons) return intNum(k);
          f.error("wrong_tag", `${where}.noticeRef.noticeNumbers`, t("a notice number is {0}, not an INTEGER; shown as its bytes", aTag(k)));
          return bytesText(k);
        });
      } else f.error("wrong_tag", `${where}.noticeRef`, t("the notice reference has no SEQUENCE of notice numbers"));
    } else if (out.explicitText === undefined && (isStringTag(x) || i === fields.length - 1)) {
      out.explicitText = displayText(x, f, `${where}.explicitText`, "explicitText");
    } else f.error("wrong_tag", where, t("the user notice holds an unexpected {0} (only noticeRef and explicitText belong there)", tagName(x)));
  });
  return out;
}

const CPS = "1.3.6.1.5.5.7.2.1";
const UNOTICE = "1.3.6.1.5.5.7.2.2";

export function certificatePolicies(n: Node, c: Ctx): Decoded {
  const policies = children(expect(n, T.SEQUENCE, "CertificatePolicies")).map((pi, i) => {
    const parts = children(expect(pi, T.SEQUENCE, "PolicyInformation"));
    const policyOid = oid(parts[0], "policyIdentifier");
    const p: { oid: string; name?: string; cps?: string[]; userNotices?: ReturnType<typeof userNotice>[]; qualifiers?: string[] } = { oid: policyOid };
    if (POLICIES[policyOid]) p.name = POLICIES[policyOid];
    if (parts[1]) {
      children(expect(parts[1], T.SEQUENCE, "policyQualifiers")).forEach((q, j) => {
        const at = `${c.where}[${i}].qualifiers[${j}]`;
        const [qid, qv] = children(expect(q, T.SEQUENCE, "PolicyQualifierInfo"));
        const qOid = oid(qid);
        if (qOid === CPS && qv) {
          if (!isUniversal(qv, T.IA5)) c.f.error(isStringTag(qv) ? "unknown_string_type" : "wrong_tag", at, t("the CPS pointer is {0}; RFC 5280 §4.2.1.4 makes it an IA5String", aTag(qv)));
          (p.cps ??= []).push(isStringTag(qv) ? textOrBytes(qv) : bytesText(qv));
        } else if (qOid === UNOTICE && qv) (p.userNotices ??= []).push(userNotice(qv, c.f, at));
        else {
          if (qOid === CPS || qOid === UNOTICE) c.f.error("malformed_extension", at, t("a policy qualifier has no value"));
          else c.f.warn("malformed_extension", at, t("policy qualifier {0} is neither a CPS pointer nor a user notice, the only two RFC 5280 §4.2.1.4 defines", qOid));
          (p.qualifiers ??= []).push(qOid);
        }
      });
    }
    return p;
  });
  const text = policies
    .map((p) => {
      let s = p.name ? `${p.name} (${p.oid})` : p.oid;
      if (p.cps) s += ` CPS: ${p.cps.join(" ")}`;
      for (const u of p.userNotices ?? []) if (u.explicitText) s += ` "${u.explicitText}"`;
      return s;
    })
    .join(", ");
  return { value: { policies }, text };
}

function subtrees(n: Node, c: Ctx, where: string): GeneralName[] {
  return children(n).map((st, i) => {
    const at = `${where}[${i}]`;
    const base = child(st, 0, "GeneralSubtree");
    const rest = children(st).slice(1);
    for (const r of rest) {
      const zero = r.cls === CLS_CONTEXT && r.num === 0 && !r.cons && r.ve - r.vs === 1 && r.b[r.vs] === 0;
      if (zero) c.f.error("default_encoded", at, t("minimum is encoded with its default value 0; DER leaves it out (X.690 §11.5)"));
      else c.f.error("malformed_extension", at, t("a subtree has a minimum or maximum; RFC 5280 §4.2.1.10 requires minimum 0 (absent) and no maximum"));
    }
    return generalName(base, c.f, at, true);
  });
}

export function nameConstraints(n: Node, c: Ctx): Decoded {
  const v: { permitted?: GeneralName[]; excluded?: GeneralName[] } = {};
  for (const f of children(expect(n, T.SEQUENCE, "NameConstraints"))) {
    if (f.cls === CLS_CONTEXT && f.num === 0) v.permitted = subtrees(f, c, `${c.where}.permittedSubtrees`);
    else if (f.cls === CLS_CONTEXT && f.num === 1) v.excluded = subtrees(f, c, `${c.where}.excludedSubtrees`);
    else c.f.error("wrong_tag", c.where, t("NameConstraints holds an unexpected {0}", tagName(f)));
  }
  const parts: string[] = [];
  if (v.permitted) parts.push(t("permitted: {0}", namesText(v.permitted) || t("(none)")));
  if (v.excluded) parts.push(t("excluded: {0}", namesText(v.excluded) || t("(none)")));
  return { value: v, text: parts.join("; ") };
}

export function policyConstraints(n: Node, c: ExtCtx): Decoded {
  const v: { requireExplicitPolicy?: number | string; inhibitPolicyMapping?: number | string } = {};
  for (const f of children(expect(n, T.SEQUENCE, "PolicyConstraints"))) {
    if (f.cls === CLS_CONTEXT && f.num === 0) v.requireExplicitPolicy = implicitInt(f, c, "requireExplicitPolicy");
    else if (f.cls === CLS_CONTEXT && f.num === 1) v.inhibitPolicyMapping = implicitInt(f, c, "inhibitPolicyMapping");
    else c.f.error("wrong_tag", c.where, t("PolicyConstraints holds {0}, where only [0] and [1] belong; ignored", aTag(f)));
  }
  const parts: string[] = [];
  if (v.requireExplicitPolicy !== undefined) parts.push(t("require explicit policy: {0}", v.requireExplicitPolicy));
  if (v.inhibitPolicyMapping !== undefined) parts.push(t("inhibit policy mapping: {0}", v.inhibitPolicyMapping));
  return { value: v, text: parts.join(", ") };
}
