/**
 * The words of a handshake run in the display language. The engine writes its diagnosis and warnings once, in
 * English (the contract: CLI, --json, the panel's exports and its recent runs keep them); the host says them again
 * in VS Code's language (recordingTranslator in ./format) and keeps that beside the run as `texts`. What the page
 * receives is the run with these texts in place of the English ones — one copy, never both.
 */
import type { Diagnosis, HandshakeResult } from "./model";
import type { HandshakeHostToPage, RunResult } from "./protocol/handshake";

/** The displayed texts of one run: the diagnosis (with its "Also" items), the warnings, why the application did not answer. */
export interface RunTexts {
  diagnosis: Diagnosis | null;
  warnings: string[];
  noAnswer?: string;
  /** The run's error message (the banner's "Error:" line). */
  error?: string;
}

/** The run's texts, each said again by `say` (an English text it does not know stays as it is). */
export function runTexts(r: HandshakeResult, say: (text: string) => string): RunTexts {
  const d = r.diagnosis;
  return {
    diagnosis: d
      ? {
          ...d,
          summary: say(d.summary),
          fix: say(d.fix),
          ...(d.also ? { also: d.also.map((a) => ({ ...a, summary: say(a.summary), fix: say(a.fix) })) } : {}),
        }
      : null,
    warnings: (r.warnings ?? []).map(say),
    ...(r.application?.noAnswer ? { noAnswer: say(r.application.noAnswer) } : {}),
    ...(r.error ? { error: say(r.error.message) } : {}),
  };
}

/** The run as the page gets it: the display texts in place of the English ones, and no separate `texts`. */
export function runForPage(run: RunResult): RunResult {
  const { texts, ...rest } = run;
  if (!texts) return rest;
  const r = run.result;
  const application = r.application && texts.noAnswer !== undefined ? { ...r.application, noAnswer: texts.noAnswer } : r.application;
  const error = r.error && texts.error !== undefined ? { ...r.error, message: texts.error } : r.error;
  return { ...rest, result: { ...r, diagnosis: texts.diagnosis, ...(r.warnings ? { warnings: texts.warnings } : {}), ...(application ? { application } : {}), ...(error ? { error } : {}) } };
}

/** A message to the page with any run in it in the display language. */
export function messageForPage(m: HandshakeHostToPage): HandshakeHostToPage {
  if (m.type === "handshake/result") return { ...m, run: runForPage(m.run) };
  if (m.type === "handshake/state" && m.state.last) return { ...m, state: { ...m.state, last: runForPage(m.state.last) } };
  return m;
}
