/**
 * Certificate policy processing, RFC 5280 §6.1.2 (a),(d)-(f), §6.1.3 (d)-(f), §6.1.4 (a),(b),(h)-(j) and
 * §6.1.5 (a),(b),(g), with the §6.1.1 initial inputs (PolicyInputs; by default those a TLS client uses:
 * user-initial-policy-set = {anyPolicy}, initial-explicit-policy, initial-policy-mapping-inhibit and
 * initial-any-policy-inhibit all false). A path fails when an explicit policy is required (by the inputs or
 * a CA's requireExplicitPolicy) and no acceptable policy survives down to the leaf. The tree has a node
 * budget against policy-mapping explosions.
 */
import type { ParsedCert } from "./cert";
import { t } from "../l10n";

export const ANY_POLICY = "2.5.29.32.0";
const NODE_BUDGET = 4096;

interface PolicyNode {
  policy: string;
  expected: Set<string>;
  children: PolicyNode[];
  parent?: PolicyNode;
}

/** RFC 5280 §6.1.1 (c),(e),(f),(g). */
export interface PolicyInputs {
  /** user-initial-policy-set (OIDs); absent or empty = {anyPolicy}. */
  initialPolicySet?: string[];
  /** initial-explicit-policy. */
  requireExplicitPolicy?: boolean;
  /** initial-policy-mapping-inhibit. */
  inhibitPolicyMapping?: boolean;
  /** initial-any-policy-inhibit. */
  inhibitAnyPolicy?: boolean;
}

export interface PolicyFailure {
  /** Index into the top-down list of certificates where processing failed. */
  index: number;
  reason: string;
}

/**
 * Runs policy processing over `certs`, top-down: the certificate the trust anchor issued first, the leaf
 * last (the anchor itself is not processed, RFC 5280 §6.1). Null when the path is acceptable.
 */
export function processPolicies(certs: ParsedCert[], inputs: PolicyInputs = {}): PolicyFailure | null {
  const n = certs.length;
  if (n === 0) return null;
  // §6.1.2 (d),(e),(f)
  let explicitPolicy = inputs.requireExplicitPolicy ? 0 : n + 1;
  let inhibitAnyPolicy = inputs.inhibitAnyPolicy ? 0 : n + 1;
  let policyMapping = inputs.inhibitPolicyMapping ? 0 : n + 1;
  const levels: PolicyNode[][] = [[{ policy: ANY_POLICY, expected: new Set([ANY_POLICY]), children: [] }]];
  let treeNull = false;
  let nodes = 1;

  const add = (parent: PolicyNode, policy: string, expected: Set<string>, depth: number): void => {
    const node: PolicyNode = { policy, expected, children: [], parent };
    parent.children.push(node);
    (levels[depth] ??= []).push(node);
    nodes++;
  };
  /** Removes childless nodes from depth `from` up to the root; the tree is NULL when the root goes. */
  const prune = (from: number): void => {
    for (let d = from; d >= 0; d--) {
      const keep: PolicyNode[] = [];
      for (const node of levels[d] ?? []) {
        if (node.children.length > 0) keep.push(node);
        else if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node);
      }
      levels[d] = keep;
    }
    if (levels[0].length === 0) treeNull = true;
  };
  const removeAt = (depth: number, pred: (n: PolicyNode) => boolean): void => {
    for (const node of (levels[depth] ?? []).filter(pred)) if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node);
    levels[depth] = (levels[depth] ?? []).filter((x) => !pred(x));
  };

  for (let i = 1; i <= n; i++) {
    const c = certs[i - 1];
    const last = i === n;
    levels[i] = [];
    // §6.1.3 (d): extend the tree with this certificate's policies; (e): no policies, no tree.
    if (c.policies && !treeNull) {
      const prev = levels[i - 1];
      for (const p of c.policies) {
        if (p === ANY_POLICY) continue;
        const matches = prev.filter((node) => node.expected.has(p));
        if (matches.length) for (const node of matches) add(node, p, new Set([p]), i);
        else for (const node of prev.filter((x) => x.policy === ANY_POLICY)) add(node, p, new Set([p]), i);
      }
      if (c.policies.includes(ANY_POLICY) && (inhibitAnyPolicy > 0 || (!last && c.selfIssued))) {
        for (const node of prev)
          for (const e of node.expected) if (!node.children.some((ch) => ch.policy === e)) add(node, e, new Set([e]), i);
      }
      prune(i - 1);
      if (nodes > NODE_BUDGET) return { index: i - 1, reason: t("the certificate policy tree grows beyond the processing bound") };
    } else treeNull = true;
    // §6.1.3 (f)
    if (explicitPolicy <= 0 && treeNull) return { index: i - 1, reason: t("an explicit certificate policy is required here but no acceptable policy remains on the path (RFC 5280 §6.1.3 (f))") };

    if (!last) {
      // §6.1.4 (a),(b): policy mappings.
      const maps = c.policyMappings ?? [];
      if (maps.some((m) => m.issuer === ANY_POLICY || m.subject === ANY_POLICY))
        return { index: i - 1, reason: t("policyMappings maps to or from anyPolicy (RFC 5280 §6.1.4 (a))") };
      if (maps.length && !treeNull) {
        const byIssuer = new Map<string, Set<string>>();
        for (const m of maps) (byIssuer.get(m.issuer) ?? byIssuer.set(m.issuer, new Set()).get(m.issuer)!).add(m.subject);
        for (const [idp, subjects] of byIssuer) {
          if (policyMapping > 0) {
            const hits = levels[i].filter((x) => x.policy === idp);
            if (hits.length) for (const h of hits) h.expected = new Set(subjects);
            else {
              const anyNode = levels[i].find((x) => x.policy === ANY_POLICY);
              if (anyNode?.parent) add(anyNode.parent, idp, new Set(subjects), i);
            }
          } else {
            removeAt(i, (x) => x.policy === idp);
            prune(i - 1);
          }
        }
        if (nodes > NODE_BUDGET) return { index: i - 1, reason: t("the certificate policy tree grows beyond the processing bound") };
      }
      // §6.1.4 (h),(i),(j): counters.
      if (!c.selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      const pc = c.policyConstraints;
      if (pc?.requireExplicitPolicy !== undefined && pc.requireExplicitPolicy < explicitPolicy) explicitPolicy = pc.requireExplicitPolicy;
      if (pc?.inhibitPolicyMapping !== undefined && pc.inhibitPolicyMapping < policyMapping) policyMapping = pc.inhibitPolicyMapping;
      if (c.inhibitAnyPolicy !== undefined && c.inhibitAnyPolicy < inhibitAnyPolicy) inhibitAnyPolicy = c.inhibitAnyPolicy;
    } else {
      // §6.1.5 (a),(b)
      if (explicitPolicy > 0) explicitPolicy--;
      if (c.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
    }
  }
  // §6.1.5 (g): the intersection with user-initial-policy-set ({anyPolicy}: the tree itself).
  const userSet = inputs.initialPolicySet?.length ? inputs.initialPolicySet : [ANY_POLICY];
  if (!treeNull && !userSet.includes(ANY_POLICY)) treeNull = intersect(levels, n, userSet);
  if (explicitPolicy > 0 || !treeNull) return null;
  const reason = userSet.includes(ANY_POLICY)
    ? t("an explicit certificate policy is required but no policy is valid for the whole path (RFC 5280 §6.1.5 (g))")
    : t("an explicit certificate policy is required but none of the acceptable policies ({0}) is valid for the whole path (RFC 5280 §6.1.5 (g))", userSet.join(", "));
  return { index: n - 1, reason };
}

/** §6.1.5 (g)(iii): cuts the valid policy tree down to the user-initial-policy-set; true when nothing is left. */
function intersect(levels: PolicyNode[][], n: number, userSet: string[]): boolean {
  const detach = (node: PolicyNode) => {
    if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node);
  };
  // (1),(2): nodes whose parent is anyPolicy and whose policy is neither acceptable nor anyPolicy go, with their subtrees.
  const boundary = levels.flat().filter((x) => x.parent?.policy === ANY_POLICY);
  const kept = new Set<string>();
  for (const node of boundary) {
    if (node.policy !== ANY_POLICY && !userSet.includes(node.policy)) detach(node);
    else kept.add(node.policy);
  }
  // (3): an anyPolicy leaf stands for every acceptable policy not yet in the tree.
  const root = levels[0][0];
  const rebuild = () => {
    for (let d = 0; d < levels.length; d++) levels[d] = [];
    const walk = (node: PolicyNode, d: number) => {
      levels[d].push(node);
      for (const c of node.children) walk(c, d + 1);
    };
    walk(root, 0);
  };
  rebuild();
  const anyLeaf = levels[n]?.find((x) => x.policy === ANY_POLICY);
  if (anyLeaf?.parent) {
    for (const p of userSet)
      if (!kept.has(p)) {
        const node: PolicyNode = { policy: p, expected: new Set([p]), children: [], parent: anyLeaf.parent };
        anyLeaf.parent.children.push(node);
      }
    detach(anyLeaf);
    rebuild();
  }
  // (4): prune childless nodes above depth n.
  for (let d = n - 1; d >= 0; d--)
    for (const node of levels[d]) if (node.children.length === 0) detach(node);
  return root.children.length === 0 && n > 0;
}
