// wasi-webgpu-shim/wasi: the WASI a component built for wasm32-wasip2 (or a
// WASI 0.3 guest) imports besides wasi:webgpu, for pages, workers and Deno:
// wasi:cli, wasi:io, wasi:clocks, wasi:random and an empty wasi:filesystem.
// `transpile` maps every WASI 0.2 version and the 0.3 versions listed in
// the README here; npm/generated/wasi.js lists the interfaces, from the WIT.
//
// The module's own exports are one instance for the page, configured with
// `setWasiOptions`; `createWasi(options)` makes another (instantiation mode
// passes one per component instance).

import { clocks } from './clocks.js';
import { createCli, LineSink, WasiExit } from './cli.js';
import { filesystem } from './filesystem.js';
import { io } from './io.js';
import { createRandom } from './random.js';

export { WasiExit };

/**
 * @param {import('./index.d.ts').WasiOptions} options
 * @returns {import('./index.d.ts').Wasi}
 */
export function createWasi(options = {}) {
  const config = { ...options };
  const sinks = {
    stdout: new LineSink((line) => (config.stdout ?? console.log)(line)),
    stderr: new LineSink((line) => (config.stderr ?? console.error)(line)),
  };
  return {
    ...io,
    ...clocks,
    ...createRandom(),
    ...filesystem,
    ...createCli(config, sinks),
    configure(next) {
      Object.assign(config, next);
    },
    flush() {
      sinks.stdout.flush();
      sinks.stderr.flush();
    },
  };
}

const page = createWasi();

/** Sets where this page's components print, and their arguments, environment and stdin. */
export function setWasiOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('setWasiOptions takes an object: { stdout, stderr, args, env, cwd, stdin }');
  page.configure(options);
}

/** Emits the page's partial output lines now (a runner calls it when a run ends). */
export function flushWasiOutput() {
  page.flush();
}

export const {
  environment, exit, stdin, stdout, stderr,
  terminalInput, terminalOutput, terminalStdin, terminalStdout, terminalStderr,
  error, poll, streams,
  monotonicClock, wallClock, systemClock,
  random, insecure, insecureSeed,
  types, preopens,
} = page;
