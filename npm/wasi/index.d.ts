// wasi-webgpu-shim/wasi: WASI 0.2 and 0.3 (cli, io, clocks, random, an empty
// filesystem) for components in pages, workers and Deno.

export interface WasiOptions {
  /** Each line the guest writes to stdout, without its newline (default console.log). */
  stdout?: (line: string) => void;
  /** The same for stderr (default console.error). */
  stderr?: (line: string) => void;
  /** What wasi:cli/environment's get-arguments returns (by convention the program name first). */
  args?: string[];
  /** What get-environment returns. */
  env?: Record<string, string>;
  /** What initial-cwd returns (none by default). */
  cwd?: string;
  /** What the guest reads from stdin before its end (nothing by default). */
  stdin?: string | Uint8Array;
}

/** The interface objects jco reads, by the names `transpile` maps to. */
export interface Wasi {
  [iface: string]: unknown;
  /** Changes the options of this instance. */
  configure(options: WasiOptions): void;
  /** Emits partial output lines now. */
  flush(): void;
}

/** A WASI for one component instance (jco's instantiation mode). */
export function createWasi(options?: WasiOptions): Wasi;
/** Configures the page's WASI, which components transpiled as ES modules share. */
export function setWasiOptions(options: WasiOptions): void;
/** Emits the page's partial output lines now. */
export function flushWasiOutput(): void;

/** What wasi:cli/exit throws to end the run. */
export class WasiExit extends Error {
  readonly code: number;
  readonly exitError: true;
}
