/**
 * The result view of one run: diagnosis banner, negotiated parameters, the sequence diagram, the client
 * certificate panel, the server chain with validation per link, timing, warnings and the run's actions.
 * Text nodes only.
 */
import { h } from "../../dom";
import { buildDiagram, formWords } from "../../../src/shared/handshakeView";
import type { CertificateModel, ChainLink, ClientCertificateInfo, HandshakeResult, Problem } from "../../../src/shared/model";
import type { HandshakeAction, RunResult } from "../../../src/shared/protocol/handshake";
import { renderDiagram } from "./diagram";
import { cipherPartsPanel, offeredSuitesPanel } from "./cipherParts";
import { chainSourceBadge, formatTime, type Badge } from "../../../src/shared/format";
import { ocspLine } from "./ocsp";
import { t } from "../../l10n";
import { button, section as pageSection } from "../controls";

const section = (title: string, id: string, ...children: (Node | null | false | undefined)[]) => pageSection("hs-section", title, id, ...children);

export interface ResultActions {
  action(action: HandshakeAction, index?: number): void;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, "");



function diagnosisBanner(r: HandshakeResult): HTMLElement {
  const category = r.diagnosis?.category ?? (r.outcome === "success" ? "success" : "other");
  const ok = r.outcome === "success";
  const summary = r.diagnosis ? formWords(r.diagnosis.summary, t) : ok ? (r.protocol ? t("Handshake succeeded with {0}.", r.protocol) : t("Handshake succeeded.")) : (r.error?.message ?? t("The handshake failed."));
  const also = r.diagnosis?.also ?? [];
  return h(
    "div",
    { id: "diagnosis", class: `diagnosis ${ok ? (r.diagnosis ? "warn" : "ok") : "error"}`, "data-category": category, "data-outcome": r.outcome, "data-also": also.map((a) => a.category).join(" ") || undefined, role: ok ? "status" : "alert" },
    h(
      "div",
      { class: "diag-head" },
      h("strong", {}, ok ? t("✔ Handshake succeeded") : t("✖ Handshake failed")),
      // The category code only where it adds something: a failure's machine-readable name (as in --json).
      r.diagnosis ? h("code", { class: "diag-cat", title: t("Diagnosis category (as in certscope handshake --json)") }, r.diagnosis.category) : null,
      also.length ? h("span", { class: "diag-count" }, t("{0} problems found in this run", also.length + 1)) : null,
    ),
    h("p", { class: "diag-summary" }, summary),
    r.diagnosis?.fix ? h("p", { class: "diag-fix" }, h("strong", {}, t("Fix: ")), formWords(r.diagnosis.fix, t)) : null,
    also.length
      ? h(
          "div",
          { class: "diag-also", id: "diagnosis-also" },
          h("strong", {}, t("Also:")),
          h(
            "ul",
            {},
            also.map((a) =>
              h(
                "li",
                { "data-category": a.category },
                h("code", { class: "diag-cat" }, a.category),
                " ",
                formWords(a.summary, t),
                h("div", { class: "diag-fix" }, h("strong", {}, t("Fix: ")), formWords(a.fix, t)),
              ),
            ),
          ),
        )
      : null,
    r.error && r.diagnosis ? h("p", { class: "diag-error" }, t("Error: {0}", `${r.error.code ? `${r.error.code} — ` : ""}${r.error.message}`)) : null,
  );
}

function negotiated(r: HandshakeResult): HTMLElement | null {
  const rows: [string, string][] = [];
  if (r.protocol) rows.push([t("Protocol"), r.protocol]);
  if (r.cipher) rows.push([t("Cipher suite"), r.cipher]);
  if (r.group) rows.push([t("Group"), r.group]);
  if (r.alpn !== undefined) rows.push([t("ALPN"), r.alpn ?? t("(none)")]);
  if (r.proxy) rows.push([t("Proxy"), r.proxy]);
  if (r.starttls) rows.push([t("Before TLS"), t("STARTTLS ({0})", r.starttls)]);
  if (r.application) rows.push([t("Application"), `${r.application.request} → ${r.application.answer ?? r.application.noAnswer ?? t("no answer")}${r.application.refused ? t(" (refused)") : ""}`]);
  rows.push([t("Target"), `${r.target.host}:${r.target.port}${r.target.servername ? ` (SNI ${r.target.servername})` : ""}`]);
  return h("dl", { class: "kv negotiated", id: "negotiated" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** Whether a client certificate is required: from this run, else from an earlier one, else what can be said. */
function requiredText(c: ClientCertificateInfo, run: RunResult): string {
  if (c.required !== undefined) return c.required ? t("yes") : t("no (optional)");
  const e = run.requiredEarlier;
  if (e) return e.required ? t("yes — seen in the run of {0} (this run sent a certificate, so the server had no reason to refuse)", new Date(e.startedAt).toLocaleString()) : t("no (optional) — seen in the run of {0}", new Date(e.startedAt).toLocaleString());
  if (c.sent) return t("not known from this run: a certificate was sent and accepted (run once without one to find out)");
  return t("unknown (the server did not say)");
}

function clientCertPanel(r: HandshakeResult, run: RunResult): HTMLElement {
  const c = r.clientCertificate ?? { requested: false, acceptableIssuers: [], sent: false };
  const rows: [string, string, string?][] = [];
  rows.push([t("Requested by the server"), c.requested ? t("yes — two-way (mutual) TLS") : t("no — one-way TLS")]);
  if (c.requested) rows.push([t("Required"), requiredText(c, run)]);
  if (c.requested) rows.push([t("Acceptable CAs"), c.acceptableIssuers.length ? c.acceptableIssuers.join("\n") : t("any (the server named none)")]);
  rows.push([t("Sent"), c.sent ? (c.subject ?? t("a certificate")) : t("none")]);
  if (c.sent && c.issuer) rows.push([t("Issued by"), c.issuer]);
  if (c.requested && c.acceptableIssuers.length) {
    if (c.sent && c.issuer) {
      const match = c.acceptableIssuers.some((a) => norm(a) === norm(c.issuer!));
      rows.push([t("Matches the acceptable CAs"), match ? t("yes") : t("no — its issuer is not in the server's list"), match ? "ok" : "error"]);
    } else if (!c.sent) rows.push([t("Would match"), t("choose a certificate issued by one of the acceptable CAs"), "warning"]);
  }
  return section(
    t("Client certificate"),
    "client-cert",
    h(
      "dl",
      { class: "kv" },
      rows.flatMap(([k, v, tone]) => [h("dt", {}, k), h("dd", { class: [v.includes("\n") ? "long" : "", tone ? `tone-${tone}` : ""].filter(Boolean).join(" ") || undefined }, v)]),
    ),
  );
}

function problemsFor(problems: Problem[], i: number): Problem[] {
  return problems.filter((p) => p.certIndex === i);
}

function chainPanel(r: HandshakeResult, a: ResultActions): HTMLElement | null {
  if (!r.serverChain?.length && !r.validation) return null;
  const bySha = new Map<string, number>();
  r.serverChain.forEach((c, i) => bySha.set(c.fingerprints?.sha256?.toLowerCase() ?? "", i));
  const items: HTMLElement[] = [];
  const v = r.validation;
  const used = new Set<number>();
  const certItem = (title: string, sub: string, probs: Problem[], badge: Badge | undefined, sentIndex: number | undefined) =>
    h(
      "li",
      { class: `chain-link ${probs.some((p) => p.severity !== "warning") ? "bad" : probs.length ? "warn" : "good"}` },
      h(
        "div",
        { class: "chain-main" },
        h("span", { class: "chain-subject" }, title),
        badge ? h("vscode-badge", { title: badge.tooltip, "aria-label": `${badge.text}: ${badge.tooltip}` }, badge.text) : null,
        sentIndex !== undefined ? button(t("Open"), () => a.action("openCert", sentIndex), { "data-cert-index": String(sentIndex), "aria-label": t("Open {0} in the certificate viewer", title) }) : null,
      ),
      h("div", { class: "chain-sub" }, sub),
      probs.length
        ? h(
            "ul",
            { class: "chain-problems" },
            probs.map((p) => h("li", { class: p.severity === "warning" ? "tone-warning" : "tone-error" }, `${p.code}: ${p.message}`)),
          )
        : h("div", { class: "chain-ok tone-ok" }, t("✔ no problem with this link")),
    );
  if (v?.chain?.length) {
    v.chain.forEach((link: ChainLink, i: number) => {
      const sent = bySha.get(link.sha256?.toLowerCase() ?? "");
      if (sent !== undefined) used.add(sent);
      items.push(certItem(link.subject, link.notAfter ? t("issued by {0} · valid until {1}", link.issuer, formatTime(link.notAfter)) : t("issued by {0}", link.issuer), problemsFor(v.problems, i), chainSourceBadge(link.source, "server", t), sent));
    });
  }
  r.serverChain.forEach((c: CertificateModel, i: number) => {
    if (used.has(i)) return;
    items.push(certItem(c.subject.text, t("issued by {0} · valid {1} → {2}", c.issuer.text, formatTime(c.notBefore), formatTime(c.notAfter)) + (v ? t(" · sent but not part of the validated path") : ""), v ? [] : [], { text: t("sent #{0}", i + 1), tooltip: t("Certificate #{0} of the chain the server sent", i + 1) }, i));
  });
  const general = v ? v.problems.filter((p) => p.certIndex === undefined) : [];
  return section(
    t("Server chain"),
    "chain",
    h(
      "p",
      { class: v ? (v.valid ? "tone-ok" : "tone-error") : "" },
      v ? (v.valid ? t("✔ The chain is valid.") : t("✖ The chain is not valid.")) : t("Not validated."),
      " " + (r.serverChain.length === 1 ? t("The server sent 1 certificate.") : t("The server sent {0} certificates.", r.serverChain.length)),
    ),
    general.length ? h("ul", { class: "chain-problems" }, general.map((p) => h("li", { class: p.severity === "warning" ? "tone-warning" : "tone-error" }, `${p.code}: ${p.message}`))) : null,
    h("ol", { class: "chain-list" }, items),
    r.serverChain.length ? h("div", { class: "hs-actions" }, button(t("Save chain as PEM…"), () => a.action("saveChain"), { id: "save-chain" })) : null,
  );
}

function timingPanel(r: HandshakeResult): HTMLElement | null {
  const tm = r.timing ?? {};
  const keys = Object.keys(tm);
  if (!keys.length) return null;
  const max = Math.max(...keys.map((k) => tm[k] ?? 0), 1);
  return section(
    t("Timing"),
    "timing",
    h(
      "table",
      { class: "timing" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Phase")), h("th", { scope: "col" }, t("ms")), h("th", { scope: "col" }, h("span", { class: "sr-only" }, t("bar"))))),
      h(
        "tbody",
        {},
        keys.map((k) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, k),
            h("td", { class: "num" }, (tm[k] ?? 0).toFixed(1)),
            h("td", { class: "bar-cell", "aria-hidden": "true" }, h("span", { class: "bar", style: `width:${Math.max(1, Math.round(((tm[k] ?? 0) / max) * 100))}%` })),
          ),
        ),
      ),
    ),
  );
}

export function renderResult(run: RunResult, a: ResultActions): HTMLElement {
  const r = run.result;
  const diagram = renderDiagram(buildDiagram(r, t));
  return h(
    "div",
    { class: "hs-result", "data-run": run.runId },
    diagnosisBanner(r),
    negotiated(r),
    cipherPartsPanel(r),
    ocspLine(r),
    section(t("What crossed the wire"), "sequence", diagram),
    offeredSuitesPanel(r),
    clientCertPanel(r, run),
    chainPanel(r, a),
    r.warnings?.length ? section(t("Warnings"), "warnings", h("ul", { class: "warnings" }, r.warnings.map((w) => h("li", { class: "tone-warning" }, formWords(w, t))))) : null,
    timingPanel(r),
    h(
      "div",
      { class: "hs-actions run-actions" },
      button(t("Export JSON…"), () => a.action("exportJson"), { id: "export-json" }),
      button(t("Export Markdown…"), () => a.action("exportMarkdown"), { id: "export-md" }),
      run.keylogAvailable ? button(t("Write key log…"), () => a.action("saveKeylog"), { id: "save-keylog" }) : null,
      button(t("Scan this server"), () => a.action("scanServer"), { id: "scan-server" }),
    ),
    h("p", { class: "hs-meta" }, t("Run at {0}", formatTime(run.startedAt))),
  );
}
