/**
 * The webview's translations: the host puts the extension's l10n bundle for VS Code's display language (the
 * same l10n/bundle.l10n.<lang>.json that vscode.l10n.t reads) into a <meta> tag of the page's HTML
 * (src/adapters/webview/html.ts); `t` looks the English message up there, as vscode.l10n.t does on the host.
 * Messages are keys: always call `t` with a string literal, so the l10n test can find every one.
 */
let bundle: Record<string, string> | undefined;

function load(): Record<string, string> {
  if (bundle) return bundle;
  bundle = {};
  try {
    const raw = document.querySelector('meta[name="certscope-l10n"]')?.getAttribute("content");
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === "object") {
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        // vscode.l10n bundles allow { message, comment } objects as values.
        const s = typeof v === "string" ? v : v && typeof v === "object" && typeof (v as { message?: unknown }).message === "string" ? (v as { message: string }).message : undefined;
        if (s !== undefined) bundle[k] = s;
      }
    }
  } catch {
    /* no or unreadable bundle: English */
  }
  return bundle;
}

/** `message` in the display language, with {0}, {1}, … replaced by `args`. */
export function t(message: string, ...args: (string | number | boolean)[]): string {
  const s = load()[message] ?? message;
  return args.length ? s.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)]))) : s;
}
