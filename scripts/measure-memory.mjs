// `npm run measure:memory [-- iterations]`: a guest creates and drops a
// buffer, a texture, a view, a sampler and a bind group `iterations` times
// (default 100000), twice, in each browser; prints the shim's wasm memory
// and the page's JS heap (Chromium only: Firefox has no API for it) after
// a warm-up and after each round.
import { chromium, firefox } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';
import { churnMemory } from '../web-tests/support/measure.mjs';

const iterations = Number(process.argv[2] ?? 100_000);
const server = await serve(0);
const mb = (bytes) => (bytes === null ? 'n/a' : `${(bytes / 1048576).toFixed(2)} MiB`);
try {
  for (const [name, type, options] of [['chromium', chromium, chromiumLaunch], ['firefox', firefox, { channel: 'moz-firefox', ...firefoxLaunch }]]) {
    const browser = await type.launch(options);
    try {
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
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
