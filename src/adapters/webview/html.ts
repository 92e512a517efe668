/**
 * The one place that writes webview HTML and owns its Content-Security-Policy: no inline script or
 * handler, scripts only by nonce, resources only from dist/webview and media/. No data is templated in:
 * the page posts `ready` and the host answers with its state over the typed protocol. The one exception is
 * the extension's own translations (vscode.l10n.bundle, never user or certificate text), in an escaped
 * <meta> attribute, so the page's labels are in the display language from the first frame (webview/l10n.ts).
 */
import * as vscode from "vscode";

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist", "webview"), vscode.Uri.joinPath(extensionUri, "media")],
  };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: "viewer" | "handshake" | "scan", title: string): string {
  // Web Crypto's CSPRNG (a Node global): node:crypto stays out of the activation bundle.
  const nonce = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview", "main.js"));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "webview.css"));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // 'unsafe-inline' for styles only: @vscode-elements/elements sets inline style attributes (the e2e CSP check
    // reports 15 violations without it). Scripts stay nonce-only.
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="${esc(vscode.env.language || "en")}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="certscope-l10n" content="${esc(JSON.stringify(vscode.l10n.bundle ?? {}))}">
<link rel="stylesheet" href="${style}">
<title>${esc(title)}</title>
</head>
<body data-view="${view}">
<div id="root" role="main"></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
