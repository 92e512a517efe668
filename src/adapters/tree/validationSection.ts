/**
 * The tree's "Validation" section for the latest chain validation run on the file (./validations.ts keeps the
 * runs): the chain found, each link with its problems, and the other paths tried.
 */
import { chainSourceBadge } from "../../shared/format";
import type { ChainLink, Problem } from "../../shared/model";
import { colonHex, defaultT, formatTime, type Translate } from "./format";
import { COLORS } from "./nodes";
import type { Collapsible, TreeContext, TreeNodeData, ValidationRun } from "./model";

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
