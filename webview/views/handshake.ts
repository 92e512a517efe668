/**
 * The "Test TLS Handshake" page: the form, the lab and trust banners, saved endpoints and recent runs, and the
 * result of the last run (./handshake/result.ts). Renders the host's state (src/shared/protocol/handshake.ts)
 * with text nodes only. Files are chosen on the host (quick pick / dialog); passphrases are asked on the host
 * (input box) — nothing secret is ever typed here.
 *
 * Stable hooks (e2e): #host, #port, #credential-kind (data-value), #run, #cancel, #diagnosis[data-category],
 * #diagram [data-type], #lab-with, #lab-without.
 */
import { formatTime, setDisplayTimeZone, TLS_VERSION_NUMBERS, tlsVersionName } from "../../src/shared/format";
import { h, clear } from "../dom";
import { onMessage, post, state as pageState } from "../ipc";
import {
  emptyForm,
  isHandshakeHostMessage,
  type CredentialHint,
  type PassphraseState,
  type CredentialKind,
  type HandshakeAction,
  type HandshakeForm,
  type HandshakeHostToPage,
  type HandshakeRequest,
  type HandshakeViewState,
  type PickRole,
  type RunResult,
  type TlsVersionChoice,
  type TrustMode,
} from "../../src/shared/protocol/handshake";
import { renderResult } from "./handshake/result";
import { starttlsControl } from "./starttls";
import { t } from "../l10n";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Done = (ok: boolean, error?: string, info?: string) => void;

let nextId = 1;
const pending = new Map<number, Done>();

function request(msg: WithoutId<HandshakeRequest>, done?: Done): void {
  const id = nextId++;
  if (done) pending.set(id, done);
  post({ ...msg, id } as HandshakeRequest);
}

/** Value of a vscode-elements control (or a native one). */
const val = (el: Element) => String((el as unknown as { value?: unknown }).value ?? "");
const setVal = (el: Element, v: string) => {
  (el as unknown as { value: string }).value = v;
};

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id;
  return h(
    "div",
    { class: "hs-field" },
    h("vscode-label", { for: id }, label),
    control,
    hint ? h("vscode-form-helper", {}, h("span", {}, hint)) : null,
  );
}

function select(id: string, options: [string, string][], value: string, label: string): HTMLElement {
  return h(
    "vscode-single-select",
    { id, "aria-label": label },
    options.map(([v, text]) => h("vscode-option", { value: v, selected: v === value, description: undefined }, text)),
  );
}

// Named as the results name them (TLSv1.2: src/shared/format.ts).
const VERSIONS: [TlsVersionChoice, string][] = [["", t("default")], ...TLS_VERSION_NUMBERS.map((v): [TlsVersionChoice, string] => [v, tlsVersionName(v)])];
const TRUST: [TrustMode, string][] = [
  ["system", t("System roots (and certscope.trust.extraCaBundles)")],
  ["bundle", t("CA file(s) I choose")],
  ["workspace", t("Self-signed CA certificates in the workspace")],
  ["none", t("Nothing (show the chain, report it untrusted)")],
];

export function mount(root: HTMLElement): void {
  let form: HandshakeForm = pageState.get<{ form?: HandshakeForm }>()?.form ?? emptyForm();
  let view: HandshakeViewState | undefined;
  let running = false;
  /** The user changed the form since it was last sent to or received from the host: a state push must not overwrite it. */
  let dirty = false;
  /** From the host: whether the chosen credential takes a passphrase and whether one is remembered. */
  let passphrase: PassphraseState | undefined;

  // ── form controls ──
  const host = h("vscode-textfield", { id: "host", placeholder: t("example.com, 10.0.0.5, or https://host:port/"), "aria-label": t("Host or URL"), "aria-required": "true" });
  const port = h("vscode-textfield", { id: "port", type: "number", min: 1, max: 65535, placeholder: "443", "aria-label": t("Port") });
  const servername = h("vscode-textfield", { id: "servername", placeholder: t("default: the host name"), "aria-label": t("Server name (SNI)") });
  const alpn = h("vscode-textfield", { id: "alpn", placeholder: t("e.g. h2,http/1.1"), "aria-label": t("ALPN protocols") });
  const timeout = h("vscode-textfield", { id: "timeout", type: "number", min: 500, step: 500, "aria-label": t("Timeout in milliseconds") });
  const tlsMin = select("tls-min", VERSIONS, form.tlsMin, t("Lowest TLS version"));
  const tlsMax = select("tls-max", VERSIONS, form.tlsMax, t("Highest TLS version"));
  const trust = select("trust", TRUST, form.trust, t("Trust for the server certificate"));
  // Protocol before TLS: suggested from the port (5432 → PostgreSQL, 587 → SMTP…) until the user picks one.
  const starttls = starttlsControl("starttls", form.starttls, port);
  const appProbe = h("vscode-checkbox", { id: "app-probe", label: t("Ask the application after the handshake (one harmless request: GET /, a PostgreSQL startup, EHLO…)"), checked: form.appProbe !== false });
  const caList = h("ul", { id: "ca-files", class: "file-list" });
  const caRow = h("div", { class: "hs-field ca-row" }, h("vscode-label", {}, t("CA files")), caList, btn(t("Choose CA files…"), () => pick("ca"), { id: "pick-ca" }));

  const kindGroup = h(
    "vscode-radio-group",
    { id: "credential-kind", "aria-label": t("Client certificate"), "data-value": form.credentialKind },
    h("vscode-radio", { name: "credential-kind", value: "none", label: t("None (one-way TLS)"), checked: form.credentialKind === "none" }),
    h("vscode-radio", { name: "credential-kind", value: "pem", label: t("Certificate + key (PEM or DER)"), checked: form.credentialKind === "pem" }),
    h("vscode-radio", { name: "credential-kind", value: "pkcs12", label: t("PKCS#12 (.p12 / .pfx)"), checked: form.credentialKind === "pkcs12" }),
  );
  const certPath = h("span", { class: "path", id: "cert-file" });
  const keyPath = h("span", { class: "path", id: "key-file" });
  const pfxPath = h("span", { class: "path", id: "pfx-file" });
  const pemRow = h(
    "div",
    { class: "cred-files", id: "pem-files" },
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("Certificate")), certPath, btn(t("Choose…"), () => pick("cert"), { id: "pick-cert", "aria-label": t("Choose the client certificate") })),
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("Private key")), keyPath, btn(t("Choose…"), () => pick("key"), { id: "pick-key", "aria-label": t("Choose the private key") })),
  );
  const pfxRow = h(
    "div",
    { class: "cred-files", id: "pfx-files" },
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("PKCS#12")), pfxPath, btn(t("Choose…"), () => pick("pfx"), { id: "pick-pfx", "aria-label": t("Choose the PKCS#12 file") })),
  );
  const remember = h("vscode-checkbox", { id: "remember", label: t("Remember the passphrase in the OS secret store (asked in an input box, never here)") });
  const forget = btn(t("Forget remembered passphrase"), () => action("forgetPassphrase"), { id: "forget-passphrase" });
  const passRow = h("div", { class: "pass-row" }, remember, forget);
  const hints = h("ul", { id: "hints", class: "hints", "aria-live": "polite" });

  const runBtn = h("vscode-button", { id: "run" }, t("Run"));
  const cancelBtn = h("vscode-button", { id: "cancel", secondary: true, hidden: true }, t("Cancel"));
  const ring = h("vscode-progress-ring", { id: "progress", hidden: true, "aria-label": t("Handshake running") });
  const phase = h("span", { id: "phase", class: "phase", role: "status", "aria-live": "polite" });
  runBtn.addEventListener("click", () => run());
  cancelBtn.addEventListener("click", () => request({ type: "handshake/cancel" }));

  const formEl = h(
    "form",
    { id: "hs-form", class: "hs-form", "aria-label": t("Handshake settings") },
    h("div", { class: "grid two" }, field(t("Host or URL"), host), field(t("Port"), port)),
    h("div", { class: "grid two" }, field(t("Server name (SNI)"), servername), field(t("ALPN"), alpn)),
    h("div", { class: "grid three" }, field(t("TLS min"), tlsMin), field(t("TLS max"), tlsMax), field(t("Timeout (ms)"), timeout)),
    h("div", { class: "grid two" }, field(t("Protocol before TLS"), starttls.el), h("div", { class: "hs-field app-probe" }, appProbe)),
    field(t("Trust the server certificate if it chains to"), trust),
    caRow,
    h("fieldset", { class: "cred" }, h("legend", {}, t("Client certificate")), kindGroup, pemRow, pfxRow, passRow, hints),
    h(
      "div",
      { class: "hs-actions main-actions" },
      runBtn,
      cancelBtn,
      ring,
      phase,
      h("span", { class: "spacer" }),
      btn(t("Save endpoint…"), () => action("saveEndpoint"), { id: "save-endpoint" }),
      btn(t("Copy openssl command"), () => action("copyOpenssl"), { id: "copy-openssl" }),
      btn(t("Copy curl command"), () => action("copyCurl"), { id: "copy-curl" }),
    ),
  );
  formEl.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  formEl.addEventListener("keydown", (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.target as HTMLElement)?.tagName === "VSCODE-TEXTFIELD") {
      e.preventDefault();
      run();
    }
  });

  const labBanner = h("div", { id: "lab-banner", class: "banner lab", hidden: true });
  const trustBanner = h("div", { id: "trust-banner", class: "banner warn", hidden: true }, t("Restricted mode: this workspace is not trusted. CertScope never connects to endpoints from its settings on its own — it asks first."));
  const status = h("div", { id: "status", class: "status", role: "status", "aria-live": "polite" });
  const lists = h("div", { class: "hs-lists" });
  const resultBox = h("div", { id: "result", class: "result-box", "aria-live": "polite" });

  root.append(
    h(
      "div",
      { class: "hs" },
      h("h1", { class: "hs-title" }, t("Test TLS Handshake")),
      labBanner,
      trustBanner,
      formEl,
      status,
      lists,
      resultBox,
    ),
  );

  // ── helpers ──
  function btn(label: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
    const b = h("vscode-button", { secondary: true, ...attrs }, label);
    b.addEventListener("click", (e) => {
      e.preventDefault();
      onClick();
    });
    return b;
  }

  function say(text: string, tone: "info" | "error" = "info") {
    status.textContent = text;
    status.dataset.tone = tone;
    status.setAttribute("role", tone === "error" ? "alert" : "status");
  }

  function kindValue(): CredentialKind {
    const checked = kindGroup.querySelector("vscode-radio[checked]") as HTMLElement | null;
    const fromProp = Array.from(kindGroup.querySelectorAll("vscode-radio")).find((r) => (r as unknown as { checked: boolean }).checked) as HTMLElement | undefined;
    const v = (fromProp ?? checked)?.getAttribute("value") ?? "none";
    return (["none", "pem", "pkcs12"].includes(v) ? v : "none") as CredentialKind;
  }

  function readForm(): HandshakeForm {
    dirty = false;
    const portNum = Number.parseInt(val(port), 10);
    const t = Number.parseInt(val(timeout), 10);
    return {
      ...form,
      host: val(host).trim(),
      port: Number.isFinite(portNum) ? portNum : null,
      servername: val(servername).trim(),
      alpn: val(alpn).trim(),
      tlsMin: val(tlsMin) as TlsVersionChoice,
      tlsMax: val(tlsMax) as TlsVersionChoice,
      trust: val(trust) as TrustMode,
      timeoutMs: Number.isFinite(t) ? Math.min(600_000, Math.max(500, t)) : form.timeoutMs,
      credentialKind: kindValue(),
      rememberPassphrase: !!(remember as unknown as { checked: boolean }).checked,
      starttls: starttls.value(),
      appProbe: !!(appProbe as unknown as { checked: boolean }).checked,
    };
  }

  function shortPath(p: string): string {
    if (!p) return t("(none chosen)");
    const parts = p.split(/[\\/]/);
    return parts.length > 3 ? `…/${parts.slice(-3).join("/")}` : p;
  }

  function writeForm(f: HandshakeForm) {
    dirty = false;
    form = f;
    pageState.set({ form: f });
    setVal(host, f.host);
    setVal(port, f.port === null ? "" : String(f.port));
    setVal(servername, f.servername);
    setVal(alpn, f.alpn);
    setVal(timeout, String(f.timeoutMs));
    setVal(tlsMin, f.tlsMin);
    setVal(tlsMax, f.tlsMax);
    setVal(trust, f.trust);
    starttls.set(f.starttls);
    (appProbe as unknown as { checked: boolean }).checked = f.appProbe !== false;
    for (const r of Array.from(kindGroup.querySelectorAll("vscode-radio"))) {
      (r as unknown as { checked: boolean }).checked = r.getAttribute("value") === f.credentialKind;
    }
    (remember as unknown as { checked: boolean }).checked = f.rememberPassphrase;
    certPath.textContent = shortPath(f.certFile);
    certPath.title = f.certFile;
    keyPath.textContent = shortPath(f.keyFile);
    keyPath.title = f.keyFile;
    pfxPath.textContent = shortPath(f.pfxFile);
    pfxPath.title = f.pfxFile;
    clear(caList);
    for (const [i, c] of f.caFiles.entries()) {
      const rm = btn(t("Remove"), () => {
        const nf = readForm();
        nf.caFiles = nf.caFiles.filter((_, j) => j !== i);
        writeForm(nf);
      }, { "aria-label": t("Remove {0}", c) });
      caList.append(h("li", {}, h("span", { class: "path", title: c }, shortPath(c)), rm));
    }
    if (!f.caFiles.length) caList.append(h("li", { class: "muted" }, t("(none chosen)")));
    syncVisibility();
  }

  function syncVisibility() {
    const kind = kindValue();
    kindGroup.dataset.value = kind;
    pemRow.hidden = kind !== "pem";
    pfxRow.hidden = kind !== "pkcs12";
    // Remember/Forget only mean something for a credential that takes a passphrase (the host says which).
    passRow.hidden = kind === "none" || passphrase?.needed === "no";
    forget.hidden = !passphrase?.remembered;
    caRow.hidden = val(trust) !== "bundle";
  }

  function setPassphrase(p: PassphraseState | undefined) {
    passphrase = p;
    syncVisibility();
  }

  function renderHints(list: CredentialHint[]) {
    clear(hints);
    for (const hint of list) hints.append(h("li", { class: `hint tone-${hint.tone}`, "data-tone": hint.tone }, hint.text));
    hints.hidden = !list.length || kindValue() === "none";
  }

  function setRunning(on: boolean, text?: string) {
    running = on;
    (runBtn as unknown as { disabled: boolean }).disabled = on;
    cancelBtn.hidden = !on;
    ring.hidden = !on;
    phase.textContent = text ?? "";
    if (on) resultBox.setAttribute("aria-busy", "true");
    else resultBox.removeAttribute("aria-busy");
  }

  function run() {
    if (running) return;
    const f = readForm();
    if (!f.host) {
      // Invalid only once the user tried to run without one — not red before anything was typed.
      host.setAttribute("invalid", "");
      host.setAttribute("aria-invalid", "true");
      say(t("Enter a host name, an IP address or a URL."), "error");
      (host as HTMLElement).focus();
      return;
    }
    form = f;
    pageState.set({ form: f });
    say("");
    setRunning(true, t("Starting…"));
    request({ type: "handshake/run", form: f }, (ok, error) => {
      if (!ok) {
        setRunning(false);
        say(error ?? t("The run could not start."), "error");
      }
    });
  }

  function pick(role: PickRole) {
    request({ type: "handshake/pick", role, form: readForm() }, (ok, error) => !ok && say(error ?? t("Could not choose the file."), "error"));
  }

  function action(a: HandshakeAction, index?: number) {
    request({ type: "handshake/action", action: a, form: readForm(), index }, (ok, error, info) => {
      if (!ok) say(error ?? t("That did not work."), "error");
      else if (info) say(info);
    });
  }

  function showResult(run: RunResult) {
    clear(resultBox);
    resultBox.append(renderResult(run, { action }));
  }

  function renderLab(s: HandshakeViewState) {
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

  function renderLists(s: HandshakeViewState) {
    clear(lists);
    const eps = h(
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
    const rec = h(
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
    lists.append(eps, rec);
  }

  // ── events ──
  for (const el of [kindGroup, trust]) el.addEventListener("change", () => {
    syncVisibility();
    if (el === kindGroup) request({ type: "handshake/check", form: readForm() });
  });
  /** The inputs changed: a failure message about the old inputs no longer applies. */
  const edited = () => {
    dirty = true;
    if (status.dataset.tone === "error") say("");
    if (val(host).trim()) {
      host.removeAttribute("invalid");
      host.removeAttribute("aria-invalid");
    }
  };
  formEl.addEventListener("input", edited);
  formEl.addEventListener("change", edited);
  for (const el of [host, port]) el.addEventListener("change", () => {
    if (kindValue() !== "none") request({ type: "handshake/check", form: readForm() });
  });

  onMessage<HandshakeHostToPage>((m) => {
    if (!isHandshakeHostMessage(m)) return;
    switch (m.type) {
      case "handshake/state":
        setDisplayTimeZone(m.state.timeZone);
        if (!view || !dirty) writeForm(m.state.form);
        view = m.state;
        renderHints(m.state.hints);
        setPassphrase(m.state.passphrase);
        renderLab(m.state);
        trustBanner.hidden = m.state.trusted;
        renderLists(m.state);
        setRunning(m.state.running, m.state.running ? phase.textContent ?? "" : "");
        if (m.state.last && !resultBox.firstChild) showResult(m.state.last);
        break;
      case "handshake/form":
        writeForm(m.form);
        renderHints(m.hints);
        setPassphrase(m.passphrase);
        break;
      case "handshake/running":
        setRunning(m.running, m.phase);
        if (m.error) say(m.error, "error");
        break;
      case "handshake/result":
        setRunning(false);
        showResult(m.run);
        say(m.run.result.outcome === "success" ? t("Handshake succeeded.") : t("Handshake failed: {0}", m.run.result.diagnosis?.summary ?? m.run.result.error?.message ?? ""), m.run.result.outcome === "success" ? "info" : "error");
        break;
      case "handshake/response": {
        const done = pending.get(m.id);
        pending.delete(m.id);
        done?.(m.ok, m.error, m.info);
        break;
      }
    }
  });
  void view;
  writeForm(form);
  post({ type: "ready" });
}
