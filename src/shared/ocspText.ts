/**
 * The handshake's OCSP line in plain words, one wording for the CLI report and the handshake panel
 * (pure: imported by Node and the webview alike). `t` says it in the panel's language; the CLI keeps English.
 */
import type { OcspStapleInfo, SctInfo } from "./model";
import { english, type Translate } from "./format";

const day = (iso: string | undefined) => (iso ? iso.replace("T", " ").replace(/:\d\dZ$/, " UTC").replace(/Z$/, " UTC") : "?");

/** "stapled, good (this update …, next update …), from CN=…" / "not stapled" / "stapled, REVOKED …". */
export function ocspStapleText(o: OcspStapleInfo, t: Translate = english): string {
  if (!o.stapled) return t("not stapled (the server sent no OCSP response)");
  const from = o.responder ? t(", from {0}", o.responder) : "";
  const window = o.thisUpdate ? (o.nextUpdate ? t(" (this update {0}, next update {1})", day(o.thisUpdate), day(o.nextUpdate)) : t(" (this update {0})", day(o.thisUpdate))) : "";
  switch (o.status) {
    case "good":
      return t("stapled, good{0}{1}", window, from);
    case "revoked":
      return o.reason ? t("stapled, REVOKED {0} ({1}){2}", day(o.revokedAt), o.reason, from) : t("stapled, REVOKED {0}{1}", day(o.revokedAt), from);
    case "unknown":
      return t('stapled, "unknown" (the responder does not know the certificate){0}', from);
    default:
      return t("stapled but invalid: {0}", o.detail ?? t("it does not check out"));
  }
}

/** "2 SCTs (embedded) from Google Argon2026h1, Cloudflare Nimbus2026; 1 did not verify". */
export function sctLineText(scts: SctInfo[], t: Translate = english): string {
  const sources = [...new Set(scts.map((s) => s.source ?? "embedded"))].join(", ");
  const names = scts.map((s) => s.log ?? t("an unknown log ({0}…)", s.logId.slice(0, 8)));
  const bad = scts.filter((s) => s.verified === false).length;
  const ok = scts.filter((s) => s.verified === true).length;
  const notes = [ok ? t("{0} verified", ok) : "", bad ? t("{0} did not verify", bad) : ""].filter(Boolean).join(", ");
  const head = scts.length === 1 ? t("1 SCT ({0}) from {1}", sources, names.join(", ")) : t("{0} SCTs ({1}) from {2}", scts.length, sources, names.join(", "));
  return notes ? t("{0}; {1}", head, notes) : head;
}
