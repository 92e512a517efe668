/**
 * The "Test TLS Handshake" page: the form (./handshake/form.ts), the lab and trust banners, saved endpoints and
 * recent runs (./handshake/lists.ts), and the result of the last run (./handshake/result.ts). Renders the host's
 * state (src/shared/protocol/handshake.ts) with text nodes only. Files are chosen on the host (quick pick /
 * dialog); passphrases are asked on the host (input box) — nothing secret is ever typed here.
 *
 * Stable hooks (e2e): #host, #port, #credential-kind (data-value), #run, #cancel, #diagnosis[data-category],
 * #diagram [data-type], #lab-with, #lab-without.
 */
import { setDisplayTimeZone } from "../../src/shared/format";
import { h, clear } from "../dom";
import { onMessage, post, state as pageState } from "../ipc";
import { emptyForm, isHandshakeHostMessage, type HandshakeAction, type HandshakeForm, type HandshakeHostToPage, type HandshakeViewState, type PickRole, type RunResult } from "../../src/shared/protocol/handshake";
import { renderResult } from "./handshake/result";
import { HandshakeFormView } from "./handshake/form";
import { renderLab, renderLists } from "./handshake/lists";
import { request, settle } from "./handshake/requests";
import { t } from "../l10n";

/** The page's parts outside the form. */
function pageParts() {
  const labBanner = h("div", { id: "lab-banner", class: "banner lab", hidden: true });
  const trustBanner = h("div", { id: "trust-banner", class: "banner warn", hidden: true }, t("Restricted mode: this workspace is not trusted. CertScope never connects to endpoints from its settings on its own — it asks first."));
  const status = h("div", { id: "status", class: "status", role: "status", "aria-live": "polite" });
  const lists = h("div", { class: "hs-lists" });
  const resultBox = h("div", { id: "result", class: "result-box", "aria-live": "polite" });
  return { labBanner, trustBanner, status, lists, resultBox };
}

class HandshakePage {
  private readonly parts = pageParts();
  private readonly form: HandshakeFormView;
  private view: HandshakeViewState | undefined;
  private running = false;

  constructor(root: HTMLElement, initial: HandshakeForm) {
    const { status } = this.parts;
    this.form = new HandshakeFormView(initial, {
      run: () => this.run(),
      cancel: () => request({ type: "handshake/cancel" }),
      pick: (role) => this.pick(role),
      action: (a) => this.action(a),
      check: (f) => request({ type: "handshake/check", form: f }),
      // The inputs changed: a failure message about the old inputs no longer applies.
      edited: () => {
        if (status.dataset.tone === "error") this.say("");
      },
    });
    const { labBanner, trustBanner, lists, resultBox } = this.parts;
    root.append(h("div", { class: "hs" }, h("h1", { class: "hs-title" }, t("Test TLS Handshake")), labBanner, trustBanner, this.form.el, status, lists, resultBox));
  }

  /** The host's messages; the page posts `ready` once it listens. */
  start(initial: HandshakeForm): void {
    onMessage<HandshakeHostToPage>((m) => {
      if (isHandshakeHostMessage(m)) this.receive(m);
    });
    this.form.write(initial);
    post({ type: "ready" });
  }

  private say(text: string, tone: "info" | "error" = "info") {
    const { status } = this.parts;
    status.textContent = text;
    status.dataset.tone = tone;
    status.setAttribute("role", tone === "error" ? "alert" : "status");
  }

  private setRunning(on: boolean, text?: string) {
    const { resultBox } = this.parts;
    this.running = on;
    this.form.showRunning(on, text);
    if (on) resultBox.setAttribute("aria-busy", "true");
    else resultBox.removeAttribute("aria-busy");
  }

  private run() {
    if (this.running) return;
    const f = this.form.read();
    if (!f.host) {
      this.form.flagMissingHost();
      this.say(t("Enter a host name, an IP address or a URL."), "error");
      this.form.focusHost();
      return;
    }
    this.form.keep(f);
    this.say("");
    this.setRunning(true, t("Starting…"));
    request({ type: "handshake/run", form: f }, (ok, error) => {
      if (!ok) {
        this.setRunning(false);
        this.say(error ?? t("The run could not start."), "error");
      }
    });
  }

  private pick(role: PickRole) {
    request({ type: "handshake/pick", role, form: this.form.read() }, (ok, error) => !ok && this.say(error ?? t("Could not choose the file."), "error"));
  }

  private action(a: HandshakeAction, index?: number) {
    request({ type: "handshake/action", action: a, form: this.form.read(), index }, (ok, error, info) => {
      if (!ok) this.say(error ?? t("That did not work."), "error");
      else if (info) this.say(info);
    });
  }

  private showResult(run: RunResult) {
    const { resultBox } = this.parts;
    clear(resultBox);
    resultBox.append(renderResult(run, { action: (a, index) => this.action(a, index) }));
  }

  private showState(s: HandshakeViewState) {
    const { labBanner, trustBanner, lists, resultBox } = this.parts;
    setDisplayTimeZone(s.timeZone);
    if (!this.view || !this.form.changed()) this.form.write(s.form);
    this.view = s;
    this.form.renderHints(s.hints);
    this.form.setPassphrase(s.passphrase);
    renderLab(labBanner, s);
    trustBanner.hidden = s.trusted;
    renderLists(lists, s, { say: (text, tone) => this.say(text, tone), setRunning: (on, text) => this.setRunning(on, text) });
    this.setRunning(s.running, s.running ? this.form.phaseText() : "");
    if (s.last && !resultBox.firstChild) this.showResult(s.last);
  }

  private receive(m: HandshakeHostToPage) {
    switch (m.type) {
      case "handshake/state":
        this.showState(m.state);
        break;
      case "handshake/form":
        this.form.write(m.form);
        this.form.renderHints(m.hints);
        this.form.setPassphrase(m.passphrase);
        break;
      case "handshake/running":
        this.setRunning(m.running, m.phase);
        if (m.error) this.say(m.error, "error");
        break;
      case "handshake/result":
        this.setRunning(false);
        this.showResult(m.run);
        this.say(m.run.result.outcome === "success" ? t("Handshake succeeded.") : t("Handshake failed: {0}", m.run.result.diagnosis?.summary ?? m.run.result.error?.message ?? ""), m.run.result.outcome === "success" ? "info" : "error");
        break;
      case "handshake/response":
        settle(m);
        break;
    }
  }
}

export function mount(root: HTMLElement): void {
  const initial = pageState.get<{ form?: HandshakeForm }>()?.form ?? emptyForm();
  new HandshakePage(root, initial).start(initial);
}
