// Start-up: what a page fetches, in what order. The package's entry starts
// its wasm before it loads the rest of its JS (npm/index.js), and the
// transpiled guest starts its core modules before the package has loaded
// (npm/cli/prefetch.js), so the downloads and compiles overlap. Orders of
// request starts, not durations: each follows from which module's code runs
// first, on any machine.
import { test, expect } from './support/fixtures';

test('the guest\'s core modules and the shim\'s wasm are requested before the shim\'s JS arrives, and the guest computes on the GPU', async ({ page, origin }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/web-tests/pages/start-up.html`);
  await page.waitForFunction(() => (window as any).requests !== undefined, null, { timeout: 30_000 });
  const { steps, requests } = await page.evaluate(() => ({ steps: (window as any).steps, requests: (window as any).requests }));
  expect(errors).toEqual([]);
  // Collatz steps computed by the GPU: 27 takes 111, 97 takes 118.
  expect(steps).toEqual([111, 118]);
  const at = (suffix: string) => {
    const found = requests.filter((r: { path: string }) => r.path.endsWith(suffix));
    expect(found, `one request for ${suffix} in ${requests.map((r: { path: string }) => r.path).join(', ')}`).toHaveLength(1);
    return found[0] as { start: number; end: number };
  };
  const entry = at('/npm/dist/index.js');
  const shimJs = at('/npm/dist/shim.js');
  const shimWasm = at('/npm/dist/pkg/wasi_webgpu_shim_bg.wasm');
  const core = at('/hello-collatz/hello-collatz.core.wasm');
  // The page loads the package's two modules and its wasm, nothing else of it.
  expect(requests.filter((r: { path: string }) => r.path.startsWith('/npm/dist/')).map((r: { path: string }) => r.path).sort())
    .toEqual(['/npm/dist/index.js', '/npm/dist/pkg/wasi_webgpu_shim_bg.wasm', '/npm/dist/shim.js']);
  // The entry asks for the wasm first, then for the JS it compiles beside.
  expect(shimWasm.start).toBeGreaterThanOrEqual(entry.end);
  expect(shimWasm.start).toBeLessThanOrEqual(shimJs.start);
  // The guest's core module is asked for before the entry runs (the
  // prefetch module runs first), so before the shim's wasm.
  expect(core.start).toBeLessThanOrEqual(shimWasm.start);
  expect(core.start).toBeLessThan(shimJs.end);
});
