// `wasi-webgpu-shim component`: a core module, as cargo builds it for
// wasm32-unknown-unknown (or wasm32-wasip1), made into a component.
//
// A program whose dependencies use wasm-bindgen (egui's do; so does wgpu
// with its `web` feature) carries wasm-bindgen's exports (one
// `__wbindgen_describe_*` per JS binding: an egui program had 2,504) and
// imports from `__wbindgen_placeholder__`, which only wasm-bindgen's JS
// provides; `jco new` refuses such a module. This step:
//   1. removes the exports only wasm-bindgen's JS calls;
//   2. removes everything no remaining export reaches (binaryen's
//      remove-unused-module-elements), which takes most of the JS imports
//      with it;
//   3. replaces the wasm-bindgen intrinsics still referenced (INTRINSICS:
//      each acts on a JS value, and a JS value can only come from a JS
//      import, of which none is left; or it throws, which a trap is in a
//      component) with a body of the module's own;
//   4. refuses, naming it, any other JS import still reachable: the program
//      calls JavaScript on a path its exports reach, and needs wasm-bindgen;
//   5. runs `jco new` (with WASI 0.1's adapter when the module imports
//      wasi_snapshot_preview1).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './server.js';
import { findPackageDir, jco, jcoDir, readWasm } from './transpile.js';

/** The core modules wasm-bindgen's JS provides. */
const BINDGEN_MODULES = new Set(['__wbindgen_placeholder__', '__wbindgen_externref_xform__']);

/**
 * wasm-bindgen 0.2.130's intrinsics that may stay referenced once no JS
 * import is, by name (without the `__wbg_` prefix and hash that wasm-bindgen
 * adds, as in `__wbg___wbindgen_throw_4c88…`): what each becomes, and why
 * that is right with no JS value in the program.
 *   trap: it needs a JS value or JS itself; none can exist, and a JS throw
 *         ends the call as a trap does in a component;
 *   nop: releasing a JS value: there is none to release;
 *   none-dynamic: the end of the JS-value table's constants, as u32::MAX:
 *         every handle then counts as a constant, so a JsValue constant
 *         (JsValue::UNDEFINED and the like, which Rust code can make with
 *         no JS) drops and clones without calling anything.
 */
const INTRINSICS = {
  __wbindgen_object_drop_ref: 'nop',
  __wbindgen_object_clone_ref: 'trap',
  __wbindgen_externref_statics_end: 'none-dynamic',
  __wbindgen_externref_table_grow: 'trap',
  __wbindgen_externref_table_set_null: 'trap',
  __wbindgen_throw: 'trap',
  __wbindgen_rethrow: 'trap',
  __wbindgen_describe: 'trap',
  __wbindgen_describe_cast: 'trap',
  __wbindgen_jspi_spawn_poll: 'trap',
};

/** An import's intrinsic name (`__wbindgen_throw`), or null for a call into JS. */
function intrinsicName(base) {
  const name = base.replace(/^__wbg_(__wbindgen_.+)_[0-9a-f]{16}$/, '$1');
  return Object.hasOwn(INTRINSICS, name) ? name : null;
}

/** What the JS function an import calls is named: `__wbg_now_8a7c…` → `now`. */
function jsName(base) {
  return base.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, '');
}

/** Exports only wasm-bindgen's JS calls. */
function isBindgenExport(name, described) {
  return /^(__wbindgen_|__wbg_|__externref_)/.test(name) || name === '__abort_handler' || name === '__instance_terminated' || described.has(name);
}

/**
 * What Rust's wasm32 targets emit (their default features and the ones a
 * user may turn on with -C target-feature), and nothing that changes how
 * binaryen encodes a module that does not use it (GC's type groups, compact
 * imports), which browsers and wit-component would reject.
 */
function features(binaryen) {
  const F = binaryen.Features;
  return (
    F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.ReferenceTypes |
    F.Multivalue | F.CallIndirectOverlong | F.SIMD128 | F.RelaxedSIMD | F.ExtendedConst | F.TailCall | F.Atomics | F.ExceptionHandling
  );
}

async function loadBinaryen() {
  // The package depends on binaryen (the version jco pulls in): look next to
  // the package, then next to jco, for installs that do not hoist.
  const dir = findPackageDir('binaryen') ?? findPackageDir('binaryen', jcoDir());
  if (!dir) throw new UsageError('binaryen is not installed: run `npm install wasi-webgpu-shim` again');
  const { main, module } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return (await import(pathToFileURL(join(dir, module ?? main ?? 'index.js')).href)).default;
}

/**
 * Steps 1 to 4 on a core module's bytes. Returns the module to wrap and
 * what was removed; throws UsageError naming a reachable JS import.
 */
export async function stripBindgen(bytes, { file = 'the module' } = {}) {
  const probe = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(probe);
  const exports = WebAssembly.Module.exports(probe).map((e) => e.name);
  if (!imports.some((i) => BINDGEN_MODULES.has(i.module)) && !exports.some((name) => isBindgenExport(name, new Set()))) {
    return { bytes, removedExports: 0, removedImports: 0, replaced: [] };
  }
  const binaryen = await loadBinaryen();
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(features(binaryen));
    const described = new Set(exports.filter((name) => name.startsWith('__wbindgen_describe_')).map((name) => name.slice('__wbindgen_describe_'.length)));
    const removed = exports.filter((name) => isBindgenExport(name, described));
    for (const name of removed) module.removeExport(name);
    module.runPasses(['remove-unused-module-elements']);

    const left = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
      if (info.module && BINDGEN_MODULES.has(info.module)) left.push(info);
    }
    // Globals and tables from wasm-bindgen's JS (a memory never is: the
    // module's own is exported to it).
    const nonFunctions = [
      ...Array.from({ length: module.getNumGlobals() }, (_, i) => ['global', binaryen.getGlobalInfo(module.getGlobalByIndex(i))]),
      ...Array.from({ length: module.getNumTables() }, (_, i) => ['table', binaryen.getTableInfo(module.getTableByIndex(i))]),
    ];
    for (const [kind, info] of nonFunctions) {
      if (info.module && BINDGEN_MODULES.has(info.module)) {
        throw new UsageError(`${file} imports ${info.module}::${info.base} (a ${kind} that wasm-bindgen's JS provides), which its exports still use, so it cannot run as a component`);
      }
    }
    const calls = left.filter((info) => !intrinsicName(info.base));
    if (calls.length > 0) {
      const names = calls.map((info) => `\`${jsName(info.base)}\``);
      throw new UsageError(
        `${file} still calls JavaScript through wasm-bindgen on a path its exports reach: ${names.slice(0, 3).join(', ')}` +
          `${names.length > 3 ? ` and ${names.length - 3} more` : ''} (import ${calls[0].module}::${calls[0].base}), so it cannot run as a component; ` +
          'find the dependency that calls it (a feature that targets the web, a web-time clock, a getrandom "js" backend) and turn that off',
      );
    }
    // A defined function under the import's own name: every call site and
    // table entry refers to it by that name.
    const body = { trap: () => module.unreachable(), nop: () => module.nop(), 'none-dynamic': () => module.i32.const(-1) };
    for (const info of left) {
      module.removeFunction(info.name);
      module.addFunction(info.name, info.params, info.results, [], body[INTRINSICS[intrinsicName(info.base)]]());
    }
    if (!module.validate()) throw new Error('binaryen made an invalid module from it');
    const replaced = left.map((info) => `${intrinsicName(info.base)} (${INTRINSICS[intrinsicName(info.base)]})`);
    return { bytes: module.emitBinary(), removedExports: removed.length, removedImports: imports.filter((i) => BINDGEN_MODULES.has(i.module)).length, replaced };
  } finally {
    module.dispose();
  }
}

/** The whole command: `component <core.wasm> -o <out.wasm>`. */
export async function makeComponent(input, output, { log = () => {} } = {}) {
  const { bytes, layer } = readWasm(input);
  if (layer !== 0) throw new UsageError(`${input} is already a component: transpile or run it as it is`);
  let compiled;
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (error) {
    throw new UsageError(`${input} is not a valid core module: ${error.message}`);
  }
  const imports = WebAssembly.Module.imports(compiled);
  const file = basename(input);
  const stripped = await stripBindgen(bytes, { file });
  if (stripped.removedExports > 0 || stripped.removedImports > 0) {
    const replaced = stripped.replaced.length ? `; the wasm-bindgen intrinsics still referenced, which act on JS values none of its code can make: ${stripped.replaced.join(', ')}` : '';
    log(`removed wasm-bindgen's ${stripped.removedExports} export(s) and ${stripped.removedImports} import(s), which only its JS uses${replaced}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasi-webgpu-component-'));
  try {
    const core = join(dir, 'core.wasm');
    writeFileSync(core, stripped.bytes);
    const args = ['new', core, '-o', output];
    // WASI 0.1 imports: jco's adapter to WASI 0.2, as a command when the
    // module has a main (`_start`, which stripping keeps), else as a reactor.
    if (imports.some((i) => i.module === 'wasi_snapshot_preview1')) {
      const command = WebAssembly.Module.exports(compiled).some((e) => e.name === '_start');
      args.push(command ? '--wasi-command' : '--wasi-reactor');
    }
    const made = jco(args);
    if (made.status !== 0) {
      const reason = `${made.stderr}`.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('at ') && !/^ComponentError|^\$?failed to|^Caused by/.test(line));
      throw new UsageError(`jco new could not make a component of ${file}: ${reason.join('; ').replace(/\d+: /g, '') || 'no reason given'}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { removedExports, removedImports, replaced } = stripped;
  return { output, removedExports, removedImports, replaced };
}
