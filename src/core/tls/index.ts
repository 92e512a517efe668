// Public API of src/core/tls (re-exported by src/core/index.ts): the handshake engine and its decoder.
export { runHandshake, type HandshakeOptions, type HandshakeRun } from "./runner";
export { parseTranscript, decodeTranscript, parseKeylog, type Transcript, type DecodedTranscript } from "./transcript";
export { openCredentials, type Credentials, type OpenedCredentials } from "./credentials";
export { systemRoots } from "./staple";
export type { TlsVersion } from "./connect";
export { scanServer, ScanError, SCAN_DEFAULTS, type ScanOptions } from "./scan/scanner";
export { renderScanMarkdown, renderScanText } from "./scan/report";
export { scanFindings } from "./scan/findings";
