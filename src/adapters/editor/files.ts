/**
 * The PKI objects of one file, as the tree, the viewer and the commands need them: the decoded models in
 * reading order (containers flattened, same order as format.flattenObjects), each with where it sits in a
 * text editor and its DER bytes when they can be exported. Text documents go through the document service
 * (cached, with block ranges in any host file); binary files and custom-editor documents through
 * inspectBytes, with the PKCS#12 password flow (empty password first, remembered passwords, then a prompt).
 *
 * Private-key bytes are never kept here: the document service drops them, and for binary files the DER of a
 * private-key object is not retained.
 */
import * as vscode from "vscode";
import type { DocEntry } from "../../core/doc/types";
import type { InspectResult, PkiObject } from "../../shared/model";
import type { PasswordStore } from "../secrets";
import { flattenObjects } from "../tree/format";
import { errorCode, looksBinary, pemToDer, pki } from "./pki";
import { LIMITS } from "../../core/budget";

export interface DocumentServiceLike {
  get(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<DocEntry[]>;
  /** The same with the note on capped work, when the service offers it. */
  analysis?(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<{ entries: DocEntry[]; truncated?: string }>;
}

export interface LoadedObject {
  object: PkiObject;
  depth: number;
  parent?: number;
  /** Range of the PEM block in the text document (top-level objects of text files). */
  range?: vscode.Range;
  /** DER of the object when it may be exported (never for private keys). */
  der?: Uint8Array;
}

export interface LoadedFile {
  uri: vscode.Uri;
  fileName: string;
  isText: boolean;
  /** Text document version the analysis belongs to. */
  version?: number;
  result: InspectResult;
  flat: LoadedObject[];
  /** When the document service capped its work: what was skipped. */
  truncated?: string;
  /** Set when a PKCS#12 stays locked (no or wrong password): the result shows only what is readable without it. */
  locked?: string;
}

const PASSWORD_CODES = new Set(["needs_password", "bad_password"]);

function codeOf(e: unknown): string | undefined {
  return errorCode(e);
}

/** A PKCS#12 in the result could not be opened with the password tried. */
export function needsPassword(r: InspectResult): boolean {
  return r.errors.some((e) => PASSWORD_CODES.has(codeOf(e) ?? "")) && flattenObjects(r.objects).some((f) => f.object.kind === "pkcs12");
}

/** The result without its password errors (the viewer and tree say "locked" in their own words). */
function withoutPasswordErrors(r: InspectResult): InspectResult {
  return { ...r, errors: r.errors.filter((e) => !PASSWORD_CODES.has(codeOf(e) ?? "")) };
}

/** Larger files are refused with a clear message instead of being read into memory. */
export const MAX_FILE_BYTES = LIMITS.fileBytes;

const t = vscode.l10n.t;

export function baseName(uri: vscode.Uri): string {
  const p = uri.path;
  return p.slice(p.lastIndexOf("/") + 1) || p;
}

/** Finds the END line of a PEM block starting at 0-based `line` (bounded scan). */
function blockRange(doc: vscode.TextDocument, line1: number): vscode.Range | undefined {
  const start = line1 - 1;
  if (start < 0 || start >= doc.lineCount) return undefined;
  const last = Math.min(doc.lineCount - 1, start + 5000);
  for (let l = start; l <= last; l++) {
    const text = doc.lineAt(l).text;
    if (text.includes("-----END") && (l > start || text.indexOf("-----END") > text.indexOf("-----BEGIN"))) return new vscode.Range(start, 0, l, text.length);
  }
  return doc.lineAt(start).range;
}

function flatten(objects: PkiObject[], top: { range?: vscode.Range; der?: Uint8Array }[]): LoadedObject[] {
  let topIndex = 0;
  return flattenObjects(objects).map((f) => {
    const extra = f.depth === 0 ? top[topIndex++] : undefined;
    const o = f.object;
    let der = extra?.der;
    if (!der && o.kind === "certificate" && o.pem) der = pemToDer(o.pem);
    if (o.kind === "privateKey") der = undefined;
    return { object: o, depth: f.depth, ...(f.parent !== undefined ? { parent: f.parent } : {}), ...(extra?.range ? { range: extra.range } : {}), ...(der ? { der } : {}) };
  });
}

export class FileStore implements vscode.Disposable {
  private readonly binary = new Map<string, LoadedFile>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a binary file's decoded content changes (unlocked, reloaded, forgotten). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly passwords: PasswordStore,
    private readonly documents: DocumentServiceLike | undefined,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.emitter.dispose();
    this.binary.clear();
  }

  /** A binary file decoded earlier (by the viewer or a command). */
  peek(uri: vscode.Uri): LoadedFile | undefined {
    return this.binary.get(uri.toString());
  }

  put(file: LoadedFile): void {
    this.binary.set(file.uri.toString(), file);
    this.emitter.fire(file.uri);
  }

  forget(uri: vscode.Uri): void {
    if (this.binary.delete(uri.toString())) this.emitter.fire(uri);
  }

  forgetAll(): void {
    const uris = [...this.binary.values()].map((f) => f.uri);
    this.binary.clear();
    for (const u of uris) this.emitter.fire(u);
  }

  /** The objects of an open text document, with block ranges. */
  async fromDocument(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<LoadedFile> {
    const fileName = baseName(doc.uri);
    const version = doc.version;
    if (this.documents) {
      const analysis = this.documents.analysis ? await this.documents.analysis(doc, token) : { entries: await this.documents.get(doc, token) };
      const entries = analysis.entries;
      const objects: PkiObject[] = [];
      const top: { range?: vscode.Range; der?: Uint8Array }[] = [];
      const errors: InspectResult["errors"] = [];
      for (const e of entries) {
        const r = e.block.range;
        const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
        if (e.object) {
          objects.push(e.object.line ? e.object : ({ ...e.object, line: e.block.line } as PkiObject));
          top.push({ range, ...(e.block.der && e.object.kind !== "privateKey" ? { der: e.block.der } : {}) });
        } else if (e.error) {
          errors.push({ line: e.block.line, message: e.error });
        }
      }
      return {
        uri: doc.uri,
        fileName,
        isText: true,
        version,
        result: { file: fileName, objects, errors },
        flat: flatten(objects, top),
        ...(analysis.truncated ? { truncated: analysis.truncated } : {}),
      };
    }
    // Without the document service: the core's inspect over the text, ranges found from the BEGIN lines.
    const text = doc.getText();
    const result = await pki().inspectBytes(new TextEncoder().encode(text), { fileName });
    const top = result.objects.map((o) => {
      const range = o.line ? blockRange(doc, o.line) : undefined;
      const der = range && o.kind !== "privateKey" ? pemToDer(doc.getText(range)) : undefined;
      return { ...(range ? { range } : {}), ...(der ? { der } : {}) };
    });
    return { uri: doc.uri, fileName, isText: true, version, result, flat: flatten(result.objects, top) };
  }

  /**
   * Any file by uri: text files through their text document (so ranges match the editor), binary files
   * through inspectBytes. `interactive` allows the password prompt; otherwise a locked file comes back with `locked`.
   */
  async load(uri: vscode.Uri, opts: { interactive: boolean; token?: vscode.CancellationToken; forceBinary?: boolean }): Promise<LoadedFile> {
    const token = opts.token ?? new vscode.CancellationTokenSource().token;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && !opts.forceBinary) return this.fromDocument(open, token);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) {
      throw new Error(t("{0} is {1} MB: larger than the {2} MB CertScope reads.", baseName(uri), Math.round(stat.size / 1048576), MAX_FILE_BYTES / 1048576));
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (!looksBinary(bytes) && !opts.forceBinary) {
      const doc = await vscode.workspace.openTextDocument(uri);
      return this.fromDocument(doc, token);
    }
    return this.loadBinary(uri, bytes, opts.interactive);
  }

  /** Decodes binary bytes (DER, PKCS#7, PKCS#12), asking for a password when needed and allowed. */
  async loadBinary(uri: vscode.Uri, bytes: Uint8Array, interactive: boolean): Promise<LoadedFile> {
    const fileName = baseName(uri);
    const { result, locked } = await this.inspectWithPassword(uri, bytes, fileName, interactive);
    const top = result.objects.map((o) => (result.objects.length === 1 && o.kind !== "privateKey" && o.kind !== "pkcs12" ? { der: bytes } : {}));
    const file: LoadedFile = { uri, fileName, isText: false, result, flat: flatten(result.objects, top), ...(locked ? { locked } : {}) };
    this.put(file);
    return file;
  }

  /**
   * inspectBytes never throws for bad input: a PKCS#12 the empty password does not open comes back with its
   * encryption list and an error coded needs_password / bad_password. Then: the remembered password, then
   * (interactive only) a prompt; a file that stays locked is returned as it is, with `locked` saying why.
   */
  private async inspectWithPassword(uri: vscode.Uri, bytes: Uint8Array, fileName: string, interactive: boolean): Promise<{ result: InspectResult; locked?: string }> {
    const api = pki();
    const first = await api.inspectBytes(bytes, { fileName });
    if (!needsPassword(first)) return { result: first };
    const remembered = await this.passwords.get(uri);
    if (remembered !== undefined) {
      const r = await api.inspectBytes(bytes, { fileName, password: remembered });
      if (!needsPassword(r)) return { result: r };
      this.log?.info(`remembered password for ${fileName} no longer opens it; forgetting it`);
      await this.passwords.delete(uri);
    }
    const lockedResult = withoutPasswordErrors(first);
    if (!interactive) return { result: lockedResult, locked: t("{0} is password-protected.", fileName) };
    let prompt = t("Password for {0} (the empty password did not open it)", fileName);
    for (let attempt = 0; attempt < 5; attempt++) {
      const password = await vscode.window.showInputBox({
        title: t("CertScope: open {0}", fileName),
        prompt,
        password: true,
        ignoreFocusOut: true,
        placeHolder: t("PKCS#12 password"),
      });
      if (password === undefined) return { result: lockedResult, locked: t("{0} is password-protected and no password was given.", fileName) };
      const r = await api.inspectBytes(bytes, { fileName, password });
      if (!needsPassword(r)) {
        void this.offerToRemember(uri, fileName, password);
        return { result: r };
      }
      this.log?.info(`wrong password for ${fileName} (attempt ${attempt + 1})`);
      prompt = t("Wrong password for {0}. Try again:", fileName);
    }
    return { result: lockedResult, locked: t("{0}: the password is wrong.", fileName) };
  }

  private async offerToRemember(uri: vscode.Uri, fileName: string, password: string): Promise<void> {
    if (password === "") return;
    const remember = t("Remember");
    const choice = await vscode.window.showInformationMessage(t("Remember the password for {0} in the system keychain?", fileName), remember, t("Not now"));
    // PasswordStore.set never throws: a keychain failure is logged and told to the user once by the store.
    if (choice === remember) await this.passwords.set(uri, password);
  }
}
