/**
 * The core bundle (dist/core.js): everything the extension loads lazily on first use, and the CLI uses
 * directly. Never imports `vscode`.
 */
export * from "./pki";
export * from "./chain";
export * from "./tls";
export * from "./doc";
export * from "./lab";
export * from "./revocation";
export * from "./net";
