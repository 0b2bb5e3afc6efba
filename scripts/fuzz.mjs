// `npm run fuzz [-- seeds calls guest-calls] [--jitter] [--browser NAME] [--bindings hybrid]`:
// the robustness harness with many seeds, in both browsers (or one).
// Defaults: 50 seeds x 2000 direct calls and 2000 calls from the robustness
// guest (100,000 of each per browser). Prints the totals and every failure;
// exits 1 if any.
//
// --jitter: the guest's glue is served with its async scheduling shaken:
// each async host operation settles after a random delay (none, up to 4 ms
// or up to 40 ms), and half of the runtime's next-task hand-backs and
// re-ticks become timers of up to 6 ms. Every order this allows is one a
// loaded machine can produce; it makes rare interleavings common enough to
// find (see docs/performance.md, "Async imports").
//
// --bindings hybrid: the guest as the package's transpile writes it by
// default (raw bindings, pass commands held by the recorder) instead of
// jco's default glue. The shaken glue is the
// built glue's readable text (its source map's), which the patches anchor in.
import { join } from 'node:path';
import { chromium, firefox } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';
import { fuzzDirect, fuzzGuest, withJitter } from '../web-tests/support/measure.mjs';
import { readableGlue } from '../web-tests/support/glue.mjs';

const options = process.argv.slice(2);
const jitter = options.includes('--jitter');
const onlyBrowser = options.includes('--browser') ? options[options.indexOf('--browser') + 1] : null;
const bindings = options.includes('--bindings') ? options[options.indexOf('--bindings') + 1] : 'js';
if (!['js', 'hybrid'].includes(bindings)) throw new Error(`fuzz: --bindings is js or hybrid, not ${bindings}`);
if (jitter && bindings === 'hybrid') throw new Error('fuzz: --jitter shakes the default glue (web-tests/build/robustness/); use it without --bindings hybrid');
const positional = options.filter((arg, i) => !arg.startsWith('--') && options[i - 1] !== '--browser' && options[i - 1] !== '--bindings');
const [seeds, calls, guestCalls] = [positional[0] ?? 50, positional[1] ?? 2000, positional[2] ?? 2000].map(Number);

const server = await serve(0, { bindings });
let bad = 0;
try {
  for (const [name, type, launch] of [['chromium', chromium, chromiumLaunch], ['firefox', firefox, { channel: 'moz-firefox', ...firefoxLaunch }]]) {
    if (onlyBrowser && name !== onlyBrowser) continue;
    const browser = await type.launch(launch);
    const totals = { direct: 0, guest: 0, witErrors: 0, uncaptured: {}, failures: [] };
    const started = Date.now();
    try {
      for (let seed = 1; seed <= seeds; seed++) {
        const page = await browser.newPage();
        if (jitter) {
          await page.route('**/web-tests/build/robustness/robustness.js', async (route) => {
            const response = await route.fetch();
            const readable = readableGlue(join(import.meta.dirname, '../web-tests/build/robustness/robustness.js'));
            await route.fulfill({ response, body: withJitter(readable) });
          });
        }
        await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/guest.html`);
        await page.waitForFunction(() => typeof window.loadGuest === 'function');
        const direct = await fuzzDirect(page, seed, calls);
        const viaGuest = guestCalls ? await fuzzGuest(page, seed, guestCalls) : { calls: 0, violations: [] };
        const seen = await page.evaluate(() => window.__watch.summary());
        await page.close();
        totals.direct += direct.calls;
        totals.guest += viaGuest.calls ?? 0;
        totals.witErrors += Object.values(direct.witErrors).reduce((a, b) => a + b, 0);
        for (const [k, v] of Object.entries(seen.uncaptured)) totals.uncaptured[k] = (totals.uncaptured[k] ?? 0) + v;
        const failures = [
          ...direct.failures.map((f) => `direct: ${f.what}: ${f.detail}`),
          ...(viaGuest.trapped ? [`guest trapped: ${viaGuest.trapped}`] : []),
          ...(viaGuest.violations ?? []).map((v) => `guest: ${v}`),
          ...seen.samples.map((s) => `page: ${s}`),
        ];
        if (seen.panics || seen.unhandledRejections) failures.push(`page: ${seen.panics} panics, ${seen.unhandledRejections} unhandled rejections`);
        for (const f of failures) totals.failures.push(`seed ${seed}: ${f}`);
      }
    } finally {
      await browser.close();
    }
    console.log(`${name}${jitter ? ' (jitter)' : ''}${bindings === 'hybrid' ? ' (hybrid)' : ''}: ${seeds} seeds, ${totals.direct} direct calls and ${totals.guest} guest calls in ${((Date.now() - started) / 1000).toFixed(0)} s; ${totals.witErrors} WIT error results; uncaptured ${JSON.stringify(totals.uncaptured)}; ${totals.failures.length} failures`);
    for (const f of totals.failures.slice(0, 20)) console.log(`  ${f}`);
    bad += totals.failures.length;
  }
} finally {
  server.close();
}
process.exitCode = bad ? 1 : 0;
