/**
 * From the form to one engine run: read the trust and credential files (errors name the file), get the
 * passphrase from the password store (../secrets, shared with the certificate viewer, keyed by the file's
 * uri) or an input box (never from the webview), call `runHandshake` of src/core/tls with a cancel signal and a
 * key-log sink, and retry with a typed passphrase when the stored or empty one fails with `bad_passphrase`.
 * Remembering is best-effort: the store never throws, so a keychain failure never breaks a run.
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { promises as fs } from "node:fs";
import { core } from "../lazyCore";
import { proxyFor } from "../proxy";
import type { HandshakeOptions } from "../../core/tls";
import type { CredentialsOutcome } from "../../core/tls/credentials";
import type { openCredentialsInWorker } from "../decodeWorker";
import type { HandshakeResult } from "../../shared/model";
import { parseTarget, type HandshakeForm } from "../../shared/protocol/handshake";
import { recordingTranslator, type Translate } from "../../shared/format";
import { runTexts, type RunTexts } from "../../shared/runTexts";
import type { CommandInput } from "../../shared/handshakeView";
import { isEncryptedKey } from "./credentialFiles";
import { scanWorkspace, workspacePath } from "./picker";
import type { PasswordStore } from "../secrets";

export class UserError extends Error {}

async function readFile(p: string, what: string): Promise<Uint8Array> {
  if (!p) throw new UserError(vscode.l10n.t("Choose the {0} file.", what));
  try {
    return new Uint8Array(await fs.readFile(p));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(vscode.l10n.t("Cannot read the {0} {1}: {2}.", what, p, code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "it is a folder" : (e as Error).message));
  }
}

/** Target, SNI, ALPN, versions from the form; throws UserError on bad input. */
export function targetOf(form: HandshakeForm): { host: string; port: number; servername?: string; alpn?: string[] } {
  const t = parseTarget(form.host, form.port);
  if ("error" in t) throw new UserError(t.error);
  const alpn = form.alpn
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return { host: t.host, port: t.port!, servername: form.servername.trim() || undefined, alpn: alpn.length ? alpn : undefined };
}

/** The trust anchors for the form's trust choice. */
export async function trustOf(form: HandshakeForm): Promise<{ ca: Uint8Array[]; useSystemRoots: boolean; caFiles: string[] }> {
  switch (form.trust) {
    case "system": {
      const extra = vscode.workspace.getConfiguration("certscope").get<string[]>("trust.extraCaBundles", []).map(workspacePath);
      const ca = await Promise.all(extra.map((p) => readFile(p, "CA bundle (setting certscope.trust.extraCaBundles)")));
      return { ca, useSystemRoots: true, caFiles: extra };
    }
    case "bundle": {
      if (!form.caFiles.length) throw new UserError(vscode.l10n.t("Choose the CA file(s) to trust, or another trust option."));
      return { ca: await Promise.all(form.caFiles.map((p) => readFile(p, "CA file"))), useSystemRoots: false, caFiles: form.caFiles };
    }
    case "workspace": {
      const found = (await scanWorkspace()).filter((f) => f.facts.isCA && f.facts.subject && f.facts.subject === f.facts.issuer);
      if (!found.length) throw new UserError(vscode.l10n.t("No self-signed CA certificate was found in the workspace files. Choose a CA bundle instead."));
      return { ca: await Promise.all(found.map((f) => readFile(f.uri.fsPath, "CA file"))), useSystemRoots: false, caFiles: found.map((f) => f.uri.fsPath) };
    }
    case "none":
      return { ca: [], useSystemRoots: false, caFiles: [] };
  }
}

/** Does running this form need a passphrase, and for which file? */
export async function passphraseFileOf(form: HandshakeForm): Promise<{ file: string; optional: boolean } | undefined> {
  if (form.credentialKind === "pkcs12" && form.pfxFile) return { file: form.pfxFile, optional: true };
  if (form.credentialKind === "pem" && form.keyFile) {
    try {
      if (isEncryptedKey(await fs.readFile(form.keyFile))) return { file: form.keyFile, optional: false };
    } catch {
      /* reported when the key is read */
    }
  }
  return undefined;
}

/** host:port of the proxy and whether it carries credentials, for the openssl/curl lines (never the credentials). */
function proxyForCommands(url: string | undefined): { proxy?: string; proxyAuth?: boolean } {
  if (!url) return {};
  try {
    const p = core().parseProxyUrl(url);
    return { proxy: `${p.host.includes(":") ? `[${p.host}]` : p.host}:${p.port}`, proxyAuth: p.username !== undefined };
  } catch {
    return {};
  }
}

export function commandInputOf(form: HandshakeForm, trust: { caFiles: string[]; useSystemRoots: boolean }, encrypted: boolean): CommandInput {
  const t = targetOf(form);
  return {
    host: t.host,
    port: t.port,
    servername: t.servername,
    alpn: t.alpn,
    tlsMin: form.tlsMin || undefined,
    tlsMax: form.tlsMax || undefined,
    caFiles: trust.caFiles,
    noSystemRoots: !trust.useSystemRoots,
    cert: form.credentialKind === "pem" ? form.certFile || undefined : undefined,
    key: form.credentialKind === "pem" ? form.keyFile || undefined : undefined,
    pfx: form.credentialKind === "pkcs12" ? form.pfxFile || undefined : undefined,
    passphrase: encrypted,
    ...(form.starttls ? { starttls: form.starttls } : {}),
    ...proxyForCommands(proxyFor(t.host, t.port)),
  };
}

export interface RunOutcome {
  /** In English, as the CLI writes it: what exports and the recent runs keep. */
  result: HandshakeResult;
  /** The result's diagnosis and warnings in VS Code's display language, for the page. */
  texts: RunTexts;
  keylog: string[];
  cancelled: boolean;
}

/** What a run needs of the password store. */
export type PassphraseStore = Pick<PasswordStore, "get" | "set" | "delete" | "onDidChange">;

/** The password store's key for a credential file. */
export function secretUri(file: string): vscode.Uri {
  return vscode.Uri.file(file);
}

export interface RunDeps {
  passwords: PassphraseStore;
  previousAcceptableIssuers?: string[];
  signal: AbortSignal;
  onPhase?: (phase: string) => void;
  /** Opens the credentials off the extension host's thread (their KDF is a file's choice): ../decodeWorker.ts. */
  openCredentials: typeof openCredentialsInWorker;
}

async function askPassphrase(file: string, retry: boolean): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: retry ? vscode.l10n.t("Wrong passphrase — try again") : vscode.l10n.t("Passphrase"),
    prompt: vscode.l10n.t("Passphrase for {0} ({1})", path.basename(file), file),
    password: true,
    ignoreFocusOut: true,
  });
}

/**
 * The credentials opened in the decoding worker, their texts recorded for the panel. A worker that fails (its
 * deadline, its memory limit, a cancel) becomes the run's diagnosis: nothing is sent.
 */
async function openInWorker(credentials: NonNullable<HandshakeOptions["credentials"]>, deps: RunDeps, rec: ReturnType<typeof recordingTranslator>): Promise<CredentialsOutcome> {
  const file = credentials.kind === "pkcs12" ? (credentials.file ?? "PKCS#12") : (credentials.keyFile ?? credentials.certFile ?? "client key");
  const tr: Translate = rec.t;
  try {
    const reply = await deps.openCredentials({ credentials, previousAcceptableIssuers: deps.previousAcceptableIssuers }, path.basename(file), deps.signal);
    rec.absorb(reply.made);
    return reply.outcome;
  } catch (err) {
    return {
      ok: false,
      warnings: [],
      diagnosis: {
        category: "unsupported_credentials",
        summary: tr("The client credentials in {0} could not be opened: {1}.", file, (err as Error).message),
        fix: tr("Use credentials protected with a standard number of key-derivation iterations, or convert them with openssl."),
      },
    };
  }
}

/** Runs the form once (twice when a PKCS#12 needs a typed password). Throws UserError for bad input. */
export async function runForm(form: HandshakeForm, deps: RunDeps): Promise<RunOutcome | undefined> {
  const t = targetOf(form);
  const trust = await trustOf(form);
  const base: HandshakeOptions = {
    ...t,
    tlsMin: form.tlsMin || undefined,
    tlsMax: form.tlsMax || undefined,
    ca: trust.ca,
    useSystemRoots: trust.useSystemRoots,
    timeoutMs: form.timeoutMs,
    previousAcceptableIssuers: deps.previousAcceptableIssuers,
    starttls: form.starttls || undefined,
    appProbe: form.appProbe !== false,
    proxy: proxyFor(t.host, t.port),
  };
  let material: { kind: "pem"; cert: Uint8Array; key: Uint8Array } | { kind: "pkcs12"; pfx: Uint8Array } | undefined;
  if (form.credentialKind === "pem") material = { kind: "pem", cert: await readFile(form.certFile, "client certificate"), key: await readFile(form.keyFile, "private key") };
  else if (form.credentialKind === "pkcs12") material = { kind: "pkcs12", pfx: await readFile(form.pfxFile, "PKCS#12") };

  const need = await passphraseFileOf(form);
  let passphrase: string | undefined;
  let typed = false;
  let stored = false;
  if (need) {
    passphrase = await deps.passwords.get(secretUri(need.file));
    stored = passphrase !== undefined;
    if (passphrase === undefined && !need.optional) {
      deps.onPhase?.(vscode.l10n.t("Waiting for the passphrase (input box at the top of the window)…"));
      passphrase = await askPassphrase(need.file, false);
      if (passphrase === undefined) return undefined;
      typed = true;
    }
  }

  for (let attempt = 0; attempt < 3; attempt++) {
    const keylog: string[] = [];
    const credentials: HandshakeOptions["credentials"] =
      material?.kind === "pem"
        ? { ...material, passphrase, certFile: form.certFile, keyFile: form.keyFile }
        : material?.kind === "pkcs12"
          ? { ...material, passphrase: passphrase ?? "", file: form.pfxFile }
          : undefined;
    deps.onPhase?.(vscode.l10n.t("Connecting to {0}:{1}…", t.host, t.port));
    // One run in English; the recorder lets the panel say its texts again in the display language.
    const rec = recordingTranslator();
    const opened = credentials ? await openInWorker(credentials, deps, rec) : undefined;
    const result = await core().runHandshake({ ...base, credentials, opened, signal: deps.signal, keylog: (l) => keylog.push(l), t: rec.t });
    const texts = runTexts(result, (s) => rec.again(s, vscode.l10n.t));
    if (deps.signal.aborted) return { result, texts, keylog, cancelled: true };
    if (need && result.diagnosis?.category === "bad_passphrase") {
      // A remembered passphrase that no longer opens the file is forgotten (once; a typed one was never stored).
      if (stored) await deps.passwords.delete(secretUri(need.file));
      stored = false;
      if (attempt === 2) break;
      deps.onPhase?.(vscode.l10n.t("Waiting for the passphrase (input box at the top of the window)…"));
      const again = await askPassphrase(need.file, attempt > 0 || passphrase !== undefined);
      if (again === undefined) return { result, texts, keylog, cancelled: false };
      passphrase = again;
      typed = true;
      continue;
    }
    if (need && typed && form.rememberPassphrase && passphrase !== undefined && result.diagnosis?.category !== "bad_passphrase") {
      await deps.passwords.set(secretUri(need.file), passphrase);
    }
    return { result, texts, keylog, cancelled: false };
  }
  throw new UserError(vscode.l10n.t("The passphrase was wrong three times."));
}
