/**
 * Decoding the blocks a text document holds into entries the editor surfaces show. `locateBlocks` finds them
 * (cheap, no ASN.1); `decodeBlock` decodes one with the PKI core; `analyzeText` does a whole text at once
 * (tests, the CLI, small files). The document service in src/adapters/documents slices the same steps over the
 * event loop for large files.
 */
import type { CertificateModel, InspectResult, PkiObject } from "../../shared/model";
import { deriveFacts } from "./facts";
import { locateBlocks } from "./locate";
import { t } from "../l10n";
import type { AnalyzeOptions, DocAnalysis, DocEntry, LocatedBlock } from "./types";

/** The two decoders of src/core/pki that analysis needs (injected so this module stays light and testable). */
export interface PkiDecoder {
  decodeCertificate(der: Uint8Array, opts: { summary?: boolean; line?: number }): CertificateModel;
  inspectBytes(bytes: Uint8Array, opts: { fileName: string; summary?: boolean }): Promise<InspectResult>;
}

/** Removes the "… at line N: " prefix the decoders put in front of messages: the entry already has its range. */
function plainMessage(message: string): string {
  const plain = message.replace(/^[^:]*\bat line \d+: /, "").replace(/^[^:]*\bline \d+: (?=PEM block)/, "");
  return plain === message ? message.replace(translatedLocator(), "") : plain;
}

/** The same locators in the language core messages are in (../l10n.ts): "PEM-Block 'X' in Zeile 3: ". */
function translatedLocator(): RegExp {
  const any = "\u0000";
  const forms = [t("PEM block '{0}' at line {1}", any, any), t("certificate at line {0}", any)];
  const alts = forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").split(any).join("[^:]*?"));
  return new RegExp(`^(?:${alts.join("|")}): `);
}

/**
 * A copy of the block safe to keep and hand around: private keys keep their range and label but lose their
 * bytes, so key material never travels beyond the decoder.
 */
function shareable(block: LocatedBlock): LocatedBlock {
  if (block.kind !== "privateKey") return block;
  const { der: _der, pem: _pem, ...rest } = block;
  return rest;
}

/** Decodes one located block. Never throws: what goes wrong becomes the entry's `error`. */
export async function decodeBlock(block: LocatedBlock, options: AnalyzeOptions, decoder: PkiDecoder): Promise<DocEntry> {
  const out = (object: PkiObject | undefined, error?: string, unsupported?: string): DocEntry => {
    const entry: DocEntry = { block: shareable(block), facts: deriveFacts(object, options.now, options.expiryWarningDays) };
    if (object) entry.object = object;
    if (error) entry.error = error;
    if (unsupported) entry.unsupported = unsupported;
    return entry;
  };
  // Not PKI objects CertScope decodes (EC PARAMETERS, PGP armor with its own checksum line, …): listed, never flagged.
  if (block.kind === "parameters" || block.kind === "other") return out(undefined);
  if (block.error || !block.der || !block.pem) return out(undefined, block.error ?? t("the block has no data"));
  try {
    switch (block.kind) {
      case "certificate": {
        const object = decoder.decodeCertificate(block.der, { summary: options.summary, line: block.line });
        return out({ ...object, line: block.line });
      }
      default: {
        const inspectOpts = { fileName: `line ${block.line}`, summary: options.summary };
        // The PEM keeps headers (legacy encrypted keys); the DER, detected from content, covers labels the
        // decoder does not know by name (e.g. "CRL" as @peculiar/x509 writes it).
        const r = await decoder.inspectBytes(new TextEncoder().encode(block.pem), inspectOpts);
        const object = r.objects[0] ?? (block.headers ? undefined : (await decoder.inspectBytes(block.der, inspectOpts)).objects[0]);
        if (object) return out({ ...object, line: block.line } as PkiObject);
        const first = r.errors[0] as (InspectResult["errors"][number] & { code?: string }) | undefined;
        const message = plainMessage(first?.message ?? t("not a recognisable {0}", block.label.toLowerCase()));
        return first?.code === "unsupported" ? out(undefined, undefined, message) : out(undefined, message);
      }
    }
  } catch (err) {
    const message = plainMessage(err instanceof Error ? err.message : String(err));
    return (err as { code?: string })?.code === "unsupported" ? out(undefined, undefined, message) : out(undefined, message);
  }
}

/** Locates and decodes every block of `text`. */
export async function analyzeDocumentText(text: string, options: AnalyzeOptions, decoder: PkiDecoder): Promise<DocAnalysis> {
  const { blocks, truncated } = locateBlocks(text);
  const entries: DocEntry[] = [];
  for (const b of blocks) entries.push(await decodeBlock(b, options, decoder));
  return truncated ? { entries, truncated } : { entries };
}

/** Locates and decodes every block of `text` (see analyzeDocumentText for the truncation note). */
export async function analyzeText(text: string, options: AnalyzeOptions, decoder: PkiDecoder): Promise<DocEntry[]> {
  return (await analyzeDocumentText(text, options, decoder)).entries;
}
