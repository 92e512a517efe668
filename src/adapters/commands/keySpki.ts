/**
 * The SPKI SHA-256 of an encrypted private key, derived in memory with Node's crypto (PKCS#8
 * "ENCRYPTED PRIVATE KEY" and legacy "Proc-Type: 4,ENCRYPTED" PEM, or encrypted PKCS#8 DER). Only the public
 * half leaves this function; the key object is dropped at once. No vscode here (tested in plain Node).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

export type KeySource = { pem: string } | { der: Uint8Array };

/**
 * Undoes YAML indentation and JSON-style quoting around PEM lines so Node can read the block. Blank lines
 * inside the block stay: legacy encrypted PEM needs the one after its DEK-Info header.
 */
export function normalizePem(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^["']|["',]+$/g, ""))
    .join("\n")
    .trim();
}

/** Returns the hash, or undefined when the passphrase does not open the key. */
export function spkiSha256OfPrivateKey(source: KeySource, passphrase: string): string | undefined {
  let key: KeyObject;
  try {
    key =
      "pem" in source
        ? createPrivateKey({ key: normalizePem(source.pem), format: "pem", passphrase })
        : createPrivateKey({ key: Buffer.from(source.der), format: "der", type: "pkcs8", passphrase });
  } catch {
    return undefined;
  }
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("hex");
}
