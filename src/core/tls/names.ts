/**
 * IANA code points of TLS, in plain names: versions, cipher suites, named groups, signature schemes,
 * extensions, alerts, handshake types. Unknown values are rendered as "0x…" so nothing is hidden.
 */
import { allSuites, suiteByCode } from "./suites/anatomy";

export const CONTENT_TYPE: Record<number, string> = {
  20: "change_cipher_spec",
  21: "alert",
  22: "handshake",
  23: "application_data",
  24: "heartbeat",
};

export const HANDSHAKE_TYPE: Record<number, string> = {
  0: "HelloRequest",
  1: "ClientHello",
  2: "ServerHello",
  4: "NewSessionTicket",
  5: "EndOfEarlyData",
  8: "EncryptedExtensions",
  11: "Certificate",
  12: "ServerKeyExchange",
  13: "CertificateRequest",
  14: "ServerHelloDone",
  15: "CertificateVerify",
  16: "ClientKeyExchange",
  20: "Finished",
  22: "CertificateStatus",
  24: "KeyUpdate",
  25: "CompressedCertificate",
  254: "MessageHash",
};

export function versionName(v: number): string {
  switch (v) {
    case 0x0300:
      return "SSLv3";
    case 0x0301:
      return "TLSv1";
    case 0x0302:
      return "TLSv1.1";
    case 0x0303:
      return "TLSv1.2";
    case 0x0304:
      return "TLSv1.3";
    default:
      if ((v & 0x0f0f) === 0x0a0a) return `GREASE(0x${hex16(v)})`;
      return `0x${hex16(v)}`;
  }
}

export function hex16(v: number): string {
  return v.toString(16).padStart(4, "0");
}

/** Every suite of the IANA registry (src/core/tls/suites/iana-suites.json, dated), by code point. */
export const CIPHER_SUITES: Record<number, string> = Object.fromEntries([...allSuites()].map(([code, s]) => [code, s.name]));

export function cipherSuiteName(v: number): string {
  if ((v & 0x0f0f) === 0x0a0a) return `GREASE(0x${hex16(v)})`;
  return CIPHER_SUITES[v] ?? `0x${hex16(v)}`;
}

export const GROUPS: Record<number, string> = {
  0x0017: "secp256r1",
  0x0018: "secp384r1",
  0x0019: "secp521r1",
  0x001d: "x25519",
  0x001e: "x448",
  0x001a: "brainpoolP256r1",
  0x001b: "brainpoolP384r1",
  0x001c: "brainpoolP512r1",
  0x001f: "brainpoolP256r1tls13",
  0x0020: "brainpoolP384r1tls13",
  0x0021: "brainpoolP512r1tls13",
  0x0029: "curveSM2",
  0x0100: "ffdhe2048",
  0x0101: "ffdhe3072",
  0x0102: "ffdhe4096",
  0x0103: "ffdhe6144",
  0x0104: "ffdhe8192",
  0x11eb: "SecP256r1MLKEM768",
  0x11ec: "X25519MLKEM768",
  0x11ed: "SecP384r1MLKEM1024",
  0x6399: "X25519Kyber768Draft00",
  0x0200: "MLKEM512",
  0x0201: "MLKEM768",
  0x0202: "MLKEM1024",
};

export function groupName(v: number): string {
  if ((v & 0x0f0f) === 0x0a0a) return `GREASE(0x${hex16(v)})`;
  return GROUPS[v] ?? `0x${hex16(v)}`;
}

export const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0201: "rsa_pkcs1_sha1",
  0x0203: "ecdsa_sha1",
  0x0401: "rsa_pkcs1_sha256",
  0x0501: "rsa_pkcs1_sha384",
  0x0601: "rsa_pkcs1_sha512",
  0x0403: "ecdsa_secp256r1_sha256",
  0x0503: "ecdsa_secp384r1_sha384",
  0x0603: "ecdsa_secp521r1_sha512",
  0x0804: "rsa_pss_rsae_sha256",
  0x0805: "rsa_pss_rsae_sha384",
  0x0806: "rsa_pss_rsae_sha512",
  0x0807: "ed25519",
  0x0808: "ed448",
  0x0809: "rsa_pss_pss_sha256",
  0x080a: "rsa_pss_pss_sha384",
  0x080b: "rsa_pss_pss_sha512",
  0x081a: "ecdsa_brainpoolP256r1tls13_sha256",
  0x081b: "ecdsa_brainpoolP384r1tls13_sha384",
  0x081c: "ecdsa_brainpoolP512r1tls13_sha512",
  0x0301: "rsa_pkcs1_sha224",
  0x0302: "dsa_sha224",
  0x0303: "ecdsa_sha224",
  0x0202: "dsa_sha1",
  0x0402: "dsa_sha256",
  0x0502: "dsa_sha384",
  0x0602: "dsa_sha512",
  0x0708: "sm2sig_sm3",
  // ML-DSA (draft-ietf-tls-mldsa), the code points TLS stacks ship.
  0x0904: "mldsa44",
  0x0905: "mldsa65",
  0x0906: "mldsa87",
};

export function signatureSchemeName(v: number): string {
  if ((v & 0x0f0f) === 0x0a0a) return `GREASE(0x${hex16(v)})`;
  return SIGNATURE_SCHEMES[v] ?? `0x${hex16(v)}`;
}

export const EXTENSIONS: Record<number, string> = {
  0: "server_name",
  1: "max_fragment_length",
  5: "status_request",
  10: "supported_groups",
  11: "ec_point_formats",
  13: "signature_algorithms",
  14: "use_srtp",
  15: "heartbeat",
  16: "application_layer_protocol_negotiation",
  18: "signed_certificate_timestamp",
  21: "padding",
  22: "encrypt_then_mac",
  23: "extended_master_secret",
  27: "compress_certificate",
  28: "record_size_limit",
  35: "session_ticket",
  41: "pre_shared_key",
  42: "early_data",
  43: "supported_versions",
  44: "cookie",
  45: "psk_key_exchange_modes",
  47: "certificate_authorities",
  48: "oid_filters",
  49: "post_handshake_auth",
  50: "signature_algorithms_cert",
  51: "key_share",
  57: "quic_transport_parameters",
  17513: "application_settings",
  65037: "encrypted_client_hello",
  65281: "renegotiation_info",
};

export function extensionName(v: number): string {
  if ((v & 0x0f0f) === 0x0a0a) return `GREASE(0x${hex16(v)})`;
  return EXTENSIONS[v] ?? `unknown(${v})`;
}

export const ALERTS: Record<number, string> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  21: "decryption_failed",
  22: "record_overflow",
  30: "decompression_failure",
  40: "handshake_failure",
  41: "no_certificate",
  42: "bad_certificate",
  43: "unsupported_certificate",
  44: "certificate_revoked",
  45: "certificate_expired",
  46: "certificate_unknown",
  47: "illegal_parameter",
  48: "unknown_ca",
  49: "access_denied",
  50: "decode_error",
  51: "decrypt_error",
  60: "export_restriction",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  100: "no_renegotiation",
  109: "missing_extension",
  110: "unsupported_extension",
  111: "certificate_unobtainable",
  112: "unrecognized_name",
  113: "bad_certificate_status_response",
  114: "bad_certificate_hash_value",
  115: "unknown_psk_identity",
  116: "certificate_required",
  120: "no_application_protocol",
  121: "ech_required",
};

export function alertName(v: number): string {
  return ALERTS[v] ?? `unknown(${v})`;
}

export const CERTIFICATE_TYPES: Record<number, string> = {
  1: "rsa_sign",
  2: "dss_sign",
  3: "rsa_fixed_dh",
  4: "dss_fixed_dh",
  64: "ecdsa_sign",
  65: "rsa_fixed_ecdh",
  66: "ecdsa_fixed_ecdh",
};

/** Parameters needed to decrypt records of a cipher suite. */
export interface SuiteParams {
  hash: "sha256" | "sha384";
  cipher: "aes-gcm" | "chacha20-poly1305" | "aes-cbc" | "other";
  keyLen: number;
  /** TLS 1.2: fixed IV length (4 for GCM, 12 for ChaCha, 16 for CBC). */
  ivLen: number;
  /** TLS 1.2 CBC: MAC algorithm and length. */
  mac?: "sha1" | "sha256" | "sha384";
  macLen?: number;
  /** Key exchange of TLS 1.2 suites. */
  kx?: "RSA" | "ECDHE" | "DHE" | "TLS13";
}

export function suiteParams(v: number): SuiteParams | undefined {
  const s = suiteByCode(v);
  if (!s || s.signaling) return undefined;
  const p = s.parts;
  const kx = p.keyExchange === "any" ? "TLS13" : p.keyExchange === "ECDHE" || p.keyExchange === "DHE" ? p.keyExchange : p.keyExchange === "RSA" && p.authentication === "RSA" ? "RSA" : undefined;
  const hash = s.name.endsWith("SHA384") ? "sha384" : "sha256";
  if (!kx) return { hash, cipher: "other", keyLen: 0, ivLen: 0 };
  if (p.cipher === "CHACHA20_POLY1305") return { hash: "sha256", cipher: "chacha20-poly1305", keyLen: 32, ivLen: 12, kx };
  if (p.cipherAlgorithm === "AES" && p.mode === "GCM") return { hash, cipher: "aes-gcm", keyLen: p.keyBits / 8, ivLen: kx === "TLS13" ? 12 : 4, kx };
  if (p.cipherAlgorithm === "AES" && p.mode === "CBC" && ["SHA1", "SHA256", "SHA384"].includes(p.mac)) {
    const mac = p.mac === "SHA1" ? "sha1" : p.mac === "SHA256" ? "sha256" : "sha384";
    return { hash, cipher: "aes-cbc", keyLen: p.keyBits / 8, ivLen: 16, mac, macLen: mac === "sha1" ? 20 : mac === "sha256" ? 32 : 48, kx };
  }
  return { hash, cipher: "other", keyLen: 0, ivLen: 0, kx };
}
