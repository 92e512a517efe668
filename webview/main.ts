/**
 * The one webview bundle. The host's HTML sets `<body data-view="…">`; each view mounts itself into #root.
 * Views: `viewer` (certificate viewer, src/adapters/editor) and `handshake` (src/adapters/handshake).
 */
import "@vscode-elements/elements/dist/bundled.js";
import { t } from "./l10n";

type Mount = (root: HTMLElement) => void;

const views: Record<string, () => Promise<{ mount: Mount }>> = {
  viewer: () => import("./views/viewer"),
  handshake: () => import("./views/handshake"),
  scan: () => import("./views/scan"),
};

const root = document.getElementById("root") as HTMLElement;
const view = document.body.dataset.view ?? "";
const load = views[view];
if (!load) {
  root.textContent = t("CertScope: unknown view '{0}'.", view);
} else {
  load().then(
    (m) => m.mount(root),
    (err: unknown) => {
      root.textContent = t("CertScope: the view failed to load: {0}", String(err));
    },
  );
}
