// Issue 19: no GPU error goes unreported. `wasi-webgpu-shim run` prints
// every uncaptured GPU error as it happens, in Chromium, Firefox and Deno,
// and `--fail-on-gpu-error` makes it exit 1; a frame loop that never
// returns still shows its errors and the shim's warnings; Deno's label
// setter, which does nothing, is made good. The guest is
// crates/test-guests/native-style (built by scripts/build.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const component = join(root, 'web-tests/build/native-style.component.wasm');

function run(args) {
  const r = spawnSync(process.execPath, [join(root, 'npm/cli/main.js'), 'run', component, ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const where of ['chromium', 'firefox', 'deno']) {
  test(`run in ${where}: an uncaptured validation error is printed, and --fail-on-gpu-error exits 1`, () => {
    const args = ['--browser', where, '--call', 'check-case', '--args', '["uncaptured-error"]', '-q'];
    const plain = run(args);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, '"created"\n');
    // Chromium's message names the object by its label; wgpu's (Firefox, Deno) names the usages.
    assert.match(plain.stderr, /^uncaptured GPU error \(GPUValidationError\): [^]*(buffer-with-bad-usage|MAP_READ \| STORAGE)/m);
    const failing = run([...args, '--fail-on-gpu-error']);
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stderr, /^error: 1 uncaptured GPU error \(--fail-on-gpu-error\)$/m);
  });

  test(`run in ${where}: set-label is read back`, () => {
    const r = run(['--browser', where, '--call', 'check-case', '--args', '["set-label"]', '-q']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '"second"\n');
  });
}

for (const where of ['chromium', 'firefox']) {
  test(`run in ${where}: a native-style frame loop draws, and the shim's reconciliation is shown once`, () => {
    const r = run(['--browser', where, '--timeout', '8', '--fail-on-gpu-error']);
    // The loop never returns, so the run times out (exit 1) after its frames.
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error: timed out/);
    assert.doesNotMatch(r.stderr, /uncaptured GPU error/);
    assert.match(r.stdout, /^drawn frame=1 size=640x480$/m);
    assert.match(r.stdout, /^drawn frame=3 size=640x480$/m);
    const warnings = r.stderr.split('\n').filter((line) => line.includes('wasi-webgpu-shim: stencil-load-op'));
    assert.equal(warnings.length, 1, r.stderr);
  });
}
