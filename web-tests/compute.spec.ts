// The example guest's matrix product, through jco and the shim, compared
// value by value with the same product computed on the CPU.
import { test, expect, randomMatrix } from './support/fixtures';

function cpuMatmul(m: number, k: number, n: number, a: number[], b: number[], scale: number) {
  const c: number[] = [];
  const bound: number[] = [];
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      let magnitude = 0;
      for (let i = 0; i < k; i++) {
        sum += a[row * k + i] * b[i * n + col];
        magnitude += Math.abs(a[row * k + i] * b[i * n + col]);
      }
      c.push(scale * sum);
      bound.push(Math.abs(scale) * magnitude);
    }
  }
  return { c, bound };
}

async function gpuMatmul(page, guest: string, m: number, k: number, n: number, a: number[], b: number[], scale: number, indirect: boolean) {
  return page.evaluate(
    async ({ guest, m, k, n, a, b, scale, indirect }) => {
      const exports = await (window as any).loadGuest(guest);
      try {
        const c = await exports.matmul(m, k, n, new Float32Array(a), new Float32Array(b), scale, indirect);
        return { ok: Array.from(c as Float32Array) };
      } catch (e) {
        return { err: String((e as any)?.payload ?? e) };
      }
    },
    { guest, m, k, n, a, b, scale, indirect },
  );
}

function expectClose(gpu: number[], m: number, k: number, n: number, a: number[], b: number[], scale: number) {
  const { c, bound } = cpuMatmul(m, k, n, a, b, scale);
  expect(gpu).toHaveLength(m * n);
  let worst = 0;
  for (let i = 0; i < c.length; i++) {
    // f32 accumulation: error grows with k and the terms' magnitude.
    const tolerance = 2 * k * 2 ** -23 * bound[i] + 1e-30;
    const error = Math.abs(gpu[i] - c[i]);
    worst = Math.max(worst, error / tolerance);
    if (error > tolerance) {
      throw new Error(`c[${i}] = ${gpu[i]}, CPU ${c[i]}, error ${error} > ${tolerance}`);
    }
  }
  return worst;
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [2, 3, 2],
  [7, 13, 5],
  [64, 48, 80],
];

for (const [m, k, n] of shapes) {
  test(`matmul ${m}x${k} * ${k}x${n} matches the CPU`, async ({ guestPage }) => {
    const a = randomMatrix(m * k, m * 31 + k);
    const b = randomMatrix(k * n, n * 17 + k);
    const result = await gpuMatmul(guestPage, 'compute-matmul', m, k, n, a, b, 0.5, false);
    expect(result.err).toBeUndefined();
    expectClose(result.ok!, m, k, n, a, b, 0.5);
  });
}

test('matmul with an indirect dispatch matches the CPU', async ({ guestPage }) => {
  const [m, k, n] = [33, 20, 41];
  const a = randomMatrix(m * k, 5);
  const b = randomMatrix(k * n, 6);
  const result = await gpuMatmul(guestPage, 'compute-matmul', m, k, n, a, b, -1.25, true);
  expect(result.err).toBeUndefined();
  expectClose(result.ok!, m, k, n, a, b, -1.25);
});

test('exact small product: [[1,2,3],[4,5,6]] * [[7,8],[9,10],[11,12]]', async ({ guestPage }) => {
  const result = await gpuMatmul(guestPage, 'compute-matmul', 2, 3, 2, [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 1, false);
  expect(result.ok).toEqual([58, 64, 139, 154]);
});

test('the guest checks its own input and reports it as an error result', async ({ guestPage }) => {
  const result = await gpuMatmul(guestPage, 'compute-matmul', 2, 2, 2, [1, 2, 3], [1, 2, 3, 4], 1, false);
  expect(result.err).toContain('expected 4 and 4 values');
});

test('a guest built against wasi:webgpu/webgpu@0.2.0-rc.2 runs on the same shim', async ({ guestPage }) => {
  const [m, k, n] = [9, 4, 6];
  const a = randomMatrix(m * k, 11);
  const b = randomMatrix(k * n, 12);
  const result = await gpuMatmul(guestPage, 'compute-matmul-0.2', m, k, n, a, b, 2, false);
  expect(result.err).toBeUndefined();
  expectClose(result.ok!, m, k, n, a, b, 2);
});

test('the guest keeps running after every error path', async ({ guestPage }) => {
  const outcome = await guestPage.evaluate(async () => {
    const guest = await (window as any).loadGuest('compute-matmul');
    const report = await guest.errorPaths();
    const c = await guest.matmul(1, 2, 1, new Float32Array([3, 4]), new Float32Array([5, 6]), 1, false);
    return { cases: report.length, c: Array.from(c as Float32Array) };
  });
  expect(outcome.cases).toBeGreaterThan(15);
  expect(outcome.c).toEqual([39]);
});
