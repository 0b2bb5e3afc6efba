// `transpile --instantiation async` (jco's instantiation mode): an embedder
// passes the package and its own imports to each instance. The output is
// the package's transpile, so it is on the fast path in both projects.
import { test, expect } from './support/fixtures';

test('two instances in instantiation mode compute on the GPU, each printing through its own imports, on raw bindings', async ({ page, origin }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/web-tests/pages/instantiate.html`);
  await page.waitForFunction(() => (window as any).pageReady === true, null, { timeout: 30_000 });
  const { first, second, lines, lowered } = await page.evaluate(() => (window as any).runTwo());
  expect(errors).toEqual([]);
  // Collatz steps computed by the GPU: 27 takes 111, 7 takes 16, 97 takes 118.
  expect(first).toEqual([111]);
  expect(second).toEqual([16, 118]);
  // start printed through the first instance's print only.
  expect(lines).toEqual([['collatz steps for [1, 2, 3, 4, 5, 6, 7, 8, 27]: [0, 1, 7, 2, 5, 8, 16, 3, 111]'], []]);
  // The compute pass ran on the raw bindings.
  expect(lowered).toContain('[method]gpu-compute-pass-encoder.dispatch-workgroups');
  expect(lowered).toContain('[method]gpu-queue.submit');
});
