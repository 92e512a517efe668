/**
 * The hover's Markdown, the viewer's view model, the editor commands' bodies and the Scan panel live in
 * dist/views.js and load on first use (a hover, an opened viewer, a command), so activation stays light — as
 * ./lazyCore.ts does for the PKI core. In the bundle, `./views.js` is external and sits beside extension.js.
 */
import type * as Views from "./views";
import { lazyBundle } from "./lazy";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = lazyBundle(() => require("./views.js") as typeof Views);

export const views = bundle.get;

/** The bundle if something already loaded it (an open Scan panel implies it), without loading it. */
export const viewsIfLoaded = bundle.ifLoaded;
