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

test('an egui app through egui-wgpu draws on a wasi-gfx surface and reacts to a click and to typing', async ({ page, origin }) => {
  await page.goto(`${origin}/web-tests/pages/run.html?component=wgpu-egui`);
  // Waits until `line` is the last line printed (the app prints on changes).
  const printed = (line: string) =>
    page.waitForFunction((line) => (window as any).runLog?.at(-1) === line || (window as any).runFailed, line, { timeout: 30_000 });
  const pixel = (x: number, y: number) => page.evaluate(([x, y]) => (window as any).readPixel(x, y), [x, y]);
  // crates/examples/wgpu-egui/src/app.rs: the panel's colour by clicks, the
  // swatch in the bottom-right 40x40 corner by whether text was typed; the
  // button at (12, 12) to (172, 52), the text field 12 below it.
  const PANEL = [[32, 40, 96, 255], [24, 112, 56, 255]];
  const [EMPTY, TYPED] = [[96, 96, 96, 255], [240, 160, 0, 255]];
  const [panelAt, swatchAt] = [[250, 20], [300, 220]] as const;
  await printed('drawn frame 1');
  await expect.poll(() => pixel(...panelAt)).toEqual(PANEL[0]);
  expect(await pixel(...swatchAt)).toEqual(EMPTY);
  // The button's label is drawn text: pixels in it differ from the panel.
  const label = await page.evaluate(() => {
    const frame = (window as any).lastFrame().getImageData(12, 12, 160, 40).data as Uint8ClampedArray;
    const colours = new Set<string>();
    for (let i = 0; i < frame.length; i += 4) colours.add(`${frame[i]},${frame[i + 1]},${frame[i + 2]}`);
    return colours.size;
  });
  expect(label).toBeGreaterThan(4);

  const box = (await page.locator('#surface').boundingBox())!;
  await page.mouse.click(box.x + 92, box.y + 32);
  await printed('clicked 1');
  await expect.poll(() => pixel(...panelAt)).toEqual(PANEL[1]);
  expect(await pixel(...swatchAt)).toEqual(EMPTY);

  await page.mouse.click(box.x + 100, box.y + 76);
  // egui gives the focus on the click's frame and hands text to the focused
  // field: keys in that same frame would go nowhere, as in any egui app.
  await printed('text field focused');
  await page.keyboard.type('gpu');
  await printed('text: gpu');
  await expect.poll(() => pixel(...swatchAt)).toEqual(TYPED);
  await page.keyboard.press('Backspace');
  await printed('text: gp');
  const log = await page.evaluate(() => ({ lines: (window as any).runLog as string[], failed: (window as any).runFailed ?? null }));
  expect(log.failed).toBeNull();
  expect(log.lines.filter((line) => line.startsWith('clicked') || line.endsWith('focused'))).toEqual(['clicked 1', 'text field focused']);
  // One line per frame in which the text changed: keys typed within one
  // frame make one change, so the lines are some of the text's prefixes.
  const texts = log.lines.filter((line) => line.startsWith('text: ')).map((line) => line.slice('text: '.length));
  expect(texts.slice(-2)).toEqual(['gpu', 'gp']);
  for (const text of texts) expect(['g', 'gp', 'gpu']).toContain(text);
});
