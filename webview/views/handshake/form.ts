/**
 * The handshake page's form: connection, trust and client-certificate controls and the run actions. It keeps
 * the form last sent to or received from the host, whether the user changed it since (a state push from the host
 * must not overwrite that), and what the host said about the credential's passphrase.
 */
import { TLS_VERSION_NUMBERS, tlsVersionName } from "../../../src/shared/format";
import { h, clear } from "../../dom";
import { state as pageState } from "../../ipc";
import type { CredentialHint, CredentialKind, HandshakeAction, HandshakeForm, PassphraseState, PickRole, TlsVersionChoice, TrustMode } from "../../../src/shared/protocol/handshake";
import { starttlsControl } from "../starttls";
import { t } from "../../l10n";
import { btn, field, isChecked, select, setChecked, setVal, val } from "../controls";

// Named as the results name them (TLSv1.2: src/shared/format.ts).
const VERSIONS: [TlsVersionChoice, string][] = [["", t("default")], ...TLS_VERSION_NUMBERS.map((v): [TlsVersionChoice, string] => [v, tlsVersionName(v)])];
const TRUST: [TrustMode, string][] = [
  ["system", t("System roots (and certscope.trust.extraCaBundles)")],
  ["bundle", t("CA file(s) I choose")],
  ["workspace", t("Self-signed CA certificates in the workspace")],
  ["none", t("Nothing (show the chain, report it untrusted)")],
];

/** What the form asks of the page around it. */
export interface FormHooks {
  run(): void;
  cancel(): void;
  pick(role: PickRole): void;
  action(a: HandshakeAction): void;
  /** The credential or its endpoint changed: the host checks it again (hints, passphrase). */
  check(form: HandshakeForm): void;
  /** The user edited the form. */
  edited(): void;
}

function connectionControls(form: HandshakeForm, hooks: FormHooks) {
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
  const caRow = h("div", { class: "hs-field ca-row" }, h("vscode-label", {}, t("CA files")), caList, btn(t("Choose CA files…"), () => hooks.pick("ca"), { id: "pick-ca" }));
  return { host, port, servername, alpn, timeout, tlsMin, tlsMax, trust, starttls, appProbe, caList, caRow };
}

function credentialControls(form: HandshakeForm, hooks: FormHooks) {
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
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("Certificate")), certPath, btn(t("Choose…"), () => hooks.pick("cert"), { id: "pick-cert", "aria-label": t("Choose the client certificate") })),
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("Private key")), keyPath, btn(t("Choose…"), () => hooks.pick("key"), { id: "pick-key", "aria-label": t("Choose the private key") })),
  );
  const pfxRow = h(
    "div",
    { class: "cred-files", id: "pfx-files" },
    h("div", { class: "file-row" }, h("span", { class: "file-label" }, t("PKCS#12")), pfxPath, btn(t("Choose…"), () => hooks.pick("pfx"), { id: "pick-pfx", "aria-label": t("Choose the PKCS#12 file") })),
  );
  const remember = h("vscode-checkbox", { id: "remember", label: t("Remember the passphrase in the OS secret store (asked in an input box, never here)") });
  const forget = btn(t("Forget remembered passphrase"), () => hooks.action("forgetPassphrase"), { id: "forget-passphrase" });
  const passRow = h("div", { class: "pass-row" }, remember, forget);
  const hints = h("ul", { id: "hints", class: "hints", "aria-live": "polite" });
  return { kindGroup, certPath, keyPath, pfxPath, pemRow, pfxRow, remember, forget, passRow, hints };
}

function runControls(hooks: FormHooks) {
  const runBtn = h("vscode-button", { id: "run" }, t("Run"));
  const cancelBtn = h("vscode-button", { id: "cancel", secondary: true, hidden: true }, t("Cancel"));
  const ring = h("vscode-progress-ring", { id: "progress", hidden: true, "aria-label": t("Handshake running") });
  const phase = h("span", { id: "phase", class: "phase", role: "status", "aria-live": "polite" });
  runBtn.addEventListener("click", () => hooks.run());
  cancelBtn.addEventListener("click", () => hooks.cancel());
  return { runBtn, cancelBtn, ring, phase };
}

type Connection = ReturnType<typeof connectionControls>;
type Credential = ReturnType<typeof credentialControls>;
type Running = ReturnType<typeof runControls>;

function layout(c: Connection, cred: Credential, r: Running, hooks: FormHooks): HTMLElement {
  return h(
    "form",
    { id: "hs-form", class: "hs-form", "aria-label": t("Handshake settings") },
    h("div", { class: "grid two" }, field(t("Host or URL"), c.host), field(t("Port"), c.port)),
    h("div", { class: "grid two" }, field(t("Server name (SNI)"), c.servername), field(t("ALPN"), c.alpn)),
    h("div", { class: "grid three" }, field(t("TLS min"), c.tlsMin), field(t("TLS max"), c.tlsMax), field(t("Timeout (ms)"), c.timeout)),
    h("div", { class: "grid two" }, field(t("Protocol before TLS"), c.starttls.el), h("div", { class: "hs-field app-probe" }, c.appProbe)),
    field(t("Trust the server certificate if it chains to"), c.trust),
    c.caRow,
    h("fieldset", { class: "cred" }, h("legend", {}, t("Client certificate")), cred.kindGroup, cred.pemRow, cred.pfxRow, cred.passRow, cred.hints),
    h(
      "div",
      { class: "hs-actions main-actions" },
      r.runBtn,
      r.cancelBtn,
      r.ring,
      r.phase,
      h("span", { class: "spacer" }),
      btn(t("Save endpoint…"), () => hooks.action("saveEndpoint"), { id: "save-endpoint" }),
      btn(t("Copy openssl command"), () => hooks.action("copyOpenssl"), { id: "copy-openssl" }),
      btn(t("Copy curl command"), () => hooks.action("copyCurl"), { id: "copy-curl" }),
    ),
  );
}

function shortPath(p: string): string {
  if (!p) return t("(none chosen)");
  const parts = p.split(/[\\/]/);
  return parts.length > 3 ? `…/${parts.slice(-3).join("/")}` : p;
}

function showPath(el: HTMLElement, p: string): void {
  el.textContent = shortPath(p);
  el.title = p;
}

export class HandshakeFormView {
  readonly el: HTMLElement;
  private readonly c: Connection;
  private readonly cred: Credential;
  private readonly r: Running;
  private form: HandshakeForm;
  /** The user changed the form since it was last sent to or received from the host. */
  private dirty = false;
  /** From the host: whether the chosen credential takes a passphrase and whether one is remembered. */
  private passphrase: PassphraseState | undefined;

  constructor(initial: HandshakeForm, private readonly hooks: FormHooks) {
    this.form = initial;
    this.c = connectionControls(initial, hooks);
    this.cred = credentialControls(initial, hooks);
    this.r = runControls(hooks);
    this.el = layout(this.c, this.cred, this.r, hooks);
    this.listenForSubmit();
    this.listen();
  }

  /** The form as the user filled it in; it is about to go to the host, so it counts as unchanged. */
  read(): HandshakeForm {
    this.dirty = false;
    const { c, form } = this;
    const portNum = Number.parseInt(val(c.port), 10);
    const t = Number.parseInt(val(c.timeout), 10);
    return {
      ...form,
      host: val(c.host).trim(),
      port: Number.isFinite(portNum) ? portNum : null,
      servername: val(c.servername).trim(),
      alpn: val(c.alpn).trim(),
      tlsMin: val(c.tlsMin) as TlsVersionChoice,
      tlsMax: val(c.tlsMax) as TlsVersionChoice,
      trust: val(c.trust) as TrustMode,
      timeoutMs: Number.isFinite(t) ? Math.min(600_000, Math.max(500, t)) : form.timeoutMs,
      credentialKind: this.kindValue(),
      rememberPassphrase: isChecked(this.cred.remember),
      starttls: c.starttls.value(),
      appProbe: isChecked(c.appProbe),
    };
  }

  /** Shows a form (from the host, or kept from before) and keeps it. */
  write(f: HandshakeForm): void {
    const { c, cred } = this;
    this.dirty = false;
    this.keep(f);
    setVal(c.host, f.host);
    setVal(c.port, f.port === null ? "" : String(f.port));
    setVal(c.servername, f.servername);
    setVal(c.alpn, f.alpn);
    setVal(c.timeout, String(f.timeoutMs));
    setVal(c.tlsMin, f.tlsMin);
    setVal(c.tlsMax, f.tlsMax);
    setVal(c.trust, f.trust);
    c.starttls.set(f.starttls);
    setChecked(c.appProbe, f.appProbe !== false);
    for (const r of Array.from(cred.kindGroup.querySelectorAll("vscode-radio"))) setChecked(r, r.getAttribute("value") === f.credentialKind);
    setChecked(cred.remember, f.rememberPassphrase);
    showPath(cred.certPath, f.certFile);
    showPath(cred.keyPath, f.keyFile);
    showPath(cred.pfxPath, f.pfxFile);
    this.writeCaFiles(f.caFiles);
    this.syncVisibility();
  }

  /** Keeps the form as sent to or received from the host, in the page state too (it survives a reload). */
  keep(f: HandshakeForm): void {
    this.form = f;
    pageState.set({ form: f });
  }

  /** The user changed the form since it was last sent to or received from the host: a state push must not overwrite it. */
  changed(): boolean {
    return this.dirty;
  }

  setPassphrase(p: PassphraseState | undefined): void {
    this.passphrase = p;
    this.syncVisibility();
  }

  renderHints(list: CredentialHint[]): void {
    const { hints } = this.cred;
    clear(hints);
    for (const hint of list) hints.append(h("li", { class: `hint tone-${hint.tone}`, "data-tone": hint.tone }, hint.text));
    hints.hidden = !list.length || this.kindValue() === "none";
  }

  /** Invalid only once the user tried to run without a host — not red before anything was typed. */
  flagMissingHost(): void {
    this.c.host.setAttribute("invalid", "");
    this.c.host.setAttribute("aria-invalid", "true");
  }

  focusHost(): void {
    this.c.host.focus();
  }

  showRunning(on: boolean, text?: string): void {
    const { runBtn, cancelBtn, ring, phase } = this.r;
    (runBtn as unknown as { disabled: boolean }).disabled = on;
    cancelBtn.hidden = !on;
    ring.hidden = !on;
    phase.textContent = text ?? "";
  }

  phaseText(): string {
    return this.r.phase.textContent ?? "";
  }

  private writeCaFiles(files: string[]): void {
    const { caList } = this.c;
    clear(caList);
    for (const [i, c] of files.entries()) {
      const rm = btn(t("Remove"), () => {
        const nf = this.read();
        nf.caFiles = nf.caFiles.filter((_, j) => j !== i);
        this.write(nf);
      }, { "aria-label": t("Remove {0}", c) });
      caList.append(h("li", {}, h("span", { class: "path", title: c }, shortPath(c)), rm));
    }
    if (!files.length) caList.append(h("li", { class: "muted" }, t("(none chosen)")));
  }

  private kindValue(): CredentialKind {
    const { kindGroup } = this.cred;
    const checked = kindGroup.querySelector("vscode-radio[checked]") as HTMLElement | null;
    const fromProp = Array.from(kindGroup.querySelectorAll("vscode-radio")).find((r) => isChecked(r)) as HTMLElement | undefined;
    const v = (fromProp ?? checked)?.getAttribute("value") ?? "none";
    return (["none", "pem", "pkcs12"].includes(v) ? v : "none") as CredentialKind;
  }

  private syncVisibility(): void {
    const { cred, passphrase } = this;
    const kind = this.kindValue();
    cred.kindGroup.dataset.value = kind;
    cred.pemRow.hidden = kind !== "pem";
    cred.pfxRow.hidden = kind !== "pkcs12";
    // Remember/Forget only mean something for a credential that takes a passphrase (the host says which).
    cred.passRow.hidden = kind === "none" || passphrase?.needed === "no";
    cred.forget.hidden = !passphrase?.remembered;
    this.c.caRow.hidden = val(this.c.trust) !== "bundle";
  }

  private listenForSubmit(): void {
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      this.hooks.run();
    });
    this.el.addEventListener("keydown", (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.target as HTMLElement)?.tagName === "VSCODE-TEXTFIELD") {
        e.preventDefault();
        this.hooks.run();
      }
    });
  }

  /** Wires the controls to each other and to the host. */
  private listen(): void {
    const { c, cred, hooks } = this;
    for (const el of [cred.kindGroup, c.trust]) el.addEventListener("change", () => {
      this.syncVisibility();
      if (el === cred.kindGroup) hooks.check(this.read());
    });
    const edited = () => {
      this.dirty = true;
      hooks.edited();
      if (val(c.host).trim()) {
        c.host.removeAttribute("invalid");
        c.host.removeAttribute("aria-invalid");
      }
    };
    this.el.addEventListener("input", edited);
    this.el.addEventListener("change", edited);
    for (const el of [c.host, c.port]) el.addEventListener("change", () => {
      if (this.kindValue() !== "none") hooks.check(this.read());
    });
  }
}
