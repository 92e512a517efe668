// The page's translations: the host writes the extension's l10n bundle into the page's HTML (an escaped <meta>,
// src/adapters/webview/html.ts) and webview/l10n.ts reads it back — German words in, German words out, and a
// bundle value with quotes and angle brackets cannot break out of the attribute.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vscode } from "../adapters/fake";

// The stand-in has no `env`; the module copies the namespace when it is loaded, so set it before.
if (!("env" in vscode)) vscode.env = { language: "de" };
/* eslint-disable @typescript-eslint/no-require-imports */
const { renderWebviewHtml } = require("../../src/adapters/webview/html") as typeof import("../../src/adapters/webview/html");
/* eslint-enable @typescript-eslint/no-require-imports */

test("host bundle → <meta> → t(): translated, placeholders filled, no attribute break-out", async () => {
  const bundle = { Run: "Ausführen", "Details of {0}": "Details zu {0}", 'He said "<b>hi</b>"': "Er sagte \"<b>hallo</b>\" & 'tschüss'" };
  vscode.l10n.bundle = bundle;
  try {
    const webview = { cspSource: "vscode-resource:", asWebviewUri: (u: unknown) => u };
    const html = renderWebviewHtml(webview as never, vscode.Uri.file("/ext"), "handshake", "Test");
    const m = /<meta name="certscope-l10n" content="([^"]*)">/.exec(html);
    assert.ok(m, "no l10n meta tag in the page");
    assert.doesNotMatch(m[1], /[<>"]/, "the bundle is not escaped inside the attribute");
    // What the browser does with the attribute: decode the character references.
    const content = m[1].replace(/&#(\d+);/g, (_s, n: string) => String.fromCharCode(Number(n)));
    const g = globalThis as unknown as { document?: unknown };
    g.document = { querySelector: (sel: string) => (sel === 'meta[name="certscope-l10n"]' ? { getAttribute: () => content } : null) };
    // A non-literal specifier: webview/l10n.ts belongs to the page's (DOM) program, not this one's.
    const page = "../../webview/l10n";
    const { t } = (await import(page)) as { t: (message: string, ...args: (string | number)[]) => string };
    assert.equal(t("Run"), "Ausführen");
    assert.equal(t("Details of {0}", "ServerHello"), "Details zu ServerHello");
    assert.equal(t('He said "<b>hi</b>"'), bundle['He said "<b>hi</b>"']);
    assert.equal(t("Not in the bundle {0}", 7), "Not in the bundle 7");
  } finally {
    delete vscode.l10n.bundle;
    delete (globalThis as unknown as { document?: unknown }).document;
  }
});
