// Issue 6: wasi-gfx surface, surface-webgpu and frame-buffer on a canvas.
// The guests (crates/surface-scene, crates/frame-buffer-pixels) are
// written only against the WIT; pages/run.html runs them with a canvas and
// a log, and reads pixels back from the canvas.
import { test, expect } from './support/fixtures';
import type { Page } from '@playwright/test';

type Pixel = [number, number, number, number];

async function run(page: Page, origin: string, component: string, size = '') {
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${origin}/web-tests/pages/run.html?component=${component}${size}`);
  await page.waitForFunction(() => typeof (window as any).waitForLine === 'function');
}

/** Waits for a printed line matching `pattern`, from the `from`th line on; returns it. */
const line = (page: Page, pattern: string, from = 0): Promise<string> =>
  page.evaluate(([p, f]) => (window as any).waitForLine(p, f), [pattern, from] as const);
const logLength = (page: Page): Promise<number> => page.evaluate(() => (window as any).runLog.length);
const pixel = (page: Page, x: number, y: number): Promise<Pixel> =>
  page.evaluate(([x, y]) => (window as any).readPixel(x, y), [x, y] as const);

/** Counts of each distinct colour over a grid of `step`-spaced samples. */
async function colourCounts(page: Page, step: number): Promise<Record<string, number>> {
  return page.evaluate((step) => {
    const canvas = document.getElementById('surface') as HTMLCanvasElement;
    const data = ((window as any).lastFrame() as OffscreenCanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    const counts: Record<string, number> = {};
    for (let y = 0; y < canvas.height; y += step) {
      for (let x = 0; x < canvas.width; x += step) {
        const i = (y * canvas.width + x) * 4;
        const key = `${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
    return counts;
  }, step);
}

/**
 * Runs `component` (transpiled for workers, see build.mjs) in a worker on
 * `canvas` (an OffscreenCanvas, or a canvas element made and transferred
 * with that size), waits for its first drawn frame and reads the pixel at
 * `at` there until it is opaque (a WebGPU canvas reads back transparent
 * between frames now and then, in Chromium), at most 20 times.
 */
async function runInWorker(page: Page, origin: string, component: string, canvas: 'offscreen' | [number, number], at: [number, number]) {
  await page.goto(`${origin}/web-tests/pages/run.html?component=none`);
  return page.evaluate(
    async ({ component, canvas, at }) => {
      let offscreen: OffscreenCanvas;
      if (canvas === 'offscreen') {
        offscreen = new OffscreenCanvas(1, 1);
      } else {
        const element = document.createElement('canvas');
        [element.width, element.height] = canvas;
        document.body.append(element);
        offscreen = element.transferControlToOffscreen();
      }
      const worker = new Worker('/web-tests/pages/surface-worker.js', { type: 'module' });
      await new Promise<void>((resolve) => worker.addEventListener('message', ({ data }) => data.ready && resolve()));
      const lines: string[] = [];
      const next = (test: (data: any) => boolean) =>
        new Promise<any>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker log: ${lines.join(' | ')}`)), 20000);
          const listener = ({ data }: MessageEvent) => {
            if (data.line) lines.push(data.line);
            if (test(data)) {
              clearTimeout(timer);
              worker.removeEventListener('message', listener);
              resolve(data);
            }
          };
          worker.addEventListener('message', listener);
        });
      const drawn = next((d) => /^drawn frame/.test(d.line ?? ''));
      worker.postMessage({ run: component, canvas: offscreen }, [offscreen]);
      const first = await drawn;
      let got: any;
      for (let attempt = 0; attempt < 20 && got?.pixel?.[3] !== 255; attempt++) {
        const read = next((d) => d.pixel);
        worker.postMessage({ read: at });
        got = await read;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      worker.terminate();
      return { first: first.line as string, pixel: got.pixel, size: got.size, lines };
    },
    { component, canvas, at },
  );
}

const BLACK: Pixel = [0, 0, 0, 255];
const RED: Pixel = [255, 0, 0, 255];
const GREEN: Pixel = [0, 255, 0, 255];
const BLUE: Pixel = [0, 0, 255, 255];
const WHITE: Pixel = [255, 255, 255, 255];

test.describe('rendering guest on a surface', () => {
  test('runs its hot calls raw on the hybrid path while its event streams stay on jco\'s glue', async ({ page, origin, bindings }) => {
    await run(page, origin, 'surface-scene');
    await line(page, '^drawn frame=\\d+ size=320x240 background=black square=none$');
    const from = await logLength(page);
    await page.locator('#surface').click({ position: { x: 50, y: 40 } });
    // The click came through the pointer stream and the square was drawn.
    await line(page, '^drawn .* square=50,40$', from);
    await expect.poll(() => pixel(page, 50, 40)).toEqual(WHITE);
    const lowered: string[] = await page.evaluate(async () => (await import('/npm/dist/index.js' as string)).loweredFunctions());
    if (bindings === 'hybrid') {
      expect(lowered.sort()).toEqual([
        '[method]gpu-command-encoder.begin-render-pass',
        '[method]gpu-queue.submit',
        '[method]gpu-render-pass-encoder.draw',
        '[method]gpu-render-pass-encoder.end',
        '[method]gpu-render-pass-encoder.set-pipeline',
        '[method]gpu-render-pass-encoder.set-scissor-rect',
      ]);
    } else {
      expect(lowered).toEqual([]);
    }
  });

  test('draws its scene, moves the square to a click, changes colour on keys and follows a resize', async ({ page, origin }) => {
    await run(page, origin, 'surface-scene');
    await line(page, '^drawn frame=\\d+ size=320x240 background=black square=none$');
    // Every sampled pixel is the background. The canvas shows a frame once
    // the browser has presented it, so reads poll.
    await expect.poll(() => colourCounts(page, 8)).toEqual({ '0,0,0,255': 40 * 30 });

    const canvas = page.locator('#surface');
    let from = await logLength(page);
    await canvas.click({ position: { x: 100, y: 80 } });
    expect(await line(page, '^pointer-down ', from)).toBe('pointer-down 100,80');
    await line(page, '^drawn .* square=100,80$', from);
    // A 32-pixel square centred on the click: [84, 116) x [64, 96).
    await expect.poll(() => pixel(page, 100, 80)).toEqual(WHITE);
    await expect.poll(() => pixel(page, 84, 64)).toEqual(WHITE);
    await expect.poll(() => pixel(page, 115, 95)).toEqual(WHITE);
    await expect.poll(() => pixel(page, 83, 80)).toEqual(BLACK);
    await expect.poll(() => pixel(page, 116, 80)).toEqual(BLACK);
    await expect
      .poll(() => colourCounts(page, 1))
      .toEqual({ '255,255,255,255': 32 * 32, '0,0,0,255': 320 * 240 - 32 * 32 });

    from = await logLength(page);
    await page.keyboard.press('KeyG');
    expect(await line(page, '^key ', from)).toBe('key Some(Key::KeyG) text=Some("g") shift=false ctrl=false alt=false meta=false');
    await line(page, '^drawn .* background=green square=100,80$', from);
    await expect.poll(() => pixel(page, 5, 5)).toEqual(GREEN);
    await expect.poll(() => pixel(page, 100, 80)).toEqual(WHITE);

    from = await logLength(page);
    await page.keyboard.press('Shift+KeyR');
    expect(await line(page, '^key Some\\(Key::ShiftLeft\\)', from)).toBe('key Some(Key::ShiftLeft) text=None shift=true ctrl=false alt=false meta=false');
    expect(await line(page, '^key Some\\(Key::KeyR\\)', from)).toBe('key Some(Key::KeyR) text=Some("R") shift=true ctrl=false alt=false meta=false');
    await line(page, '^drawn .* background=red ', from);
    await expect.poll(() => pixel(page, 300, 200)).toEqual(RED);

    from = await logLength(page);
    await page.keyboard.press('Space');
    await line(page, '^drawn .* background=green ', from);
    await page.keyboard.press('Space');
    await line(page, '^drawn .* background=blue ', from);

    // The page makes the canvas wider; the guest hears of it and its next
    // frame has the new size, drawn all the way across.
    from = await logLength(page);
    await page.evaluate(() => {
      document.getElementById('surface')!.style.width = '400px';
    });
    expect(await line(page, '^resized ', from)).toBe('resized 400x240');
    await line(page, '^drawn .* size=400x240 background=blue square=100,80$', from);
    expect(await page.evaluate(() => (document.getElementById('surface') as HTMLCanvasElement).width)).toBe(400);
    await expect.poll(() => pixel(page, 399, 239)).toEqual(BLUE);
    await expect.poll(() => pixel(page, 100, 80)).toEqual(WHITE);
    expect(await page.evaluate(() => (window as any).runFailed)).toBeUndefined();
  });

  test('runs in a worker on an OffscreenCanvas', async ({ page, origin }) => {
    const result = await runInWorker(page, origin, 'surface-scene-worker', [96, 64], [10, 10]);
    expect(result.first).toBe('drawn frame=1 size=96x64 background=black square=none');
    expect(result.size).toEqual([96, 64]);
    expect(result.pixel).toEqual(BLACK);
    expect(result.lines.filter((l: string) => l.startsWith('[run] failed'))).toEqual([]);
  });
});

test.describe('frame-buffer guest', () => {
  /** The guest's pattern as the canvas shows it: RGBA from its B, G, R bytes. */
  const expected = (x: number, y: number, presses: number): Pixel => [(presses * 64) & 255, (y * 4) & 255, (x * 4) & 255, 255];

  test('pixels set through the frame buffer reach the canvas exactly and come back byte for byte', async ({ page, origin }) => {
    await run(page, origin, 'frame-buffer-pixels', '&width=64&height=48');
    expect(await line(page, '^drawn frame')).toBe('drawn frame=1 size=64x48 presses=0 roundtrip=exact');
    const whole = () =>
      page.evaluate(() => {
        const canvas = document.getElementById('surface') as HTMLCanvasElement;
        return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
      });
    const want = (presses: number) => {
      const out: number[] = [];
      for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) out.push(...expected(x, y, presses));
      return out;
    };
    await expect.poll(whole).toEqual(want(0));

    // A press changes the pattern's red; the next frame shows it.
    const from = await logLength(page);
    await page.locator('#surface').click({ position: { x: 20, y: 20 } });
    expect(await line(page, '^drawn frame', from)).toMatch(/^drawn frame=\d+ size=64x48 presses=1 roundtrip=exact$/);
    await expect.poll(whole).toEqual(want(1));
  });

  test('a frame of the wrong length gets a clear error and leaves the previous frame', async ({ page, origin }) => {
    await run(page, origin, 'frame-buffer-pixels', '&width=64&height=48');
    expect(await line(page, '^wrong-length set')).toBe('wrong-length set: previous frame kept=true');
    expect(await page.evaluate(() => (window as any).gfxErrors)).toEqual([
      'frame-buffer set-with-copy: 12287 bytes for a 64x48 surface, which takes 12288 (4 bytes per pixel: blue, green, red, unused); frame ignored',
    ]);
    await expect.poll(() => pixel(page, 63, 47)).toEqual(expected(63, 47, 0));
    expect(await page.evaluate(() => (window as any).runFailed)).toBeUndefined();
  });

  test('runs in a worker on an OffscreenCanvas', async ({ page, origin }) => {
    const result = await runInWorker(page, origin, 'frame-buffer-pixels-worker', 'offscreen', [10, 20]);
    // An OffscreenCanvas has no layout: the guest's requested 64x48 is its size.
    expect(result.first).toBe('drawn frame=1 size=64x48 presses=0 roundtrip=exact');
    expect(result.size).toEqual([64, 48]);
    expect(result.pixel).toEqual(expected(10, 20, 0));
  });
});

test.describe('surface classes called directly', () => {
  test('request-set-size resizes in device pixels and reaches on-resize; keys, pointers and frames; dropped streams unregister', async ({ page, origin }) => {
    await page.goto(`${origin}/web-tests/pages/run.html?component=none`);
    const got = await page.evaluate(async () => {
      const shim = await import('/npm/dist/index.js' as string);
      const canvas = document.createElement('canvas');
      canvas.style.width = '50px';
      canvas.style.height = '40px';
      document.body.append(canvas);
      // Count the listeners the surface keeps on its canvas.
      const listening = new Map<string, number>();
      const add = canvas.addEventListener.bind(canvas);
      const remove = canvas.removeEventListener.bind(canvas);
      canvas.addEventListener = (type: string, ...rest: any[]) => {
        listening.set(type, (listening.get(type) ?? 0) + 1);
        return (add as any)(type, ...rest);
      };
      canvas.removeEventListener = (type: string, ...rest: any[]) => {
        listening.set(type, (listening.get(type) ?? 0) - 1);
        return (remove as any)(type, ...rest);
      };
      shim.setSurfaceOptions({ canvas });
      const surface = new shim.surface.Surface({});
      const before = [surface.width(), surface.height()];
      const resizes = surface.onResize().getReader();
      const downs = surface.onPointerDown().getReader();
      const keys = surface.onKeyDown().getReader();
      const whileOpen = Object.fromEntries(listening);
      surface.requestSetSize(30, 70);
      const resized = (await resizes.read()).value;
      const after = [surface.width(), surface.height(), canvas.style.width, canvas.style.height];
      // Keys: the WIT case from `code`, the text only for a typed character.
      const keyOf = async (init: KeyboardEventInit) => {
        canvas.dispatchEvent(new KeyboardEvent('keydown', init));
        return (await keys.read()).value;
      };
      const typed = await keyOf({ code: 'KeyA', key: 'a' });
      const named = await keyOf({ code: 'NumpadEnter', key: 'Enter', shiftKey: true, ctrlKey: true });
      const unknown = await keyOf({ code: 'F13', key: 'F13', altKey: true, metaKey: true });
      // Pointers: canvas pixels from its top-left; a slow reader of moves
      // gets only the latest.
      const moves = surface.onPointerMove().getReader();
      const ups = surface.onPointerUp().getReader();
      const rect = canvas.getBoundingClientRect();
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + 10, clientY: rect.top + 5 }));
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + 20, clientY: rect.top + 6 }));
      canvas.dispatchEvent(new PointerEvent('pointerup', { clientX: rect.left + 3, clientY: rect.top + 4 }));
      const pointers = [(await moves.read()).value, (await ups.read()).value];
      const frames = surface.onFrame().getReader();
      const frameEvents = [(await frames.read()).value, (await frames.read()).value];
      await Promise.all([resizes.cancel(), downs.cancel(), keys.cancel(), moves.cancel(), ups.cancel(), frames.cancel()]);
      const afterDrop = Object.fromEntries(listening);
      return { before, resized, after, typed, named, unknown, pointers, frameEvents, whileOpen, afterDrop };
    });
    expect(got.before).toEqual([50, 40]);
    expect(got.resized).toEqual({ height: 30, width: 70 });
    expect(got.after).toEqual([70, 30, '70px', '30px']);
    expect(got.typed).toEqual({ key: 'key-a', text: 'a', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false });
    expect(got.named).toEqual({ key: 'numpad-enter', text: undefined, altKey: false, ctrlKey: true, metaKey: false, shiftKey: true });
    expect(got.unknown).toEqual({ key: undefined, text: undefined, altKey: true, ctrlKey: false, metaKey: true, shiftKey: false });
    expect(got.whileOpen).toEqual({ pointerdown: 1, keydown: 1 });
    expect(got.pointers).toEqual([{ x: 20, y: 6 }, { x: 3, y: 4 }]);
    expect(got.frameEvents).toEqual([{ nothing: true }, { nothing: true }]);
    expect(got.afterDrop).toEqual({ pointerdown: 0, keydown: 0, pointermove: 0, pointerup: 0 });
  });

  test('bad configurations and an unconfigured surface give validation errors, never exceptions', async ({ page, origin }) => {
    await page.goto(`${origin}/web-tests/pages/run.html?component=none`);
    const got = await page.evaluate(async () => {
      const shim = await import('/npm/dist/index.js' as string);
      const device = await (await shim.getGpu().requestAdapter()).requestDevice();
      const scoped = async (work: () => unknown) => {
        device.pushErrorScope('validation');
        const value = work();
        const error = await device.popErrorScope();
        return { error: error ? error.kind().tag : 'none', value };
      };
      const canvasOf = (kind?: string) => {
        const canvas = document.createElement('canvas');
        if (kind) canvas.getContext(kind);
        shim.setSurfaceOptions({ canvas });
        return new shim.surface.Surface({});
      };
      const context = new shim.surfaceWebgpu.Context(canvasOf());
      // Before configure: an invalid texture, on the latest device.
      const before = await scoped(() => context.getCurrentTexture() instanceof shim.GpuTexture);
      // A format no canvas takes.
      const badFormat = await scoped(() => context.configure({ device, format: 'r8unorm' }));
      const good = await scoped(() => {
        context.configure({ device, format: shim.getGpu().getPreferredCanvasFormat(), alphaMode: 'premultiplied', toneMapping: { mode: 'standard' }, colorSpace: 'display-p3' });
        const texture = context.getCurrentTexture();
        return [texture instanceof shim.GpuTexture, texture.width(), texture.height()];
      });
      context.unconfigure();
      const afterUnconfigure = await scoped(() => context.getCurrentTexture() instanceof shim.GpuTexture);
      // A canvas that already draws in 2D has no WebGPU context.
      const twoD = new shim.surfaceWebgpu.Context(canvasOf('2d'));
      const onTwoD = await scoped(() => twoD.configure({ device, format: 'rgba8unorm' }));
      const textureOnTwoD = await scoped(() => twoD.getCurrentTexture() instanceof shim.GpuTexture);
      context.present();
      return { before, badFormat, good, afterUnconfigure, onTwoD, textureOnTwoD };
    });
    expect(got.before).toEqual({ error: 'validation-error', value: true });
    expect(got.badFormat.error).toBe('validation-error');
    expect(got.good).toEqual({ error: 'none', value: [true, 300, 150] });
    expect(got.afterUnconfigure).toEqual({ error: 'validation-error', value: true });
    expect(got.onTwoD.error).toBe('validation-error');
    expect(got.textureOnTwoD).toEqual({ error: 'validation-error', value: true });
  });
});
