// wgpu programs as components: the wasi-webgpu-wgpu backend
// (crates/guest-libs/wasi-webgpu-wgpu) against two oracles, in each browser
// and on both of jco's import paths:
// - the same program built a second time on wgpu's own WebGPU backend
//   (wasm-bindgen), run in the same page: outputs equal. Equal, not close:
//   the two run the same WGSL on the same adapter, so any difference is the
//   backend's;
// - the CPU: Collatz step counts exactly, and x * x + 0.5 in f32, which
//   WGSL rounds as IEEE-754 does (Math.fround here).
import { test, expect } from './support/fixtures';

const NUMBERS = [1, 2, 3, 6, 7, 9, 27, 97, 871, 6171, 77031, 837799, 63728127];

function collatz(start: number): number {
  let n = start;
  let steps = 0;
  while (n > 1) {
    if (n % 2 === 0) n /= 2;
    else {
      if (n >= 1431655765) return 4294967295;
      n = 3 * n + 1;
    }
    steps++;
  }
  return steps;
}
const square = (n: number) => Math.fround(Math.fround(Math.fround(n) * Math.fround(n)) + 0.5);

/** Loads the wasm-bindgen build of a wgpu example: its exports. */
const loadWeb = (crate: string) =>
  `(async () => { const m = await import('/web-tests/build/web/${crate}/${crate.replaceAll('-', '_')}.js'); await m.default(); return m; })()`;

test('a wgpu compute program as a component gives what it gives on wgpu\'s WebGPU backend, and what the CPU gives', async ({ guestPage }) => {
  const got = await guestPage.evaluate(
    async ({ numbers, web }) => {
      const component = await (window as any).loadGuest('wgpu-compute');
      const [steps, squares] = await component.run(new Uint32Array(numbers));
      const oracle = await eval(web);
      const pair = await oracle.run(new Uint32Array(numbers));
      return { component: [Array.from(steps), Array.from(squares)], web: [Array.from(pair.steps), Array.from(pair.squares)] };
    },
    { numbers: NUMBERS, web: loadWeb('wgpu-compute') },
  );
  expect(got.component).toEqual(got.web);
  expect(got.component[0]).toEqual(NUMBERS.map(collatz));
  expect(got.component[1]).toEqual(NUMBERS.map(square));
});

test('a misused wgpu API: the error scope catches the validation error and the uncaptured handler hears it, as on wgpu\'s WebGPU backend', async ({ guestPage }) => {
  const got = await guestPage.evaluate(async (web) => {
    const component = await (window as any).loadGuest('wgpu-compute');
    const oracle = await eval(web);
    return { component: await component.misuse(), web: await oracle.misuse() };
  }, loadWeb('wgpu-compute'));
  expect(got.component).toEqual(['scope caught validation', 'uncaptured validation']);
  expect(got.component).toEqual(got.web);
});

test('a wgpu render loop draws on a wasi-gfx surface what it draws on a canvas through wgpu\'s WebGPU backend', async ({ page, origin }) => {
  await page.goto(`${origin}/web-tests/pages/run.html?component=wgpu-triangle`);
  await page.waitForFunction(() => (window as any).runLog?.some((line: string) => line === 'drawn frame 3') || (window as any).runFailed, null, { timeout: 30_000 });
  const got = await page.evaluate(async (web) => {
    const { watchFrames, lastFrame } = (window as any).frameSnapshot;
    const surface = document.getElementById('surface') as HTMLCanvasElement;
    const oracleCanvas = Object.assign(document.createElement('canvas'), { width: surface.width, height: surface.height });
    document.body.append(oracleCanvas);
    watchFrames(oracleCanvas);
    const oracle = await eval(web);
    await oracle.frames(oracleCanvas, 3);
    const pixels = (canvas: HTMLCanvasElement) => Array.from(lastFrame(canvas).getImageData(0, 0, canvas.width, canvas.height).data as Uint8ClampedArray);
    const [mine, theirs] = [pixels(surface), pixels(oracleCanvas)];
    const differing = mine.filter((value, i) => value !== theirs[i]).length;
    const at = (data: number[], x: number, y: number) => data.slice((y * surface.width + x) * 4, (y * surface.width + x) * 4 + 4);
    return { size: [surface.width, surface.height], differing, centre: at(mine, 160, 120), corner: at(mine, 2, 2), failed: (window as any).runFailed ?? null };
  }, loadWeb('wgpu-triangle'));
  expect(got.failed).toBeNull();
  expect(got.size).toEqual([320, 240]);
  expect(got.centre).toEqual([0, 255, 0, 255]);
  expect(got.corner).toEqual([0, 0, 255, 255]);
  expect(got.differing).toBe(0);
});

test('a textured, depth-tested, instanced wgpu scene with MSAA renders as on wgpu\'s WebGPU backend', async ({ guestPage }) => {
  const size = 64;
  const got = await guestPage.evaluate(
    async ({ size, web }) => {
      const component = await (window as any).loadGuest('wgpu-scene');
      const mine = Array.from(await component.render(size) as Uint8Array);
      const oracle = await eval(web);
      const theirs = Array.from(await oracle.render(size) as Uint8Array);
      const at = (x: number, y: number) => mine.slice((y * size + x) * 4, (y * size + x) * 4 + 4);
      // MSAA's mark: pixels on the near quad's left edge, which it covers in part.
      const blended = Array.from({ length: size }, (_, y) => at(24, y)).filter((p) => p[0] > 0 && p[0] < 255).length;
      return {
        length: mine.length,
        differing: mine.filter((value, i) => value !== theirs[i]).length,
        corner: at(1, 1),
        nearTexel: at(32, 16),
        overlap: at(32, 32),
        farTexel: at(12, 28),
        blended,
      };
    },
    { size, web: loadWeb('wgpu-scene') },
  );
  expect(got.length).toBe(size * size * 4);
  expect(got.differing).toBe(0);
  expect(got.corner).toEqual([0, 0, 0, 255]);
  // The near quad's white texel; where the quads overlap, the near quad's
  // green one (drawn first, kept by the depth test); the far quad's white
  // texel tinted magenta.
  expect(got.nearTexel).toEqual([255, 255, 255, 255]);
  expect(got.overlap).toEqual([0, 255, 0, 255]);
  expect(got.farTexel).toEqual([255, 0, 255, 255]);
  expect(got.blended).toBeGreaterThan(8);
});
