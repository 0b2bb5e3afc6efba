// The package's own WASI (npm/wasi/) where the CLI's runner is not: in a
// module worker, and one WASI per instance in instantiation mode. The CLI's
// runs in Chromium, Firefox and Deno are web-tests/node/cli-wasi.test.mjs.
import { test, expect } from './support/fixtures';

import { stdioStartLines as START } from './support/printed.mjs';

test('in a module worker, a wasm32-wasip2 guest prints every line in order, stderr apart, and 100 dropped stdout streams lose none', async ({ page, origin }) => {
  await page.goto(`${origin}/web-tests/pages/guest.html`);
  const result = await page.evaluate(
    () =>
      new Promise<any>((resolve) => {
        const worker = new Worker('/web-tests/pages/wasi-worker.js', { type: 'module' });
        worker.onerror = (event) => resolve({ error: event.message });
        worker.onmessage = ({ data }) => (data.ready ? worker.postMessage({ run: true }) : resolve(data));
      }),
  );
  expect(result.error).toBeUndefined();
  const stdout = result.lines.filter(([kind]: string[]) => kind === 'stdout').map(([, line]: string[]) => line);
  const stderr = result.lines.filter(([kind]: string[]) => kind === 'stderr').map(([, line]: string[]) => line);
  const cycles = Array.from({ length: 100 }, (_, i) => `cycle ${i}`);
  expect(stdout).toEqual([...START('["wasi-stdio", "in-a-worker"]', 'Some("from the worker")'), ...cycles, 'partial stdout']);
  expect(stderr).toEqual(['this line goes to stderr', 'partial stderr']);
});

test('in instantiation mode, each instance has its own WASI: its own arguments and output', async ({ page, origin }) => {
  await page.goto(`${origin}/web-tests/pages/wasi-instances.html`);
  await page.waitForFunction(() => (window as any).pageReady === true, null, { timeout: 30_000 });
  const lines = await page.evaluate(() => (window as any).runTwo());
  expect(lines[0]).toEqual(START('["instance-0"]', 'None'));
  expect(lines[1]).toEqual([...START('["instance-1"]', 'None'), 'cycle 0', 'cycle 1', 'cycle 2']);
});
