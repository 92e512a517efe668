/**
 * One plain-words line per part of a cipher suite (key exchange, authentication, cipher, MAC, forward secrecy):
 * the hover text of the handshake and scan panels and the CLI's explanations. Pure; shared by both bundles.
 */
import type { ScanCipherParts } from "./scanModel";

/** One line per part, for tooltips and the CLI: what each part of a suite means. */
export function explainParts(p: ScanCipherParts): Record<"keyExchange" | "authentication" | "cipher" | "mac" | "forwardSecrecy", string> {
  const kx: Record<string, string> = {
    ECDHE: "Ephemeral elliptic-curve Diffie-Hellman: a fresh key per connection (forward secrecy).",
    DHE: "Ephemeral finite-field Diffie-Hellman: a fresh key per connection (forward secrecy); strength depends on the group size.",
    RSA: "RSA key transport: the client encrypts the secret to the server's certificate key; no forward secrecy.",
    DH: "Static Diffie-Hellman from the certificate: no forward secrecy.",
    ECDH: "Static elliptic-curve Diffie-Hellman from the certificate: no forward secrecy.",
    PSK: "A pre-shared key known to both sides: no certificate, no forward secrecy.",
    any: "TLS 1.3: the key exchange is negotiated separately (key_share group), always ephemeral.",
    NULL: "No key exchange.",
    "ECDHE+ML-KEM": "Hybrid post-quantum key exchange: X25519 (or an EC curve) combined with ML-KEM, fresh per connection.",
  };
  const au: Record<string, string> = {
    RSA: "The server proves its identity with an RSA certificate key.",
    ECDSA: "The server proves its identity with an ECDSA certificate key.",
    DSS: "The server proves its identity with a DSA certificate key (obsolete).",
    anon: "Nobody is authenticated: anyone in the middle can impersonate the server.",
    PSK: "Both sides prove they hold the pre-shared key.",
    any: "TLS 1.3: authentication comes from the certificate and its CertificateVerify signature.",
    NULL: "No authentication.",
  };
  return {
    keyExchange: kx[p.keyExchange] ?? `${p.keyExchange} key exchange.`,
    authentication: au[p.authentication] ?? `${p.authentication} authentication.`,
    cipher:
      p.cipherAlgorithm === "NULL"
        ? "No encryption: the data travels in the clear."
        : `${p.cipherAlgorithm ?? p.cipher}${p.keyBits ? ` with a ${p.keyBits}-bit key` : ""}${p.mode === "stream" ? " (stream cipher)" : !p.mode || p.mode === "none" ? "" : ` in ${p.mode} mode`}${p.aead ? ": encryption and integrity in one (AEAD)." : "."}`,
    mac: p.aead ? `No separate MAC: the AEAD mode authenticates each record; ${p.prf} is the handshake's PRF/HKDF hash.` : `HMAC-${p.mac} authenticates each record (MAC-then-encrypt).`,
    forwardSecrecy: p.forwardSecrecy ? "Yes: recorded traffic stays private even if the server's key is stolen later." : "No: whoever obtains the server's private key can decrypt recorded traffic.",
  };
}
