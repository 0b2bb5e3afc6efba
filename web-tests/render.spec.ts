// The render guest draws an indexed, textured, depth-tested mesh with 4x
// MSAA into an offscreen texture and reads it back; the test rasterizes the
// same scene on the CPU (WebGPU's standard 4-sample positions, one shade
// per pixel at its centre, nearest sampling with repeat) and compares.
import { test, expect } from './support/fixtures';

const SIZE = 64;
const TEXTURE_SIZE = 4;
/** The standard 4x sample positions within a pixel (WebGPU spec, D3D/Vulkan). */
const SAMPLE_POSITIONS = [[0.375, 0.125], [0.875, 0.375], [0.125, 0.625], [0.625, 0.875]];
const CLEAR = [0, 0.2 * 255, 0.4 * 255, 255];

interface Quad { cx: number; cy: number; half: number; angle: number; z: number; tint: number[] }
/** Drawn in this order: the near quad first, so only the depth test hides the far one behind it. */
const QUADS: Quad[] = [
  { cx: 0.3, cy: 0.35, half: 0.35, angle: -15, z: 0.25, tint: [0.2, 1, 0.6] },
  { cx: 0, cy: 0, half: 0.6, angle: 30, z: 0.5, tint: [1, 1, 1] },
];
const CORNERS = [[-1, -1], [1, -1], [1, 1], [-1, 1]];
/** UV runs 0..2 over each quad: the 4x4 checker repeats twice each way. */
const UV_SCALE = 2;

function texels(): number[] {
  const out: number[] = [];
  for (let row = 0; row < TEXTURE_SIZE; row++) {
    for (let col = 0; col < TEXTURE_SIZE; col++) {
      out.push(...((row + col) % 2 ? [255, 255, 255, 255] : [255, 153, 51, 255]));
    }
  }
  return out;
}

function mesh() {
  const vertices: number[] = [];
  const indices: number[] = [];
  QUADS.forEach((q, i) => {
    const [c, s] = [Math.cos((q.angle * Math.PI) / 180), Math.sin((q.angle * Math.PI) / 180)];
    for (const [lx, ly] of CORNERS) {
      const [x, y] = [lx * q.half, ly * q.half];
      vertices.push(q.cx + c * x - s * y, q.cy + s * x + c * y, q.z, ((lx + 1) / 2) * UV_SCALE, ((ly + 1) / 2) * UV_SCALE, ...q.tint);
    }
    indices.push(4 * i, 4 * i + 1, 4 * i + 2, 4 * i, 4 * i + 2, 4 * i + 3);
  });
  return { vertices, indices };
}

/** The quad's (s, t) in [0, 1]^2 when inside, for a point in clip space. */
function local(q: Quad, x: number, y: number): [number, number] {
  const [c, s] = [Math.cos((q.angle * Math.PI) / 180), Math.sin((q.angle * Math.PI) / 180)];
  const [dx, dy] = [x - q.cx, y - q.cy];
  return [((c * dx + s * dy) / q.half + 1) / 2, ((-s * dx + c * dy) / q.half + 1) / 2];
}

function cpuRender(): number[] {
  const tex = texels();
  const wrap = (v: number) => ((Math.floor(v * TEXTURE_SIZE) % TEXTURE_SIZE) + TEXTURE_SIZE) % TEXTURE_SIZE;
  const toClip = (fx: number, fy: number): [number, number] => [(fx / SIZE) * 2 - 1, 1 - (fy / SIZE) * 2];
  const out: number[] = [];
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      // One shade per quad per pixel, at the pixel centre (UV extrapolates outside the quad).
      const [cx, cy] = toClip(px + 0.5, py + 0.5);
      const shade = QUADS.map((q) => {
        const [s, t] = local(q, cx, cy);
        const i = (wrap(t * UV_SCALE) * TEXTURE_SIZE + wrap(s * UV_SCALE)) * 4;
        return [0, 1, 2].map((ch) => tex[i + ch] * q.tint[ch]).concat(255);
      });
      const sum = [0, 0, 0, 0];
      for (const [ox, oy] of SAMPLE_POSITIONS) {
        const [x, y] = toClip(px + ox, py + oy);
        let color = CLEAR;
        let depth = 1;
        QUADS.forEach((q, i) => {
          const [s, t] = local(q, x, y);
          if (s >= 0 && s <= 1 && t >= 0 && t <= 1 && q.z < depth) {
            depth = q.z;
            color = shade[i];
          }
        });
        color.forEach((v, ch) => (sum[ch] += v / SAMPLE_POSITIONS.length));
      }
      out.push(...sum);
    }
  }
  return out;
}

test('an indexed, textured, depth-tested mesh with MSAA resolve matches the CPU rasterization', async ({ guestPage }) => {
  const { vertices, indices } = mesh();
  const result = await guestPage.evaluate(
    async ({ size, vertices, indices, texels, textureSize }) => {
      const guest = await (window as any).loadGuest('render-offscreen');
      try {
        const pixels = await guest.renderScene(size, new Float32Array(vertices), new Uint16Array(indices), new Uint8Array(texels), textureSize);
        return { ok: Array.from(pixels as Uint8Array) };
      } catch (e) {
        return { err: String((e as any)?.payload ?? e) };
      }
    },
    { size: SIZE, vertices, indices, texels: texels(), textureSize: TEXTURE_SIZE },
  );
  expect(result.err).toBeUndefined();
  const gpu = result.ok!;
  const cpu = cpuRender();
  expect(gpu).toHaveLength(SIZE * SIZE * 4);

  // Tolerance: a pixel matches when every channel is within 3/255 (unorm
  // rounding of tint products and of the resolve average). At most 1% of
  // pixels may differ more: pixel centres that fall within float error of a
  // texel boundary, where the two sides of the boundary are equally right.
  let mismatched = 0;
  let totalError = 0;
  for (let p = 0; p < SIZE * SIZE; p++) {
    let worst = 0;
    for (let ch = 0; ch < 4; ch++) {
      const diff = Math.abs(gpu[p * 4 + ch] - cpu[p * 4 + ch]);
      worst = Math.max(worst, diff);
      totalError += diff;
    }
    if (worst > 3) mismatched++;
  }
  const meanError = totalError / (SIZE * SIZE * 4);
  console.log(`render: ${mismatched} of ${SIZE * SIZE} pixels beyond 3/255, mean abs error ${meanError.toFixed(3)}`);
  expect(mismatched).toBeLessThanOrEqual(SIZE * SIZE * 0.01);
  expect(meanError).toBeLessThan(1);

  // The scene is not trivially matched: all three surfaces are visible.
  const count = (rgb: number[]) => cpu.filter((_, i) => i % 4 === 0 && rgb.every((v, ch) => Math.abs(gpu[i + ch] - v) <= 3)).length;
  expect(count([0, 51, 102])).toBeGreaterThan(100); // clear colour
  expect(count([255, 255, 255])).toBeGreaterThan(100); // far quad, white texels
  expect(count([51, 255, 153])).toBeGreaterThan(50); // near quad, white texels tinted
});
