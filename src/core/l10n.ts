/**
 * The language of the sentences src/core writes for people (chain problems, decode errors, encoding findings,
 * revocation results). Core messages are English unless a host says otherwise: the CLI never does, so its
 * text and every JSON output stay English; the extension host hands over `vscode.l10n.bundle` once
 * (adapters/config.ts), and the decoding worker gets the same bundle with each request (a function cannot
 * cross the thread boundary, a plain Record can). One mechanism for all of core: `t` below, called with a plain
 * literal with {0} placeholders and extracted by scripts/l10n.mjs like the host's vscode.l10n.t calls.
 *
 * The bundle lives on globalThis rather than in this module because the host loads core code from several
 * bundles (dist/extension.js, dist/core.js, dist/handshake.js), each with its own copy of this module.
 */
export type L10nBundle = Record<string, string>;

const KEY = Symbol.for("certscope.core.l10nBundle");
type Holder = { [KEY]?: L10nBundle };

/** Sets (or, with undefined or an empty bundle, clears back to English) the translation core messages use. */
export function useL10nBundle(bundle: L10nBundle | undefined): void {
  (globalThis as Holder)[KEY] = bundle && Object.keys(bundle).length ? bundle : undefined;
}

/** The bundle in use (undefined: English), for passing on to the decoding worker. */
export function l10nBundle(): L10nBundle | undefined {
  return (globalThis as Holder)[KEY];
}

/**
 * Translates a core message (a plain literal with {0}, {1}, … placeholders) with the bundle in use; English
 * without one. The arguments are written as a template literal would write them (String(x)), so a message
 * reads byte for byte as the template literal it replaced.
 */
export function t(message: string, ...args: unknown[]): string {
  const m = (globalThis as Holder)[KEY]?.[message] ?? message;
  return args.length ? m.replace(/\{(\d+)\}/g, (all, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : all)) : m;
}
