// `npm run measure:memory [-- iterations]`: a guest creates and drops a
// buffer, a texture, a view, a sampler and a bind group `iterations` times
// (default 100000), twice, in each browser; prints the shim's wasm memory
// and the page's JS heap (Chromium only: Firefox has no API for it) after
// a warm-up and after each round.
//
// `npm run measure:memory -- --frames N [--draws D] [--bindings hybrid|js]`:
// the long run. The frame-loop guest (crates/test-guests/frame-loop, in the
// native runtime's shape: a surface, an on-frame stream, and per frame a
// texture view, an encoder, a pass and a command buffer made and dropped)
// draws N frames (default 20000) in each browser, 1000 at a time; after each
// thousand it prints the shim's wasm memory, the JS heap after a full GC
// (Chromium), the handles and `_createdReps` entries in jco's tables, and the
// growth per 1000 frames from the first thousand on. The browsers run their
// frames uncapped (Chromium without vsync, Firefox's refresh driver as fast
// as it can), so a long run takes minutes, not hours. With --heap-diff,
// Chromium also takes a heap snapshot after the first and after the last
// thousand and prints what grew, by object type and name: the way to find
// what a leak is made of.
import { chromium, firefox } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';
import { churnMemory, heapSnapshotCounts, jsHeapBytes } from '../web-tests/support/measure.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const frames = process.argv.includes('--frames') ? Number(arg('frames', 20000)) : 0;
const iterations = frames ? 0 : Number(process.argv[2] ?? 100_000);
const draws = Number(arg('draws', 100));
const bindings = arg('bindings', 'hybrid');
const heapDiff = process.argv.includes('--heap-diff');

const server = await serve(0);
const mb = (bytes) => (bytes === null ? 'n/a' : `${(bytes / 1048576).toFixed(2)} MiB`);
const kb = (bytes) => (bytes === null || Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1024).toFixed(1)} KiB`);

const browsers = [
  ['chromium', chromium, frames ? { ...chromiumLaunch, args: [...chromiumLaunch.args, '--disable-gpu-vsync', '--disable-frame-rate-limit'] } : chromiumLaunch],
  ['firefox', firefox, {
    channel: 'moz-firefox',
    ...firefoxLaunch,
    firefoxUserPrefs: { ...firefoxLaunch.firefoxUserPrefs, ...(frames ? { 'layout.frame_rate': 0 } : {}) },
  }],
];

try {
  for (const [name, type, options] of browsers) {
    const browser = await type.launch(options);
    try {
      if (frames) await longRun(name, browser);
      else await churn(name, browser);
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}

async function churn(name, browser) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/guest.html`);
  await page.waitForFunction(() => typeof window.loadGuest === 'function');
  const started = Date.now();
  const { samples, errors } = await churnMemory(page, iterations, 2);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${name} ${browser.version()}: ${iterations} create/drop rounds x2 in ${seconds} s, GPU errors ${JSON.stringify(errors)}`);
  ['after warm-up', `after ${iterations}`, `after ${2 * iterations}`].forEach((label, i) =>
    console.log(`  ${label.padEnd(16)} shim wasm memory ${mb(samples[i].wasmBytes)}, JS heap ${mb(samples[i].jsHeapBytes)}`),
  );
}

async function longRun(name, browser) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/bench/bench.html`);
  await page.waitForFunction(() => window.benchReady === true);
  await page.evaluate((which) => window.openFrameLoop(which), bindings === 'js' ? 'default' : 'hybrid');
  console.log(`\n${name} ${browser.version()}: frame-loop guest (${bindings} bindings), ${frames} frames of ${draws} draws`);
  console.log('frames | shim wasm | JS heap | live handles | _createdReps | objects with reps | frames/s');
  const samples = [];
  const started = Date.now();
  let last = started;
  for (let done = 0; done < frames; done += 1000) {
    await page.evaluate((d) => window.frameLoop.frames(1000, d), draws);
    const now = Date.now();
    const sample = { frames: done + 1000, ...(await page.evaluate(() => window.memoryNow())), jsHeapBytes: await jsHeapBytes(page) };
    samples.push(sample);
    if (heapDiff && name === 'chromium' && (done === 0 || done + 1000 >= frames)) {
      const counts = await heapSnapshotCounts(page);
      if (done === 0) sample.heap = counts;
      else printHeapGrowth(samples[0].heap, counts, done);
    }
    console.log([sample.frames, kb(sample.wasmBytes), kb(sample.jsHeapBytes), sample.liveHandles, sample.createdReps, sample.repObjects, (1000 / ((now - last) / 1000)).toFixed(0)].join(' | '));
    last = Date.now();
  }
  // Growth per 1000 frames, from the first thousand (warm-up) to the last.
  const [first, end] = [samples[0], samples[samples.length - 1]];
  const thousands = (end.frames - first.frames) / 1000;
  const per = (key) => (end[key] === null || first[key] === null ? NaN : (end[key] - first[key]) / thousands);
  console.log(
    `${name}: per 1000 frames from frame ${first.frames} to ${end.frames}: shim wasm ${kb(per('wasmBytes'))}, JS heap ${kb(per('jsHeapBytes'))}, ` +
      `_createdReps ${per('createdReps').toFixed(1)} entries; ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
}

/** What grew between two heap snapshots over `frames` frames, biggest first. */
function printHeapGrowth(before, after, frames) {
  const grown = [...after]
    .map(([key, { count, bytes }]) => [key, count - (before.get(key)?.count ?? 0), bytes - (before.get(key)?.bytes ?? 0)])
    .filter(([, count, bytes]) => count > frames / 10 || bytes > 16384)
    .sort((a, b) => b[2] - a[2]);
  console.log(`heap snapshot growth over ${frames} frames (objects, bytes, node):`);
  for (const [key, count, bytes] of grown.slice(0, 15)) console.log(`  ${String(count).padStart(8)} ${String(bytes).padStart(10)}  ${key}`);
}
