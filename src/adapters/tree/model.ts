/**
 * From the core's view models to tree-item data: pure functions (no vscode, no Node), so the whole mapping
 * is tested in plain Node. src/adapters/tree/provider.ts turns a TreeNodeData into a vscode.TreeItem.
 *
 * contextValue is a space-separated set of flags; package.json menus match them with regexes
 * (`viewItem =~ /\bcopyable\b/`): object, certificate/csr/crl/privateKey/publicKey/container, copyable,
 * fingerprint, exportable, validatable, viewable, validation.
 */
import { chainSourceBadge } from "../../shared/format";
import type { CertificateModel, ChainLink, CsrModel, ExtensionModel, InspectResult, PkiObject, Problem, PublicKeyInfo, VerifyResult } from "../../shared/model";
import {
  colonHex,
  defaultT,
  displayName,
  extensionLabel,
  extensionText,
  flattenObjects,
  formatTime,
  generalNameText,
  isWeakKey,
  isWeakSignature,
  keyText,
  kindLabel,
  objectName,
  relativeValidity,
  validityInfo,
  type Translate,
  type ValidityInfo,
} from "./format";
import { ocspFacts, ocspTitle, sctText } from "./ocspFormat";
import { withFindings } from "./findings";

export type Collapsible = "none" | "collapsed" | "expanded";

export interface NodeIcon {
  /** Codicon id for a ThemeIcon. */
  id: string;
  /** ThemeColor id. */
  color?: string;
}

/** Where selecting the node should take the editor. */
export interface RevealTarget {
  /** uri string; absent = the file the tree shows. */
  uri?: string;
  /** 1-based line of the PEM block. */
  line?: number;
}

export interface TreeNodeData {
  /** Unique within the tree, stable across refreshes of the same file (keeps expansion state). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: NodeIcon;
  contextValue?: string;
  collapsible: Collapsible;
  /** Children: eager list, or built on expansion (big bundles stay cheap until opened). */
  children?: TreeNodeData[] | (() => TreeNodeData[]);
  /** The value "Copy Value" puts on the clipboard. */
  copyValue?: string;
  /** Index into flattenObjects(result.objects) of the object this node belongs to. */
  objectIndex?: number;
  /** Selecting the node reveals this block. */
  reveal?: RevealTarget;
}

/** A place in the workspace where a public key appears (certificate, CSR or key), for key ↔ certificate matching. */
export interface KeyRef {
  kind: "certificate" | "csr" | "privateKey" | "publicKey";
  uri: string;
  /** Workspace-relative path or file name, for display. */
  label: string;
  line?: number;
  /** Subject CN for certificates / CSRs. */
  name?: string;
}

export interface TreeContext {
  now: Date;
  warnDays: number;
  t?: Translate;
  /** uri string of the file shown (ids and key-match exclusion). */
  uri: string;
  /** Workspace places with the same SubjectPublicKeyInfo; undefined = the index is not ready. */
  keyRefs?: (spkiSha256: string) => KeyRef[] | undefined;
  /** Latest chain validation run on this file. */
  validation?: ValidationRun;
  /** Most objects shown at the top level (the rest is summarised in one node). */
  maxObjects?: number;
}

export interface ValidationRun {
  result: VerifyResult;
  host?: string;
  purpose: string;
  /** ISO time of the run. */
  at: string;
  /** sha256 (lowercase hex) → 1-based line of the block in this file, to reveal links. */
  lines?: Record<string, number>;
}

const COLORS = {
  error: "list.errorForeground",
  warning: "list.warningForeground",
  ok: "testing.iconPassed",
  fail: "testing.iconFailed",
  ca: "charts.blue",
  muted: "descriptionForeground",
};

// ───────────────────────────── top level ─────────────────────────────

/** The root nodes for one file: optional validation section, one node per object, errors, chain order. */
export function fileNodes(result: InspectResult, ctx: TreeContext): TreeNodeData[] {
  const t = ctx.t ?? defaultT;
  const flat = flattenObjects(result.objects);
  const out: TreeNodeData[] = [];
  if (ctx.validation) out.push(validationNode(ctx.validation, ctx));
  const max = ctx.maxObjects ?? 2000;
  const top = flat.map((f, i) => ({ ...f, index: i })).filter((f) => f.depth === 0);
  for (const f of top.slice(0, max)) out.push(objectNode(f.object, f.index, ctx, flat));
  if (top.length > max) {
    out.push({
      id: `${ctx.uri}#more`,
      label: t("{0} more objects not shown", top.length - max),
      icon: { id: "ellipsis" },
      collapsible: "none",
    });
  }
  for (const [i, e] of result.errors.entries()) {
    out.push({
      id: `${ctx.uri}#error${i}`,
      label: e.line ? t("Line {0}: cannot decode", e.line) : t("Cannot decode"),
      description: e.message,
      tooltip: e.message,
      icon: { id: "error", color: COLORS.error },
      collapsible: "none",
      copyValue: e.message,
      contextValue: "copyable",
      ...(e.line ? { reveal: { line: e.line } } : {}),
    });
  }
  const certs = flat.map((f, i) => ({ o: f.object, i })).filter((x): x is { o: CertificateModel; i: number } => x.o.kind === "certificate");
  if (certs.length > 1) {
    const chainNode = chainOrderNode(certs, ctx);
    if (chainNode) out.push(chainNode);
  }
  return out;
}

/** One object (certificate, CSR, CRL, key, container). */
export function objectNode(obj: PkiObject, index: number, ctx: TreeContext, flat?: { object: PkiObject; depth: number; parent?: number }[]): TreeNodeData {
  return withFindings(objectNodeOf(obj, index, ctx, flat), obj, ctx.t ?? defaultT);
}

function objectNodeOf(obj: PkiObject, index: number, ctx: TreeContext, flat?: { object: PkiObject; depth: number; parent?: number }[]): TreeNodeData {
  const t = ctx.t ?? defaultT;
  const id = `${ctx.uri}#${index}`;
  const base = {
    id,
    objectIndex: index,
    collapsible: "collapsed" as Collapsible,
    ...(obj.line ? { reveal: { line: obj.line } } : {}),
  };
  switch (obj.kind) {
    case "certificate": {
      const v = validityInfo(obj.notBefore, obj.notAfter, ctx.now, ctx.warnDays);
      const role = obj.isCA ? (obj.selfSigned ? t("root CA") : t("CA")) : obj.selfSigned ? t("self-signed") : undefined;
      return {
        ...base,
        label: displayName(obj.subject, t),
        description: [role, relativeValidity(v, t)].filter(Boolean).join(" · "),
        tooltip: [
          `${kindLabel(obj.kind, t)}: ${obj.subject.text}`,
          `${t("Issuer")}: ${obj.issuer.text}`,
          `${t("Valid")}: ${formatTime(obj.notBefore)} → ${formatTime(obj.notAfter)} (${relativeValidity(v, t)})`,
          `SHA-256: ${colonHex(obj.fingerprints.sha256)}`,
        ].join("\n"),
        icon: certificateIcon(obj, v),
        contextValue: "object certificate viewable exportable validatable fingerprint copyable",
        copyValue: obj.subject.text,
        children: () => certificateChildren(obj, index, ctx, v),
      };
    }
    case "csr":
      return {
        ...base,
        label: displayName(obj.subject, t),
        description: kindLabel(obj.kind, t),
        tooltip: `${kindLabel(obj.kind, t)}: ${obj.subject.text}`,
        icon: { id: "git-pull-request-create", ...(obj.signatureValid ? {} : { color: COLORS.error }) },
        contextValue: `object csr viewable exportable copyable${obj.fingerprints ? " fingerprint" : ""}`,
        copyValue: obj.subject.text,
        children: () => csrChildren(obj, index, ctx),
      };
    case "crl": {
      const next = obj.nextUpdate ? validityInfo(obj.thisUpdate, obj.nextUpdate, ctx.now, 0) : undefined;
      const stale = next?.state === "expired";
      return {
        ...base,
        label: displayName(obj.issuer, t),
        description: [kindLabel(obj.kind, t), t("{0} revoked", obj.entries.length), stale ? t("stale") : undefined].filter(Boolean).join(" · "),
        tooltip: `${kindLabel(obj.kind, t)}: ${obj.issuer.text}`,
        icon: { id: "circle-slash", ...(stale ? { color: COLORS.warning } : {}) },
        contextValue: `object crl viewable exportable copyable${obj.fingerprints ? " fingerprint" : ""}`,
        copyValue: obj.issuer.text,
        children: () => crlChildren(obj, index, ctx),
      };
    }
    case "privateKey":
      return {
        ...base,
        label: objectName(obj, t),
        description: obj.encrypted ? t("encrypted") : obj.format,
        tooltip: obj.encrypted ? t("Encrypted private key. Key material is never shown.") : t("Private key. Key material is never shown."),
        icon: { id: obj.encrypted ? "lock" : "key", ...(isWeakKey(obj.publicKey) ? { color: COLORS.warning } : {}) },
        contextValue: "object privateKey",
        children: () => privateKeyChildren(obj, index, ctx),
      };
    case "publicKey":
      return {
        ...base,
        label: objectName(obj, t),
        tooltip: kindLabel(obj.kind, t),
        icon: { id: "unlock" },
        contextValue: "object publicKey exportable",
        children: () => [keyNode(obj.publicKey, `${id}/key`, ctx, index)],
      };
    case "pkcs12":
    case "pkcs7": {
      const kids = (flat ?? []).map((f, i) => ({ ...f, i })).filter((f) => f.parent === index);
      return {
        ...base,
        label: kindLabel(obj.kind, t),
        description: (obj.objects.length === 1 ? t("1 object") : t("{0} objects", obj.objects.length)) + (obj.legacy ? ` · ${t("legacy encryption")}` : ""),
        tooltip: obj.encryption.join("\n") || kindLabel(obj.kind, t),
        icon: { id: "package", ...(obj.legacy ? { color: COLORS.warning } : {}) },
        contextValue: "object container viewable",
        collapsible: "expanded",
        children: () => [
          ...(obj.encryption.length ? [listNode(`${id}/enc`, t("Encryption"), obj.encryption, index, obj.legacy ? { id: "warning", color: COLORS.warning } : { id: "lock" }, obj.legacy ? t("legacy algorithms") : undefined)] : []),
          ...kids.map((k) => objectNode(k.object, k.i, ctx, flat)),
        ],
      };
    }
    case "ocspResponse":
    case "ocspRequest": {
      const revoked = obj.kind === "ocspResponse" && obj.responses.some((r) => r.status === "revoked");
      return {
        ...base,
        label: ocspTitle(obj, t),
        description: obj.kind === "ocspResponse" ? obj.responder : undefined,
        tooltip: ocspFacts(obj, t).map(([k, v]) => `${k}: ${v}`).join("\n"),
        icon: { id: "question", ...(revoked ? { color: COLORS.error } : {}) },
        contextValue: "object ocsp",
        children: () => ocspFacts(obj, t).map(([k, v], i) => leaf(`${id}/ocsp/${i}`, k, v, index)),
      };
    }
  }
}

function certificateIcon(c: CertificateModel, v: ValidityInfo): NodeIcon {
  const id = c.isCA ? "workspace-trusted" : "shield";
  if (v.state === "expired" || v.state === "notYetValid") return { id: c.isCA ? id : "shield", color: COLORS.error };
  if (v.state === "expiring") return { id, color: COLORS.warning };
  return c.isCA ? { id, color: COLORS.ca } : { id };
}

// ───────────────────────────── children ─────────────────────────────

function leaf(id: string, label: string, value: string, index: number, extra: Partial<TreeNodeData> = {}): TreeNodeData {
  return {
    id,
    label,
    description: value,
    tooltip: `${label}: ${value}`,
    collapsible: "none",
    copyValue: value,
    contextValue: "copyable",
    objectIndex: index,
    ...extra,
  };
}

function listNode(id: string, label: string, values: string[], index: number, icon?: NodeIcon, description?: string): TreeNodeData {
  return {
    id,
    label,
    description: description ?? (values.length === 1 ? values[0] : String(values.length)),
    collapsible: values.length > 1 || description ? "collapsed" : "none",
    copyValue: values.join("\n"),
    contextValue: "copyable",
    objectIndex: index,
    ...(icon ? { icon } : {}),
    ...(values.length > 1 || description ? { children: values.map((v, i) => leaf(`${id}/${i}`, v, "", index, { description: undefined, tooltip: v, copyValue: v })) } : {}),
  };
}

function nameNode(id: string, label: string, dn: { text: string; attributes: { type: string; value: string }[] }, index: number, icon: string): TreeNodeData {
  return {
    id,
    label,
    description: dn.text,
    tooltip: dn.text,
    icon: { id: icon },
    collapsible: dn.attributes.length > 1 ? "collapsed" : "none",
    copyValue: dn.text,
    contextValue: "copyable",
    objectIndex: index,
    children: [...dn.attributes].reverse().map((a, i) => leaf(`${id}/${i}`, a.type, a.value, index)),
  };
}

function fingerprintNode(id: string, fp: { sha1: string; sha256: string }, index: number, t: Translate): TreeNodeData {
  const sha256 = colonHex(fp.sha256);
  return {
    id,
    label: t("Fingerprints"),
    description: `SHA-256 ${sha256.slice(0, 23)}…`,
    icon: { id: "tag" },
    collapsible: "collapsed",
    copyValue: sha256,
    contextValue: "copyable fingerprint",
    objectIndex: index,
    children: [leaf(`${id}/sha256`, "SHA-256", sha256, index, { contextValue: "copyable fingerprint" }), leaf(`${id}/sha1`, "SHA-1", colonHex(fp.sha1), index)],
  };
}

function keyNode(pk: PublicKeyInfo | undefined, id: string, ctx: TreeContext, index: number): TreeNodeData {
  const t = ctx.t ?? defaultT;
  const weak = isWeakKey(pk);
  const kids: TreeNodeData[] = [];
  if (pk) {
    kids.push(leaf(`${id}/alg`, t("Algorithm"), pk.algorithm, index));
    if (pk.bits) kids.push(leaf(`${id}/bits`, t("Size"), t("{0} bits", pk.bits), index, weak ? { icon: { id: "warning", color: COLORS.warning }, tooltip: t("Below today's minimum (RSA 2048 bits)") } : {}));
    if (pk.curve) kids.push(leaf(`${id}/curve`, t("Curve"), pk.curve, index));
    if (pk.spkiSha256) kids.push(leaf(`${id}/spki`, t("SPKI SHA-256"), colonHex(pk.spkiSha256), index));
  }
  return {
    id,
    label: t("Public key"),
    description: keyText(pk, t) + (weak ? ` · ${t("weak")}` : ""),
    icon: weak ? { id: "warning", color: COLORS.warning } : { id: "key" },
    collapsible: kids.length ? "collapsed" : "none",
    copyValue: keyText(pk, t),
    contextValue: "copyable",
    objectIndex: index,
    children: kids,
  };
}

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

function extensionsNode(exts: ExtensionModel[] | undefined, id: string, index: number, t: Translate, label?: string): TreeNodeData | undefined {
  if (!exts?.length) return undefined;
  return {
    id,
    label: label ?? t("Extensions"),
    description: String(exts.length),
    icon: { id: "extensions" },
    collapsible: "collapsed",
    objectIndex: index,
    children: exts.map((e, i) => {
      const text = extensionText(e);
      return {
        id: `${id}/${i}`,
        label: extensionLabel(e, t),
        description: (e.critical ? `${t("critical")} · ` : "") + text,
        tooltip: `${e.name} (${e.oid})${e.critical ? ` — ${t("critical")}` : ""}\n${text}`,
        icon: { id: e.critical ? "pinned" : "symbol-property" },
        collapsible: "none",
        copyValue: text,
        contextValue: "copyable",
        objectIndex: index,
      } satisfies TreeNodeData;
    }),
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

function csrChildren(c: CsrModel, index: number, ctx: TreeContext): TreeNodeData[] {
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

function crlChildren(c: Extract<PkiObject, { kind: "crl" }>, index: number, ctx: TreeContext): TreeNodeData[] {
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

function privateKeyChildren(k: Extract<PkiObject, { kind: "privateKey" }>, index: number, ctx: TreeContext): TreeNodeData[] {
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

// ───────────────────────────── chain order ─────────────────────────────

export interface ChainOrder {
  /** Certificates in chain order (leaf first), as indices into the flattened list; one path per leaf. */
  paths: number[][];
}

/**
 * Orders a bundle's certificates from each leaf up through its issuers (by issuer/subject name, and
 * authority/subject key identifiers when both are present). Certificates no other certificate names as
 * issuer start a path; loops stop.
 */
export function chainOrder(certs: { o: CertificateModel; i: number }[]): ChainOrder {
  const keyId = (c: CertificateModel, name: string): string | undefined => {
    const e = c.extensions?.find((x) => x.name === name);
    if (!e) return undefined;
    const v = e.value as Record<string, unknown> | string | undefined;
    if (typeof v === "string") return v.toLowerCase().replace(/[^0-9a-f]/g, "");
    const k = v && (v.keyIdentifier ?? v.keyId ?? v.hex);
    return typeof k === "string" ? k.toLowerCase().replace(/[^0-9a-f]/g, "") : undefined;
  };
  const bySubject = new Map<string, { o: CertificateModel; i: number }[]>();
  for (const c of certs) {
    const list = bySubject.get(c.o.subject.text);
    if (list) list.push(c);
    else bySubject.set(c.o.subject.text, [c]);
  }
  const issuerOf = (c: CertificateModel, self: number): number | undefined => {
    if (c.selfSigned) return undefined;
    const aki = keyId(c, "authorityKeyIdentifier");
    const byName = (bySubject.get(c.issuer.text) ?? []).filter((x) => x.i !== self);
    if (byName.length > 1 && aki) {
      const byKey = byName.find((x) => keyId(x.o, "subjectKeyIdentifier") === aki);
      if (byKey) return byKey.i;
    }
    return byName[0]?.i;
  };
  const up = new Map<number, number | undefined>();
  for (const c of certs) up.set(c.i, issuerOf(c.o, c.i));
  const issuers = new Set([...up.values()].filter((x): x is number => x !== undefined));
  let starts = certs.filter((c) => !issuers.has(c.i)).map((c) => c.i);
  if (!starts.length && certs.length) starts = [certs[0].i];
  const paths = starts.map((s) => {
    const path = [s];
    const seen = new Set(path);
    let cur = up.get(s);
    while (cur !== undefined && !seen.has(cur)) {
      path.push(cur);
      seen.add(cur);
      cur = up.get(cur);
    }
    return path;
  });
  return { paths };
}

function chainOrderNode(certs: { o: CertificateModel; i: number }[], ctx: TreeContext): TreeNodeData | undefined {
  const t = ctx.t ?? defaultT;
  const byIndex = new Map(certs.map((c) => [c.i, c.o]));
  const { paths } = chainOrder(certs);
  const id = `${ctx.uri}#chain`;
  const pathNodes = (p: number[], pi: number): TreeNodeData[] => {
    const links: TreeNodeData[] = p.map((i, depth) => {
      const c = byIndex.get(i)!;
      const next = p[depth + 1];
      const isLast = depth === p.length - 1;
      const ending = isLast ? (c.selfSigned ? t("self-signed root") : t("issuer not in this file: {0}", c.issuer.text)) : t("issued by {0}", displayName(byIndex.get(next)!.subject, t));
      return {
        id: `${id}/${pi}/${depth}`,
        label: `${depth + 1}. ${displayName(c.subject, t)}`,
        description: ending,
        tooltip: `${c.subject.text}\n↑ ${c.issuer.text}`,
        icon: isLast && !c.selfSigned ? { id: "debug-disconnect", color: COLORS.warning } : { id: depth === 0 ? "shield" : "arrow-up" },
        collapsible: "none",
        objectIndex: i,
        ...(c.line ? { reveal: { line: c.line } } : {}),
      } satisfies TreeNodeData;
    });
    return links;
  };
  const inOrder = paths.length === 1 && paths[0].every((x, k) => k === 0 || x > paths[0][k - 1]);
  return {
    id,
    label: t("Chain order"),
    description: paths.length === 1 ? (inOrder ? t("{0} certificates, leaf first", paths[0].length) : t("{0} certificates, not in leaf-first order", paths[0].length)) : t("{0} separate chains", paths.length),
    icon: { id: "list-ordered", ...(paths.length === 1 && !inOrder ? { color: COLORS.warning } : {}) },
    collapsible: "collapsed",
    children:
      paths.length === 1
        ? () => pathNodes(paths[0], 0)
        : () =>
            paths.map((p, pi) => ({
              id: `${id}/${pi}`,
              label: displayName(byIndex.get(p[0])!.subject, t),
              description: p.length === 1 ? t("1 link") : t("{0} links", p.length),
              collapsible: "collapsed" as Collapsible,
              icon: { id: "list-ordered" },
              children: () => pathNodes(p, pi),
            })),
  };
}

// ───────────────────────────── validation ─────────────────────────────

/** The "Validation" section: the chain found, each link green or red with its problems as children. */
export function validationNode(run: ValidationRun, ctx: TreeContext): TreeNodeData {
  const t = ctx.t ?? defaultT;
  const r = run.result;
  const id = `${ctx.uri}#validation`;
  const errors = r.problems.filter((p) => (p.severity ?? "error") === "error");
  const problemNode = (p: Problem, pid: string): TreeNodeData => ({
    id: pid,
    label: p.message,
    description: p.code,
    tooltip: `${p.code}: ${p.message}`,
    icon: (p.severity ?? "error") === "error" ? { id: "error", color: COLORS.error } : { id: "warning", color: COLORS.warning },
    collapsible: "none",
    copyValue: p.message,
    contextValue: "copyable",
  });
  const linkNode = (l: ChainLink, i: number): TreeNodeData => {
    const mine = r.problems.filter((p) => p.certIndex === i);
    const bad = mine.some((p) => (p.severity ?? "error") === "error");
    const line = run.lines?.[l.sha256.toLowerCase()];
    return {
      id: `${id}/link${i}`,
      label: `${i + 1}. ${shortDn(l.subject)}`,
      description: `${sourceLabel(l.source, t)}${mine.length ? ` · ${(mine.length === 1 ? t("1 problem") : t("{0} problems", mine.length))}` : ""}`,
      tooltip: `${l.subject}\n↑ ${l.issuer}\nSHA-256 ${colonHex(l.sha256)}\n${sourceLabel(l.source, t)}: ${chainSourceBadge(l.source, "file", t).tooltip}`,
      icon: bad ? { id: "error", color: COLORS.fail } : mine.length ? { id: "warning", color: COLORS.warning } : { id: "pass-filled", color: COLORS.ok },
      collapsible: mine.length ? "expanded" : "none",
      children: mine.map((p, k) => problemNode(p, `${id}/link${i}/p${k}`)),
      copyValue: l.subject,
      contextValue: "copyable validationLink",
      ...(line ? { reveal: { line } } : {}),
    };
  };
  const general = r.problems.filter((p) => p.certIndex === undefined || p.certIndex < 0 || p.certIndex >= r.chain.length);
  const opts = [run.host ? t("host {0}", run.host) : undefined, t("purpose {0}", run.purpose)].filter(Boolean).join(", ");
  const children: TreeNodeData[] = [
    ...r.chain.map(linkNode),
    ...general.map((p, k) => problemNode(p, `${id}/p${k}`)),
    ...(r.alternatives?.length
      ? [
          {
            id: `${id}/alt`,
            label: t("Other paths tried"),
            description: String(r.alternatives.length),
            icon: { id: "git-compare" },
            collapsible: "collapsed" as Collapsible,
            children: r.alternatives.slice(0, 10).map((a, ai) => ({
              id: `${id}/alt${ai}`,
              label: a.chain.map((l) => shortDn(l.subject)).join(" → "),
              description: a.problems.map((p) => p.code).join(", "),
              tooltip: a.problems.map((p) => p.message).join("\n"),
              icon: { id: "circle-slash", color: COLORS.muted },
              collapsible: "none" as Collapsible,
            })),
          },
        ]
      : []),
  ];
  return {
    id,
    label: r.valid ? t("Chain valid") : t("Chain invalid"),
    description: `${r.valid ? "" : (errors.length === 1 ? t("1 error") : t("{0} errors", errors.length)) + " · "}${opts}`,
    tooltip: t("Validated at {0} ({1})", formatTime(run.at), opts),
    icon: r.valid ? { id: "verified-filled", color: COLORS.ok } : { id: "error", color: COLORS.fail },
    collapsible: "expanded",
    contextValue: "validation",
    children,
  };
}

function shortDn(text: string): string {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(text);
  return m ? m[1].replace(/\\(.)/g, "$1") : text || "(empty name)";
}

/** Where a link came from, in plain words (src/shared/format.ts) — the tooltip says what the words mean. */
function sourceLabel(s: ChainLink["source"], t: Translate): string {
  return chainSourceBadge(s, "file", t).text;
}
