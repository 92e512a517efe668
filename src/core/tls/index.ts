// Public API of src/core/tls (re-exported by src/core/index.ts).
export {};
