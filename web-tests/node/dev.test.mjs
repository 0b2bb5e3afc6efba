// Issue 21: the development loop. The packed package and Vite go into an
// empty project; its app imports a component with `?component`, in the
// page and in a module worker. `vite build` output runs in Chromium and
// Firefox; `vite dev` serves it, and serves the new build after the .wasm
// changes; bad input fails the build with one sentence. `serve` reloads
// its page when the component changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { servedUrl } from '../support/printed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const build = join(root, 'web-tests/build');
const devVersion = (name) => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies[name];
let project;

const APP = `
import * as app from './app.wasm?component';

// Whichever component app.wasm is: its exports, and what it computes.
window.exportsList = Object.keys(app).filter((name) => !name.startsWith('_')).sort();
window.lines = [];
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
window.workerResult = new Promise((resolve) => { worker.onmessage = ({ data }) => resolve(data); });
try {
  if (app.collatz) window.result = Array.from(await app.collatz(new Uint32Array([27, 97])));
  else window.result = 'no collatz';
} catch (error) {
  window.result = 'error: ' + String(error?.payload ?? error);
}
`;

const WORKER = `
import { collatz } from './app.wasm?component';
try {
  postMessage(Array.from(await collatz(new Uint32Array([7, 9]))));
} catch (error) {
  postMessage('error: ' + String(error?.payload ?? error));
}
`;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'wasi-webgpu-shim-vite-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', join(root, 'npm'), '--pack-destination', project, '--json', '--silent'], { cwd: root, encoding: 'utf8' }));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'vite-user', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(project, packed[0].filename), `vite@${devVersion('vite')}`], {
    cwd: project, stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(join(project, 'vite.config.js'), `import wasiWebgpu from 'wasi-webgpu-shim/vite';\nexport default { plugins: [wasiWebgpu()], logLevel: 'error' };\n`);
  writeFileSync(join(project, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n');
  writeFileSync(join(project, 'main.js'), APP);
  writeFileSync(join(project, 'worker.js'), WORKER);
  copyFileSync(join(build, 'hello-collatz.component.wasm'), join(project, 'app.wasm'));
});

after(() => rmSync(project, { recursive: true, force: true }));

function vite(args) {
  const r = spawnSync(join(project, 'node_modules/.bin/vite'), args, { cwd: project, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function browsers() {
  const playwright = await import(join(project, 'node_modules/playwright-core/index.mjs'));
  const { playwrightUse } = await import(join(project, 'node_modules/wasi-webgpu-shim/cli/browsers.js'));
  return { playwright, playwrightUse };
}

/** Opens `url` in `browser`, waits for the app, and returns what it computed. */
async function openApp(url, browser, { after } = {}) {
  const { playwright, playwrightUse } = await browsers();
  const use = playwrightUse(browser);
  const instance = await playwright[use.browserName].launch({ ...use.launchOptions, ...(use.channel && { channel: use.channel }), headless: true });
  try {
    const page = await instance.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60_000 });
    const got = await page.evaluate(async () => ({ result: window.result, exports: window.exportsList, worker: await window.workerResult }));
    const later = after ? await after(page) : undefined;
    return { ...got, errors, later };
  } finally {
    await instance.close();
  }
}

test('vite build: the ?component import and the package are bundled; the page and a worker compute on the GPU in Chromium and Firefox', async () => {
  const r = vite(['build']);
  assert.equal(r.status, 0, r.out);
  const assets = readdirSync(join(project, 'dist/assets'));
  // The component's core wasm and the shim's wasm, as hashed assets.
  assert.ok(assets.some((name) => /^app\.core-[\w-]+\.wasm$/.test(name)), assets.join(' '));
  assert.ok(assets.some((name) => /^wasi_webgpu_shim_bg-[\w-]+\.wasm$/.test(name)), assets.join(' '));
  const { serveDirectories } = await import(join(project, 'node_modules/wasi-webgpu-shim/cli/server.js'));
  const server = await serveDirectories({ '/': join(project, 'dist') }, { pages: { '/': readFileSync(join(project, 'dist/index.html'), 'utf8') } });
  try {
    for (const browser of ['chromium', 'firefox']) {
      const got = await openApp(`http://127.0.0.1:${server.address().port}/`, browser);
      assert.deepEqual(got.errors, [], browser);
      // Collatz steps: 27 takes 111, 97 takes 118; in the worker 7 takes 16, 9 takes 19.
      assert.deepEqual(got.result, [111, 118], browser);
      assert.deepEqual(got.worker, [16, 19], browser);
    }
  } finally {
    server.close();
  }
});

test('vite dev serves the component, and after the .wasm changes serves the new build', async () => {
  const { createServer } = await import(join(project, 'node_modules/vite/dist/node/index.js'));
  const server = await createServer({ root: project, configFile: join(project, 'vite.config.js'), server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  try {
    const url = server.resolvedUrls.local[0];
    const got = await openApp(url, 'chromium', {
      after: async (page) => {
        // Another component in the same file: the page reloads with its exports.
        copyFileSync(join(build, 'wasi-stdio.component.wasm'), join(project, 'app.wasm'));
        await page.waitForFunction(() => window.exportsList?.includes('stdoutCycles'), null, { timeout: 60_000 });
        return page.evaluate(() => ({ result: window.result, exports: window.exportsList }));
      },
    });
    assert.deepEqual(got.errors, []);
    assert.deepEqual(got.result, [111, 118]);
    assert.deepEqual(got.worker, [16, 19]);
    assert.deepEqual(got.later, { result: 'no collatz', exports: ['exitWith', 'exitWithCode', 'partialLine', 'start', 'stdoutCycles'] });
  } finally {
    await server.close();
    copyFileSync(join(build, 'hello-collatz.component.wasm'), join(project, 'app.wasm'));
  }
});

test('a ?component import of a core module, or of a component importing what nobody provides, fails the build in one sentence', () => {
  const failing = (file, pattern) => {
    mkdirSync(join(project, 'bad'), { recursive: true });
    writeFileSync(join(project, 'bad/index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(project, 'bad/main.js'), `import * as app from './bad.wasm?component';\nconsole.log(app);\n`);
    copyFileSync(file, join(project, 'bad/bad.wasm'));
    const r = vite(['build', 'bad', '--config', join(project, 'vite.config.js')]);
    assert.notEqual(r.status, 0);
    assert.match(r.out, pattern);
  };
  failing(join(build, 'hello-collatz.core.wasm'), /bad\.wasm is a core WebAssembly module, not a component: make one with `wasi-webgpu-shim component bad\.wasm -o bad\.component\.wasm`/);
  // The bench's frame-loop guest imports `now`, which its page provides.
  failing(join(build, 'frame-loop.component.wasm'), /bad\.wasm imports now, which nobody provides \(no known package provides it; map it to a module of your own with --map 'now=\.\/module\.js#export'\); add it to the plugin's maps option/);
});

test('TypeScript users get types for the plugin and for ?component imports', () => {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `typescript@${devVersion('typescript')}`], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(project, 'types.d.ts'), '/// <reference types="wasi-webgpu-shim/vite-client" />\n');
  writeFileSync(join(project, 'check.ts'), `
import wasiWebgpu from 'wasi-webgpu-shim/vite';
import { collatz } from './app.wasm?component';
const plugin = wasiWebgpu({ maps: { now: './now.js#now' }, instantiation: 'async' });
// @ts-expect-error the options are typed
wasiWebgpu({ bindings: 'js' });
export const steps: Promise<Uint32Array> = collatz(new Uint32Array([1]));
export { plugin };
`);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['esnext', 'dom'], noEmit: true, skipLibCheck: true, types: [] },
    files: ['types.d.ts', 'check.ts'],
  }));
  const r = spawnSync(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('serve reloads the page when the component file changes, and shows why a broken one cannot be used', async () => {
  const dir = join(project, 'served');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'live.wasm');
  copyFileSync(join(build, 'hello-collatz.component.wasm'), file);
  const child = spawn(join(project, 'node_modules/.bin/wasi-webgpu-shim'), ['serve', file, '--port', '0', '-q'], { cwd: project });
  try {
    const url = await servedUrl(child);
    const { playwright, playwrightUse } = await browsers();
    const use = playwrightUse('chromium');
    const instance = await playwright.chromium.launch({ ...use.launchOptions, headless: true });
    try {
      const page = await instance.newPage();
      await page.goto(url);
      const log = () => page.evaluate(() => document.getElementById('log')?.textContent ?? '');
      const waitFor = (text) => page.waitForFunction((t) => document.getElementById('log')?.textContent.includes(t), text, { timeout: 60_000 });
      await waitFor('verified against the CPU');
      // A broken file: the page stays, and says why.
      writeFileSync(file, 'not wasm');
      await waitFor('[rebuild failed]');
      assert.match(await log(), /\[rebuild failed\] \S*live\.wasm is not a WebAssembly file/);
      // A new component: the page reloads and runs it.
      copyFileSync(join(build, 'wasi-stdio.component.wasm'), file);
      await waitFor('gpu squares: [1, 4, 9, 16, 144]');
      assert.doesNotMatch(await log(), /verified against the CPU/);
    } finally {
      await instance.close();
    }
  } finally {
    child.kill('SIGINT');
  }
});
