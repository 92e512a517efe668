// Types of base64-corpus.mjs for the TypeScript tests that use it (test/doc/der64.test.ts).
export interface DerSamples {
  /** DER certificates (RSA, EC, Ed25519, and a 213-byte one with a one-byte length). */
  certs: Buffer[];
  /** DER that is not a certificate: keys, CSRs, PKCS#7. */
  others: { what: string; der: Buffer }[];
}
export function makeDerSamples(): DerSamples;
export function makeCorpus(options?: { scale?: number; seed?: string; samples?: DerSamples }): { text: string; expected: number[] };
