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

const val = (el: Element) => String((el as unknown as { value?: unknown }).value ?? "");
const setVal = (el: Element, v: string) => ((el as unknown as { value: string }).value = v);
const VTEXT = VERSION_TEXT;

function button(label: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = h("vscode-button", { secondary: true, ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

function section(title: string, id: string, ...children: (Node | null | false | undefined)[]): HTMLElement {
  return h("section", { class: "scan-section", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children.filter((c): c is Node => !!c));
}

export function mount(root: HTMLElement): void {
  const host = h("vscode-textfield", { id: "scan-host", placeholder: "example.com, 10.0.0.5, or https://host:port/", "aria-label": "Host or URL" });
  const port = h("vscode-textfield", { id: "scan-port", type: "number", min: 1, max: 65535, placeholder: "443", "aria-label": "Port" });
  const servername = h("vscode-textfield", { id: "scan-servername", placeholder: "default: the host name", "aria-label": "Server name (SNI)" });
  const timeout = h("vscode-textfield", { id: "scan-timeout", type: "number", min: 100, step: 100, "aria-label": "Timeout per connection in milliseconds" });
  const status = h("p", { id: "scan-status", class: "scan-status", role: "status", "aria-live": "polite" });
  const out = h("div", { id: "scan-result" });
  const startBtn = h("vscode-button", { id: "scan-start" }, "Scan");
  const cancelBtn = h("vscode-button", { id: "scan-cancel", secondary: true, hidden: true }, "Cancel");
  let running = false;

  const readForm = (): ScanForm => ({ host: val(host).trim(), port: val(port).trim() ? Number(val(port)) : 443, servername: val(servername).trim(), timeoutMs: Math.min(120000, Math.max(100, Number(val(timeout)) || 5000)) });
  const start = () => {
    if (running) return;
    request({ type: "scan/start", form: readForm() }, (ok, error) => !ok && say(error ?? "Could not start the scan.", "error"));
  };
  startBtn.addEventListener("click", start);
  host.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Enter" && start());
  cancelBtn.addEventListener("click", () => request({ type: "scan/cancel" }));
  const say = (text: string, tone: "info" | "error" = "info") => {
    status.textContent = text;
    status.className = `scan-status tone-${tone}`;
  };
  const act = (action: ScanAction, chain?: number, index?: number) =>
    request({ type: "scan/action", action, chain, index }, (ok, error, message) => (!ok ? say(error ?? "The action failed.", "error") : message && say(message)));

  root.append(
    h(
      "div",
      { class: "scan" },
      h("h1", {}, "Scan TLS Configuration"),
      h(
        "p",
        { class: "scan-intro" },
        "What the server accepts — protocol versions, every cipher suite explained by its parts, key-exchange groups, certificates — found with CertScope's own ClientHellos, one offer at a time.",
      ),
      h(
        "div",
        { class: "scan-form" },
        h("label", {}, "Host", host),
        h("label", {}, "Port", port),
        h("label", {}, "Server name (SNI)", servername),
        h("label", {}, "Timeout per connection (ms)", timeout),
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
      formFilled = true;
    }
    running = s.running;
    cancelBtn.hidden = !s.running;
    startBtn.toggleAttribute("disabled", s.running);
    if (s.running) {
      const p = s.progress;
      say(p ? `Scanning ${s.form.host}:${s.form.port} — ${p.phase}: ${p.connections} of at most ${p.maxConnections} connections…` : "Scanning…");
    } else if (s.error) say(s.error, "error");
    else if (s.result) say(`Scanned in ${s.result.elapsedMs} ms with ${s.result.connections} connections (cap ${s.result.maxConnections}, ${s.result.concurrency} at a time).`);
    else say("");
    clear(out);
    if (s.result && !s.running) out.append(renderScan(s.result, act));
  });
  post({ type: "ready" });
}

function strengthBadge(strength: string, reasons: string[]): HTMLElement {
  return h("span", { class: `strength strength-${strength}`, title: reasons.length ? reasons.join("\n") : "Forward secrecy and AEAD: what current guidance asks for." }, strength);
}

function suitesTable(r: ScanResult): HTMLElement {
  const head = ["Version", "Cipher suite", "Key exchange", "Authentication", "Cipher", "MAC", "Forward secrecy", "Group / DH", "Strength"];
  const row = (s: ScanSuite) => {
    const e = explainParts(s.parts);
    return h(
      "tr",
      { "data-suite": s.name, "data-version": s.version, "data-strength": s.strength },
      h("td", {}, VTEXT[s.version] ?? s.version),
      h("td", { class: "mono", title: `${s.code}${s.reasons.length ? "\n" + s.reasons.join("\n") : ""}` }, s.name),
      h("td", { title: e.keyExchange }, s.parts.keyExchange),
      h("td", { title: e.authentication }, s.parts.authentication),
      h("td", { title: e.cipher }, s.parts.cipher),
      h("td", { title: e.mac }, s.parts.mac),
      h("td", { title: e.forwardSecrecy, class: s.parts.forwardSecrecy ? "tone-ok" : "tone-warning" }, s.parts.forwardSecrecy ? "yes" : "no"),
      h("td", {}, [s.group, s.dhBits ? `DH ${s.dhBits} bits` : ""].filter(Boolean).join(", ")),
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

function versionMatrix(r: ScanResult): HTMLElement {
  return h(
    "table",
    { class: "scan-table", id: "scan-versions-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Version"), h("th", { scope: "col" }, "Accepted"), h("th", { scope: "col" }, "Suites"), h("th", { scope: "col" }, "Order"))),
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
          h("td", { class: p.supported ? (bad ? "tone-warning" : "tone-ok") : "" }, p.supported ? (bad ? "yes (deprecated)" : "yes") : "no"),
          h("td", { class: "num" }, p.supported ? String(n) : ""),
          h("td", {}, pref === undefined ? "" : pref ? "server's" : "client's"),
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
      h("h3", { class: `sev-${sev}` }, `${sev === "critical" ? "Critical" : sev === "warning" ? "Warnings" : "Information"} (${list.length})`),
      h(
        "ul",
        { class: "scan-findings" },
        list.map((f) =>
          h(
            "li",
            { class: `finding sev-${sev}`, "data-code": f.code },
            h("p", { class: "finding-message" }, f.message),
            h("p", { class: "finding-fix" }, h("strong", {}, "Fix: "), f.fix),
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
      `${r.target.host}:${r.target.port}${r.target.servername ? ` (SNI ${r.target.servername})` : ""} — Mozilla profile: `,
      h("strong", {}, m.meets ?? "none"),
      m.next ? ` · to reach '${m.next}': ${m.blockers.join("; ")}` : "",
    ),
    section("Protocol versions", "scan-versions", versionMatrix(r)),
    section("Accepted cipher suites", "scan-suites", r.cipherSuites.length ? suitesTable(r) : h("p", {}, "None."), h("p", { class: "scan-note" }, `Hover a part for what it means. Suite anatomy: IANA registry copy of ${r.suiteRegistry.date}.`)),
    section(
      "Key-exchange groups",
      "scan-groups",
      h("p", {}, r.groups.length ? r.groups.join(", ") : "None found (no ECDHE suite and no TLS 1.3)."),
      ...Object.entries(r.groupsByVersion).map(([v, g]) => h("p", { class: "scan-note" }, `${VTEXT[v] ?? v}: ${g.join(", ")}`)),
    ),
    section(
      "Certificates",
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
                      h("span", {}, `${c.subject.text} — ${c.publicKey?.algorithm ?? "?"}${c.publicKey?.curve ? ` ${c.publicKey.curve}` : c.publicKey?.bits ? ` ${c.publicKey.bits}` : ""}, until ${c.notAfter.slice(0, 10)}`),
                      button("Open", () => act("openCert", ci, i), { "aria-label": `Open ${c.subject.text} in the certificate viewer`, "data-chain": String(ci), "data-index": String(i) }),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h("p", {}, "No certificate seen."),
      h("p", { class: "scan-note" }, `OCSP stapling: ${r.ocspStapling ? "yes" : "no"} · Secure renegotiation: ${yn(r.secureRenegotiation)} · TLS_FALLBACK_SCSV: ${yn(r.fallbackScsv)}`),
    ),
    section("Findings", "scan-findings", ...findingsList(r.findings)),
    h(
      "div",
      { class: "scan-actions" },
      button("Export JSON…", () => act("exportJson"), { id: "scan-export-json" }),
      button("Export Markdown…", () => act("exportMarkdown"), { id: "scan-export-md" }),
      button("Test a handshake", () => act("openHandshake"), { id: "scan-open-handshake" }),
    ),
  );
}

function yn(v: boolean | null): string {
  return v === null ? "n/a" : v ? "yes" : "no";
}
