// Page-wide watchers for the robustness harness and the lifetime tests: what
// no single call can report. Install before the shim creates any device.
//
// - Rust panics: console_error_panic_hook writes "panicked at" to
//   console.error.
// - Unhandled promise rejections anywhere on the page.
// - Uncaptured GPU errors on every device the page creates, by class, and
//   the number of uncapturederror listeners each device holds (the shim's
//   on-uncaptured-error stream must remove its own when dropped).

let installed;

export function watch() {
  if (installed) return installed;
  const state = {
    panics: [],
    unhandledRejections: [],
    uncaptured: {},
    devices: [],
  };
  const originalError = console.error;
  console.error = (...args) => {
    const text = args.map((a) => (a?.stack ?? String(a))).join(' ');
    if (text.includes('panicked at')) state.panics.push(text.slice(0, 500));
    originalError.apply(console, args);
  };
  addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    state.unhandledRejections.push(String(reason?.stack ?? JSON.stringify(reason) ?? reason).slice(0, 500));
  });

  const listeners = new WeakMap();
  const addListener = GPUDevice.prototype.addEventListener;
  const removeListener = GPUDevice.prototype.removeEventListener;
  GPUDevice.prototype.addEventListener = function (type, listener, options) {
    if (type === 'uncapturederror') {
      const set = listeners.get(this) ?? listeners.set(this, new Set()).get(this);
      set.add(listener);
    }
    return addListener.call(this, type, listener, options);
  };
  GPUDevice.prototype.removeEventListener = function (type, listener, options) {
    if (type === 'uncapturederror') listeners.get(this)?.delete(listener);
    return removeListener.call(this, type, listener, options);
  };

  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    state.devices.push(new WeakRef(device));
    addListener.call(device, 'uncapturederror', (event) => {
      const kind = event.error?.constructor?.name ?? 'unknown';
      state.uncaptured[kind] = (state.uncaptured[kind] ?? 0) + 1;
    });
    return device;
  };

  installed = {
    state,
    /** uncapturederror listeners the shim holds, summed over live devices. */
    shimListeners() {
      let count = 0;
      for (const ref of state.devices) count += listeners.get(ref.deref())?.size ?? 0;
      return count;
    },
    summary() {
      return {
        panics: state.panics.length,
        unhandledRejections: state.unhandledRejections.length,
        uncaptured: { ...state.uncaptured },
        samples: [...state.panics.slice(0, 3), ...state.unhandledRejections.slice(0, 3)],
      };
    },
  };
  return installed;
}
