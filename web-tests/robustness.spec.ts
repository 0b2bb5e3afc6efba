// Issue 5: async calls, errors and events as the WIT specifies, resource
// lifetime, a robustness harness and isolation between components. The
// guest is crates/robustness; the direct half of the harness is
// pages/fuzz.js; pages/watch.js counts panics, unhandled rejections,
// uncaptured GPU errors and the shim's uncapturederror listeners.
import { test, expect } from './support/fixtures';
import { churnMemory, fuzzDirect, fuzzGuest } from './support/measure.mjs';

const GPU_ERROR_CLASSES = ['GPUValidationError', 'GPUOutOfMemoryError', 'GPUInternalError'];

test.describe('robustness harness, direct', () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: random calls to the shim's classes never trap, panic or leave a rejection unhandled`, async ({ guestPage }) => {
      const calls = 2000;
      const report = await fuzzDirect(guestPage, seed, calls);
      test.info().annotations.push({ type: 'calls', description: String(report.calls) });
      expect(report.failures).toEqual([]);
      expect(report.calls).toBe(calls);
      // Most of the WIT is reached: names of the functions called.
      expect(Object.keys(report.perFunction).length).toBeGreaterThan(150);
      expect(report.page.panics).toBe(0);
      expect(report.page.unhandledRejections).toBe(0);
      for (const kind of Object.keys(report.page.uncaptured)) expect(GPU_ERROR_CLASSES).toContain(kind);
      expect(report.page.uncaptured.GPUValidationError ?? 0).toBeGreaterThan(0);
    });
  }
});

test.describe('robustness harness, from a guest', () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: random calls from a component never trap, break the WIT's types or leave a rejection unhandled`, async ({ guestPage }) => {
      const calls = 2000;
      await guestPage.evaluate(() => (window as any).watchPage());
      const report = await fuzzGuest(guestPage, seed, calls);
      const page = await guestPage.evaluate(() => (window as any).__watch.summary());
      test.info().annotations.push({ type: 'calls', description: String(report.calls) });
      expect(report.trapped).toBeUndefined();
      expect(report.violations).toEqual([]);
      expect(report.calls).toBeGreaterThanOrEqual(calls);
      // Error results came back, each as `function: WIT error kind`.
      expect(report.witErrors.length).toBeGreaterThan(3);
      for (const [name] of report.witErrors) expect(name).toMatch(/^[a-z-]+: [a-z-]+(:[a-z-]+)?$/);
      expect(report.scopeErrors.map(([kind]: [string]) => kind)).toContain('validation-error');
      expect(page.panics).toBe(0);
      expect(page.unhandledRejections).toBe(0);
    });
  }
});

test.describe('async calls', () => {
  // Chromium 156 left a getCompilationInfo made right after another pending
  // until something ticked the device; the shim ticks it (device.rs).
  test('compilation info asked for again and again always arrives', async ({ guestPage }) => {
    const outcomes = await guestPage.evaluate(async () => {
      const shim = await (window as any).loadShim();
      const device = await (await shim.getGpu().requestAdapter()).requestDevice();
      const module = device.createShaderModule({ code: '@compute @workgroup_size(1) fn main() {}' });
      const outcomes = [];
      for (let i = 0; i < 8; i++) {
        const info = module.getCompilationInfo().then((info: any) => `${info.messages().length} messages`);
        const late = new Promise((resolve) => setTimeout(() => resolve('pending after 5 s'), 5000));
        outcomes.push(await Promise.race([info, late]));
      }
      return outcomes;
    });
    expect(outcomes).toEqual(Array(8).fill('0 messages'));
  });


  test('many maps outstanding at once all resolve, each with its own buffer\'s data', async ({ guestPage }) => {
    const [outstanding, order, values] = await guestPage.evaluate(async () => {
      const guest = await (window as any).loadGuest('robustness');
      const [outstanding, order, values] = await guest.concurrentMaps(16, 10_000_000);
      return [outstanding, Array.from(order as Uint32Array), Array.from(values as Uint32Array)];
    });
    expect(outstanding).toBeGreaterThanOrEqual(2);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
    expect(values).toEqual([...Array(16).keys()]);
  });

  test('dropping pending calls of every async kind leaks no rejection and leaves the device working', async ({ guestPage }) => {
    const got = await guestPage.evaluate(async () => {
      const watcher = await (window as any).watchPage();
      const guest = await (window as any).loadGuest('robustness');
      const outcome = await guest.dropPending(8, 10_000_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { outcome, page: watcher.summary() };
    });
    const match = /^ok dropped=(\d+) mapped=(\d+)\/8$/.exec(got.outcome);
    expect(match, got.outcome).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    // A dropped map-async is not undone: the browser still maps the buffer.
    expect(Number(match![2])).toBe(8);
    expect(got.page.unhandledRejections).toBe(0);
    expect(got.page.panics).toBe(0);
  });

  test('GPU work still runs after the guest drops every handle it used', async ({ guestPage }) => {
    const bytes = await guestPage.evaluate(async () => {
      const guest = await (window as any).loadGuest('robustness');
      return Array.from(await guest.dropInFlight());
    });
    const ascending = [...Array(256).keys()];
    expect(bytes).toEqual([...ascending, ...ascending.reverse()]);
  });
});

test.describe('errors and events', () => {
  test('error scopes nest and filter: validation, out-of-memory, internal', async ({ guestPage }) => {
    const rows = await guestPage.evaluate(async () => (await (window as any).loadGuest('robustness')).scopes());
    expect(Object.fromEntries(rows)).toEqual({
      // [inner scope, outer scope]: the error skips scopes of other filters.
      'validation-under-out-of-memory': 'none validation-error',
      'validation-under-internal': 'none validation-error',
      'validation-inside-out-of-memory': 'validation-error none',
      // Both errors land in the innermost validation scope.
      'two-errors-two-validation-scopes': 'validation-error none',
      'empty-scope': 'none',
      'error-has-message': 'validation-error true',
      'pop-with-no-scope': 'operation-error true',
      // A lost device pops every scope empty.
      'pop-after-destroy': 'none',
    });
  });

  test('on-uncaptured-error delivers every error from the call on, and dropping it removes the listener', async ({ guestPage }) => {
    const got = await guestPage.evaluate(async () => {
      const watcher = await (window as any).watchPage();
      const guest = await (window as any).loadGuest('events');
      const errors = await guest.uncapturedOpen(3);
      const whileOpen = watcher.shimListeners();
      guest.uncapturedClose();
      // jco cancels the stream when the guest's drop reaches it.
      let afterDrop = watcher.shimListeners();
      for (let i = 0; i < 50 && afterDrop; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        afterDrop = watcher.shimListeners();
      }
      return { errors, whileOpen, afterDrop };
    });
    expect(got.errors).toHaveLength(3);
    for (const error of got.errors) expect(error).toMatch(/^validation-error: .*\S/s);
    expect(got.whileOpen).toBe(1);
    expect(got.afterDrop).toBe(0);
  });

  test('the stream maps out-of-memory and internal errors to their kinds, with the message', async ({ guestPage }) => {
    const kinds = await guestPage.evaluate(async () => {
      const shim = await (window as any).loadShim();
      const device = await (await shim.getGpu().requestAdapter()).requestDevice();
      const reader = device.onUncapturedError().getReader();
      const raw = device.__gpuObject as GPUDevice;
      for (const error of [new GPUOutOfMemoryError('no room'), new GPUInternalError('broke'), new GPUValidationError('bad')]) {
        raw.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error }));
      }
      const out = [];
      for (let i = 0; i < 3; i++) {
        const { value } = await reader.read();
        out.push(`${value.kind().tag}: ${value.message()}`);
      }
      await reader.cancel();
      return out;
    });
    expect(kinds).toEqual(['out-of-memory-error: no room', 'internal-error: broke', 'validation-error: bad']);
  });
});

test.describe('resource lifetime', () => {
  test('creating and dropping 3000 x 5 resources twice leaves the shim\'s wasm memory where it was', async ({ guestPage }) => {
    const { samples, errors } = await churnMemory(guestPage, 3000, 2);
    expect(errors).toEqual([0, 0]);
    expect(samples[1].wasmBytes).toBe(samples[0].wasmBytes);
    expect(samples[2].wasmBytes).toBe(samples[0].wasmBytes);
  });
});

test.describe('isolation', () => {
  test('two components on one page: a handle number of one names nothing of it in the other', async ({ guestPage }) => {
    const got = await guestPage.evaluate(async () => {
      const a = await (window as any).loadGuest('robustness');
      const b = await (window as any).loadGuest('robustness-b');
      const handleA = await a.holdBuffer(1234n);
      const handleB = await b.holdBuffer(777n);
      const out: Record<string, unknown> = { sameNumber: handleA === handleB };
      out.aReadsItsOwn = String(a.probeHandle(handleA));
      // B given A's number reaches only B's own table.
      try {
        out.bWithA = String(b.probeHandle(handleA));
      } catch (error) {
        out.bWithA = `rejected: ${(error as Error).message}`;
      }
      try {
        out.bWithUnknown = String(b.probeHandle(handleA + 1000));
      } catch (error) {
        out.bWithUnknown = `rejected: ${(error as Error).message}`;
      }
      out.aAfter = String(a.probeHandle(handleA));
      return out;
    });
    expect(got.aReadsItsOwn).toBe('1234');
    expect(got.bWithA).not.toBe('1234');
    if (got.sameNumber) expect(got.bWithA).toBe('777');
    expect(got.bWithUnknown).toMatch(/^rejected: /);
    expect(got.aAfter).toBe('1234');
  });

  test('a resource of one device used on another is a validation error there, and the first device sees nothing', async ({ guestPage }) => {
    const got = await guestPage.evaluate(async () => {
      const shim = await (window as any).loadShim();
      const gpu = shim.getGpu();
      const first = await (await gpu.requestAdapter()).requestDevice();
      const second = await (await gpu.requestAdapter()).requestDevice();
      const none = { mapRead: false, mapWrite: false, copySrc: false, copyDst: false, index: false, vertex: false, uniform: false, storage: false, indirect: false, queryResolve: false };
      const buffer = first.createBuffer({ size: 16n, usage: { ...none, storage: true } });
      const layout = second.createBindGroupLayout({ entries: [{ binding: 0, visibility: { vertex: false, fragment: false, compute: true }, buffer: { type: 'storage' } }] });
      first.pushErrorScope('validation');
      second.pushErrorScope('validation');
      second.createBindGroup({ layout, entries: [{ binding: 0, resource: { tag: 'gpu-buffer', val: buffer } }] });
      const onSecond = await second.popErrorScope();
      const onFirst = await first.popErrorScope();
      return [onSecond ? onSecond.kind().tag : 'none', onFirst ? onFirst.kind().tag : 'none'];
    });
    expect(got).toEqual(['validation-error', 'none']);
  });
});
