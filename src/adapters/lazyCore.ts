/**
 * The PKI libraries (pkijs, @peculiar/x509, node-forge, noble) live in dist/core.js and are loaded on first
 * use, so activation stays light. In the bundle, `./core.js` is external and sits beside extension.js.
 */
import type * as Core from "../core/index";
import { lazyBundle } from "./lazy";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const core = lazyBundle(() => require("./core.js") as typeof Core).get;

export type CoreApi = typeof Core;
