/**
 * The sequence diagram: client and server lifelines, one arrow (a button) per message in wire order, notes
 * where encryption starts and where one-way and two-way TLS differ. Built from the pure view-model
 * (src/shared/handshakeView.ts) with text nodes only. Keyboard: the diagram is one Tab stop (a roving tabindex,
 * so a long handshake does not cost a dozen Tabs to get past); ↑ ↓ / Home / End move between arrows, Enter or
 * Space shows the message's details — in place, right under the arrow (where the eye is), not below the whole
 * diagram; the same arrow again folds them.
 */
import { h, clear, svg } from "../../dom";
import { t } from "../../l10n";
import type { DiagramArrow, DiagramModel, DiagramPlain } from "../../../src/shared/handshakeView";

/** A plaintext line before TLS (proxy, STARTTLS) or the application exchange after it: an arrow that is not a TLS message. */
function plainRow(row: DiagramPlain): HTMLElement {
  const dir = row.from === "client" ? "to-server" : "to-client";
  return h(
    "div",
    { class: "seq-row seq-plain-row", role: "listitem" },
    h("span", { class: "lane client", "aria-hidden": "true" }),
    h(
      "div",
      { class: `arrow ${dir} plain phase-${row.phase}${row.encrypted ? " encrypted" : ""}${row.refused ? " alert fatal" : ""}`, "data-phase": row.phase, "data-from": row.from, "aria-label": row.ariaLabel, title: row.text },
      h(
        "span",
        { class: "arrow-label" },
        row.encrypted ? lock(t("application data, encrypted")) : null,
        h("span", { class: "arrow-name plain-text" }, `${row.from === "client" ? "C:" : "S:"} ${row.text}`),
        typeof row.time === "number" ? h("span", { class: "arrow-time" }, `${row.time.toFixed(1)} ms`) : null,
      ),
      h("span", { class: "arrow-line", "aria-hidden": "true" }),
    ),
    h("span", { class: "lane server", "aria-hidden": "true" }),
  );
}

/** A small padlock drawn in the current text colour (no icon font or emoji needed; themes and HC follow). */
function lock(title: string): Element {
  return svg(
    "svg",
    { class: "lock", viewBox: "0 0 16 16", width: "12", height: "12", "aria-hidden": "true", focusable: "false" },
    svg("title", {}, title),
    svg("path", { d: "M5 7V5a3 3 0 0 1 6 0v2", fill: "none", stroke: "currentColor", "stroke-width": "1.6" }),
    svg("rect", { x: "3", y: "7", width: "10", height: "8", rx: "1.5", fill: "currentColor" }),
  );
}

export function renderDiagram(model: DiagramModel): HTMLElement {
  const body = h("div", { class: "seq-body", role: "list", "aria-label": t("Messages in wire order") });
  const arrows: HTMLButtonElement[] = [];
  const details = h("div", { id: "message-details", class: "msg-details", role: "region", "aria-live": "polite" });
  const detailRow = h("div", { class: "seq-row seq-detail-row", role: "listitem", hidden: true }, h("span", { class: "lane client", "aria-hidden": "true" }), details, h("span", { class: "lane server", "aria-hidden": "true" }));

  const collapse = () => {
    for (const b of arrows) {
      b.classList.remove("selected");
      b.setAttribute("aria-expanded", "false");
    }
    detailRow.hidden = true;
  };

  const show = (row: DiagramArrow, btn: HTMLButtonElement) => {
    const open = btn.classList.contains("selected") && !detailRow.hidden;
    collapse();
    if (open) return;
    btn.classList.add("selected");
    btn.setAttribute("aria-expanded", "true");
    clear(details);
    details.setAttribute("aria-label", t("Details of {0}", row.label));
    details.append(
      h("h3", {}, `${row.index + 1}. ${row.label}`, h("span", { class: "seq-dir" }, row.from === "client" ? t(" — client → server") : t(" — server → client"))),
      h(
        "dl",
        { class: "kv" },
        row.fields.flatMap((f) => [h("dt", {}, f.name), h("dd", { class: f.value.length > 60 || f.value.includes("\n") ? "long" : undefined }, f.value)]),
      ),
    );
    // In place: the details row goes right after the arrow's own row.
    btn.closest(".seq-row")?.after(detailRow);
    detailRow.hidden = false;
    detailRow.scrollIntoView({ block: "nearest" });
  };

  for (const row of model.rows) {
    if (row.kind === "note") {
      body.append(
        h(
          "div",
          { class: `seq-row seq-note-row`, role: "listitem" },
          h("span", { class: "lane client", "aria-hidden": "true" }),
          h("div", { class: `seq-note tone-${row.tone}`, "data-tone": row.tone }, row.text),
          h("span", { class: "lane server", "aria-hidden": "true" }),
        ),
      );
      continue;
    }
    if (row.kind === "plain") {
      body.append(plainRow(row));
      continue;
    }
    const dir = row.from === "client" ? "to-server" : "to-client";
    const classes = ["arrow", dir, row.alert ? "alert" : "", row.fatal ? "fatal" : "", row.mutual ? "mutual" : "", row.encrypted ? "encrypted" : "", row.undecrypted ? "undecrypted" : ""]
      .filter(Boolean)
      .join(" ");
    const btn = h(
      "button",
      {
        type: "button",
        class: classes,
        "data-type": row.type,
        "data-from": row.from,
        "data-index": row.index,
        "aria-label": row.ariaLabel,
        "aria-expanded": "false",
        "aria-controls": "message-details",
        title: row.detail || row.label,
        tabindex: arrows.length === 0 ? "0" : "-1",
      },
      h(
        "span",
        { class: "arrow-label" },
        row.encrypted ? lock(row.undecrypted ? t("encrypted, not decrypted") : t("encrypted")) : null,
        h("span", { class: "arrow-name" }, row.alert ? `⚠ ${row.label} (${row.from})` : row.label),
        row.mutual ? h("span", { class: "mutual-badge" }, t("two-way only")) : null,
        typeof row.time === "number" ? h("span", { class: "arrow-time" }, `${row.time.toFixed(1)} ms`) : null,
      ),
      h("span", { class: "arrow-line", "aria-hidden": "true" }),
      row.detail ? h("span", { class: "arrow-detail" }, row.detail) : null,
    ) as HTMLButtonElement;
    btn.addEventListener("click", () => {
      for (const b of arrows) b.tabIndex = b === btn ? 0 : -1;
      show(row, btn);
    });
    btn.addEventListener("keydown", (ev: KeyboardEvent) => {
      const i = arrows.indexOf(btn);
      let next: number | undefined;
      if (ev.key === "ArrowDown") next = Math.min(arrows.length - 1, i + 1);
      else if (ev.key === "ArrowUp") next = Math.max(0, i - 1);
      else if (ev.key === "Home") next = 0;
      else if (ev.key === "End") next = arrows.length - 1;
      if (next !== undefined) {
        ev.preventDefault();
        for (const b of arrows) b.tabIndex = -1;
        arrows[next].tabIndex = 0;
        arrows[next].focus();
      }
    });
    arrows.push(btn);
    body.append(
      h(
        "div",
        { class: "seq-row", role: "listitem" },
        h("span", { class: "lane client", "aria-hidden": "true" }),
        btn,
        h("span", { class: "lane server", "aria-hidden": "true" }),
      ),
    );
  }

  return h(
    "div",
    { id: "diagram", class: "seq", "data-mode": model.mode },
    h("p", { class: "seq-caption" }, model.caption),
    h(
      "div",
      { class: "seq-head", "aria-hidden": "true" },
      h("span", { class: "seq-actor" }, t("Client")),
      h("span", {}, ""),
      h("span", { class: "seq-actor" }, t("Server")),
    ),
    body,
  );
}
