// Rewrites jco 1.35.0's default-bindings output into what
// `jco transpile --import-bindings hybrid` would emit, for the components
// hybrid mode itself cannot transpile.
//
// Why this exists: jco 1.35.0 panics in hybrid mode ("unexpected non-host
// resource table", transpile_bindgen.rs:4124) as soon as one lowered import
// has a future or a stream anywhere in its signature, and real wasi:webgpu
// guests import `gpu-device.lost` (a future) and `on-uncaptured-error` (a
// stream); wasi-gfx surfaces have seven streams. Hybrid mode differs from
// the default (`js`) mode only by text added to the main .js file (nothing
// removed or reordered, no other emitted file changed), so that text can be
// added to the default output, leaving the future and stream imports on
// jco's glue. An error-context does not make hybrid mode panic: it hooks
// such a function like any other (the hook gets the raw error-context
// handle and no table for it), and so does this module unless asked not to.
//
// The additions, as jco 1.35.0 makes them:
//   1. the intrinsic `const symbolCabiLower = Symbol.for('cabiLower');`, in
//      jco's fixed intrinsic order (after fetchCompile / symbolCabiDispose,
//      before symbolRscHandle / instantiateCore / _suspendingImport), when
//      at least one import is hooked;
//   2. per lowered import (trampoline N), a block
//        if (CALLEE[symbolCabiLower]) {
//          trampolineN = CALLEE[symbolCabiLower]({ memory: memoryM, realloc: reallocR, stringEncoding: 'utf16', resourceTables: [handleTableA, handleTableB],});
//        }
//      (each field only when it applies; `({})` when none does), placed
//      right before the core instantiation that first imports trampoline N.
//      jco defers every lowering to just before the next module
//      instantiation, and wasmtime creates a lowering lazily for the
//      instantiation that first uses it, so "the next instantiation" is "the
//      first instantiation that uses it".
//
// Everything is recognised by exact, anchored patterns, and every count is
// cross-checked (lowering wrappers, trampoline definitions, lowering helper
// calls, instantiations). Anything not exactly as jco 1.35.0 writes it throws
// a HybridError, and nothing is returned half-patched: all edits are computed
// first and applied at the end. check.mjs, next to this file, compares the
// result with real hybrid output byte for byte wherever hybrid mode works.

const JCO = 'jco 1.35.0';

/** The only error this module throws: one sentence naming what was not recognised. */
export class HybridError extends Error {
  constructor(construct) {
    super(`Not recognised as ${JCO} default-bindings output: ${construct}; nothing was patched.`);
    this.name = 'HybridError';
  }
}

const fail = (construct) => {
  throw new HybridError(construct);
};

// --- lowering wrappers ------------------------------------------------------
//
// jco 1.35.0 wraps each lowered import's JS trampoline `_trampolineN` into
// the core import `trampolineN` in one of two shapes. A synchronously lowered
// import (including a sync-lowered `async func`, whose meta says
// funcTypeIsAsync: true) that jco does not consider async:
//
//   let trampolineN = _trampolineN.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(C, _lowerImportBackwardsCompat.bind(
//   null,
//   {
//     ...meta...
//   },
//   ))) : _lowerImportBackwardsCompat.bind(
//   null,
//   {
//     ...meta, identical...
//   },
//   );
//
// and everything jco runs through JSPI (async lowerings and async funcs):
//
//   let trampolineN = new WebAssembly.Suspending(_suspendingImport(C, _lowerImport.bind(
//   null,
//   {
//     ...meta...
//   },
//   )));
//
// Both shapes appear with the indentation jco's Source writer happens to be
// at (it drifts in some outputs), so the indentation is captured, not assumed.

const COMPAT_WRAPPER = new RegExp(
  String.raw`^([ ]*)let trampoline(\d+) = _trampoline\2\.manuallyAsync \? new WebAssembly\.Suspending\(_suspendingImport\((\d+), _lowerImportBackwardsCompat\.bind\(\n` +
    String.raw`\1null,\n\1\{\n([\s\S]*?)\n\1\},\n\1\)\)\) : _lowerImportBackwardsCompat\.bind\(\n` +
    String.raw`\1null,\n\1\{\n([\s\S]*?)\n\1\},\n\1\);$`,
  'gm',
);

const JSPI_WRAPPER = new RegExp(
  String.raw`^([ ]*)let trampoline(\d+) = new WebAssembly\.Suspending\(_suspendingImport\((\d+), _lowerImport\.bind\(\n` +
    String.raw`\1null,\n\1\{\n([\s\S]*?)\n\1\},\n\1\)\)\);$`,
  'gm',
);

// The meta object's top-level keys, in the order jco 1.35.0 writes them.
const META_KEYS = [
  'trampolineIdx',
  'componentIdx',
  'isAsync',
  'isManualAsync',
  'paramLiftFns',
  'resultLowerFns',
  'hasResultPointer',
  'funcTypeIsAsync',
  'getCallbackFn',
  'getPostReturnFn',
  'isCancellable',
  'memoryIdx',
  'stringEncoding',
  'getMemoryFn',
  'getReallocFn',
  'importFn',
];

// The JS trampoline that calls the host function:
//
//   const _trampolineN = function(arg0, ...) {      (or `async function`)
//     ...body...
//   }
//   _trampolineN.fnName = '<iface>#<callee>';
//   _trampolineN.manuallyAsync = true;              (only for --async-imports)
const JS_TRAMPOLINE = new RegExp(
  String.raw`^([ ]*)const _trampoline(\d+) = (?:async )?function\([^)\n]*\) \{\n([\s\S]*?)\n\1\}\n` +
    String.raw`\1_trampoline\2\.fnName = '([^'\n]*)';$`,
  'gm',
);

// A core instantiation, ESM or --instantiation async (`yield`) or sync (none):
//   ({ exports: exportsI } = yield instantiateCore(yield moduleM));
//   ({ exports: exportsI } = yield instantiateCore(yield moduleM, {
//     ...import object...
//   }));
// or, when the component has an init task (real guests with async exports),
//   ({ exports: exportsI } = yield instantiateCore(yield moduleM, (_setGlobalCurrentTaskMeta({ componentIdx: 0, taskID: _initTaskID0 }), {
//     ...import object...
//    })));
// whose closing line jco's Source writer indents one space off.
const INSTANTIATION =
  /^([ ]*)\(\{ exports: exports\d+ \} = (?:yield )?instantiateCore\((?:yield )?module\d+(\)\);|, \{|, \(_setGlobalCurrentTaskMeta\(\{ componentIdx: \d+, taskID: _initTaskID\d+ \}\), \{)$/gm;

// How a lowered import appears in an import object: wrapped for the sync
// wrappers, bare for the JSPI ones.
const IMPORT_USE = /^[ ]+(?:'[^'\n]*'|[\w$]+): (?:Object\.assign\(trampoline(\d+), \{ _jcoMaySuspend: false \}\)|trampoline(\d+)),$/gm;

// The canonical ABI helpers that only futures, streams and error-contexts
// use: jco's intrinsics `_liftFlatFuture`, `_lowerFlatStream`, ... in the
// lowering meta (paramLiftFns / resultLowerFns, nested types included), and
// `futureNewFromLift(` / `streamNewFromLift(` in the trampoline body. An
// error-context shows only in the meta: the body passes its handle through.
// jco reserves its intrinsics' names, so no WIT function's JS name matches.
const P3_MARKER = /(?<![\w$])(?:_(?:lift|lower)Flat(Future|Stream|ErrorContext)(?![\w$])|(future|stream)NewFromLift\()/g;
const P3_KIND = { Future: 'future', Stream: 'stream', ErrorContext: 'error-context', future: 'future', stream: 'stream' };

// The intrinsic hybrid mode adds. jco renders intrinsics in the order of its
// `Intrinsic` enum: ... FetchCompile, SymbolCabiDispose, SymbolCabiLower,
// SymbolResourceHandle, ... InstantiateCore, ... So the new line goes into
// the gap between the end of the last intrinsic before it and the start of
// the first one after it. Only gaps seen in jco 1.35.0's output are accepted.
const INTRINSIC_LINE = "const symbolCabiLower = Symbol.for('cabiLower');";
const INTRINSIC_BEFORE = [
  // symbolCabiDispose (when the component imports resource drops)
  ["const symbolCabiDispose = Symbol.for('cabiDispose');"],
  // the end of fetchCompile (ESM and --instantiation async)
  ['return fetch(url).then(WebAssembly.compileStreaming);', '}'],
  // the end of base64Compile (cores inlined with --base64-cutoff)
  [': Uint8Array.from(atob(str), b => b.charCodeAt(0))', ');'],
  // the end of _trackHostOperation (--instantiation sync, no resources)
  ['_checkForDeadlock();', '});', '}'],
];
const INTRINSIC_AFTER = [
  "const symbolRscHandle = Symbol('handle');",
  'const instantiateCore = WebAssembly.instantiate;',
  'function _suspendingImport(componentIdx, fn, syncOnly = false, switchesTask = false) {',
];

// --- _createdReps -----------------------------------------------------------
//
// jco 1.35.0 gives every handle table a `_createdReps` Set and adds the rep
// of every own handle it creates (rscTableCreateOwn); reps of host resources
// are never reused, so the Set only grows. Its only reader in jco 1.35.0 is
// resourceTransferBorrow (`toTable._createdReps.has(rep)`), emitted only when
// a borrow crosses between two component instances. Without that reader,
// dropping the `add` changes nothing observable.
const CREATED_REPS_ADD = /^([ ]*)function rscTableCreateOwn\(table, rep\) \{\n\1  const free = table\[0\] & ~T_FLAG;\n(\1  table\._createdReps\.add\(rep\);\n)/gm;

// --- stream copy buffers ---------------------------------------------------
//
// jco 1.35.0's BufferManager puts the ManagedBuffer of every stream and
// future copy (two per `on-frame` read: the guest's and the host's) into a
// per-instance Map and never takes it out: nothing calls `deleteBuffer`, and
// nothing calls `getBuffer` either, so the Map is written and never read.
// Measured with heap snapshots over the frame-loop guest: 2 ManagedBuffers,
// 2 BigInt ids and 13 target strings kept per frame, about 0.5 KiB. Not
// storing them changes nothing observable: ids are still counted.
const BUFFER_STORE = /^([ ]*)if \(instanceBuffers\.has\(nextBufID\)\) \{\n\1  throw new Error\(`managed buffer with ID \[\$\{nextBufID\}\] already exists`\);\n\1\}\n\1instanceBuffers\.set\(nextBufID, buffer\);\n/gm;

/**
 * Turns jco 1.35.0's default-bindings output (the main .js file's text) into
 * what `--import-bindings hybrid` would emit, leaving every import whose
 * signature touches a future or a stream on jco's glue (and, with
 * `skipErrorContext`, every one that touches an error-context).
 *
 * Names in `hooked` / `skipped` are `<interface>#<function>` as the WIT
 * spells them (e.g. `wasi:webgpu/webgpu@0.3.0-rc.2#[method]gpu-render-pass-encoder.draw`),
 * or just `<function>` for a world-level function, read from the label of
 * jco's own debug log in each trampoline; they are listed in trampoline
 * order. A function lowered twice (say, once sync and once async) is listed
 * twice.
 *
 * ESM and instantiation (async or sync) output are told apart by their text;
 * no option is needed for that.
 *
 * @param {string} source the main .js file jco 1.35.0 wrote with default (`js`) import bindings
 * @param {{ fixCreatedReps?: boolean, fixStreamBuffers?: boolean, skipErrorContext?: boolean }} [options]
 *   fixCreatedReps: also stop jco's `_createdReps` Sets from growing (see the
 *     `_createdReps` note above); default false.
 *   fixStreamBuffers: also stop jco's BufferManager from keeping every
 *     stream copy's buffer (see the note above); default false.
 *   skipErrorContext: leave error-context functions on jco's glue too; the
 *     output then differs from hybrid mode's for them. Default false.
 * @returns {{ source: string, hooked: string[], skipped: { name: string, reason: string }[] }}
 * @throws {HybridError} for anything not exactly as jco 1.35.0 writes it
 */
export function addCabiLowerHooks(source, options = {}) {
  const { fixCreatedReps = false, fixStreamBuffers = false, skipErrorContext = false, ...unknown } = options;
  if (Object.keys(unknown).length > 0) fail(`an unknown option ${Object.keys(unknown)[0]} was given`);
  if (typeof source !== 'string') fail('the source is not a string');
  if (source.includes('symbolCabiLower')) fail('the source already mentions symbolCabiLower, as hybrid output does');

  const trampolines = findLowerings(source);
  const edits = [];
  const hooked = [];
  const skipped = [];

  const hooks = [];
  for (const t of trampolines) {
    const kinds = t.p3.map((k) => `${k === 'error-context' ? 'an' : 'a'} ${k}`).join(' and ');
    if (t.p3.includes('future') || t.p3.includes('stream')) {
      skipped.push({ name: t.name, reason: `its signature has ${kinds}, which ${JCO}'s hybrid mode cannot lower (it panics); left on jco's glue` });
    } else if (skipErrorContext && t.p3.includes('error-context')) {
      skipped.push({ name: t.name, reason: `its signature has ${kinds} and skipErrorContext is set; left on jco's glue` });
    } else {
      hooked.push(t.name);
      hooks.push(t);
    }
  }

  if (hooks.length > 0) {
    edits.push(intrinsicEdit(source));
    edits.push(...hookEdits(source, hooks));
  }
  if (fixCreatedReps) edits.push(createdRepsEdit(source));
  if (fixStreamBuffers) edits.push(streamBuffersEdit(source));

  return { source: applyEdits(source, edits), hooked, skipped };
}

/** Every lowered import, recognised in full and cross-checked. */
function findLowerings(source) {
  const wrappers = new Map();
  for (const [re, shape] of [
    [COMPAT_WRAPPER, 'compat'],
    [JSPI_WRAPPER, 'jspi'],
  ]) {
    for (const m of source.matchAll(re)) {
      const [, indent, n, componentIdx, meta, metaAgain] = m;
      if (shape === 'compat' && meta !== metaAgain) fail(`the two branches of trampoline${n}'s lowering wrapper differ`);
      if (wrappers.has(n)) fail(`trampoline${n} is defined twice`);
      wrappers.set(n, { n, shape, componentIdx, meta: parseMeta(n, meta, `${indent}  `) });
    }
  }

  // Every `let trampolineN =` must be one of the two wrappers, and every call
  // of the lowering helpers must belong to one of them.
  const lets = count(source, /^[ ]*let trampoline\d+ = /gm);
  if (lets !== wrappers.size) fail(`${lets - wrappers.size} of the ${lets} \`let trampolineN = \` definitions are not a lowering wrapper`);
  const compat = [...wrappers.values()].filter((w) => w.shape === 'compat').length;
  if (count(source, /\b_lowerImportBackwardsCompat\.bind\(/g) !== 2 * compat) fail('a call of _lowerImportBackwardsCompat lies outside the lowering wrappers');
  if (count(source, /\b_lowerImport\.bind\(/g) !== wrappers.size - compat) fail('a call of _lowerImport lies outside the lowering wrappers');

  // Each wrapper's JS trampoline, one to one.
  const bodies = new Map();
  for (const m of source.matchAll(JS_TRAMPOLINE)) {
    const [, , n, body, fnName] = m;
    if (bodies.has(n)) fail(`_trampoline${n} is defined twice`);
    bodies.set(n, { body, fnName });
  }
  const defs = count(source, /^[ ]*const _trampoline\d+ = /gm);
  if (defs !== bodies.size) fail(`${defs - bodies.size} of the ${defs} \`const _trampolineN = \` definitions are not a host-call trampoline`);
  if (bodies.size !== wrappers.size) fail(`there are ${bodies.size} host-call trampolines but ${wrappers.size} lowering wrappers`);

  const imported = importedTables(source);
  const result = [];
  for (const w of [...wrappers.values()].sort((a, b) => a.n - b.n)) {
    const b = bodies.get(w.n);
    if (!b) fail(`trampoline${w.n} has a lowering wrapper but no _trampoline${w.n}`);
    if (w.componentIdx !== '0' || w.meta.componentIdx !== '0') fail(`trampoline${w.n} belongs to nested component instance ${w.meta.componentIdx}`);
    result.push(describe(imported, w, b));
  }
  return result;
}

/** The meta object of a lowering wrapper: its top-level keys, in jco's order, with the values we use. */
function parseMeta(n, meta, indent) {
  const keys = [];
  const values = {};
  let current = null;
  for (const line of meta.split('\n')) {
    const key = line.startsWith(indent) ? /^(\w+): ?(.*)$/.exec(line.slice(indent.length)) : null;
    if (key && !/^\s/.test(line.slice(indent.length))) {
      current = key[1];
      keys.push(current);
      values[current] = key[2];
    } else if (current === null) {
      fail(`trampoline${n}'s lowering meta starts with an unknown line`);
    } else {
      values[current] += `\n${line}`;
    }
  }
  if (keys.join() !== META_KEYS.join()) fail(`trampoline${n}'s lowering meta has the keys ${keys.join(', ')}`);

  const exact = (key, re) => {
    const m = re.exec(values[key]);
    if (!m) fail(`trampoline${n}'s lowering meta has ${key}: ${values[key].split('\n')[0]}`);
    return m;
  };
  exact('trampolineIdx', new RegExp(`^${n},$`));
  exact('isManualAsync', new RegExp(`^_trampoline${n}\\.manuallyAsync,$`));
  exact('importFn', new RegExp(`^_trampoline${n},$`));
  // A lowered import has no post-return; hybrid mode would pass one on.
  exact('getPostReturnFn', /^\(\) => null,$/);
  const componentIdx = exact('componentIdx', /^(\d+),$/)[1];
  const memoryIdx = exact('memoryIdx', /^(null|\d+),$/)[1];
  const memory = exact('getMemoryFn', /^\(\) => (?:null|memory(\d+)),$/)[1];
  if ((memoryIdx === 'null') !== (memory === undefined) || (memory !== undefined && memory !== memoryIdx)) {
    fail(`trampoline${n}'s lowering meta has memoryIdx ${memoryIdx} but getMemoryFn ${values.getMemoryFn}`);
  }
  const realloc = exact('getReallocFn', /^(?:undefined|\(\) => realloc(\d+)),$/)[1];
  if (realloc !== undefined && memory === undefined) fail(`trampoline${n}'s lowering meta has a realloc without a memory`);
  const stringEncoding = exact('stringEncoding', /^'(utf8|utf16|compact-utf16)',$/)[1];
  return { componentIdx, memory, realloc, stringEncoding, lifts: `${values.paramLiftFns}\n${values.resultLowerFns}` };
}

/** What hybrid mode needs of one lowered import: its name, callee, options and tables. */
function describe(imported, w, { body, fnName }) {
  const n = w.n;

  // jco labels each trampoline with the WIT names: [iface="...", function="..."].
  const labels = new Set([...body.matchAll(/_debugLog\('\[iface="([^"\n]*)", function="([^"\n]*)"\] ?\[Instruction::/g)].map((m) => `${m[1]}\n${m[2]}`));
  if (labels.size !== 1) fail(`_trampoline${n} does not carry exactly one jco debug label`);
  const [iface, func] = [...labels][0].split('\n');
  // A world-level function is labelled with its own name as the interface.
  const name = iface === func ? func : `${iface}#${func}`;

  // fnName is '<iface>#<callee as jco calls it>'.
  if (!fnName.startsWith(`${iface}#`)) fail(`_trampoline${n}.fnName '${fnName}' does not start with its interface ${iface}`);
  const callee = fnName.slice(iface.length + 1);

  // The one host call in the body, `_trackHostOperation(() => EXPR(...`.
  const calls = [...body.matchAll(/_trackHostOperation\(\(\) => (new [\w$]+|[\w$]+(?:\.[\w$]+)?)\(/g)];
  if (calls.length !== 1) fail(`_trampoline${n} does not make exactly one host call`);
  const call = calls[0][1];

  // The callee hybrid mode hooks, by the kind of WIT function.
  let hookCallee;
  const kind = /^\[(constructor|method|static)\]([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/.exec(func);
  if (func.startsWith('[') && !kind) fail(`_trampoline${n} lowers ${func}, a kind of function name not known`);
  const CLASS = /^[\w$]+$/;
  if (!kind) {
    if (call !== callee || !CLASS.test(callee)) fail(`_trampoline${n} calls ${call} for ${fnName}`);
    hookCallee = callee;
  } else if (kind[1] === 'constructor') {
    const cls = callee.startsWith('new ') ? callee.slice(4) : '';
    if (call !== callee || !CLASS.test(cls) || kind[3] !== undefined) fail(`_trampoline${n} calls ${call} for constructor ${fnName}`);
    checkClassName(n, cls, kind[2]);
    hookCallee = cls;
  } else if (kind[1] === 'static') {
    const [cls, method] = callee.split('.');
    if (call !== callee || !CLASS.test(cls ?? '') || !CLASS.test(method ?? '')) fail(`_trampoline${n} calls ${call} for static ${fnName}`);
    checkClassName(n, cls, kind[2]);
    hookCallee = callee;
  } else {
    // A method is called on the object lifted from `self`; its class is in
    // that lift: `rsc0 = Object.create(Class.prototype);`.
    if (call !== `rsc0.${callee}` || !CLASS.test(callee)) fail(`_trampoline${n} calls ${call} for method ${fnName}`);
    const classes = [...body.matchAll(/^[ ]*rsc0 = Object\.create\(([\w$]+)\.prototype\);$/gm)];
    if (classes.length !== 1) fail(`_trampoline${n} does not lift its self parameter the usual way`);
    checkClassName(n, classes[0][1], kind[2]);
    hookCallee = `${classes[0][1]}.prototype.${callee}`;
  }

  // Futures, streams and error-contexts anywhere in the signature.
  const p3 = new Set();
  for (const text of [w.meta.lifts, body]) for (const m of text.matchAll(P3_MARKER)) p3.add(P3_KIND[m[1] ?? m[2]]);

  // The resource tables: every handle table the lifting and lowering touch,
  // in jco's order. jco sorts them by wit-parser TypeId in the Resolve it
  // decodes from the component, which has the resource types in the order
  // the component declares them. wit-component declares a resource where a
  // function signature first uses it (not where the WIT defines it), and
  // wasmtime numbers the tables (handleTableK) and resources (captureTableK)
  // in that same order. So sorting by K is sorting by TypeId, as long as K
  // names one imported resource of the root component: handleTableK
  // declared together with captureTableK. Anything else is refused.
  const tables = [...new Set([...`${w.meta.lifts}\n${body}`.matchAll(/\bhandleTable(\d+)\b/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  for (const k of tables) {
    if (!imported.has(k)) fail(`handleTable${k}, used by trampoline${n}, is not declared as the table of an imported resource`);
  }

  let opts = '';
  if (w.meta.memory !== undefined) opts += ` memory: memory${w.meta.memory},`;
  if (w.meta.realloc !== undefined) opts += ` realloc: realloc${w.meta.realloc},`;
  if (w.meta.stringEncoding !== 'utf8') opts += ` stringEncoding: '${w.meta.stringEncoding}',`;
  if (tables.length > 0) opts += ` resourceTables: [${tables.map((k) => `handleTable${k}`).join(', ')}],`;

  return { n: Number(n), name, callee: hookCallee, opts, p3: [...p3].sort() };
}

/** The K of every handleTableK declared as jco 1.35.0 declares an imported resource's table in the root component. */
function importedTables(source) {
  const decl = /^([ ]*)const handleTable(\d+) = \[T_FLAG, 0\];\n\1handleTable\2\._createdReps = new Set\(\);\n\1handleTable\2\._componentIdx = 0;\n(?:[ ]*\n)*\1const captureTable\2= new Map\(\);$/gm;
  return new Set([...source.matchAll(decl)].map((m) => Number(m[2])));
}

/** jco names a resource class after the resource, UpperCamelCased, with `$N` when the name is taken. */
function checkClassName(n, cls, resource) {
  const camel = resource.replace(/(?:^|-)([a-z0-9])/g, (_, c) => c.toUpperCase());
  if (!new RegExp(`^${camel}(?:\\$\\d+)?$`).test(cls)) fail(`_trampoline${n} uses class ${cls} for resource ${resource}`);
}

/** Where the symbolCabiLower intrinsic goes: the one gap between the intrinsics before and after it. */
function intrinsicEdit(source) {
  const lines = source.split('\n');
  const starts = lineStarts(lines);
  const gaps = [];
  for (let i = 0; i < lines.length; i++) {
    if (!INTRINSIC_AFTER.includes(lines[i].trimStart())) continue;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    if (j === i - 1) continue;
    const before = INTRINSIC_BEFORE.some((tail) => tail.every((text, k) => lines[j - tail.length + 1 + k]?.trim() === text));
    if (before) gaps.push(i);
  }
  if (gaps.length !== 1) fail(`the place for symbolCabiLower in jco's intrinsic order is not unique (${gaps.length} candidates)`);
  const i = gaps[0];
  const indent = /^[ ]*/.exec(lines[i])[0];
  // The blank line jco writes between intrinsics carries the indentation the
  // Source writer is at; copy the one already there.
  return { at: starts[i], text: `${indent}${INTRINSIC_LINE}\n${lines[i - 1]}\n` };
}

/** The hook blocks, each before the first core instantiation that imports its trampoline. */
function hookEdits(source, hooks) {
  const uses = new Map();
  const statements = [...source.matchAll(INSTANTIATION)];
  if (count(source, /\binstantiateCore\(/g) !== statements.length) fail('an instantiateCore call is not a plain core instantiation');
  for (const m of statements) {
    const [first, indent, tail] = m;
    let text = first;
    if (tail !== '));') {
      const close = tail === ', {' ? new RegExp(`^${indent}\\}\\)\\);$`, 'm') : /^[ ]*\}\)\)\);$/m;
      const end = close.exec(source.slice(m.index));
      if (!end) fail('a core instantiation has no closing line');
      text = source.slice(m.index, m.index + end.index);
    }
    for (const u of text.matchAll(IMPORT_USE)) {
      const n = u[1] ?? u[2];
      if (!uses.has(n)) uses.set(n, { at: m.index, indent });
    }
  }
  const blocks = new Map();
  for (const h of hooks) {
    const use = uses.get(String(h.n));
    if (!use) fail(`trampoline${h.n} is imported by no core instantiation`);
    const block =
      `${use.indent}if (${h.callee}[symbolCabiLower]) {\n` +
      `${use.indent}  trampoline${h.n} = ${h.callee}[symbolCabiLower]({${h.opts}});\n` +
      `${use.indent}}\n`;
    // Hooks for one instantiation keep trampoline order, which is the order
    // jco lowers them in.
    blocks.set(use.at, (blocks.get(use.at) ?? '') + block);
  }
  return [...blocks].map(([at, text]) => ({ at, text }));
}

/** Drops the `_createdReps.add` from rscTableCreateOwn, where nothing reads `_createdReps`. */
function createdRepsEdit(source) {
  if (/_createdReps(?!\.add\(| = new Set\(\);)/.test(source)) fail('something reads _createdReps (resourceTransferBorrow, for borrows between component instances), so fixCreatedReps cannot apply');
  const adds = [...source.matchAll(CREATED_REPS_ADD)];
  const all = count(source, /_createdReps\.add\(/g);
  // No own handle is ever created (no rscTableCreateOwn): nothing grows.
  if (all === 0) return { at: 0, text: '' };
  if (adds.length !== 1 || all !== 1) fail('_createdReps is added to somewhere other than the one line of rscTableCreateOwn');
  const m = adds[0];
  return { at: m.index + m[0].length - m[2].length, remove: m[2].length, text: '' };
}

/** Drops the store of each copy buffer into BufferManager's never-read Map. */
function streamBuffersEdit(source) {
  const stores = [...source.matchAll(BUFFER_STORE)];
  // No streams or futures: no BufferManager, nothing grows.
  if (stores.length === 0 && !source.includes('class BufferManager')) return { at: 0, text: '' };
  if (stores.length !== 1 || count(source, /instanceBuffers\.set\(/g) !== 1) fail('BufferManager stores its buffers somewhere other than the one place in createBuffer');
  if (count(source, /\.(?:getBuffer|deleteBuffer)\(/g) !== 0) fail('something reads or deletes BufferManager\'s buffers, so fixStreamBuffers cannot apply');
  const m = stores[0];
  return { at: m.index, remove: m[0].length, text: `${m[1]}// wasi-webgpu-shim: not stored; nothing reads or deletes them, and each kept its stream copy alive\n` };
}

function applyEdits(source, edits) {
  const sorted = edits.sort((a, b) => a.at - b.at);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.at < pos) fail('two edits overlap');
    out += source.slice(pos, e.at) + e.text;
    pos = e.at + (e.remove ?? 0);
  }
  return out + source.slice(pos);
}

function count(source, re) {
  let c = 0;
  for (const _ of source.matchAll(re)) c++;
  return c;
}

function lineStarts(lines) {
  const starts = [];
  let pos = 0;
  for (const l of lines) {
    starts.push(pos);
    pos += l.length + 1;
  }
  return starts;
}
