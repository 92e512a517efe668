/**
 * What the editor surfaces need only once a user does something (bundled as dist/views.js, loaded on first use by
 * ./lazyViews.ts): the hover's Markdown, the viewer's view model, and the bodies of the editor commands. The
 * registrations stay in dist/extension.js, so activation loads less code.
 */
export { hoverMarkdown } from "./hover/markdown";
export { buildViewerState, errorState, loadingState, lockedState } from "./editor/viewModel";
export { matchKey } from "./commands/match";
export { copyFingerprint, copyValue, exportObject, forgetPasswords, openViewer, revealBlock } from "./commands/objects";
export { validateChain } from "./commands/validate";
export { checkRevocation } from "./commands/revocation";
export { ScanPanel, emptyScanForm } from "./scan/panel";
