/**
 * The typed protocol between the certificate viewer webview (webview/views/viewer.ts) and its host
 * (src/adapters/editor/viewerProvider.ts). One module, both sides; no vscode and no Node here.
 *
 * Flow: the page posts `ready`; the host answers with `viewer/state` (and again whenever the file changes).
 * Actions the page asks for are requests with an `id`; the host always answers each one with a
 * `viewer/response` carrying either `ok: true` or an `error` — a request never stays unanswered.
 *
 * The state is a view-model built on the host: labels and values as plain strings, never HTML and never key
 * material (private keys, passphrases). The page renders every string as a text node.
 */

// ───────────────────────────── view-model ─────────────────────────────

/** Stable section ids, in reading order; the page renders them as `data-section="…"`. */
export type ViewerSectionId = "subject" | "issuer" | "validity" | "usage" | "key" | "extensions" | "entries" | "contents" | "chain" | "encoding";

export type Tone = "ok" | "warning" | "error" | "info";

export interface ViewerRow {
  label: string;
  value: string;
  /** Render in the editor's monospace font (hex, base64, OIDs). */
  mono?: boolean;
  /** Colour the value (status words such as "expired"). */
  tone?: Tone;
  /** Offer a copy button for this value. */
  copy?: boolean;
  /** A secondary line under the value (e.g. the OID of an extension). */
  note?: string;
}

export interface ViewerSection {
  id: ViewerSectionId;
  title: string;
  rows: ViewerRow[];
  /** Open when first shown (the page keeps the user's later choice). */
  open: boolean;
}

export interface ViewerBadge {
  text: string;
  tone: Tone;
}

/** What the page may ask the host to do for one object. */
export type ViewerAction = "exportPem" | "exportDer" | "validateChain" | "revealBlock" | "checkRevocation";

export interface ViewerObject {
  /** Index of the object in the file's flattened object list (the host's key for actions). */
  index: number;
  kind: string;
  /** "Certificate", "Private key", … (localised by the host). */
  kindLabel: string;
  /** Main heading: the subject CN or the best name there is. */
  title: string;
  /** Second line: e.g. "issued by …". */
  subtitle?: string;
  badges: ViewerBadge[];
  sections: ViewerSection[];
  actions: ViewerAction[];
  /** Nesting level inside PKCS#12 / PKCS#7 containers (0 = top level). */
  depth: number;
}

export interface ViewerNotice {
  tone: Tone;
  text: string;
}

export type ViewerStatus = "loading" | "ready" | "error" | "locked";

export interface ViewerLabels {
  copy: string;
  copied: string;
  exportPem: string;
  exportDer: string;
  validateChain: string;
  revealBlock: string;
  /** Optional: hosts older than the revocation work do not send it (the page falls back to English). */
  checkRevocation?: string;
  enterPassword: string;
  retry: string;
  loading: string;
}

export interface ViewerState {
  status: ViewerStatus;
  /** File name shown in the heading (base name). */
  fileName: string;
  /** Plain-words summary under the heading, e.g. "3 certificates, 1 private key". */
  summary?: string;
  /** For status "error" / "locked": what is wrong, naming the file. */
  message?: string;
  notices: ViewerNotice[];
  objects: ViewerObject[];
  /** Decoding errors of individual blocks (the rest of the file still shows). */
  errors: { line?: number; message: string }[];
  labels: ViewerLabels;
}

// ───────────────────────────── messages ─────────────────────────────

/** Page → host: the page has mounted and wants the state. */
export interface ReadyMessage {
  type: "ready";
}

/** Page → host: copy a value to the clipboard. */
export interface CopyRequest {
  type: "viewer/copy";
  id: number;
  text: string;
}

/** Page → host: run an action on one object. */
export interface ActionRequest {
  type: "viewer/action";
  id: number;
  action: ViewerAction;
  index: number;
}

/** Page → host: ask again for the PKCS#12 password / reload the file. */
export interface UnlockRequest {
  type: "viewer/unlock";
  id: number;
}

export interface ReloadRequest {
  type: "viewer/reload";
  id: number;
}

export type ViewerRequest = CopyRequest | ActionRequest | UnlockRequest | ReloadRequest;
export type ViewerToHost = ReadyMessage | ViewerRequest;

/** Host → page: the whole state (initially and on every change). */
export interface StateMessage {
  type: "viewer/state";
  state: ViewerState;
}

/** Host → page: the answer to one request. */
export interface ResponseMessage {
  type: "viewer/response";
  id: number;
  ok: boolean;
  /** Set when `ok` is false: plain words for the page to show. */
  error?: string;
}

/** Host → page: bring one object into view (e.g. the tree's "Open in viewer" on a bundle's 3rd cert). */
export interface FocusMessage {
  type: "viewer/focus";
  index: number;
}

export type HostToViewer = StateMessage | ResponseMessage | FocusMessage;

// ───────────────────────────── runtime guards ─────────────────────────────

const ACTIONS: readonly ViewerAction[] = ["exportPem", "exportDer", "validateChain", "revealBlock", "checkRevocation"];
const MAX_COPY = 1_000_000;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Validates a message from the page. Returns the typed message, or `{ invalid }` with the reason (and the
 * request id when one could be read, so the host can still answer it with an error).
 */
export function parseViewerMessage(v: unknown): ViewerToHost | { invalid: string; id?: number } {
  if (!isObj(v) || typeof v.type !== "string") return { invalid: "message without a type" };
  const id = isId(v.id) ? v.id : undefined;
  switch (v.type) {
    case "ready":
      return { type: "ready" };
    case "viewer/copy":
      if (id === undefined) return { invalid: "viewer/copy without a valid id" };
      if (typeof v.text !== "string" || v.text.length > MAX_COPY) return { invalid: "viewer/copy needs a text string", id };
      return { type: "viewer/copy", id, text: v.text };
    case "viewer/action":
      if (id === undefined) return { invalid: "viewer/action without a valid id" };
      if (typeof v.action !== "string" || !(ACTIONS as readonly string[]).includes(v.action)) return { invalid: `unknown action ${String(v.action)}`, id };
      if (!isId(v.index)) return { invalid: "viewer/action needs an object index", id };
      return { type: "viewer/action", id, action: v.action as ViewerAction, index: v.index };
    case "viewer/unlock":
    case "viewer/reload":
      if (id === undefined) return { invalid: `${v.type} without a valid id` };
      return { type: v.type, id };
    default:
      return { invalid: `unknown message type ${v.type}`, id };
  }
}

function isStringArrayOf(v: unknown, each: (x: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every(each);
}

function isRow(v: unknown): boolean {
  return isObj(v) && typeof v.label === "string" && typeof v.value === "string";
}

function isSection(v: unknown): boolean {
  return isObj(v) && typeof v.id === "string" && typeof v.title === "string" && isStringArrayOf(v.rows, isRow);
}

function isViewerObject(v: unknown): boolean {
  return (
    isObj(v) &&
    isId(v.index) &&
    typeof v.kind === "string" &&
    typeof v.title === "string" &&
    Array.isArray(v.badges) &&
    isStringArrayOf(v.sections, isSection) &&
    Array.isArray(v.actions)
  );
}

/** Validates a message from the host (the page trusts nothing it did not check). */
export function parseHostMessage(v: unknown): HostToViewer | undefined {
  if (!isObj(v) || typeof v.type !== "string") return undefined;
  switch (v.type) {
    case "viewer/state": {
      const s = v.state;
      if (!isObj(s) || typeof s.status !== "string" || typeof s.fileName !== "string") return undefined;
      if (!["loading", "ready", "error", "locked"].includes(s.status)) return undefined;
      if (!isStringArrayOf(s.objects, isViewerObject) || !Array.isArray(s.notices) || !Array.isArray(s.errors) || !isObj(s.labels)) return undefined;
      return { type: "viewer/state", state: s as unknown as ViewerState };
    }
    case "viewer/response":
      if (!isId(v.id) || typeof v.ok !== "boolean") return undefined;
      return { type: "viewer/response", id: v.id, ok: v.ok, ...(typeof v.error === "string" ? { error: v.error } : {}) };
    case "viewer/focus":
      return isId(v.index) ? { type: "viewer/focus", index: v.index } : undefined;
    default:
      return undefined;
  }
}
