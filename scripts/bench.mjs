// `npm run bench`: per host, the same work through the full stack (a
// guest, jco's glue, the shim, WebGPU) and written directly in JS, side by
// side in one run. Figures are medians over repeated runs, with min-max.
// Not a test: nothing here passes or fails.
//   node scripts/bench.mjs [--runs N] [--hot-calls N] [--frames N] [--draws N]
//                          [--browser chromium|firefox] [--host deno]
//                          [--hardware [--allow-fallback]] [--json FILE]
//   --hardware: both browsers on the machine's GPU (docs/gpu.md); the
//   header names each browser's adapter, and a software one stops the
//   bench unless --allow-fallback. Its figures go to --json FILE (if
//   given), not to docs/images, which hold the software figures.
//
// Honesty rules (docs/performance.md):
// - both sides do the same work; a readback copies into memory it owns;
// - a figure whose spread (max - min) exceeds 20% of its median is flagged `~`;
// - a figure a host's completion timer dominates (its waits for mapAsync or
//   onSubmittedWorkDone, times the measured latency of an empty one, above
//   half of the full stack's time: the ratio would be the host's timer on
//   both sides) is marked `timer` and left out of the summary;
// - `hot-call` in the summary is the median ratio over every hot command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, firefox } from '@playwright/test';
import { chromiumLaunchOptions, firefoxLaunchOptions } from '../npm/cli/browsers.js';
import { describeAdapter, hardwareRefusal } from '../npm/runner/run.js';
import { serve } from '../web-tests/support/server.mjs';
import { findDeno } from '../npm/cli/run.js';
import { sizeReport } from './size.mjs';
import { chartOfSaved } from './lib/bench-chart.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('runs', 9));
const hotCalls = Number(arg('hot-calls', 10000));
const frameCount = Number(arg('frames', 120));
const frameDraws = Number(arg('draws', 2000));
const only = arg('browser', null);
const host = arg('host', null);
const hardware = process.argv.includes('--hardware');
const allowFallback = process.argv.includes('--allow-fallback');
const jsonOut = arg('json', null);

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
/** A figure as "median (min-max) unit", from ms over `per` units. */
function figure(name, m) {
  if (!m) return 'n/a';
  if (name.startsWith('hot-')) return `${fmt((m.median * 1e6) / m.per, 0)} ns/call (${fmt((m.min * 1e6) / m.per, 0)}-${fmt((m.max * 1e6) / m.per, 0)})`;
  if (name.startsWith('upload') || name.startsWith('readback')) {
    const mbps = (ms) => m.per / (ms / 1000) / (1 << 20);
    return `${fmt(mbps(m.median), 0)} MiB/s (${fmt(mbps(m.max), 0)}-${fmt(mbps(m.min), 0)})`;
  }
  return `${fmt(m.median, m.median < 10 ? 2 : 1)} ms (${fmt(m.min, 2)}-${fmt(m.max, 2)})`;
}
/** Our cost over direct JS's: time ratio (throughputs invert, so >1 is always slower). */
const ratio = (ours, direct) => (ours && direct ? ours.median / direct.median : NaN);
const spread = (m) => (m.max - m.min) / m.median;
const median = (xs) => {
  const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[sorted.length >> 1] : NaN;
};

/**
 * Prints one host's table and returns its summary ratios. `results` holds
 * direct, default and hybrid figures; `latencyMs` is the host's measured
 * completion latency.
 */
function report(name, version, results, latencyMs, first, adapter, wgpuFrame) {
  console.log(`\n== ${name} (${version}), ${runs} runs, hot calls x${hotCalls}, frame loop ${frameCount} frames x ${frameDraws} draws`);
  if (adapter) console.log(`adapter: ${describeAdapter(adapter)}`);
  console.log(`completion latency (an empty onSubmittedWorkDone or a 4-byte mapAsync): ${fmt(latencyMs, 2)} ms`);
  console.log(['figure', 'direct JS', 'full stack, hybrid', 'full stack, default glue', 'hybrid / direct', 'default / direct', 'notes'].join(' | '));
  const summaryOf = {};
  const hotRatios = [];
  for (const figureName of Object.keys(results.direct)) {
    const [d, h, g] = [results.direct, results.hybrid, results.default].map((r) => r[figureName]);
    const notes = [];
    if ([d, h, g].some((m) => m && spread(m) > 0.2)) notes.push('~ spread over 20%');
    // The host's own completion waits (the same calls on every side), as a
    // share of the full stack's time. Over half, the figure is mostly that
    // wait on every side and its ratio cannot show what the stack costs:
    // left out. Under half, the ratio stays in even where direct JS is all
    // wait: what the stack adds on top is the stack's, not the host's.
    const waitedMs = (d.waits ?? 0) * latencyMs;
    const stackTimerShare = waitedMs / (h ?? g).median;
    const timerBound = stackTimerShare > 0.5;
    if (timerBound) notes.push(`timer ${fmt(stackTimerShare * 100, 0)}% of the full stack: left out of the summary`);
    else if (waitedMs / d.median > 0.05) notes.push(`timer ${fmt((waitedMs / d.median) * 100, 0)}% of direct, ${fmt(stackTimerShare * 100, 0)}% of the full stack`);
    console.log([figureName, figure(figureName, d), figure(figureName, h), figure(figureName, g), fmt(ratio(h, d)), fmt(ratio(g, d)), notes.join('; ')].join(' | '));
    if (figureName.startsWith('hot-')) hotRatios.push(ratio(h, d));
    else summaryOf[figureName] = timerBound ? 'timer' : ratio(h, d);
  }
  if (first) console.log(['first result', figure('first', first.direct), figure('first', first.guest), '', fmt(ratio(first.guest, first.direct)), '', ''].join(' | '));
  if (wgpuFrame) {
    // Not against direct JS: the same wgpu program on wgpu's WebGPU backend (below 1: the component is faster).
    const spreadNote = [wgpuFrame.web, wgpuFrame.component].some((m) => spread(m) > 0.2) ? '~ spread over 20%' : '';
    console.log(['wgpu-frame (wgpu program: web backend | component, hybrid)', figure('wgpu-frame', wgpuFrame.web), figure('wgpu-frame', wgpuFrame.component), '', fmt(ratio(wgpuFrame.component, wgpuFrame.web)), '', spreadNote].join(' | '));
  }
  return {
    'wgpu-frame': wgpuFrame ? ratio(wgpuFrame.component, wgpuFrame.web) : NaN,
    'hot-call': median(hotRatios),
    ...summaryOf,
    'first-result': first ? ratio(first.guest, first.direct) : NaN,
  };
}

if (process.argv.includes('--chart')) {
  // `npm run bench:chart`: the chart again from docs/images/bench.json, without measuring.
  const saved = JSON.parse(readFileSync(join(root, 'docs/images/bench.json'), 'utf8'));
  writeFileSync(join(root, 'docs/images/bench.svg'), chartOfSaved(saved));
  console.log('bench: wrote docs/images/bench.svg');
  process.exit(0);
}

const summary = {};
/** Fresh pages of each kind for the first-result figure. */
const FIRST_PAGES = 9;

if (host === 'deno') {
  // The same page code in Deno (wgpu): web-tests/bench/deno.js runs
  // measure() on the direct twin and on both transpiled guests and writes
  // the figures; no frame loop (no canvas) and no first-result figure.
  const deno = findDeno();
  if (!deno) throw new Error('Deno was not found: npm install deno, or set DENO_PATH');
  const work = mkdtempSync(join(tmpdir(), 'bench-deno-'));
  const out = join(work, 'results.json');
  writeFileSync(join(work, 'import-map.json'), JSON.stringify({
    imports: { 'wasi-webgpu-shim': `${root}/npm/dist/index.js`, 'wasi-webgpu-shim/print': `${root}/npm/print.js` },
  }));
  const r = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${out}`, '--allow-env=JCO_DEBUG', '--import-map', join(work, 'import-map.json'),
    join(root, 'web-tests/bench/deno.js'), out, JSON.stringify({ runs, hotCalls })], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`deno bench exited with ${r.status}`);
  const { version, latencyMs, results } = JSON.parse(readFileSync(out, 'utf8'));
  summary.deno = report('deno', version, results, latencyMs, null);
} else {
  const browsers = [
    ['chromium', chromium, chromiumLaunchOptions({ software: !hardware })],
    ['firefox', firefox, { channel: 'moz-firefox', ...firefoxLaunchOptions({ software: !hardware }) }],
  ].filter(([name]) => !only || name === only);
  // Cross-origin isolated pages: performance.now() at 5 us (Chromium) and
  // 20 us (Firefox) instead of 100 us and 1 ms, fine enough for one frame.
  const server = await serve(0, { isolated: true });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const openBench = async (browser, query = '') => {
    const page = await browser.newPage();
    page.on('crash', () => console.log('[bench] a page crashed'));
    if (process.env.BENCH_VERBOSE) page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.goto(`${origin}/web-tests/bench/bench.html${query}`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60000 });
    return page;
  };
  try {
    for (const [name, type, options] of browsers) {
      const browser = await type.launch(options);
      try {
        // The adapter the pages get, asked for first in the fresh browser
        // (Chromium on a real GPU answers null to its first request).
        const probe = await openBench(browser);
        const adapter = await probe.evaluate(() => window.probeAdapter());
        await probe.close();
        const refusal = hardware && !allowFallback ? hardwareRefusal(adapter, name) : null;
        if (refusal) {
          console.error(`bench: ${refusal}; pass --allow-fallback to measure it anyway`);
          process.exitCode = 3;
          continue;
        }
        // A fresh page for each: each holds 64 MiB buffers and copies.
        const results = {};
        let latencyMs = NaN;
        for (const which of ['direct', 'default', 'hybrid']) {
          const page = await openBench(browser);
          if (which === 'direct') latencyMs = await page.evaluate(() => window.completionLatency());
          results[which] = await page.evaluate(([w, o]) => window.runBench(w, o), [which, { runs, hotCalls }]);
          await page.close();
        }
        // The frame loop: CPU time per frame, from the frame event to submit
        // returning, median over frames.
        for (const which of ['direct', 'default', 'hybrid']) {
          const page = await openBench(browser);
          const times = await page.evaluate(([w, o]) => window.runFrameLoop(w, o), [which, { frames: frameCount, draws: frameDraws, warmup: 10 }]);
          times.sort((a, b) => a - b);
          results[which]['frame-loop'] = { median: times[times.length >> 1], min: times[0], max: times[times.length - 1], per: 1, waits: 0 };
          await page.close();
        }
        // wgpu-frame: the same frame written in wgpu, as a component
        // through the package against wgpu's own WebGPU backend.
        const wgpuFrame = {};
        for (const which of ['web', 'component']) {
          const page = await openBench(browser);
          const times = await page.evaluate(([w, o]) => window.runWgpuFrame(w, o), [which, { frames: frameCount, draws: frameDraws, warmup: 10 }]);
          times.sort((a, b) => a - b);
          wgpuFrame[which] = { median: times[times.length >> 1], min: times[0], max: times[times.length - 1], per: 1 };
          await page.close();
        }
        // Time to a first result, from navigation: the median of 9 fresh
        // pages each, the two kinds taken in turn, so that a slow spell of
        // the machine (software WebGPU's device creation varies by 2x from
        // page to page) falls on both alike.
        const first = {};
        const times = { direct: [], guest: [] };
        for (let i = 0; i < FIRST_PAGES; i++) {
          for (const which of ['direct', 'guest']) {
            const fresh = await openBench(browser, `?first=${which}`);
            times[which].push(await fresh.evaluate(() => window.firstResultMs));
            await fresh.close();
          }
        }
        for (const which of ['direct', 'guest']) {
          const sorted = times[which].sort((a, b) => a - b);
          first[which] = { median: sorted[FIRST_PAGES >> 1], min: sorted[0], max: sorted[FIRST_PAGES - 1], per: 1 };
        }
        summary[name] = report(name, browser.version(), results, latencyMs, first, adapter, wgpuFrame);
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
  }
}

// What a page loads of the package and to run a component, and what the
// bytes are (scripts/size.mjs).
const { lines: sizeLines, gzipKb, pageGzipKb } = sizeReport();
const sizes = { shimGzipKb: Number(gzipKb.toFixed(1)), pageGzipKb: pageGzipKb === null ? null : Number(pageGzipKb.toFixed(1)) };
console.log(`\n== shim size\n${sizeLines.join('\n')}`);

const keys = ['hot-call', 'upload-1MiB', 'upload-64MiB', 'readback-4KiB', 'readback-1MiB', 'readback-64MiB', 'draw-frame', 'compute', 'frame-loop', 'first-result', 'wgpu-frame'];
const per = (key) => Object.entries(summary).map(([b, r]) => `${b}=${typeof r[key] === 'string' ? r[key] : fmt(r[key])}`).join(' ');
console.log(`bench: ${keys.map((key) => `${key} ${per(key)}`).join('; ')}; shim-gzip-kb=${gzipKb.toFixed(1)}; page-gzip-kb=${pageGzipKb === null ? 'n/a' : pageGzipKb.toFixed(1)}`);

if (hardware) {
  // GPU figures are not the README's chart (software WebGPU, this repository's machines).
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ figures: keys, ...sizes, hosts: summary }, null, 2) + '\n');
  process.exit();
}

// The README's chart and the figures it is drawn from. Hosts this run did
// not measure (`--host deno`, `--browser x`) keep their figures from before.
const jsonPath = jsonOut ?? join(root, 'docs/images/bench.json');
const previous = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : { hosts: {} };
const measured = Object.fromEntries(Object.entries(summary).map(([h, r]) => [h, { date: new Date().toISOString().slice(0, 10), runs, summary: r }]));
// wgpu-frame compares with wgpu's WebGPU backend, not direct JS: printed, not charted.
const saved = { figures: keys.filter((key) => key !== 'wgpu-frame'), ...sizes, hosts: { ...previous.hosts, ...measured } };
writeFileSync(jsonPath, JSON.stringify(saved, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
writeFileSync(join(root, 'docs/images/bench.svg'), chartOfSaved(saved));
console.log('bench: wrote docs/images/bench.json and docs/images/bench.svg');

