/**
 * CodeLens above each certificate: "CN=… · expires in 23 days", clicking opens the viewer. Pure (no vscode).
 */
import type { DocPosition, DocEntry } from "../../core/doc/types";
import { expiryPhrase, shortName, type Translate } from "../documents/describe";
import type { BlockRef } from "../documents/links";

export interface LensSpec {
  /** Where the lens sits: the start of the block's BEGIN marker. */
  position: DocPosition;
  title: string;
  tooltip: string;
  command: "certscope.openViewer";
  ref: BlockRef;
}

export function codeLenses(uri: string, entries: readonly DocEntry[], t: Translate): LensSpec[] {
  const out: LensSpec[] = [];
  for (const entry of entries) {
    const o = entry.object;
    if (!o || o.kind !== "certificate") continue;
    const e = entry.facts.expiry;
    const icon = !e ? "" : e.status === "expired" ? "$(error) " : e.status === "expiring" ? "$(warning) " : e.status === "not_yet_valid" ? "$(clock) " : "";
    // Codicon syntax in a subject must stay text: "$(" would otherwise render an icon.
    const name = shortName(o.subject, t).replace(/\$\(/g, "$\u200b(");
    const phrase = e ? expiryPhrase(e, t) : "";
    out.push({
      position: entry.block.range.start,
      title: `${icon}${name}${phrase ? ` · ${phrase}` : ""}`.replace(/\s+/g, " "),
      tooltip: t("Open {0} in the certificate viewer", name),
      command: "certscope.openViewer",
      ref: { uri, line: entry.block.line, index: entry.block.index },
    });
  }
  return out;
}
