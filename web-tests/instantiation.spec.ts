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

test('two components draw different scenes into two canvases side by side, each given its canvas with its imports', async ({ page, origin }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/web-tests/pages/two-canvases.html`);
  await page.waitForFunction(() => (window as any).started !== undefined);
  await page.evaluate(() => (window as any).started);
  const lines = (name: string) => page.evaluate((n) => (window as any).lines[n] as string[], name);
  // Each guest's first frame names the size of its own canvas.
  await expect.poll(async () => (await lines('scene')).find((l) => l.startsWith('drawn'))).toBe('drawn frame=1 size=96x64 background=black square=none');
  await expect.poll(async () => (await lines('pixels')).find((l) => l.startsWith('drawn'))).toBe('drawn frame=1 size=64x48 presses=0 roundtrip=exact');
  // The scene is black; the frame buffer's pattern is (x*4, y*4) in red and green (as RGBA: B=0, G=y*4, R=x*4).
  await expect.poll(() => page.evaluate(() => (window as any).readPixel('scene', 10, 10))).toEqual([0, 0, 0, 255]);
  await expect.poll(() => page.evaluate(() => (window as any).readPixel('pixels', 10, 20))).toEqual([0, 80, 40, 255]);
  // Neither used the page's default canvas, and no canvas was added.
  expect(await page.evaluate(() => document.querySelectorAll('canvas').length)).toBe(2);
  expect(errors).toEqual([]);
});
