import type { Plugin } from 'vite';

export interface WasiWebgpuOptions {
  /** More jco maps, import name to `specifier[#export]`; they win over the package's for the same import. */
  maps?: Record<string, string>;
  /** jco's instantiation mode: a `?component` import is then `{ instantiate(getCoreModule, imports) }`. */
  instantiation?: 'async';
  /** Who implements the component's WASI: 'package' (default, wasi-webgpu-shim/wasi) or 'jco'. */
  wasi?: 'package' | 'jco';
  /** Leave the glue unminified (default false: minified, with a source map beside it). */
  readable?: boolean;
}

/** `import x from './app.wasm?component'`: the component's exports, transpiled for this package. */
export default function wasiWebgpu(options?: WasiWebgpuOptions): Plugin;
