/**
 * The negotiated suite by its parts, each with a one-line explanation on hover, and the suites the ClientHello
 * offered with their strength (issue 12). Text nodes only.
 */
import { h } from "../../dom";
import { explainParts } from "../../../src/shared/cipherExplain";
import type { HandshakeResult } from "../../../src/shared/model";

const LABELS = { keyExchange: "Key exchange", authentication: "Authentication", cipher: "Cipher", mac: "MAC", forwardSecrecy: "Forward secrecy" } as const;

export function cipherPartsPanel(r: HandshakeResult): HTMLElement | null {
  const p = r.cipherParts;
  if (!p) return null;
  const e = explainParts(p);
  const value = (k: keyof typeof LABELS) => (k === "forwardSecrecy" ? (p.forwardSecrecy ? "yes" : "no") : String(p[k]));
  return h(
    "dl",
    { class: "kv cipher-parts", id: "cipher-parts", "aria-label": `The parts of ${r.cipher ?? "the cipher suite"}` },
    (Object.keys(LABELS) as (keyof typeof LABELS)[]).flatMap((k) => [
      h("dt", {}, LABELS[k]),
      h("dd", { title: e[k], class: k === "forwardSecrecy" ? (p.forwardSecrecy ? "tone-ok" : "tone-warning") : undefined }, value(k)),
    ]),
  );
}

/** The ClientHello's cipher suites, weak and insecure ones marked (grades from the scan's suite table, carried in the message detail). */
export function offeredSuitesPanel(r: HandshakeResult): HTMLElement | null {
  const ch = r.messages.find((m) => m.from === "client" && m.type === "ClientHello");
  const names = ch?.detail?.cipherSuites;
  const grades = ch?.detail?.cipherSuiteStrengths as Record<string, string> | undefined;
  if (!Array.isArray(names) || !names.length) return null;
  return h(
    "details",
    { class: "hs-section offered-suites", id: "offered-suites" },
    h("summary", {}, `Cipher suites the client offered (${names.length})`),
    h(
      "ol",
      {},
      names.map((n) => {
        const g = grades?.[String(n)];
        return h("li", { class: g === "insecure" ? "tone-error" : g === "weak" ? "tone-warning" : undefined, title: g ? `${g}${n === r.cipher ? " — negotiated" : ""}` : undefined }, String(n), g && g !== "strong" ? ` (${g})` : "", n === r.cipher ? " ← negotiated" : "");
      }),
    ),
  );
}
