/**
 * Remembered passwords (PKCS#12 files, encrypted keys) in VS Code's SecretStorage — the OS keychain —
 * keyed by file uri. SecretStorage cannot list its keys, so the uris that have an entry are kept in
 * globalState (uris only, never a password). Nothing here is ever logged.
 */
import type * as vscode from "vscode";

const PREFIX = "certscope.password:";
const INDEX = "certscope.passwordIndex";

export class PasswordStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  private keys(): string[] {
    const v = this.state.get<unknown>(INDEX);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  }

  async get(uri: vscode.Uri): Promise<string | undefined> {
    try {
      return await this.secrets.get(PREFIX + uri.toString());
    } catch {
      // The OS keychain can be unavailable (e.g. no keyring on Linux): behave as if nothing was stored.
      return undefined;
    }
  }

  async set(uri: vscode.Uri, password: string): Promise<void> {
    const key = uri.toString();
    await this.secrets.store(PREFIX + key, password);
    const keys = this.keys();
    if (!keys.includes(key)) await this.state.update(INDEX, [...keys, key]);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    await this.secrets.delete(PREFIX + key);
    await this.state.update(
      INDEX,
      this.keys().filter((k) => k !== key),
    );
  }

  /** Number of remembered entries. */
  count(): number {
    return this.keys().length;
  }

  /** Deletes every remembered password; returns how many there were. */
  async forgetAll(): Promise<number> {
    const keys = this.keys();
    for (const k of keys) {
      try {
        await this.secrets.delete(PREFIX + k);
      } catch {
        // keep going: the index is cleared below either way
      }
    }
    await this.state.update(INDEX, []);
    return keys.length;
  }
}
