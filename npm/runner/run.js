// Runs one export of a component transpiled by the CLI, in a page or in
// Deno, and reports what happened as plain JSON: the same code behind
// `wasi-webgpu-shim run`, `serve` and the Playwright kit's fixture.

const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

/**
 * @param {string} moduleUrl the transpiled component's JS
 * @param {{call?: string, args?: unknown[], argTypes?: string[], print?: (line: string) => void,
 *   printError?: (line: string) => void, onGpuError?: (error: {kind: string, message: string}) => void,
 *   wasi?: {args?: string[], env?: Record<string, string>, stdin?: string}}} options
 *   `argTypes` are the parameter types jco's .d.ts gives, so JSON arrays
 *   can become the typed arrays jco expects for `list<u32>` and the like.
 *   `print` hears each line of the guest's stdout (and `print` import),
 *   `printError` each line of its stderr. `onGpuError` hears each
 *   uncaptured GPU error as it happens: a guest that draws frames forever
 *   never returns a report. `wasi` is what wasi:cli gives the guest.
 *   `instantiation`: the module is jco's instantiation-mode output; the
 *   runner instantiates it with the package, a `print` and a WASI of its own.
 */
export async function runComponent(moduleUrl, { call, args = [], argTypes = [], print, printError, onGpuError, wasi: wasiOptions = {}, instantiation = false } = {}) {
  const output = [];
  const stderr = [];
  const gpuErrors = [];
  const emit = (line) => {
    output.push(line);
    print?.(line);
  };
  const emitError = (line) => {
    stderr.push(line);
    printError?.(line);
  };
  // What the guest prints: through `print`, through the package's WASI,
  // and through wasi:cli of jco's preview2-shim (a guest that imports WASI
  // the package does not implement), which writes with console.log.
  globalThis.wasiPrint = (text) => emit(String(text));
  console.log = (...parts) => emit(parts.map(String).join(' '));
  // The page's WASI, when the page maps it (the CLI's page and Deno do).
  const wasi = await import('wasi-webgpu-shim/wasi').catch(() => null);
  wasi?.setWasiOptions({ stdout: emit, stderr: emitError, ...wasiOptions });
  watchUncapturedErrors((error) => {
    gpuErrors.push(error);
    onGpuError?.(error);
  });
  const report = (fields) => {
    wasi?.flushWasiOutput();
    return { output, stderr, gpuErrors, ...fields };
  };

  let app;
  try {
    app = await import(moduleUrl);
    if (instantiation) app = await instantiateOwn(app, moduleUrl, { emit, emitError, wasiModule: wasi, wasiOptions });
  } catch (error) {
    return report({ ok: false, stage: 'load', error: describe(error) });
  }
  const picked = pickExport(app, call);
  if (picked.error) return report({ ok: false, stage: 'export', error: picked.error });
  try {
    const values = args.map((value, i) => toGuest(value, argTypes[i]));
    const result = await picked.fn(...values);
    await settleGpuErrors();
    return report({ ok: true, export: picked.name, result: toJson(result) });
  } catch (error) {
    await settleGpuErrors();
    const exit = exitOf(error);
    if (exit) return report({ ok: exit.code === 0, stage: 'exit', export: picked.name, exitCode: exit.code, result: null });
    const trapped = error instanceof WebAssembly.RuntimeError;
    const stage = error?.hostImport ? 'host' : trapped ? 'trap' : 'result';
    return report({ ok: false, stage, export: picked.name, error: describe(error), ...(error?.hostImport && { hostImport: error.hostImport }) });
  }
}

/**
 * jco's `instantiate(getCoreModule, imports)`, given what the package's
 * transpile maps to: the package, a `print` and (when the page maps the
 * package's WASI) a WASI for this instance alone.
 */
async function instantiateOwn(module, moduleUrl, { emit, emitError, wasiModule, wasiOptions }) {
  if (typeof module.instantiate !== 'function') throw new Error('the module has no instantiate export: was it transpiled with --instantiation async?');
  const imports = {
    'wasi-webgpu-shim': await import('wasi-webgpu-shim'),
    'wasi-webgpu-shim/print': { print: (text) => emit(String(text)) },
    ...(wasiModule && { 'wasi-webgpu-shim/wasi': wasiModule.createWasi({ stdout: emit, stderr: emitError, ...wasiOptions }) }),
  };
  // fetch, then compile: Deno's file responses carry no wasm content type.
  const base = new URL(moduleUrl, globalThis.location?.href ?? import.meta.url);
  const getCoreModule = async (path) => WebAssembly.compile(await (await fetch(new URL(path, base))).arrayBuffer());
  return module.instantiate(getCoreModule, imports);
}

/** The exit a guest asked for (wasi:cli/exit throws it), however jco wrapped it. */
function exitOf(error) {
  for (let e = error, depth = 0; e && depth < 4; e = e.cause ?? e.payload, depth++) {
    if (e.exitError === true && Number.isInteger(e.code)) return { code: e.code };
  }
  return null;
}

/**
 * Waits until every device's submitted work is done and the browser has
 * had a turn to dispatch the errors it raised: an export that returns right
 * after a bad call would otherwise end the run before its error arrives.
 */
async function settleGpuErrors() {
  const devices = watchedDevices.map((ref) => ref.deref()).filter(Boolean);
  await Promise.all(devices.map((device) => device.queue.onSubmittedWorkDone().catch(() => {})));
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** `wasi:cli/run` when the component exports it, else the named export (`start` by default). */
function pickExport(app, call) {
  const names = Object.keys(app).filter((name) => name !== '_util' && !name.includes(':'));
  if (!call && typeof app.run?.run === 'function') return { name: 'wasi:cli/run', fn: () => app.run.run() };
  const wanted = call ?? 'start';
  const camel = wanted.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  for (const name of [wanted, camel]) {
    if (typeof app[name] === 'function') return { name: wanted, fn: app[name] };
  }
  const list = names.map((name) => (typeof app[name] === 'function' ? name : `${name} (an interface)`)).join(', ');
  return { error: `the component has no export \`${wanted}\`; it exports: ${list || 'nothing callable'}` };
}

function toGuest(value, type = '') {
  const typed = TYPED_ARRAYS[type.trim()];
  if (typed && Array.isArray(value)) {
    return typed.from(value, (v) => (typed === BigInt64Array || typed === BigUint64Array ? BigInt(v) : v));
  }
  if (type.trim() === 'bigint' && (typeof value === 'number' || typeof value === 'string')) return BigInt(value);
  return value;
}

/** Results as JSON can carry them: typed arrays as arrays, u64s as decimal strings. */
function toJson(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) return Array.from(value, toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

function describe(error) {
  // A host import's throw, named by the transpile step (cli/host-errors.js).
  if (error?.hostImport) return error.message;
  // jco throws a guest's `err` value as a ComponentError carrying it.
  if (error && typeof error === 'object' && 'payload' in error) {
    const payload = toJson(error.payload);
    return payload === null ? 'the guest returned an error' : typeof payload === 'string' ? payload : JSON.stringify(payload);
  }
  if (error instanceof WebAssembly.RuntimeError) return `the guest trapped: ${error.message}`;
  return error?.message ?? String(error);
}

// Every device the page creates also reports its uncaptured errors here,
// whether or not the guest listens for them itself. (Errors a guest's own
// error scope catches are the guest's: they are not uncaptured.)
let watched;
const watchedDevices = [];
function watchUncapturedErrors(onError) {
  watched = onError;
  const adapter = globalThis.GPUAdapter?.prototype;
  if (!adapter || adapter.requestDevice.wasiWatched) return;
  const requestDevice = adapter.requestDevice;
  adapter.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    watchedDevices.push(new WeakRef(device));
    device.addEventListener('uncapturederror', (event) => {
      watched({ kind: event.error?.constructor?.name ?? 'GPUError', message: String(event.error?.message ?? '').trim() });
    });
    return device;
  };
  adapter.requestDevice.wasiWatched = true;
}

/** Names software adapters give in `GPUAdapterInfo` (Chromium's SwiftShader, Mesa's lavapipe/llvmpipe, Windows' WARP). */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/**
 * The adapter a page gets by default, as the guest's own `request-adapter`
 * would: `{found, vendor, architecture, device, description,
 * isFallbackAdapter, software, requests}`. Asks a second time when the
 * first answer is null: Chromium on Linux with a real GPU answers null to
 * the first request in a fresh browser (measured: 4 of 4 times) and the
 * GPU to the next. A browser that has no adapter answers null twice, so a
 * real "no adapter" still shows. `software` is true for a fallback adapter
 * and for one whose names are a known CPU rasterizer's (Firefox reports
 * lavapipe as a CPU device but not always as a fallback).
 */
export async function probeAdapter() {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) return { found: false, requests: 0, reason: 'navigator.gpu is missing (WebGPU is off in this browser)' };
  let adapter = null;
  let requests = 0;
  while (!adapter && requests < 2) {
    requests += 1;
    adapter = await gpu.requestAdapter().catch(() => null);
  }
  if (!adapter) return { found: false, requests, reason: `requestAdapter() gave null ${requests} times` };
  const info = adapter.info ?? {};
  // Firefox gives pages empty names (its about:support has them); Chromium
  // gives device and description only with --enable-webgpu-developer-features.
  const fields = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
  const subgroups = info.subgroupMaxSize ? { subgroupMinSize: info.subgroupMinSize, subgroupMaxSize: info.subgroupMaxSize } : {};
  // Chromium 136+ and the spec put it on the info; older builds on the adapter.
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
  const software = isFallbackAdapter || Object.values(fields).some((text) => SOFTWARE_ADAPTER.test(text));
  return { found: true, ...fields, ...subgroups, isFallbackAdapter, software, requests };
}

/** One line for a probed adapter: "nvidia hopper (NVIDIA H100 80GB HBM3), isFallbackAdapter false". */
export function describeAdapter(adapter) {
  if (!adapter.found) return `no adapter: ${adapter.reason}`;
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'an adapter without a name (Firefox names none to pages)';
  const detail = [adapter.description || adapter.device, adapter.subgroupMaxSize && `subgroups ${adapter.subgroupMinSize}-${adapter.subgroupMaxSize}`].filter(Boolean).join(', ');
  const retried = adapter.requests > 1 ? `; the first requestAdapter() gave null, the ${adapter.requests === 2 ? 'second' : `request ${adapter.requests}`} this` : '';
  return `${name}${detail ? ` (${detail})` : ''}, isFallbackAdapter ${adapter.isFallbackAdapter}${adapter.software && !adapter.isFallbackAdapter ? ', a software rasterizer' : ''}${retried}`;
}

/**
 * Why a run that asked for the machine's GPU must not go on with `adapter`,
 * in one sentence, or null when it may. `where` names the browser.
 */
export function hardwareRefusal(adapter, where) {
  if (!adapter.found) return `the GPU was asked for, but ${where} gave no WebGPU adapter at all (${adapter.reason})`;
  if (!adapter.software) return null;
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unnamed';
  return `the GPU was asked for, but ${where} found only a software adapter (${name}, isFallbackAdapter ${adapter.isFallbackAdapter}): it sees no GPU it can use` +
    ' (drivers, the Vulkan loader and flags: docs/gpu.md)';
}
