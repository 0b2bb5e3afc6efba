// Issue 8: the package as a bundler sees it. web-tests/vite-app imports the
// package and a component transpiled by the package's CLI code; the build
// bundles both for production (scripts/build.mjs), and this runs the result.
import { test, expect } from './support/fixtures';

test('a Vite production build of the package and a transpiled component computes on the GPU', async ({ page, origin }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/web-tests/build/vite-app/index.html`);
  await page.waitForFunction(() => (window as any).result !== undefined, null, { timeout: 30_000 });
  const { result, lines, scripts } = await page.evaluate(() => ({
    result: (window as any).result,
    lines: (window as any).lines,
    // What the page loaded: the bundle, not the sources.
    scripts: Array.from(document.scripts, (s) => s.src),
  }));
  expect(errors).toEqual([]);
  expect(result.error).toBeUndefined();
  expect(lines).toEqual(['collatz steps for [1, 2, 3, 4, 5, 6, 7, 8, 27]: [0, 1, 7, 2, 5, 8, 16, 3, 111]']);
  expect(result.steps).toEqual([111, 118]);
  expect(['rgba8unorm', 'bgra8unorm']).toContain(result.format);
  expect(scripts.some((src) => /\/assets\/index-[\w-]+\.js$/.test(src))).toBe(true);
});
