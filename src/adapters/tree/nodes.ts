/**
 * The small tree-node builders every object's children are made of: a value leaf, a list, a distinguished name,
 * fingerprints, a public key, extensions; and the theme colours the tree uses. Pure functions (see ./model.ts).
 */
import type { ExtensionModel, PublicKeyInfo } from "../../shared/model";
import { colonHex, defaultT, extensionLabel, extensionText, isWeakKey, keyText, type Translate } from "./format";
import type { NodeIcon, TreeContext, TreeNodeData } from "./model";

export const COLORS = {
  error: "list.errorForeground",
  warning: "list.warningForeground",
  ok: "testing.iconPassed",
  fail: "testing.iconFailed",
  ca: "charts.blue",
  muted: "descriptionForeground",
};

export function leaf(id: string, label: string, value: string, index: number, extra: Partial<TreeNodeData> = {}): TreeNodeData {
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

export function listNode(id: string, label: string, values: string[], index: number, icon?: NodeIcon, description?: string): TreeNodeData {
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

export function nameNode(id: string, label: string, dn: { text: string; attributes: { type: string; value: string }[] }, index: number, icon: string): TreeNodeData {
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

export function fingerprintNode(id: string, fp: { sha1: string; sha256: string }, index: number, t: Translate): TreeNodeData {
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

export function keyNode(pk: PublicKeyInfo | undefined, id: string, ctx: TreeContext, index: number): TreeNodeData {
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

export function extensionsNode(exts: ExtensionModel[] | undefined, id: string, index: number, t: Translate, label?: string): TreeNodeData | undefined {
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
