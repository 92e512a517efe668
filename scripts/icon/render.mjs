#!/usr/bin/env node
// Renders scripts/icon/icon.svg to media/icon.png (128x128, transparent corners) with Debian's Chromium
// through playwright-core: `node scripts/icon/render.mjs`.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const svg = readFileSync(`${root}scripts/icon/icon.svg`, "utf8");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator("svg").screenshot({ path: `${root}media/icon.png`, omitBackground: true });
  console.log("rendered media/icon.png");
} finally {
  await browser.close();
}
