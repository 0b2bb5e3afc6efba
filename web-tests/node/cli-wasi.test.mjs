// Issue 22: the WASI around a component. `wasi-webgpu-shim run` gives a
// wasm32-wasip2 guest (crates/test-guests/wasi-stdio) and a WASI 0.3 guest
// (crates/test-guests/wasi-p3) the package's own WASI in Chromium, Firefox
// and Deno: stdout and stderr kept apart, every line in order, arguments
// and environment from the command line, and the guest's exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdioStartLines } from '../support/printed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const P2 = join(root, 'web-tests/build/wasi-stdio.component.wasm');
const P3 = join(root, 'web-tests/build/wasi-p3.component.wasm');
/** A wgpu program (crates/examples/wgpu-compute) built for wasm32-wasip2. */
const WGPU_P2 = join(root, 'web-tests/build/wgpu-compute-wasip2.component.wasm');

function run(component, args) {
  const r = spawnSync(process.execPath, [join(root, 'npm/cli/main.js'), 'run', component, '-q', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (text) => text.split('\n').slice(0, -1);
const cycles = (prefix) => Array.from({ length: 100 }, (_, i) => `${prefix}cycle ${i}`);

for (const where of ['chromium', 'firefox', 'deno']) {
  test(`${where}: a wasm32-wasip2 guest's println!, eprintln!, args, env, stdin, clocks and random`, () => {
    const r = run(P2, ['--browser', where, '--env', 'WASI_STDIO_GREETING=hello there', '--', 'one', 'two words']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), stdioStartLines('["wasi-stdio.component.wasm", "one", "two words"]', 'Some("hello there")'));
    assert.deepEqual(lines(r.stderr), ['this line goes to stderr']);
  });

  test(`${where}: a wgpu program built for wasm32-wasip2 computes on the GPU through the wasi-webgpu-wgpu backend`, () => {
    const r = run(WGPU_P2, ['--browser', where, '--call', 'run', '--args', '[[1, 2, 3, 27, 97]]']);
    assert.equal(r.status, 0, r.stderr);
    // Collatz steps, and x * x + 0.5 in f32 (web-tests/wgpu.spec.ts checks the same against the CPU).
    assert.equal(r.stdout, '[[0,1,7,111,118],[1.5,4.5,9.5,729.5,9409.5]]\n');
  });

  test(`${where}: 100 times get-stdout, write, drop: every line arrives, in order`, () => {
    const r = run(P2, ['--browser', where, '--call', 'stdout-cycles', '--args', '[100]']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), cycles(''));
    assert.equal(r.stderr, '');
  });

  test(`${where}: wasi:cli/exit's code is run's exit status`, () => {
    const coded = run(P2, ['--browser', where, '--call', 'exit-with-code', '--args', '[7]']);
    assert.equal(coded.status, 7, coded.stderr);
    assert.equal(coded.stdout, 'exiting with code 7\n');
    // std::process::exit(3) reaches WASI 0.2.0's exit(err), which carries no code: 1, as under wasmtime.
    const std = run(P2, ['--browser', where, '--call', 'exit-with', '--args', '[3]']);
    assert.equal(std.status, 1, std.stderr);
    assert.equal(std.stdout, 'exiting with 3\n');
    const zero = run(P2, ['--browser', where, '--call', 'exit-with', '--args', '[0]']);
    assert.equal(zero.status, 0, zero.stderr);
  });

  test(`${where}: a WASI 0.3 guest writes through streams, waits on the clock, reads args, env and random`, () => {
    const r = run(P3, ['--browser', where, '--env', 'WASI_P3_GREETING=hi', '--', 'x']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      'p3 args: ["wasi-p3.component.wasm", "x"]',
      'p3 env WASI_P3_GREETING: Some("hi")',
      'p3 stdin: 0 bytes, Ok(())',
      'p3 waited at least 20 ms: true',
      'p3 system clock plausible: true',
      'p3 random: differ true, 8 bytes, seed stable true',
    ]);
    assert.deepEqual(lines(r.stderr), ['p3 this line goes to stderr']);
    const many = run(P3, ['--browser', where, '--call', 'stream-cycles', '--args', '[100]']);
    assert.equal(many.status, 0, many.stderr);
    assert.deepEqual(lines(many.stdout), cycles('p3 '));
    const exit = run(P3, ['--browser', where, '--call', 'exit-with-code', '--args', '[5]']);
    assert.equal(exit.status, 5, exit.stderr);
  });
}

test('a partial line arrives when the run ends, stdout and stderr apart', () => {
  const r = run(P2, ['--call', 'partial-line']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'partial stdout\n');
  assert.equal(r.stderr, 'partial stderr\n');
});

test('with --wasi jco, preview2-shim closes stdout on the first drop; run names the import and prints the value thrown', () => {
  const r = run(P2, ['--wasi', 'jco', '--call', 'stdout-cycles', '--args', '[3]']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'cycle 0\n');
  assert.match(r.stderr, /^error: a host import failed: the host import \[resource-drop\]OutputStream threw \{"tag":"closed"\}$/m);
});

test('transpile says who provides each WASI import: the package by default, preview2-shim with --wasi jco', () => {
  const transpile = (extra) => spawnSync(process.execPath, [join(root, 'npm/cli/main.js'), 'transpile', P2, '-o', join(root, 'test-results/wasi-stdio-transpiled'), ...extra], { cwd: root, encoding: 'utf8' });
  const own = transpile([]);
  assert.equal(own.status, 0, own.stderr);
  assert.match(own.stderr, /^ {2}provided by wasi-webgpu-shim: wasi:webgpu\/webgpu@0\.3\.0-rc\.2, [^\n]*wasi:cli\/stdout@0\.2\.12/m);
  assert.doesNotMatch(own.stderr, /preview2-shim/);
  const jco = transpile(['--wasi', 'jco']);
  assert.equal(jco.status, 0, jco.stderr);
  assert.match(jco.stderr, /^ {2}left to jco's WASI 0\.2 shims \(@bytecodealliance\/preview2-shim\): [^\n]*wasi:cli\/stdout@0\.2\.12/m);
});
