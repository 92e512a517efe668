/**
 * The "Protocol before TLS" choice shared by the handshake and the Scan page: one list of choices with one
 * wording, and the same behaviour — the protocol is suggested from the port (587 → SMTP, 5432 → PostgreSQL…)
 * until the user picks one themselves. The protocols come from src/shared/starttls.ts (as the CLI's --starttls).
 */
import { h } from "../dom";
import { isStartTlsProtocol, PROTOCOL_NAMES, STARTTLS_PROTOCOLS, starttlsForPort, type StartTlsProtocol } from "../../src/shared/starttls";
import { t } from "../l10n";

export type StartTlsChoice = "" | StartTlsProtocol;

/** How a protocol's upgrade is named: "SMTP (STARTTLS)", "PostgreSQL (SSLRequest)". */
export function starttlsLabel(p: StartTlsProtocol): string {
  return p === "postgres" ? t("PostgreSQL (SSLRequest)") : p === "mysql" ? t("MySQL (SSL in its handshake)") : t("{0} (STARTTLS)", PROTOCOL_NAMES[p]);
}

/** [value, label] of each choice; "" = TLS from the first byte. */
export function starttlsChoices(): [StartTlsChoice, string][] {
  return [["", t("None: TLS from the first byte")], ...STARTTLS_PROTOCOLS.map((p): [StartTlsChoice, string] => [p, starttlsLabel(p)])];
}

export interface StartTlsControl {
  /** The vscode-single-select to place in the form. */
  readonly el: HTMLElement;
  value(): StartTlsChoice;
  /** Shows `v`; a protocol counts as the user's choice (no longer replaced from the port), "" does not. */
  set(v: StartTlsChoice | undefined): void;
}

/**
 * The select with `id`, following `port` (a text field) while the user has not picked a protocol: typing a
 * well-known port selects its protocol, any other port selects "None".
 */
export function starttlsControl(id: string, value: StartTlsChoice | undefined, port: HTMLElement): StartTlsControl {
  const el = h(
    "vscode-single-select",
    { id, "aria-label": t("Protocol before TLS (STARTTLS)") },
    starttlsChoices().map(([v, text]) => h("vscode-option", { value: v, selected: v === (value ?? "") }, text)),
  );
  let picked = !!value;
  const read = (): StartTlsChoice => {
    const v = String((el as unknown as { value?: unknown }).value ?? "");
    return isStartTlsProtocol(v) ? v : "";
  };
  const write = (v: StartTlsChoice) => ((el as unknown as { value: string }).value = v);
  el.addEventListener("change", () => (picked = true));
  port.addEventListener("input", () => {
    if (!picked) write(starttlsForPort(Number.parseInt(String((port as unknown as { value?: unknown }).value ?? ""), 10)) ?? "");
  });
  return {
    el,
    value: read,
    set(v) {
      write(v ?? "");
      picked = !!v;
    },
  };
}
