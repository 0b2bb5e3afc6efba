// `npm run bench`: per browser, the same work through the full stack (a
// guest, jco's glue, the shim, WebGPU) and written directly in JS, side by
// side in one run. Figures are medians over repeated runs, with min-max.
// Not a test: nothing here passes or fails.
//   node scripts/bench.mjs [--runs N] [--hot-calls N] [--frames N] [--draws N] [--browser chromium|firefox]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, firefox } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('runs', 9));
const hotCalls = Number(arg('hot-calls', 10000));
const only = arg('browser', null);
const frameCount = Number(arg('frames', 120));
const frameDraws = Number(arg('draws', 2000));

const browsers = [
  ['chromium', chromium, chromiumLaunch],
  ['firefox', firefox, { channel: 'moz-firefox', ...firefoxLaunch }],
].filter(([name]) => !only || name === only);

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
/** A figure as "median (min-max) unit", from ms over `per` units. */
function figure(name, m) {
  if (name.startsWith('hot-')) return `${fmt((m.median * 1e6) / m.per, 0)} ns/call (${fmt((m.min * 1e6) / m.per, 0)}-${fmt((m.max * 1e6) / m.per, 0)})`;
  if (name.startsWith('upload') || name.startsWith('readback')) {
    const mbps = (ms) => m.per / (ms / 1000) / (1 << 20);
    return `${fmt(mbps(m.median), 0)} MiB/s (${fmt(mbps(m.max), 0)}-${fmt(mbps(m.min), 0)})`;
  }
  return `${fmt(m.median, 1)} ms (${fmt(m.min, 1)}-${fmt(m.max, 1)})`;
}
/** Our cost over direct JS's: time ratio (throughputs invert, so >1 is always slower). */
const ratio = (ours, direct) => ours.median / direct.median;

// Cross-origin isolated pages: performance.now() at 5 us (Chromium) and
// 20 us (Firefox) instead of 100 us and 1 ms, fine enough for one frame.
const server = await serve(0, { isolated: true });
const origin = `http://127.0.0.1:${server.address().port}`;
const summary = {};
try {
  for (const [name, type, options] of browsers) {
    const browser = await type.launch(options);
    try {
      // A fresh page for each: each holds 64 MiB buffers and copies.
      const results = {};
      for (const which of ['direct', 'default', 'hybrid']) {
        const page = await browser.newPage();
        page.on('crash', () => console.log(`[bench] ${name}: the page running ${which} crashed`));
        if (process.env.BENCH_VERBOSE) page.on('console', (m) => console.log(`[${name} ${which}] ${m.text()}`));
        await page.goto(`${origin}/web-tests/bench/bench.html`);
        await page.waitForFunction(() => window.benchReady === true);
        results[which] = await page.evaluate(([w, o]) => window.runBench(w, o), [which, { runs, hotCalls }]);
        await page.close();
      }
      // Time to a first result, from navigation: median of 5 fresh pages each.
      const first = {};
      for (const which of ['direct', 'guest']) {
        const times = [];
        for (let i = 0; i < 5; i++) {
          const fresh = await browser.newPage();
          await fresh.goto(`${origin}/web-tests/bench/bench.html?first=${which}`);
          await fresh.waitForFunction(() => window.benchReady === true, null, { timeout: 60000 });
          times.push(await fresh.evaluate(() => window.firstResultMs));
          await fresh.close();
        }
        times.sort((a, b) => a - b);
        first[which] = { median: times[2], min: times[0], max: times[4], per: 1 };
      }

      // The frame loop: CPU time per frame, from the frame event to submit
      // returning, median over frames (a fresh page each, as above).
      const frameLoop = {};
      for (const which of ['direct', 'default', 'hybrid']) {
        const page = await browser.newPage();
        await page.goto(`${origin}/web-tests/bench/bench.html`);
        await page.waitForFunction(() => window.benchReady === true);
        const times = await page.evaluate(([w, o]) => window.runFrameLoop(w, o), [which, { frames: frameCount, draws: frameDraws, warmup: 10 }]);
        times.sort((a, b) => a - b);
        frameLoop[which] = { median: times[times.length >> 1], min: times[0], max: times[times.length - 1], per: 1 };
        await page.close();
      }
      results.direct['frame-loop'] = frameLoop.direct;
      results.default['frame-loop'] = frameLoop.default;
      results.hybrid['frame-loop'] = frameLoop.hybrid;

      console.log(`\n== ${name} (${browser.version()}), ${runs} runs, hot calls x${hotCalls}, frame loop ${frameCount} frames x ${frameDraws} draws`);
      console.log(['figure', 'direct JS', 'full stack, hybrid', 'full stack, default glue', 'hybrid / direct', 'default / direct'].join(' | '));
      for (const figureName of Object.keys(results.direct)) {
        const [d, h, g] = [results.direct, results.hybrid, results.default].map((r) => r[figureName]);
        console.log([figureName, figure(figureName, d), figure(figureName, h), figure(figureName, g), fmt(ratio(h, d)), fmt(ratio(g, d))].join(' | '));
      }
      console.log(['first result', figure('first', first.direct), figure('first', first.guest), '', fmt(ratio(first.guest, first.direct)), ''].join(' | '));
      summary[name] = {
        'hot-call': ratio(results.hybrid['hot-dispatch'], results.direct['hot-dispatch']),
        'upload-64MiB': ratio(results.hybrid['upload-64MiB'], results.direct['upload-64MiB']),
        'readback-64MiB': ratio(results.hybrid['readback-64MiB'], results.direct['readback-64MiB']),
        'draw-frame': ratio(results.hybrid['draw-frame'], results.direct['draw-frame']),
        compute: ratio(results.hybrid.compute, results.direct.compute),
        'frame-loop': ratio(results.hybrid['frame-loop'], results.direct['frame-loop']),
      };
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}

// What a page loads of the shim: the wasm, wasm-bindgen's JS, the raw
// bindings and their runtime, and the entry modules.
const shimFiles = [
  'npm/pkg/wasi_webgpu_shim_bg.wasm', 'npm/pkg/wasi_webgpu_shim.js', 'npm/generated/raw-bindings.js', 'npm/raw-runtime.js',
  'npm/generated/commands.js', 'npm/commands-runtime.js',
  'npm/index.js', 'npm/generated/webgpu-exports.js', 'npm/generated/gfx-exports.js',
];
const sizes = shimFiles.map((file) => {
  const bytes = readFileSync(join(root, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
console.log('\n== shim size');
for (const s of sizes) console.log(`${s.file}: ${(s.raw / 1024).toFixed(1)} KiB raw, ${(s.gzip / 1024).toFixed(1)} KiB gzipped`);
const gzipKb = sizes.reduce((sum, s) => sum + s.gzip, 0) / 1000;

const per = (key) => Object.entries(summary).map(([b, r]) => `${b}=${fmt(r[key])}`).join(' ');
console.log(
  `bench: hot-call ${per('hot-call')}; upload-64MiB ${per('upload-64MiB')}; readback-64MiB ${per('readback-64MiB')}; draw-frame ${per('draw-frame')}; compute ${per('compute')}; frame-loop ${per('frame-loop')}; shim-gzip-kb=${gzipKb.toFixed(1)}`,
);
