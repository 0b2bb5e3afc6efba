// The main job: the example guest component computes a matrix product on
// WebGPU in headless Chromium (through jco and this shim), and the result
// is printed and checked against the same product computed here on the CPU.
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';


const [m, k, n] = [4, 3, 5];
const a = Array.from({ length: m * k }, (_, i) => i + 1);
const b = Array.from({ length: k * n }, (_, i) => (i % 4) - 1.5);
const scale = 0.5;

const server = await serve(0);
const browser = await chromium.launch(chromiumLaunch);
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/guest.html`);
  await page.waitForFunction(() => typeof window.loadGuest === 'function');
  const run = await page.evaluate(async ({ m, k, n, a, b, scale }) => {
    const adapter = await navigator.gpu?.requestAdapter();
    const info = adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() : 'none';
    const guest = await window.loadGuest('compute-matmul');
    try {
      const c = await guest.matmul(m, k, n, new Float32Array(a), new Float32Array(b), scale, false);
      return { info, c: Array.from(c) };
    } catch (e) {
      return { info, error: String(e?.payload ?? e) };
    }
  }, { m, k, n, a, b, scale });

  console.log(`demo: compute-matmul.wasm (imports wasi:webgpu/webgpu@0.3.0-rc.2), transpiled by jco, on ${browser.browserType().name()} ${browser.version()}, WebGPU adapter: ${run.info}`);
  if (run.error) {
    console.error(`demo: the guest returned an error: ${run.error}`);
    process.exit(1);
  }
  const matrix = (values, cols) =>
    Array.from({ length: values.length / cols }, (_, r) => '  [' + values.slice(r * cols, r * cols + cols).map((v) => String(v).padStart(6)).join(' ') + ' ]').join('\n');
  console.log(`A (${m}x${k}):\n${matrix(a, k)}\nB (${k}x${n}):\n${matrix(b, n)}\nC = ${scale} * A * B, computed on the GPU:\n${matrix(run.c, n)}`);
  let wrong = 0;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += a[r * k + i] * b[i * n + c];
      if (Math.abs(run.c[r * n + c] - scale * sum) > 1e-4) wrong++;
    }
  }
  console.log(wrong ? `demo: ${wrong} of ${m * n} values differ from the CPU` : `demo: verified, all ${m * n} values equal the CPU's result`);
  process.exitCode = wrong ? 1 : 0;
} finally {
  await browser.close();
  server.close();
}
