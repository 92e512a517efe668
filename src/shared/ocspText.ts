/**
 * The handshake's OCSP line in plain words, one wording for the CLI report and the handshake panel
 * (pure: imported by Node and the webview alike).
 */
import type { OcspStapleInfo, SctInfo } from "./model";

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

/** "2 SCTs (embedded) from Google Argon2026h1, Cloudflare Nimbus2026; 1 did not verify". */
export function sctLineText(scts: SctInfo[]): string {
  const sources = [...new Set(scts.map((s) => s.source ?? "embedded"))].join(", ");
  const names = scts.map((s) => s.log ?? `an unknown log (${s.logId.slice(0, 8)}…)`);
  const bad = scts.filter((s) => s.verified === false).length;
  const ok = scts.filter((s) => s.verified === true).length;
  const notes = [ok ? `${ok} verified` : "", bad ? `${bad} did not verify` : ""].filter(Boolean).join(", ");
  return `${scts.length} SCT${scts.length === 1 ? "" : "s"} (${sources}) from ${names.join(", ")}${notes ? `; ${notes}` : ""}`;
}
