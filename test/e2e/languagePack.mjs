// A VS Code in another display language without a real language pack (none can be had here: no marketplace).
// How code-server 4.139.1 (VS Code 1.139's server) picks the language, from lib/vscode/out/server-main.js:
//   - webClientServer: locale = --locale || argv.json "locale" || the vscode.nls.locale cookie || Accept-Language;
//     for a locale other than en* it calls getNLSConfiguration(locale, userDataPath), and only when that returns a
//     language pack's messages file does the page get an nls.messages.js that sets _VSCODE_NLS_LANGUAGE: the
//     workbench's language. Otherwise the workbench stays "en" whatever --locale says.
//   - resolveNLSConfiguration reads <user-data>/languagepacks.json and needs an entry for the language (or its
//     prefix) whose translations.vscode names an existing file of core translations ({"contents": {…}}); what that
//     file does not translate falls back to English.
//   - the extension host is started with the workbench's language (VSCODE_NLS_CONFIG.resolvedLanguage), which is
//     vscode.env.language, and extensions are scanned with it: package.nls.<lang>.json and
//     l10n/bundle.l10n.<lang>.json are used only then.
//   - languagepacks.json is written by the server's LanguagePacksCache when a language pack is installed through the
//     running server (an install participant); `code-server --install-extension` is another process whose language
//     pack service is created lazily and never asked for, so there the file is not written (checked: it is absent
//     after such an install) and the installed pack alone changes nothing.
// So: a synthetic pack (contributes.localizations, an empty core translations file) is packaged with the project's
// vsce, installed like any extension, and languagepacks.json is written as the cache writes it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(new URL("../..", import.meta.url).pathname);
const PUBLISHER = "certscope-test";
const VERSION = "1.0.0";
const NAMES = { de: ["German", "Deutsch"] };

/** Writes a minimal language pack for `languageId` under `dir` and packages it; returns the .vsix path. */
export function makeLanguagePack(dir, languageId) {
  const [languageName, localizedLanguageName] = NAMES[languageId] ?? [languageId, languageId];
  const name = `test-language-pack-${languageId}`;
  mkdirSync(join(dir, "translations"), { recursive: true });
  const manifest = {
    name,
    displayName: `Test language pack: ${languageName}`,
    description: "A synthetic language pack made by CertScope's e2e suite, so that VS Code runs in this language.",
    version: VERSION,
    publisher: PUBLISHER,
    license: "MIT",
    engines: { vscode: "^1.80.0" },
    categories: ["Language Packs"],
    contributes: {
      localizations: [{ languageId, languageName, localizedLanguageName, translations: [{ id: "vscode", path: "./translations/main.i18n.json" }] }],
    },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, "translations/main.i18n.json"), JSON.stringify({ version: VERSION, contents: {} }));
  writeFileSync(join(dir, "README.md"), `# ${manifest.displayName}\n`);
  const vsix = join(dir, `${name}.vsix`);
  const vsce = join(root, "node_modules/@vscode/vsce/vsce");
  const r = spawnSync(process.execPath, [vsce, "package", "--allow-missing-repository", "--skip-license", "--out", vsix], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vsce could not package the test language pack (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return { vsix, id: `${PUBLISHER}.${name}`, manifest };
}

/** languagepacks.json in `userDataDir` for the pack installed in `extensionsDir`, as LanguagePacksCache writes it. */
export function registerLanguagePack(userDataDir, extensionsDir, { id, manifest }) {
  const folder = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!folder) throw new Error(`the test language pack ${id} is not installed in ${extensionsDir}`);
  const packs = {};
  for (const l of manifest.contributes.localizations) {
    packs[l.languageId] = {
      // The cache's hash: md5 over each pack extension's id and version; it names the translation cache folder (clp/).
      hash: createHash("md5").update(id).update(manifest.version).digest("hex"),
      extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: Object.fromEntries(l.translations.map((t) => [t.id, join(extensionsDir, folder, t.path)])),
      label: l.localizedLanguageName,
    };
  }
  writeFileSync(join(userDataDir, "languagepacks.json"), JSON.stringify(packs, null, 2));
}
