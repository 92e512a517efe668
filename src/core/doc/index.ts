// Public API of src/core/doc (re-exported by src/core/index.ts): PKI blocks of a text document.
export * from "./types";
export * from "./locate";
export * from "./der64";
export * from "./facts";
export * from "./analyze";
