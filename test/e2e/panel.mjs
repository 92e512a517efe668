// Helpers for driving the Test TLS Handshake panel in the e2e files.
import { until } from "./harness.mjs";

export { until };

/**
 * Clicks Run in the panel (`view`, its webview frame) and waits for a result with a new run id; returns the
 * banner's { category, outcome, text }. Throws, saying what the panel shows, when no result comes.
 */
export async function runPanel(view, what, timeout = 40_000) {
  const result = view.locator(".hs-result");
  const diagnosis = view.locator("#diagnosis");
  const before = await result.getAttribute("data-run", { timeout: 500 }).catch(() => null);
  await view.locator("#run").click();
  const after = await until(async () => {
    const id = await result.getAttribute("data-run", { timeout: 500 });
    return id && id !== before ? id : undefined;
  }, timeout);
  if (!after) throw new Error(`Run (${what}) showed no result within ${timeout / 1000} s; the panel shows: ${(await view.locator("body").innerText()).slice(0, 400)}`);
  return {
    category: await diagnosis.getAttribute("data-category"),
    outcome: await diagnosis.getAttribute("data-outcome"),
    text: await diagnosis.innerText(),
  };
}
