// The build's last step: npm/dist/, what the package ships to pages: one
// JS module (npm/dist/index.js, everything npm/index.js loads, bundled) and
// the shim's wasm beside it (npm/dist/pkg/). npm/pkg/ and the package's
// sources stay readable (and runnable: point an import map at
// /npm/index.js to debug).
//
// 1. Two modules. A page that imports the readable tree fetches 13 modules
//    in 5 rounds (index.js, then what it imports, then what those import),
//    each a full request latency. Bundled by rolldown (pinned, the bundler
//    Vite uses), the page fetches the small entry, index.js, which starts
//    the wasm's fetch and compile, and then shim.js (everything else) while
//    the wasm compiles.
// 2. Import names. wasm-bindgen names each of the ~700 imports of its JS
//    module `__wbg_<method>_<16 hex digits>`; the hashes do not compress,
//    and each name is written twice (the wasm's import section, the JS
//    object's key). They become one or two letters in both places, and the
//    module name `./wasi_webgpu_shim_bg.js` becomes `w`.
// 3. Custom sections (names, producers, target features): nothing at run
//    time reads them. `npm run size` reads the names from npm/pkg/.
// 4. The bundle is minified (rolldown's oxc minifier), with a source map
//    beside it that holds the readable text of every module.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { moduleGraph } from './module-graph.mjs';
import { exportNames, imports, rewrite } from './wasm-sections.mjs';

const SHORT_MODULE = 'w';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TAIL = `${LETTERS}0123456789_$`;

/**
 * The n-th short identifier: a letter, then (from n = 52 on) the digits of
 * the rest in bijective base 64, so every n gets its own name.
 */
function shortName(n) {
  let name = LETTERS[n % LETTERS.length];
  let rest = Math.floor(n / LETTERS.length);
  while (rest > 0) {
    rest -= 1;
    name += TAIL[rest % TAIL.length];
    rest = Math.floor(rest / TAIL.length);
  }
  return name;
}

/** Writes `packageDir`/dist/ from the module graph of `packageDir`/index.js. */
export async function buildDist(packageDir, { bindgenJs = 'pkg/wasi_webgpu_shim.js' } = {}) {
  const dist = join(packageDir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const files = moduleGraph(join(packageDir, 'index.js')).map((file) => relative(packageDir, file));
  const bindgenWasm = bindgenJs.replace(/\.js$/, '_bg.wasm');
  for (const required of [bindgenJs, bindgenWasm]) {
    if (!files.includes(required)) throw new Error(`shrink: ${required} is not loaded by ${packageDir}/index.js`);
  }
  const out = (file) => {
    mkdirSync(dirname(join(dist, file)), { recursive: true });
    return join(dist, file);
  };
  const { wasm, js } = shortenImports(
    readFileSync(join(packageDir, bindgenWasm)),
    readFileSync(join(packageDir, bindgenJs), 'utf8'),
    `./${basename(bindgenJs, '.js')}_bg.js`,
  );
  writeFileSync(out(bindgenWasm), wasm);
  // wasm-bindgen's default location of its wasm (when init is given none)
  // is relative to its own module; in the bundle it is relative to index.js.
  const defaultWasm = `new URL('${basename(bindgenWasm)}', import.meta.url)`;
  if (js.split(defaultWasm).length !== 2) throw new Error(`shrink: expected ${defaultWasm} once in wasm-bindgen's JS`);
  const bundledJs = js.replace(defaultWasm, `new URL('./${bindgenWasm}', import.meta.url)`);
  // Assets (files the modules fetch, like the wasm) keep their paths
  // relative to index.js, so `new URL(..., import.meta.url)` finds them.
  for (const file of files) {
    if (!file.endsWith('.js') && file !== bindgenWasm) copyFileSync(join(packageDir, file), out(file));
  }
  await bundleTo(join(packageDir, 'index.js'), dist, { [resolve(packageDir, bindgenJs)]: bundledJs });
}

/**
 * Bundles `entry` and every module it imports into `dir` (ES modules,
 * minified, each with its `.map` beside it): the entry as `index.js`, and
 * what it imports with `import()` as one more module each (index.js's
 * `import('./shim.js')` becomes dist/shim.js). The modules in `replaced`
 * are read from the texts given instead of from disk.
 */
async function bundleTo(entry, dir, replaced) {
  const bundle = await rolldown({
    input: { index: entry },
    plugins: [{ name: 'shrink-replaced', load: (id) => replaced[id] }],
    // The package's modules run for their effects (class methods installed
    // by generated/commands.js): nothing is dropped as unused.
    treeshake: { moduleSideEffects: true },
    logLevel: 'warn',
  });
  const { output } = await bundle.generate({
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    // Class names stay: they show in devtools and in messages that print a
    // constructor's name.
    minify: { compress: { target: 'es2022' }, mangle: { toplevel: true, keepNames: { function: false, class: true } } },
  });
  await bundle.close();
  const chunks = output.filter((part) => part.type === 'chunk');
  const names = chunks.map((chunk) => chunk.fileName).sort();
  if (names.join() !== 'index.js,shim.js') throw new Error(`shrink: rolldown wrote ${names.join(', ')}; expected index.js and shim.js`);
  // index.js re-exports shim.js's names by hand (a module cannot
  // `export *` from a dynamic import): the two lists must agree.
  const exportsOf = (file) => chunks.find((chunk) => chunk.fileName === file).exports;
  const expected = exportsOf('shim.js').filter((name) => name !== 'start').sort();
  const actual = [...exportsOf('index.js')].sort();
  if (expected.join() !== actual.join()) {
    const missing = expected.filter((name) => !actual.includes(name));
    const extra = actual.filter((name) => !expected.includes(name));
    throw new Error(`shrink: npm/index.js must export what npm/shim.js does (but start): missing ${missing.join(', ') || 'none'}; not in shim.js ${extra.join(', ') || 'none'}`);
  }
  for (const chunk of chunks) {
    const file = join(dir, chunk.fileName);
    writeFileSync(`${file}.map`, JSON.stringify({ ...chunk.map, file: chunk.fileName }));
    writeFileSync(file, `${chunk.code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '')}\n//# sourceMappingURL=${chunk.fileName}.map\n`);
  }
}

/**
 * wasm-bindgen's wasm and JS with the imports of `jsModule` (its own JS
 * module, the only one whose names are ours to choose; snippets are
 * imported by their real export names) renamed in both, and the wasm's
 * custom sections dropped.
 */
function shortenImports(wasmBytes, jsText, jsModule) {
  const renames = new Map();
  for (const entry of imports(wasmBytes)) {
    if (entry.module === jsModule && !renames.has(entry.name)) renames.set(entry.name, shortName(renames.size));
  }
  const exported = new Set(exportNames(wasmBytes));
  const clash = [...renames.keys()].find((name) => exported.has(name));
  if (clash) throw new Error(`shrink: ${clash} is both an import and an export of the shim's wasm`);

  const found = new Set();
  let js = jsText.replace(/\b__wb\w+\b/g, (token) => {
    const short = renames.get(token);
    if (short === undefined) return token;
    found.add(token);
    return short;
  });
  const missing = [...renames.keys()].filter((name) => !found.has(name));
  if (missing.length) throw new Error(`shrink: ${missing.length} imports not found in wasm-bindgen's JS, e.g. ${missing[0]}`);
  const moduleKey = JSON.stringify(jsModule);
  if (js.split(moduleKey).length !== 2) throw new Error(`shrink: expected ${moduleKey} once in wasm-bindgen's JS`);
  js = js.replace(moduleKey, JSON.stringify(SHORT_MODULE));
  const wasm = rewrite(wasmBytes, {
    rename: (module, name) => (module === jsModule ? renames.get(name) : name),
    renameModule: (module) => (module === jsModule ? SHORT_MODULE : module),
    dropCustom: () => true,
  });
  return { wasm, js };
}
