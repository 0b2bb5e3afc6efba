// A step over jco 1.35.0's hybrid output: what the recorder
// (npm/recorder.js) needs from the glue before it holds a guest's pass
// commands back.
//
// The recorder caches which handles it has checked, and a cached handle
// must not outlive its table entry: jco removes entries (a drop, an own
// handle moving out, a borrow's scope ending) in one function,
// `rscTableRemove`, which this step makes tell the package first, through
// `globalThis[Symbol.for('wasi-webgpu-shim.handleRemoved')]`. It also marks
// each `cabiLower` call (`wasiWebgpuRecorder: 1` in its options), so the
// recorder only takes imports of a glue that tells it. A glue transpiled
// without this step keeps the raw bindings, one crossing per command.
//
// Anchored like the other steps: refused whole (nothing patched, no
// recorder) when jco's text is not as jco 1.35.0 writes it.

export class RecorderHooksError extends Error {
  constructor(what) {
    super(`jco's glue is not as jco 1.35.0 writes it (${what}); nothing was patched, and pass commands cross into JS one by one.`);
    this.name = 'RecorderHooksError';
  }
}

const REMOVE = /^( *)function rscTableRemove\(table, handle\) \{\n/m;
const LOWER_CALL = /\[symbolCabiLower\]\(\{/g;

/**
 * @param {string} source the glue after the hybrid step
 * @returns {{source: string, marked: number}} marked: the cabiLower calls
 *   marked (0 when the glue has none, or no resource tables)
 */
export function addRecorderHooks(source) {
  const lowerings = source.match(LOWER_CALL)?.length ?? 0;
  if (lowerings === 0) return { source, marked: 0 };
  if (source.includes('wasiWebgpuRecorder')) throw new RecorderHooksError('already patched');
  const remove = REMOVE.exec(source);
  // No resource table: nothing the recorder could hold names a handle.
  if (remove === null) return { source, marked: 0 };
  if (source.split('function rscTableRemove(').length !== 2) throw new RecorderHooksError('rscTableRemove, once');
  const at = remove.index + remove[0].length;
  const hook = `${remove[1]}  globalThis[Symbol.for('wasi-webgpu-shim.handleRemoved')]?.(); // wasi-webgpu-shim (npm/cli/recorder-hooks.js)\n`;
  const hooked = source.slice(0, at) + hook + source.slice(at);
  return { source: hooked.replace(LOWER_CALL, '[symbolCabiLower]({ wasiWebgpuRecorder: 1,'), marked: lowerings };
}
