/**
 * Writes a file only its owner can read (mode 0600), as the CLI's --keylog does: a TLS key log decrypts the
 * captured connection. An existing file is truncated and its mode narrowed too, before any byte is written.
 */
import { open } from "node:fs/promises";

export async function writeOwnerOnly(path: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(path, "w", 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}
