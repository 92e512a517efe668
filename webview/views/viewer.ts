/**
 * The certificate viewer page. It renders the host's view-model (src/shared/protocol/viewer.ts) and nothing
 * else: every string goes in as a text node through h(), never as HTML. Posts `ready`, then re-renders on
 * every `viewer/state`. Actions are requests with ids; the host answers each one.
 */
import { h, clear } from "../dom";
import { onMessage, post } from "../ipc";
import { t } from "../l10n";
import {
  parseHostMessage,
  type ViewerAction,
  type ViewerLabels,
  type ViewerObject,
  type ViewerRow,
  type ViewerSection,
  type ViewerState,
  type ViewerRequest,
} from "../../src/shared/protocol/viewer";

let nextId = 1;
const pending = new Map<number, (ok: boolean, error?: string) => void>();
/** Sections the user opened or closed, by "objectIndex/sectionId", kept across re-renders. */
const openState = new Map<string, boolean>();

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

function request(msg: WithoutId<ViewerRequest>, done?: (ok: boolean, error?: string) => void): void {
  const id = nextId++;
  if (done) pending.set(id, done);
  post({ ...msg, id } as ViewerRequest);
}

export function mount(root: HTMLElement): void {
  const page = h("div", { id: "viewer", class: "viewer", "data-status": "loading" }, h("p", { class: "viewer-loading" }, t("Loading…")));
  const status = h("div", { class: "viewer-status", role: "status", "aria-live": "polite" });
  root.append(page, status);

  const say = (text: string, tone: "info" | "error" = "info") => {
    status.textContent = text;
    status.dataset.tone = tone;
    status.classList.add("visible");
    window.setTimeout(() => status.classList.remove("visible"), 2500);
  };

  onMessage((raw) => {
    const msg = parseHostMessage(raw);
    if (!msg) return;
    switch (msg.type) {
      case "viewer/state":
        render(page, msg.state, say);
        break;
      case "viewer/response": {
        const done = pending.get(msg.id);
        pending.delete(msg.id);
        if (done) done(msg.ok, msg.error);
        else if (!msg.ok && msg.error) say(msg.error, "error");
        break;
      }
      case "viewer/focus": {
        const el = page.querySelector<HTMLElement>(`[data-index="${msg.index}"]`);
        if (el) {
          el.scrollIntoView({ block: "start" });
          el.classList.add("focused");
          window.setTimeout(() => el.classList.remove("focused"), 1500);
        }
        break;
      }
    }
  });
  post({ type: "ready" });
}

type Say = (text: string, tone?: "info" | "error") => void;

function render(page: HTMLElement, s: ViewerState, say: Say): void {
  clear(page);
  page.dataset.status = s.status;
  const L = s.labels;
  page.append(
    h("header", { class: "viewer-header" }, h("h1", { class: "viewer-file" }, s.fileName), s.summary ? h("p", { class: "viewer-summary" }, s.summary) : null),
  );
  if (s.status === "loading") {
    page.append(h("p", { class: "viewer-loading" }, s.message ?? L.loading));
    return;
  }
  if (s.status === "error" || s.status === "locked") {
    const retry = h("vscode-button", { class: "viewer-retry" }, s.status === "locked" ? L.enterPassword : L.retry);
    retry.addEventListener("click", () => request({ type: s.status === "locked" ? "viewer/unlock" : "viewer/reload" }, (ok, err) => (!ok && err ? say(err, "error") : undefined)));
    page.append(h("div", { class: `viewer-message tone-${s.status === "locked" ? "info" : "error"}`, role: "alert" }, h("p", {}, s.message ?? ""), retry));
  }
  for (const n of s.notices) page.append(h("div", { class: `viewer-notice tone-${n.tone}`, role: n.tone === "error" || n.tone === "warning" ? "alert" : null }, n.text));
  for (const o of s.objects) page.append(renderObject(o, L, say));
  if (s.errors.length) {
    page.append(
      h(
        "section",
        { class: "viewer-errors", "data-section": "errors" },
        h("h2", {}, "⚠"),
        h("ul", {}, ...s.errors.map((e) => h("li", { class: "tone-error" }, e.line ? `${e.line}: ${e.message}` : e.message))),
      ),
    );
  }
}

function renderObject(o: ViewerObject, L: ViewerLabels, say: Say): HTMLElement {
  const badges = o.badges.map((b) => h("span", { class: `viewer-badge tone-${b.tone}` }, b.text));
  const actions = o.actions.map((a) => actionButton(a, o.index, L, say));
  const el = h(
    "article",
    { class: "viewer-object", "data-kind": o.kind, "data-index": o.index, style: o.depth ? `margin-left: ${Math.min(o.depth, 4) * 1.25}rem` : undefined },
    h(
      "header",
      { class: "object-header" },
      h("span", { class: "object-kind" }, o.kindLabel),
      h("h2", { class: "object-title" }, o.title),
      o.subtitle ? h("p", { class: "object-subtitle" }, o.subtitle) : null,
      badges.length ? h("div", { class: "object-badges" }, ...badges) : null,
      actions.length ? h("div", { class: "object-actions" }, ...actions) : null,
    ),
    ...o.sections.map((s) => renderSection(o.index, s, L, say)),
  );
  return el;
}

function actionButton(action: ViewerAction, index: number, L: ViewerLabels, say: Say): HTMLElement {
  const text = { exportPem: L.exportPem, exportDer: L.exportDer, validateChain: L.validateChain, revealBlock: L.revealBlock, checkRevocation: L.checkRevocation ?? "Check revocation" }[action];
  const b = h("vscode-button", { secondary: action !== "validateChain", "data-action": action }, text);
  b.addEventListener("click", () => request({ type: "viewer/action", action, index }, (ok, err) => (!ok && err ? say(err, "error") : undefined)));
  return b;
}

/**
 * A section is a native <details>: its heading and rows stay in the light DOM, so the find widget, screen
 * readers and UI tests see the text (vscode-collapsible keeps its heading in a shadow root and is styled as
 * a side-bar header, which reads oddly in an editor page).
 */
function renderSection(index: number, s: ViewerSection, L: ViewerLabels, say: Say): HTMLElement {
  const key = `${index}/${s.id}`;
  const open = openState.get(key) ?? s.open;
  const d = h(
    "details",
    { open, "data-section": s.id, class: "viewer-section" },
    h("summary", {}, h("h3", { class: "section-title" }, s.title)),
    h("table", { class: "rows" }, h("tbody", {}, ...s.rows.map((r) => renderRow(r, L, say)))),
  );
  d.addEventListener("toggle", () => openState.set(key, d.open));
  return d;
}

function renderRow(r: ViewerRow, L: ViewerLabels, say: Say): HTMLElement {
  const value = h("span", { class: `value${r.mono ? " mono" : ""}${r.tone ? ` tone-${r.tone}` : ""}` }, r.value);
  const cell = h("td", {}, value);
  if (r.copy) {
    const b = h("button", { class: "copy", type: "button", title: L.copy, "aria-label": `${L.copy} ${r.label}` }, L.copy);
    b.addEventListener("click", () => request({ type: "viewer/copy", text: r.value }, (ok, err) => say(ok ? L.copied : (err ?? ""), ok ? "info" : "error")));
    cell.append(" ", b);
  }
  if (r.note) cell.append(h("div", { class: "note" }, r.note));
  return h("tr", {}, h("th", { scope: "row" }, r.label), cell);
}
