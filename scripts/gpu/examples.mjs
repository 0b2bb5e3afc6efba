// `wasi-webgpu-shim run --hardware` of the example guests in Chromium and
// Firefox, with the outputs the package suite expects on software WebGPU
// (web-tests/support/printed.mjs): on a GPU machine each must print the
// GPU's adapter and the same results. scripts/gpu/run.sh runs it there;
// here, without a GPU, every run stops at the adapter (exit 3).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collatzRunOutput } from '../../web-tests/support/printed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const build = join(root, 'web-tests/build');
const cases = [
  { what: 'hello-collatz, wasi:cli/run', args: ['hello-collatz.component.wasm'], stdout: collatzRunOutput },
  { what: 'hello-collatz, collatz([27, 97, 1])', args: ['hello-collatz.component.wasm', '--call', 'collatz', '--args', '[[27, 97, 1]]'], stdout: '[111,118,0]\n' },
  // A wgpu program through the wasi-webgpu-wgpu backend (web-tests/wgpu.spec.ts checks the same against the CPU).
  { what: 'wgpu-compute (a wgpu program), run([1, 2, 3, 27, 97])', args: ['wgpu-compute.component.wasm', '--call', 'run', '--args', '[[1, 2, 3, 27, 97]]'], stdout: '[[0,1,7,111,118],[1.5,4.5,9.5,729.5,9409.5]]\n' },
];
let passed = 0;
let failed = 0;
for (const browser of ['chromium', 'firefox']) {
  for (const { what, args, stdout } of cases) {
    const [component, ...rest] = args;
    const r = spawnSync(process.execPath, [join(root, 'npm/cli/main.js'), 'run', join(build, component), '--hardware', '--browser', browser, ...rest], { encoding: 'utf8', timeout: 180_000 });
    const adapter = r.stderr.split('\n').find((line) => line.startsWith('adapter: ')) ?? 'adapter: (not printed)';
    const ok = r.status === 0 && r.stdout === stdout;
    ok ? passed++ : failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${browser}: ${what}\n     ${adapter}\n     stdout: ${JSON.stringify(r.stdout)}${ok ? '' : `\n     exit ${r.status}; stderr: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
