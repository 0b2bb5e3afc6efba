// The package's imports, as index.js (the entry) re-exports them once
// `start` has instantiated the shim's wasm: the wasi:webgpu classes on the
// browser's navigator.gpu, and the wasi-gfx surface and frame-buffer
// imports on a canvas.
import init from './pkg/wasi_webgpu_shim.js';
// The hot functions' `cabiLower` forms, used when the guest was transpiled
// with `--import-bindings hybrid` (jco's default glue ignores them); they
// bring the hot pass commands' JS bodies (generated/commands.js), which the
// classes' methods run on either path.
import './generated/raw-bindings.js';

let wasm;

/**
 * Instantiates the shim's wasm from `compiled` (a promise of its
 * WebAssembly.Module, which index.js began compiling before this module
 * was fetched). Called once, by index.js.
 */
export async function start(compiled) {
  wasm = await init({ module_or_path: await compiled });
}

/** Bytes of linear memory the shim's wasm holds (for leak checks). */
export function shimMemoryBytes() {
  return wasm.memory.buffer.byteLength;
}

// The package's own namespace, for `withSurfaceOptions`.
import * as shim from './shim.js';

export * from './generated/webgpu-exports.js';
export * from './generated/gfx-exports.js';
export { setSurfaceOptions } from './pkg/wasi_webgpu_shim.js';

/**
 * The package's imports for one component instance (jco's instantiation
 * mode) whose surfaces take `options` ({ canvas } or { container }, as
 * `setSurfaceOptions`) instead of the page's: its `Surface` class hands
 * them to the shim with each create-desc.
 */
export function withSurfaceOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('withSurfaceOptions takes an object: { canvas, container }');
  const own = { ...options };
  // The registered symbol is the one surface/host.js reads (a wasm-bindgen
  // snippet, which this module cannot import).
  class Surface extends shim.surface.Surface {
    constructor(desc) {
      super({ ...desc, [Symbol.for('wasi-webgpu-shim.surface-options')]: own });
    }
  }
  const { start: _, ...imports } = shim;
  return { ...imports, surface: Object.freeze({ Surface }) };
}
export { RAW_FUNCTIONS } from './generated/raw-bindings.js';
// For tests and tools: which functions jco's glue bound to their raw form,
// and how many handles jco's tables hold.
export { loweredFunctions, tableStats } from './raw-runtime.js';
export { flushRecorded, recorderStats } from './recorder.js';
