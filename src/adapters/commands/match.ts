/**
 * "Does this key match this certificate / CSR?" (certscope.matchKey). One side comes from the argument or
 * the active editor (the block under the cursor), the other is picked from the workspace index (files found
 * by content) or a file dialog. Both sides are compared by the SHA-256 of their SubjectPublicKeyInfo. An
 * encrypted key is opened in memory with a passphrase from an input box (Node's crypto), only to derive its
 * public key; the passphrase and key are never stored or logged.
 */
import * as vscode from "vscode";
import type { PkiObject } from "../../shared/model";
import { colonHex, displayName, keyText, kindLabel, objectName } from "../tree/format";
import type { KeyRef } from "../tree/model";
import { baseName, type LoadedFile } from "../editor/files";
import { errorMessage } from "../editor/pki";
import { keySpkiInWorker } from "../decodeWorker";

type KeySource = { pem: string } | { der: Uint8Array };
import { resolveTarget, toUri, type EditorDeps, type Target } from "./target";

const t = vscode.l10n.t;

interface Side {
  file: LoadedFile;
  index: number;
}

const isKey = (o: PkiObject) => o.kind === "privateKey";
const isHolder = (o: PkiObject) => o.kind === "certificate" || o.kind === "csr";

function describe(s: Side): string {
  const o = s.file.flat[s.index].object;
  const where = `${vscode.workspace.asRelativePath(s.file.uri)}${o.line ? `:${o.line}` : ""}`;
  if (o.kind === "certificate" || o.kind === "csr") return `${kindLabel(o.kind, t).toLowerCase()} ${displayName(o.subject, t)} (${where})`;
  if (o.kind === "privateKey") return `${t("private key")} ${keyText(o.publicKey, t)} (${where})`;
  return `${kindLabel(o.kind, t).toLowerCase()} (${where})`;
}

/** Chooses one object of the wanted sort in a file (asks when there are several). */
async function chooseIn(file: LoadedFile, want: (o: PkiObject) => boolean, preferLine?: number): Promise<number | undefined> {
  const found = file.flat.map((o, i) => ({ o, i })).filter((x) => want(x.o.object));
  if (!found.length) return undefined;
  if (preferLine) {
    const at = found.find((x) => x.o.object.line === preferLine);
    if (at) return at.i;
  }
  if (found.length === 1) return found[0].i;
  const pick = await vscode.window.showQuickPick(
    found.map((x) => ({ label: objectName(x.o.object, t), description: x.o.object.line ? t("line {0}", x.o.object.line) : kindLabel(x.o.object.kind, t), i: x.i })),
    { title: t("Which one in {0}?", file.fileName) },
  );
  return pick?.i;
}

async function sideFromTarget(target: Target): Promise<Side | undefined> {
  const o = target.index !== undefined ? target.file.flat[target.index]?.object : undefined;
  if (o && (isKey(o) || isHolder(o))) return { file: target.file, index: target.index! };
  const index = await chooseIn(target.file, (x) => isKey(x) || isHolder(x));
  return index === undefined ? undefined : { file: target.file, index };
}

async function pickOther(deps: EditorDeps, wantKey: boolean, knownSpki: string | undefined, exclude: Side | undefined): Promise<Side | undefined> {
  const kinds: KeyRef["kind"][] = wantKey ? ["privateKey"] : ["certificate", "csr"];
  const refs = (await deps.keys.all(kinds)).filter((r) => !(exclude && r.uri === exclude.file.uri.toString() && r.line === exclude.file.flat[exclude.index].object.line));
  type Item = vscode.QuickPickItem & { ref?: KeyRef; browse?: boolean };
  const items: Item[] = refs
    .map((r) => ({
      label: r.name ?? baseName(toUri(r.uri)),
      description: `${r.label}${r.line ? `:${r.line}` : ""}`,
      detail: `${kindLabel(r.kind, t)}${knownSpki && r.spki === knownSpki ? ` — ${t("same public key")}` : ""}`,
      ref: r,
      same: knownSpki !== undefined && r.spki === knownSpki,
    }))
    .sort((a, b) => Number(b.same) - Number(a.same))
    .map(({ same: _same, ...rest }) => rest);
  items.push({ label: t("$(folder-opened) Browse…"), browse: true, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: wantKey ? t("Pick the private key") : t("Pick the certificate or CSR"),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  let uri: vscode.Uri;
  let line: number | undefined;
  if (picked.browse) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectMany: false,
      title: wantKey ? t("Private key file") : t("Certificate or CSR file"),
      filters: { [t("PKI files")]: ["pem", "key", "crt", "cer", "der", "csr", "p12", "pfx", "p7b"], [t("All files")]: ["*"] },
    });
    if (!chosen?.[0]) return undefined;
    uri = chosen[0];
  } else {
    uri = toUri(picked.ref!.uri);
    line = picked.ref!.line;
  }
  const target = await resolveTarget({ uri, ...(line ? { line } : {}) }, deps);
  if (!target) return undefined;
  const index = await chooseIn(target.file, wantKey ? isKey : isHolder, line);
  if (index === undefined) {
    void vscode.window.showWarningMessage(wantKey ? t("{0} holds no private key.", target.file.fileName) : t("{0} holds no certificate or CSR.", target.file.fileName));
    return undefined;
  }
  return { file: target.file, index };
}

/** The public-key hash of one side; for an encrypted key, asks for the passphrase and derives it in memory. */
async function spkiOf(side: Side): Promise<string | undefined> {
  const o = side.file.flat[side.index].object;
  if ("publicKey" in o && o.publicKey?.spkiSha256) return o.publicKey.spkiSha256.toLowerCase();
  if (o.kind !== "privateKey") return undefined;
  let source: KeySource;
  if (side.file.isText) {
    const range = side.file.flat[side.index].range;
    if (!range) return undefined;
    const doc = await vscode.workspace.openTextDocument(side.file.uri);
    source = { pem: doc.getText(range) };
  } else {
    source = { der: await vscode.workspace.fs.readFile(side.file.uri) };
  }
  let prompt = t("Passphrase for the encrypted private key in {0}", side.file.fileName);
  for (let attempt = 0; attempt < 3; attempt++) {
    const passphrase = await vscode.window.showInputBox({ title: t("CertScope: compare keys"), prompt, password: true, ignoreFocusOut: true });
    if (passphrase === undefined) return undefined;
    // In the decoding worker: the key's KDF (its iteration count is the file's choice) stays off this thread.
    const spki = await keySpkiInWorker(source, passphrase, side.file.fileName);
    if (spki) return spki;
    prompt = t("That passphrase does not open the key in {0}. Try again:", side.file.fileName);
  }
  throw new Error(t("The passphrase for the key in {0} is wrong.", side.file.fileName));
}

export async function matchKey(arg: unknown, deps: EditorDeps): Promise<void> {
  try {
    const target = await resolveTarget(arg, deps).catch(() => undefined);
    let a = target ? await sideFromTarget(target) : undefined;
    if (!a) {
      a = await pickOther(deps, true, undefined, undefined);
      if (!a) return;
    }
    const aIsKey = isKey(a.file.flat[a.index].object);
    const aSpki = aIsKey ? undefined : await spkiOf(a);
    const known = aIsKey ? (a.file.flat[a.index].object as { publicKey?: { spkiSha256?: string } }).publicKey?.spkiSha256?.toLowerCase() : aSpki;
    const b = await pickOther(deps, !aIsKey, known, a);
    if (!b) return;
    const [key, holder] = aIsKey ? [a, b] : [b, a];
    const keySpki = await spkiOf(key);
    const holderSpki = aIsKey ? await spkiOf(holder) : aSpki;
    if (!keySpki || !holderSpki) {
      void vscode.window.showWarningMessage(t("Could not read the public key of {0}.", describe(!keySpki ? key : holder)));
      return;
    }
    if (keySpki === holderSpki) {
      void vscode.window.showInformationMessage(t("Match: the {0} belongs to the {1}.", describe(key), describe(holder)));
    } else {
      void vscode.window.showWarningMessage(
        t("No match: the {0} and the {1} have different public keys (SPKI SHA-256 {2}… vs {3}…).", describe(key), describe(holder), colonHex(keySpki).slice(0, 11), colonHex(holderSpki).slice(0, 11)),
      );
    }
    deps.log?.info(`matchKey: ${keySpki === holderSpki ? "match" : "no match"}`);
  } catch (err) {
    void vscode.window.showErrorMessage(t("Key matching failed: {0}", errorMessage(err)));
  }
}
