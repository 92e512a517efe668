/**
 * The children of each kind of object in the tree: certificate, CSR, CRL, private key, and the "Private key" /
 * "Belongs to" node that links a public key to the other places in the workspace that hold it.
 */
import type { CertificateModel, CsrModel, PkiObject } from "../../shared/model";
import { colonHex, defaultT, formatTime, generalNameText, isWeakSignature, kindLabel, relativeValidity, validityInfo } from "./format";
import { sctText } from "./ocspFormat";
import { COLORS, extensionsNode, fingerprintNode, keyNode, leaf, listNode, nameNode } from "./nodes";
import type { Collapsible, KeyRef, NodeIcon, TreeContext, TreeNodeData } from "./model";

/** "Private key: server.key:1" nodes for a certificate / CSR, or "the certificates this key belongs to" for a key. */
export function matchNode(spki: string | undefined, self: { kind: KeyRef["kind"]; line?: number }, id: string, ctx: TreeContext, index: number): TreeNodeData | undefined {
  const t = ctx.t ?? defaultT;
  const wantKeys = self.kind !== "privateKey";
  const label = wantKeys ? t("Private key") : t("Belongs to");
  if (!spki) {
    if (wantKeys) return undefined;
    return { id, label, description: t("unknown until the key is decrypted"), icon: { id: "question" }, collapsible: "none", objectIndex: index };
  }
  const all = ctx.keyRefs?.(spki);
  if (all === undefined) return { id, label, description: t("searching the workspace…"), icon: { id: "loading~spin" }, collapsible: "none", objectIndex: index };
  const refs = all.filter((r) => (wantKeys ? r.kind === "privateKey" : r.kind === "certificate" || r.kind === "csr") && !(r.uri === ctx.uri && r.line === self.line && r.kind === self.kind));
  if (!refs.length) {
    return {
      id,
      label,
      description: wantKeys ? t("no matching key found in the workspace") : t("no certificate or CSR with this public key in the workspace"),
      icon: { id: "circle-slash", color: COLORS.muted },
      collapsible: "none",
      objectIndex: index,
    };
  }
  const item = (r: KeyRef, i: number): TreeNodeData => ({
    id: `${id}/${i}`,
    label: r.name ? `${r.name}` : r.label,
    description: `${r.label}${r.line ? `:${r.line}` : ""}`,
    tooltip: `${kindLabel(r.kind, t)} — ${r.label}${r.line ? `:${r.line}` : ""}`,
    icon: { id: r.kind === "privateKey" ? "key" : r.kind === "csr" ? "git-pull-request-create" : "shield", color: COLORS.ok },
    collapsible: "none",
    reveal: { uri: r.uri, ...(r.line ? { line: r.line } : {}) },
    contextValue: "keyRef",
  });
  if (refs.length === 1) {
    const one = item(refs[0], 0);
    return { ...one, id, label, description: `${refs[0].name ? refs[0].name + " — " : ""}${refs[0].label}${refs[0].line ? `:${refs[0].line}` : ""}`, objectIndex: index };
  }
  return {
    id,
    label,
    description: t("{0} matches", refs.length),
    icon: { id: "link", color: COLORS.ok },
    collapsible: "expanded",
    objectIndex: index,
    children: refs.map(item),
  };
}

export function certificateChildren(c: CertificateModel, index: number, ctx: TreeContext, v = validityInfo(c.notBefore, c.notAfter, ctx.now, ctx.warnDays)): TreeNodeData[] {
  const t = ctx.t ?? defaultT;
  const id = `${ctx.uri}#${index}`;
  const vIcon: NodeIcon =
    v.state === "expired" || v.state === "notYetValid" ? { id: "error", color: COLORS.error } : v.state === "expiring" ? { id: "warning", color: COLORS.warning } : { id: "calendar" };
  const out: (TreeNodeData | undefined)[] = [
    nameNode(`${id}/subject`, t("Subject"), c.subject, index, "account"),
    nameNode(`${id}/issuer`, c.selfSigned ? t("Issuer (self-signed)") : t("Issuer"), c.issuer, index, "organization"),
    {
      id: `${id}/validity`,
      label: t("Validity"),
      description: relativeValidity(v, t),
      icon: vIcon,
      collapsible: "collapsed",
      copyValue: `${c.notBefore} – ${c.notAfter}`,
      contextValue: "copyable",
      objectIndex: index,
      children: [leaf(`${id}/validity/nb`, t("Not before"), formatTime(c.notBefore), index), leaf(`${id}/validity/na`, t("Not after"), formatTime(c.notAfter), index)],
    },
    c.subjectAltNames.length ? listNode(`${id}/san`, t("Subject alternative names"), c.subjectAltNames.map(generalNameText), index, { id: "globe" }) : undefined,
    leaf(`${id}/serial`, t("Serial number"), c.serialNumberSigned ? t("{0} (negative; encoded as {1})", c.serialNumberSigned, colonHex(c.serialNumber)) : colonHex(c.serialNumber), index, { icon: { id: "symbol-numeric" } }),
    fingerprintNode(`${id}/fp`, c.fingerprints, index, t),
    keyNode(c.publicKey, `${id}/key`, ctx, index),
    c.signatureAlgorithm
      ? leaf(`${id}/sig`, t("Signature algorithm"), c.signatureAlgorithm + (isWeakSignature(c.signatureAlgorithm) ? ` · ${t("weak")}` : ""), index, {
          icon: isWeakSignature(c.signatureAlgorithm) ? { id: "warning", color: COLORS.warning } : { id: "symbol-method" },
          copyValue: c.signatureAlgorithm,
        })
      : undefined,
    sctText(c, t) ? leaf(`${id}/ct`, t("Certificate Transparency"), sctText(c, t)!, index, { icon: { id: "eye" } }) : undefined,
    extensionsNode(c.extensions, `${id}/ext`, index, t),
    matchNode(c.publicKey?.spkiSha256, { kind: "certificate", ...(c.line ? { line: c.line } : {}) }, `${id}/match`, ctx, index),
  ];
  return out.filter((x): x is TreeNodeData => !!x);
}

export function csrChildren(c: CsrModel, index: number, ctx: TreeContext): TreeNodeData[] {
  const t = ctx.t ?? defaultT;
  const id = `${ctx.uri}#${index}`;
  const out: (TreeNodeData | undefined)[] = [
    nameNode(`${id}/subject`, t("Subject"), c.subject, index, "account"),
    c.subjectAltNames.length ? listNode(`${id}/san`, t("Requested names"), c.subjectAltNames.map(generalNameText), index, { id: "globe" }) : undefined,
    keyNode(c.publicKey, `${id}/key`, ctx, index),
    leaf(`${id}/sig`, t("Signature"), `${c.signatureAlgorithm} · ${c.signatureValid ? t("valid") : t("INVALID")}`, index, {
      icon: c.signatureValid ? { id: "pass", color: COLORS.ok } : { id: "error", color: COLORS.error },
      copyValue: c.signatureAlgorithm,
    }),
    c.fingerprints ? fingerprintNode(`${id}/fp`, c.fingerprints, index, t) : undefined,
    extensionsNode(c.extensions, `${id}/ext`, index, t, t("Requested extensions")),
    matchNode(c.publicKey?.spkiSha256, { kind: "csr", ...(c.line ? { line: c.line } : {}) }, `${id}/match`, ctx, index),
  ];
  return out.filter((x): x is TreeNodeData => !!x);
}

export function crlChildren(c: Extract<PkiObject, { kind: "crl" }>, index: number, ctx: TreeContext): TreeNodeData[] {
  const t = ctx.t ?? defaultT;
  const id = `${ctx.uri}#${index}`;
  const shown = c.entries.slice(0, 500);
  const out: (TreeNodeData | undefined)[] = [
    nameNode(`${id}/issuer`, t("Issuer"), c.issuer, index, "organization"),
    leaf(`${id}/this`, t("This update"), formatTime(c.thisUpdate), index, { icon: { id: "calendar" } }),
    c.nextUpdate
      ? leaf(`${id}/next`, t("Next update"), `${formatTime(c.nextUpdate)} (${relativeValidity(validityInfo(c.thisUpdate, c.nextUpdate, ctx.now, 0), t)})`, index, { icon: { id: "calendar" } })
      : undefined,
    c.crlNumber ? leaf(`${id}/num`, t("CRL number"), c.crlNumber, index) : undefined,
    leaf(`${id}/sig`, t("Signature algorithm"), c.signatureAlgorithm, index),
    {
      id: `${id}/entries`,
      label: t("Revoked certificates"),
      description: String(c.entries.length),
      icon: { id: "circle-slash" },
      collapsible: c.entries.length ? "collapsed" : "none",
      objectIndex: index,
      children: () => [
        ...shown.map((e, i) => leaf(`${id}/entries/${i}`, colonHex(e.serialNumber), `${formatTime(e.revocationDate)}${e.reason ? ` · ${e.reason}` : ""}`, index, { copyValue: e.serialNumber })),
        ...(c.entries.length > shown.length ? [{ id: `${id}/entries/more`, label: t("{0} more", c.entries.length - shown.length), collapsible: "none" as Collapsible }] : []),
      ],
    },
    c.fingerprints ? fingerprintNode(`${id}/fp`, c.fingerprints, index, t) : undefined,
    extensionsNode(c.extensions, `${id}/ext`, index, t),
  ];
  return out.filter((x): x is TreeNodeData => !!x);
}

export function privateKeyChildren(k: Extract<PkiObject, { kind: "privateKey" }>, index: number, ctx: TreeContext): TreeNodeData[] {
  const t = ctx.t ?? defaultT;
  const id = `${ctx.uri}#${index}`;
  const out: (TreeNodeData | undefined)[] = [
    k.format ? leaf(`${id}/format`, t("Format"), k.format, index) : undefined,
    k.encrypted ? listNode(`${id}/enc`, t("Encryption"), k.encryption?.length ? k.encryption : [t("encrypted (algorithm not shown)")], index, { id: "lock" }) : undefined,
    k.publicKey ? keyNode(k.publicKey, `${id}/key`, ctx, index) : undefined,
    matchNode(k.publicKey?.spkiSha256, { kind: "privateKey", ...(k.line ? { line: k.line } : {}) }, `${id}/match`, ctx, index),
  ];
  return out.filter((x): x is TreeNodeData => !!x);
}
