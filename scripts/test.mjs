// Every test suite, with one total at the end:
//   1. generated code matches the WIT (wit-codegen --check)
//   2. Rust unit tests (conversions, WIT coverage of hand-written tables)
//   3. repository checks in node (WIT provenance hashes, package exports)
//  3a. the package's hybrid step against jco 1.35.0's own hybrid mode: byte
//      for byte where that mode works, the right skips where it panics
//  3b. the packed package installed into an empty project: CLI in Chromium,
//      Firefox and Deno, bad input, the Playwright kit
//  3c. `run`'s GPU error reporting and --fail-on-gpu-error in each browser
//  3d. WASI 0.2 and 0.3 guests under `run` in Chromium, Firefox and Deno
//  3e. the development loop: the Vite plugin (build, dev), `serve` reloading
//   4. Playwright: the guests and the shim in Chromium and Firefox
//   5. API coverage: which WIT functions the guests called in 4, per browser
// Extra arguments go to Playwright (e.g. `npm test -- --project=chromium`);
// with them, the coverage is printed but not counted.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COVERAGE_DIR, coverageFromFiles } from './coverage.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  return r;
}

/** A `node --test` file: its TAP counts, and one failure when it did not run. */
function nodeSuite(label, file) {
  const r = run(label.split(' (')[0], process.execPath, ['--test', '--test-reporter=tap', file]);
  const count = (key) => Number(r.stdout.match(new RegExp(`^# ${key} (\\d+)`, 'm'))?.[1] ?? 0);
  let failed = count('fail');
  if (r.status !== 0 && failed === 0) failed = 1;
  results.push([label, count('pass'), failed]);
}

// 1.
{
  const r = run('wit-codegen', 'cargo', ['run', '-q', '-p', 'wit-codegen', '--', '--check']);
  results.push(['wit-codegen --check', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1]);
}

// 2.
{
  const r = run('cargo test', 'cargo', ['test', '-q', '-p', 'wasi-webgpu-shim', '-p', 'wit-codegen', '-p', 'guest-support']);
  let passed = 0;
  let failed = 0;
  for (const m of `${r.stdout}${r.stderr}`.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (r.status !== 0 && failed === 0) failed = 1; // did not build
  results.push(['cargo test', passed, failed]);
}

// 3.
nodeSuite('node checks', 'web-tests/node/checks.test.mjs');

// 3a.
{
  const r = run('hybrid step', process.execPath, ['web-tests/node/hybrid/check.mjs', '--quick']);
  const m = `${r.stdout}`.match(/^(\d+) passed, (\d+) failed$/m);
  results.push(['hybrid step (npm/cli/hybrid.js against jco --import-bindings hybrid)', m ? Number(m[1]) : 0, m ? Number(m[2]) : 1]);
}

// 3b.
nodeSuite('package (packed, installed, CLI, Playwright kit)', 'web-tests/node/package.test.mjs');

// 3c.
nodeSuite('cli gpu errors (run in Chromium, Firefox and Deno)', 'web-tests/node/cli-gpu-errors.test.mjs');

// 3d.
nodeSuite('cli wasi (WASI 0.2 and 0.3 guests run in Chromium, Firefox and Deno)', 'web-tests/node/cli-wasi.test.mjs');

// 3e.
nodeSuite('dev loop (the Vite plugin, build and dev; serve that reloads)', 'web-tests/node/dev.test.mjs');

// 4.
{
  const report = join(root, 'test-results/playwright.json');
  rmSync(report, { force: true });
  rmSync(join(root, COVERAGE_DIR), { recursive: true, force: true });
  const r = run('playwright', join(root, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json', ...process.argv.slice(2)], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  let stats = { expected: 0, unexpected: 1, flaky: 0, skipped: 0 };
  try {
    stats = JSON.parse(readFileSync(report, 'utf8')).stats;
  } catch {
    console.error('playwright wrote no report');
  }
  if (stats.skipped) console.log(`playwright: ${stats.skipped} skipped (not counted as passed)`);
  results.push(['playwright', stats.expected, stats.unexpected + stats.flaky]);
}

// 5.
{
  console.log(`\n== api coverage: ${COVERAGE_DIR}, web-tests/coverage-exceptions.json`);
  const filtered = process.argv.length > 2;
  const { lines, passed, failed } = coverageFromFiles(root, { filtered });
  for (const line of lines) console.log(line);
  results.push(['api coverage', passed, failed]);
}

console.log('\n== summary');
for (const [name, passed, failed] of results) console.log(`${name}: ${passed} passed, ${failed} failed`);
const passed = results.reduce((n, r) => n + r[1], 0);
const failed = results.reduce((n, r) => n + r[2], 0);
console.log(`${passed} passed, ${failed} failed`);
// exitCode, not exit(): exit() drops output still queued for a pipe that
// a child left non-blocking, which lost this summary under `.ci/run | tee`.
process.exitCode = failed ? 1 : 0;
