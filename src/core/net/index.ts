// Public API of src/core/net (re-exported by src/core/index.ts): the connection steps shared by handshake and scan.
export { makeDialer, type DialTarget } from "./dial";
export { parseProxyUrl, proxyLabel, bypassesProxy } from "./proxy";
export { probeApplication, appProtocol, classifyApplication } from "./probe";
export { starttlsForPort } from "./starttls";
export * from "./types";
