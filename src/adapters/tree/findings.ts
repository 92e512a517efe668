/**
 * Encoding findings in the tree: the object says how many there are, an "Encoding problems" node lists them,
 * and the field each one is about (subject, serial number, validity, an extension, …) carries a warning or
 * error icon and the finding in its tooltip. Pure (no vscode), like ./model.ts.
 */
import type { EncodingFinding, PkiObject } from "../../shared/model";
import { defaultT, type Translate } from "./format";
import type { TreeNodeData } from "./model";

const COLOR = { error: "list.errorForeground", warning: "list.warningForeground" } as const;

/** The child-node id suffix (below the object's id) a finding's `where` belongs to; undefined = the object. */
export function fieldOf(where: string): string | undefined {
  const p = where.replace(/^(tbsCertificate|tbsCertList|certificationRequestInfo)\./, "");
  const head = p.split(/[.[]/)[0];
  switch (head) {
    case "subject":
      return "subject";
    case "issuer":
      return "issuer";
    case "validity":
      return p.includes("notBefore") ? "validity/nb" : p.includes("notAfter") ? "validity/na" : "validity";
    case "serialNumber":
      return "serial";
    case "subjectPublicKeyInfo":
    case "subjectPKInfo":
      return "key";
    case "signature":
    case "signatureAlgorithm":
      return "sig";
    case "thisUpdate":
      return "this";
    case "nextUpdate":
      return "next";
    case "revokedCertificates":
      return "entries";
    case "extensions":
    case "crlExtensions":
    case "extensionRequest":
      return `ext:${(p.split(".")[1] ?? "").split("[")[0]}`;
    default:
      return undefined;
  }
}

function worst(fs: EncodingFinding[]): "error" | "warning" {
  return fs.some((f) => f.severity === "error") ? "error" : "warning";
}

function mark(node: TreeNodeData, fs: EncodingFinding[], t: Translate): TreeNodeData {
  const sev = worst(fs);
  return {
    ...node,
    icon: { id: sev, color: COLOR[sev] },
    description: `${t("encoding")} ⚠ · ${node.description ?? ""}`.replace(/ · $/, ""),
    tooltip: [node.tooltip ?? node.label, ...fs.map((f) => `${f.severity === "error" ? "✖" : "⚠"} ${f.message}`)].join("\n"),
  };
}

/** Marks the fields of `kids` (an object's children, ids `${objectId}/…`) that findings are about. */
function markFields(kids: TreeNodeData[], objectId: string, byField: Map<string, EncodingFinding[]>, t: Translate): TreeNodeData[] {
  return kids.map((k) => {
    const suffix = k.id.slice(objectId.length + 1);
    let node = k;
    if (suffix === "ext" && Array.isArray(k.children)) {
      // Extensions: mark the one named by the finding (labels start with the extension's name or OID).
      const marked = k.children.map((c) => {
        const hit = [...byField.entries()].filter(([f]) => f.startsWith("ext:") && (c.tooltip ?? "").startsWith(f.slice(4) + " ("));
        return hit.length ? mark(c, hit.flatMap(([, v]) => v), t) : c;
      });
      const any = [...byField.entries()].filter(([f]) => f.startsWith("ext:")).flatMap(([, v]) => v);
      node = any.length ? { ...mark(k, any, t), children: marked } : k;
    } else if (Array.isArray(k.children) && k.children.some((c) => byField.has(c.id.slice(objectId.length + 1)))) {
      const own = byField.get(suffix) ?? [];
      const kidsMarked = k.children.map((c) => {
        const fs = byField.get(c.id.slice(objectId.length + 1));
        return fs ? mark(c, fs, t) : c;
      });
      const all = [...own, ...k.children.flatMap((c) => byField.get(c.id.slice(objectId.length + 1)) ?? [])];
      node = { ...mark(k, all, t), children: kidsMarked };
    } else {
      const fs = byField.get(suffix);
      if (fs) node = mark(k, fs, t);
    }
    return node;
  });
}

/** The "Encoding problems" node: one child per finding (where, then the plain words). */
export function findingsNode(fs: EncodingFinding[], objectId: string, index: number, t: Translate = defaultT): TreeNodeData {
  const sev = worst(fs);
  return {
    id: `${objectId}/encoding`,
    label: t("Encoding problems"),
    description: String(fs.length),
    icon: { id: sev, color: COLOR[sev] },
    collapsible: "expanded",
    objectIndex: index,
    children: fs.map((f, i) => ({
      id: `${objectId}/encoding/${i}`,
      label: f.where || t("(whole object)"),
      description: f.message,
      tooltip: `${f.severity} · ${f.code}\n${f.where}\n${f.message}`,
      icon: { id: f.severity, color: COLOR[f.severity] },
      collapsible: "none",
      copyValue: `${f.where}: ${f.message}`,
      contextValue: "copyable",
      objectIndex: index,
    })),
  };
}

/** `node` (an object's tree node) with its encoding findings shown: count in the description, fields marked. */
export function withFindings(node: TreeNodeData, obj: PkiObject, t: Translate = defaultT): TreeNodeData {
  const fs = obj.findings ?? [];
  if (!fs.length) return node;
  const byField = new Map<string, EncodingFinding[]>();
  for (const f of fs) {
    const k = fieldOf(f.where);
    if (k) byField.set(k, [...(byField.get(k) ?? []), f]);
  }
  const kids = node.children;
  const index = node.objectIndex ?? 0;
  const count = fs.length === 1 ? t("1 encoding problem") : t("{0} encoding problems", fs.length);
  return {
    ...node,
    description: [node.description, count].filter(Boolean).join(" · "),
    tooltip: `${node.tooltip ?? node.label}\n${count}`,
    collapsible: node.collapsible === "none" ? "collapsed" : node.collapsible,
    children: () => {
      const base = typeof kids === "function" ? kids() : (kids ?? []);
      return [findingsNode(fs, node.id, index, t), ...markFields(base, node.id, byField, t)];
    },
  };
}
