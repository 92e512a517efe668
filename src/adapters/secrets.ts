/**
 * Remembered passwords and passphrases (PKCS#12 files, encrypted keys) in VS Code's SecretStorage — the OS
 * keychain — keyed by file uri. The one store of CertScope: the certificate viewer and the handshake panel
 * both use it (the panel keys by `vscode.Uri.file(path)`), so a file remembered in one is known to the other
 * and "Forget Remembered Passwords" forgets both. SecretStorage cannot list its keys, so the uris that have an
 * entry are kept in globalState (uris only, never a password). Nothing here is ever logged.
 *
 * SecretStorage can throw (no keyring on Linux, a locked keychain). Remembering is best-effort: every method
 * fails soft, and a failure goes to `onFailure` (the caller logs it and tells the user) with the error only.
 */
import type * as vscode from "vscode";

const PREFIX = "certscope.password:";
const INDEX = "certscope.passwordIndex";

/** What failed: storing a password ("remember") or deleting one ("forget"). Never carries the password. */
export type SecretFailure = (op: "remember" | "forget", uri: string, err: unknown) => void;

export class PasswordStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly onFailure: SecretFailure = () => {},
  ) {}

  /** Called after an entry was remembered or forgotten (e.g. the handshake panel refreshes its hints). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener's failure is its own
      }
    }
  }

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

  /** Remembers `password` for `uri`. Never throws: false (and `onFailure`) when the keychain refused. */
  async set(uri: vscode.Uri, password: string): Promise<boolean> {
    const key = uri.toString();
    try {
      await this.secrets.store(PREFIX + key, password);
      const keys = this.keys();
      if (!keys.includes(key)) await this.state.update(INDEX, [...keys, key]);
      this.changed();
      return true;
    } catch (err) {
      this.onFailure("remember", key, err);
      return false;
    }
  }

  /**
   * Forgets the password of `uri`. Never throws: false (and `onFailure`) when the keychain refused; the uri
   * then stays in the index so "Forget Remembered Passwords" tries again.
   */
  async delete(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    try {
      await this.secrets.delete(PREFIX + key);
    } catch (err) {
      this.onFailure("forget", key, err);
      return false;
    }
    const keys = this.keys();
    if (keys.includes(key)) await this.updateIndex(keys.filter((k) => k !== key));
    this.changed();
    return true;
  }

  /** Number of remembered entries. */
  count(): number {
    return this.keys().length;
  }

  /**
   * Deletes every remembered password; returns how many were deleted. Entries the keychain refused to delete
   * stay in the index (and are reported through `onFailure`).
   */
  async forgetAll(): Promise<number> {
    const keys = this.keys();
    const kept: string[] = [];
    for (const k of keys) {
      try {
        await this.secrets.delete(PREFIX + k);
      } catch (err) {
        kept.push(k);
        this.onFailure("forget", k, err);
      }
    }
    await this.updateIndex(kept);
    this.changed();
    return keys.length - kept.length;
  }

  private async updateIndex(keys: string[]): Promise<void> {
    try {
      await this.state.update(INDEX, keys);
    } catch {
      // globalState is local storage; if it fails the index is only stale (get() still reads SecretStorage).
    }
  }
}
