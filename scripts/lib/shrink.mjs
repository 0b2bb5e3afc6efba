// The build's last step: npm/dist/, what the package ships to pages. It
// holds every file npm/index.js loads (scripts/lib/module-graph.mjs), at the
// same relative paths, made smaller; npm/pkg/ and the package's sources stay
// readable (and runnable: point an import map at /npm/index.js to debug).
//
// 1. Import names. wasm-bindgen names each of the ~700 imports of its JS
//    module `__wbg_<method>_<16 hex digits>`; the hashes do not compress,
//    and each name is written twice (the wasm's import section, the JS
//    object's key). They become one or two letters in both places, and the
//    module name `./wasi_webgpu_shim_bg.js` becomes `w`.
// 2. Custom sections (names, producers, target features): nothing at run
//    time reads them. `npm run size` reads the names from npm/pkg/.
// 3. Every JS file is minified by oxc-minify (pinned, the one jco uses),
//    with a source map beside it that holds the readable text.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { minify } from 'oxc-minify';
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
  await minifyTo(out(bindgenJs), js);
  for (const file of files) {
    if (file === bindgenJs || file === bindgenWasm) continue;
    if (file.endsWith('.js')) await minifyTo(out(file), readFileSync(join(packageDir, file), 'utf8'));
    else copyFileSync(join(packageDir, file), out(file));
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

/** Minifies `text` into `file`, with `file.map` beside it. */
async function minifyTo(file, text) {
  const name = basename(file);
  const result = await minify(name, text, {
    module: true,
    compress: { target: 'es2022' },
    // Class names stay: they show in devtools and in messages that print a
    // constructor's name.
    mangle: { toplevel: true, keepNames: { function: false, class: true } },
    sourcemap: true,
  });
  if (result.errors?.length) throw new Error(`shrink: oxc-minify failed on ${file}: ${result.errors[0].message}`);
  const map = { ...result.map, file: name, sources: [name], sourcesContent: [text] };
  writeFileSync(`${file}.map`, JSON.stringify(map));
  writeFileSync(file, `${result.code}\n//# sourceMappingURL=${name}.map\n`);
}
