/**
 * The handshake panel, its view model and the mTLS lab's commands live in dist/handshake.js and load on first
 * use (the first handshake or lab command), so activation stays light — as the PKI core does (./lazyCore.ts).
 * In the bundle, `./handshake.js` is external and sits beside extension.js.
 */
import type * as Feature from "./handshake/feature";
import { lazyBundle } from "./lazy";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = lazyBundle(() => require("./handshake.js") as typeof Feature);

export const handshakeFeature = bundle.get;

/** The feature module if something already loaded it (an open panel implies it), without loading it. */
export const handshakeFeatureIfLoaded = bundle.ifLoaded;
