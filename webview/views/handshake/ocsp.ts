/** The handshake result's OCSP line (what the server stapled) and CT line (its SCTs), in the words the CLI uses. Text nodes only. */
import { h } from "../../dom";
import { ocspStapleText, sctLineText } from "../../../src/shared/ocspText";
import type { HandshakeResult } from "../../../src/shared/model";
import { t } from "../../l10n";

export function ocspLine(r: HandshakeResult): HTMLElement | null {
  if (!r.ocsp) return null;
  const o = r.ocsp;
  const ct = r.scts?.length
    ? h("p", { id: "ct-line", class: `ocsp-line tone-${r.scts.some((s) => s.verified === false) ? "warning" : "info"}` }, h("strong", {}, "Certificate Transparency: "), sctLineText(r.scts, t))
    : null;
  const tone = !o.stapled ? "info" : o.status === "good" ? "ok" : o.status === "revoked" ? "error" : "warning";
  const line = h(
    "p",
    { id: "ocsp-line", class: `ocsp-line tone-${tone}`, "data-stapled": String(o.stapled), "data-status": o.status ?? "none", ...(o.detail ? { title: o.detail } : {}) },
    h("strong", {}, "OCSP: "),
    ocspStapleText(o, t),
  );
  return ct ? h("div", { class: "ocsp-lines" }, line, ct) : line;
}
