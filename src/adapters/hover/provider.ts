/** Hover on PEM blocks in any text file: what the block is, its validity, and links to the viewer and validation. */
import * as vscode from "vscode";
import type { Services } from "../services";
import { getConfig } from "../config";
import { isCancellation, l10nT, TEXT_SELECTOR, toRange } from "../documents/convert";
import { HOVER_COMMANDS } from "../documents/links";
import { logError } from "../log";
import { views } from "../lazyViews";

export function registerHover(context: vscode.ExtensionContext, services: Services): void {
  const provider: vscode.HoverProvider = {
    async provideHover(document, position, token) {
      try {
        const entry = await services.documents.entryAt(document, position, token);
        if (!entry || token.isCancellationRequested) return undefined;
        const cfg = getConfig(document.uri);
        const text = views().hoverMarkdown(entry, { uri: document.uri.toString(), now: new Date(), expiryWarningDays: cfg.expiryWarningDays, t: l10nT });
        const markdown = new vscode.MarkdownString(text, true);
        markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
        markdown.supportHtml = false;
        return new vscode.Hover(markdown, toRange(entry.block.range));
      } catch (err) {
        if (!isCancellation(err)) logError("hover", err);
        return undefined;
      }
    },
  };
  context.subscriptions.push(vscode.languages.registerHoverProvider(TEXT_SELECTOR, provider));
}
