// The robustness harness, direct half: drives the shim's classes through
// random sequences of WIT calls with random arguments, valid and invalid,
// built from web-tests/generated/wit-signatures.json (derived from the WIT),
// and checks every outcome the way jco's glue would treat it:
//
// - a function without a `result` must return (a throw would trap the guest);
// - a function with a `result` may throw or reject only with its WIT error
//   record (a plain Error would trap);
// - what comes back must have the WIT type (a wrong enum string, a missing
//   flag or a foreign class makes jco's lowering throw, which also traps);
// - no Rust panic (console_error_panic_hook's "panicked at"), no unhandled
//   rejection, and every uncaptured GPU error is a GPUError subclass.
//
// Arguments stay inside their WIT types, since that is all a guest can send,
// but range over the cases that break hosts: sizes past every limit, u64
// above 2^53, unaligned offsets, NaN and infinite floats, destroyed
// resources, resources of another device, objects used after their encoder
// finished, re-entrant mapping. Counts that would make the GPU run for
// minutes (draw and dispatch sizes) stay small or exceed the limits.

import { camelCase, pascalCase } from './wit-names.js';

const SKIP = Symbol('skip');
const isComposite = (type) => type !== null && typeof type === 'object';

/** A small, fast, seedable PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

const SHADERS = [
  '@group(0) @binding(0) var<storage, read_write> v: array<u32>;\n@compute @workgroup_size(1) fn main() { v[0] = 7u; }',
  '@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f { return vec4f(f32(i % 2u), f32(i / 2u), 0.0, 1.0); }\n' +
    '@fragment fn fs() -> @location(0) vec4f { return vec4f(1.0, 0.5, 0.25, 1.0); }',
  '@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0.0, 1.0); }\n' +
    '@group(0) @binding(0) var t: texture_2d<f32>;\n@group(0) @binding(1) var s: sampler;\n' +
    '@fragment fn fs() -> @location(0) vec4f { return textureSample(t, s, vec2f(0.5)); }',
  'override k: f32 = 1.0;\n@compute @workgroup_size(2) fn main() { _ = k; }',
  '@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }',
  'this is not wgsl',
  '',
];
const ENTRY_POINTS = ['main', 'vs', 'fs', 'missing', ''];
const LABELS = ['', 'a', 'fuzz label', '\u{1F600} ünïcode', 'x'.repeat(300)];
const WORDS = ['', 'timestamp-query', 'shader-f16', 'depth-clip-control', 'readonly_and_readwrite_storage_textures', 'maxBufferSize', 'nonsense', 'k', '0'];
const U32_ABSURD = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 65536, 8193];
// Past every limit, for each integer width the WIT uses (s32 has 31 bits).
const ABSURD = Object.fromEntries(
  [8, 16, 31, 32].map((bits) => {
    const fit = U32_ABSURD.filter((v) => v < 2 ** bits);
    return [bits, fit.length ? fit : [2 ** bits - 1]];
  }),
);
const U64_ABSURD = [2n ** 32n, 2n ** 40n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
const FLOATS = [0, -0, 1, -1, 0.5, 255, 1e38, -1e38, NaN, Infinity, -Infinity, 1e-45];
// Parameters and fields whose size is work done, not validated against a
// limit: keep them small (or past the limit, where one exists).
const WORK_COUNTS = new Set(['vertex-count', 'instance-count', 'index-count', 'draw-count']);
const WORKGROUPS = new Set(['workgroup-count-x', 'workgroup-count-y', 'workgroup-count-z']);
const DIMENSIONS = new Set(['width', 'height', 'depth-or-array-layers']);

/** Weight of a function in the random choice (1 unless listed). */
function weightOf(name) {
  if (name === 'gpu-device.destroy') return 0.03;
  if (name === 'gpu.request-adapter' || name === 'gpu-adapter.request-device') return 0.15;
  if (name.endsWith('.destroy')) return 0.3;
  if (name.startsWith('gpu-device.create-') || name.startsWith('gpu-command-encoder.')) return 2;
  return 1;
}

/** Pool limits: the oldest object is dropped beyond them. */
const POOL_LIMIT = { gpu: 2, 'gpu-adapter': 2, 'gpu-device': 3 };
const DEFAULT_POOL_LIMIT = 16;

export function createFuzzer(shim, signatures, { seed, log = () => {} }) {
  const r = rng(seed);
  const types = signatures.types;
  const pools = new Map();
  const pool = (name) => pools.get(name) ?? pools.set(name, []).get(name);
  const classOf = (resource) => shim[pascalCase(resource)];

  const report = {
    seed,
    calls: 0,
    ok: 0,
    skipped: 0,
    drops: 0,
    witErrors: {},
    failures: [],
    perFunction: {},
  };
  const pending = new Set();
  const futures = new Set();
  const fail = (what, detail) => {
    if (report.failures.length < 50) report.failures.push({ what, detail: String(detail).slice(0, 500) });
  };
  const bump = (table, key) => (table[key] = (table[key] ?? 0) + 1);

  function adopt(resource, object) {
    const list = pool(resource);
    list.push(object);
    const limit = POOL_LIMIT[resource] ?? DEFAULT_POOL_LIMIT;
    while (list.length > limit) drop(resource, list.shift());
  }

  function drop(resource, object) {
    report.drops++;
    try {
      object[Symbol.dispose]();
    } catch (error) {
      fail(`drop ${resource}`, error?.stack ?? error);
    }
  }

  // ---- random values of a WIT type -------------------------------------

  function integer(bits, name) {
    if (WORK_COUNTS.has(name)) return r.int(r.chance(0.8) ? 8 : 65);
    if (WORKGROUPS.has(name)) return r.chance(0.9) ? r.int(5) : r.pick([65536, 2 ** 32 - 1]);
    if (DIMENSIONS.has(name) && r.chance(0.9)) return r.int(r.chance(0.7) ? 5 : 33);
    const roll = r.next();
    if (roll < 0.45) return r.int(9);
    if (roll < 0.7) return r.int(65);
    if (roll < 0.8) return r.pick([4, 8, 16, 64, 256, 512, 1024, 4096]);
    if (roll < 0.88) return r.pick([1, 2, 3, 5, 6, 7, 255, 257, 1023]);
    return r.pick(ABSURD[bits]);
  }

  function u64(name) {
    if (r.chance(0.1)) return r.pick(U64_ABSURD);
    return BigInt(integer(32, name) % 8193);
  }

  function bytes(name) {
    // Small little-endian u32 words: random data can end up as indirect
    // draw arguments, and a count of 2^32 would make the GPU draw for minutes.
    const length = r.chance(0.1) ? r.pick([1, 2, 3, 5, 255, 257]) : 4 * r.int(r.chance(0.8) ? 17 : 1025);
    const data = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) data[i] = r.int(17);
    return data;
  }

  function string(name) {
    if (name === 'code') return r.pick(SHADERS);
    if (name === 'entry-point') return r.pick(ENTRY_POINTS);
    if (name === 'label' || name === 'group-label' || name === 'marker-label') return r.pick(LABELS);
    return r.pick(WORDS);
  }

  function value(type, name = '') {
    if (typeof type === 'string') {
      switch (type) {
        case 'bool': return r.chance(0.5);
        case 'u8': return integer(8, name);
        case 'u16': return integer(16, name);
        case 'u32': return integer(32, name);
        case 's32': return r.chance(0.2) ? -integer(31, name) : integer(31, name);
        case 'u64': return u64(name);
        case 'f32': case 'f64': return r.chance(0.6) ? r.int(5) / 4 : r.pick(FLOATS);
        case 'string': return string(name);
        default: throw new Error(`the harness has no generator for ${type}`);
      }
    }
    if (type.type) return named(type.type, name);
    if ('option' in type) {
      const nested = typeof type.option === 'object' && 'option' in type.option;
      if (r.chance(0.35)) return nested ? { tag: 'none' } : undefined;
      const inner = value(type.option, name);
      return nested ? { tag: 'some', val: inner } : inner;
    }
    if ('list' in type) {
      if (type.list === 'u8') return bytes(name);
      return Array.from({ length: r.int(r.chance(0.8) ? 3 : 9) }, () => value(type.list, name));
    }
    if ('borrow' in type) {
      const live = pool(type.borrow);
      if (!live.length) throw SKIP;
      return r.pick(live);
    }
    if ('own' in type) {
      // The guest gives the object away: it leaves the pool.
      const live = pool(type.own);
      if (!live.length) throw SKIP;
      return live.splice(r.int(live.length), 1)[0];
    }
    if ('tuple' in type) return type.tuple.map((t) => value(t, name));
    throw new Error(`the harness has no generator for ${JSON.stringify(type)}`);
  }

  function named(typeName, name) {
    const def = types[typeName];
    if (def.record) {
      const out = {};
      for (const [field, fieldType] of def.record) {
        const v = value(fieldType, field);
        if (v !== undefined) out[camelCase(field)] = v;
      }
      return out;
    }
    if (def.enum) return r.pick(def.enum);
    if (def.flags) {
      const out = {};
      for (const flag of def.flags) out[camelCase(flag)] = r.chance(0.25);
      return out;
    }
    if (def.variant) {
      const [tag, caseType] = r.pick(def.variant);
      return caseType === null ? { tag } : { tag, val: value(caseType, name) };
    }
    if (def.resource) return value({ borrow: typeName }, name);
    throw new Error(`unknown type ${typeName}`);
  }

  // ---- checking what comes back -----------------------------------------

  /** Why `v` is not a value of `type` as jco lowers it, or null. */
  function mismatch(v, type, path) {
    if (type === null) return null;
    if (typeof type === 'string') {
      switch (type) {
        case 'bool': return typeof v === 'boolean' ? null : `${path}: ${typeof v}, not bool`;
        case 'u8': case 'u16': case 'u32': {
          const max = { u8: 2 ** 8, u16: 2 ** 16, u32: 2 ** 32 }[type];
          return Number.isInteger(v) && v >= 0 && v < max ? null : `${path}: ${String(v)} is not a ${type}`;
        }
        case 's32': return Number.isInteger(v) && Math.abs(v) <= 2 ** 31 ? null : `${path}: ${String(v)} is not an s32`;
        case 'u64': {
          const ok = (typeof v === 'bigint' && v >= 0n && v < 2n ** 64n) || (Number.isSafeInteger(v) && v >= 0);
          return ok ? null : `${path}: ${String(v)} is not a u64`;
        }
        case 'f32': case 'f64': return typeof v === 'number' ? null : `${path}: ${typeof v}, not a float`;
        case 'string': return typeof v === 'string' ? null : `${path}: ${typeof v}, not a string`;
        default: return null;
      }
    }
    if (type.type) {
      const def = types[type.type];
      if (def.resource) return v instanceof classOf(type.type) ? null : `${path}: not a ${pascalCase(type.type)}`;
      if (def.enum) return def.enum.includes(v) ? null : `${path}: ${JSON.stringify(v)} is not a ${type.type} case`;
      if (def.flags) {
        if (!v || typeof v !== 'object') return `${path}: flags are not an object`;
        for (const flag of def.flags) {
          if (typeof v[camelCase(flag)] !== 'boolean') return `${path}.${camelCase(flag)}: not a boolean`;
        }
        return null;
      }
      if (def.record) {
        if (!v || typeof v !== 'object') return `${path}: record is not an object`;
        for (const [field, fieldType] of def.record) {
          const why = mismatch(v[camelCase(field)], fieldType, `${path}.${camelCase(field)}`);
          if (why) return why;
        }
        return null;
      }
      if (def.variant) {
        const found = v && def.variant.find(([tag]) => tag === v.tag);
        if (!found) return `${path}: ${JSON.stringify(v?.tag)} is not a ${type.type} case`;
        return found[1] === null ? null : mismatch(v.val, found[1], `${path}.val`);
      }
    }
    if ('own' in type || 'borrow' in type) {
      const resource = type.own ?? type.borrow;
      return v instanceof classOf(resource) ? null : `${path}: not a ${pascalCase(resource)}`;
    }
    if ('option' in type) {
      // jco lowers the outer layer of option<option<T>> from { tag }.
      const nested = typeof type.option === 'object' && 'option' in type.option;
      if (nested) {
        if (v?.tag === 'none') return null;
        return v?.tag === 'some' ? mismatch(v.val, type.option, `${path}.val`) : `${path}: not { tag: 'none' | 'some' }`;
      }
      return v === undefined || v === null ? null : mismatch(v, type.option, path);
    }
    if ('list' in type) {
      if (type.list === 'u8' && v instanceof Uint8Array) return null;
      if (!Array.isArray(v)) return `${path}: not an array`;
      for (let i = 0; i < v.length; i++) {
        const why = mismatch(v[i], type.list, `${path}[${i}]`);
        if (why) return why;
      }
      return null;
    }
    if ('result' in type) return type.result[0] === null ? null : mismatch(v, type.result[0], path);
    if ('future' in type) return typeof v?.then === 'function' ? null : `${path}: not a thenable`;
    if ('stream' in type) {
      const ok = v instanceof ReadableStream || typeof v?.[Symbol.asyncIterator] === 'function';
      return ok ? null : `${path}: not a stream`;
    }
    return null;
  }

  /** Owned resources in a returned value go into the pools. */
  function collect(v, type) {
    if (v === undefined || v === null || typeof type === 'string') return;
    if ('own' in type) return adopt(type.own, v);
    if ('option' in type) {
      const nested = typeof type.option === 'object' && 'option' in type.option;
      return collect(nested ? v?.val : v, type.option);
    }
    if ('list' in type && Array.isArray(v)) return v.forEach((item) => collect(item, type.list));
    if ('result' in type && type.result[0] !== null) return collect(v, type.result[0]);
  }

  function checkError(fn, error) {
    const errType = isComposite(fn.result) && 'result' in fn.result ? fn.result.result[1] : undefined;
    if (errType === undefined) {
      fail(`${fn.name} threw (would trap the guest)`, error?.stack ?? describe(error));
      return;
    }
    const payload = error && Object.prototype.hasOwnProperty.call(error, 'payload') ? error.payload : error;
    if (payload instanceof Error) {
      fail(`${fn.name} threw an Error without a payload (would trap the guest)`, payload.stack ?? payload);
      return;
    }
    const why = errType === null ? null : mismatch(payload, errType, 'error');
    if (why) fail(`${fn.name} error does not have the WIT type`, `${why}: ${describe(payload)}`);
    else bump(report.witErrors, `${fn.name}: ${payload?.kind?.tag ?? 'err'}`);
  }

  function describe(v) {
    try {
      return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
    } catch {
      return String(v);
    }
  }

  function settle(fn, promise, into = pending) {
    const resultType = fn.result;
    const tracked = promise.then(
      (v) => {
        const why = mismatch(v, resultType, 'resolved');
        if (why) fail(`${fn.name} resolved with a value of the wrong type`, why);
        else collect(v, resultType);
      },
      (error) => checkError(fn, error),
    );
    tracked.call = fn.name;
    into.add(tracked);
    tracked.finally(() => into.delete(tracked));
  }

  async function consume(fn, stream, elementType) {
    // What a guest does with a stream: read a little, then drop it.
    const reader = stream.getReader();
    const reads = r.int(3);
    try {
      for (let i = 0; i < reads; i++) {
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 30));
        const got = await Promise.race([reader.read(), timeout]);
        if (got === 'timeout') break;
        if (got.done) return;
        const why = mismatch(got.value, elementType, 'stream item');
        if (why) fail(`${fn.name} stream item of the wrong type`, why);
        else collect(got.value, elementType);
      }
      await reader.cancel();
    } catch (error) {
      fail(`${fn.name} stream failed`, error?.stack ?? error);
    }
  }

  // ---- one call ------------------------------------------------------------

  const callable = signatures.functions.map((fn) => ({ fn, weight: weightOf(fn.name) }));
  const totalWeight = callable.reduce((sum, c) => sum + c.weight, 0);

  function chooseFunction() {
    let roll = r.next() * totalWeight;
    for (const c of callable) {
      roll -= c.weight;
      if (roll <= 0) return c.fn;
    }
    return callable[callable.length - 1].fn;
  }

  function invoke(fn, args) {
    const [owner, item] = fn.name.includes('.') ? fn.name.split('.') : [null, fn.name];
    if (fn.kind === 'function') return shim[camelCase(item)](...args);
    if (fn.kind === 'constructor') return new (classOf(owner))(...args);
    if (fn.kind === 'static') return classOf(owner)[camelCase(item)](...args);
    const [self, ...rest] = args;
    return self[camelCase(item)](...rest);
  }

  function step() {
    if (r.chance(0.04)) {
      const nonEmpty = [...pools].filter(([, list]) => list.length);
      if (nonEmpty.length) {
        const [resource, list] = r.pick(nonEmpty);
        drop(resource, list.splice(r.int(list.length), 1)[0]);
        return;
      }
    }
    // A function whose resources are not in the pools yet cannot be
    // called; draw again.
    let fn;
    let args;
    for (let attempt = 0; !args; attempt++) {
      if (attempt === 200) return;
      fn = chooseFunction();
      try {
        args = fn.params.map(([name, type]) => value(type, name));
      } catch (error) {
        if (error !== SKIP) throw error;
        report.skipped++;
      }
    }
    report.calls++;
    bump(report.perFunction, fn.name);
    let returned;
    try {
      returned = invoke(fn, args);
    } catch (error) {
      checkError(fn, error);
      return;
    }
    if (fn.async) {
      if (typeof returned?.then !== 'function') fail(`${fn.name} (async) returned no promise`, describe(returned));
      else settle(fn, returned);
      return;
    }
    const why = mismatch(returned, fn.result ?? 'unit', 'returned');
    if (why) {
      fail(`${fn.name} returned a value of the wrong type`, why);
      return;
    }
    report.ok++;
    if (isComposite(fn.result) && 'future' in fn.result) {
      // A future may rightly never resolve (a device that is never lost):
      // it is checked if it does, never awaited.
      settle({ ...fn, result: fn.result.future }, returned, futures);
    } else if (isComposite(fn.result) && 'stream' in fn.result) {
      const done = consume(fn, returned, fn.result.stream);
      done.call = fn.name;
      pending.add(done);
      done.finally(() => pending.delete(done));
    } else {
      collect(returned, fn.result);
    }
  }

  async function settleAll(ms) {
    const all = Promise.allSettled([...pending]);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
    if ((await Promise.race([all, timeout])) !== 'timeout') return '';
    return [...pending].map((p) => p.call).join(', ');
  }

  return {
    report,
    pools,
    /** Seeds the pools with what no WIT function creates on its own. */
    prime(extra) {
      for (const [resource, objects] of Object.entries(extra)) for (const o of objects) adopt(resource, o);
    },
    async run(calls, { batch = 100 } = {}) {
      const start = report.calls;
      while (report.calls - start < calls) {
        for (let i = 0; i < batch && report.calls - start < calls; i++) step();
        // Let the browser resolve what is outstanding, as a guest awaiting
        // its futures would; a map that never settles shows up here.
        if (pending.size > 64 || r.chance(0.3)) {
          const stuck = await settleAll(10_000);
          if (stuck) fail('outstanding calls did not settle in 10 s', stuck);
        }
        log(report.calls);
      }
      const stuck = await settleAll(20_000);
      if (stuck) fail('outstanding calls did not settle in 20 s', stuck);
      return report;
    },
    /** Drops everything the pools hold, as a guest exiting would. */
    dropAll() {
      for (const [resource, list] of pools) while (list.length) drop(resource, list.pop());
    },
  };
}
