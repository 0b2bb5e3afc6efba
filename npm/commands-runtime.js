// What the generated command bodies (generated/commands.js) stand on. A hot
// pass command has one body, in JS, that both paths call: jco's glue through
// the class's method, the raw binding straight after lifting the guest's core
// arguments. The body calls the browser's encoder itself, so a command is one
// hop from the guest to WebGPU, with no trip through the shim's wasm.
//
// The rules here are the ones the Rust side keeps for every other call
// (crates/host/wasi-webgpu-shim/src/webgpu/invalid.rs, error.rs, convert/):
// an exception where the WIT has no error invalidates the encoder, u64 sizes
// saturate at 2^53 - 1, and set-bind-group's offset rules give range-error.

const MAX_SAFE_SIZE = 9007199254740991;
const MAX_SAFE_SIZE_BIG = 9007199254740991n;

/**
 * A WIT u64 size or offset (a BigInt from jco) as WebGPU's number. Above
 * 2^53 - 1 it saturates, which WebGPU then rejects as an ordinary
 * validation error instead of throwing a TypeError.
 */
export function size64(value) {
  return value > MAX_SAFE_SIZE_BIG ? MAX_SAFE_SIZE : Number(value);
}

/** `option<u64>`: undefined stays undefined (WebGPU's default). */
export function optionSize64(value) {
  return value === undefined ? undefined : size64(value);
}

/** `option<borrow<T>>`: the browser object, or null (unbind). */
export function optionObject(wrapper) {
  return wrapper === undefined || wrapper === null ? null : wrapper.__gpuObject;
}

function describe(exception) {
  if (exception !== null && typeof exception === 'object') {
    return [String(exception.name ?? ''), String(exception.message ?? '')];
  }
  return ['', String(exception)];
}

/**
 * The browser threw where the WIT has no error (a NaN viewport, say): the
 * encoder becomes invalid, so the guest gets a validation error when the
 * pass ends or the encoder finishes, as for every other invalid command.
 * Encoders with bind groups get an index past every limit; others an
 * unbalanced popDebugGroup. The marker leaves the browser's message in
 * captures.
 */
export function invalidate(encoder, exception) {
  const [name, message] = describe(exception);
  encoder.insertDebugMarker(message ? `${name}: ${message}` : name);
  if (typeof encoder.setBindGroup === 'function') encoder.setBindGroup(0xffffffff, null);
  else encoder.popDebugGroup();
}

/** `{ kind: { tag }, message }`: jco lowers a thrown plain object into the WIT's error record. */
function rangeError(message) {
  return { kind: { tag: 'range-error' }, message };
}

/**
 * `set-bind-group` for any encoder that has bind groups. Errs with
 * range-error (the only kind `set-bind-group-error` has) when `start` or
 * `length` reach outside the offsets, or are given without them.
 * `offsets` is a Uint32Array (on the raw path, a view of guest memory,
 * which setBindGroup reads before returning).
 */
export function setBindGroup(encoder, index, bindGroup, offsets, start, length) {
  const group = optionObject(bindGroup);
  if (offsets === undefined || offsets === null) {
    if ((start !== undefined && start !== 0n) || (length !== undefined && length !== 0)) {
      throw rangeError('dynamic offsets start/length given without offsets data');
    }
    // The common per-draw call: no offsets, nothing allocated.
    encoder.setBindGroup(index, group);
    return;
  }
  const first = start === undefined ? 0 : size64(start);
  let count = length;
  if (count === undefined) {
    // WebGPU wants a length with a start: the rest of the offsets.
    if (first > offsets.length) throw rangeError(`dynamic offsets start ${first} is past the end of ${offsets.length} offsets`);
    count = offsets.length - first;
  }
  try {
    encoder.setBindGroup(index, group, offsets, first, count);
  } catch (exception) {
    const [name, message] = describe(exception);
    throw rangeError(message || name);
  }
}

/** `label` of any resource: the browser object's. */
export function label(object) {
  return object.label;
}

/**
 * `set-label` of any resource. Deno 2.9's WebGPU has a `label` setter that
 * does nothing (the label reads back as the one the object was created
 * with); where the host ignored the new label, it becomes an own property of
 * the object, so `label` (the guest's and any JS code's) reads what was set.
 */
export function setLabel(object, label) {
  object.label = label;
  if (object.label !== label) Object.defineProperty(object, 'label', { value: label, writable: true, configurable: true });
}
