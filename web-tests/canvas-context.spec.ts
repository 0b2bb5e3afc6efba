// `gpu-canvas-context` cannot reach a guest: nothing in wasi:webgpu or
// wasi-gfx:surface returns one. Embedders can adopt a canvas with
// `GpuCanvasContext.fromCanvas`; the class is tested here the way jco's
// glue would call it, on an OffscreenCanvas.
import { test, expect } from './support/fixtures';

test('configure, get-configuration, get-current-texture and unconfigure on an OffscreenCanvas', async ({ guestPage }) => {
  const seen = await guestPage.evaluate(async () => {
    const shim = await (window as any).loadShim();
    const adapter = await shim.getGpu().requestAdapter();
    const device = await adapter.requestDevice();
    const context = shim.GpuCanvasContext.fromCanvas(new OffscreenCanvas(5, 3));
    const out: Record<string, unknown> = {};
    out.before = context.getConfiguration();
    try {
      context.getCurrentTexture();
      out.textureBefore = 'returned';
    } catch (e) {
      out.textureBefore = `${(e as Error).constructor.name}: ${(e as Error).message}`;
    }
    const usage = { copySrc: true, copyDst: false, textureBinding: false, storageBinding: false, renderAttachment: true, transientAttachment: false };
    context.configure({ device, format: 'rgba8unorm', usage, viewFormats: ['rgba8unorm-srgb'], alphaMode: 'premultiplied' });
    const configuration = context.getConfiguration();
    out.format = configuration.format;
    out.alphaMode = configuration.alphaMode;
    out.viewFormats = configuration.viewFormats;
    out.usage = configuration.usage;
    out.deviceIsWrapper = configuration.device instanceof shim.GpuDevice;
    const texture = context.getCurrentTexture();
    out.textureIsWrapper = texture instanceof shim.GpuTexture;
    out.size = [texture.width(), texture.height(), texture.format()];
    context.unconfigure();
    out.after = context.getConfiguration();
    // Unconfigured after a configuration: an invalid texture and a
    // validation error, as a texture-returning WIT function must give.
    device.pushErrorScope('validation');
    const stale = context.getCurrentTexture();
    const staleError = await device.popErrorScope();
    out.afterUnconfigure = [stale instanceof shim.GpuTexture, staleError ? staleError.kind().tag : 'none', stale.label()];
    // A format a canvas never takes: a validation error on the device, no throw.
    device.pushErrorScope('validation');
    context.configure({ device, format: 'r8uint' });
    const error = await device.popErrorScope();
    out.badFormat = error ? error.kind().tag : 'none';
    return out;
  });
  expect(seen.before).toBeUndefined();
  expect(seen.textureBefore).toMatch(/^Error: \w+/);
  expect(seen.format).toBe('rgba8unorm');
  expect(seen.alphaMode).toBe('premultiplied');
  expect(seen.viewFormats).toEqual(['rgba8unorm-srgb']);
  expect(seen.usage).toMatchObject({ copySrc: true, renderAttachment: true, textureBinding: false });
  expect(seen.deviceIsWrapper).toBe(true);
  expect(seen.textureIsWrapper).toBe(true);
  expect(seen.size).toEqual([5, 3, 'rgba8unorm']);
  expect(seen.after).toBeUndefined();
  // The invalid texture is labelled with the browser's message.
  expect(seen.afterUnconfigure).toEqual([true, 'validation-error', expect.stringMatching(/configur/i)]);
  expect(seen.badFormat).toBe('validation-error');
});

// `gpu-uncaptured-error-event` cannot reach a guest either: no function
// returns one. Embedders wrap a browser event with `fromEvent`.
test('gpu-uncaptured-error-event wraps a browser event; error() has the kind and message', async ({ guestPage }) => {
  const seen = await guestPage.evaluate(async () => {
    const shim = await (window as any).loadShim();
    const adapter = await shim.getGpu().requestAdapter();
    const device = await adapter.requestDevice();
    const browserDevice: GPUDevice = device.__gpuObject;
    const event = new Promise<GPUUncapturedErrorEvent>((resolve) => browserDevice.addEventListener('uncapturederror', resolve, { once: true }));
    browserDevice.createBuffer({ size: 4, usage: 0 });
    await browserDevice.queue.onSubmittedWorkDone(); // Chromium dispatches once the device is ticked.
    const error = shim.GpuUncapturedErrorEvent.fromEvent(await event).error();
    return { isWrapper: error instanceof shim.GpuError, kind: error.kind().tag, message: error.message() };
  });
  expect(seen.isWrapper).toBe(true);
  expect(seen.kind).toBe('validation-error');
  expect(seen.message.length).toBeGreaterThan(0);
});
