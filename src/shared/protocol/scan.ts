/**
 * The typed protocol between the "Scan TLS Configuration" webview (webview/views/scan.ts) and its host
 * (src/adapters/scan/panel.ts). One module, both sides; no vscode and no Node here.
 *
 * Flow: the page posts `ready`; the host answers with `scan/state`. Every other page message is a request with
 * an `id`, answered by exactly one `scan/response`. Progress and the result arrive as `scan/state` updates.
 */
import type { ScanProgress, ScanResult } from "../scanModel";
import { isStartTlsProtocol, STARTTLS_PROTOCOLS, type StartTlsProtocol } from "../starttls";

export interface ScanForm {
  host: string;
  port: number | null;
  servername: string;
  /** Per connection. */
  timeoutMs: number;
  /** Upgrade this plaintext protocol first (certscope scan --starttls); "" = TLS from the first byte. */
  starttls: "" | StartTlsProtocol;
}

export interface ScanViewState {
  form: ScanForm;
  running: boolean;
  progress?: ScanProgress;
  result?: ScanResult;
  /** Why the last scan could not run (unreachable, not TLS, bad input), in plain words. */
  error?: string;
  /** The last scan was cancelled: whatever it had found is dropped, and nothing from it arrives later. */
  cancelled?: boolean;
}

export type ScanAction = "exportJson" | "exportMarkdown" | "openCert" | "openHandshake";
export const SCAN_ACTIONS: readonly ScanAction[] = ["exportJson", "exportMarkdown", "openCert", "openHandshake"];

export type ScanPageToHost =
  | { type: "ready" }
  | { type: "scan/start"; id: number; form: ScanForm }
  | { type: "scan/cancel"; id: number }
  /** openCert: `chain` indexes result.certificates, `index` the certificate in it. */
  | { type: "scan/action"; id: number; action: ScanAction; chain?: number; index?: number };

export type ScanHostToPage = { type: "scan/state"; state: ScanViewState } | { type: "scan/response"; id: number; ok: true; message?: string } | { type: "scan/response"; id: number; ok: false; error: string };

const isId = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function parseForm(v: unknown): ScanForm | string {
  if (!v || typeof v !== "object") return "form missing";
  const f = v as Record<string, unknown>;
  if (typeof f.host !== "string" || f.host.length > 1000) return "host must be text";
  if (f.port !== null && !(isId(f.port) && f.port >= 1 && f.port <= 65535)) return "port must be 1–65535";
  if (typeof f.servername !== "string" || f.servername.length > 1000) return "servername must be text";
  if (!(typeof f.timeoutMs === "number" && Number.isFinite(f.timeoutMs) && f.timeoutMs >= 100 && f.timeoutMs <= 120000)) return "timeout must be 100–120000 ms";
  // Absent means none, as in the handshake form.
  if (!(f.starttls === undefined || f.starttls === "" || isStartTlsProtocol(f.starttls))) return `starttls must be '' or one of ${STARTTLS_PROTOCOLS.join(", ")}`;
  return { host: f.host, port: f.port as number | null, servername: f.servername, timeoutMs: f.timeoutMs, starttls: (f.starttls ?? "") as "" | StartTlsProtocol };
}

/** Runtime guard for page messages: the message, or why it is invalid (with its id when it had one). */
export function parseScanMessage(m: unknown): ScanPageToHost | { invalid: string; id?: number } {
  if (!m || typeof m !== "object") return { invalid: "not an object" };
  const v = m as Record<string, unknown>;
  if (v.type === "ready") return { type: "ready" };
  const id = isId(v.id) ? v.id : undefined;
  if (id === undefined) return { invalid: `message ${String(v.type)} without a valid id` };
  switch (v.type) {
    case "scan/start": {
      const f = parseForm(v.form);
      return typeof f === "string" ? { invalid: f, id } : { type: "scan/start", id, form: f };
    }
    case "scan/cancel":
      return { type: "scan/cancel", id };
    case "scan/action": {
      if (!(SCAN_ACTIONS as readonly unknown[]).includes(v.action)) return { invalid: `unknown action ${String(v.action)}`, id };
      if (v.action === "openCert" && (!isId(v.chain) || !isId(v.index))) return { invalid: "openCert needs chain and index", id };
      return { type: "scan/action", id, action: v.action as ScanAction, chain: v.chain as number | undefined, index: v.index as number | undefined };
    }
    default:
      return { invalid: `unknown message type ${String(v.type)}`, id };
  }
}
