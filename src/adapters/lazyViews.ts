/**
 * The hover's Markdown, the viewer's view model and the editor commands' bodies live in dist/views.js and load on
 * first use (a hover, an opened viewer, a command), so activation stays light — as ./lazyCore.ts does for the PKI
 * core. In the bundle, `./views.js` is external and sits beside extension.js.
 */
import type * as Views from "./views";

let loaded: typeof Views | undefined;

export function views(): typeof Views {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require("./views.js") as typeof Views;
  }
  return loaded;
}

/** The bundle if something already loaded it (an open Scan panel implies it), without loading it. */
export function viewsIfLoaded(): typeof Views | undefined {
  return loaded;
}
