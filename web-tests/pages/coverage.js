// API coverage: which WIT functions the guests call, recorded in the page.
//
// The WIT names come from /web-tests/generated/wit-functions.json and are
// mapped to the shim's JavaScript names by wit-names.js. Methods are wrapped
// in place on the shim classes' prototypes (jco's glue checks resources with
// `instanceof` against the classes it imported, so the classes stay the
// same). Free functions and constructors are ESM exports, which cannot be
// patched in place: recording-shim.js, which the guests import as
// `wasi-webgpu-shim`, exports recording versions made here.
//
// Only calls made while a guest export is running (or a guest is being
// instantiated) count: tests also call the shim's classes directly from JS,
// and those calls are not guest calls. Tests never run both at once.
//
// The result is globalThis.__wasiWebgpuCoverage, a Set of WIT names, which
// web-tests/support/fixtures.ts collects from every page opened by openGuestPage.
import { witToJs } from './wit-names.js';

const state = (globalThis[Symbol.for('wasi-webgpu-shim.coverage')] ??= {
  active: 0,
  wrappers: new WeakMap(), // recording export -> the WIT name it records
  guests: new WeakMap(),
});
const recorded = (globalThis.__wasiWebgpuCoverage ??= new Set());
const PATCHED = Symbol.for('wasi-webgpu-shim.coverage.patched');
const LOWER = Symbol.for('cabiLower');

function record(witName) {
  if (state.active > 0) recorded.add(witName);
}

/** Calls `fn` as guest activity: shim calls made until its result settles count. */
export function asGuest(fn, thisArg = undefined, args = []) {
  state.active++;
  let result;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    state.active--;
    throw error;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
    return Promise.resolve(result).finally(() => {
      state.active--;
    });
  }
  state.active--;
  return result;
}

/** A free function the guests import (e.g. `getGpu`), recording `witName` when a guest calls it. */
export function recordingFunction(witName, fn) {
  const wrapper = {
    [fn.name](...args) {
      record(witName);
      return fn.apply(this, args);
    },
  }[fn.name];
  state.wrappers.set(wrapper, witName);
  return wrapper;
}

/**
 * A constructor the guests import, recording `witName` on `new`. A Proxy of
 * the real class: `prototype`, statics and `instanceof` are the class's own.
 */
export function recordingConstructor(witName, Class) {
  const proxy = new Proxy(Class, {
    construct(target, args, newTarget) {
      record(witName);
      return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
    },
  });
  state.wrappers.set(proxy, witName);
  return proxy;
}

/** The guest module's exports, with every function (and every function on an exported object, one level deep) counted as guest activity. */
export function trackGuest(namespace) {
  const cached = state.guests.get(namespace);
  if (cached) return cached;
  const track = (fn) =>
    new Proxy(fn, {
      apply: (target, thisArg, args) => asGuest(target, thisArg, args),
      construct: (target, args, newTarget) => asGuest(() => Reflect.construct(target, args, newTarget), undefined, []),
    });
  const tracked = {};
  for (const [key, value] of Object.entries(namespace)) {
    if (typeof value === 'function') {
      tracked[key] = track(value);
    } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      tracked[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'function' ? track(v) : v]));
    } else {
      tracked[key] = value;
    }
  }
  Object.freeze(tracked);
  state.guests.set(namespace, tracked);
  return tracked;
}

/**
 * Wraps every WIT method in place on the classes of `shim` (the package's
 * module) and checks that what the guests import (`guestShim`, the module
 * `wasi-webgpu-shim` resolves to) records free functions and constructors
 * and has the same classes. Throws if the page is wired wrongly; returns the
 * WIT functions the shim does not have at all (those stay uncovered).
 */
export async function installCoverage(shim, guestShim, witNames) {
  witNames ??= await fetch(new URL('../generated/wit-functions.json', import.meta.url)).then((r) => {
    if (!r.ok) throw new Error(`wit-functions.json: HTTP ${r.status}`);
    return r.json();
  });
  const absent = [];
  const miswired = [];
  const objects = guestShim.webgpu ? [['', guestShim], ['webgpu.', guestShim.webgpu]] : [['', guestShim]];
  for (const witName of witNames) {
    const js = witToJs(witName);
    const name = js.kind === 'function' ? js.exportName : js.className;
    if (typeof shim[name] !== 'function') {
      absent.push(witName);
      continue;
    }
    for (const [prefix, exports] of objects) {
      const imported = exports[name];
      if (js.kind === 'method') {
        if (imported?.prototype !== shim[name].prototype) miswired.push(`${prefix}${name} is not the shim's class`);
      } else if (state.wrappers.get(imported) !== witName) {
        miswired.push(`${prefix}${name} does not record ${witName}`);
      }
    }
    if (js.kind !== 'method') continue;
    const proto = shim[name].prototype;
    const descriptor = Object.getOwnPropertyDescriptor(proto, js.method);
    if (typeof descriptor?.value !== 'function') {
      absent.push(witName);
      continue;
    }
    const original = descriptor.value;
    if (original[PATCHED]) continue;
    const wrapper = {
      [js.method](...args) {
        record(witName);
        return original.apply(this, args);
      },
    }[js.method];
    wrapper[PATCHED] = true;
    // The raw binding (jco's --import-bindings hybrid) records too.
    const lower = original[LOWER];
    if (typeof lower === 'function') {
      wrapper[LOWER] = (options) => {
        const raw = lower(options);
        return function (...args) {
          record(witName);
          return raw.apply(this, args);
        };
      };
    }
    Object.defineProperty(proto, js.method, { ...descriptor, value: wrapper });
  }
  globalThis.__wasiWebgpuCoverageAbsent = absent;
  if (miswired.length) throw new Error(`coverage: the guests' wasi-webgpu-shim is wired wrongly: ${[...new Set(miswired)].join('; ')}`);
  return { absent };
}
