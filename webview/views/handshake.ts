// Handshake view: written by the handshake webview work (src/adapters/handshake).
export function mount(root: HTMLElement): void {
  root.textContent = "Handshake view is not available in this build.";
}
