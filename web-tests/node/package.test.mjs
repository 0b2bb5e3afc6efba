// Issue 8: the package as users get it. `npm pack` the package, install the
// tarball into an empty project (with @playwright/test and deno, as a user
// would), and use it there: the CLI transpiles and runs a component in
// Chromium, Firefox and Deno, refuses bad input in one sentence, and the
// Playwright kit runs a user-style spec. Run by scripts/test.mjs after the
// build (web-tests/build/hello-collatz.component.wasm).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collatzRunOutput, servedUrl } from '../support/printed.mjs';
import { imports, sections } from '../../scripts/lib/wasm-sections.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const devVersion = (name) => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies[name];
let project;

function cli(args, env = {}) {
  const r = spawnSync(join(project, 'node_modules/.bin/wasi-webgpu-shim'), args, {
    cwd: project, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bad input gets one sentence on stderr, exit status 2, and no stack trace. */
function assertRefused(r, pattern) {
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
}

before(() => {
  project = mkdtempSync(join(tmpdir(), 'wasi-webgpu-shim-user-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', join(root, 'npm'), '--pack-destination', project, '--json', '--silent'], { cwd: root, encoding: 'utf8' }));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  execFileSync('npm', [
    'install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
    join(project, packed[0].filename), `@playwright/test@${devVersion('@playwright/test')}`, `deno@${devVersion('deno')}`,
    `typescript@${devVersion('typescript')}`,
  ], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(join(root, 'web-tests/build/hello-collatz.component.wasm'), join(project, 'hello.wasm'));
  copyFileSync(join(root, 'web-tests/build/wasi-stdio.component.wasm'), join(project, 'stdio.wasm'));
  copyFileSync(join(root, 'web-tests/build/hello-collatz.core.wasm'), join(project, 'core.wasm'));
});

after(() => rmSync(project, { recursive: true, force: true }));

test('the packed package carries its built wasm, types, CLI and kit, and nothing from the repository', () => {
  const installed = join(project, 'node_modules/wasi-webgpu-shim');
  for (const file of ['dist/index.js', 'dist/index.js.map', 'index.d.ts', 'dist/pkg/wasi_webgpu_shim_bg.wasm', 'cli/main.js', 'playwright.js', 'runner/run.js', 'wasi/index.js', 'wasi/index.d.ts', 'generated/wasi.js', 'README.md']) {
    assert.ok(existsSync(join(installed, file)), file);
  }
  // The readable build stays in the repository: what ships is dist/.
  for (const file of ['index.js', 'pkg/wasi_webgpu_shim.js', 'pkg/wasi_webgpu_shim_bg.wasm', 'pkg/wasi_webgpu_shim_bg.wasm.d.ts']) {
    assert.ok(!existsSync(join(installed, file)), file);
  }
  // Release build, optimized, with the shrink step's short import names and
  // no custom sections (names): far below a debug build's size.
  const wasm = readFileSync(join(installed, 'dist/pkg/wasi_webgpu_shim_bg.wasm'));
  assert.ok(wasm.length < 300_000, `${wasm.length} bytes`);
  const wbgImports = imports(wasm).filter((entry) => entry.module === 'w');
  assert.ok(wbgImports.length > 300, `${wbgImports.length} imports of wasm-bindgen's JS (about 430)`);
  assert.deepEqual(wbgImports.filter((entry) => entry.name.length > 2), [], 'import names shortened');
  assert.deepEqual(sections(wasm).filter((section) => section.id === 0).map((section) => section.name), [], 'no custom sections');
  // One bundle, minified, with a source map that holds the readable text of
  // every module in it.
  const js = readFileSync(join(installed, 'dist/shim.js'), 'utf8');
  assert.match(js, /\/\/# sourceMappingURL=shim\.js\.map\n$/);
  const map = JSON.parse(readFileSync(join(installed, 'dist/shim.js.map'), 'utf8'));
  const bindgen = map.sources.findIndex((source) => source.endsWith('pkg/wasi_webgpu_shim.js'));
  assert.ok(bindgen >= 0, map.sources.join(', '));
  assert.match(map.sourcesContent[bindgen], /export class GpuDevice \{/);
  assert.ok(map.sources.some((source) => source.endsWith('generated/raw-bindings.js')), map.sources.join(', '));
  const readable = map.sourcesContent.reduce((sum, text) => sum + text.length, 0);
  assert.ok(js.length < readable / 2, `${js.length} of ${readable}`);
});

test('transpile writes the JS minified with a source map, says what it provides, and the output imports the package; --readable leaves it as the steps wrote it', () => {
  const r = cli(['transpile', 'hello.wasm', '-o', 'out']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /provided by wasi-webgpu-shim: wasi:webgpu\/webgpu@0\.3\.0-rc\.2, print/);
  const js = readFileSync(join(project, 'out/hello.js'), 'utf8');
  assert.match(js, /from\s*"wasi-webgpu-shim"/);
  assert.match(js, /from\s*"wasi-webgpu-shim\/print"/);
  assert.match(js, /\n\/\/# sourceMappingURL=hello\.js\.map\n$/);
  // Bundlers still find every core module (as a quoted string, not oxc's template literal).
  for (const core of ['hello.core.wasm', 'hello.core2.wasm', 'hello.core3.wasm']) {
    assert.ok(js.includes(`new URL("./${core}",import.meta.url)`), core);
  }
  const map = JSON.parse(readFileSync(join(project, 'out/hello.js.map'), 'utf8'));
  assert.deepEqual([map.file, map.sources], ['hello.js', ['hello.js']]);
  const r2 = cli(['transpile', 'hello.wasm', '-o', 'readable', '--readable']);
  assert.equal(r2.status, 0, r2.stderr);
  const readable = readFileSync(join(project, 'readable/hello.js'), 'utf8');
  assert.ok(!existsSync(join(project, 'readable/hello.js.map')));
  assert.match(readable, /from 'wasi-webgpu-shim'/);
  // The map holds exactly what --readable writes; minified, it is under half of it.
  assert.equal(map.sourcesContent[0], readable);
  assert.ok(js.length < readable.length / 2, `${js.length} of ${readable.length}`);
});

test('transpile --instantiation async: the output imports nothing and takes the package per instance', () => {
  const r = cli(['transpile', 'hello.wasm', '-o', 'inst', '--instantiation', 'async', '--readable']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /hybrid bindings: \d+ imports can take a raw binding/);
  const js = readFileSync(join(project, 'inst/hello.js'), 'utf8');
  assert.doesNotMatch(js, /from 'wasi-webgpu-shim'/);
  assert.match(js, /export function instantiate\(getCoreModule, imports, instantiateCore/);
  assert.match(js, /imports\['wasi-webgpu-shim'\]/);
  assert.match(js, /imports\['wasi-webgpu-shim\/print'\]/);
  assertRefused(cli(['transpile', 'hello.wasm', '-o', 'inst', '--instantiation', 'sync']), /--instantiation is async \(jco's instantiation mode\), not 'sync'/);
});

for (const where of ['chromium', 'firefox', 'deno']) {
  test(`run in ${where}: wasi:cli/run prints the GPU's Collatz steps and exits 0`, () => {
    const r = cli(['run', 'hello.wasm', '--browser', where]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, collatzRunOutput);
  });

  test(`run in ${where}: --call with --args returns the result as JSON; an error result exits 1`, () => {
    const ok = cli(['run', 'hello.wasm', '--host', where, '--call', 'collatz', '--args', '[[27, 97, 1]]', '-q']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, '[111,118,0]\n');
    const err = cli(['run', 'hello.wasm', '--host', where, '--call', 'collatz', '--args', '[[5, 0]]', '-q']);
    assert.equal(err.status, 1);
    assert.equal(err.stderr, 'error: the export returned an error: 0 has no Collatz sequence\n');
  });

  test(`run in ${where}: uncaptured GPU errors are reported`, () => {
    const r = cli(['run', 'hello.wasm', '--browser', where, '--call', 'misuse', '-q']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^uncaptured GPU error \(GPUValidationError\): .*map/im);
  });
}

// This machine has no GPU: asked for one, each browser gives a software
// adapter (or none), which `run --hardware` names in one sentence.
for (const where of ['chromium', 'firefox']) {
  test(`run --hardware in ${where} without a GPU: the adapter line, one sentence, exit 3; --allow-fallback runs on what there is`, () => {
    const r = cli(['run', 'hello.wasm', '--browser', where, '--hardware']);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^adapter: .*isFallbackAdapter (true|false)|^adapter: no adapter/m);
    const errors = r.stderr.split('\n').filter((line) => line.startsWith('error: '));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], new RegExp(`^error: the GPU was asked for, but ${where} (found only a software adapter \\(.+\\): it sees no GPU it can use|gave no WebGPU adapter at all \\(.+\\)).*; pass --allow-fallback to run on it anyway$`));
    const fallback = cli(['run', 'hello.wasm', '--browser', where, '--hardware', '--allow-fallback']);
    if (/^adapter: no adapter/m.test(r.stderr)) {
      assert.equal(fallback.status, 1, fallback.stderr);
    } else {
      assert.equal(fallback.status, 0, fallback.stderr);
      assert.equal(fallback.stdout, collatzRunOutput);
    }
    assertRefused(cli(['run', 'hello.wasm', '--browser', where, '--allow-fallback']), /--allow-fallback goes with --hardware/);
  });
}

test('bad input: each gets one sentence and exit status 2', async () => {
  writeFileSync(join(project, 'notes.wasm'), 'not wasm at all');
  writeFileSync(join(project, 'empty.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
  assertRefused(cli(['run', 'notes.wasm']), /notes\.wasm is not a WebAssembly file/);
  assertRefused(cli(['transpile', 'core.wasm', '-o', 'x']), /core\.wasm is a core WebAssembly module, not a component: make one with `wasi-webgpu-shim component core\.wasm -o core\.component\.wasm`/);
  assertRefused(cli(['component', 'hello.wasm', '-o', 'x.wasm']), /hello\.wasm is already a component/);
  assertRefused(cli(['component', 'core.wasm']), /component needs the file to write: -o <component\.wasm>/);
  assertRefused(cli(['component', 'notes.wasm', '-o', 'x.wasm']), /notes\.wasm is not a WebAssembly file/);
  assertRefused(cli(['run', 'empty.wasm']), /empty\.wasm imports nothing wasi-webgpu-shim provides/);
  assertRefused(cli(['run', 'missing.wasm']), /cannot read missing\.wasm: no such file/);
  assertRefused(cli(['run', 'hello.wasm'], { CHROMIUM_PATH: '/nonexistent/chromium' }), /\/nonexistent\/chromium \(from CHROMIUM_PATH\) does not exist/);
  assertRefused(cli(['run', 'hello.wasm', '--browser', 'deno'], { DENO_PATH: '/nonexistent/deno' }), /deno/i);
  assertRefused(cli(['run', 'hello.wasm', '--browser', 'safari']), /--browser is chromium, firefox or deno/);
  assertRefused(cli(["run", "hello.wasm", "--call", "nope", "-q"]), /no export `nope`; it exports: collatz, misuse, run \(an interface\), start/);
  assertRefused(cli(['frobnicate']), /unknown command 'frobnicate'/);
  const busy = createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  try {
    assertRefused(cli(['serve', 'hello.wasm', '--port', String(busy.address().port)]), /port \d+ is in use/);
  } finally {
    busy.close();
  }
});

// Issue 28: an egui program's core module (wasm32-unknown-unknown) carries
// wasm-bindgen's exports and imports; the package's one command makes a
// component of it, and refuses, naming it, a JS call its exports reach.
test('component: an egui program\'s core module becomes a component that imports only what the package provides', async () => {
  copyFileSync(join(root, 'web-tests/build/wgpu-egui.core.wasm'), join(project, 'egui.core.wasm'));
  const core = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(join(project, 'egui.core.wasm'))));
  assert.ok(core.some((i) => i.module === '__wbindgen_placeholder__'), 'the core module imports from wasm-bindgen\'s JS');
  const r = cli(['component', 'egui.core.wasm', '-o', 'egui.component.wasm']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /removed wasm-bindgen's (\d{4}) export\(s\) and \d+ import\(s\), which only its JS uses; .*__wbindgen_throw \(trap\)/);
  assert.match(r.stderr, /made egui\.component\.wasm from egui\.core\.wasm/);
  const { componentImports } = await import('../../npm/node.js');
  assert.deepEqual(componentImports(join(project, 'egui.component.wasm')).sort(), [
    'print', 'wasi-gfx:surface/surface-webgpu@0.2.0', 'wasi-gfx:surface/surface@0.2.0', 'wasi:webgpu/webgpu@0.3.0-rc.2',
  ]);
});

test('component: a JS call the exports still reach is refused in one sentence naming it', async () => {
  const { default: binaryen } = await import('binaryen');
  const module = binaryen.parseText(`(module
    (import "__wbindgen_placeholder__" "__wbg_now_0123456789abcdef" (func $now (result f64)))
    (import "__wbindgen_placeholder__" "__wbindgen_describe" (func $describe (param i32)))
    (memory (export "memory") 1)
    (func (export "clock") (result f64) (call $now))
    (func (export "__wbindgen_describe___wbg_now_0123456789abcdef") (call $describe (i32.const 9))))`);
  writeFileSync(join(project, 'clock.wasm'), module.emitBinary());
  module.dispose();
  assertRefused(cli(['component', 'clock.wasm', '-o', 'clock.component.wasm']),
    /clock\.wasm still calls JavaScript through wasm-bindgen on a path its exports reach: `now` \(import __wbindgen_placeholder__::__wbg_now_0123456789abcdef\)/);
  assert.equal(existsSync(join(project, 'clock.component.wasm')), false);
});

test('the TypeScript declarations type-check a user\'s code against every entry point', () => {
  writeFileSync(join(project, 'check.ts'), `
import { getGpu, GpuDevice, webgpu, surface, setSurfaceOptions, withSurfaceOptions, shimMemoryBytes } from 'wasi-webgpu-shim';
import { print } from 'wasi-webgpu-shim/print';
import { createWasi, setWasiOptions, WasiExit } from 'wasi-webgpu-shim/wasi';
import { test, webgpuProjects } from 'wasi-webgpu-shim/playwright';
import { transpile, type RunReport } from 'wasi-webgpu-shim/node';
const format: string = getGpu().getPreferredCanvasFormat();
const device: typeof GpuDevice = webgpu.GpuDevice;
const surfaceClass = surface.Surface;
setSurfaceOptions({ container: undefined });
const bytes: number = shimMemoryBytes();
print('line');
const projects = webgpuProjects({ browsers: ['chromium'] });
const perInstance: Record<string, unknown> = withSurfaceOptions({ container: undefined });
const wasi = createWasi({ stdout: (line: string) => print(line), args: ['app'], env: { A: '1' } });
setWasiOptions({ stdin: 'input' });
const exitCode: number = new WasiExit().code;
test('t', async ({ runComponent }) => { const run: RunReport = await runComponent('a.wasm', { call: 'start', instantiation: 'async', wasi: { args: ['a'] } }); const code: number | undefined = run.exitCode; });
// @ts-expect-error a name is a string, so the declarations are not \`any\`
const wrong: number = transpile('a.wasm', 'out').name;
export { format, device, surfaceClass, bytes, projects, wrong, perInstance, wasi, exitCode };
`);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['esnext', 'dom'], noEmit: true, skipLibCheck: true, types: [] },
    files: ['check.ts'],
  }));
  const r = spawnSync(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('serve answers with the runner page and the transpiled component', async () => {
  const child = spawn(join(project, 'node_modules/.bin/wasi-webgpu-shim'), ['serve', 'hello.wasm', '--port', '0', '-q'], { cwd: project });
  try {
    const url = await servedUrl(child);
    const page = await (await fetch(url)).text();
    assert.match(page, /<script type="importmap">/);
    assert.match(page, /"\/app\/hello\.js"/);
    const app = await fetch(new URL('/app/hello.js', url));
    assert.equal(app.status, 200);
    assert.match(await app.text(), /from\s*"wasi-webgpu-shim"/);
    // The minified glue's source map is served beside it, for the page's devtools.
    const map = await fetch(new URL('/app/hello.js.map', url));
    assert.equal(map.status, 200);
    assert.match((await map.json()).sourcesContent[0], /from 'wasi-webgpu-shim'/);
    assert.equal((await fetch(new URL('/shim/dist/pkg/wasi_webgpu_shim_bg.wasm', url))).headers.get('content-type'), 'application/wasm');
    // Encoded slashes survive URL parsing; the server must still stay inside its mounts.
    const escaped = await new Promise((resolve, reject) => {
      const { hostname, port } = new URL(url);
      get({ hostname, port, path: '/shim/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd' }, (res) => resolve(res.statusCode)).on('error', reject);
    });
    assert.equal(escaped, 404);
  } finally {
    child.kill('SIGINT');
  }
});

test('the Playwright kit runs a user-style spec in both browsers', () => {
  writeFileSync(join(project, 'playwright.config.mjs'), `
import { defineConfig } from '@playwright/test';
import { webgpuProjects } from 'wasi-webgpu-shim/playwright';
export default defineConfig({ testDir: 'tests', reporter: 'json', projects: webgpuProjects({ browsers: ['chromium', 'firefox'] }) });
`);
  execFileSync('mkdir', ['-p', join(project, 'tests')]);
  writeFileSync(join(project, 'tests/gpu.spec.mjs'), `
import { test, expect } from 'wasi-webgpu-shim/playwright';

test('collatz on the GPU', async ({ runComponent }) => {
  const run = await runComponent('hello.wasm', { call: 'collatz', args: [[6, 7]] });
  expect(run.ok).toBe(true);
  expect(run.result).toEqual([8, 16]);
  expect(run.gpuErrors).toEqual([]);
});

test('what the guest prints', async ({ runComponent }) => {
  const run = await runComponent('hello.wasm');
  expect(run.export).toBe('wasi:cli/run');
  expect(run.output).toEqual(['collatz steps for [1, 2, 3, 4, 5, 6, 7, 8, 27]: [0, 1, 7, 2, 5, 8, 16, 3, 111]', 'verified against the CPU']);
});

test('in instantiation mode, printing through the fixture', async ({ runComponent }) => {
  const run = await runComponent('hello.wasm', { call: 'collatz', args: [[27, 97]], instantiation: 'async' });
  expect(run).toMatchObject({ ok: true, result: [111, 118] });
  const printed = await runComponent('hello.wasm', { call: 'start', instantiation: 'async' });
  expect(printed.output).toEqual(['collatz steps for [1, 2, 3, 4, 5, 6, 7, 8, 27]: [0, 1, 7, 2, 5, 8, 16, 3, 111]']);
});

test('a wasm32-wasip2 guest gets its arguments and environment, and its stdout and stderr apart', async ({ runComponent }) => {
  for (const instantiation of [undefined, 'async']) {
    const run = await runComponent('stdio.wasm', { call: 'start', instantiation, wasi: { args: ['stdio', '-v'], env: { WASI_STDIO_GREETING: 'kit' } } });
    expect(run.ok).toBe(true);
    expect(run.output.slice(0, 2)).toEqual(['args: ["stdio", "-v"]', 'env WASI_STDIO_GREETING: Some("kit")']);
    expect(run.output).toContain('gpu squares: [1, 4, 9, 16, 144]');
    expect(run.stderr).toEqual(['this line goes to stderr']);
  }
  const exit = await runComponent('stdio.wasm', { call: 'exit-with-code', args: [4] });
  expect(exit).toMatchObject({ ok: false, stage: 'exit', exitCode: 4, output: ['exiting with code 4'] });
});

test('an error result and an uncaptured GPU error', async ({ runComponent }) => {
  const failed = await runComponent('hello.wasm', { call: 'collatz', args: [[0]] });
  expect(failed).toMatchObject({ ok: false, stage: 'result', error: '0 has no Collatz sequence' });
  const misuse = await runComponent('hello.wasm', { call: 'misuse' });
  expect(misuse.gpuErrors.map((e) => e.kind)).toEqual(['GPUValidationError']);
});
`);
  const r = spawnSync(join(project, 'node_modules/.bin/playwright'), ['test'], { cwd: project, encoding: 'utf8', timeout: 300_000 });
  const report = JSON.parse(r.stdout);
  const stats = report.stats;
  // The failing tests' first error lines, for the assertion's message.
  const failures = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) for (const result of t.results) for (const e of result.errors ?? []) failures.push(`${spec.title} [${t.projectName}]: ${String(e.message).split('\n').slice(0, 6).join(' ')}`);
    }
    (suite.suites ?? []).forEach(walk);
  };
  report.suites.forEach(walk);
  assert.deepEqual({ expected: stats.expected, unexpected: stats.unexpected, skipped: stats.skipped }, { expected: 10, unexpected: 0, skipped: 0 }, `${r.stderr}\n${failures.join('\n')}`);
});
