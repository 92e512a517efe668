/**
 * The handshake's OCSP line in plain words, one wording for the CLI report and the handshake panel
 * (pure: imported by Node and the webview alike).
 */
import type { OcspStapleInfo } from "./model";

const day = (iso: string | undefined) => (iso ? iso.replace("T", " ").replace(/:\d\dZ$/, " UTC").replace(/Z$/, " UTC") : "?");

/** "stapled, good (this update …, next update …), from CN=…" / "not stapled" / "stapled, REVOKED …". */
export function ocspStapleText(o: OcspStapleInfo): string {
  if (!o.stapled) return "not stapled (the server sent no OCSP response)";
  const from = o.responder ? `, from ${o.responder}` : "";
  const window = o.thisUpdate ? ` (this update ${day(o.thisUpdate)}${o.nextUpdate ? `, next update ${day(o.nextUpdate)}` : ""})` : "";
  switch (o.status) {
    case "good":
      return `stapled, good${window}${from}`;
    case "revoked":
      return `stapled, REVOKED ${day(o.revokedAt)}${o.reason ? ` (${o.reason})` : ""}${from}`;
    case "unknown":
      return `stapled, "unknown" (the responder does not know the certificate)${from}`;
    default:
      return `stapled but invalid: ${o.detail ?? "it does not check out"}`;
  }
}
