/**
 * The "Chain order" node of a file with several certificates: each leaf up through its issuers, as found in
 * the file (by names and key identifiers; no signature checks, that is the Validation section's work).
 */
import type { CertificateModel } from "../../shared/model";
import { defaultT, displayName } from "./format";
import { COLORS } from "./nodes";
import type { Collapsible, TreeContext, TreeNodeData } from "./model";

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

export function chainOrderNode(certs: { o: CertificateModel; i: number }[], ctx: TreeContext): TreeNodeData | undefined {
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
