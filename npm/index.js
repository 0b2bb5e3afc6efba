// wasi-webgpu-shim: the wasi:webgpu imports for components transpiled with
// jco, on the browser's navigator.gpu. The wasm is loaded (once) before any
// importer runs, so the classes are ready when jco's glue links to them.
import init from './pkg/wasi_webgpu_shim.js';

await init({ module_or_path: new URL('./pkg/wasi_webgpu_shim_bg.wasm', import.meta.url) });

export * from './webgpu-exports.js';
