/**
 * One plain-words line per part of a cipher suite (key exchange, authentication, cipher, MAC, forward secrecy):
 * the hover text of the handshake and scan panels and the CLI's explanations. Pure; shared by both bundles.
 */
import type { ScanCipherParts } from "./scanModel";
import { english, type Translate } from "./format";

/** One line per part, for tooltips and the CLI: what each part of a suite means. */
export function explainParts(p: ScanCipherParts, t: Translate = english): Record<"keyExchange" | "authentication" | "cipher" | "mac" | "forwardSecrecy", string> {
  const kx: Record<string, string> = {
    ECDHE: t("Ephemeral elliptic-curve Diffie-Hellman: a fresh key per connection (forward secrecy)."),
    DHE: t("Ephemeral finite-field Diffie-Hellman: a fresh key per connection (forward secrecy); strength depends on the group size."),
    RSA: t("RSA key transport: the client encrypts the secret to the server's certificate key; no forward secrecy."),
    DH: t("Static Diffie-Hellman from the certificate: no forward secrecy."),
    ECDH: t("Static elliptic-curve Diffie-Hellman from the certificate: no forward secrecy."),
    PSK: t("A pre-shared key known to both sides: no certificate, no forward secrecy."),
    any: t("TLS 1.3: the key exchange is negotiated separately (key_share group), always ephemeral."),
    NULL: t("No key exchange."),
    "ECDHE+ML-KEM": t("Hybrid post-quantum key exchange: X25519 (or an EC curve) combined with ML-KEM, fresh per connection."),
  };
  const au: Record<string, string> = {
    RSA: t("The server proves its identity with an RSA certificate key."),
    ECDSA: t("The server proves its identity with an ECDSA certificate key."),
    DSS: t("The server proves its identity with a DSA certificate key (obsolete)."),
    anon: t("Nobody is authenticated: anyone in the middle can impersonate the server."),
    PSK: t("Both sides prove they hold the pre-shared key."),
    any: t("TLS 1.3: authentication comes from the certificate and its CertificateVerify signature."),
    NULL: t("No authentication."),
  };
  return {
    keyExchange: kx[p.keyExchange] ?? t("{0} key exchange.", p.keyExchange),
    authentication: au[p.authentication] ?? t("{0} authentication.", p.authentication),
    cipher: p.cipherAlgorithm === "NULL" ? t("No encryption: the data travels in the clear.") : cipherLine(p, t),
    mac: p.aead ? t("No separate MAC: the AEAD mode authenticates each record; {0} is the handshake's PRF/HKDF hash.", String(p.prf)) : t("HMAC-{0} authenticates each record (MAC-then-encrypt).", p.mac),
    forwardSecrecy: p.forwardSecrecy ? t("Yes: recorded traffic stays private even if the server's key is stolen later.") : t("No: whoever obtains the server's private key can decrypt recorded traffic."),
  };
}

/** "AES with a 128-bit key in GCM mode: encryption and integrity in one (AEAD)." */
function cipherLine(p: ScanCipherParts, t: Translate): string {
  const name = p.cipherAlgorithm ?? p.cipher;
  const withKey = p.keyBits ? t("{0} with a {1}-bit key", name, p.keyBits) : name;
  const withMode = p.mode === "stream" ? t("{0} (stream cipher)", withKey) : !p.mode || p.mode === "none" ? withKey : t("{0} in {1} mode", withKey, p.mode);
  return p.aead ? t("{0}: encryption and integrity in one (AEAD).", withMode) : t("{0}.", withMode);
}
