/**
 * The plain view models of CertScope: what `certscope inspect`, `verify` and `handshake` print as JSON
 * (../shared/CONTRACTS.md), what the tree, hover and webviews show. Pure types and tiny pure helpers:
 * this file is imported by the core (Node), the adapters (VS Code) and the webview (browser) alike.
 *
 * Contract rule: fields may be added, never renamed or removed.
 */

// ───────────────────────────── inspect ─────────────────────────────

export interface NameAttribute {
  /** Short name where one exists (CN, O, OU, C, ST, L, emailAddress, …), otherwise the dotted OID. */
  type: string;
  oid: string;
  value: string;
}

export interface DistinguishedName {
  /** RFC 4514 string, most specific RDN first, comma-separated without spaces: "CN=localhost,O=Lab". */
  text: string;
  /** In encoding order (as in the DER: usually C, O, …, CN). */
  attributes: NameAttribute[];
}

export interface Fingerprints {
  sha1: string;
  sha256: string;
}

export interface PublicKeyInfo {
  /** "RSA", "EC", "Ed25519", "Ed448", "X25519", "X448", "DSA", "RSA-PSS", or the OID when unknown. */
  algorithm: string;
  bits?: number;
  /** EC only: "P-256", "P-384", "P-521", "secp256k1", "brainpoolP256r1", … or the curve OID. */
  curve?: string;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo: used to match keys, certificates and CSRs. */
  spkiSha256?: string;
}

export type GeneralNameType = "dns" | "ip" | "email" | "uri" | "dirName" | "otherName" | "registeredId" | "x400" | "ediParty";

export interface GeneralName {
  type: GeneralNameType;
  value: string;
}

export interface ExtensionModel {
  oid: string;
  /** Name such as "basicConstraints", or the OID when unknown. */
  name: string;
  critical: boolean;
  /** Decoded value (shape depends on the extension); unknown extensions: { hex: "…" }. */
  value: unknown;
  /** A one-line plain-words rendering for trees and hovers, e.g. "CA: true, path length 0". */
  text?: string;
}

export interface CertificateModel {
  kind: "certificate";
  /** 1-based first line of the PEM block (absent for DER). */
  line?: number;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Lowercase hex, no separators, as encoded with leading 00 bytes stripped. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprints: Fingerprints;
  publicKey: PublicKeyInfo;
  signatureAlgorithm?: string;
  isCA: boolean;
  selfSigned: boolean;
  subjectAltNames: GeneralName[];
  extensions?: ExtensionModel[];
  version?: number;
  /** Absent for summaries. */
  pem?: string;
}

export interface CsrModel {
  kind: "csr";
  line?: number;
  subject: DistinguishedName;
  publicKey: PublicKeyInfo;
  signatureAlgorithm: string;
  subjectAltNames: GeneralName[];
  extensions: ExtensionModel[];
  signatureValid: boolean;
  fingerprints?: Fingerprints;
}

export interface CrlEntryModel {
  serialNumber: string;
  revocationDate: string;
  reason?: string;
}

export interface CrlModel {
  kind: "crl";
  line?: number;
  issuer: DistinguishedName;
  thisUpdate: string;
  nextUpdate?: string;
  signatureAlgorithm: string;
  crlNumber?: string;
  entries: CrlEntryModel[];
  extensions: ExtensionModel[];
  fingerprints?: Fingerprints;
}

export interface PrivateKeyModel {
  kind: "privateKey";
  line?: number;
  /** Present when the key is not encrypted (or was opened with a password). Never the key material. */
  publicKey?: PublicKeyInfo;
  encrypted: boolean;
  /** "pkcs8" | "pkcs1" | "sec1" | "legacy-pem" … */
  format?: string;
  /** For encrypted keys: the encryption algorithm(s), e.g. "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)". */
  encryption?: string[];
}

export interface PublicKeyModel {
  kind: "publicKey";
  line?: number;
  publicKey: PublicKeyInfo;
}

export interface ContainerModel {
  kind: "pkcs12" | "pkcs7";
  line?: number;
  /** Encryption/MAC algorithms in plain names, e.g. ["PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)", "MAC: HMAC-SHA256"]. */
  encryption: string[];
  /** True when the container uses algorithms modern OpenSSL/Node reject without a legacy provider (RC2, RC4, 40-bit). */
  legacy?: boolean;
  objects: PkiObject[];
}

export type PkiObject = CertificateModel | CsrModel | CrlModel | PrivateKeyModel | PublicKeyModel | ContainerModel;
export type PkiKind = PkiObject["kind"];

export interface DecodeError {
  line?: number;
  message: string;
}

export interface InspectResult {
  file: string;
  objects: PkiObject[];
  errors: DecodeError[];
}

// ───────────────────────────── verify ─────────────────────────────

export type ChainSource = "leaf" | "file" | "untrusted" | "trusted" | "system" | "aia";

export type ProblemCode =
  | "expired"
  | "not_yet_valid"
  | "hostname_mismatch"
  | "untrusted_root"
  | "self_signed"
  | "missing_issuer"
  | "bad_signature"
  | "not_a_ca"
  | "path_length_exceeded"
  | "key_usage"
  | "eku_mismatch"
  | "name_constraints"
  | "unknown_critical_extension"
  | "weak_key"
  | "weak_signature"
  | "max_depth_exceeded"
  | "malformed"
  | (string & {});

export interface ChainLink {
  subject: string;
  issuer: string;
  sha256: string;
  source: ChainSource;
  notBefore?: string;
  notAfter?: string;
  /** true for the certificate the path ends at when it is a trust anchor (trusted file or system root); a leaf trusted directly has source "leaf" and trustAnchor true */
  trustAnchor?: boolean;
}

export interface Problem {
  code: ProblemCode;
  message: string;
  /** Index into `chain` of the certificate the problem concerns (absent when it concerns none). */
  certIndex?: number;
  /** "error" (makes the chain invalid) or "warning" (reported, does not fail). Default error. */
  severity?: "error" | "warning";
}

export interface VerifyResult {
  valid: boolean;
  chain: ChainLink[];
  problems: Problem[];
  /** Other candidate paths that were tried and why each was rejected (best first). */
  alternatives?: { chain: ChainLink[]; problems: Problem[] }[];
}

// ───────────────────────────── handshake ─────────────────────────────

export type DiagnosisCategory =
  | "connection_refused"
  | "timeout"
  | "dns_failure"
  | "not_tls"
  | "protocol_mismatch"
  | "no_shared_cipher"
  | "cert_expired"
  | "cert_not_yet_valid"
  | "hostname_mismatch"
  | "self_signed"
  | "untrusted_root"
  | "incomplete_chain"
  | "client_cert_required"
  | "client_cert_rejected"
  | "key_mismatch"
  | "bad_passphrase"
  | "unsupported_credentials"
  | "other"
  | (string & {});

export interface Diagnosis {
  category: DiagnosisCategory;
  summary: string;
  fix: string;
  /** Other independent problems the same run found (e.g. an untrusted server chain besides a missing client certificate), primary first. */
  also?: SecondaryDiagnosis[];
}

/** One more problem of the same run, with its own fix. */
export interface SecondaryDiagnosis {
  category: DiagnosisCategory;
  summary: string;
  fix: string;
}

export type HandshakeMessageType =
  | "ClientHello"
  | "ServerHello"
  | "HelloRetryRequest"
  | "EncryptedExtensions"
  | "Certificate"
  | "CertificateRequest"
  | "ServerKeyExchange"
  | "ServerHelloDone"
  | "ClientKeyExchange"
  | "CertificateVerify"
  | "ChangeCipherSpec"
  | "Finished"
  | "NewSessionTicket"
  | "Alert"
  | (string & {});

export interface HandshakeMessage {
  from: "client" | "server";
  type: HandshakeMessageType;
  /** True when decrypted from a TLS 1.3 record (or a TLS 1.2 record after ChangeCipherSpec). */
  encrypted?: boolean;
  /** True when the record could not be decrypted: only its size is known. */
  undecrypted?: boolean;
  /** Milliseconds since the start of the run when the bytes were seen. */
  time?: number;
  /** Size in bytes of the message body (or record, when undecrypted). */
  length?: number;
  detail: Record<string, unknown>;
}

export interface ClientCertificateInfo {
  requested: boolean;
  required?: boolean;
  acceptableIssuers: string[];
  sent: boolean;
  /** Subject of the certificate sent, when one was sent. */
  subject?: string;
  issuer?: string;
}

export interface HandshakeResult {
  target: { host: string; port: number; servername?: string };
  outcome: "success" | "failure";
  diagnosis: Diagnosis | null;
  protocol?: string;
  cipher?: string;
  group?: string;
  alpn?: string | null;
  messages: HandshakeMessage[];
  clientCertificate: ClientCertificateInfo;
  serverChain: CertificateModel[];
  validation: VerifyResult | null;
  /** Warnings about the client credentials or the run that did not decide the outcome. */
  warnings?: string[];
  /** Timing per phase in ms: connect (TCP), handshake, verdict wait, total. */
  timing?: Record<string, number>;
  error?: { code?: string; message: string };
}
