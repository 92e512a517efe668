// Preloaded into CLI processes spawned by hostile.test.ts: reports the peak resident memory (KB) on fd 3.
process.on("exit", () => {
  try {
    process.getBuiltinModule("node:fs").writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    /* fd 3 not open: nothing to report */
  }
});
