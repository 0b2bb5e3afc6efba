// Builds everything the demo and the tests load:
//   npm/pkg/                 the shim (cargo release build, wasm-bindgen --target web, wasm-opt -Oz), readable
//   npm/dist/                what the package ships: npm/index.js and all it loads, made smaller
//   web-tests/build/<name>/  each example guest: cargo build, `jco new`, `jco transpile`
//   web-tests/build/hybrid/<name>/  the same with the package's hybrid bindings
// Cargo is incremental, so a second run costs a few seconds per jco step.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = join(root, 'target/wasm32-unknown-unknown/release');
const jco = join(root, 'node_modules/.bin/jco');
const quiet = process.argv.includes('--quiet');

function run(cmd, args, opts = {}) {
  if (!quiet) console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', ...opts });
}

const started = Date.now();

// 1. The shim.
run('cargo', ['build', '--quiet', '-p', 'wasi-webgpu-shim', '--target', 'wasm32-unknown-unknown', '--release']);
run('wasm-bindgen', [
  '--target', 'web', '--out-dir', 'npm/pkg', '--out-name', 'wasi_webgpu_shim',
  join(release, 'wasi_webgpu_shim.wasm'),
]);

// wasm-opt from npm's binaryen (pinned): about 60% smaller. The feature
// flags are what rustc emits for wasm32-unknown-unknown by default. `-g`
// keeps the function names for `npm run size` and stack traces; npm/dist/
// ships without them.
const shimWasm = join(root, 'npm/pkg/wasi_webgpu_shim_bg.wasm');
run(join(root, 'node_modules/.bin/wasm-opt'), [
  '-Oz', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  shimWasm, '-o', shimWasm,
]);
// npm/dist/: what ships, smaller (short import names, no custom sections,
// minified JS with source maps; scripts/lib/shrink.mjs).
const { buildDist } = await import('./lib/shrink.mjs');
await buildDist(join(root, 'npm'));

// 2. The interface under its other published name, for the guest that
//    imports it: the same text with the package version renamed.
const vendored = readFileSync(join(root, 'wit/deps/wasi-webgpu-0.3.0-rc.2/package.wit'), 'utf8');
const derivedDir = join(root, 'target/wit-derived/wasi-webgpu-0.2.0-rc.2');
mkdirSync(derivedDir, { recursive: true });
writeFileSync(
  join(derivedDir, 'package.wit'),
  vendored.replace('package wasi:webgpu@0.3.0-rc.2;', 'package wasi:webgpu@0.2.0-rc.2;'),
);

// 3. The example guests: [output name, crate, cargo features, jco --map
//    arguments, which bindings ('both' by default)]. Guests in the native runtime's style also import `print`,
//    which the page that runs them provides (web-tests/pages/print.js).
const WEBGPU = 'wasi:webgpu/webgpu@0.3.0-rc.2=wasi-webgpu-shim';
const GFX = ['wasi-gfx:surface/*@0.2.0=wasi-webgpu-shim#*', 'wasi-gfx:frame-buffer/*@0.2.0=wasi-webgpu-shim#*'];
const PRINT = 'print=/web-tests/pages/print.js#print';
const guests = [
  ['compute-matmul', 'compute-matmul', [], [WEBGPU]],
  ['compute-matmul-0.2', 'compute-matmul', ['--features', 'webgpu-0-2'], ['wasi:webgpu/*@0.2.0-rc.2=wasi-webgpu-shim#*']],
  ['render-offscreen', 'render-offscreen', [], [WEBGPU]],
  ['robustness', 'robustness', [], [WEBGPU]],
  // The same component once more, as a second module with its own handle
  // tables: the isolation test runs the two side by side.
  ['robustness-b', 'robustness', [], [WEBGPU]],
  // gpu-device.lost and on-uncaptured-error: a future and a stream, which
  // stay on jco's glue while the rest of the guest runs raw.
  ['events', 'events', [], [WEBGPU]],
  ['surface-scene', 'surface-scene', [], [WEBGPU, ...GFX, PRINT]],
  ['frame-buffer-pixels', 'frame-buffer-pixels', [], [WEBGPU, ...GFX, PRINT]],
  // Descriptors native wgpu accepts and WebGPU rejects (docs/native-guests.md).
  ['native-style', 'native-style', [], [WEBGPU, ...GFX, PRINT]],
  // For a worker, where import maps do not apply: the package by URL.
  ['frame-buffer-pixels-worker', 'frame-buffer-pixels', [], [WEBGPU, ...GFX, PRINT].map((m) => m.replace('=wasi-webgpu-shim', '=/npm/dist/index.js'))],
  ['surface-scene-worker', 'surface-scene', [], [WEBGPU, ...GFX, PRINT].map((m) => m.replace('=wasi-webgpu-shim', '=/npm/dist/index.js'))],
  // `npm run bench`: jco's default glue, and the hybrid bindings, which
  // call a host function's `cabiLower` form where it has one.
  // wgpu programs on the wasi-webgpu-wgpu backend (crates/guest-libs).
  // Their components import wasi-gfx too: wgpu's surface calls are always linked.
  ['wgpu-compute', 'wgpu-compute', [], [WEBGPU, ...GFX]],
  ['wgpu-triangle', 'wgpu-triangle', [], [WEBGPU, ...GFX, PRINT]],
  ['wgpu-scene', 'wgpu-scene', [], [WEBGPU, ...GFX]],
  // An egui app through egui-wgpu: its core module carries wasm-bindgen's
  // exports and imports, which the package's component command removes.
  ['wgpu-egui', 'wgpu-egui', [], [WEBGPU, ...GFX, PRINT]],
  ['bench', 'bench', [], [WEBGPU], 'js'],
  ['bench-hybrid', 'bench', [], [WEBGPU], 'hybrid'],
];
const out = join(root, 'web-tests/build');
mkdirSync(out, { recursive: true });
const { jcoTranspile, makeComponent } = await import('../npm/node.js');
for (const [name, crate, features, maps, bindings = 'both'] of guests) {
  run('cargo', ['build', '--quiet', '-p', crate, '--target', 'wasm32-unknown-unknown', '--release', ...features]);
  const core = join(out, `${name}.core.wasm`);
  copyFileSync(join(release, `${crate.replaceAll('-', '_')}.wasm`), core);
  const component = join(out, `${name}.component.wasm`);
  // What `npx wasi-webgpu-shim component` runs: `jco new`, after taking
  // out wasm-bindgen's exports and imports where a module has them.
  if (!quiet) console.log(`$ wasi-webgpu-shim component ${name}.core.wasm -o ${name}.component.wasm`);
  await makeComponent(core, component, { log: (line) => !quiet && console.log(`build: ${name}: ${line}`) });
  const mapArgs = maps.flatMap((map) => ['--map', map]);
  // No core module inlined as base64: jco decodes those with Node's Buffer.
  // The default glue in web-tests/build/<name>/, and the package's hybrid
  // bindings (what `wasi-webgpu-shim transpile` makes) in
  // web-tests/build/hybrid/<name>/, for the test projects of each path.
  const outputs = {
    js: [[join(out, name), 'js']],
    hybrid: [[join(out, name), 'hybrid']],
    both: [[join(out, name), 'js'], [join(out, 'hybrid', name), 'hybrid']],
  }[bindings];
  for (const [dir, mode] of outputs) {
    rmSync(dir, { recursive: true, force: true });
    const args = ['transpile', component, '-o', dir, '--name', name, ...mapArgs, '--base64-cutoff', '0', '--quiet'];
    if (!quiet) console.log(`$ jco ${args.join(' ')}${mode === 'hybrid' ? ' (then the package\'s hybrid step)' : ''}`);
    const made = jcoTranspile(component, dir, name, args, { bindings: mode, log: (line) => console.log(`build: ${name}: ${line}`) });
    if (mode === 'hybrid' && made.bindings !== 'hybrid') throw new Error(`build: ${name} got no hybrid bindings`);
  }
}
// 4. The guest the package tests use, transpiled by the package's own
//    transpile (what `npx wasi-webgpu-shim transpile` runs), and a Vite app
//    that bundles it with the package for production.
{
  const { transpile } = await import('../npm/node.js');
  run('cargo', ['build', '--quiet', '-p', 'hello-collatz', '--target', 'wasm32-unknown-unknown', '--release']);
  const core = join(out, 'hello-collatz.core.wasm');
  copyFileSync(join(release, 'hello_collatz.wasm'), core);
  const component = join(out, 'hello-collatz.component.wasm');
  run(jco, ['new', core, '-o', component]);
  if (!quiet) console.log('$ wasi-webgpu-shim transpile hello-collatz.component.wasm');
  transpile(component, join(out, 'hello-collatz'), { name: 'hello-collatz' });
  // The same in jco's instantiation mode, for an embedder that passes the
  // package to each instance (web-tests/instantiation.spec.ts).
  transpile(component, join(out, 'hello-collatz-instantiate'), { name: 'hello-collatz-instantiate', instantiation: 'async' });
  run(join(root, 'node_modules/.bin/vite'), ['build', 'web-tests/vite-app', '--logLevel', 'warn']);

  // Two drawing guests in instantiation mode, each on its own canvas
  // (web-tests/instantiation.spec.ts).
  for (const guest of ['surface-scene', 'frame-buffer-pixels']) {
    transpile(join(out, `${guest}.component.wasm`), join(out, `${guest}-instantiate`), { name: `${guest}-instantiate`, instantiation: 'async' });
  }

  // The WASI guests: a wasm32-wasip2 one (Rust std's WASI 0.2 and
  // wasi:webgpu) and a WASI 0.3 one, run by the CLI in the tests
  // (web-tests/node/cli-wasi.test.mjs); the first also transpiled for a
  // worker, which imports the package (and its WASI) by URL.
  run('cargo', ['build', '--quiet', '-p', 'wasi-stdio', '--target', 'wasm32-wasip2', '--release']);
  const stdioComponent = join(out, 'wasi-stdio.component.wasm');
  copyFileSync(join(root, 'target/wasm32-wasip2/release/wasi_stdio.wasm'), stdioComponent);
  transpile(stdioComponent, join(out, 'wasi-stdio-worker'), { name: 'wasi-stdio-worker', shim: '/npm/dist/index.js' });
  transpile(stdioComponent, join(out, 'wasi-stdio-instantiate'), { name: 'wasi-stdio-instantiate', instantiation: 'async' });
  // A wgpu program built for wasm32-wasip2 (Rust std's WASI beside the
  // wasi-webgpu-wgpu backend): rustc writes a component directly.
  run('cargo', ['build', '--quiet', '-p', 'wgpu-compute', '--target', 'wasm32-wasip2', '--release']);
  copyFileSync(join(root, 'target/wasm32-wasip2/release/wgpu_compute.wasm'), join(out, 'wgpu-compute-wasip2.component.wasm'));
  run('cargo', ['build', '--quiet', '-p', 'wasi-p3', '--target', 'wasm32-unknown-unknown', '--release']);
  const p3Core = join(out, 'wasi-p3.core.wasm');
  copyFileSync(join(release, 'wasi_p3.wasm'), p3Core);
  run(jco, ['new', p3Core, '-o', join(out, 'wasi-p3.component.wasm')]);

  // The bench's frame-loop guest, on the package's default path and on
  // jco's default glue; its `now` import comes from the bench page.
  run('cargo', ['build', '--quiet', '-p', 'frame-loop', '--target', 'wasm32-unknown-unknown', '--release']);
  const frameCore = join(out, 'frame-loop.core.wasm');
  copyFileSync(join(release, 'frame_loop.wasm'), frameCore);
  const frameComponent = join(out, 'frame-loop.component.wasm');
  run(jco, ['new', frameCore, '-o', frameComponent]);
  const maps = { now: '/web-tests/bench/frame-loop.js#now' };
  for (const [name, bindings] of [['frame-loop', 'hybrid'], ['frame-loop-js', 'js']]) {
    const made = transpile(frameComponent, join(out, name), { name, bindings, maps });
    if (!quiet) console.log(`$ wasi-webgpu-shim transpile frame-loop.component.wasm: ${made.bindings} bindings`);
  }

  // The same frame in wgpu, as the package's transpile writes it by
  // default (the bench's wgpu-frame; its web build comes below).
  run('cargo', ['build', '--quiet', '-p', 'wgpu-frame', '--target', 'wasm32-unknown-unknown', '--release']);
  const wgpuFrameCore = join(out, 'wgpu-frame.core.wasm');
  copyFileSync(join(release, 'wgpu_frame.wasm'), wgpuFrameCore);
  const wgpuFrameComponent = join(out, 'wgpu-frame.component.wasm');
  run(jco, ['new', wgpuFrameCore, '-o', wgpuFrameComponent]);
  transpile(wgpuFrameComponent, join(out, 'wgpu-frame'), { name: 'wgpu-frame', maps });
}
// The same wgpu programs on wgpu's own WebGPU backend (wasm-bindgen): the
// oracle the tests compare the components with (web-tests/wgpu.spec.ts).
for (const crate of ['wgpu-compute', 'wgpu-triangle', 'wgpu-scene', 'wgpu-frame']) {
  run('cargo', ['build', '--quiet', '-p', crate, '--no-default-features', '--features', 'web', '--target', 'wasm32-unknown-unknown', '--release']);
  const name = crate.replaceAll('-', '_');
  run('wasm-bindgen', ['--target', 'web', '--out-dir', join(out, 'web', crate), '--out-name', name, join(release, `${name}.wasm`)]);
}
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
