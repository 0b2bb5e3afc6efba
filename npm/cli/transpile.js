// `wasi-webgpu-shim transpile`: the pinned jco, with a --map for every
// interface this package implements, and a report of the imports it does not.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI_P2, WASI_P3 } from '../generated/wasi.js';
import { addCabiLowerHooks, HybridError } from './hybrid.js';
import { nameHostImportThrows } from './host-errors.js';
import { prefetchCoreModules } from './prefetch.js';
import { keepOthersCurrentTask } from './task-meta.js';
import { ResumeError, resumeUnclamped } from './resume.js';
import { minifyGlue } from './minify.js';
import { RecorderHooksError, addRecorderHooks } from './recorder-hooks.js';
import { UsageError } from './server.js';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAME = 'wasi-webgpu-shim';

/** The jco this package is tested with; other versions lay out resource tables differently. */
export const JCO_VERSION = '1.35.0';

/**
 * The imports this package implements, by WIT name, and how jco maps each.
 * `web-tests/node/checks.test.mjs` compares this list with the vendored WIT.
 */
export const PROVIDED = [
  ['wasi:webgpu/webgpu@0.3.0-rc.2', (shim) => shim],
  ['wasi:webgpu/webgpu@0.2.0-rc.2', (shim) => shim],
  ['wasi-gfx:surface/surface@0.2.0', (shim) => `${shim}#surface`],
  ['wasi-gfx:surface/surface-webgpu@0.2.0', (shim) => `${shim}#surfaceWebgpu`],
  ['wasi-gfx:surface/surface-frame-buffer@0.2.0', (shim) => `${shim}#surfaceFrameBuffer`],
  ['wasi-gfx:frame-buffer/frame-buffer@0.2.0', (shim) => `${shim}#frameBuffer`],
  // The reference runtime's examples print through a root-level function.
  ['print', () => `${PACKAGE_NAME}/print#print`],
];

/** Packages jco maps to @bytecodealliance/preview2-shim by itself (WASI 0.2). */
const PREVIEW2 = /^wasi:(cli|clocks|filesystem|http|io|random|sockets)\/[^@]+@0\.2\./;

/** What jco 1.35.0 maps to @bytecodealliance/preview3-shim by itself: two WASI 0.3 versions only. */
const PREVIEW3 = /^wasi:(cli|clocks|filesystem|http|random|sockets)\/[^@]+@(0\.3\.0-rc-2026-03-15|0\.3\.0)$/;

/**
 * The WASI 0.3 releases whose cli, clocks, random and filesystem the
 * package's own WASI (npm/wasi/) implements: their WIT is the same as the
 * vendored 0.3.2's (wit/deps/wasi-*-0.3.2). Earlier release candidates
 * spell stdout, clocks or random differently.
 */
export const WASI_P3_VERSIONS = ['0.3.0-rc-2026-03-15', '0.3.0', '0.3.1', '0.3.2'];

/** `wasi:cli/stdout@0.2.3` → the package's WASI table entry for it, or undefined. */
function ownWasi(name) {
  const match = /^(wasi:[a-z-]+\/[a-z-]+)@(\d+\.\d+\.\d+(?:-[a-z0-9-]+)?)$/.exec(name);
  if (!match) return undefined;
  const [, iface, version] = match;
  if (/^0\.2\.\d+$/.test(version)) return WASI_P2[iface];
  if (WASI_P3_VERSIONS.includes(version)) return WASI_P3[iface];
  return undefined;
}

/**
 * Sorts imports into ours (wasi:webgpu, wasi-gfx, print), WASI ours
 * (npm/wasi/), jco's WASI 0.2 shims', and nobody's. A component that also
 * imports WASI 0.2 the package does not implement (wasi:http, wasi:sockets)
 * keeps all its WASI 0.2 on preview2-shim: their streams are preview2-shim's
 * classes, which the package's wasi:io would not accept.
 */
export function classifyImports(imports, { wasi: wasiFrom = 'package' } = {}) {
  const ours = new Set(PROVIDED.map(([name]) => name));
  const p2Elsewhere = imports.filter((name) => PREVIEW2.test(name) && !ownWasi(name));
  const wasi = wasiFrom === 'jco' ? [] : imports.filter((name) => ownWasi(name) && !(p2Elsewhere.length && PREVIEW2.test(name)));
  const preview3 = imports.filter((name) => PREVIEW3.test(name) && !wasi.includes(name));
  return {
    provided: imports.filter((name) => ours.has(name)),
    wasi,
    preview2: imports.filter((name) => PREVIEW2.test(name) && !wasi.includes(name)),
    preview3,
    missing: imports.filter((name) => !ours.has(name) && !PREVIEW2.test(name) && !wasi.includes(name) && !preview3.includes(name)),
    ...(p2Elsewhere.length && { wasiOnPreview2: `it imports ${p2Elsewhere.join(', ')}, which ${PACKAGE_NAME} does not implement` }),
  };
}

/** The directory of an installed npm package, looked for as Node would from `from`. */
export function findPackageDir(name, from = PACKAGE_DIR) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

export function jcoDir() {
  const dir = findPackageDir('@bytecodealliance/jco');
  if (!dir) throw new UsageError(`jco is not installed: run \`npm install @bytecodealliance/jco@${JCO_VERSION}\``);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (version !== JCO_VERSION) {
    throw new UsageError(
      `jco ${version} is installed at ${dir}, but ${PACKAGE_NAME} needs exactly ${JCO_VERSION} ` +
        `(its glue and resource tables are what the shim was tested against): run \`npm install @bytecodealliance/jco@${JCO_VERSION}\``,
    );
  }
  return dir;
}

export function jco(args) {
  const bin = join(jcoDir(), 'dist/jco.js');
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/**
 * A WebAssembly file's bytes and layer (0 for a core module, 1 for a
 * component); refuses, in one sentence, a file that cannot be read or is
 * not WebAssembly.
 */
export function readWasm(path) {
  let bytes;
  try {
    if (!statSync(path).isFile()) throw new UsageError(`${path} is not a file`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  const magic = bytes.subarray(0, 4).toString('latin1');
  if (bytes.length < 8 || magic !== '\0asm') throw new UsageError(`${path} is not a WebAssembly file`);
  return { bytes, layer: bytes.readUInt16LE(6) };
}

/** Refuses, in one sentence, a file that is not a WebAssembly component. */
export function checkComponent(path) {
  const { bytes, layer } = readWasm(path);
  if (layer === 0) {
    throw new UsageError(`${path} is a core WebAssembly module, not a component: make one with \`wasi-webgpu-shim component ${basename(path)} -o ${outputName(path)}.component.wasm\``);
  }
  return bytes;
}

/** The component's imports by WIT name (`wasi:webgpu/webgpu@0.3.0-rc.2`, `print`). */
export function componentImports(path) {
  const wit = jco(['wit', path]);
  if (wit.status !== 0) {
    const reason = `${wit.stderr}`.split('\n').find((line) => line.trim() && !line.includes('Error: Failed')) ?? 'jco could not read it';
    throw new UsageError(`${path} is not a valid component: ${reason.trim()}`);
  }
  const world = wit.stdout.slice(wit.stdout.indexOf('world '));
  return [...world.matchAll(/^  import (\S+?)(?:;|:\s)/gm)].map((m) => m[1]);
}

/** Which package would provide an import nobody does, in a few words. */
export function providerOf(name) {
  if (ownWasi(name)) return `${PACKAGE_NAME}'s own WASI implements it: transpile without --wasi jco`;
  if (/^wasi:webgpu\//.test(name)) return `${PACKAGE_NAME} implements wasi:webgpu@0.3.0-rc.2 and @0.2.0-rc.2 only`;
  if (/^wasi-gfx:/.test(name)) return `${PACKAGE_NAME} implements wasi-gfx surface and frame-buffer @0.2.0 only`;
  const p3 = /^wasi:([a-z-]+)\/[a-z-]+@(0\.3\.[^@]+)$/.exec(name);
  if (p3 && ['cli', 'clocks', 'random', 'filesystem'].includes(p3[1])) {
    return `a WASI 0.3 release candidate ${PACKAGE_NAME} does not implement (it implements ${WASI_P3_VERSIONS.join(', ')}): rebuild the guest against wasip3 0.7 or later`;
  }
  if (p3) return `@bytecodealliance/preview3-shim has wasi:${p3[1]}; map it with --map '${name.replace(/\/[^@]+@/, '/*@')}=@bytecodealliance/preview3-shim/${p3[1]}#*'`;
  return `no known package provides it; map it to a module of your own with --map '${name}=./module.js#export'`;
}

/** The specifier of the package's WASI next to the shim's: `shim/wasi`, or `…/wasi/index.js` beside `…/dist/index.js`. */
export function wasiSpecifier(shim) {
  if (shim === PACKAGE_NAME) return `${PACKAGE_NAME}/wasi`;
  return /dist\/index\.js$/.test(shim) ? shim.replace(/dist\/index\.js$/, 'wasi/index.js') : `${PACKAGE_NAME}/wasi`;
}

/** A name jco accepts for the output files. */
export function outputName(path) {
  return basename(path).replace(/\.wasm$/, '').replace(/[^A-Za-z0-9_-]/g, '-') || 'component';
}

/**
 * Transpiles `component` into `outDir`.
 * @param {{name?: string, shim?: string, bindings?: 'js'|'hybrid', maps?: Record<string, string>, instantiation?: 'async', log?: (line: string) => void}} options
 *   `shim`: the specifier the output imports the package by (an URL where there is no import map);
 *   `maps`: more jco maps, import name to `specifier[#export]`, over ours for the same name;
 *   `instantiation`: jco's `--instantiation async` output (an `instantiate(getCoreModule, imports)` export);
 *   `wasi`: 'package' (the package's own WASI, npm/wasi/) or 'jco' (jco's preview2-shim and preview3-shim);
 *   `readable`: leave the glue unminified (by default it is minified, with `<name>.js.map` beside it)
 */
export function transpile(component, outDir, { name = outputName(component), shim = PACKAGE_NAME, bindings = 'hybrid', maps = {}, instantiation, wasi = 'package', readable = false, log = () => {} } = {}) {
  checkComponent(component);
  const imports = componentImports(component);
  const kinds = classifyImports(imports, { wasi });
  kinds.missing = kinds.missing.filter((name) => !(name in maps));
  if (kinds.provided.length === 0 && kinds.wasi.length === 0) {
    throw new UsageError(
      `${component} imports nothing ${PACKAGE_NAME} provides (it imports: ${imports.join(', ') || 'nothing'}); ` +
        `it needs ${PROVIDED.slice(0, 2).map(([n]) => n).join(' or ')}, wasi-gfx, or print`,
    );
  }
  // The user's own maps win over ours for the same import (a `print` of
  // their own, say); imports nobody provides can be mapped the same way.
  const ownMaps = Object.entries(maps);
  const wasiMaps = kinds.wasi.filter((wit) => !(wit in maps)).map((wit) => [wit, `${wasiSpecifier(shim)}#${ownWasi(wit).object}`]);
  const mapArgs = [...PROVIDED.filter(([wit]) => !(wit in maps)).map(([wit, target]) => [wit, target(shim)]), ...wasiMaps, ...ownMaps]
    .flatMap(([wit, target]) => ['--map', `${wit}=${target}`]);
  const args = ['transpile', component, '-o', outDir, '--name', name, ...mapArgs, '--base64-cutoff', '0', '--quiet'];
  rmSync(outDir, { recursive: true, force: true });
  // The raw bindings are the shim's: a component of WASI only has none to take.
  const made = jcoTranspile(component, outDir, name, args, { bindings: kinds.provided.length ? bindings : 'js', instantiation, readable, log });
  return { name, outDir, module: join(outDir, `${name}.js`), ...made, ...kinds };
}

/**
 * Runs jco 1.35.0's `transpile` with `args` (default import bindings), then,
 * for `bindings: 'hybrid'`, adds jco's hybrid `cabiLower` hooks to its main
 * file with the package's own step (hybrid.js): the output is byte for byte
 * what `--import-bindings hybrid` writes, for components that mode can take,
 * and for the ones it panics on (any import with a future or a stream) the
 * same with those imports left on jco's glue. The step also stops jco's
 * `_createdReps` Sets and its stream copy buffers from growing. Output the step does not recognise keeps
 * jco's default glue, with a warning through `log`. On either bindings, the
 * last steps name the import in each host throw (host-errors.js), fix jco's
 * clearing of a guest task's current-task entry when an async host import
 * settles (task-meta.js), resume a guest as soon as an async import
 * settles (resume.js) and start the core modules' fetch before the
 * packages load (prefetch.js); unless `readable`, the result is minified,
 * with a source map beside it (minify.js).
 * Used by `transpile` and by the repository's build, which passes its own maps.
 * @returns {{ bindings: 'js'|'hybrid', hooked: string[], skipped: {name: string, reason: string}[] }}
 */
export function jcoTranspile(component, outDir, name, args, { bindings = 'hybrid', instantiation, readable = false, log = () => {} } = {}) {
  const result = jco([...args, ...(instantiation ? ['--instantiation', instantiation] : [])]);
  if (result.status !== 0) {
    const reason = `${result.stderr}`.trim().split('\n').slice(0, 3).join(' ');
    throw new UsageError(`jco could not transpile ${component}: ${reason}`);
  }
  const main = join(outDir, `${name}.js`);
  const source = readFileSync(main, 'utf8');
  // A host import's throw is named in what the run reports (host-errors.js),
  // an async host import that settles no longer clears the guest task's
  // place in jco's runtime (task-meta.js), a guest resumes as soon as an
  // async import settles, not after clamped timers (resume.js), and the
  // core modules download while the packages load (prefetch.js). Last, the
  // glue a page loads is minified, its readable text in the map (minify.js).
  const finish = (glue, made) => {
    let steps = keepOthersCurrentTask(nameHostImportThrows(glue).source).source;
    try {
      steps = resumeUnclamped(steps).source;
    } catch (error) {
      if (!(error instanceof ResumeError)) throw error;
      log(`${error.message} Async imports resume after jco's timers.`);
    }
    const { source: prefetching, prefetch } = prefetchCoreModules(steps, name);
    if (prefetch !== null) writeFileSync(join(outDir, `${name}.prefetch.js`), prefetch);
    if (readable) {
      writeFileSync(main, prefetching);
    } else {
      const { code, map } = minifyGlue(prefetching, `${name}.js`);
      writeFileSync(main, code);
      writeFileSync(`${main}.map`, map);
    }
    return made;
  };
  if (bindings !== 'hybrid') return finish(source, { bindings: 'js', hooked: [], skipped: [] });
  try {
    const { source: patched, hooked, skipped } = addCabiLowerHooks(source, { fixCreatedReps: true, fixStreamBuffers: true });
    // The recorder holds pass commands back only where the glue tells it
    // of handle removals (recorder-hooks.js).
    let recording = patched;
    try {
      recording = addRecorderHooks(patched).source;
    } catch (error) {
      if (!(error instanceof RecorderHooksError)) throw error;
      log(error.message);
    }
    return finish(recording, { bindings: 'hybrid', hooked, skipped });
  } catch (error) {
    if (!(error instanceof HybridError)) throw error;
    log(`${error.message} The component runs on jco's default glue, without the raw bindings.`);
    return finish(source, { bindings: 'js', hooked: [], skipped: [] });
  }
}

/**
 * Transpiles into a cache directory keyed by the component's bytes and the
 * options, so a test run transpiles each component once. The cache is the
 * node_modules/.cache of the project at `from` (default: the working directory).
 */
export function transpileCached(component, options = {}, { from = process.cwd() } = {}) {
  const bytes = checkComponent(component);
  // The steps over jco's output are part of the key: a new package version re-transpiles.
  const step = Buffer.concat(['cli/hybrid.js', 'cli/host-errors.js', 'cli/task-meta.js', 'cli/resume.js', 'cli/prefetch.js', 'cli/minify.js', 'cli/recorder-hooks.js', 'generated/wasi.js'].map((file) => readFileSync(join(PACKAGE_DIR, file))));
  const key = createHash('sha256').update(bytes).update(step).update(JSON.stringify({ bindings: 'hybrid', ...options, log: undefined, JCO_VERSION })).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(from), key);
  const name = options.name ?? outputName(component);
  const stamp = join(dir, '.transpiled.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  const result = transpile(component, dir, { ...options, name });
  writeFileSync(stamp, JSON.stringify(result));
  return result;
}

function cacheRoot(from) {
  const dir = join(findProjectCache(from) ?? join(PACKAGE_DIR, '.cache'), 'wasi-webgpu-shim');
  mkdirSync(dir, { recursive: true });
  return dir;
}

// node_modules/.cache, as other tools use it, when there is a node_modules.
function findProjectCache(from) {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache');
    if (dirname(dir) === dir) return null;
  }
}

/** Parameter types of an export, from jco's .d.ts (to build typed arrays from JSON). */
export function exportParamTypes(transpiled, exportName) {
  if (!exportName) return [];
  const dts = join(transpiled.outDir, `${transpiled.name}.d.ts`);
  if (!existsSync(dts)) return [];
  const camel = exportName.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  const line = readFileSync(dts, 'utf8').match(new RegExp(`^export function ${camel}\\(([^)]*)\\)`, 'm'));
  if (!line || !line[1].trim()) return [];
  const params = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= line[1].length; i++) {
    const c = line[1][i] ?? ',';
    if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      params.push(line[1].slice(start, i));
      start = i + 1;
    }
  }
  return params.map((param) => param.slice(param.indexOf(':') + 1).trim());
}

