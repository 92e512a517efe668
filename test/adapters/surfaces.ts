/** Shared setup for the mapping tests: a document with one block of every kind, analysed by the real core. */
import { analyzeText } from "../../src/core/doc/analyze";
import { decodeCertificate, inspectBytes } from "../../src/core/pki";
import type { DocEntry } from "../../src/core/doc/types";
import { fixtures, type Fixtures } from "../doc/fixtures";

export interface Analysed {
  f: Fixtures;
  text: string;
  entries: DocEntry[];
  /** The entry whose first certificate/CSR CN (or label) is `name`. */
  by(name: string): DocEntry;
}

export async function analysed(text?: (f: Fixtures) => string): Promise<Analysed> {
  const f = await fixtures();
  const body =
    text?.(f) ??
    [f.good, f.expired, f.expiring, f.future, f.weak, f.csr, f.key, f.crl, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"].join("");
  const entries = await analyzeText(body, { summary: false, now: f.now, expiryWarningDays: 30 }, { decodeCertificate, inspectBytes });
  return {
    f,
    text: body,
    entries,
    by(name) {
      const e = entries.find((x) => {
        const o = x.object;
        if (o && (o.kind === "certificate" || o.kind === "csr")) return o.subject.attributes.some((a) => a.value === name);
        return x.object?.kind === name || x.block.label === name;
      });
      if (!e) throw new Error(`no entry ${name}`);
      return e;
    },
  };
}
