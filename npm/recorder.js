// The recorder (issue 31): a guest's hot pass commands cross into JS once a
// batch, not once each.
//
// Under `--import-bindings hybrid`, jco binds a guest's import to whatever
// function the package's `cabiLower` returns, and a WebAssembly function
// does as well as a JS one. For the pass commands the generator marks as
// recorded (crates/host/wit-codegen/src/commands.rs, `recorded_how`), that
// function is the export of a small wasm module built here: a call from the
// guest is a wasm-to-wasm call that checks the core arguments, writes them
// into the recorder's memory and returns. No JS runs and no BigInt is made.
// The held commands replay in one JS loop through the same raw bindings and
// command bodies as every other path (npm/generated/raw-bindings.js), so
// each behaviour still exists once.
//
// Order and meaning stay as without the recorder:
//   - Held commands replay before anything that could observe them or that
//     they could depend on: every other raw binding (each starts with
//     `flushRecorded()`), every method of the shim's classes once a
//     recorder exists (jco's glue calls them for the other imports, and so
//     does page JS), the freeing of a resource, and a full buffer. What the
//     held commands change is an encoder's state, which nothing outside the
//     shim can read: the guest's own code, the package's WASI and other
//     packages cannot tell.
//   - Bad input fails at the same call as without it. The module checks
//     each handle (through a cache, below), discriminant, list and return
//     pointer; anything it cannot prove good goes to the raw binding itself,
//     after the held commands replay, which traps or returns the WIT's error
//     exactly as it does for a call that is not recorded.
//   - Handles are resolved when the command is recorded, to the objects
//     jco's tables hold then (the replay uses those objects, through the raw
//     binding's own lifting), so dropping a resource right after using it
//     is fine. A cache in the recorder's memory remembers which handles were
//     good; it is forgotten at every replay and whenever jco removes a
//     handle from a table (the transpile step `npm/cli/recorder-hooks.js`
//     hooks jco's `rscTableRemove`, and marks the `cabiLower` calls of a
//     glue it hooked: only those get the recorder).
//   - A browser exception during replay invalidates the encoder, as the
//     command bodies do on every path.
import { invalidate } from './commands-runtime.js';

const LOWER = Symbol.for('cabiLower');
/** Called by the glue's hooked `rscTableRemove` (npm/cli/recorder-hooks.js). */
const HANDLE_REMOVED = Symbol.for('wasi-webgpu-shim.handleRemoved');
/** `globalThis[Symbol.for('wasi-webgpu-shim.recorder')] = false`: no recorder for guests loaded after. */
const RECORDER_SWITCH = Symbol.for('wasi-webgpu-shim.recorder');

// The recorder's memory: a cache of checked handles, then the commands.
const CACHED_HANDLES = 1024; // handles 0..1023 of each (function, argument)
const CACHED_TABLES = 64; // (function, argument) pairs with a cache
const CACHE_BYTES = CACHED_HANDLES * CACHED_TABLES * 8; // (generation, slot) each
const BUFFER_START = CACHE_BYTES;
const BUFFER_BYTES = 256 * 1024;
const BUFFER_END = BUFFER_START + BUFFER_BYTES;
const PAGES = BUFFER_END / 65536;
/** set-bind-group offsets a record copies; more go to the raw binding. */
const MAX_OFFSETS = 64;

let state = null;
const stats = { recordedImports: 0, replayed: 0, batches: 0, replayMs: 0, handleChecks: 0 };

/** What the recorder has done so far (the tests read it). */
export function recorderStats() {
  return { ...stats };
}

function createState() {
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  const buffer = memory.buffer;
  return {
    memory,
    i32: new Int32Array(buffer),
    u32: new Uint32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    cursor: new WebAssembly.Global({ value: 'i32', mutable: true }, BUFFER_START),
    generation: new WebAssembly.Global({ value: 'i32', mutable: true }, 1),
    /** Objects the held commands name, by slot. */
    slots: [],
    /** Per op: reads one record at a byte offset, replays it, returns the next offset. */
    ops: [],
    /** Per cache id: the handle's object from the function's tables, or a throw. */
    resolvers: [],
    held: false,
    replaying: false,
    modules: new Map(),
  };
}

/**
 * Replays every held command, in order. Called first by every raw binding
 * and by the shim's methods once a recorder exists; a no-op while nothing
 * is held or during the replay itself.
 */
export function flushRecorded() {
  if (state === null || !state.held || state.replaying) return;
  const s = state;
  s.replaying = true;
  try {
    const end = s.cursor.value;
    const started = performance.now();
    let count = 0;
    for (let at = BUFFER_START; at < end; count++) at = s.ops[s.i32[at >> 2]](at);
    stats.replayed += count;
    stats.batches += 1;
    stats.replayMs += performance.now() - started;
  } finally {
    s.cursor.value = BUFFER_START;
    s.slots.length = 0;
    s.held = false;
    forget();
    s.replaying = false;
  }
}

/** Every cached handle is forgotten (a new generation). */
function forget() {
  const g = state.generation;
  const next = (g.value + 1) | 0;
  if (next === 0) {
    state.i32.fill(0, 0, CACHE_BYTES >> 2);
    g.value = 1;
  } else {
    g.value = next;
  }
}

// --- the wasm ---------------------------------------------------------------

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const VALTYPE = { i32: I32, i64: I64, f32: F32, f64: F64 };

function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const name = (text) => vec([...new TextEncoder().encode(text)].map((b) => [b]));
const functype = (params, results) => [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))];

// Instructions. Memory 0 is the recorder's, memory 1 the guest's.
const op = {
  block: [0x02, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d) => [0x0c, ...uleb(d)],
  brIf: (d) => [0x0d, ...uleb(d)],
  return: [0x0f],
  call: (f) => [0x10, ...uleb(f)],
  get: (l) => [0x20, ...uleb(l)],
  set: (l) => [0x21, ...uleb(l)],
  tee: (l) => [0x22, ...uleb(l)],
  gget: (g) => [0x23, ...uleb(g)],
  gset: (g) => [0x24, ...uleb(g)],
  // memarg: alignment exponent, bit 6 set when a memory index follows.
  mem: (code, align, offset, memory = 0) => (memory === 0 ? [code, align, ...uleb(offset)] : [code, align | 0x40, ...uleb(memory), ...uleb(offset)]),
  i32: (n) => [0x41, ...sleb(n)],
  i64: (n) => [0x42, ...sleb(n)],
  memorySize: (memory) => [0x3f, ...uleb(memory)],
};
const i32Load = (offset, memory = 0) => op.mem(0x28, 2, offset, memory);
const i32Store = (offset) => op.mem(0x36, 2, offset);
const STORE = { i32: (o) => op.mem(0x36, 2, o), i64: (o) => op.mem(0x37, 3, o), f32: (o) => op.mem(0x38, 2, o), f64: (o) => op.mem(0x39, 3, o) };
const [EQZ, EQ, NE, LT_S, LT_U, GT_U, GE_S, GE_U] = [[0x45], [0x46], [0x47], [0x48], [0x49], [0x4b], [0x4e], [0x4f]];
const [ADD, SUB, MUL, AND, SHL] = [[0x6a], [0x6b], [0x6c], [0x71], [0x74]];
const [I64_NE, I64_GT_U, I64_ADD, I64_SUB, I64_SHL, WRAP, EXTEND_U] = [[0x52], [0x56], [0x7c], [0x7d], [0x86], [0xa7], [0xad]];

/**
 * The core arguments of a recorded command (the generator's kinds: `handle
 * Class`, `value i32|i64|f32|f64`, `option`, `enum N`, `list S A`, `len`,
 * `ret A`) as the module handles them; null for a shape it does not know,
 * which then stays on the raw binding.
 */
function parseKinds(kinds) {
  const args = [];
  for (let i = 0; i < kinds.length; i++) {
    const [kind, detail] = kinds[i].split(' ');
    if (kind === 'handle') args.push({ kind: 'handle', type: 'i32' });
    else if (kind === 'value' && detail in VALTYPE) args.push({ kind: 'value', type: detail });
    else if (kind === 'option') args.push({ kind: 'option', type: 'i32' });
    else if (kind === 'enum') args.push({ kind: 'enum', type: 'i32', cases: Number(detail) });
    else if (kind === 'list' || kind === 'len' || kind === 'ret') args.push({ kind, type: 'i32' });
    else return null;
  }
  return args;
}

const SET_BIND_GROUP_KINDS = ['handle', 'value i32', 'option', 'handle', 'option', 'list 4 4', 'len', 'option', 'value i64', 'option', 'value i32', 'ret 4'];

function isSetBindGroup(kinds) {
  return kinds.length === SET_BIND_GROUP_KINDS.length && kinds.every((k, i) => k === SET_BIND_GROUP_KINDS[i] || (SET_BIND_GROUP_KINDS[i] === 'handle' && k.startsWith('handle ')));
}

// Function indices: imports first.
const F_VALIDATE = 0; // (cache id, handle) -> slot, or -1
const F_FULL = 1; // () -> (): replay, the buffer is full
const F_HELD = 2; // () -> (): the first record since a replay
const F_FALLBACK = 3; // the command's own signature: its raw binding
// set-bind-group only: the guest's memory, through the reader module
// (wasm to wasm calls, so no engine needs multi-memory).
const F_LOAD = 4; // (address) -> i32
const F_STORE8 = 5; // (address, value) -> ()
const F_PAGES = 6; // () -> guest memory pages
// Globals: imports only.
const G_CURSOR = 0;
const G_GENERATION = 1;
const G_OP = 2;
const G_CACHE_ID = (k) => 3 + k;

/**
 * A module whose export `record` has the command's core signature. `args`
 * from parseKinds; `multiMemory` (set-bind-group only): import the guest's
 * memory rather than call the reader module.
 */
function buildModule(args, setBindGroup, multiMemory = false) {
  const reader = setBindGroup && !multiMemory;
  // The guest's memory: imported as memory 1 where the engine has
  // multi-memory (browsers), else through the reader module's functions.
  const guest = {
    pages: reader ? op.call(F_PAGES) : op.memorySize(1),
    load: reader ? op.call(F_LOAD) : op.mem(0x28, 2, 0, 1),
    store8: reader ? op.call(F_STORE8) : op.mem(0x3a, 0, 0, 1),
  };
  const params = args.map((a) => VALTYPE[a.type]);
  const handles = args.filter((a) => a.kind === 'handle').length;
  const types = [functype([I32, I32], [I32]), functype([], []), functype(params, []), functype([I32], [I32]), functype([I32, I32], []), functype([], [I32])];
  const imports = [
    [...name('r'), ...name('validate'), 0x00, ...uleb(0)],
    [...name('r'), ...name('full'), 0x00, ...uleb(1)],
    [...name('r'), ...name('held'), 0x00, ...uleb(1)],
    [...name('r'), ...name('fallback'), 0x00, ...uleb(2)],
    ...(reader
      ? [
          [...name('g'), ...name('load'), 0x00, ...uleb(3)],
          [...name('g'), ...name('store8'), 0x00, ...uleb(4)],
          [...name('g'), ...name('pages'), 0x00, ...uleb(5)],
        ]
      : []),
    [...name('r'), ...name('memory'), 0x02, 0x01, ...uleb(PAGES), ...uleb(PAGES)],
    ...(setBindGroup && multiMemory ? [[...name('g'), ...name('memory'), 0x02, 0x00, ...uleb(0)]] : []),
    [...name('r'), ...name('cursor'), 0x03, I32, 0x01],
    [...name('r'), ...name('generation'), 0x03, I32, 0x01],
    [...name('r'), ...name('op'), 0x03, I32, 0x00],
    ...Array.from({ length: handles }, (_, k) => [...name('r'), ...name(`cache${k}`), 0x03, I32, 0x00]),
  ];
  const F_SLOT = reader ? 7 : 4; // (cache id, handle) -> slot, through the cache
  const F_RECORD = F_SLOT + 1;
  const n = params.length;
  // Locals after the params: base, then one slot per argument, then scratch.
  const BASE = n;
  const SLOT = (i) => n + 1 + i;
  const FIRST = n + 1 + n; // i64: the first offset
  const COUNT = FIRST + 1; // i32: how many offsets
  const K = COUNT + 1; // i32: loop counter
  const fallback = [...args.flatMap((_, i) => op.get(i)), ...op.call(F_FALLBACK), ...op.return];
  const orFallback = (condition) => [...condition, ...op.if, ...fallback, ...op.end];
  const code = [];
  const size = setBindGroup ? 8 * 8 + 4 * MAX_OFFSETS : 8 * (1 + n);
  // 1. Room for the record: replay first if there is none.
  code.push(...op.gget(G_CURSOR), ...op.i32(size), ...ADD, ...op.i32(BUFFER_END), ...GT_U, ...op.if, ...op.call(F_FULL), ...op.end);
  // 2. Every check the raw binding makes; anything else goes to it.
  let cacheIndex = 0;
  const checkHandle = (i) => [...op.gget(G_CACHE_ID(cacheIndex++)), ...op.get(i), ...op.call(F_SLOT), ...op.tee(SLOT(i)), ...op.i32(0), ...LT_S, ...op.if, ...fallback, ...op.end];
  for (let i = 0; i < n; i++) {
    const arg = args[i];
    if (arg.kind === 'handle' && !(i > 0 && args[i - 1].kind === 'option')) code.push(...checkHandle(i));
    else if (arg.kind === 'option') {
      code.push(...orFallback([...op.get(i), ...op.i32(1), ...GT_U]));
      if (args[i + 1]?.kind === 'handle') {
        // The payload's handle is checked only when the option is some.
        code.push(...op.get(i), ...op.if, ...checkHandle(i + 1), ...op.end);
      }
    } else if (arg.kind === 'enum') code.push(...orFallback([...op.get(i), ...op.i32(arg.cases), ...GE_U]));
  }
  if (setBindGroup) code.push(...setBindGroupChecks(orFallback, FIRST, COUNT, guest));
  // 3. The record.
  code.push(...op.gget(G_CURSOR), ...op.tee(BASE), ...op.i32(BUFFER_START), ...EQ, ...op.if, ...op.call(F_HELD), ...op.end);
  code.push(...op.get(BASE), ...op.gget(G_OP), ...i32Store(0));
  if (setBindGroup) {
    code.push(...setBindGroupRecord(BASE, SLOT, FIRST, COUNT, K, guest));
  } else {
    args.forEach((arg, i) => {
      const value = arg.kind === 'handle' ? op.get(SLOT(i)) : op.get(i);
      code.push(...op.get(BASE), ...value, ...STORE[arg.type](8 * (i + 1)));
    });
    code.push(...op.get(BASE), ...op.i32(size), ...ADD, ...op.gset(G_CURSOR));
  }
  const locals = [[1 + n, I32], ...(setBindGroup ? [[1, I64], [2, I32]] : [])];
  const record = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, ...op.end];
  // F_SLOT: cache id t, handle h. A cached handle of this generation gives
  // its slot; any other asks the validator, and caches what it gives.
  const slot = [
    ...vec([[1, I32]]), // address
    ...op.get(1), ...op.i32(CACHED_HANDLES), ...LT_U, // h <u CACHED_HANDLES
    ...op.get(0), ...op.i32(CACHED_TABLES), ...LT_U, ...AND,
    ...op.if,
    ...op.get(0), ...op.i32(CACHED_HANDLES), ...MUL, ...op.get(1), ...ADD, ...op.i32(3), ...SHL, ...op.set(2),
    ...op.get(2), ...i32Load(0), ...op.gget(G_GENERATION), ...EQ,
    ...op.if, ...op.get(2), ...i32Load(4), ...op.return, ...op.end,
    ...op.get(0), ...op.get(1), ...op.call(F_VALIDATE), ...op.set(0),
    ...op.get(0), ...op.i32(0), ...GE_S,
    ...op.if, ...op.get(2), ...op.gget(G_GENERATION), ...i32Store(0), ...op.get(2), ...op.get(0), ...i32Store(4), ...op.end,
    ...op.get(0), ...op.return,
    ...op.end,
    ...op.get(0), ...op.get(1), ...op.call(F_VALIDATE),
    ...op.end,
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec([uleb(0), uleb(2)])), // F_SLOT: type 0; F_RECORD: type 2
    ...section(7, vec([[...name('record'), 0x00, ...uleb(F_RECORD)]])),
    ...section(10, vec([[...uleb(slot.length), ...slot], [...uleb(record.length), ...record]])),
  ];
  return new WebAssembly.Module(new Uint8Array(bytes));
}

// set-bind-group(encoder, index, option<group>, option<list<u32>> offsets,
// option<u64> start, option<u32> length, ret): params 0..11. The fast path
// takes exactly the calls the runtime's setBindGroup (npm/commands-runtime.js)
// passes to the browser without an error; the rest go to the raw binding.
function setBindGroupChecks(orFallback, FIRST, COUNT, guest) {
  const [DISC_OFFSETS, PTR, LEN, DISC_START, START, DISC_LENGTH, LENGTH, RET] = [4, 5, 6, 7, 8, 9, 10, 11];
  const memBytes = [...guest.pages, ...EXTEND_U, ...op.i64(16), ...I64_SHL];
  return [
    ...orFallback([...op.get(DISC_START), ...op.i32(1), ...GT_U]),
    ...orFallback([...op.get(DISC_LENGTH), ...op.i32(1), ...GT_U]),
    ...orFallback([...op.get(DISC_OFFSETS), ...op.i32(1), ...GT_U]),
    // The return area: 16 bytes, 4-aligned, inside guest memory.
    ...orFallback([...op.get(RET), ...op.i32(3), ...AND]),
    ...orFallback([...op.get(RET), ...EXTEND_U, ...op.i64(16), ...I64_ADD, ...memBytes, ...I64_GT_U]),
    ...op.get(DISC_OFFSETS), ...EQZ,
    ...op.if,
    // No offsets: a start or length other than 0 is a range-error.
    ...orFallback([...op.get(DISC_START), ...op.get(START), ...op.i64(0), ...I64_NE, ...AND]),
    ...orFallback([...op.get(DISC_LENGTH), ...op.get(LENGTH), ...op.i32(0), ...NE, ...AND]),
    ...op.i32(0), ...op.set(COUNT),
    ...op.else,
    // Offsets: 4-aligned, inside guest memory; start <= count of offsets,
    // and start + length within them; at most MAX_OFFSETS copied.
    ...orFallback([...op.get(PTR), ...op.i32(3), ...AND]),
    ...orFallback([...op.get(PTR), ...EXTEND_U, ...op.get(LEN), ...EXTEND_U, ...op.i64(2), ...I64_SHL, ...I64_ADD, ...memBytes, ...I64_GT_U]),
    ...op.get(DISC_START), ...op.if, ...op.get(START), ...op.set(FIRST), ...op.else, ...op.i64(0), ...op.set(FIRST), ...op.end,
    ...orFallback([...op.get(FIRST), ...op.get(LEN), ...EXTEND_U, ...I64_GT_U]),
    ...op.get(DISC_LENGTH),
    ...op.if, ...op.get(LENGTH), ...op.set(COUNT),
    ...op.else, ...op.get(LEN), ...op.get(FIRST), ...WRAP, ...SUB, ...op.set(COUNT),
    ...op.end,
    ...orFallback([...op.get(COUNT), ...EXTEND_U, ...op.get(LEN), ...EXTEND_U, ...op.get(FIRST), ...I64_SUB, ...I64_GT_U]),
    ...orFallback([...op.get(COUNT), ...op.i32(MAX_OFFSETS), ...GT_U]),
    ...op.end,
  ];
}

// Record: op, encoder slot, index, group present, group slot, offsets
// present, count, then count u32 offsets; 8-byte fields, the offsets packed.
function setBindGroupRecord(BASE, SLOT, FIRST, COUNT, K, guest) {
  const [INDEX, DISC_GROUP, DISC_OFFSETS, PTR, RET] = [1, 2, 4, 5, 11];
  const OFFSETS = 56;
  return [
    ...op.get(BASE), ...op.get(SLOT(0)), ...STORE.i32(8),
    ...op.get(BASE), ...op.get(INDEX), ...STORE.i32(16),
    ...op.get(BASE), ...op.get(DISC_GROUP), ...STORE.i32(24),
    ...op.get(BASE), ...op.get(DISC_GROUP), ...[0x04, I32], ...op.get(SLOT(3)), ...op.else, ...op.i32(-1), ...op.end, ...STORE.i32(32),
    ...op.get(BASE), ...op.get(DISC_OFFSETS), ...STORE.i32(40),
    ...op.get(BASE), ...op.get(COUNT), ...STORE.i32(48),
    // for (k = 0; k < count; k++) record[OFFSETS + 4k] = guest[ptr + 4 (first + k)]
    ...op.i32(0), ...op.set(K),
    ...op.block, ...[0x03, 0x40], // loop
    ...op.get(K), ...op.get(COUNT), ...GE_U, ...op.brIf(1),
    ...op.get(BASE), ...op.get(K), ...op.i32(2), ...SHL, ...ADD,
    ...op.get(PTR), ...op.get(FIRST), ...WRAP, ...op.get(K), ...ADD, ...op.i32(2), ...SHL, ...ADD, ...guest.load,
    ...i32Store(OFFSETS),
    ...op.get(K), ...op.i32(1), ...ADD, ...op.set(K),
    ...op.br(0),
    ...op.end, ...op.end,
    // ok: the result's discriminant, as the raw binding writes it.
    ...op.get(RET), ...op.i32(0), ...guest.store8,
    // Next record: 8-aligned.
    ...op.get(BASE), ...op.i32(OFFSETS + 7), ...ADD, ...op.get(COUNT), ...op.i32(2), ...SHL, ...ADD, ...op.i32(-8), ...AND, ...op.gset(G_CURSOR),
  ];
}

/** The guest memory reader: load, store8 and pages over the memory it imports. */
function buildReader() {
  const body = (code, locals = []) => {
    const b = [...vec(locals), ...code, ...op.end];
    return [...uleb(b.length), ...b];
  };
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([functype([I32], [I32]), functype([I32, I32], []), functype([], [I32])])),
    ...section(2, vec([[...name('g'), ...name('memory'), 0x02, 0x00, ...uleb(0)]])),
    ...section(3, vec([uleb(0), uleb(1), uleb(2)])),
    ...section(7, vec([[...name('load'), 0x00, 0x00], [...name('store8'), 0x00, 0x01], [...name('pages'), 0x00, 0x02]])),
    ...section(10, vec([
      body([...op.get(0), ...i32Load(0)]),
      body([...op.get(0), ...op.get(1), ...op.mem(0x3a, 0, 0)]),
      body([...op.memorySize(0)]),
    ])),
  ];
  return new WebAssembly.Module(new Uint8Array(bytes));
}

/** The reader's exports for one guest memory. */
const readers = new WeakMap();
function readerFor(memory) {
  let reader = readers.get(memory);
  if (reader === undefined) {
    state.readerModule ??= buildReader();
    reader = new WebAssembly.Instance(state.readerModule, { g: { memory } }).exports;
    readers.set(memory, reader);
  }
  return reader;
}

/**
 * The compiled module for a command kind, once per page: for set-bind-group
 * the multi-memory form where the engine takes it, else the reader form.
 * `{ module, reader }`, or null where neither compiles.
 */
function moduleFor(key, args, setBindGroup) {
  let entry = state.modules.get(key);
  if (entry === undefined) {
    entry = null;
    for (const multiMemory of setBindGroup ? [true, false] : [false]) {
      try {
        entry = { module: buildModule(args, setBindGroup, multiMemory), reader: setBindGroup && !multiMemory };
        break;
      } catch (error) {
        if (!setBindGroup || !multiMemory) {
          console.warn(`wasi-webgpu-shim: the recorder cannot build its module for ${key}: ${error?.message ?? error}; those commands cross into JS each`);
        }
      }
    }
    state.modules.set(key, entry);
  }
  return entry;
}

// --- lowering ---------------------------------------------------------------

/** What raw-runtime's tables() gives a replay: a handle argument is a slot. */
export const SLOT_TABLES = Object.freeze([]);
export const slotTables = {
  borrow(_ci, slot) {
    return state.slots[slot];
  },
};

let nextCacheId = 0;
let methodsWrapped = false;

/**
 * The recorded form of a raw binding, or null where the command stays on
 * it. `factory` is the raw binding's (raw-bindings.js), `raw` what it made
 * for these options, `recorded` the generator's description, `tables` the
 * function's Tables.
 */
export function recordedBinding(witName, factory, raw, options, recorded, tables, shimClasses) {
  if (options?.wasiWebgpuRecorder !== 1) return null;
  // Off for a comparison (the bench's recorder figures): set before the guest loads.
  if (globalThis[RECORDER_SWITCH] === false) return null;
  const args = parseKinds(recorded.kinds);
  if (args === null) return null;
  const setBindGroup = recorded.how === 'set-bind-group';
  if (setBindGroup && (!isSetBindGroup(recorded.kinds) || !(options.memory instanceof WebAssembly.Memory))) return null;
  if (state === null) {
    state = createState();
    globalThis[HANDLE_REMOVED] = () => {
      if (state !== null && !state.replaying) forget();
    };
  }
  const built = moduleFor(recorded.kinds.join(','), args, setBindGroup);
  if (built === null) return null;
  if (!methodsWrapped) {
    methodsWrapped = true;
    wrapMethods(shimClasses);
  }
  const s = state;
  const opIndex = s.ops.length;
  // The handle arguments, in order, each with its own cache.
  const handleArgs = [];
  recorded.kinds.forEach((kind, i) => {
    if (kind.startsWith('handle ')) handleArgs.push(i);
  });
  const cacheGlobals = {};
  handleArgs.forEach((argIndex, k) => {
    const id = nextCacheId++;
    const ci = tables.classes.indexOf(shimClasses[recorded.kinds[argIndex].split(' ')[1]]);
    s.resolvers[id] = (h) => tables.borrow(ci, h);
    cacheGlobals[`cache${k}`] = new WebAssembly.Global({ value: 'i32', mutable: false }, id);
  });
  const imports = {
    r: {
      validate(id, h) {
        stats.handleChecks += 1;
        const resolver = s.resolvers[id];
        let object;
        try {
          object = resolver(h);
        } catch {
          return -1;
        }
        return s.slots.push(object) - 1;
      },
      full: flushRecorded,
      held() {
        s.held = true;
      },
      fallback: raw,
      memory: s.memory,
      cursor: s.cursor,
      generation: s.generation,
      op: new WebAssembly.Global({ value: 'i32', mutable: false }, opIndex),
      ...cacheGlobals,
    },
    ...(setBindGroup && { g: built.reader ? readerFor(options.memory) : { memory: options.memory } }),
  };
  let instance;
  try {
    instance = new WebAssembly.Instance(built.module, imports);
  } catch (error) {
    // A guest memory the module cannot import (a shared one, say).
    console.warn(`wasi-webgpu-shim: the recorder cannot hold ${witName}: ${error?.message ?? error}; it crosses into JS each call`);
    return null;
  }
  s.ops.push(setBindGroup ? replaySetBindGroup(recorded, witName) : replayCall(8 * (1 + args.length), factory(
    { memory: options.memory, realloc: options.realloc, resourceTables: SLOT_TABLES },
  ), witName, recorded.read));
  stats.recordedImports += 1;
  return instance.exports.record;
}

function reportReplayFailure(witName, error) {
  console.error(`wasi-webgpu-shim: a recorded ${witName} failed when replayed:`, error);
}

/**
 * Replays a `call` record through the raw binding made over slots: the
 * generator's reader (raw-bindings.js) hands it the record's fields.
 */
function replayCall(size, replay, witName, read) {
  return (at) => {
    try {
      read(state, at >> 2, replay);
    } catch (error) {
      reportReplayFailure(witName, error);
    }
    return at + size;
  };
}

/** One array per count of offsets, reused: no view is made per command. */
const offsetArrays = [];

/** Replays a set-bind-group record with the offsets it copied. */
function replaySetBindGroup(recorded, witName) {
  return (at) => {
    const s = state;
    const w = at >> 2;
    const encoder = s.slots[s.i32[w + 2]].__gpuObject;
    const index = s.u32[w + 4];
    const group = s.i32[w + 6] === 1 ? s.slots[s.i32[w + 8]] : undefined;
    const hasOffsets = s.i32[w + 10] === 1;
    const count = s.u32[w + 12];
    try {
      if (hasOffsets) {
        const offsets = (offsetArrays[count] ??= new Uint32Array(count));
        for (let k = 0; k < count; k++) offsets[k] = s.u32[w + 14 + k];
        recorded.body(encoder, index, group, offsets, 0, count);
      }
      else recorded.body(encoder, index, group, undefined, undefined, undefined);
    } catch (error) {
      // The record was checked; a throw here is the browser's.
      try {
        invalidate(encoder, error);
      } catch (again) {
        reportReplayFailure(witName, again);
      }
    }
    return (at + 56 + 4 * count + 7) & ~7;
  };
}

/**
 * Every method of the shim's classes replays held commands first: jco's
 * glue calls them for every import without a raw binding, and page JS may
 * call them too. Done once a recorder exists, so jco's default glue pays
 * nothing. jco reads `cabiLower` off the method, so it moves to the wrapper.
 */
function wrapMethods(classes) {
  for (const Class of Object.values(classes)) {
    if (typeof Class !== 'function' || !Class.prototype) continue;
    const proto = Class.prototype;
    for (const key of [...Object.getOwnPropertyNames(proto), ...(Symbol.dispose ? [Symbol.dispose] : [])]) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (!descriptor || typeof descriptor.value !== 'function') continue;
      const method = descriptor.value;
      // `arguments`, not a rest parameter: no array is made per call.
      const wrapped = function () {
        flushRecorded();
        return method.apply(this, arguments);
      };
      if (method[LOWER]) wrapped[LOWER] = method[LOWER];
      Object.defineProperty(wrapped, 'name', { value: method.name });
      Object.defineProperty(proto, key, { ...descriptor, value: wrapped });
    }
  }
}

/** The module for a recorded command's kinds (for the checks: each must compile). */
export function recorderModule(kinds, how, { multiMemory = false } = {}) {
  const args = parseKinds(kinds);
  if (args === null) throw new Error(`the recorder does not know the kinds ${kinds.join(', ')}`);
  return buildModule(args, how === 'set-bind-group', multiMemory);
}

/** The guest memory reader's module (for the checks). */
export function recorderReaderModule() {
  return buildReader();
}
