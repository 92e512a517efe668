/**
 * The other independent problems of one run, besides the primary diagnosis: a run that failed on the client
 * certificate may also have shown an untrusted server chain; a chain may be expired and for another name and
 * untrusted at once. Each is judged as if it were the only one (the chain's problems grouped into families:
 * validity, trust, name, the rest), so the user learns everything one run found instead of one problem per run.
 */
import type { Diagnosis, SecondaryDiagnosis, VerifyResult } from "../../shared/model";
import type { DiagnosisInput } from "./diagnosis";

/** The chain's problem codes grouped into independent families; a code in none of them falls into "the rest". */
const FAMILIES: string[][] = [["expired"], ["not_yet_valid"], ["self_signed", "missing_issuer", "untrusted_root"], ["hostname_mismatch"]];

/** Most secondary problems listed (bounded: the families above plus the rest). */
const MAX_ALSO = FAMILIES.length + 1;

type ChainJudge = (x: DiagnosisInput) => { category: string; summary: string; fix: string } | null;

/** Secondary problems of a failed run whose primary category is `primary` (none when cancelled or nothing else was seen). */
export function alsoProblems(x: DiagnosisInput, primary: string, judgeChain: ChainJudge): SecondaryDiagnosis[] {
  const v = x.validation;
  if (x.attempt.cancelled || !v || v.valid || x.serverChain.length === 0) return [];
  const known = new Set(FAMILIES.flat());
  const groups = [...FAMILIES.map((codes) => (p: string) => codes.includes(p)), (p: string) => !known.has(p)];
  const out: SecondaryDiagnosis[] = [];
  const seen = new Set([primary]);
  for (const inGroup of groups) {
    const problems = v.problems.filter((p) => inGroup(p.code));
    if (!problems.some((p) => p.severity !== "warning")) continue;
    const only: VerifyResult = { ...v, problems };
    const d = judgeChain({ ...x, validation: only });
    if (!d || seen.has(d.category)) continue;
    seen.add(d.category);
    out.push({ category: d.category, summary: d.summary, fix: d.fix });
    if (out.length >= MAX_ALSO) break;
  }
  return out;
}

/** The diagnosis with its secondary problems attached (the field only when there are some). */
export function withAlso(d: Diagnosis, x: DiagnosisInput, judgeChain: ChainJudge): Diagnosis {
  const also = alsoProblems(x, d.category, judgeChain);
  return also.length ? { ...d, also } : d;
}
