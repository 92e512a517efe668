/** Small builders for the pages' vscode-elements controls (text nodes only, see ../dom.ts): handshake and Scan. */
import { h } from "../dom";

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

type ButtonAttrs = Record<string, string | boolean | undefined>;

function secondaryButton(label: string, onClick: (e: Event) => void, attrs: ButtonAttrs): HTMLElement {
  const b = h("vscode-button", { secondary: true, ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

/** A secondary button in a form; a click does not submit the form. */
export function btn(label: string, onClick: () => void, attrs: ButtonAttrs = {}): HTMLElement {
  return secondaryButton(
    label,
    (e) => {
      e.preventDefault();
      onClick();
    },
    attrs,
  );
}

/** A secondary button outside a form (result actions). */
export function button(label: string, onClick: () => void, attrs: ButtonAttrs = {}): HTMLElement {
  return secondaryButton(label, () => onClick(), attrs);
}

/** A titled section of a result page; `cls` is the page's section class (hs-section, scan-section). */
export function section(cls: string, title: string, id: string, ...children: (Node | null | false | undefined)[]): HTMLElement {
  return h("section", { class: cls, id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children.filter((c): c is Node => !!c));
}
