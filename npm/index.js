// wasi-webgpu-shim: the wasi:webgpu imports for components transpiled with
// jco, on the browser's navigator.gpu, and the wasi-gfx surface and
// frame-buffer imports on a canvas.
//
// The entry starts the shim's wasm downloading and compiling first, then
// loads the JS (shim.js and all it imports) while the wasm compiles: the
// two overlap instead of the wasm's fetch waiting for the JS to be fetched,
// parsed and run. The top-level await holds every importer (jco's glue)
// until the wasm is instantiated, so the classes are ready when the glue
// links to them and a guest's first call finds them working.
const compiled = compileShim(new URL('./pkg/wasi_webgpu_shim_bg.wasm', import.meta.url));
const shim = await import('./shim.js');
await shim.start(compiled);

/** The shim's WebAssembly.Module, compiled while its bytes arrive where the server sends `application/wasm`. */
async function compileShim(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasi-webgpu-shim: could not load its wasm from ${url}: HTTP ${response.status}`);
  if (response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

// Every name shim.js exports but `start` (the build fails if they differ,
// scripts/lib/shrink.mjs): the WIT's (generated/webgpu-exports.js and
// gfx-exports.js), then the package's own.
export const {
  getGpu, Gpu, GpuAdapter, GpuAdapterInfo, GpuBindGroup, GpuBindGroupLayout, GpuBuffer, GpuCanvasContext,
  GpuCommandBuffer, GpuCommandEncoder, GpuCompilationInfo, GpuCompilationMessage, GpuComputePassEncoder,
  GpuComputePipeline, GpuDevice, GpuDeviceLostInfo, GpuError, GpuPipelineLayout, GpuQuerySet, GpuQueue,
  GpuRenderBundle, GpuRenderBundleEncoder, GpuRenderPassEncoder, GpuRenderPipeline, GpuSampler, GpuShaderModule,
  GpuSupportedFeatures, GpuSupportedLimits, GpuTexture, GpuTextureView, GpuUncapturedErrorEvent,
  RecordGpuPipelineConstantValue, RecordOptionGpuSize64, WgslLanguageFeatures, webgpu,
  surface, surfaceWebgpu, surfaceFrameBuffer, frameBuffer,
  setSurfaceOptions, withSurfaceOptions, shimMemoryBytes, RAW_FUNCTIONS, loweredFunctions, tableStats,
  flushRecorded, recorderStats,
} = shim;
