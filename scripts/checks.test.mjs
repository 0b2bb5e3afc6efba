// Repository checks that need no browser: the vendored WIT is what its
// provenance says, and builds stay reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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

test('wasm-bindgen, jco and Playwright are pinned to exact versions, with lockfiles', () => {
  const cargo = read('Cargo.toml').toString();
  assert.match(cargo, /^wasm-bindgen = "=\d+\.\d+\.\d+"/m);
  const pkg = JSON.parse(read('package.json'));
  for (const name of ['@bytecodealliance/jco', '@playwright/test']) {
    assert.match(pkg.devDependencies[name], /^\d+\.\d+\.\d+$/, `${name} must be an exact version`);
  }
  assert.ok(existsSync(join(root, 'Cargo.lock')));
  assert.ok(existsSync(join(root, 'package-lock.json')));
});

test('the package entry re-exports the generated class list', () => {
  const exportsJs = read('npm/webgpu-exports.js').toString();
  for (const name of JSON.parse(read('web-tests/generated/resources.json'))) {
    assert.match(exportsJs, new RegExp(`^  ${name},$`, 'm'));
    assert.match(exportsJs, new RegExp(`^  ${name}: shim\\.${name},$`, 'm'));
  }
  assert.match(read('npm/index.js').toString(), /export \* from '\.\/webgpu-exports\.js'/);
});
