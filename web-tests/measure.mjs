// Measurements that need a browser but are not tests: used by
// scripts/measure-memory.mjs and scripts/fuzz.mjs, and by the specs with
// small counts. Each takes a Playwright page already on guest.html.

/** JS heap bytes after a full GC, where the browser can tell (Chromium, CDP). */
async function jsHeapBytes(page) {
  if (page.context().browser()?.browserType().name() !== 'chromium') return null;
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

/**
 * Runs the guest's create/drop loop `rounds` times, `iterations` each, and
 * returns the shim's wasm memory and the JS heap after a warm-up round and
 * after each round.
 */
export async function churnMemory(page, iterations, rounds = 2) {
  await page.evaluate(async () => {
    window.__robust = await window.loadGuest('example-robustness');
    window.__shim = await window.loadShim();
    await window.__robust.churn(200);
  });
  const sample = async () => ({
    wasmBytes: await page.evaluate(() => window.__shim.shimMemoryBytes()),
    jsHeapBytes: await jsHeapBytes(page),
  });
  const samples = [await sample()];
  const errors = [];
  for (let i = 0; i < rounds; i++) {
    errors.push(await page.evaluate((n) => window.__robust.churn(n), iterations));
    samples.push(await sample());
  }
  return { iterations, samples, errors };
}

/** Direct fuzzing of `calls` calls and guest fuzzing of `guestCalls` for `seed`. */
export async function fuzzBoth(page, seed, calls, guestCalls = calls) {
  return page.evaluate(
    async ([seed, calls, guestCalls]) => {
      const direct = await window.fuzzDirect(seed, calls);
      const guest = await window.loadGuest('example-robustness');
      let viaGuest = { calls: 0, violations: [], witErrors: [] };
      try {
        if (guestCalls) viaGuest = await guest.fuzz(BigInt(seed), guestCalls);
      } catch (error) {
        viaGuest = { trapped: String(error?.stack ?? error) };
      }
      return { direct, viaGuest, page: window.__watch.summary() };
    },
    [seed, calls, guestCalls],
  );
}
