/**
 * Outline / breadcrumbs entries for the PEM blocks of a document. Pure (no vscode): the provider turns
 * `SymbolSpec` into DocumentSymbol.
 */
import type { DocRange, DocEntry } from "../../core/doc/types";
import { entryDetail, entryTitle, expiryPhrase, objectTitle, type Translate } from "../documents/describe";
import { expiryOf } from "../../core/doc/facts";

/** Mapped onto vscode.SymbolKind by the provider. */
export type SymbolKindName = "certificate" | "csr" | "crl" | "key" | "container" | "other" | "error";

export interface SymbolSpec {
  name: string;
  detail: string;
  kind: SymbolKindName;
  range: DocRange;
  selectionRange: DocRange;
  children: SymbolSpec[];
}

function kindOf(entry: DocEntry): SymbolKindName {
  if (entry.error) return "error";
  switch (entry.object?.kind) {
    case "certificate":
      return "certificate";
    case "csr":
      return "csr";
    case "crl":
      return "crl";
    case "privateKey":
    case "publicKey":
      return "key";
    case "pkcs7":
    case "pkcs12":
      return "container";
    default:
      return "other";
  }
}

export function documentSymbols(entries: readonly DocEntry[], now: Date, expiryWarningDays: number, t: Translate): SymbolSpec[] {
  return entries.map((entry) => {
    const range = entry.block.range;
    const children: SymbolSpec[] = [];
    const o = entry.object;
    if (o && (o.kind === "pkcs7" || o.kind === "pkcs12")) {
      for (const inner of o.objects) {
        const e = inner.kind === "certificate" ? expiryOf(inner.notBefore, inner.notAfter, now, expiryWarningDays) : undefined;
        children.push({
          name: objectTitle(inner, t),
          detail: e ? expiryPhrase(e, t) : "",
          kind: inner.kind === "certificate" ? "certificate" : inner.kind === "privateKey" || inner.kind === "publicKey" ? "key" : "other",
          range,
          selectionRange: range,
          children: [],
        });
      }
    }
    return { name: entryTitle(entry, t), detail: entryDetail(entry, t), kind: kindOf(entry), range, selectionRange: range, children };
  });
}
