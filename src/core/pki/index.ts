// Public API of src/core/pki (re-exported by src/core/index.ts).
export {};
