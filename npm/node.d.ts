/** What a run of a component reports. */
export interface RunReport {
  /** True when the export returned (its `ok`, for a result). */
  ok: boolean;
  /** The export called: `wasi:cli/run`, `start`, or the one named. */
  export?: string;
  /** Its return value as JSON: typed arrays as arrays, u64 as decimal strings. */
  result?: unknown;
  /** Where it ended early: loading, choosing the export, a trap, a host import that threw, an error result, time, or the guest's own exit. */
  stage?: 'load' | 'export' | 'trap' | 'host' | 'result' | 'timeout' | 'exit' | 'adapter';
  /** The guest's error value, or the trap's, host import's or loader's message. */
  error?: string;
  /** With stage 'host': the import that threw (`wasi:cli/stdout@0.2.3#get-stdout`, `[resource-drop]OutputStream`). */
  hostImport?: string;
  /** With stage 'exit': the code the guest gave wasi:cli/exit (ok is true for 0). */
  exitCode?: number;
  /** Lines the guest printed (`print`, wasi:cli stdout). */
  output: string[];
  /** Lines the guest wrote to wasi:cli stderr. */
  stderr: string[];
  /** Uncaptured WebGPU errors of every device the component made. */
  gpuErrors: Array<{ kind: string; message: string }>;
  /** The adapter the page gets by default (stage 'adapter': a software or missing one where the GPU was required). */
  adapter?: AdapterReport;
}

/** What `navigator.gpu.requestAdapter()` gave the page, asked twice if the first answer was null. */
export interface AdapterReport {
  found: boolean;
  /** Why there is none, when `found` is false. */
  reason?: string;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  /** A fallback adapter, or one whose names are a CPU rasterizer's (SwiftShader, lavapipe, llvmpipe, WARP). */
  software?: boolean;
  /** How many requests it took (2 where the first gave null). */
  requests: number;
}

export interface Transpiled {
  name: string;
  outDir: string;
  /** The JS module to import. */
  module: string;
  bindings: 'js' | 'hybrid';
  /** With hybrid bindings: the imports given a `cabiLower` hook (WIT names, `iface#function`). */
  hooked: string[];
  /** With hybrid bindings: the imports left on jco's glue (a future or stream in their signature), and why. */
  skipped: Array<{ name: string; reason: string }>;
  provided: string[];
  /** WASI imports the package's own WASI (wasi-webgpu-shim/wasi) provides. */
  wasi: string[];
  preview2: string[];
  /** WASI 0.3 imports jco maps to @bytecodealliance/preview3-shim (with `wasi: 'jco'`). */
  preview3: string[];
  missing: string[];
  /** Why all WASI 0.2 stayed on preview2-shim, when it did. */
  wasiOnPreview2?: string;
}

export interface TranspileOptions {
  name?: string;
  /** The specifier the output imports the package by (default 'wasi-webgpu-shim'). */
  shim?: string;
  /** jco's import bindings: 'hybrid' (default; raw bindings for the hot calls) or 'js'. */
  bindings?: 'js' | 'hybrid';
  /** jco's `--instantiation async` output instead of ES module imports. */
  instantiation?: 'async';
  /** More jco maps, import name to `specifier[#export]`; they win over the package's for the same import. */
  maps?: Record<string, string>;
  /** Who implements the component's WASI: 'package' (default, wasi-webgpu-shim/wasi) or 'jco' (preview2-shim, preview3-shim). */
  wasi?: 'package' | 'jco';
  /** Leave `<name>.js` unminified (default false: minified, its readable text in `<name>.js.map`). */
  readable?: boolean;
  log?: (line: string) => void;
}

export interface RunOptions {
  call?: string;
  args?: unknown[];
  argTypes?: string[];
  timeout?: number;
  /** What wasi:cli gives the guest: arguments, environment, stdin. */
  wasi?: { args?: string[]; env?: Record<string, string>; stdin?: string };
  onLine?: (line: string) => void;
  /** Each line the guest writes to wasi:cli stderr. */
  onErrorLine?: (line: string) => void;
  /** Progress lines, the adapter's among them ("adapter: nvidia hopper (...), isFallbackAdapter false"). */
  onStatus?: (line: string) => void;
  /** false: the machine's GPU (Chromium's hardware flags; Firefox sees every Vulkan driver). Default true. */
  software?: boolean;
  /** Stop with stage 'adapter' before the guest runs when the adapter is software or missing. Default: !software (browsers); false (Deno). */
  requireHardware?: boolean;
}

export const JCO_VERSION: string;
export const PROVIDED: Array<[string, (shim: string) => string]>;
export function transpile(component: string, outDir: string, options?: TranspileOptions): Transpiled;
export function transpileCached(component: string, options?: TranspileOptions, where?: { from?: string }): Transpiled;
/**
 * jco 1.35.0's transpile with `args` (starting with 'transpile'), then for
 * `bindings: 'hybrid'` the package's step that adds the hybrid hooks, the
 * package's other steps, and (unless `readable`) minifying with a source map.
 */
export function jcoTranspile(component: string, outDir: string, name: string, args: string[],
  options?: { bindings?: 'js' | 'hybrid'; instantiation?: 'async'; readable?: boolean; log?: (line: string) => void }):
  { bindings: 'js' | 'hybrid'; hooked: string[]; skipped: Array<{ name: string; reason: string }> };
/**
 * Turns the main .js file of jco 1.35.0's default-bindings output into what
 * `--import-bindings hybrid` writes, leaving imports with a future or a
 * stream on jco's glue; throws HybridError for anything it does not recognise.
 */
export function addCabiLowerHooks(source: string, options?: { fixCreatedReps?: boolean; skipErrorContext?: boolean }):
  { source: string; hooked: string[]; skipped: Array<{ name: string; reason: string }> };
export class HybridError extends Error {}
export function componentImports(component: string): string[];
export function classifyImports(imports: string[], options?: { wasi?: 'package' | 'jco' }):
  { provided: string[]; wasi: string[]; preview2: string[]; preview3: string[]; missing: string[]; wasiOnPreview2?: string };
export function runInBrowser(transpiled: Transpiled, browser: 'chromium' | 'firefox', options?: RunOptions): Promise<RunReport>;
export function runInDeno(transpiled: Transpiled, options?: RunOptions): Promise<RunReport>;
export function serveComponent(transpiled: Transpiled, options?: { port?: number; autorun?: { call?: string; args?: unknown[]; argTypes?: string[] } }): Promise<import('node:http').Server>;
export function findDeno(): string | null;
export function findBrowser(browser: 'chromium' | 'firefox'): string | null;
export function chromiumLaunchOptions(options?: { executablePath?: string | null; software?: boolean }): Record<string, unknown>;
export function firefoxLaunchOptions(options?: { executablePath?: string | null; software?: boolean }): Record<string, unknown>;
export function playwrightUse(browser: 'chromium' | 'firefox', options?: { executablePath?: string | null; software?: boolean }): Record<string, unknown>;
export class UsageError extends Error {}

/** What `makeComponent` and `stripBindgen` took out of a core module. */
export interface Stripped {
  /** wasm-bindgen's exports removed (`__wbindgen_describe_*` and the like). */
  removedExports: number;
  /** Imports from wasm-bindgen's JS the module had (all gone from the result). */
  removedImports: number;
  /** The wasm-bindgen intrinsics still referenced, each with what it became: `__wbindgen_throw (trap)`. */
  replaced: string[];
}
/**
 * `wasi-webgpu-shim component`: a core module (wit-bindgen's, built for
 * wasm32-unknown-unknown or wasm32-wasip1) made into a component with
 * `jco new`, after removing wasm-bindgen's exports and what only they reach.
 * Rejects with a UsageError naming a JS function the exports still reach.
 */
export function makeComponent(core: string, output: string, options?: { log?: (line: string) => void }): Promise<Stripped & { output: string }>;
/** The stripping step alone, on a core module's bytes. */
export function stripBindgen(bytes: Uint8Array, options?: { file?: string }): Promise<Stripped & { bytes: Uint8Array }>;
