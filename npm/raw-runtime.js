// The runtime under the generated raw bindings (raw-bindings.js): what jco's
// `--import-bindings hybrid` leaves to a host function that has a
// `cabiLower` form. Resource handles are resolved against jco's own handle
// tables, guest memory is read and written with the canonical ABI's bounds
// and alignment rules, and resources get stable reps so that the raw and
// the normal path agree on which object a handle names.
//
// jco's handle table layout (jco 1.35.0, `rscTableCreateOwn` in its glue):
// a JS array of pairs, handle h at [2h] (scope, or the next free slot with
// T_FLAG set) and [2h+1] (rep, with T_FLAG set for an owned handle);
// [0] heads the free list (with T_FLAG), [1] is unused. Every table carries
// a `_createdReps` Set. `tables()` checks this shape at instantiation and
// refuses anything else, since the bindings would misread it.

import { SLOT_TABLES, flushRecorded, recordedBinding, slotTables } from './recorder.js';

export { flushRecorded };

const T_FLAG = 1 << 30;
const REP = Symbol.for('cabiRep');
const LOWER = Symbol.for('cabiLower');
const DISPOSE = Symbol.for('cabiDispose');
const RuntimeError = WebAssembly.RuntimeError;

/** rep -> wrapper, for every resource object a guest has been handed. */
const byRep = new Map();
let lastRep = 0;

/** jco handle table -> the class of the resources it holds, once known. */
const classOfTable = new WeakMap();

/** Every resource class the raw bindings have seen, prepared once. */
const prepared = new WeakSet();

/**
 * Gives `Class`'s objects reps on demand (jco reads `obj[cabiRep]` when it
 * hands one to a guest), lets jco dispose a resource it only knows by rep
 * (one a raw binding created), and lets an object jco makes up for such a
 * rep (`Object.create(Class.prototype)` with the rep) act as the real one
 * for the normal path.
 */
function prepare(Class) {
  if (prepared.has(Class)) return;
  prepared.add(Class);
  const proto = Class.prototype;
  Object.defineProperty(proto, REP, {
    configurable: true,
    get() {
      if (lastRep >= T_FLAG - 1) throw new RangeError('wasi-webgpu-shim: out of resource reps');
      const rep = ++lastRep;
      Object.defineProperty(this, REP, { value: rep, writable: true, configurable: true });
      byRep.set(rep, this);
      return rep;
    },
  });
  // jco's stand-in object for a rep it did not create has no wasm-bindgen
  // pointer and no GPU object of its own: both are read from the real one.
  // A write (wasm-bindgen's `__wrap`, `free`) makes an own property.
  for (const key of ['__wbg_ptr', '__gpuObject']) {
    Object.defineProperty(proto, key, {
      configurable: true,
      get() {
        const real = Object.hasOwn(this, REP) ? byRep.get(this[REP]) : undefined;
        return real === undefined || real === this ? undefined : real[key];
      },
      set(value) {
        Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: true });
      },
    });
  }
  const free = proto.free;
  if (typeof free === 'function') {
    const freeAndForget = function () {
      if (Object.hasOwn(this, REP)) byRep.delete(this[REP]);
      return free.call(this);
    };
    proto.free = freeAndForget;
    if (Symbol.dispose) proto[Symbol.dispose] = freeAndForget;
  }
  Class[DISPOSE] = (rep) => {
    const real = byRep.get(rep);
    if (real !== undefined) real.free();
  };
}

/** WIT names of the raw bindings jco has bound to a guest's imports. */
const lowered = new Set();

/** Which functions run raw in this page: jco asks for a `cabiLower` form only under `--import-bindings hybrid`. */
export function loweredFunctions() {
  return [...lowered];
}

/** The shim's module (its classes), for the recorder. */
let shimModule = {};
export function useShim(shim) {
  shimModule = shim;
}

/**
 * Attaches the raw binding of WIT function `witName` to
 * `Class.prototype[method]`; `recorded`, for the commands the recorder can
 * hold back (npm/recorder.js), says how.
 */
export function define(Class, method, witName, factory, recorded) {
  prepare(Class);
  const fn = Class.prototype[method];
  if (typeof fn !== 'function') throw new Error(`wasi-webgpu-shim: ${Class.name} has no method ${method}`);
  fn[LOWER] = (options) => {
    lastTables = null;
    const raw = factory(options);
    lowered.add(witName);
    if (recorded === undefined || lastTables === null) return raw;
    return recordedBinding(witName, factory, raw, options, recorded, lastTables, shimModule) ?? raw;
  };
}

/** The Tables the last factory made (define reads it right after). */
let lastTables = null;

/** A WIT u64 from a raw binding's core argument: a BigInt from the guest, a number from the recorder's replay. */
export function u64(value) {
  return typeof value === 'bigint' ? BigInt.asUintN(64, value) : value;
}

/** Every class that has raw bindings also needs reps on the normal path. */
export function prepareClasses(classes) {
  for (const Class of classes) prepare(Class);
}

function trap(message) {
  return new RuntimeError(message);
}

function checkLayout(table, name) {
  const ok =
    Array.isArray(table) &&
    table.length >= 2 &&
    table.length % 2 === 0 &&
    (table[0] & T_FLAG) !== 0 &&
    table._createdReps instanceof Set;
  if (!ok) {
    throw new Error(
      `wasi-webgpu-shim: ${name}: jco's resource tables do not have the layout of jco 1.35.0, which the raw bindings read. ` +
        'Transpile with @bytecodealliance/jco 1.35.0, or without --import-bindings hybrid.',
    );
  }
}

/** The live wrapper at handle `h` of `table`, or undefined. */
function entry(table, h) {
  if (!(h > 0) || 2 * h + 1 >= table.length) return undefined;
  if ((table[2 * h] & T_FLAG) !== 0) return undefined;
  const value = table[2 * h + 1];
  if (!value) return undefined;
  return byRep.get(value & ~T_FLAG);
}

/** The class of the resources in `table`, from any live entry. */
function identify(table) {
  let Class = classOfTable.get(table);
  if (Class !== undefined) return Class;
  for (let h = 1; 2 * h + 1 < table.length; h++) {
    const wrapper = entry(table, h);
    if (wrapper !== undefined) {
      Class = Object.getPrototypeOf(wrapper).constructor;
      classOfTable.set(table, Class);
      return Class;
    }
  }
  return undefined;
}

/**
 * jco handle table -> the functions' table sets that include it. The sets
 * of one component instance reach each other through shared tables, and
 * go with the instance's tables.
 */
const setsOfTable = new WeakMap();

/**
 * The resource tables jco gives one function (in its own type order, which
 * the WIT does not determine) and the classes the function's types name.
 * Tables are matched to classes by what they hold; a table a function can
 * only return into (nothing of it live yet) is found by elimination, here
 * or in any other function's tables.
 */
class Tables {
  constructor(tables, classes, name) {
    for (const table of tables) checkLayout(table, name);
    if (tables.length !== classes.length) {
      throw new Error(`wasi-webgpu-shim: ${name}: jco gave ${tables.length} resource tables for ${classes.length} resource types`);
    }
    this.tables = tables;
    this.classes = classes;
    this.name = name;
    this.byClass = classes.map(() => null);
    if (tables.length === 1) {
      this.byClass[0] = tables[0];
      classOfTable.set(tables[0], classes[0]);
    }
    for (const table of tables) {
      const sets = setsOfTable.get(table);
      if (sets) sets.push(this);
      else setsOfTable.set(table, [this]);
    }
  }

  /** A `borrow<T>` argument: the live resource at `h`, or a trap. */
  borrow(ci, h) {
    const table = this.byClass[ci] ?? this.find(ci, h);
    const wrapper = table === null ? undefined : entry(table, h);
    if (wrapper === undefined) throw trap(`unknown handle index ${h}`);
    return wrapper;
  }

  find(ci, h) {
    const Class = this.classes[ci];
    for (const table of this.tables) {
      const known = classOfTable.get(table);
      if (known !== undefined && known !== Class) continue;
      const wrapper = entry(table, h);
      if (wrapper instanceof Class) {
        classOfTable.set(table, Class);
        this.byClass[ci] = table;
        return table;
      }
    }
    return null;
  }

  /**
   * The table of class `ci`, by contents or elimination over every table
   * set of this instance, repeated while that settles more; null if unknown.
   */
  resolve(ci) {
    const connected = new Set([this]);
    for (const set of connected) {
      for (const table of set.tables) for (const other of setsOfTable.get(table)) connected.add(other);
    }
    let settled = -1;
    while (this.byClass[ci] === null) {
      let known = 0;
      for (const set of connected) known += set.eliminate();
      if (known === settled) return null;
      settled = known;
    }
    return this.byClass[ci];
  }

  /** Assigns what contents and elimination tell; returns how many classes have tables. */
  eliminate() {
    const unknown = [];
    for (const table of this.tables) {
      const Class = classOfTable.get(table) ?? identify(table);
      if (Class === undefined) {
        unknown.push(table);
        continue;
      }
      const ci = this.classes.indexOf(Class);
      if (ci >= 0) this.byClass[ci] = table;
    }
    const open = this.byClass.flatMap((table, ci) => (table === null ? [ci] : []));
    if (unknown.length === 1 && open.length === 1) {
      classOfTable.set(unknown[0], this.classes[open[0]]);
      this.byClass[open[0]] = unknown[0];
    }
    return this.byClass.filter((table) => table !== null).length;
  }

  /** An `own<T>` result: a new handle for `wrapper` (jco's rscTableCreateOwn). */
  own(ci, wrapper) {
    const table = this.resolve(ci);
    if (table === null) {
      throw trap(
        `wasi-webgpu-shim: ${this.name}: cannot tell which of jco's resource tables holds ${this.classes[ci].name}; ` +
          'transpile without --import-bindings hybrid',
      );
    }
    const rep = wrapper[REP];
    // jco's rscTableCreateOwn also adds the rep to `table._createdReps`, a Set
    // it never clears; the package's transpile removes that line (nothing in
    // a single component's glue reads the Set: only a borrow passed between
    // two component instances of one output does, and the transpile step
    // leaves such outputs on jco's glue). So neither do we: a raw own handle
    // leaves nothing behind when the guest drops it.
    const free = table[0] & ~T_FLAG;
    if (free === 0) {
      table.push(0, rep | T_FLAG);
      return (table.length >> 1) - 1;
    }
    table[0] = table[free << 1];
    table[free << 1] = 0;
    table[(free << 1) + 1] = rep | T_FLAG;
    return free;
  }
}

export function tables(resourceTables, classes, name) {
  // The recorder's replay names objects by slot (npm/recorder.js).
  if (resourceTables === SLOT_TABLES) return slotTables;
  for (const table of resourceTables ?? []) {
    if (!watched.has(table)) {
      watched.add(table);
      watchedRefs.push(new WeakRef(table));
    }
  }
  lastTables = new Tables(resourceTables ?? [], classes, name);
  return lastTables;
}

// jco's handle tables the raw bindings were given, weakly: for measuring
// what the glue keeps per resource over a long run (tableStats).
const watched = new WeakSet();
let watchedRefs = [];

/**
 * What jco's handle tables behind the raw bindings hold now: live handles,
 * table slots, and `_createdReps` entries (which jco 1.35.0's own glue
 * never clears; the package's transpile step keeps them at 0). Used by
 * `npm run measure:memory -- --frames N`.
 */
export function tableStats() {
  watchedRefs = watchedRefs.filter((ref) => ref.deref() !== undefined);
  // repObjects: objects holding a rep the runtime maps back (freed ones leave).
  const stats = { tables: 0, slots: 0, liveHandles: 0, createdReps: 0, repObjects: byRep.size };
  for (const ref of watchedRefs) {
    const table = ref.deref();
    stats.tables++;
    stats.slots += table.length >> 1;
    for (let h = 1; 2 * h + 1 < table.length; h++) if ((table[2 * h] & T_FLAG) === 0 && table[2 * h + 1]) stats.liveHandles++;
    stats.createdReps += table._createdReps?.size ?? 0;
  }
  return stats;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Guest memory with the canonical ABI's checks: out of bounds or misaligned
 * traps. The memory's ArrayBuffer is kept between calls (reading
 * `memory.buffer` is a native call, slow in Firefox, and a hot command may
 * need it three times); it is fetched again once the guest has grown its
 * memory, which detaches the old buffer (byteLength 0).
 */
class Memory {
  constructor(memory, realloc, name) {
    this.memory = memory;
    this.realloc = realloc;
    this.name = name;
    this.buffer = null;
    this.view = null;
  }

  /** The current buffer. */
  buf() {
    let buffer = this.buffer;
    if (buffer === null || buffer.byteLength === 0) {
      buffer = this.memory.buffer;
      this.buffer = buffer;
      this.view = new DataView(buffer);
    }
    return buffer;
  }

  dv() {
    this.buf();
    return this.view;
  }

  /** Traps unless [ptr, ptr + len) is inside memory and ptr is aligned. */
  range(ptr, len, align) {
    ptr >>>= 0;
    if (ptr % align !== 0) throw trap(`misaligned pointer ${ptr}`);
    if (ptr + len > this.buf().byteLength) throw trap(`out of bounds: ${len} bytes at ${ptr}`);
    return ptr;
  }

  /** A parameter block or return area of `size` bytes at `ptr`. */
  check(ptr, size, align) {
    this.range(ptr, size, align);
  }

  /** A `list<u8>` as a view of guest memory: every method taking one copies it at once. */
  bytes(ptr, len) {
    len >>>= 0;
    const base = this.range(ptr, len, 1); // first: it refreshes this.buffer
    return new Uint8Array(this.buffer, base, len);
  }

  /** A `list<u32>` as a view (dynamic offsets: setBindGroup reads them at once). */
  u32s(ptr, len) {
    len >>>= 0;
    const base = this.range(ptr, len * 4, 4);
    return new Uint32Array(this.buffer, base, len);
  }

  /** Checks a list of `len` elements of `size` bytes; returns its base. */
  list(ptr, len, size, align) {
    return this.range(ptr, (len >>> 0) * size, align);
  }

  string(ptr, len) {
    len >>>= 0;
    const base = this.range(ptr, len, 1);
    return decoder.decode(new Uint8Array(this.buffer, base, len));
  }

  alloc(len, align) {
    if (typeof this.realloc !== 'function') throw new Error(`wasi-webgpu-shim: ${this.name}: jco gave no realloc`);
    return this.range(this.realloc(0, 0, align, len), len, align);
  }

  storeBytes(addr, bytes) {
    const ptr = this.alloc(bytes.length, 1);
    new Uint8Array(this.buf(), ptr, bytes.length).set(bytes);
    this.dv().setUint32(addr, ptr, true);
    this.dv().setUint32(addr + 4, bytes.length, true);
  }

  storeString(addr, text) {
    this.storeBytes(addr, encoder.encode(String(text)));
  }
}

export function memory(wasmMemory, realloc, name) {
  if (!wasmMemory) throw new Error(`wasi-webgpu-shim: ${name}: jco gave no memory`);
  return new Memory(wasmMemory, realloc, name);
}

/** jco's rule for a thrown value: the err case if it is not an Error or carries `payload`. */
export function errorPayload(e) {
  if (e && Object.hasOwn(e, 'payload')) return e.payload;
  if (e instanceof Error) throw e;
  return e;
}

export function bool(value) {
  if (value === 0) return false;
  if (value === 1) return true;
  throw new TypeError('invalid variant discriminant for bool');
}
