// Public API of src/core/chain (re-exported by src/core/index.ts).
export {};
