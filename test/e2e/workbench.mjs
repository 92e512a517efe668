// The workbench as a user drives it (command palette, Quick Open, panes, webviews), for the e2e suite, the demo
// and the extension bench; re-exported by harness.mjs.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A user at the keyboard of the workbench in `page`: palette commands, quick open, panes, webviews.
 * Every wait has a bound; failures name what the user would have seen.
 */
export class Workbench {
  constructor(page, { artifacts } = {}) {
    this.page = page;
    this.artifacts = artifacts;
    this.shot = 0;
  }

  async open(url, timeout = 90_000) {
    await this.page.goto(url);
    await this.page.waitForSelector(".monaco-workbench", { timeout });
    // The explorer shows the folder once the remote extension host and file system are connected.
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout });
  }

  async screenshot(name) {
    if (!this.artifacts) return undefined;
    mkdirSync(this.artifacts, { recursive: true });
    const file = join(this.artifacts, `${String(++this.shot).padStart(2, "0")}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  get quickInput() {
    return this.page.locator(".quick-input-widget");
  }

  /** Rows of the open quick pick, as their visible text. */
  async quickPickRows() {
    return this.quickInput.locator(".monaco-list-row").allInnerTexts();
  }

  async closeQuickInput() {
    if (await this.quickInput.isVisible()) await this.page.keyboard.press("Escape");
    await this.quickInput.waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
  }

  /**
   * Finds `title` (e.g. "CertScope: Create mTLS Test Kit") in the command palette; resolves with the row or
   * null when it is still missing after `timeout`. An open palette does not refresh, so it reopens it.
   */
  async findCommand(title, timeout = 20_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.closeQuickInput();
      await this.page.keyboard.press("F1");
      const input = this.quickInput.locator("input");
      try {
        await input.waitFor({ timeout: 3000 });
      } catch {
        // Focus was somewhere that swallowed F1 (a webview, a modal): focus the workbench and retry.
        if (Date.now() > deadline) throw new Error(`F1 did not open the command palette (looking for "${title}")`);
        await this.page.keyboard.press("Escape");
        await this.page.locator(".part.statusbar").click({ position: { x: 5, y: 5 } }).catch(() => {});
        continue;
      }
      await input.fill(`>${title}`);
      const row = this.quickInput.locator(".monaco-list-row", { hasText: title }).first();
      try {
        await row.waitFor({ timeout: 1500 });
        return row;
      } catch {
        if (Date.now() > deadline) {
          await this.closeQuickInput();
          return null;
        }
        await sleep(1000);
      }
    }
  }

  /** Runs a palette command by its title, as a user would. */
  async runCommand(title, timeout = 20_000) {
    const row = await this.findCommand(title, timeout);
    if (!row) throw new Error(`The command palette did not list "${title}" within ${timeout / 1000} s`);
    await row.click();
    await this.quickInput.locator("input").waitFor({ state: "hidden", timeout: 2000 }).catch(() => {});
  }

  /** Quick Open (Ctrl+P) a workspace-relative path and wait for its editor tab. */
  async openFile(rel) {
    const base = rel.split("/").pop();
    await this.closeQuickInput();
    await this.page.keyboard.press("Control+P");
    const input = this.quickInput.locator("input");
    await input.waitFor({ timeout: 10_000 });
    await input.fill(rel);
    const row = this.quickInput.locator(".monaco-list-row", { hasText: base }).first();
    await row.waitFor({ timeout: 15_000 }).catch(() => {
      throw new Error(`Quick Open did not find ${rel} in the workspace`);
    });
    // Click the row: after fill() (a scripted value, no key events) Enter can miss the quick pick when a webview
    // had focus; typed keys do not (checked), so this is about the test driver, not what users see.
    await row.click();
    await this.activeTab(base).waitFor({ timeout: 15_000 });
  }

  activeTab(label) {
    return this.page.locator(".tabs-container .tab.active", { hasText: label });
  }

  /** The pane of a view in the side bar (e.g. "Outline", "Certificates"), expanded. */
  async pane(title) {
    const header = this.page.locator(`.pane-header[aria-label="${title} Section"]`).first();
    await header.waitFor({ timeout: 15_000 });
    if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
    return this.page.locator(".pane", { has: header });
  }

  /** The visible editor's webview content, two iframes deep (VS Code's webview host + the content frame). */
  webview() {
    return this.page.locator("iframe.webview").filter({ visible: true }).first().contentFrame().locator("#active-frame").contentFrame();
  }

  /** The text of the visible notifications (toasts). */
  async notifications() {
    return this.page.locator(".notifications-toasts .notification-toast").allInnerTexts();
  }

  /** Dismisses all notification toasts (they cover the bottom right of screenshots). */
  async clearNotifications() {
    if (await this.page.locator(".notifications-toasts .notification-toast").count()) {
      await this.runCommand("Notifications: Clear All Notifications").catch(() => {});
    }
  }

  /** Closes all editors. */
  async closeAllEditors() {
    await this.runCommand("View: Close All Editors");
  }
}
