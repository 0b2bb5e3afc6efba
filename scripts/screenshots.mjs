// `npm run screenshots`: runs the drawing example guests headless in
// Chromium (WebGPU on SwiftShader) and writes small PNGs of what they draw
// to docs/images/, for the README. Each picture is the canvas's own pixels,
// copied once a drawn frame shows, never drawn by hand.
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
];

const server = await serve(0);
const browser = await chromium.launch({ ...chromiumLaunch, headless: true });
try {
  for (const [file, guest, [width, height], act] of SHOTS) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/web-tests/pages/run.html?component=${guest}&width=${width}&height=${height}`);
    await page.waitForFunction(() => typeof window.waitForLine === 'function');
    await page.evaluate(() => window.waitForLine('^drawn frame'));
    await act(page);
    // A WebGPU canvas reads back empty between frames now and then: wait
    // for an opaque copy.
    const png = await page.evaluate(async () => {
      const canvas = document.getElementById('surface');
      for (let i = 0; i < 50; i++) {
        const copy = new OffscreenCanvas(canvas.width, canvas.height);
        const context = copy.getContext('2d');
        context.drawImage(canvas, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        if (data.every((v, j) => j % 4 !== 3 || v === 255)) {
          const bytes = new Uint8Array(await (await copy.convertToBlob({ type: 'image/png' })).arrayBuffer());
          return Array.from(bytes);
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
} finally {
  await browser.close();
  server.close();
}
