// Issue 19: guests written for the native runtime (wasi-gfx-runtime on
// wgpu) pass descriptors wgpu accepts and WebGPU rejects. The guest
// (crates/test-guests/native-style) draws a depth-tested scene with each
// one; where the shim reconciles the call, the browser must draw what
// native wgpu draws and the console must say, once, what was changed.
// docs/native-guests.md has the survey these cases come from.
import { test, expect } from './support/fixtures';
import type { Page } from '@playwright/test';

const SIZE = 16;
const BLUE = [0, 0, 255, 255];
const GREEN = [0, 255, 0, 255];
const RED = [255, 0, 0, 255];

/**
 * The scene on the CPU: a blue clear; rows 4..11 hold the green quad
 * (columns 0..11, near) and the red quad (columns 4..15, far, drawn second).
 * With the depth test the overlap is green, without it red.
 */
function scene(depthTest: boolean): number[] {
  const out: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inRows = y >= 4 && y <= 11;
      const green = inRows && x <= 11;
      const red = inRows && x >= 4;
      out.push(...(red && green ? (depthTest ? GREEN : RED) : green ? GREEN : red ? RED : BLUE));
    }
  }
  return out;
}

/** The shim's warnings on `page`'s console, collected from now on. */
function warnings(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('wasi-webgpu-shim: ')) seen.push(message.text());
  });
  return seen;
}

async function call(page: Page, exportName: 'renderCase' | 'checkCase', name: string, times = 1) {
  return page.evaluate(
    async ({ exportName, name, times }) => {
      const guest = await (window as any).loadGuest('native-style');
      const results = [];
      for (let i = 0; i < times; i++) {
        try {
          const value = await guest[exportName](name);
          results.push({ ok: value instanceof Uint8Array ? Array.from(value) : value });
        } catch (e) {
          results.push({ err: String((e as any)?.payload ?? e) });
        }
      }
      return results;
    },
    { exportName, name, times },
  );
}

/** Reconciled render cases: what native wgpu draws, and the warning's start. */
const RECONCILED: [string, boolean, string | null][] = [
  ['webgpu-valid', true, null],
  ['stencil-fields-on-depth24plus', true, 'stencil-load-op, stencil-store-op, stencil-clear-value and stencil-read-only were dropped'],
  ['depth-fields-on-stencil8', false, 'depth-load-op, depth-store-op, depth-clear-value and depth-read-only were dropped'],
  ['bundle-in-stencil-read-only-pass', true, 'stencil-load-op, stencil-store-op, stencil-clear-value and stencil-read-only were dropped'],
  ['empty-execute-bundles', true, 'execute-bundles with no bundles was skipped'],
  ['max-draw-count-zero', true, 'max-draw-count was not passed on'],
  ['stencil-faces-with-zero-masks', true, 'stencil-front and stencil-back were reset to their defaults'],
];

for (const [name, depthTest, warning] of RECONCILED) {
  test(`native-style ${name}: draws what native wgpu draws${warning ? ', and warns once' : ''}`, async ({ guestPage }) => {
    const seen = warnings(guestPage);
    const [first, second] = await call(guestPage, 'renderCase', name, 2);
    expect(first.err).toBeUndefined();
    const expected = scene(depthTest);
    const differing = (first.ok as number[]).filter((v, i) => v !== expected[i]).length;
    console.log(`native-style ${name}: ${differing} of ${SIZE * SIZE * 4} channel values differ from the CPU scene`);
    expect(first.ok).toEqual(expected);
    expect(second.ok).toEqual(expected);
    if (warning) {
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain(warning);
      expect(seen[0]).toMatch(/\(WebGPU: .+\)$/);
    } else {
      expect(seen).toEqual([]);
    }
  });
}

test('native-style stencil-ops-on-read-only-stencil: invalid natively too, so it keeps WebGPU\'s validation error', async ({ guestPage }) => {
  const seen = warnings(guestPage);
  const [result] = await call(guestPage, 'renderCase', 'stencil-ops-on-read-only-stencil');
  expect(result.ok).toBeUndefined();
  // Chromium names stencilLoadOp; Firefox (wgpu) says "LoadOp must be None for read-only attachments".
  expect(result.err).toMatch(/^validation-error: .*(stencil|read-only)/is);
  expect(seen).toEqual([]);
});

test('native-style mapped ranges: overlapping get and set of one mapping all succeed, with the bytes written', async ({ guestPage }) => {
  const [result] = await call(guestPage, 'checkCase', 'overlapping-mapped-ranges');
  const all = Array.from({ length: 32 }, (_, i) => i);
  all.splice(16, 4, 200, 201, 202, 203);
  // The part read before anything was written is zeros.
  expect(result.ok).toBe(`first=[${new Array(16).fill(0).join(', ')}] second=[${all.join(', ')}]`);
});

const CHECKS: [string, string, string][] = [
  ['empty-write-buffer', 'written', 'write-buffer-with-copy of 0 bytes was skipped'],
  ['limit-name-spelling', 'storage-buffers dimension-1d dimension-2d: as the adapter', 'a required-limits name was matched to WebGPU\'s spelling'],
  ['lod-max-clamp-infinity', 'sampler', 'lod-max-clamp of +infinity was replaced by 32'],
];

for (const [name, value, warning] of CHECKS) {
  test(`native-style ${name}: succeeds as natively and warns once`, async ({ guestPage }) => {
    const seen = warnings(guestPage);
    const results = await call(guestPage, 'checkCase', name, 2);
    expect(results).toEqual([{ ok: value }, { ok: value }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(warning);
  });
}

test('native-style offset-alignment-not-power-of-two: left to WebGPU, request-device fails with operation-error', async ({ guestPage }) => {
  const [result] = await call(guestPage, 'checkCase', 'offset-alignment-not-power-of-two');
  expect(result.err).toMatch(/^operation-error: .+/);
});

test('native-style set-label: the label reads back what was set', async ({ guestPage }) => {
  const [result] = await call(guestPage, 'checkCase', 'set-label');
  expect(result.ok).toBe('second');
});

test('a native-style renderer on a surface, stencil fields and all, draws its scene every frame', async ({ page, origin }) => {
  const seen = warnings(page);
  await page.goto(`${origin}/web-tests/pages/run.html?component=native-style`);
  await page.waitForFunction(() => typeof (window as any).waitForLine === 'function');
  // The guest's own error scope around each frame caught nothing.
  expect(await page.evaluate(() => (window as any).waitForLine('^(drawn|gpu-error) frame=2 '))).toBe('drawn frame=2 size=320x240');
  // Sampled every 8 pixels (40 x 30): the quads span rows 60..180 of 240,
  // green columns 0..240 and red 80..320 of 320, green in front.
  const counts = () =>
    page.evaluate(() => {
      // The frame as drawn (run.html keeps each frame: web-tests/pages/frame-snapshot.js).
      const canvas = document.getElementById('surface') as HTMLCanvasElement;
      const data = ((window as any).lastFrame() as OffscreenCanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      const out: Record<string, number> = {};
      for (let y = 0; y < canvas.height; y += 8) {
        for (let x = 0; x < canvas.width; x += 8) {
          const i = (y * canvas.width + x) * 4;
          const key = `${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`;
          out[key] = (out[key] ?? 0) + 1;
        }
      }
      return out;
    });
  await expect.poll(counts).toEqual({ '0,0,255,255': 600, '0,255,0,255': 450, '255,0,0,255': 150 });
  const stats = await counts();
  console.log(`native-style surface: ${JSON.stringify(stats)} of 1200 samples (blue clear, green near, red far)`);
  expect(seen.filter((w) => w.includes('stencil-load-op'))).toHaveLength(1);
});
