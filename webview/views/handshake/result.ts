/**
 * The result view of one run: diagnosis banner, negotiated parameters, the sequence diagram, the client
 * certificate panel, the server chain with validation per link, timing, warnings and the run's actions.
 * Text nodes only.
 */
import { h } from "../../dom";
import { buildDiagram, formWords } from "../../../src/shared/handshakeView";
import type { CertificateModel, ChainLink, HandshakeResult, Problem } from "../../../src/shared/model";
import type { HandshakeAction, RunResult } from "../../../src/shared/protocol/handshake";
import { renderDiagram } from "./diagram";
import { cipherPartsPanel, offeredSuitesPanel } from "./cipherParts";
import { chainSourceBadge, formatTime, type Badge } from "../../../src/shared/format";
import { ocspLine } from "./ocsp";

export interface ResultActions {
  action(action: HandshakeAction, index?: number): void;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, "");

function button(label: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = h("vscode-button", { secondary: true, ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

function section(title: string, id: string, ...children: (Node | null | false | undefined)[]): HTMLElement {
  return h("section", { class: "hs-section", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children.filter((c): c is Node => !!c));
}

function diagnosisBanner(r: HandshakeResult): HTMLElement {
  const category = r.diagnosis?.category ?? (r.outcome === "success" ? "success" : "other");
  const ok = r.outcome === "success";
  const summary = r.diagnosis ? formWords(r.diagnosis.summary) : (ok ? `Handshake succeeded${r.protocol ? ` with ${r.protocol}` : ""}.` : (r.error?.message ?? "The handshake failed."));
  return h(
    "div",
    { id: "diagnosis", class: `diagnosis ${ok ? (r.diagnosis ? "warn" : "ok") : "error"}`, "data-category": category, "data-outcome": r.outcome, role: ok ? "status" : "alert" },
    h("div", { class: "diag-head" }, h("strong", {}, ok ? "✔ Success" : "✖ Failure"), h("code", { class: "diag-cat" }, category)),
    h("p", { class: "diag-summary" }, summary),
    r.diagnosis?.fix ? h("p", { class: "diag-fix" }, h("strong", {}, "Fix: "), formWords(r.diagnosis.fix)) : null,
    r.error && r.diagnosis ? h("p", { class: "diag-error" }, `Error: ${r.error.code ? `${r.error.code} — ` : ""}${r.error.message}`) : null,
  );
}

function negotiated(r: HandshakeResult): HTMLElement | null {
  const rows: [string, string][] = [];
  if (r.protocol) rows.push(["Protocol", r.protocol]);
  if (r.cipher) rows.push(["Cipher suite", r.cipher]);
  if (r.group) rows.push(["Group", r.group]);
  if (r.alpn !== undefined) rows.push(["ALPN", r.alpn ?? "(none)"]);
  if (r.proxy) rows.push(["Proxy", r.proxy]);
  if (r.starttls) rows.push(["Before TLS", `STARTTLS (${r.starttls})`]);
  if (r.application) rows.push(["Application", `${r.application.request} → ${r.application.answer ?? r.application.noAnswer ?? "no answer"}${r.application.refused ? " (refused)" : ""}`]);
  rows.push(["Target", `${r.target.host}:${r.target.port}${r.target.servername ? ` (SNI ${r.target.servername})` : ""}`]);
  return h("dl", { class: "kv negotiated", id: "negotiated" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function clientCertPanel(r: HandshakeResult): HTMLElement {
  const c = r.clientCertificate ?? { requested: false, acceptableIssuers: [], sent: false };
  const rows: [string, string, string?][] = [];
  rows.push(["Requested by the server", c.requested ? "yes — two-way (mutual) TLS" : "no — one-way TLS"]);
  if (c.requested) rows.push(["Required", c.required === undefined ? "unknown (the server did not say)" : c.required ? "yes" : "no (optional)"]);
  if (c.requested) rows.push(["Acceptable CAs", c.acceptableIssuers.length ? c.acceptableIssuers.join("\n") : "any (the server named none)"]);
  rows.push(["Sent", c.sent ? (c.subject ?? "a certificate") : "none"]);
  if (c.sent && c.issuer) rows.push(["Issued by", c.issuer]);
  if (c.requested && c.acceptableIssuers.length) {
    if (c.sent && c.issuer) {
      const match = c.acceptableIssuers.some((a) => norm(a) === norm(c.issuer!));
      rows.push(["Matches the acceptable CAs", match ? "yes" : "no — its issuer is not in the server's list", match ? "ok" : "error"]);
    } else if (!c.sent) rows.push(["Would match", "choose a certificate issued by one of the acceptable CAs", "warning"]);
  }
  return section(
    "Client certificate",
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
        sentIndex !== undefined ? button("Open", () => a.action("openCert", sentIndex), { "data-cert-index": String(sentIndex), "aria-label": `Open ${title} in the certificate viewer` }) : null,
      ),
      h("div", { class: "chain-sub" }, sub),
      probs.length
        ? h(
            "ul",
            { class: "chain-problems" },
            probs.map((p) => h("li", { class: p.severity === "warning" ? "tone-warning" : "tone-error" }, `${p.code}: ${p.message}`)),
          )
        : h("div", { class: "chain-ok tone-ok" }, "✔ no problem with this link"),
    );
  if (v?.chain?.length) {
    v.chain.forEach((link: ChainLink, i: number) => {
      const sent = bySha.get(link.sha256?.toLowerCase() ?? "");
      if (sent !== undefined) used.add(sent);
      items.push(certItem(link.subject, `issued by ${link.issuer}${link.notAfter ? ` · valid until ${formatTime(link.notAfter)}` : ""}`, problemsFor(v.problems, i), chainSourceBadge(link.source, "server"), sent));
    });
  }
  r.serverChain.forEach((c: CertificateModel, i: number) => {
    if (used.has(i)) return;
    items.push(certItem(c.subject.text, `issued by ${c.issuer.text} · valid ${formatTime(c.notBefore)} → ${formatTime(c.notAfter)}${v ? " · sent but not part of the validated path" : ""}`, v ? [] : [], { text: `sent #${i + 1}`, tooltip: `Certificate #${i + 1} of the chain the server sent` }, i));
  });
  const general = v ? v.problems.filter((p) => p.certIndex === undefined) : [];
  return section(
    "Server chain",
    "chain",
    h(
      "p",
      { class: v ? (v.valid ? "tone-ok" : "tone-error") : "" },
      v ? (v.valid ? "✔ The chain is valid." : "✖ The chain is not valid.") : "Not validated.",
      ` The server sent ${r.serverChain.length} certificate${r.serverChain.length === 1 ? "" : "s"}.`,
    ),
    general.length ? h("ul", { class: "chain-problems" }, general.map((p) => h("li", { class: p.severity === "warning" ? "tone-warning" : "tone-error" }, `${p.code}: ${p.message}`))) : null,
    h("ol", { class: "chain-list" }, items),
    r.serverChain.length ? h("div", { class: "hs-actions" }, button("Save chain as PEM…", () => a.action("saveChain"), { id: "save-chain" })) : null,
  );
}

function timingPanel(r: HandshakeResult): HTMLElement | null {
  const t = r.timing ?? {};
  const keys = Object.keys(t);
  if (!keys.length) return null;
  const max = Math.max(...keys.map((k) => t[k] ?? 0), 1);
  return section(
    "Timing",
    "timing",
    h(
      "table",
      { class: "timing" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Phase"), h("th", { scope: "col" }, "ms"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "bar")))),
      h(
        "tbody",
        {},
        keys.map((k) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, k),
            h("td", { class: "num" }, (t[k] ?? 0).toFixed(1)),
            h("td", { class: "bar-cell", "aria-hidden": "true" }, h("span", { class: "bar", style: `width:${Math.max(1, Math.round(((t[k] ?? 0) / max) * 100))}%` })),
          ),
        ),
      ),
    ),
  );
}

export function renderResult(run: RunResult, a: ResultActions): HTMLElement {
  const r = run.result;
  const details = h("div", { id: "message-details", class: "msg-details", "aria-live": "polite", hidden: true });
  const diagram = renderDiagram(buildDiagram(r), details);
  return h(
    "div",
    { class: "hs-result", "data-run": run.runId },
    diagnosisBanner(r),
    negotiated(r),
    cipherPartsPanel(r),
    ocspLine(r),
    section("What crossed the wire", "sequence", diagram, details),
    offeredSuitesPanel(r),
    clientCertPanel(r),
    chainPanel(r, a),
    r.warnings?.length ? section("Warnings", "warnings", h("ul", { class: "warnings" }, r.warnings.map((w) => h("li", { class: "tone-warning" }, formWords(w))))) : null,
    timingPanel(r),
    h(
      "div",
      { class: "hs-actions run-actions" },
      button("Export JSON…", () => a.action("exportJson"), { id: "export-json" }),
      button("Export Markdown…", () => a.action("exportMarkdown"), { id: "export-md" }),
      run.keylogAvailable ? button("Write key log…", () => a.action("saveKeylog"), { id: "save-keylog" }) : null,
      button("Scan this server", () => a.action("scanServer"), { id: "scan-server" }),
    ),
    h("p", { class: "hs-meta" }, `Run at ${formatTime(run.startedAt)}`),
  );
}
