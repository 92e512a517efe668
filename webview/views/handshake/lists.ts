/**
 * The handshake page's lab banner (fill the form for the local test server) and its lists: saved endpoints and
 * recent runs, each a button that asks the host to load, show or rerun it.
 */
import { formatTime } from "../../../src/shared/format";
import { h, clear } from "../../dom";
import type { HandshakeViewState } from "../../../src/shared/protocol/handshake";
import { t } from "../../l10n";
import { btn } from "../controls";
import { request } from "./requests";

/** What the lists do on the page around them: the status line and the running state. */
export interface ListHooks {
  say(text: string, tone?: "info" | "error"): void;
  setRunning(on: boolean, text?: string): void;
}

export function renderLab(labBanner: HTMLElement, s: HandshakeViewState): void {
  clear(labBanner);
  const lab = s.lab;
  labBanner.hidden = !lab;
  if (!lab) return;
  const modeText = lab.mode === "required" ? t("client certificate required") : lab.mode === "optional" ? t("client certificate optional") : t("one-way TLS");
  labBanner.append(
    h("span", {}, h("strong", {}, t("Local test server: ")), `${lab.host}:${lab.port} — ${modeText}. `),
    btn(t("Fill: without a client certificate"), () => request({ type: "handshake/useLab", withClientCert: false }), { id: "lab-without" }),
    btn(t("Fill: with the kit's client certificate"), () => request({ type: "handshake/useLab", withClientCert: true }), { id: "lab-with" }),
  );
}

export function renderLists(lists: HTMLElement, s: HandshakeViewState, hooks: ListHooks): void {
  clear(lists);
  lists.append(endpointList(s, hooks), recentList(s, hooks));
}

function endpointList(s: HandshakeViewState, { say }: ListHooks): HTMLElement {
  return h(
    "vscode-collapsible",
    { title: t("Saved endpoints ({0})", s.endpoints.length), id: "endpoints", open: s.endpoints.length > 0 && s.endpoints.length < 6 },
    s.endpoints.length
      ? h(
          "ul",
          { class: "item-list" },
          s.endpoints.map((e) =>
            h(
              "li",
              {},
              btn(e.label, () => request({ type: "handshake/loadEndpoint", index: e.index }, (ok, error, info) => (!ok ? say(error ?? "", "error") : info && say(info))), {
                "aria-label": t("Fill the form with {0}", e.label),
              }),
              h("span", { class: "muted" }, ` ${e.description}`),
              e.fromWorkspace && !s.trusted ? h("span", { class: "tone-warning" }, t(" (untrusted workspace)")) : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, t("None yet: fill the form and choose “Save endpoint…”.")),
  );
}

function recentList(s: HandshakeViewState, { say, setRunning }: ListHooks): HTMLElement {
  return h(
    "vscode-collapsible",
    { title: t("Recent runs ({0})", s.recent.length), id: "recent" },
    s.recent.length
      ? h(
          "ul",
          { class: "item-list" },
          s.recent.map((r) =>
            h(
              "li",
              {},
              h("span", { class: r.outcome === "success" ? "tone-ok" : "tone-error" }, r.outcome === "success" ? "✔ " : "✖ "),
              btn(`${r.label}`, () => request({ type: "handshake/recent", runId: r.runId, rerun: false }), { "aria-label": t("Show the run of {0} against {1}", new Date(r.startedAt).toLocaleString(), r.label) }),
              btn(t("Rerun"), () => {
                setRunning(true, t("Starting…"));
                request({ type: "handshake/recent", runId: r.runId, rerun: true }, (ok, error) => {
                  if (!ok) {
                    setRunning(false);
                    say(error ?? "", "error");
                  }
                });
              }, { "aria-label": t("Run {0} again", r.label) }),
              h("span", { class: "muted" }, ` ${formatTime(r.startedAt)}${r.category ? ` · ${r.category}` : ""}${r.protocol ? ` · ${r.protocol}` : ""}`),
            ),
          ),
        )
      : h("p", { class: "muted" }, t("No runs yet.")),
  );
}
