// Measurements that need a browser but are not tests: used by
// scripts/measure-memory.mjs and scripts/fuzz.mjs, and by the specs with
// small counts. Each takes a Playwright page already on guest.html.

/** JS heap bytes after a full GC, where the browser can tell (Chromium, CDP). */
export async function jsHeapBytes(page) {
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
    window.__robust = await window.loadGuest('robustness');
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

/** The direct harness (pages/fuzz.js): `calls` calls for `seed`, with the page's watchers. */
export async function fuzzDirect(page, seed, calls) {
  return page.evaluate(([seed, calls]) => window.fuzzDirect(seed, calls), [seed, calls]);
}

/** The guest harness (robustness `fuzz`): its report, or `{ trapped }`. */
export async function fuzzGuest(page, seed, calls) {
  return page.evaluate(
    async ([seed, calls]) => {
      const guest = await window.loadGuest('robustness');
      try {
        return await guest.fuzz(BigInt(seed), calls);
      } catch (error) {
        return { trapped: String(error?.stack ?? error) };
      }
    },
    [seed, calls],
  );
}

/**
 * Node counts and bytes of a Chromium heap snapshot (after a full GC), by
 * node type and name: two of them, diffed, show which objects a run keeps.
 */
export async function heapSnapshotCounts(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    let text = '';
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => (text += chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const snapshot = JSON.parse(text);
    const fields = snapshot.snapshot.meta.node_fields;
    const types = snapshot.snapshot.meta.node_types[0];
    const [type, name, selfSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
    const counts = new Map();
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const key = `${types[snapshot.nodes[i + type]]} ${String(snapshot.strings[snapshot.nodes[i + name]]).slice(0, 60)}`;
      const entry = counts.get(key) ?? { count: 0, bytes: 0 };
      entry.count += 1;
      entry.bytes += snapshot.nodes[i + selfSize];
      counts.set(key, entry);
    }
    return counts;
  } finally {
    await cdp.detach();
  }
}

/**
 * A guest's glue with its async scheduling shaken (`npm run fuzz --
 * --jitter`): each async host operation settles after a random delay, and
 * half of the runtime's next-task hand-backs and re-ticks become timers of
 * up to 6 ms. Refused whole when an anchor is missing.
 */
export function withJitter(glue) {
  const anchors = [
    ['function _wasiWebgpuNextTask(fn) {\n', (indent) => `function _wasiWebgpuNextTask(fn) {\n${indent}  if (Math.random() < 0.5) { setTimeout(fn, Math.random() * 6); return; }\n`],
    ['function _trackHostOperation(operation) {\n', (indent) => `function _trackHostOperation(operation) {\n${indent}  operation = ((settle) => () => { const result = settle(); if (!result || typeof result.then !== 'function') return result; const wait = () => new Promise((resolve) => setTimeout(resolve, Math.random() < 0.3 ? 0 : Math.random() < 0.5 ? Math.random() * 4 : Math.random() * 40)); return Promise.resolve(result).then(async (value) => { await wait(); return value; }, async (error) => { await wait(); throw error; }); })(operation);\n`],
  ];
  for (const [anchor, replacement] of anchors) {
    const at = glue.indexOf(anchor);
    if (at < 0 || glue.indexOf(anchor, at + 1) >= 0) throw new Error(`withJitter: the glue has no single \`${anchor.trim()}\``);
    const indent = glue.slice(glue.lastIndexOf('\n', at) + 1, at);
    glue = glue.slice(0, at) + replacement(indent) + glue.slice(at + anchor.length);
  }
  return glue;
}
