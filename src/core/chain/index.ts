// Public API of src/core/chain (re-exported by src/core/index.ts): path building and RFC 5280 / 6125 checks.
export { verifyChain, LIMITS, type VerifyOptions } from "./verify";
export { certificatesForVerify } from "./input";
