/**
 * The "Scan TLS Configuration" page: a small form, progress with Cancel while the scan runs, then the version
 * matrix, the accepted suites with their parts as columns (each part explained on hover) and strength badges,
 * the groups, the certificates (open in the viewer), the findings with their fixes, and export. Text nodes only.
 */
import { h, clear } from "../dom";
import { post, onMessage } from "../ipc";
import { explainParts } from "../../src/shared/cipherExplain";
import type { ScanAction, ScanForm, ScanHostToPage, ScanPageToHost, ScanViewState } from "../../src/shared/protocol/scan";
import type { ScanFinding, ScanResult, ScanSuite } from "../../src/shared/scanModel";
import { VERSION_TEXT } from "../../src/shared/scanModel";
import { t } from "../l10n";
import { button, section as pageSection, setVal, val } from "./controls";
import { starttlsControl, starttlsLabel } from "./starttls";

type Request = Exclude<ScanPageToHost, { type: "ready" }>;
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Done = (ok: boolean, error?: string, message?: string) => void;

let nextId = 1;
const pending = new Map<number, Done>();
function request(msg: WithoutId<Request>, done?: Done): void {
  const id = nextId++;
  if (done) pending.set(id, done);
  post({ ...msg, id } as Request);
}

const VTEXT = VERSION_TEXT;
const section = (title: string, id: string, ...children: (Node | null | false | undefined)[]) => pageSection("scan-section", title, id, ...children);



export function mount(root: HTMLElement): void {
  const host = h("vscode-textfield", { id: "scan-host", placeholder: t("example.com, 10.0.0.5, or https://host:port/"), "aria-label": t("Host or URL") });
  const port = h("vscode-textfield", { id: "scan-port", type: "number", min: 1, max: 65535, placeholder: "443", "aria-label": t("Port") });
  const servername = h("vscode-textfield", { id: "scan-servername", placeholder: t("default: the host name"), "aria-label": t("Server name (SNI)") });
  const timeout = h("vscode-textfield", { id: "scan-timeout", type: "number", min: 100, step: 100, "aria-label": t("Timeout per connection in milliseconds") });
  // Protocol before TLS: the handshake panel's control, suggested from the port until the user picks one.
  const starttls = starttlsControl("scan-starttls", "", port);
  const status = h("p", { id: "scan-status", class: "scan-status", role: "status", "aria-live": "polite" });
  const out = h("div", { id: "scan-result" });
  const startBtn = h("vscode-button", { id: "scan-start" }, t("Scan"));
  const cancelBtn = h("vscode-button", { id: "scan-cancel", secondary: true, hidden: true }, t("Cancel"));
  let running = false;

  const readForm = (): ScanForm => ({
    host: val(host).trim(),
    port: val(port).trim() ? Number(val(port)) : 443,
    servername: val(servername).trim(),
    timeoutMs: Math.min(120000, Math.max(100, Number(val(timeout)) || 5000)),
    starttls: starttls.value(),
  });
  const start = () => {
    if (running) return;
    request({ type: "scan/start", form: readForm() }, (ok, error) => !ok && say(error ?? t("Could not start the scan."), "error"));
  };
  startBtn.addEventListener("click", start);
  host.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Enter" && start());
  cancelBtn.addEventListener("click", () => request({ type: "scan/cancel" }));
  const say = (text: string, tone: "info" | "error" = "info", state?: "running" | "done" | "error" | "cancelled") => {
    status.textContent = text;
    status.className = `scan-status tone-${tone}`;
    // What the status says, for tests and assistive tools: running, done, error, cancelled (absent: idle).
    if (state) status.dataset.state = state;
    else delete status.dataset.state;
  };
  const act = (action: ScanAction, chain?: number, index?: number) =>
    request({ type: "scan/action", action, chain, index }, (ok, error, message) => (!ok ? say(error ?? t("The action failed."), "error") : message && say(message)));

  root.append(
    h(
      "div",
      { class: "scan" },
      h("h1", {}, t("Scan TLS Configuration")),
      h(
        "p",
        { class: "scan-intro" },
        t("What the server accepts — protocol versions, every cipher suite explained by its parts, key-exchange groups, certificates — found with CertScope's own ClientHellos, one offer at a time."),
      ),
      h(
        "div",
        { class: "scan-form" },
        h("label", {}, t("Host"), host),
        h("label", {}, t("Port"), port),
        h("label", {}, t("Server name (SNI)"), servername),
        h("label", {}, t("Timeout per connection (ms)"), timeout),
        h("label", {}, t("Protocol before TLS"), starttls.el),
        h("div", { class: "scan-buttons" }, startBtn, cancelBtn),
      ),
      status,
      out,
    ),
  );

  let formFilled = false;
  onMessage<ScanHostToPage>((m) => {
    if (m.type === "scan/response") {
      const done = pending.get(m.id);
      pending.delete(m.id);
      if (done) done(m.ok, m.ok ? undefined : m.error, m.ok ? m.message : undefined);
      return;
    }
    if (m.type !== "scan/state") return;
    const s: ScanViewState = m.state;
    if (!formFilled || s.running) {
      setVal(host, s.form.host);
      setVal(port, s.form.port === null ? "" : String(s.form.port));
      setVal(servername, s.form.servername);
      setVal(timeout, String(s.form.timeoutMs));
      starttls.set(s.form.starttls);
      formFilled = true;
    }
    running = s.running;
    cancelBtn.hidden = !s.running;
    startBtn.toggleAttribute("disabled", s.running);
    const target = s.form.starttls ? t("{0} after {1}", `${s.form.host}:${s.form.port}`, starttlsLabel(s.form.starttls)) : `${s.form.host}:${s.form.port}`;
    if (s.running) {
      const p = s.progress;
      say(p ? t("Scanning {0} — {1}: {2} of at most {3} connections…", target, p.phase, p.connections, p.maxConnections) : t("Scanning…"), "info", "running");
    } else if (s.cancelled) say(t("Cancelled: the scan of {0} was stopped, and what it had found so far was dropped.", target), "info", "cancelled");
    else if (s.error) say(s.error, "error", "error");
    else if (s.result) say(t("Scanned in {0} ms with {1} connections (cap {2}, {3} at a time).", s.result.elapsedMs, s.result.connections, s.result.maxConnections, s.result.concurrency), "info", "done");
    else say("");
    clear(out);
    if (s.result && !s.running) out.append(renderScan(s.result, act));
  });
  post({ type: "ready" });
}

const STRENGTH_WORDS: Record<string, () => string> = { strong: () => t("strong"), acceptable: () => t("acceptable"), weak: () => t("weak"), insecure: () => t("insecure") };

function strengthBadge(strength: string, reasons: string[]): HTMLElement {
  return h("span", { class: `strength strength-${strength}`, title: reasons.length ? reasons.join("\n") : t("Forward secrecy and AEAD: what current guidance asks for.") }, STRENGTH_WORDS[strength]?.() ?? strength);
}

function suitesTable(r: ScanResult): HTMLElement {
  const head = [t("Version"), t("Cipher suite"), t("Key exchange"), t("Authentication"), t("Cipher"), t("MAC"), t("Forward secrecy"), t("Group / DH"), t("Strength")];
  const row = (s: ScanSuite) => {
    const e = explainParts(s.parts, t);
    return h(
      "tr",
      { "data-suite": s.name, "data-version": s.version, "data-strength": s.strength },
      h("td", {}, VTEXT[s.version] ?? s.version),
      h("td", { class: "mono", title: `${s.code}${s.reasons.length ? "\n" + s.reasons.join("\n") : ""}` }, breakable(s.name)),
      h("td", { title: e.keyExchange }, s.parts.keyExchange),
      h("td", { title: e.authentication }, s.parts.authentication),
      h("td", { title: e.cipher }, s.parts.cipher),
      h("td", { title: e.mac }, s.parts.mac),
      h("td", { title: e.forwardSecrecy, class: s.parts.forwardSecrecy ? "tone-ok" : "tone-warning" }, s.parts.forwardSecrecy ? t("yes") : t("no")),
      h("td", {}, [s.group, s.dhBits ? t("DH {0} bits", s.dhBits) : ""].filter(Boolean).join(", ")),
      h("td", {}, strengthBadge(s.strength, s.reasons)),
    );
  };
  return h(
    "table",
    { class: "scan-table", id: "scan-suites-table" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, r.cipherSuites.map(row)),
  );
}

/**
 * A suite name that may wrap after its underscores: the table has nine columns and the names are long, so in a
 * panel beside the sidebar the last columns (the strength badges) would otherwise be cut off at the right.
 */
function breakable(name: string): (string | HTMLElement)[] {
  return name.split("_").flatMap((part, i, all) => (i < all.length - 1 ? [`${part}_`, h("wbr", {})] : [part]));
}

function versionMatrix(r: ScanResult): HTMLElement {
  return h(
    "table",
    { class: "scan-table", id: "scan-versions-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Version")), h("th", { scope: "col" }, t("Accepted")), h("th", { scope: "col" }, t("Suites")), h("th", { scope: "col" }, t("Order")))),
    h(
      "tbody",
      {},
      r.protocols.map((p) => {
        const n = r.cipherSuites.filter((s) => s.version === p.version).length;
        const pref = r.serverPreference[p.version];
        const bad = p.supported && (p.version === "SSLv3" || p.version === "TLSv1.0" || p.version === "TLSv1.1");
        return h(
          "tr",
          { "data-version": p.version },
          h("th", { scope: "row" }, VTEXT[p.version] ?? p.version),
          h("td", { class: p.supported ? (bad ? "tone-warning" : "tone-ok") : "" }, p.supported ? (bad ? t("yes (deprecated)") : t("yes")) : t("no")),
          h("td", { class: "num" }, p.supported ? String(n) : ""),
          h("td", {}, pref === undefined ? "" : pref ? t("server's") : t("client's")),
        );
      }),
    ),
  );
}

function findingsList(fs: ScanFinding[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const sev of ["critical", "warning", "info"] as const) {
    const list = fs.filter((f) => f.severity === sev);
    if (!list.length) continue;
    out.push(
      h("h3", { class: `sev-${sev}` }, sev === "critical" ? t("Critical ({0})", list.length) : sev === "warning" ? t("Warnings ({0})", list.length) : t("Information ({0})", list.length)),
      h(
        "ul",
        { class: "scan-findings" },
        list.map((f) =>
          h(
            "li",
            { class: `finding sev-${sev}`, "data-code": f.code },
            h("p", { class: "finding-message" }, f.message),
            h("p", { class: "finding-fix" }, h("strong", {}, t("Fix: ")), f.fix),
            f.config
              ? h(
                  "div",
                  { class: "finding-config" },
                  Object.entries(f.config).map(([srv, line]) => h("div", {}, h("span", { class: "config-server" }, srv), h("pre", {}, line))),
                )
              : null,
          ),
        ),
      ),
    );
  }
  return out;
}

function renderScan(r: ScanResult, act: (a: ScanAction, chain?: number, index?: number) => void): HTMLElement {
  const m = r.mozilla;
  return h(
    "div",
    { class: "scan-out" },
    h(
      "p",
      { id: "scan-summary", class: "scan-summary" },
      t("{0} — Mozilla profile: ", targetText(r)),
      h("strong", {}, m.meets ?? t("none")),
      m.next ? t(" · to reach '{0}': {1}", m.next, m.blockers.join("; ")) : "",
    ),
    section(t("Protocol versions"), "scan-versions", versionMatrix(r)),
    section(t("Accepted cipher suites"), "scan-suites", r.cipherSuites.length ? suitesTable(r) : h("p", {}, t("None.")), h("p", { class: "scan-note" }, t("Hover a part for what it means. Suite anatomy: IANA registry copy of {0}.", r.suiteRegistry.date))),
    section(
      t("Key-exchange groups"),
      "scan-groups",
      h("p", {}, r.groups.length ? r.groups.join(", ") : t("None found (no ECDHE suite and no TLS 1.3).")),
      ...Object.entries(r.groupsByVersion).map(([v, g]) => h("p", { class: "scan-note" }, `${VTEXT[v] ?? v}: ${g.join(", ")}`)),
    ),
    section(
      t("Certificates"),
      "scan-certs",
      r.certificates.length
        ? h(
            "ol",
            { class: "scan-chains" },
            r.certificates.map((chain, ci) =>
              h(
                "li",
                {},
                h(
                  "ul",
                  {},
                  chain.map((c, i) =>
                    h(
                      "li",
                      { class: "scan-cert" },
                      h("span", {}, t("{0} — {1}, until {2}", c.subject.text, `${c.publicKey?.algorithm ?? "?"}${c.publicKey?.curve ? ` ${c.publicKey.curve}` : c.publicKey?.bits ? ` ${c.publicKey.bits}` : ""}`, c.notAfter.slice(0, 10))),
                      button(t("Open"), () => act("openCert", ci, i), { "aria-label": t("Open {0} in the certificate viewer", c.subject.text), "data-chain": String(ci), "data-index": String(i) }),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h("p", {}, t("No certificate seen.")),
      h("p", { class: "scan-note" }, t("OCSP stapling: {0} · Secure renegotiation: {1} · TLS_FALLBACK_SCSV: {2}", r.ocspStapling ? t("yes") : t("no"), yn(r.secureRenegotiation), yn(r.fallbackScsv))),
    ),
    section(t("Findings"), "scan-findings", ...findingsList(r.findings)),
    h(
      "div",
      { class: "scan-actions" },
      button(t("Export JSON…"), () => act("exportJson"), { id: "scan-export-json" }),
      button(t("Export Markdown…"), () => act("exportMarkdown"), { id: "scan-export-md" }),
      button(t("Test a handshake"), () => act("openHandshake"), { id: "scan-open-handshake" }),
    ),
  );
}

/** "host:port (SNI name) after SMTP (STARTTLS)": how the scanned server was reached. */
function targetText(r: ScanResult): string {
  const base = `${r.target.host}:${r.target.port}${r.target.servername ? ` (SNI ${r.target.servername})` : ""}`;
  return r.target.starttls ? t("{0} after {1}", base, starttlsLabel(r.target.starttls)) : base;
}

function yn(v: boolean | null): string {
  return v === null ? t("n/a") : v ? t("yes") : t("no");
}
