// Repository checks that need no browser: the vendored WIT is what its
// provenance says, and builds stay reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path) => readFileSync(join(root, path));

function witFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return witFiles(path);
    return name.endsWith('.wit') ? [relative(join(root, 'wit'), path)] : [];
  });
}

test('every vendored WIT file has the sha256 its provenance records', () => {
  const { files } = JSON.parse(read('wit/provenance.json'));
  assert.equal(files.length, 3);
  for (const file of files) {
    const hash = createHash('sha256').update(read(join('wit', file.path))).digest('hex');
    assert.equal(hash, file.sha256, `wit/${file.path} was changed after vendoring`);
    assert.match(file.crate, /^(wasi-webgpu|surface|frame-buffer)-wasmtime$/);
    assert.equal(file.version, '0.5.0');
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
  for (const name of ['@bytecodealliance/jco', '@playwright/test', 'binaryen', 'oxc-minify']) {
    assert.match(pkg.devDependencies[name], /^\d+\.\d+\.\d+$/, `${name} must be an exact version`);
  }
  assert.ok(existsSync(join(root, 'Cargo.lock')));
  assert.ok(existsSync(join(root, 'package-lock.json')));
});

test('the package entry re-exports the generated class list', () => {
  const exportsJs = read('npm/generated/webgpu-exports.js').toString();
  for (const name of JSON.parse(read('web-tests/generated/resources.json'))) {
    assert.match(exportsJs, new RegExp(`^  ${name},$`, 'm'));
    assert.match(exportsJs, new RegExp(`^  ${name}: shim\\.${name},$`, 'm'));
  }
  assert.match(read('npm/index.js').toString(), /export \* from '\.\/generated\/webgpu-exports\.js'/);
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
  for (const dir of readdirSync(join(root, 'wit/deps'))) {
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

test('npm run size: every file a page loads from what ships, and the wasm code by Rust module', async () => {
  const { shippedFiles, sizeReport } = await import('../../scripts/size.mjs');
  const files = shippedFiles().map((f) => f.file);
  // The entry, the wasm it fetches, wasm-bindgen's JS and its snippets, the
  // raw bindings: all from npm/dist/, none from the readable tree.
  for (const file of ['npm/dist/index.js', 'npm/dist/pkg/wasi_webgpu_shim_bg.wasm', 'npm/dist/pkg/wasi_webgpu_shim.js', 'npm/dist/generated/raw-bindings.js', 'npm/dist/raw-runtime.js']) {
    assert.ok(files.includes(file), `${file} missing from ${files.join(', ')}`);
  }
  assert.ok(files.some((file) => file.startsWith('npm/dist/pkg/snippets/')), 'the snippets wasm-bindgen imports');
  assert.deepEqual(files.filter((file) => !file.startsWith('npm/dist/')), []);
  const { lines, gzipKb } = sizeReport();
  const text = lines.join('\n');
  assert.match(text, new RegExp(`all ${files.length} files \\(${gzipKb.toFixed(1)} KB\\)`));
  assert.match(text, /shim webgpu::convert::render/);
  assert.match(text, /import functions \(one per browser method/);
});
