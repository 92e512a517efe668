// Certificate viewer view: written by the editor-surfaces work (src/adapters/editor).
export function mount(root: HTMLElement): void {
  root.textContent = "Certificate viewer is not available in this build.";
}
