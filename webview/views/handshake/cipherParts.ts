/**
 * The negotiated suite by its parts, each with a one-line explanation on hover, and the suites the ClientHello
 * offered with their strength (issue 12). Text nodes only.
 */
import { h } from "../../dom";
import { t } from "../../l10n";
import { explainParts } from "../../../src/shared/cipherExplain";
import type { HandshakeResult } from "../../../src/shared/model";

// A function, not a constant: the translations are read from the page, which is there only once it has loaded.
const labels = () => ({ keyExchange: t("Key exchange"), authentication: t("Authentication"), cipher: t("Cipher"), mac: t("MAC"), forwardSecrecy: t("Forward secrecy") });
type Part = keyof ReturnType<typeof labels>;

/** A suite's grade from the scan's table, in words. */
function grade(g: string): string {
  return g === "insecure" ? t("insecure") : g === "weak" ? t("weak") : g === "strong" ? t("strong") : g;
}

export function cipherPartsPanel(r: HandshakeResult): HTMLElement | null {
  const p = r.cipherParts;
  if (!p) return null;
  const e = explainParts(p, t);
  const label = labels();
  const value = (k: Part) => (k === "forwardSecrecy" ? (p.forwardSecrecy ? t("yes") : t("no")) : String(p[k]));
  return h(
    "dl",
    { class: "kv cipher-parts", id: "cipher-parts", "aria-label": r.cipher ? t("The parts of {0}", r.cipher) : t("The parts of the cipher suite") },
    (Object.keys(label) as Part[]).flatMap((k) => [
      h("dt", {}, label[k]),
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
    h("summary", {}, t("Cipher suites the client offered ({0})", names.length)),
    h(
      "ol",
      {},
      names.map((n) => {
        const g = grades?.[String(n)];
        const chosen = n === r.cipher ? t("negotiated") : "";
        return h("li", { class: g === "insecure" ? "tone-error" : g === "weak" ? "tone-warning" : undefined, title: g ? `${grade(g)}${chosen ? ` — ${chosen}` : ""}` : undefined }, String(n), g && g !== "strong" ? ` (${grade(g)})` : "", chosen ? ` ← ${chosen}` : "");
      }),
    ),
  );
}
