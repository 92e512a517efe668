/**
 * The plain view models of CertScope: what `certscope inspect`, `verify` and `handshake` print as JSON
 * (docs/cli.md), what the tree, hover and webviews show. Pure types and tiny pure helpers:
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
  /**
   * RFC 4514 string, most specific RDN first, comma-separated without spaces: "CN=localhost,O=Lab". Non-ASCII
   * stays as UTF-8 text (RFC 4514 §2.4 allows it); an attribute of unknown type is "OID=#hex" of its DER
   * value (§2.4); an empty RDN (not expressible in RFC 4514) is left out and reported as an encoding finding.
   */
  text: string;
  /** The same with every non-ASCII octet escaped as \XX (what `openssl -nameopt RFC2253` prints); only when it differs from `text`. */
  textAscii?: string;
  /** In encoding order (as in the DER: usually C, O, …, CN). */
  attributes: NameAttribute[];
}

/** Codes of encoding findings (docs/cli.md "inspect: encoding findings"); more may be added. */
export type EncodingFindingCode =
  | "non_der"
  | "non_minimal_integer"
  | "negative_serial"
  | "zero_serial"
  | "long_serial"
  | "wrong_tag"
  | "fractional_seconds"
  | "time_format"
  | "time_type"
  | "empty_rdn"
  | "invalid_string"
  | "unknown_string_type"
  | "malformed_extension"
  | "duplicate_extension"
  | "default_encoded"
  | "invalid_value"
  | "too_many_findings";

/** What is wrong with how an object is encoded, next to the value still shown. */
export interface EncodingFinding {
  severity: "error" | "warning";
  code: EncodingFindingCode;
  /** Plain words. */
  message: string;
  /** The field path, e.g. "tbsCertificate.serialNumber", "tbsCertificate.subject.rdn[2]", "tbsCertificate.extensions.policyConstraints". */
  where: string;
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
  /** Only for a negative serial (not allowed by RFC 5280): its value, e.g. "-01" (serialNumber holds the encoded octets). */
  serialNumberSigned?: string;
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
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
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
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
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
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
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
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
}

export interface PublicKeyModel {
  kind: "publicKey";
  line?: number;
  publicKey: PublicKeyInfo;
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
}

export interface ContainerModel {
  kind: "pkcs12" | "pkcs7";
  line?: number;
  /** Encryption/MAC algorithms in plain names, e.g. ["PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)", "MAC: HMAC-SHA256"]. */
  encryption: string[];
  /** True when the container uses algorithms modern OpenSSL/Node reject without a legacy provider (RC2, RC4, 40-bit). */
  legacy?: boolean;
  objects: PkiObject[];
  /** Encoding findings (full decode only; absent from summaries). */
  findings?: EncodingFinding[];
}

/** An OCSP CertID (RFC 6960 §4.1.1): which certificate a request or response is about. */
export interface OcspCertIdModel {
  hashAlgorithm: string;
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

/** One SingleResponse of a BasicOCSPResponse (RFC 6960 §4.2.1). */
export interface OcspSingleResponseModel {
  certId: OcspCertIdModel;
  status: "good" | "revoked" | "unknown";
  revokedAt?: string;
  reason?: string;
  thisUpdate: string;
  nextUpdate?: string;
  extensions?: ExtensionModel[];
}

/** An OCSP response (RFC 6960 §4.2), as `inspect` shows it (`kind: "ocspResponse"`). */
export interface OcspResponseModel {
  kind: "ocspResponse";
  line?: number;
  /** successful | malformedRequest | internalError | tryLater | sigRequired | unauthorized */
  responseStatus: string;
  /** "basic" for id-pkix-ocsp-basic, else the OID. */
  responseType?: string;
  /** The responder ID: its name ("CN=…") or "keyHash " + hex. */
  responder?: string;
  producedAt?: string;
  responses: OcspSingleResponseModel[];
  /** Hex of the nonce extension's value, when present. */
  nonce?: string;
  extensions?: ExtensionModel[];
  signatureAlgorithm?: string;
  /** Certificates carried in the response (a delegated responder's certificate). */
  certificates?: CertificateModel[];
  /** Checked against a certificate carried in the response when one signed it (the issuer is not known here). */
  signatureValid?: boolean;
  fingerprints?: Fingerprints;
  /** X.690 DER violations noticed while reading it. */
  findings?: EncodingFinding[];
}

/** An OCSP request (RFC 6960 §4.1), as `inspect` shows it. */
export interface OcspRequestModel {
  kind: "ocspRequest";
  line?: number;
  requests: { certId: OcspCertIdModel }[];
  nonce?: string;
  extensions?: ExtensionModel[];
  signed: boolean;
  /** X.690 DER violations noticed while reading it. */
  findings?: EncodingFinding[];
}

export type PkiObject = CertificateModel | CsrModel | CrlModel | PrivateKeyModel | PublicKeyModel | ContainerModel | OcspResponseModel | OcspRequestModel;
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
  /** The negotiated suite explained by its parts (contract: cipherParts; TLS 1.3: from the group and the certificate). */
  cipherParts?: import("./scanModel").ScanCipherParts;
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
  /** The stapled OCSP response (the client always asks for one). */
  ocsp?: OcspStapleInfo;
  /** Signed certificate timestamps seen for the server's certificate: embedded, in the TLS extension, in the staple. */
  scts?: SctInfo[];
  /** The plaintext protocol upgraded with STARTTLS before the handshake (--starttls). */
  starttls?: string;
  /** The HTTP proxy the connection went through, without credentials ("http://proxy:3128 (with credentials)"). */
  proxy?: string;
  /** What crossed the wire before the ClientHello: TCP, proxy CONNECT, STARTTLS lines (for the diagram). */
  preamble?: PreambleLine[];
  /** The application's answer to one harmless request after the handshake (absent with --no-app-probe). */
  application?: ApplicationExchange;
}

/** `ocsp` on a handshake result: `{ stapled: false }` or what the stapled response says about the leaf. */
export interface OcspStapleInfo {
  stapled: boolean;
  /** good | revoked | unknown | invalid (the signature, the certificate ID or the time does not check out). */
  status?: "good" | "revoked" | "unknown" | "invalid";
  thisUpdate?: string;
  nextUpdate?: string;
  producedAt?: string;
  /** The responder ID ("CN=…" or "keyHash …"). */
  responder?: string;
  revokedAt?: string;
  reason?: string;
  /** Plain words: who signed it, or what did not check out. */
  detail?: string;
}

/** One signed certificate timestamp (RFC 6962 §3.2), as inspect and the handshake show it. */
export interface SctInfo {
  version: number;
  /** Base64 of the log's 32-byte ID (SHA-256 of its key). */
  logId: string;
  /** The log's name from the bundled CT log list, when known. */
  log?: string;
  /** The log's operator, when known. */
  operator?: string;
  timestamp: string;
  hashAlgorithm: string;
  signatureAlgorithm: string;
  /** Where it came from: embedded in the certificate, the TLS extension, or a stapled OCSP response. */
  source?: "embedded" | "tls" | "ocsp";
  /** true / false once checked with the log's key; absent when the log's key or the issuer is not known. */
  verified?: boolean;
}


/** One plaintext line before TLS ("S: 220 mail ESMTP", "C: STARTTLS"); `time` in ms since the connection started. */
export interface PreambleLine {
  step: "tcp" | "proxy" | "starttls";
  from: "client" | "server" | "note";
  text: string;
  time: number;
}

/** The application probe: one harmless request after the handshake and what the server answered. */
export interface ApplicationExchange {
  /** http | h2 | postgres | smtp | imap | pop3 | ftp */
  protocol: string;
  /** What was sent, in one line ("GET / HTTP/1.1"). */
  request: string;
  /** The answer in one line ("HTTP/1.1 400 Bad Request: No required SSL certificate was sent"); absent when none came. */
  answer?: string;
  /** The application refused us because of the client certificate (missing or not accepted). */
  refused: boolean;
  /** The server's own words about its verdict, quoted in the diagnosis. */
  reason?: string;
  /** HTTP status, or the protocol's numeric reply code. */
  status?: number;
  /** PostgreSQL SQLSTATE of an ErrorResponse. */
  sqlstate?: string;
  /** Why no answer was read (closed, nothing within the wait). */
  noAnswer?: string;
  /** ms from the request to the answer (or to giving up). */
  time?: number;
  /** When the request was sent, in ms since the connection started (the messages' clock): places it in the diagram. */
  at?: number;
}
