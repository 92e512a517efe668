/**
 * The PKI libraries (pkijs, @peculiar/x509, node-forge, noble) live in dist/core.js and are loaded on first
 * use, so activation stays light. In the bundle, `./core.js` is external and sits beside extension.js.
 */
import type * as Core from "../core/index";

let loaded: typeof Core | undefined;

export function core(): typeof Core {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require("./core.js") as typeof Core;
  }
  return loaded;
}

export type CoreApi = typeof Core;
