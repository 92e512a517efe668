/** Small builders for the handshake page's vscode-elements controls (text nodes only, see ../../dom.ts). */
import { h } from "../../dom";

/** Value of a vscode-elements control (or a native one). */
export const val = (el: Element) => String((el as unknown as { value?: unknown }).value ?? "");
export const setVal = (el: Element, v: string) => {
  (el as unknown as { value: string }).value = v;
};

/** Checked state of a vscode-checkbox or vscode-radio. */
export const isChecked = (el: Element) => !!(el as unknown as { checked: boolean }).checked;
export const setChecked = (el: Element, on: boolean) => {
  (el as unknown as { checked: boolean }).checked = on;
};

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id;
  return h(
    "div",
    { class: "hs-field" },
    h("vscode-label", { for: id }, label),
    control,
    hint ? h("vscode-form-helper", {}, h("span", {}, hint)) : null,
  );
}

export function select(id: string, options: [string, string][], value: string, label: string): HTMLElement {
  return h(
    "vscode-single-select",
    { id, "aria-label": label },
    options.map(([v, text]) => h("vscode-option", { value: v, selected: v === value, description: undefined }, text)),
  );
}

/** A secondary button; a click does not submit the form. */
export function btn(label: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = h("vscode-button", { secondary: true, ...attrs }, label);
  b.addEventListener("click", (e) => {
    e.preventDefault();
    onClick();
  });
  return b;
}
