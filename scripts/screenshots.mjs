// `npm run screenshots`: runs the drawing example guests headless in
// Chromium (WebGPU on SwiftShader) and writes small PNGs of what they draw
// to docs/images/, for the README: the raw-binding examples and the wgpu
// programs (a triangle, the egui app after a click and some typing, and the
// scene, which renders offscreen and returns its pixels). Each picture is
// the guest's own pixels, never drawn by hand.
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../web-tests/support/browsers.mjs';
import { serve } from '../web-tests/support/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** [file, guest, canvas CSS size, what to do once it draws (the scene's own input)] */
const SHOTS = [
  ['surface-scene.png', 'surface-scene', [240, 160], async (page) => {
    // A click puts the square there; G makes the background green.
    await page.locator('#surface').click({ position: { x: 120, y: 80 } });
    await page.evaluate(() => window.waitForLine('square=120,80$'));
    await page.keyboard.press('KeyG');
    await page.evaluate(() => window.waitForLine('background=green square=120,80$'));
  }],
  ['frame-buffer-pixels.png', 'frame-buffer-pixels', [128, 96], async (page) => {
    // A press adds red to the whole pattern.
    await page.locator('#surface').click({ position: { x: 10, y: 10 } });
    await page.evaluate(() => window.waitForLine('presses=1'));
  }],
  ['wgpu-triangle.png', 'wgpu-triangle', [320, 240], async (page) => {
    await page.evaluate(() => window.waitForLine('^drawn frame 3$'));
  }],
  ['wgpu-egui.png', 'wgpu-egui', [320, 240], async (page) => {
    // The button once (the panel turns green), then text in the field (the
    // swatch turns orange): crates/examples/wgpu-egui.
    await page.locator('#surface').click({ position: { x: 92, y: 32 } });
    await page.evaluate(() => window.waitForLine('^clicked 1$'));
    await page.locator('#surface').click({ position: { x: 100, y: 76 } });
    await page.evaluate(() => window.waitForLine('^text field focused$'));
    // At a typist's pace: the surface keeps five key events for a reader
    // that falls behind, as the native runtime does.
    await page.keyboard.type('wasi:webgpu', { delay: 40 });
    await page.evaluate(() => window.waitForLine('^text: wasi:webgpu$'));
  }],
];

/** [file, guest, size]: guests that return RGBA pixels from `render(size)`. */
const RENDERS = [['wgpu-scene.png', 'wgpu-scene', 128]];

const server = await serve(0);
const browser = await chromium.launch({ ...chromiumLaunch, headless: true });
try {
  for (const [file, guest, [width, height], act] of SHOTS) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/run.html?component=${guest}&width=${width}&height=${height}`);
    await page.waitForFunction(() => typeof window.waitForLine === 'function');
    await page.evaluate(() => window.waitForLine('^drawn frame'));
    await act(page);
    // The last frame as drawn (web-tests/pages/frame-snapshot.js copies
    // each in the task that submits it): wait for an opaque one.
    const png = await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) {
        const frame = window.lastFrame();
        const { width, height } = frame.canvas;
        const { data } = frame.getImageData(0, 0, width, height);
        if (data.every((v, j) => j % 4 !== 3 || v === 255)) {
          const copy = new OffscreenCanvas(width, height);
          copy.getContext('2d').drawImage(frame.canvas, 0, 0);
          return Array.from(new Uint8Array(await (await copy.convertToBlob({ type: 'image/png' })).arrayBuffer()));
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return null;
    });
    if (!png) throw new Error(`screenshots: ${guest} never showed an opaque frame`);
    writeFileSync(join(root, 'docs/images', file), Buffer.from(png));
    console.log(`screenshots: wrote docs/images/${file} (${width}x${height}, ${png.length} bytes)`);
    await page.close();
  }
  for (const [file, guest, size] of RENDERS) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/guest.html`);
    await page.waitForFunction(() => typeof window.loadGuest === 'function');
    const png = await page.evaluate(async ({ guest, size }) => {
      const component = await window.loadGuest(guest);
      const pixels = new Uint8ClampedArray(await component.render(size));
      const canvas = new OffscreenCanvas(size, size);
      canvas.getContext('2d').putImageData(new ImageData(pixels, size, size), 0, 0);
      return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer()));
    }, { guest, size });
    writeFileSync(join(root, 'docs/images', file), Buffer.from(png));
    console.log(`screenshots: wrote docs/images/${file} (${size}x${size}, ${png.length} bytes)`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
