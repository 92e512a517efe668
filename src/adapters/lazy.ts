/**
 * A bundle loaded on first use (./lazyCore.ts, ./lazyHandshake.ts, ./lazyViews.ts): `load` is the literal
 * require of a sibling bundle, which esbuild leaves external.
 */
export function lazyBundle<T>(load: () => T): { get: () => T; ifLoaded: () => T | undefined } {
  let loaded: T | undefined;
  return {
    get: () => (loaded ??= load()),
    ifLoaded: () => loaded,
  };
}
