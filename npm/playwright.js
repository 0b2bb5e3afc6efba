// wasi-webgpu-shim/playwright: test your own wasi:webgpu components in
// headless browsers with @playwright/test.
//
//   // playwright.config.ts
//   import { defineConfig } from '@playwright/test';
//   import { webgpuProjects } from 'wasi-webgpu-shim/playwright';
//   export default defineConfig({ projects: webgpuProjects() });
//
//   // gpu.spec.ts
//   import { test, expect } from 'wasi-webgpu-shim/playwright';
//   test('doubles on the GPU', async ({ runComponent }) => {
//     const run = await runComponent('build/app.wasm', { call: 'double', args: [[1, 2]] });
//     expect(run.result).toEqual([2, 4]);
//   });
import { test as base, expect } from '@playwright/test';
import { findBrowser, playwrightUse } from './cli/browsers.js';
import { runInPage, serveComponent } from './cli/run.js';
import { exportParamTypes, transpileCached } from './cli/transpile.js';

export { expect };
export { chromiumLaunchOptions, firefoxLaunchOptions } from './cli/browsers.js';

/**
 * One Playwright project per browser, with WebGPU switched on: on software
 * WebGPU (Chromium's SwiftShader, Firefox on lavapipe) unless `software:
 * false`, which puts both on the machine's GPU; then `runComponent` stops
 * with `stage: 'adapter'` when the browser gives only a software adapter
 * (or none), unless `allowFallback`. Browsers that are not installed are
 * left out, unless named in `browsers`, so a missing one fails loudly
 * rather than silently.
 */
export function webgpuProjects({ browsers, software = true, allowFallback = false } = {}) {
  const wanted = browsers ?? ['chromium', 'firefox'].filter((b) => findBrowser(b));
  const wasiRequireHardware = !software && !allowFallback;
  return wanted.map((browser) => ({ name: browser, use: { ...playwrightUse(browser, { software }), wasiRequireHardware } }));
}

export const test = base.extend({
  // Set by webgpuProjects({ software: false }): a run on a software adapter is refused.
  wasiRequireHardware: [false, { option: true }],

  // `transpile --readable` for every component of the project: by default
  // the glue is minified, with a source map beside it, as pages ship it.
  wasiReadableGlue: [false, { option: true, scope: 'worker' }],

  // Transpiled components by path, once per worker.
  wasiComponents: [
    async ({ wasiReadableGlue }, use) => {
      const servers = new Map();
      await use(async (component, { instantiation } = {}) => {
        const key = `${component}\0${instantiation ?? ''}`;
        if (!servers.has(key)) {
          const transpiled = transpileCached(component, { ...(instantiation && { instantiation }), ...(wasiReadableGlue && { readable: true }) });
          servers.set(key, { transpiled, server: await serveComponent(transpiled) });
        }
        return servers.get(key);
      });
      for (const { server } of servers.values()) server.close();
    },
    { scope: 'worker' },
  ],

  runComponent: async ({ page, wasiComponents, wasiRequireHardware, browserName }, use) => {
    await use(async (component, { call, args = [], timeout = 60_000, instantiation, wasi } = {}) => {
      if (instantiation !== undefined && instantiation !== 'async') throw new Error(`instantiation is 'async' (jco's instantiation mode), not '${instantiation}'`);
      const { transpiled, server } = await wasiComponents(component, { instantiation });
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      const report = await runInPage(page, { call, args, argTypes: exportParamTypes(transpiled, call), timeout, instantiation, wasi, requireHardware: wasiRequireHardware, browserName });
      return { ...report, imports: { provided: [...transpiled.provided, ...(transpiled.wasi ?? [])], missing: transpiled.missing } };
    });
  },
});
