/**
 * The scan's findings in plain words, each with what to change — the configuration lines for nginx, Apache and
 * HAProxy where they are standard — and which of Mozilla's server-side TLS profiles the server meets, and what
 * keeps it from the next one. 'modern' and 'intermediate' are guideline 6.0 (ssl-config.mozilla.org
 * guidelines/6.0.json: intermediate lost its DHE suites); 6.0 retired 'old', so 'old' is 5.7's, the last that
 * defined it (https://wiki.mozilla.org/Security/Server_Side_TLS).
 */
import type { MozillaProfile, ScanFinding, ScanResult, ScanSuite } from "../../../shared/scanModel";
import { VERSION_TEXT } from "../../../shared/scanModel";
import { english, type Translate } from "../../../shared/format";

type ScanFacts = Omit<ScanResult, "findings" | "mozilla">;

const MODERN_13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
const INTERMEDIATE_12 = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];
const OLD_12 = [
  ...INTERMEDIATE_12,
  "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

const PROFILES: Record<MozillaProfile, { versions: string[]; suites12: string[]; minDh: number }> = {
  modern: { versions: ["TLSv1.3"], suites12: [], minDh: Infinity },
  intermediate: { versions: ["TLSv1.2", "TLSv1.3"], suites12: INTERMEDIATE_12, minDh: 2048 },
  // 5.7's 'old' asks for a 1024-bit group at least; its DHE suites are the ones intermediate dropped in 6.0.
  old: { versions: ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"], suites12: OLD_12, minDh: 1024 },
};
const ORDER: MozillaProfile[] = ["modern", "intermediate", "old"];

/** OpenSSL names of Mozilla's intermediate TLS 1.2 suites, as nginx, Apache and HAProxy take them. */
const INTERMEDIATE_OPENSSL =
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

export const CONFIG = {
  protocols: {
    nginx: "ssl_protocols TLSv1.2 TLSv1.3;",
    apache: "SSLProtocol -all +TLSv1.2 +TLSv1.3",
    haproxy: "ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets",
  },
  ciphers: {
    nginx: `ssl_ciphers ${INTERMEDIATE_OPENSSL};\nssl_prefer_server_ciphers off;`,
    apache: `SSLCipherSuite ${INTERMEDIATE_OPENSSL}\nSSLHonorCipherOrder off`,
    haproxy: `ssl-default-bind-ciphers ${INTERMEDIATE_OPENSSL}\nssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256`,
  },
  dh: {
    nginx: "ssl_dhparam /etc/nginx/ffdhe2048.pem;   # the RFC 7919 ffdhe2048 group, or drop the DHE suites",
    apache: 'SSLOpenSSLConfCmd DHParameters "/etc/ssl/ffdhe2048.pem"',
    haproxy: "ssl-dh-param-file /etc/haproxy/ffdhe2048.pem",
  },
  modern: {
    nginx: "ssl_protocols TLSv1.3;\nssl_prefer_server_ciphers off;",
    apache: "SSLProtocol -all +TLSv1.3\nSSLHonorCipherOrder off",
    haproxy: "ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256\nssl-default-bind-options prefer-client-ciphers ssl-min-ver TLSv1.3 no-tls-tickets",
  },
  tls13: {
    nginx: "ssl_protocols TLSv1.2 TLSv1.3;",
    apache: "SSLProtocol -all +TLSv1.2 +TLSv1.3",
    haproxy: "ssl-default-bind-options ssl-min-ver TLSv1.2",
  },
};

const VTEXT = VERSION_TEXT;

function names(list: ScanSuite[], t: Translate, max = 6): string {
  const uniq = [...new Set(list.map((s) => s.name))];
  const shown = uniq.slice(0, max).join(", ");
  return uniq.length > max ? t("{0} and {1} more", shown, uniq.length - max) : shown;
}

/** What keeps the server from a profile (empty: it meets it). */
/** What keeps the server from a profile (empty: it meets it); each one reads after "it" ("it accepts TLS 1.0"). */
export function profileBlockers(f: ScanFacts, p: MozillaProfile, t: Translate = english): string[] {
  const prof = PROFILES[p];
  const out: string[] = [];
  const versions = f.protocols.filter((x) => x.supported).map((x) => x.version);
  if (!versions.length) return [t("speaks no protocol version CertScope could negotiate")];
  const extraV = versions.filter((v) => !prof.versions.includes(v));
  if (extraV.length) out.push(t("accepts {0}", extraV.map((v) => VTEXT[v]).join(", ")));
  if (p === "modern" && !versions.includes("TLSv1.3")) out.push(t("does not speak TLS 1.3"));
  if (p === "intermediate" && !versions.some((v) => v === "TLSv1.2" || v === "TLSv1.3")) out.push(t("speaks neither TLS 1.2 nor TLS 1.3"));
  const extraS = f.cipherSuites.filter((s) => (s.version === "TLSv1.3" ? !MODERN_13.includes(s.name) : !prof.suites12.includes(s.name)) && prof.versions.includes(s.version));
  if (extraS.length === 1) out.push(t("accepts a suite outside the profile ({0})", names(extraS, t, 4)));
  else if (extraS.length) out.push(t("accepts {0} suites outside the profile ({1})", new Set(extraS.map((s) => s.name)).size, names(extraS, t, 4)));
  const smallDh = f.cipherSuites.filter((s) => s.dhBits !== undefined && s.dhBits < prof.minDh && prof.suites12.includes(s.name));
  if (smallDh.length) out.push(t("uses a {0}-bit DH group (the profile asks for at least {1})", Math.min(...smallDh.map((s) => s.dhBits!)), prof.minDh));
  return out;
}

export function mozillaProfile(f: ScanFacts, t: Translate = english): ScanResult["mozilla"] {
  const meets = ORDER.find((p) => profileBlockers(f, p).length === 0) ?? null;
  const next = meets === "modern" ? null : meets ? ORDER[ORDER.indexOf(meets) - 1] : "old";
  return { meets, next, blockers: next ? profileBlockers(f, next, t) : [] };
}

/** "it accepts TLS 1.0; it does not speak TLS 1.3": the blockers as one clause list, joined through `t`. */
function itClauses(blockers: string[], t: Translate): string {
  const clauses = blockers.map((b) => t("it {0}", b));
  return clauses.length ? clauses.reduce((a, b) => t("{0}; {1}", a, b)) : "";
}

export function scanFindings(f: ScanFacts, t: Translate = english): { findings: ScanFinding[]; mozilla: ScanResult["mozilla"] } {
  const out: ScanFinding[] = [];
  const supported = new Set(f.protocols.filter((p) => p.supported).map((p) => p.version));
  const suites = f.cipherSuites;
  const has = (pred: (s: ScanSuite) => boolean) => suites.filter(pred);

  if (supported.has("SSLv3"))
    out.push({
      severity: "critical",
      code: "protocol_sslv3",
      message: t("The server accepts SSL 3.0, broken by POODLE and prohibited by RFC 7568."),
      fix: t("Disable SSL 3.0 (and TLS 1.0/1.1): allow only TLS 1.2 and 1.3."),
      config: CONFIG.protocols,
    });
  const old = ["TLSv1.0", "TLSv1.1"].filter((v) => supported.has(v));
  if (old.length) {
    const versions = old.length === 2 ? t("{0} and {1}", VTEXT[old[0]], VTEXT[old[1]]) : VTEXT[old[0]];
    out.push({
      severity: "warning",
      code: "protocol_tls10_tls11",
      message: t("The server accepts {0}, deprecated by RFC 8996 and refused by current browsers, OpenSSL 3 and Node by default.", versions),
      fix: t("Allow only TLS 1.2 and 1.3."),
      config: CONFIG.protocols,
    });
  }
  if (!supported.has("TLSv1.2") && !supported.has("TLSv1.3") && supported.size)
    out.push({
      severity: "critical",
      code: "no_modern_protocol",
      message: t("The server speaks neither TLS 1.2 nor TLS 1.3: current clients cannot connect securely."),
      fix: t("Enable TLS 1.2 and 1.3 (upgrade the TLS library if it lacks them)."),
      config: CONFIG.protocols,
    });
  if (supported.size && !supported.has("TLSv1.3"))
    out.push({ severity: "info", code: "no_tls13", message: t("The server does not speak TLS 1.3."), fix: t("Enable TLS 1.3 (OpenSSL 1.1.1 or later): it is faster and has only strong suites."), config: CONFIG.tls13 });

  const insecure = has((s) => s.strength === "insecure");
  if (insecure.length)
    out.push({
      severity: "critical",
      code: "insecure_cipher_suites",
      message: t("The server accepts insecure cipher suites: {0} — {1}.", names(insecure, t), [...new Set(insecure.flatMap((s) => s.reasons.slice(0, 1)))].slice(0, 3).join("; ")),
      fix: t("Remove them from the cipher list; Mozilla's intermediate list has only forward-secret AEAD suites."),
      config: CONFIG.ciphers,
    });
  const tdes = has((s) => s.parts.cipherAlgorithm === "3DES" || s.parts.cipherAlgorithm === "IDEA");
  if (tdes.length)
    out.push({
      severity: "warning",
      code: "weak_cipher_64bit_block",
      message: t("The server accepts {0}: a 64-bit block cipher (Sweet32, CVE-2016-2183); NIST disallows 3DES after 2023.", names(tdes, t)),
      fix: t("Remove 3DES and IDEA suites from the cipher list."),
      config: CONFIG.ciphers,
    });
  const noFs = has((s) => !s.parts.forwardSecrecy && s.strength !== "insecure");
  if (noFs.length)
    out.push({
      severity: "warning",
      code: "no_forward_secrecy",
      message: t("The server accepts suites without forward secrecy (static RSA or DH key exchange): {0}. Whoever obtains the server's private key later can decrypt recorded traffic.", names(noFs, t)),
      fix: t("Offer only ECDHE and DHE suites (and TLS 1.3)."),
      config: CONFIG.ciphers,
    });
  const cbcSha1 = has((s) => s.parts.mode === "CBC" && s.parts.mac === "SHA1" && s.strength !== "insecure");
  if (cbcSha1.length)
    out.push({
      severity: "warning",
      code: "cbc_sha1",
      message: t("The server accepts CBC suites with HMAC-SHA1: {0} (MAC-then-encrypt, the Lucky13/padding-oracle family; only in Mozilla's 'old' profile).", names(cbcSha1, t)),
      fix: t("Prefer AEAD suites (AES-GCM, ChaCha20-Poly1305); keep CBC only if very old clients must connect."),
      config: CONFIG.ciphers,
    });
  const dh = has((s) => s.dhBits !== undefined && s.dhBits < 2048);
  if (dh.length) {
    const bits = Math.min(...dh.map((s) => s.dhBits!));
    out.push({
      severity: bits < 1024 ? "critical" : "warning",
      code: "weak_dh",
      message: t("The server's DHE key exchange uses a {0}-bit group (Logjam; NIST SP 800-52r2 and Mozilla ask for at least 2048 bits).", bits),
      fix: t("Use a 2048-bit or larger group (RFC 7919 ffdhe2048), or remove the DHE suites."),
      config: CONFIG.dh,
    });
  }
  for (const v of Object.keys(f.serverPreference)) {
    const weakHere = suites.filter((s) => s.version === v && (s.strength === "weak" || s.strength === "insecure"));
    if (!f.serverPreference[v] && weakHere.length)
      out.push({
        severity: "info",
        code: "client_cipher_order",
        message: t("In {0} the server follows the client's order while it also accepts weak suites, so a client that prefers them gets them.", VTEXT[v]),
        fix: t("Remove the weak suites (then the client's order is fine, as Mozilla recommends), or let the server choose (nginx ssl_prefer_server_ciphers on; Apache SSLHonorCipherOrder on)."),
      });
  }
  if (f.secureRenegotiation === false)
    out.push({
      severity: "warning",
      code: "no_secure_renegotiation",
      message: t("The server does not support secure renegotiation (RFC 5746): renegotiation can be hijacked (CVE-2009-3555)."),
      fix: t("Upgrade the TLS library; every maintained one supports RFC 5746."),
    });
  if (f.fallbackScsv === false)
    out.push({
      severity: "warning",
      code: "no_fallback_scsv",
      message: t("The server accepted a downgraded hello marked TLS_FALLBACK_SCSV instead of refusing it (RFC 7507): version downgrades go unnoticed."),
      fix: t("Upgrade the TLS library, or accept only TLS 1.2 and 1.3."),
    });
  if (!f.ocspStapling && f.certificates.length)
    out.push({
      severity: "info",
      code: "no_ocsp_stapling",
      message: t("The server does not staple an OCSP response: clients must ask the CA themselves (slower, and a privacy leak)."),
      fix: t("Enable OCSP stapling."),
      config: { nginx: "ssl_stapling on;\nssl_stapling_verify on;", apache: "SSLUseStapling on\nSSLStaplingCache shmcb:/var/run/ocsp(128000)", haproxy: "set ocsp-update on for the certificate (crt-list: [ocsp-update on])" } });
  const mozilla = mozillaProfile(f, t);
  if (supported.size)
    out.push({
      severity: "info",
      code: "mozilla_profile",
      message: mozilla.meets
        ? mozilla.next
          ? t("The server meets Mozilla's '{0}' profile; what keeps it from '{1}': {2}.", mozilla.meets, mozilla.next, itClauses(mozilla.blockers, t))
          : t("The server meets Mozilla's '{0}' profile.", mozilla.meets)
        : t("The server meets none of Mozilla's profiles: {0}.", itClauses(mozilla.blockers, t)),
      fix: mozilla.next ? t("To reach '{0}', change what is listed; Mozilla's generator (ssl-config.mozilla.org) writes the whole block for your server.", mozilla.next) : t("Nothing to change."),
      ...(mozilla.next === "modern" ? { config: CONFIG.modern } : mozilla.next === "intermediate" ? { config: { nginx: `${CONFIG.protocols.nginx}\n${CONFIG.ciphers.nginx}`, apache: `${CONFIG.protocols.apache}\n${CONFIG.ciphers.apache}`, haproxy: `${CONFIG.ciphers.haproxy}\n${CONFIG.protocols.haproxy}` } } : {}),
    });
  if (!f.complete)
    out.push({ severity: "info", code: "scan_incomplete", message: t("The scan is incomplete: {0}", f.notes.join(" ")), fix: t("Run it again (raise the connection cap or the timeout if they were hit).") });
  const rank = { critical: 0, warning: 1, info: 2 };
  out.sort((a, b) => rank[a.severity] - rank[b.severity]);
  return { findings: out, mozilla };
}
