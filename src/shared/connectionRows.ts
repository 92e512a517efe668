/**
 * The diagram rows around the TLS messages (issue 16): the plaintext before the ClientHello (proxy CONNECT,
 * STARTTLS preamble) and the application exchange after the handshake. Pure, like handshakeView.ts.
 */
import type { HandshakeResult } from "./model";
import type { DiagramRow } from "./handshakeView";
import { isStartTlsProtocol, PROTOCOL_NAMES } from "./starttls";
import { english, type Translate } from "./format";

/**
 * A line of plaintext before TLS (proxy CONNECT, STARTTLS preamble) or of the application exchange after it
 * (encrypted): drawn as an arrow, but not a TLS message (no index into result.messages).
 */
export interface DiagramPlain {
  kind: "plain";
  phase: "proxy" | "starttls" | "app";
  from: "client" | "server";
  text: string;
  encrypted: boolean;
  /** The application's refusal. */
  refused: boolean;
  time?: number;
  ariaLabel: string;
}

function plainRow(t: Translate, phase: DiagramPlain["phase"], from: "client" | "server", text: string, o: { time?: number; refused?: boolean } = {}): DiagramPlain {
  const what = phase === "app" ? t("application data, encrypted") : phase === "proxy" ? t("to the proxy, plaintext") : t("plaintext");
  return {
    kind: "plain",
    phase,
    from,
    text,
    encrypted: phase === "app",
    refused: o.refused === true,
    ...(o.time !== undefined ? { time: o.time } : {}),
    ariaLabel: (from === "client" ? t("Client to server ({0}): {1}", what, text) : t("Server to client ({0}): {1}", what, text)) + (o.refused ? t(", refused") : ""),
  };
}

/** The rows before the ClientHello: the proxy's CONNECT and the STARTTLS preamble. */
export function preambleRows(result: HandshakeResult, t: Translate = english): DiagramRow[] {
  const lines = (result.preamble ?? []).filter((p) => p.step !== "tcp" && p.from !== "note");
  if (!lines.length) return [];
  const rows: DiagramRow[] = [];
  let phase: string | undefined;
  for (const l of lines) {
    if (l.step !== phase) {
      phase = l.step;
      rows.push({
        kind: "note",
        tone: "info",
        text:
          l.step === "proxy"
            ? t("Through the HTTP proxy {0}: a CONNECT tunnel first (plaintext, to the proxy).", result.proxy ?? "")
            : t(
                "Plaintext {0} exchange before TLS: {1}.",
                isStartTlsProtocol(result.starttls) ? PROTOCOL_NAMES[result.starttls] : t("protocol"),
                result.starttls === "postgres" ? "SSLRequest" : result.starttls === "mysql" ? t("SSL capability in its handshake") : result.starttls === "ldap" ? t("the StartTLS extended operation") : "STARTTLS",
              ),
      });
    }
    rows.push(plainRow(t, l.step === "proxy" ? "proxy" : "starttls", l.from === "client" ? "client" : "server", l.text, { time: l.time }));
  }
  return rows;
}

/** The application probe's request and answer, after the handshake. */
export function applicationRows(result: HandshakeResult, t: Translate = english): DiagramRow[] {
  const app = result.application;
  if (!app) return [];
  const rows: DiagramRow[] = [
    { kind: "note", tone: "encrypted", text: t("Application data ({0}), encrypted: one harmless request to hear the application's own verdict.", app.protocol) },
    plainRow(t, "app", "client", app.request),
  ];
  if (app.answer) rows.push(plainRow(t, "app", "server", app.answer, { refused: app.refused }));
  else rows.push({ kind: "note", tone: "info", text: t("No answer: {0}.", app.noAnswer ?? t("none within the wait")) });
  if (app.refused && result.diagnosis) rows.push({ kind: "note", tone: "error", text: t("The application refused the connection: {0}", result.diagnosis.summary) });
  return rows;
}
