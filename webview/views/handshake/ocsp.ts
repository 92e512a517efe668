/** The handshake result's OCSP line: what the server stapled, in the words the CLI uses. Text nodes only. */
import { h } from "../../dom";
import { ocspStapleText } from "../../../src/shared/ocspText";
import type { HandshakeResult } from "../../../src/shared/model";

export function ocspLine(r: HandshakeResult): HTMLElement | null {
  if (!r.ocsp) return null;
  const o = r.ocsp;
  const tone = !o.stapled ? "info" : o.status === "good" ? "ok" : o.status === "revoked" ? "error" : "warning";
  return h(
    "p",
    { id: "ocsp-line", class: `ocsp-line tone-${tone}`, "data-stapled": String(o.stapled), "data-status": o.status ?? "none", ...(o.detail ? { title: o.detail } : {}) },
    h("strong", {}, "OCSP: "),
    ocspStapleText(o),
  );
}
