/**
 * The handshake panel, its view model and the mTLS lab's commands live in dist/handshake.js and load on first
 * use (the first handshake or lab command), so activation stays light — as the PKI core does (./lazyCore.ts).
 * In the bundle, `./handshake.js` is external and sits beside extension.js.
 */
import type * as Feature from "./handshake/feature";

let loaded: typeof Feature | undefined;

export function handshakeFeature(): typeof Feature {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require("./handshake.js") as typeof Feature;
  }
  return loaded;
}

/** The feature module if something already loaded it (an open panel implies it), without loading it. */
export function handshakeFeatureIfLoaded(): typeof Feature | undefined {
  return loaded;
}
