// Repository checks that need no browser: the vendored WIT is what its
// provenance says, and builds stay reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readableGlue } from '../support/glue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path) => readFileSync(join(root, path));
/** A built glue's readable text (the build minifies it, as transpile does by default). */
const builtGlue = (path) => readableGlue(join(root, path));

function witFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return witFiles(path);
    return name.endsWith('.wit') ? [relative(join(root, 'wit'), path)] : [];
  });
}

test('every vendored WIT file has the sha256 its provenance records', () => {
  const { files } = JSON.parse(read('wit/provenance.json'));
  // wasi:webgpu and wasi-gfx from the native runtime's crates; WASI 0.2.12
  // and 0.3.2 from the wasip2 and wasip3 binding crates.
  assert.equal(files.length, 14);
  for (const file of files) {
    const hash = createHash('sha256').update(read(join('wit', file.path))).digest('hex');
    assert.equal(hash, file.sha256, `wit/${file.path} was changed after vendoring`);
    const pair = `${file.crate} ${file.version}`;
    assert.match(pair, /^((wasi-webgpu|surface|frame-buffer)-wasmtime 0\.5\.0|wasip2 2\.0\.1\+wasi-0\.2\.12|wasip3 0\.10\.0\+wasi-0\.3\.2)$/);
  }
});

test('no WIT file in wit/ lacks a provenance record', () => {
  const { files } = JSON.parse(read('wit/provenance.json'));
  assert.deepEqual(witFiles(join(root, 'wit')).sort(), files.map((f) => f.path).sort());
});

test('the vendored interface is wasi:webgpu@0.3.0-rc.2 with 229 functions and 33 resources', () => {
  const text = read('wit/deps/wasi-webgpu-0.3.0-rc.2/package.wit').toString();
  assert.match(text, /^package wasi:webgpu@0\.3\.0-rc\.2;/);
  assert.equal(JSON.parse(read('web-tests/generated/wit-functions.json')).length, 229);
  assert.equal(JSON.parse(read('web-tests/generated/resources.json')).length, 33);
});

test('wasm-bindgen, jco, Playwright and the shrink tools are pinned to exact versions, with lockfiles', () => {
  const cargo = read('Cargo.toml').toString();
  assert.match(cargo, /^wasm-bindgen = "=\d+\.\d+\.\d+"/m);
  const pkg = JSON.parse(read('package.json'));
  for (const name of ['@bytecodealliance/jco', '@playwright/test', 'binaryen', 'rolldown']) {
    assert.match(pkg.devDependencies[name], /^\d+\.\d+\.\d+$/, `${name} must be an exact version`);
  }
  assert.ok(existsSync(join(root, 'Cargo.lock')));
  assert.ok(existsSync(join(root, 'package-lock.json')));
});

test('the package entry re-exports the generated class list', () => {
  const exportsJs = read('npm/generated/webgpu-exports.js').toString();
  // The entry names each export of shim.js (the build checks the whole list).
  const entryNames = read('npm/index.js').toString().match(/export const \{([^}]*)\} = shim;/)[1].split(',').map((name) => name.trim());
  for (const name of JSON.parse(read('web-tests/generated/resources.json'))) {
    assert.match(exportsJs, new RegExp(`^  ${name},$`, 'm'));
    assert.match(exportsJs, new RegExp(`^  ${name}: shim\\.${name},$`, 'm'));
    assert.ok(entryNames.includes(name), `npm/index.js does not export ${name}`);
  }
  assert.match(read('npm/shim.js').toString(), /export \* from '\.\/generated\/webgpu-exports\.js'/);
});

// API coverage: the WIT -> JS name mapping web-tests/pages/coverage.js uses,
// and the report scripts/test.mjs prints.
const { camelCase, witToJs } = await import('../pages/wit-names.js');
const { coverageReport, assertedByFile } = await import('../../scripts/coverage.mjs');

test('WIT function names map to the shim classes and methods jco calls', () => {
  assert.deepEqual(witToJs('gpu-supported-limits.max-texture-dimension1-d'), {
    kind: 'method',
    className: 'GpuSupportedLimits',
    method: 'maxTextureDimension1D',
  });
  assert.deepEqual(witToJs('gpu-texture.create-view'), { kind: 'method', className: 'GpuTexture', method: 'createView' });
  assert.deepEqual(witToJs('gpu-query-set.type'), { kind: 'method', className: 'GpuQuerySet', method: 'type' });
  assert.deepEqual(witToJs('record-option-gpu-size64.constructor'), { kind: 'constructor', className: 'RecordOptionGpuSize64' });
  assert.deepEqual(witToJs('get-gpu'), { kind: 'function', exportName: 'getGpu' });
  assert.equal(camelCase('get-mapped-range-get-with-copy'), 'getMappedRangeGetWithCopy');
  assert.throws(() => witToJs('a.b.c'));
});

test('every WIT function maps to a name the package exports', () => {
  const exportsJs = read('npm/generated/webgpu-exports.js').toString();
  for (const name of JSON.parse(read('web-tests/generated/wit-functions.json'))) {
    const js = witToJs(name);
    const exported = js.kind === 'function' ? js.exportName : js.className;
    assert.match(exportsJs, new RegExp(`^  ${exported},$`, 'm'), `${name} -> ${exported}`);
  }
});

test('the coverage report counts guest calls, exceptions and stale exceptions per browser', () => {
  const witNames = ['get-gpu', 'gpu.request-adapter', 'gpu-canvas-context.configure'];
  const exceptions = {
    'gpu-canvas-context.configure': { browsers: ['chromium', 'firefox'], reason: 'r', 'asserted-by': 'web-tests/x.spec.ts: a test' },
  };
  const recorded = new Map([
    ['chromium', new Set(['get-gpu', 'gpu.request-adapter'])],
    ['firefox', new Set(['get-gpu', 'gpu-canvas-context.configure'])],
  ]);
  const report = coverageReport({ witNames, exceptions, recorded });
  assert.equal(report.lines[0], 'api coverage: chromium 2/3, firefox 2/3');
  assert.ok(report.lines.includes('uncovered in firefox: gpu.request-adapter'));
  assert.ok(report.lines.includes('warning: stale coverage exception in firefox: gpu-canvas-context.configure is called by a guest'));
  assert.equal(report.passed, 1);
  assert.equal(report.failed, 1);

  const filtered = coverageReport({ witNames, exceptions, recorded: new Map([['chromium', recorded.get('chromium')]]), filtered: true });
  assert.equal(filtered.lines[0], 'api coverage: chromium 2/3 (filtered run: not counted)');
  assert.equal(filtered.passed + filtered.failed, 0);

  const bad = coverageReport({
    witNames,
    exceptions: { 'gpu.no-such-function': exceptions['gpu-canvas-context.configure'], 'get-gpu': { browsers: ['safari'] } },
    recorded,
    filtered: true,
  });
  assert.equal(bad.failed, 2);
  assert.equal(assertedByFile('web-tests/canvas-context.spec.ts: configure'), 'web-tests/canvas-context.spec.ts');
});

test('every coverage exception names a WIT function and says why and where it is asserted', () => {
  const witNames = JSON.parse(read('web-tests/generated/wit-functions.json'));
  const exceptions = JSON.parse(read('web-tests/coverage-exceptions.json'));
  const report = coverageReport({ witNames, exceptions, recorded: new Map(), filtered: true });
  assert.deepEqual(report.lines.slice(1), []);
  assert.equal(report.failed, 0);
});

test("the CLI maps every interface of the vendored WIT, and nothing else, to the package", async () => {
  const { PROVIDED } = await import('../../npm/cli/transpile.js');
  const fromWit = [];
  // The WASI packages are npm/wasi/'s, mapped by version (tested below).
  for (const dir of readdirSync(join(root, 'wit/deps')).filter((d) => !/^wasi-(io|clocks|random|cli|filesystem|sockets)-/.test(d))) {
    const text = read(join('wit/deps', dir, 'package.wit')).toString();
    const [, namespace, version] = text.match(/^package ([\w-]+:[\w-]+)@([^;]+);/m);
    for (const [, name] of text.matchAll(/^interface ([\w-]+) \{/gm)) fromWit.push(`${namespace}/${name}@${version}`);
  }
  // The build serves wasi:webgpu under its other published version too, and
  // the reference runtime's examples import a root-level print.
  fromWit.push('wasi:webgpu/webgpu@0.2.0-rc.2', 'print');
  assert.deepEqual(PROVIDED.map(([name]) => name).sort(), fromWit.sort());
  for (const [name, target] of PROVIDED) assert.match(target('wasi-webgpu-shim'), /^wasi-webgpu-shim(\/print)?(#\w+)?$/, name);
});

test('the npm package exports the files it lists, with types for each entry', () => {
  const pkg = JSON.parse(read('npm/package.json'));
  assert.equal(pkg.dependencies['@bytecodealliance/jco'], JSON.parse(read('package.json')).devDependencies['@bytecodealliance/jco']);
  for (const [entry, target] of Object.entries(pkg.exports)) {
    const files = typeof target === 'string' ? [target] : Object.values(target);
    for (const file of files) {
      assert.ok(existsSync(join(root, 'npm', file)), `${entry}: ${file}`);
      const top = file.replace(/^\.\//, '').split('/')[0];
      if (file === './package.json') continue; // npm always packs it
      assert.ok(pkg.files.some((f) => f === file.replace(/^\.\//, '') || f.replace(/\/$/, '') === top), `${file} is not in "files"`);
    }
    if (typeof target !== 'string' && entry !== './package.json') assert.ok(target.types, `${entry} has no types`);
  }
});

test('the set-bind-group body raises the one error kind the WIT gives it', () => {
  const wit = read('wit/deps/wasi-webgpu-0.3.0-rc.2/package.wit').toString();
  const cases = wit.match(/variant set-bind-group-error-kind \{([^}]*)\}/)[1].split(',').map((c) => c.trim()).filter(Boolean);
  const runtime = read('npm/commands-runtime.js').toString();
  const tags = [...runtime.matchAll(/tag: '([a-z-]+)'/g)].map((m) => m[1]);
  assert.deepEqual(cases, ['range-error']);
  assert.deepEqual([...new Set(tags)], cases);
});

// `npm run fuzz -- --jitter` shakes the scheduling of a built guest's glue
// (web-tests/support/measure.mjs): its anchors are in today's glue, each
// once, and a glue without them is refused, not served unshaken.
test('npm run fuzz --jitter finds its anchors in the robustness glue, and refuses a glue without them', async () => {
  const { withJitter } = await import('../support/measure.mjs');
  const glue = builtGlue('web-tests/build/robustness/robustness.js');
  const shaken = withJitter(glue);
  assert.match(shaken, /function _wasiWebgpuNextTask\(fn\) \{\n\s*if \(Math\.random\(\) < 0\.5\) \{ setTimeout\(fn, Math\.random\(\) \* 6\); return; \}/);
  assert.match(shaken, /function _trackHostOperation\(operation\) \{\n\s*operation = \(\(settle\) => \(\) => \{/);
  // Two lines added, nothing else changed.
  assert.equal(shaken.split('\n').length, glue.split('\n').length + 2);
  assert.equal(shaken.split('\n').filter((line) => !line.includes('Math.random()')).join('\n'), glue.split('\n').filter((line) => !line.includes('Math.random()')).join('\n'));
  assert.throws(() => withJitter(glue.replace('function _trackHostOperation(operation) {', 'function _trackHostOp(operation) {')), /withJitter: the glue has no single `function _trackHostOperation\(operation\) \{`/);
});

test('npm run size: every file a page loads from what ships, the wasm code by Rust module, and what a page loads to run a component', async () => {
  const { pageFiles, shippedFiles, sizeReport } = await import('../../scripts/size.mjs');
  const files = shippedFiles().map((f) => f.file);
  // The entry, the wasm it fetches, and the bundle of everything else
  // (wasm-bindgen's JS and its snippets, the raw bindings): all from
  // npm/dist/, none from the readable tree.
  assert.deepEqual([...files].sort(), ['npm/dist/index.js', 'npm/dist/pkg/wasi_webgpu_shim_bg.wasm', 'npm/dist/shim.js']);
  const { lines, gzipKb, pageGzipKb } = sizeReport();
  const text = lines.join('\n');
  assert.match(text, new RegExp(`all ${files.length} files \\(${gzipKb.toFixed(1)} KB\\)`));
  // What a page loads to run hello-collatz: the package's files its glue
  // imports (print.js besides what ships), the glue, the prefetch module,
  // and the core wasm, which page-gzip-kb leaves out.
  const page = pageFiles('hello-collatz');
  assert.deepEqual([...new Set(page.map((f) => f.part))], ['package', 'glue', 'prefetch', 'core wasm']);
  assert.deepEqual(page.filter((f) => f.part === 'package').map((f) => f.file).sort(), [...files, 'npm/print.js'].sort());
  assert.deepEqual(page.filter((f) => f.part !== 'package').map((f) => f.file), [
    'web-tests/build/hello-collatz/hello-collatz.js',
    'web-tests/build/hello-collatz/hello-collatz.prefetch.js',
    'web-tests/build/hello-collatz/hello-collatz.core.wasm',
    'web-tests/build/hello-collatz/hello-collatz.core2.wasm',
    'web-tests/build/hello-collatz/hello-collatz.core3.wasm',
  ]);
  const withoutCore = page.filter((f) => f.part !== 'core wasm').reduce((sum, f) => sum + f.gzip, 0) / 1000;
  assert.equal(pageGzipKb, withoutCore);
  assert.ok(pageGzipKb > gzipKb, `page-gzip-kb ${pageGzipKb} counts the package's ${gzipKb} and the glue`);
  assert.match(text, new RegExp(`what a page loads to run hello-collatz[^]*all but the core wasm \\(${pageGzipKb.toFixed(1)} KB\\)`));
  assert.match(text, /shim webgpu::convert::render/);
  assert.match(text, /import functions \(one per browser method/);
});

// The package's own WASI (npm/wasi/): every function of the vendored WASI
// 0.2.12 and 0.3.2 interfaces it claims (npm/generated/wasi.js, from the
// WIT) is there, and the behaviour that needs no browser.
test('npm/wasi implements every function and method of the WASI interfaces transpile maps to it', async () => {
  const wasi = await import('../../npm/wasi/index.js');
  const { WASI_P2, WASI_P3 } = await import('../../npm/generated/wasi.js');
  const missing = [];
  for (const table of [WASI_P2, WASI_P3]) {
    for (const [name, { object, functions, resources }] of Object.entries(table)) {
      const obj = wasi[object];
      for (const fn of functions) if (typeof obj?.[fn] !== 'function') missing.push(`${name} ${fn}`);
      for (const [cls, methods] of Object.entries(resources)) {
        if (typeof obj?.[cls] !== 'function') missing.push(`${name} ${cls}`);
        else for (const m of methods) if (typeof obj[cls].prototype[m] !== 'function') missing.push(`${name} ${cls}.${m}`);
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(Object.keys(WASI_P2).includes('wasi:cli/stdout') && Object.keys(WASI_P3).includes('wasi:clocks/system-clock'));
});

test('npm/wasi: a fresh stdout stream per call, dropping one closes only itself, lines are buffered, exit throws its code', async () => {
  const { createWasi } = await import('../../npm/wasi/index.js');
  const out = [];
  const errs = [];
  const wasi = createWasi({ stdout: (line) => out.push(line), stderr: (line) => errs.push(line), args: ['app', 'x'], env: { A: '1' }, stdin: 'ab' });
  const bytes = (text) => new TextEncoder().encode(text);
  const first = wasi.stdout.getStdout();
  const second = wasi.stdout.getStdout();
  assert.notEqual(first, second);
  first.blockingWriteAndFlush(bytes('one\ntw'));
  first[Symbol.dispose ?? Symbol.for('dispose')]();
  // The guest's own dropped stream answers the WIT's `closed`.
  assert.throws(() => first.write(bytes('x')), (e) => e.tag === 'closed');
  assert.throws(() => first.checkWrite(), (e) => e.tag === 'closed');
  second.write(bytes('o\r\nthree'));
  wasi.stderr.getStderr().blockingWriteAndFlush(bytes('err\n'));
  assert.deepEqual(out, ['one', 'two']);
  wasi.flush();
  assert.deepEqual(out, ['one', 'two', 'three']);
  assert.deepEqual(errs, ['err']);
  assert.deepEqual(wasi.environment.getArguments(), ['app', 'x']);
  assert.deepEqual(wasi.environment.getEnvironment(), [['A', '1']]);
  assert.equal(wasi.environment.initialCwd(), undefined);
  const input = wasi.stdin.getStdin();
  assert.deepEqual([...input.read(1n)], [97]);
  assert.deepEqual([...wasi.stdin.getStdin().read(10n)], [98]);
  assert.throws(() => input.read(1n), (e) => e.tag === 'closed');
  assert.throws(() => wasi.exit.exitWithCode(7), (e) => e.exitError === true && e.code === 7);
  assert.throws(() => wasi.exit.exit({ tag: 'err' }), (e) => e.code === 1);
  assert.throws(() => wasi.exit.exit({ tag: 'ok' }), (e) => e.code === 0);
  // A guest asking for a huge write-zeroes gets the WIT's error, not an allocation failure.
  assert.throws(() => second.writeZeroes(1n << 40n), (e) => e.tag === 'last-operation-failed' && /write-zeroes/.test(e.val.toDebugString()));
});

test('npm/wasi: clocks, pollables, random, seeds per instance, and no file system', async () => {
  const { createWasi, monotonicClock, wallClock, systemClock, poll, random, preopens, types } = await import('../../npm/wasi/index.js');
  const before = monotonicClock.now();
  const timer = monotonicClock.subscribeDuration(5_000_000n);
  assert.equal(timer.ready(), false);
  assert.deepEqual([...poll.poll([timer, monotonicClock.subscribeDuration(0n)])], [1]);
  timer.block();
  assert.ok(monotonicClock.now() - before >= 5_000_000n);
  assert.deepEqual([...poll.poll([timer])], [0]);
  await monotonicClock.waitFor(2_000_000n);
  const { seconds, nanoseconds } = wallClock.now();
  assert.ok(Math.abs(Number(seconds) - Date.now() / 1000) < 2 && nanoseconds < 1e9);
  assert.equal(typeof systemClock.now().seconds, 'bigint');
  assert.equal(random.getRandomBytes(100000n).length, 100000);
  // The WIT lets a host give fewer bytes than asked: at most 16 MiB.
  assert.equal(random.getRandomBytes(1n << 40n).length, 16 << 20);
  const [a, b] = [createWasi(), createWasi()];
  assert.deepEqual(a.insecureSeed.insecureSeed(), a.insecureSeed.getInsecureSeed());
  assert.notDeepEqual(a.insecureSeed.insecureSeed(), b.insecureSeed.insecureSeed());
  assert.deepEqual(preopens.getDirectories(), []);
  assert.throws(() => new types.Descriptor().stat(), (e) => e === 'unsupported');
});

test('transpile maps WASI 0.2 and the listed 0.3 versions to the package, and names who would provide the rest', async () => {
  const { classifyImports, providerOf, wasiSpecifier, WASI_P3_VERSIONS } = await import('../../npm/cli/transpile.js');
  const imports = ['wasi:webgpu/webgpu@0.3.0-rc.2', 'wasi:cli/stdout@0.2.0', 'wasi:io/streams@0.2.12', 'wasi:cli/stdout@0.3.2', 'wasi:clocks/system-clock@0.3.0-rc-2026-03-15', 'wasi:cli/stdout@0.3.0-rc-2025-09-16', 'wasi:http/types@0.3.2'];
  const kinds = classifyImports(imports);
  assert.deepEqual(kinds.wasi, ['wasi:cli/stdout@0.2.0', 'wasi:io/streams@0.2.12', 'wasi:cli/stdout@0.3.2', 'wasi:clocks/system-clock@0.3.0-rc-2026-03-15']);
  assert.deepEqual(kinds.missing, ['wasi:cli/stdout@0.3.0-rc-2025-09-16', 'wasi:http/types@0.3.2']);
  assert.match(providerOf('wasi:cli/stdout@0.3.0-rc-2025-09-16'), new RegExp(`does not implement \\(it implements ${WASI_P3_VERSIONS.join(', ')}\\)`));
  assert.match(providerOf('wasi:http/types@0.3.2'), /preview3-shim.*--map 'wasi:http\/\*@0\.3\.2=@bytecodealliance\/preview3-shim\/http#\*'/);
  assert.match(providerOf('wasi:webgpu/webgpu@0.1.0'), /implements wasi:webgpu@0\.3\.0-rc\.2 and @0\.2\.0-rc\.2 only/);
  assert.match(providerOf('my:own/thing'), /--map 'my:own\/thing=/);
  // wasi:sockets 0.2 is preview2-shim's, whose streams only its own wasi:io takes: all WASI 0.2 stays there.
  const withSockets = classifyImports(['wasi:cli/stdout@0.2.3', 'wasi:io/streams@0.2.3', 'wasi:sockets/tcp@0.2.3', 'wasi:cli/stdout@0.3.2']);
  assert.deepEqual(withSockets.wasi, ['wasi:cli/stdout@0.3.2']);
  assert.deepEqual(withSockets.preview2, ['wasi:cli/stdout@0.2.3', 'wasi:io/streams@0.2.3', 'wasi:sockets/tcp@0.2.3']);
  assert.match(withSockets.wasiOnPreview2, /wasi:sockets\/tcp@0\.2\.3/);
  // --wasi jco: jco maps two 0.3 versions to preview3-shim itself.
  const jco = classifyImports(['wasi:cli/stdout@0.2.3', 'wasi:cli/stdout@0.3.0', 'wasi:cli/stdout@0.3.2'], { wasi: 'jco' });
  assert.deepEqual([jco.wasi, jco.preview2, jco.preview3, jco.missing], [[], ['wasi:cli/stdout@0.2.3'], ['wasi:cli/stdout@0.3.0'], ['wasi:cli/stdout@0.3.2']]);
  assert.equal(wasiSpecifier('wasi-webgpu-shim'), 'wasi-webgpu-shim/wasi');
  assert.equal(wasiSpecifier('/node_modules/wasi-webgpu-shim/dist/index.js'), '/node_modules/wasi-webgpu-shim/wasi/index.js');
});

test("the host-errors step names every import call and resource drop of jco's glue", async () => {
  const { nameHostImportThrows } = await import('../../npm/cli/host-errors.js');
  const glue = builtGlue('web-tests/build/hybrid/compute-matmul/compute-matmul.js');
  assert.match(glue, /_hostImportThrew\(err, "wasi:webgpu\/webgpu@0\.3\.0-rc\.2#get-gpu"\)/);
  assert.match(glue, /throw _hostImportThrew\(err, "\[resource-drop\]GpuBuffer"\)/);
  // Every call site jco logs on entry got its name (the step is the last over the output).
  const calls = glue.match(/\[Instruction::CallInterface\] \((sync|async), @ enter\)/g).length;
  const named = glue.match(/_hostImportThrew\((err|e), "(?!\[resource-drop\])/g).length;
  assert.ok(named >= calls, `${named} named of ${calls} calls`);
  const plain = 'const x = 1;\n';
  assert.deepEqual(nameHostImportThrows(plain), { source: plain, named: 0 });
});

test("the task-meta step is in every built glue with jco's async runtime; glue without one is left alone", async () => {
  const { keepOthersCurrentTask, wrapperIn } = await import('../../npm/cli/task-meta.js');
  // The replay of the race on jco's own text is in web-tests/node/hybrid/check.mjs.
  const built = builtGlue('web-tests/build/hybrid/robustness/robustness.js');
  const at = wrapperIn(built);
  assert.match(built.slice(at.start, at.end), /if \(CURRENT_TASK_META\[componentIdx\] === ownMeta\)/);
  assert.deepEqual(keepOthersCurrentTask('const x = 1;\n'), { source: 'const x = 1;\n', fixed: 0 });
});

test("the resume step is in every built glue with jco's async runtime: its next task is a port message, in order, closed when idle; a timer where there are no ports", async () => {
  const { resumeUnclamped } = await import('../../npm/cli/resume.js');
  for (const glue of ['web-tests/build/bench-hybrid/bench-hybrid.js', 'web-tests/build/bench/bench.js', 'web-tests/build/hello-collatz-instantiate/hello-collatz-instantiate.js']) {
    const text = readableGlue(join(root, glue));
    const loop = text.slice(text.indexOf('async runTickLoop() {'), text.indexOf('tick() {', text.indexOf('async runTickLoop() {')));
    assert.match(loop, /_wasiWebgpuNextTask\(async \(\) => \{/, glue);
    assert.doesNotMatch(loop, /setTimeout\(async|setTimeout\(resolve, delay\)/, glue);
    assert.match(text, /\n\s*_wasiWebgpuNextTask\(\(\) => \{\n\s*\/\/ NOTE: whether the import settled before this timer fires/, glue);
  }
  assert.deepEqual(resumeUnclamped('const x = 1;\n'), { source: 'const x = 1;\n', fixed: 0 });
  // A guest whose only async imports are streams (frame-buffer-pixels) has
  // the tick loop and no _lowerImport: the loop alone is patched.
  const streamsOnly = builtGlue('web-tests/build/frame-buffer-pixels/frame-buffer-pixels.js');
  assert.doesNotMatch(streamsOnly, /async function _lowerImport\(/);
  const streamsLoop = streamsOnly.slice(streamsOnly.indexOf('async runTickLoop() {'), streamsOnly.indexOf('tick() {', streamsOnly.indexOf('async runTickLoop() {')));
  assert.match(streamsLoop, /_wasiWebgpuNextTask\(async \(\) => \{/);
  assert.match(streamsOnly, /\nfunction _wasiWebgpuNextTask\(fn\) \{\n[\s\S]*\n  class ComponentAsyncState \{\n/);
  // The function as the glue has it, where MessageChannel is (pages,
  // workers, Node, Deno) and where it is not.
  const text = builtGlue('web-tests/build/bench-hybrid/bench-hybrid.js');
  const start = text.indexOf('function _wasiWebgpuNextTask(fn) {');
  const body = text.slice(start, text.indexOf('\n}\n', start) + 3);
  const make = (MessageChannel, setTimeout) => new Function('MessageChannel', 'setTimeout', `${body}; return _wasiWebgpuNextTask;`)(MessageChannel, setTimeout);
  const withPorts = make(globalThis.MessageChannel, () => assert.fail('must not fall back to a timer where MessageChannel is'));
  const order = [];
  await new Promise((resolve) => {
    for (const n of [1, 2, 3]) withPorts(() => order.push(n));
    // One queued from a task runs after those queued before it.
    withPorts(() => withPorts(() => { order.push(5); resolve(); }));
    withPorts(() => order.push(4));
  });
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
  // Nothing waits, so the port is closed: it keeps no Node or Deno process alive.
  assert.equal(withPorts.port, null);
  assert.deepEqual(withPorts.queue, []);
  const timers = [];
  const withoutPorts = make(undefined, (fn, ms) => timers.push(ms));
  withoutPorts(() => {});
  assert.deepEqual(timers, [0]);
});

test("the README's pictures are regenerated, not drawn: the bench chart is what bench-chart.mjs draws from bench.json, the screenshots are PNGs", async () => {
  const { chartOfSaved } = await import('../../scripts/lib/bench-chart.mjs');
  const saved = JSON.parse(read('docs/images/bench.json'));
  assert.ok(Object.keys(saved.hosts).length >= 2, 'bench.json holds the browsers');
  assert.equal(read('docs/images/bench.svg').toString(), chartOfSaved(saved), 'run npm run bench:chart');
  const readme = read('README.md').toString();
  for (const [, path] of readme.matchAll(/!\[[^\]]*\]\((docs\/images\/[^)]+)\)/g)) {
    const bytes = read(path);
    if (path.endsWith('.png')) assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], path);
  }
  assert.match(readme, /docs\/images\/bench\.svg/);
  assert.match(readme, /docs\/images\/surface-scene\.png/);
});

test('prefetch step: the glue takes its core modules from a module it imports first; instantiation mode has none to take', async () => {
  const { prefetchCoreModules } = await import('../../npm/cli/prefetch.js');
  const glue = builtGlue('web-tests/build/hello-collatz/hello-collatz.js');
  // The built glue is the step's output: its first import is the prefetch module.
  assert.match(glue, /^"use components";\nimport \{ coreModules as \$prefetchedCoreModules \} from '\.\/hello-collatz\.prefetch\.js';\n/);
  assert.doesNotMatch(glue, /= fetchCompile\(/);
  const prefetch = read('web-tests/build/hello-collatz/hello-collatz.prefetch.js').toString();
  for (const core of ['hello-collatz.core.wasm', 'hello-collatz.core2.wasm']) {
    assert.ok(prefetch.includes(`start(new URL('./${core}', import.meta.url))`), core);
    assert.ok(glue.includes(`($prefetchedCoreModules["./${core}"] ?? fetchCompile(new URL('./${core}', import.meta.url)))`), core);
  }
  const instantiate = builtGlue('web-tests/build/hello-collatz-instantiate/hello-collatz-instantiate.js');
  assert.deepEqual(prefetchCoreModules(instantiate, 'hello-collatz-instantiate'), { source: instantiate, prefetch: null });
  assert.ok(!existsSync(join(root, 'web-tests/build/hello-collatz-instantiate/hello-collatz-instantiate.prefetch.js')));
});

// Issue 28: what `wasi-webgpu-shim component` leaves of wasm-bindgen in a
// core module (npm/cli/component.js): its exports and what only they reach
// go; the intrinsics still referenced become the module's own functions
// (a trap for a throw, nothing for a release, u32::MAX for the end of the
// JS-value table's constants); the program's own exports stay and run.
test('component step: wasm-bindgen exports removed, intrinsics still referenced replaced by what they mean without JS', async () => {
  const { default: binaryen } = await import('binaryen');
  const { stripBindgen } = await import('../../npm/node.js');
  const text = `(module
    (import "__wbindgen_placeholder__" "__wbg___wbindgen_throw_0123456789abcdef" (func $throw (param i32 i32)))
    (import "__wbindgen_placeholder__" "__wbindgen_object_drop_ref" (func $drop (param i32)))
    (import "__wbindgen_externref_xform__" "__wbindgen_externref_statics_end" (func $end (result i32)))
    (import "__wbindgen_placeholder__" "__wbg_alert_0123456789abcdef" (func $alert (param i32)))
    (import "__wbindgen_placeholder__" "__wbindgen_describe" (func $describe (param i32)))
    (memory (export "memory") 1)
    (func (export "fail") (call $throw (i32.const 0) (i32.const 0)))
    (func (export "release") (result i32) (call $drop (i32.const 200)) (i32.const 7))
    (func (export "statics_end") (result i32) (call $end))
    (func (export "greet") (call $alert (i32.const 1)))
    (func (export "__wbindgen_describe_greet") (call $describe (i32.const 3)))
    (func (export "__wbindgen_malloc") (param i32) (result i32) (call $alert (local.get 0)) (i32.const 0)))`;
  const module = binaryen.parseText(text);
  const bytes = module.emitBinary();
  module.dispose();
  const stripped = await stripBindgen(bytes, { file: 't.wasm' });
  assert.equal(stripped.removedExports, 3);
  assert.equal(stripped.removedImports, 5);
  assert.deepEqual(stripped.replaced.sort(), ['__wbindgen_externref_statics_end (none-dynamic)', '__wbindgen_object_drop_ref (nop)', '__wbindgen_throw (trap)']);
  const compiled = new WebAssembly.Module(stripped.bytes);
  assert.deepEqual(WebAssembly.Module.imports(compiled), []);
  assert.deepEqual(WebAssembly.Module.exports(compiled).map((e) => e.name).sort(), ['fail', 'memory', 'release', 'statics_end']);
  const { exports } = new WebAssembly.Instance(compiled, {});
  assert.throws(() => exports.fail(), WebAssembly.RuntimeError);
  assert.equal(exports.release(), 7);
  assert.equal(exports.statics_end() >>> 0, 0xffffffff);
  // A module with nothing of wasm-bindgen's comes back as it was.
  const plain = binaryen.parseText('(module (func (export "f") (result i32) (i32.const 1)))');
  const plainBytes = plain.emitBinary();
  plain.dispose();
  assert.equal((await stripBindgen(plainBytes)).bytes, plainBytes);
});

// Issue 31: the recorder (npm/recorder.js). Each recorded command's module
// is built from the generator's kinds and must compile; the glue step that
// tells it of handle removals is in every built hybrid glue, and refuses a
// glue it does not recognise.
test('the recorder builds a module for every recorded command, and the glue step hooks rscTableRemove and marks every cabiLower call', async () => {
  const { recorderModule, recorderReaderModule } = await import('../../npm/recorder.js');
  const { addRecorderHooks, RecorderHooksError } = await import('../../npm/cli/recorder-hooks.js');
  const source = read('npm/generated/raw-bindings.js').toString();
  const recorded = [...source.matchAll(/rt\.define\([^,]+, '[^']+', '([^']+)'[\s\S]*?\n\}(?:, \{ how: '([a-z-]+)', kinds: \[([^\]]*)\])?/g)];
  const names = recorded.filter((m) => m[2]).map((m) => m[1]);
  // Every command of the generator's table but `end`, on the three encoders.
  assert.equal(names.length, 24, names.join(', '));
  assert.ok(!names.some((name) => name.endsWith('.end')));
  for (const m of recorded.filter((r) => r[2])) {
    const kinds = [...m[3].matchAll(/'([^']+)'/g)].map((k) => k[1]);
    const module = recorderModule(kinds, m[2]);
    assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name), ['record'], m[1]);
  }
  assert.deepEqual(WebAssembly.Module.exports(recorderReaderModule()).map((e) => e.name), ['load', 'store8', 'pages']);
  const glue = builtGlue('web-tests/build/hybrid/render-offscreen/render-offscreen.js');
  assert.match(glue, /function rscTableRemove\(table, handle\) \{\n\s*globalThis\[Symbol\.for\('wasi-webgpu-shim\.handleRemoved'\)\]\?\.\(\);/);
  const lowerings = glue.match(/\[symbolCabiLower\]\(\{/g).length;
  assert.equal(glue.match(/\[symbolCabiLower\]\(\{ wasiWebgpuRecorder: 1,/g).length, lowerings);
  // jco's default glue has no cabiLower call: nothing to mark.
  const plain = builtGlue('web-tests/build/render-offscreen/render-offscreen.js');
  assert.deepEqual(addRecorderHooks(plain), { source: plain, marked: 0 });
  const unmarked = glue.replaceAll('{ wasiWebgpuRecorder: 1,', '{').replace(/\n\s*globalThis\[Symbol\.for\('wasi-webgpu-shim\.handleRemoved'\)\][^\n]*/, '');
  assert.equal(addRecorderHooks(unmarked).source, glue);
  assert.throws(() => addRecorderHooks(glue), RecorderHooksError);
  assert.throws(() => addRecorderHooks(unmarked.replace('function rscTableRemove(table, handle) {', 'function rscTableRemove(table, handle) {}\nfunction rscTableRemove(table, handle) {')), RecorderHooksError);
});
