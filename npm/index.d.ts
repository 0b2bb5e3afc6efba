// wasi-webgpu-shim: the wasi:webgpu/webgpu@0.3.0-rc.2 imports (also served
// as @0.2.0-rc.2) and the wasi-gfx surface and frame-buffer imports, as jco's
// glue links to them. The classes are declared by wasm-bindgen's output.
// The hot pass commands' methods, which the classes get from JS bodies.
import './generated/commands.js';
export * from './generated/webgpu-exports.js';
export * from './generated/gfx-exports.js';

/** Where surfaces draw: set before the component makes its first surface. */
export interface SurfaceOptions {
  /** This canvas (or OffscreenCanvas, in a worker), or a function making one per surface. */
  canvas?: HTMLCanvasElement | OffscreenCanvas | ((desc: { width?: number; height?: number }) => HTMLCanvasElement | OffscreenCanvas);
  /** A new canvas per surface, appended here. */
  container?: HTMLElement;
}
export function setSurfaceOptions(options: SurfaceOptions): void;

/**
 * The package's imports for one instance of a component transpiled with
 * `--instantiation async`, whose surfaces use `options` instead of the
 * page's: pass it as the instance's `'wasi-webgpu-shim'` import.
 */
export function withSurfaceOptions(options: SurfaceOptions): Record<string, unknown>;

/** The WIT functions with a raw (`cabiLower`) binding, used under jco's `--import-bindings hybrid`. */
export const RAW_FUNCTIONS: readonly string[];

/** Bytes of linear memory the shim's wasm holds (for leak checks). */
export function shimMemoryBytes(): number;

/** The WIT functions jco's glue has bound to their raw form so far (hybrid bindings). */
export function loweredFunctions(): string[];

/**
 * Replays the pass commands the recorder holds (hybrid bindings hold a
 * guest's hot pass commands in wasm and replay them before any other call
 * of the shim; this does it now, e.g. before reading a held encoder's
 * effects some other way).
 */
export function flushRecorded(): void;

/**
 * What the recorder has done: imports it took, commands it replayed, in how
 * many batches, the time the replays took, and how many handles it checked
 * in jco's tables (the rest were in its cache).
 */
export function recorderStats(): { recordedImports: number; replayed: number; batches: number; replayMs: number; handleChecks: number };

/** What jco's handle tables behind the raw bindings hold now, for leak checks. */
export function tableStats(): { tables: number; slots: number; liveHandles: number; createdReps: number; repObjects: number };
