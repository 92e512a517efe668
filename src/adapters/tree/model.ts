/**
 * From the core's view models to tree-item data: pure functions (no vscode, no Node), so the whole mapping
 * is tested in plain Node. src/adapters/tree/provider.ts turns a TreeNodeData into a vscode.TreeItem.
 *
 * contextValue is a space-separated set of flags; package.json menus match them with regexes
 * (`viewItem =~ /\bcopyable\b/`): object, certificate/csr/crl/privateKey/publicKey/container, copyable,
 * fingerprint, exportable, validatable, viewable, validation.
 *
 * This file holds the node types, the root nodes of a file and one node per object; the children of each object
 * are in ./children.ts (built from ./nodes.ts), the chain order in ./chainOrder.ts, the Validation section in
 * ./validationSection.ts.
 */
import type { CertificateModel, InspectResult, PkiObject, VerifyResult } from "../../shared/model";
import { defaultT, displayName, flattenObjects, formatTime, colonHex, isWeakKey, kindLabel, objectName, relativeValidity, validityInfo, type Translate, type ValidityInfo } from "./format";
import { ocspFacts, ocspTitle } from "./ocspFormat";
import { withFindings } from "./findings";
import { COLORS, keyNode, leaf, listNode } from "./nodes";
import { certificateChildren, crlChildren, csrChildren, privateKeyChildren } from "./children";
import { chainOrderNode } from "./chainOrder";
import { validationNode } from "./validationSection";

// Part of this module's face before the split (test/adapters/tree-model.test.ts).
export { chainOrder, type ChainOrder } from "./chainOrder";

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
