/**
 * Where each chain-validation problem belongs in the validated file: pure (no vscode), tested in plain Node.
 * A problem about a certificate of the file goes on that certificate's block; a problem about a certificate
 * from elsewhere (an intermediate from settings, a system root) or about no certificate goes on the leaf's
 * block, naming the certificate it concerns.
 */
import type { Problem, VerifyResult } from "../../shared/model";

export interface BlockRef {
  /** Lowercase hex SHA-256 of the certificate's DER. */
  sha256: string;
  /** Index of the block (into the caller's list of blocks with ranges). */
  block: number;
}

export interface PlacedProblem {
  block: number;
  message: string;
  code: string;
  severity: "error" | "warning";
}

function cnOf(dn: string): string {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(dn);
  return m ? m[1].replace(/\\(.)/g, "$1") : dn;
}

export function placeProblems(result: VerifyResult, blocks: BlockRef[], leafBlock: number): PlacedProblem[] {
  const bySha = new Map(blocks.map((b) => [b.sha256.toLowerCase(), b.block]));
  const out: PlacedProblem[] = [];
  for (const p of result.problems) {
    const link = p.certIndex !== undefined ? result.chain[p.certIndex] : undefined;
    const own = link ? bySha.get(link.sha256.toLowerCase()) : undefined;
    const block = own ?? leafBlock;
    const about = link && own === undefined ? `${cnOf(link.subject)} (${link.source}): ` : "";
    out.push({ block, message: `${about}${p.message}`, code: p.code, severity: severityOf(p) });
  }
  return out;
}

export function severityOf(p: Problem): "error" | "warning" {
  return p.severity === "warning" ? "warning" : "error";
}

/** One line for a notification: "CN=a → CN=b → CN=root". */
export function chainSummary(result: VerifyResult): string {
  return result.chain.map((l) => cnOf(l.subject)).join(" → ");
}
