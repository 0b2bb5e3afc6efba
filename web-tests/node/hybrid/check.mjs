// Checks npm/cli/hybrid.js (the package's transpile step that adds jco's
// hybrid `cabiLower` hooks to its default output) against jco 1.35.0 itself.
// Run by `npm test` (scripts/test.mjs) after the build, with --quick.
//
// Rebuilds every test component from WIT (or WAT) with jco alone, transpiles
// each with default and with `--import-bindings hybrid` bindings, in ESM and
// instantiation modes, and requires:
//   - where hybrid mode works: addCabiLowerHooks(default main .js) equals the
//     hybrid main .js byte for byte, and every other emitted file is equal;
//   - where hybrid mode panics (a future, stream or error-context in some
//     import): it panics with jco's known message, addCabiLowerHooks skips
//     exactly the functions expected, and hooks the same functions as the
//     same world without them;
//   - in instantiation mode, the patched file instantiates (Node, dummy core
//     modules, stub host functions) and calls each hook once, with a live
//     memory, realloc and handle tables, in the order real hybrid output does;
//   - fixCreatedReps removes exactly jco's `_createdReps.add` line, and the
//     heap then stops growing (measured on jco's own table functions).
//
// Usage: node check.mjs [--quick] [--jco DIR] [--wit-deps DIR] [--guests DIR] [--only NAME[,NAME]]
//   --quick     leaves out the other-flag variants, sync instantiation and the
//               one-construct worlds (what npm test runs, about a minute)
//   --jco       the @bytecodealliance/jco 1.35.0 package dir (default: the repository's)
//   --wit-deps  dir with wasi-webgpu-0.3.0-rc.2 etc. (default: the repository's wit/deps)
//   --guests    dir of real *.component.wasm guests to add (default: web-tests/build
//               if it exists; --guests= for none)
// Everything is rebuilt under target/hybrid-check. The last line is
// `N passed, N failed`; exits 1 on any mismatch.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addCabiLowerHooks, HybridError } from '../../../npm/cli/hybrid.js';
import { keepOthersCurrentTask, TaskMetaError, wrapperIn } from '../../../npm/cli/task-meta.js';
import { ResumeError, resumeUnclamped } from '../../../npm/cli/resume.js';
import { classifyImports, componentImports } from '../../../npm/cli/transpile.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const quick = process.argv.includes('--quick');
const args = parseArgs(process.argv.slice(2).filter((a) => a !== '--quick'));
const JCO_DIR = resolve(args.jco ?? join(ROOT, 'node_modules/@bytecodealliance/jco'));
const WIT_DEPS = resolve(args['wit-deps'] ?? join(ROOT, 'wit/deps'));
const BUILD = join(ROOT, 'target/hybrid-check');
const JCO_BIN = join(JCO_DIR, 'dist/jco.js');
const BUILTIN_WIT = join(JCO_DIR, 'lib/wit/builtin');
const PANIC = 'unexpected non-host resource table';

const jcoVersion = JSON.parse(readFileSync(join(JCO_DIR, 'package.json'), 'utf8')).version;
if (jcoVersion !== '1.35.0') die(`jco at ${JCO_DIR} is ${jcoVersion}, not 1.35.0`);

// --- the test components ---------------------------------------------------

const WEBGPU = 'wasi-webgpu-0.3.0-rc.2';
const SURFACE = 'wasi-gfx-surface-0.2.0';
const FRAME_BUFFER = 'wasi-gfx-frame-buffer-0.2.0';
const WG = 'wasi:webgpu/webgpu@0.3.0-rc.2';

// The maps the product's `transpile` passes, and the interface-object form.
const PRODUCT_MAPS = [
  `${WG}=wasi-webgpu-shim`,
  'wasi-gfx:surface/*@0.2.0=wasi-webgpu-shim#*',
  'wasi-gfx:frame-buffer/*@0.2.0=wasi-webgpu-shim#*',
  'print=wasi-webgpu-shim/print#print',
];
const OBJECT_MAPS = ['wasi:webgpu/*@0.3.0-rc.2=wasi-webgpu-shim#*', ...PRODUCT_MAPS.slice(1)];
// The product serves the same interface under its older name too.
const OLD_NAME_MAPS = ['wasi:webgpu/webgpu@0.2.0-rc.2=wasi-webgpu-shim', ...PRODUCT_MAPS];

const dropLines = (...lines) => (text) => {
  for (const line of lines) {
    if (!text.includes(`${line}\n`)) die(`WIT line not found: ${line}`);
    text = text.replace(`${line}\n`, '');
  }
  return text;
};
const WEBGPU_P3 = ['    lost: func() -> future<gpu-device-lost-info>;', '    on-uncaptured-error: func() -> stream<gpu-error>;'];
const SURFACE_P3 = ['resize', 'frame', 'pointer-up', 'pointer-down', 'pointer-move', 'key-up', 'key-down'].map((e) => {
  const ty = e.startsWith('pointer') ? 'pointer' : e.startsWith('key') ? 'key' : e;
  return `    on-${e}: func() -> stream<${ty}-event>;`;
});
const WEBGPU_SKIPS = [`${WG}#[method]gpu-device.lost`, `${WG}#[method]gpu-device.on-uncaptured-error`];
const SURFACE_SKIPS = ['resize', 'frame', 'pointer-up', 'pointer-down', 'pointer-move', 'key-up', 'key-down'].map(
  (e) => `wasi-gfx:surface/surface@0.2.0#[method]surface.on-${e}`,
);
const GFX_WORLD = `
  import ${WG};
  import wasi-gfx:surface/surface@0.2.0;
  import wasi-gfx:surface/surface-webgpu@0.2.0;
  import wasi-gfx:surface/surface-frame-buffer@0.2.0;
  import wasi-gfx:frame-buffer/frame-buffer@0.2.0;`;

const COMPONENTS = [
  {
    // (a) all of webgpu that hybrid mode can transpile
    name: 'webgpu-nolost',
    world: `import ${WG};`,
    deps: { [WEBGPU]: dropLines(...WEBGPU_P3) },
    objectMaps: true,
  },
  {
    // (b) the full interface: hybrid mode panics
    name: 'webgpu',
    world: `import ${WG};`,
    deps: { [WEBGPU]: null },
    objectMaps: true,
    skips: WEBGPU_SKIPS,
    sameHooksAs: 'webgpu-nolost',
  },
  {
    // (c) webgpu with the wasi-gfx surface and frame buffer: streams
    name: 'gfx',
    world: GFX_WORLD,
    deps: { [WEBGPU]: null, [SURFACE]: null, [FRAME_BUFFER]: null },
    objectMaps: true,
    skips: [...WEBGPU_SKIPS, ...SURFACE_SKIPS],
    sameHooksAs: 'gfx-nostreams',
  },
  {
    // (c') the same without its futures and streams, so hybrid mode can run:
    // two `context` classes (Context, Context$1), tables across packages
    name: 'gfx-nostreams',
    world: GFX_WORLD,
    deps: { [WEBGPU]: dropLines(...WEBGPU_P3), [SURFACE]: dropLines(...SURFACE_P3), [FRAME_BUFFER]: null },
    objectMaps: true,
  },
  {
    // (d) the shapes: constructor, static, method, freestanding, root-level,
    // nested resources, every scalar kind, name clashes, exported funcs
    name: 'small',
    world: `
  import api;
  import api2;
  import print: func(s: string);
  import now: func() -> u64;
  export run: async func() -> u32;
  export greet: func(s: string) -> string;`,
    interfaces: `
interface api {
  resource thing {
    constructor(n: u32);
    get: func() -> u32;
    name: func() -> string;
    rename: func(s: string);
    make: static func() -> thing;
  }
  resource other {
    combine: func(a: borrow<thing>) -> thing;
  }
  record pair { a: thing, b: option<other> }
  variant pick { none, one(thing), many(list<other>) }
  flags perms { read, write }
  enum color { red, green }
  add: func(a: u32, b: u32) -> u32;
  swap: func(o: other, t: thing) -> tuple<thing, other>;
  wrap: func(p: pair) -> result<pick, string>;
  scalars: func(a: f32, b: f64, c: s64, d: char, e: bool, f: s8, g: u16) -> list<u8>;
  bits: func(f: perms, e: color) -> perms;
}
interface api2 {
  add: func(a: u32) -> u32;
  resource thing { get: func() -> string; }
}`,
    variants: [
      { id: 'async-imports', extra: ['--async-imports', 'local:small/api#add'] },
      // Other transpile flags: each must come out identical, or be refused.
      ...['--tla-compat', '--no-nodejs-compat', '--tracing', '--valid-lifting-optimization', '--multi-memory', '--no-namespaced-exports', '--async-mode=jspi', '--base64-cutoff=100000000'].map(
        (flag) => ({ id: flag.replace(/^--|=.*$/g, ''), extra: [flag], modes: ['esm', 'async'] }),
      ),
      { id: 'minify', extra: ['--minify'], modes: ['esm'], refused: true },
    ],
  },
  {
    // (d) the same with utf16 strings: stringEncoding in the hooks
    name: 'small-utf16',
    like: 'small',
    stringEncoding: 'utf16',
  },
  {
    // (d) resource table order: first use differs from definition order
    name: 'order',
    world: `
  import other;
  import order;
  import late-use;`,
    interfaces: `
interface order {
  resource early { }
  resource late { }
  f: func(l: borrow<late>) -> early;
  g: func(e: borrow<early>, l: borrow<late>);
  h: func(l: list<late>, x: option<early>);
}
interface other {
  use order.{early, late};
  resource mine { m: func(l: borrow<late>) -> early; }
  k: func(a: late, b: mine, c: early);
}
interface late-use {
  use order.{late};
  resource zed { z: func(l: borrow<late>, s: borrow<zed>); }
}`,
  },
  {
    // (d) a root-level import and nothing else: no resources at all
    name: 'print-only',
    world: 'import print: func(s: string);',
  },
  {
    // (d) no imports: nothing to hook
    name: 'no-imports',
    world: 'export run: func() -> u32;',
  },
  {
    // (d) async lowerings (a guest built with async bindings), by hand in WAT
    name: 'async-lower',
    wat: 'async-lower.wat',
    maps: ['test:a/api=./api.js'],
    jspi: true,
  },
  {
    // (d) what a Rust wasm32-wasip2 guest also imports: WASI 0.2, to
    // jco's preview2-shim
    name: 'wasi-p2',
    world: 'include wasi:cli/imports@0.2.12;',
    builtin: '0.2.12',
  },
  {
    // (d) WASI 0.3: streams and futures all over
    name: 'wasi-p3',
    world: 'include wasi:cli/imports@0.3.0;',
    builtin: '0.3.0',
    skips: 'any',
  },
  {
    // (d) p3 types in every position, next to plain functions
    name: 'p3-mix',
    world: `
  import p3;
  import root-err: func() -> result<_, error-context>;
  import root-plain: func(s: string) -> string;`,
    interfaces: `
interface p3 {
  resource res { get: func() -> u32; watch: func() -> future<u32>; }
  record holder { f: future<string>, n: u32 }
  variant ev { none, s(stream<u8>) }
  plain: func(a: u32) -> u32;
  ret-future: func() -> future;
  ret-stream: func() -> stream<u8>;
  take-stream: func(s: stream<u8>) -> u32;
  take-future: func(f: future<res>);
  err-param: func(e: error-context);
  err-ret: func() -> error-context;
  nested-record: func(h: holder);
  nested-list: func(l: list<future<u32>>);
  nested-option: func() -> option<stream<u32>>;
  nested-result: func() -> result<u32, future<error-context>>;
  nested-variant: func(v: ev);
  nested-tuple: func(t: tuple<u32, stream<res>>);
  after: func(r: borrow<res>) -> string;
}`,
    skips: [
      '[method]res.watch',
      'ret-future',
      'ret-stream',
      'take-stream',
      'take-future',
      'nested-record',
      'nested-list',
      'nested-option',
      'nested-result',
      'nested-variant',
      'nested-tuple',
    ].map((f) => `local:p3-mix/p3#${f}`),
    // hybrid mode lowers error-contexts (as raw handles): skipped only on request
    ecSkips: ['local:p3-mix/p3#err-param', 'local:p3-mix/p3#err-ret', 'root-err'],
  },
  // One future, stream or error-context construct each, next to a plain
  // function: proves hybrid mode panics on each future and stream (and not on
  // an error-context), and that exactly that function is skipped.
  ...[
    ['ret-future', 'func() -> future'],
    ['ret-future-u32', 'func() -> future<u32>'],
    ['ret-stream', 'func() -> stream<u8>'],
    ['param-stream', 'func(s: stream<u8>)'],
    ['param-future', 'func(f: future<string>)'],
    ['param-error-context', 'func(e: error-context)', 'ec'],
    ['ret-error-context', 'func() -> error-context', 'ec'],
    ['in-record', 'func(h: holder)'],
    ['in-list', 'func(l: list<stream<u8>>)'],
    ['in-option', 'func() -> option<future<u32>>'],
    ['in-result', 'func() -> result<u32, error-context>', 'ec'],
    ['in-variant', 'func(v: ev)'],
    ['in-tuple', 'func(t: tuple<u32, future>)'],
    ['future-of-resource', 'func(f: future<r>)'],
    ['future-of-error-context', 'func() -> future<error-context>'],
    ['method', null],
  ].map(([id, sig, ec]) => ({
    name: `p3-${id}`,
    world: 'import x;',
    interfaces: `
interface x {
  record holder { f: future<u32> }
  variant ev { none, s(stream<u8>) }
  resource r { get: func() -> u32;${sig ? '' : ` ${id}: func() -> future<u32>;`} }
  plain: func(a: u32) -> u32;${sig ? `\n  ${id}: ${sig};` : ''}
}`,
    [ec ? 'ecSkips' : 'skips']: [`local:p3-${id}/x#${sig ? id : `[method]r.${id}`}`],
    only: 'esm',
  })),
];

// --- build -------------------------------------------------------------------

// The product's own test guests (Rust, wit-bindgen), when there: real
// components, with whatever they import. Each distinct one once.
const GUESTS = resolve(args.guests ?? join(ROOT, 'web-tests/build'));
if (existsSync(GUESTS) && args.guests !== '') {
  const seen = new Set();
  for (const f of readdirSync(GUESTS).filter((f) => f.endsWith('.component.wasm')).sort()) {
    const bytes = readFileSync(join(GUESTS, f)).toString('base64');
    if (seen.has(bytes)) continue;
    seen.add(bytes);
    // A guest that imports nothing of the package's (WASI alone) has no
    // import with a raw binding: transpile, by the same rule, gives it
    // jco's default glue and never runs the step (wasi-p3).
    if (classifyImports(componentImports(join(GUESTS, f))).provided.length === 0) continue;
    COMPONENTS.push({ name: `guest-${f.replace('.component.wasm', '')}`, copy: join(GUESTS, f), maps: OLD_NAME_MAPS, skips: 'guest' });
  }
}

const only = args.only?.split(',');
const selected = COMPONENTS.filter((c) => !only || only.includes(c.name) || COMPONENTS.some((d) => only.includes(d.name) && d.sameHooksAs === c.name))
  .filter((c) => !quick || !c.name.startsWith('p3-') || c.name === 'p3-mix');
rmSync(BUILD, { recursive: true, force: true });
mkdirSync(BUILD, { recursive: true });
await buildComponents(selected);

// --- transpile ----------------------------------------------------------------

const MODES = [
  { id: 'esm', flags: [] },
  { id: 'async', flags: ['--instantiation', 'async'] },
  { id: 'sync', flags: ['--instantiation', 'sync'] },
];
const jobs = [];
for (const c of selected) {
  const variants = [{ id: 'named', maps: c.maps ?? PRODUCT_MAPS, extra: [] }];
  if (c.objectMaps) variants.push({ id: 'object', maps: OBJECT_MAPS, extra: [] });
  for (const v of c.variants ?? []) if (!quick || v.refused) variants.push({ maps: PRODUCT_MAPS, ...v });
  for (const v of variants) {
    for (const m of MODES) {
      if (quick && m.id === 'sync') continue;
      if ((c.only && c.only !== m.id) || (v.modes && !v.modes.includes(m.id))) continue;
      const dir = join(BUILD, c.name, 'out', `${v.id}-${m.id}`);
      const common = [...v.maps.flatMap((x) => ['--map', x]), '--base64-cutoff', '0', '--quiet', ...m.flags, ...v.extra];
      jobs.push({ c, v, m, dir, common });
    }
  }
}
await pool(
  jobs.flatMap((j) => ['js', 'hybrid'].map((b) => () => transpile(j, b))),
  2,
);

// --- compare -------------------------------------------------------------------

let failures = 0;
let streamBufferFixes = 0;
const hookSets = new Map();
const rows = [];
for (const j of jobs) {
  const key = `${j.v.id}-${j.m.id}`;
  const label = `${j.c.name} ${j.v.id} ${j.m.id}`.padEnd(38);
  const { js, hybrid } = j;
  const problems = [];
  let outcome;
  let skippedLine = '';
  try {
    if (js.code !== 0) throw new Error(`jco default transpile failed: ${js.stderr.trim().split('\n')[0]}`);
    const main = `${j.c.name}.js`;
    const source = readFileSync(join(j.dir, 'js', main), 'utf8');
    if (j.v.refused) {
      try {
        addCabiLowerHooks(source);
        problems.push('was not refused');
      } catch (e) {
        if (!(e instanceof HybridError)) throw e;
        outcome = `refused: ${e.message}`;
      }
      rows.push({ j, label, outcome, problems });
      continue;
    }
    const r = addCabiLowerHooks(source);
    hookSets.set(`${j.c.name} ${key}`, r.hooked);
    writeFileSync(join(j.dir, 'js', `${j.c.name}.patched.js`), r.source);
    const summary = `${r.hooked.length} hooked, ${r.skipped.length} skipped`;

    // Which imports are skipped, and why.
    const guest = j.c.skips === 'guest';
    const expectSkips = guest ? r.skipped.map((s) => s.name) : j.c.skips === 'any' ? null : [...(j.c.skips ?? [])];
    checkSkips(problems, r, expectSkips, '');
    // skipErrorContext moves exactly the error-context functions onto jco's glue.
    const ec = addCabiLowerHooks(source, { skipErrorContext: true });
    const ecSkips = guest ? ec.skipped.map((s) => s.name).filter((n) => !expectSkips.includes(n)) : j.c.ecSkips ?? [];
    checkSkips(problems, ec, expectSkips && [...expectSkips, ...ecSkips], 'with skipErrorContext ');
    if (JSON.stringify(ec.hooked) !== JSON.stringify(r.hooked.filter((h) => !ecSkips.includes(h)))) problems.push('skipErrorContext hooks differ');
    // Hybrid mode must panic exactly when there is a future or a stream.
    const panics = guest ? r.skipped.length > 0 : j.c.skips === 'any' || j.c.skips?.length > 0;

    if (hybrid.code === 0) {
      if (panics) problems.push('hybrid mode worked although the world has futures/streams');
      // Every emitted file: the main .js must match after patching, the rest as is.
      const a = listFiles(join(j.dir, 'js')).filter((f) => !f.endsWith('.patched.js'));
      const b = listFiles(join(j.dir, 'hybrid'));
      if (a.join() !== b.join()) problems.push(`hybrid mode emits other files: ${a.join(' ')} vs ${b.join(' ')}`);
      for (const f of b.filter((f) => f !== main)) {
        if (!readFileSync(join(j.dir, 'js', f)).equals(readFileSync(join(j.dir, 'hybrid', f)))) problems.push(`hybrid mode changes ${f}`);
      }
      const want = readFileSync(join(j.dir, 'hybrid', main), 'utf8');
      if (r.source !== want) problems.push(`patched main .js differs from hybrid output at ${firstDiff(r.source, want)}`);
      outcome = `identical (${summary})`;
    } else {
      if (!hybrid.stderr.includes(PANIC)) problems.push(`hybrid mode failed unexpectedly: ${hybrid.stderr.trim().split('\n')[0]}`);
      if (!panics) problems.push('hybrid mode panicked on a world without futures/streams');
      outcome = `${summary} (hybrid mode panics)`;
      skippedLine = `\n${' '.repeat(39)}skipped: ${r.skipped.map((x) => x.name).join(', ')}`;
    }

    // The fix for _createdReps removes one line and nothing else.
    const fixed = addCabiLowerHooks(source, { fixCreatedReps: true });
    const line = /^[ ]*table\._createdReps\.add\(rep\);\n/m.exec(r.source);
    const want = line ? r.source.replace(line[0], '') : r.source;
    if (fixed.source !== want) problems.push('fixCreatedReps changed more than the _createdReps.add line');
    // The fix for stream copy buffers replaces the store in createBuffer
    // with one comment line and changes nothing else.
    const unstored = addCabiLowerHooks(source, { fixStreamBuffers: true });
    const store = /^([ ]*)if \(instanceBuffers\.has\(nextBufID\)\) \{\n[^]*?\n\1instanceBuffers\.set\(nextBufID, buffer\);\n/m.exec(r.source);
    const wantUnstored = store ? r.source.replace(store[0], `${store[1]}// wasi-webgpu-shim: not stored; nothing reads or deletes them, and each kept its stream copy alive\n`) : r.source;
    if (unstored.source !== wantUnstored) problems.push('fixStreamBuffers changed more than the buffer store in createBuffer');
    if (r.source.includes('class BufferManager') !== Boolean(store)) problems.push('fixStreamBuffers did not find the buffer store');
    if (store) streamBufferFixes++;

    // In instantiation mode, run it.
    if (j.m.id !== 'esm') {
      const mine = await run(join(j.dir, 'js'), `${j.c.name}.patched.js`, j.m.id);
      if (mine.error) problems.push(`patched output does not instantiate: ${mine.error}`);
      else {
        if (mine.calls.length !== r.hooked.length) problems.push(`${mine.calls.length} hooks ran, ${r.hooked.length} expected`);
        for (const bad of mine.calls.filter((call) => call.problem)) problems.push(`hook ${bad.path} got ${bad.problem}`);
        if (hybrid.code === 0) {
          const theirs = await run(join(j.dir, 'hybrid'), main, j.m.id);
          if (theirs.error) problems.push(`hybrid output does not instantiate: ${theirs.error}`);
          else if (JSON.stringify(theirs.calls) !== JSON.stringify(mine.calls)) problems.push('hooks ran differently from real hybrid output');
        }
        outcome += `, ran ${mine.calls.length} hooks`;
      }
    }
  } catch (e) {
    problems.push(e instanceof HybridError ? `HybridError: ${e.message}` : String(e.stack ?? e));
  }
  rows.push({ j, label, outcome: outcome + skippedLine, problems });
}

// A world with futures/streams hooks exactly what the same world without them does.
for (const { j, problems } of rows) {
  if (!j.c.sameHooksAs) continue;
  const key = `${j.v.id}-${j.m.id}`;
  const mine = hookSets.get(`${j.c.name} ${key}`);
  const theirs = hookSets.get(`${j.c.sameHooksAs} ${key}`);
  if (mine && theirs && JSON.stringify(mine) !== JSON.stringify(theirs)) problems.push(`hooks differ from ${j.c.sameHooksAs}'s`);
}

for (const { label, outcome, problems } of rows) {
  if (problems.length === 0) console.log(`${label} ${outcome}`);
  else {
    failures++;
    console.log(`${label} MISMATCH`);
    for (const p of problems) console.log(`    ${p}`);
  }
}

// --- unrecognised input is refused, whole -------------------------------------

const refusals = refusalCases(rows.find((r) => r.j.c.name === 'small' && r.j.v.id === 'named' && r.j.m.id === 'esm'));
for (const [what, ok, message] of refusals) {
  console.log(`${`refuses ${what}`.padEnd(38)} ${ok ? `HybridError: ${message}` : 'MISMATCH'}`);
  if (!ok) failures++;
}

// --- _createdReps growth, with and without the fix ---------------------------

const webgpu = rows.find((r) => r.j.c.name === 'webgpu' && r.j.m.id === 'esm') ?? rows.find((r) => r.j.m.id === 'esm');
if (webgpu) {
  const m = spawnSync(process.execPath, ['--expose-gc', join(HERE, 'created-reps.mjs'), join(webgpu.j.dir, 'js', `${webgpu.j.c.name}.js`)], { encoding: 'utf8' });
  process.stdout.write(m.stdout);
  if (m.status !== 0) {
    failures++;
    console.log(`created-reps measurement failed: ${m.stderr}`);
  }
}

// --- the task-meta step (npm/cli/task-meta.js) on jco's own text -------------

const taskMeta = webgpu ? await replayTaskMetaRace(readFileSync(join(webgpu.j.dir, 'js', `${webgpu.j.c.name}.js`), 'utf8')) : ['no webgpu output'];
console.log(`${'task-meta step fixes the race'.padEnd(38)} ${taskMeta.length === 0 ? "jco's wrapper clears the guest's task, the step's keeps it" : `MISMATCH: ${taskMeta.join('; ')}`}`);
if (taskMeta.length > 0) failures++;

// --- the resume step (npm/cli/resume.js) on jco's own text -------------------

const resume = webgpu ? checkResume(readFileSync(join(webgpu.j.dir, 'js', `${webgpu.j.c.name}.js`), 'utf8')) : ['no webgpu output'];
console.log(`${'resume step recognises jco'.padEnd(38)} ${resume.length === 0 ? "jco's timers replaced; a changed runtime refused" : `MISMATCH: ${resume.join('; ')}`}`);
if (resume.length > 0) failures++;

// Some components above have streams, so the buffer fix must have applied.
console.log(`${'fixStreamBuffers applies'.padEnd(38)} ${streamBufferFixes > 0 ? `in ${streamBufferFixes} outputs with a BufferManager` : 'MISMATCH: no output had one'}`);
if (streamBufferFixes === 0) failures++;

const total = rows.length + refusals.length + 3;
console.log(`${total - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);

// --- helpers ------------------------------------------------------------------

/**
 * The race task-meta.js fixes, replayed on jco's `_withGlobalCurrentTaskMetaAsync`
 * as jco wrote it and as the step leaves it: the guest task (entry G) waits
 * in an import while an async host import of the same task runs; the
 * import's wrapper sets its own entry, G's wait ends and _suspendingImport
 * puts G back, then the host import settles. The guest must resume with G
 * current. Returns what went wrong.
 */
async function replayTaskMetaRace(jcoText) {
  const problems = [];
  const wrapperOf = (text) => {
    const at = wrapperIn(text);
    if (at === null) return null;
    const meta = {};
    const wrap = new Function('CURRENT_TASK_META', '_debugLog', `${text.slice(at.header, at.end)}\n}; return _withGlobalCurrentTaskMetaAsync;`)(meta, () => {});
    return { meta, wrap };
  };
  const replay = async (text) => {
    const { meta, wrap } = wrapperOf(text);
    const guest = { taskID: 2n, componentIdx: 0 };
    meta[0] = meta.current = guest;
    let settle;
    const hostImport = wrap({ taskID: 2n, componentIdx: 0, fn: () => new Promise((resolve) => (settle = resolve)) });
    meta[0] = meta.current = guest; // _suspendingImport's restore
    settle();
    await hostImport;
    return meta[0];
  };
  if (wrapperIn(jcoText) === null) return ['the output has no _withGlobalCurrentTaskMetaAsync'];
  const fixed = keepOthersCurrentTask(jcoText);
  if (fixed.fixed !== 1) problems.push('the step did not patch it');
  if ((await replay(jcoText)) !== null) problems.push("jco's own wrapper kept the guest's entry: the race is not where the step says");
  if ((await replay(fixed.source))?.taskID !== 2n) problems.push("the patched wrapper cleared the guest's entry");
  // Its own entry is still cleared when nobody set another.
  const { meta, wrap } = wrapperOf(fixed.source);
  await wrap({ taskID: 3n, componentIdx: 1, fn: async () => {} });
  if (meta[1] !== null || meta.current !== null) problems.push('the patched wrapper left its own entry set');
  // A wrapper not as jco 1.35.0 writes it is refused.
  try {
    keepOthersCurrentTask(jcoText.replace(/(_withGlobalCurrentTaskMetaAsync\(args\) \{[\s\S]*?)return await fn\(\);/, '$1return fn();'));
    problems.push('a changed wrapper was patched');
  } catch (error) {
    if (!(error instanceof TaskMetaError)) throw error;
  }
  return problems;
}

/** resume.js on jco's own output: patched where it says, refused whole when the text differs. */
function checkResume(jcoText) {
  const problems = [];
  const { source, fixed } = resumeUnclamped(jcoText);
  if (fixed !== 1) problems.push('the step did not patch it');
  if (/setTimeout\(resolve, delay\)|\}, 10\);\n\s*\}\n\s*tick\(\) \{/.test(source)) problems.push("runTickLoop still has jco's timers");
  if (!/_wasiWebgpuNextTask\(\(\) => \{\n\s*\/\/ NOTE: whether the import settled/.test(source)) problems.push("_lowerImport's hand-back is not on the next task");
  for (const [what, changed] of [
    ['a changed tick loop', jcoText.replace(/(async runTickLoop\(\) \{[\s\S]*?)\}, 10\);/, '$1}, 20);')],
    ["a changed hand-back", jcoText.replace('// NOTE: whether the import settled before this timer fires', '// NOTE: changed')],
  ]) {
    if (changed === jcoText) problems.push(`${what}: the test's change did not apply`);
    try {
      resumeUnclamped(changed);
      problems.push(`${what} was patched`);
    } catch (error) {
      if (!(error instanceof ResumeError)) throw error;
    }
  }
  return problems;
}

async function buildComponents(list) {
  // jco 1.35.0's `embed --wit DIR` fails with "No such file or directory":
  // its wasm-tools component reads the WIT through preview2-shim 0.26, which
  // preopens nothing by default. So embed through jco's API with / preopened
  // on the very preview2-shim instance that component imports.
  const transpileDir = dirname(dirname(createRequire(join(JCO_DIR, 'package.json')).resolve('@bytecodealliance/jco-transpile')));
  const fsShim = createRequire(join(transpileDir, 'vendor/wasm-tools.js')).resolve('@bytecodealliance/preview2-shim/filesystem');
  const { _setPreopens } = await import(pathToFileURL(fsShim));
  _setPreopens({ '/': '/' });
  const { componentEmbed, componentNew } = await import(pathToFileURL(join(JCO_DIR, 'dist/api.js')));

  for (const c of list) {
    const dir = join(BUILD, c.name);
    mkdirSync(dir, { recursive: true });
    if (c.copy) {
      cpSync(c.copy, join(dir, `${c.name}.wasm`));
      continue;
    }
    if (c.wat) {
      const r = spawnSync(process.execPath, [JCO_BIN, 'parse', join(HERE, c.wat), '-o', join(dir, `${c.name}.wasm`)], { encoding: 'utf8' });
      if (r.status !== 0) die(`jco parse ${c.wat}: ${r.stderr}`);
      continue;
    }
    const base = c.like ? { ...COMPONENTS.find((d) => d.name === c.like), ...c } : c;
    const wit = join(dir, 'wit');
    mkdirSync(join(wit, 'deps'), { recursive: true });
    for (const [dep, edit] of Object.entries(base.deps ?? {})) {
      const to = join(wit, 'deps', dep);
      cpSync(join(WIT_DEPS, dep), to, { recursive: true });
      if (edit) writeFileSync(join(to, 'package.wit'), edit(readFileSync(join(to, 'package.wit'), 'utf8')));
    }
    if (base.builtin) {
      for (const dep of readdirSync(join(BUILTIN_WIT, base.builtin))) cpSync(join(BUILTIN_WIT, base.builtin, dep), join(wit, 'deps', dep), { recursive: true });
    }
    writeFileSync(join(wit, 'world.wit'), `package local:${c.name};\n${base.interfaces ?? ''}\nworld ${c.name}-world {\n  ${base.world.trim()}\n}\n`);
    const core = await componentEmbed({ dummy: true, witPath: wit, world: `${c.name}-world`, stringEncoding: c.stringEncoding });
    writeFileSync(join(dir, 'core.wasm'), core);
    writeFileSync(join(dir, `${c.name}.wasm`), await componentNew(core));
  }
}

function transpile(j, bindings) {
  const wasm = join(BUILD, j.c.name, `${j.c.name}.wasm`);
  const argv = [JCO_BIN, 'transpile', wasm, '-o', join(j.dir, bindings), '--import-bindings', bindings, ...j.common];
  return new Promise((done) => {
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      j[bindings] = { code, stderr };
      done();
    });
  });
}

async function pool(tasks, width) {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: width }, async () => { while (queue.length) await queue.shift()(); }));
}

/**
 * Instantiates an instantiation-mode output against stub host functions whose
 * `cabiLower` records what it was given. Node 20 has no JSPI; the guest is
 * never called, so `promising` and `Suspending` only need to exist.
 */
async function run(dir, file, mode) {
  WebAssembly.promising ??= (f) => f;
  WebAssembly.Suspending ??= function Suspending(f) { return f; };
  const calls = [];
  const stubs = new Map();
  const stub = (path) => {
    if (stubs.has(path)) return stubs.get(path);
    const fn = function () {};
    const lower = (opts) => {
      calls.push({ path, keys: Object.keys(opts), problem: checkOpts(opts) });
      return () => {};
    };
    const proxy = new Proxy(fn, {
      get(target, key) {
        if (key === Symbol.for('cabiLower')) return lower;
        if (typeof key === 'symbol') return undefined;
        if (key === 'prototype') return stub(`${path}.prototype`);
        return stub(`${path}.${key}`);
      },
    });
    stubs.set(path, proxy);
    return proxy;
  };
  const imports = new Proxy({}, { get: (_, spec) => (typeof spec === 'string' ? stub(spec) : undefined) });
  try {
    const { instantiate } = await import(`${pathToFileURL(join(dir, file))}?${Math.random()}`);
    const load = (name) => (mode === 'sync' ? new WebAssembly.Module(readFileSync(join(dir, name))) : WebAssembly.compile(readFileSync(join(dir, name))));
    await instantiate(load, imports);
    return { calls };
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] };
  }
}

/** Skipped names (any order: jco numbers trampolines in core-import order) and reasons. */
function checkSkips(problems, r, expected, how) {
  for (const s of r.skipped) {
    if (!/^its signature has an? (future|stream|error-context)( and an? (future|stream|error-context))*(, which jco 1\.35\.0's hybrid mode cannot lower \(it panics\)| and skipErrorContext is set); left on jco's glue$/.test(s.reason)) {
      problems.push(`${how}odd skip reason: ${s.reason}`);
    }
  }
  const got = r.skipped.map((s) => s.name).sort();
  if (expected === null) {
    if (got.length === 0) problems.push(`${how}expected skips, got none`);
  } else if (JSON.stringify(got) !== JSON.stringify([...expected].sort())) {
    problems.push(`${how}skipped ${JSON.stringify(got)}, expected ${JSON.stringify([...expected].sort())}`);
  }
}

function checkOpts(opts) {
  for (const [k, v] of Object.entries(opts)) {
    if (k === 'memory' && !(v instanceof WebAssembly.Memory)) return `memory ${typeof v}`;
    if (k === 'realloc' && typeof v !== 'function') return `realloc ${typeof v}`;
    if (k === 'stringEncoding' && !['utf16', 'compact-utf16'].includes(v)) return `stringEncoding ${v}`;
    if (k === 'resourceTables' && !(Array.isArray(v) && v.every((t) => Array.isArray(t) && t.length >= 2 && t._createdReps instanceof Set))) return 'a bad resource table';
    if (!['memory', 'realloc', 'stringEncoding', 'resourceTables'].includes(k)) return `unknown key ${k}`;
  }
  return null;
}

/** Small corruptions of real output, each of which must be refused with nothing returned. */
function refusalCases(row) {
  if (!row) return [];
  const source = readFileSync(join(row.j.dir, 'js', `${row.j.c.name}.js`), 'utf8');
  const cases = [
    ['hybrid output', () => addCabiLowerHooks(readFileSync(join(row.j.dir, 'hybrid', `${row.j.c.name}.js`), 'utf8'))],
    ['a changed meta key', () => addCabiLowerHooks(source.replaceAll('  isCancellable: false,', '  isCancelable: false,'))],
    ['a post-return', () => addCabiLowerHooks(source.replaceAll('getPostReturnFn: () => null,', 'getPostReturnFn: () => postReturn0,'))],
    ['an extra lowering', () => addCabiLowerHooks(source.replace('const $init', 'let trampoline999 = _lowerImport.bind(null, {});\nconst $init'))],
    ['a missing debug label', () => addCabiLowerHooks(source.replace(/_debugLog\('\[iface="local:small\/api", function="add"\][^\n]*\n/g, ''))],
    ['a moved intrinsic', () => addCabiLowerHooks(source.replace("const symbolRscHandle = Symbol('handle');", "const symbolRscHandle = Symbol('handle') ;"))],
    ['a reader of _createdReps', () => addCabiLowerHooks(source + '\nif (handleTable0._createdReps.has(1)) {}\n', { fixCreatedReps: true })],
    ['a reader of stream buffers', () => addCabiLowerHooks(source + '\nclass BufferManager {}\nBUFFER_MGR.getBuffer(0, 1n);\n', { fixStreamBuffers: true })],
    ['an unknown option', () => addCabiLowerHooks(source, { fixCreatedRep: true })],
  ];
  return cases.map(([what, f]) => {
    try {
      f();
      return [what, false];
    } catch (e) {
      return [what, e instanceof HybridError && /jco 1\.35\.0/.test(e.message) && e.message.split('. ').length === 1, e.message];
    }
  });
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `line ${line}: ${JSON.stringify(a.slice(i, i + 60))} vs ${JSON.stringify(b.slice(i, i + 60))}`;
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) die(`unknown argument ${argv[i]}`);
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

function die(message) {
  console.error(`check.mjs: ${message}`);
  process.exit(2);
}
