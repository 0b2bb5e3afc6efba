// Running a transpiled component headless: in Chromium or Firefox through
// Playwright and the runner page, or in Deno, whose navigator.gpu is wgpu.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findBrowser, missingBrowserMessage, playwrightUse } from './browsers.js';
import { PREVIEW2, runnerPage } from './page.js';
import { describeAdapter, hardwareRefusal } from '../runner/run.js';
import { serveDirectories, UsageError } from './server.js';
import { PACKAGE_DIR, findPackageDir, jcoDir } from './transpile.js';

function preview2Dir() {
  return findPackageDir('@bytecodealliance/preview2-shim', jcoDir()) ?? findPackageDir('@bytecodealliance/preview2-shim');
}

/**
 * Serves the runner page for a transpiled component; `autorun` makes the
 * page start it by itself; `live` makes it listen on /events, where
 * `server.broadcast('reload')` reloads it and `'build-error'` shows why not.
 */
export function serveComponent(transpiled, { port = 0, autorun, live = false } = {}) {
  const mounts = { '/app/': transpiled.outDir, '/runner/': join(PACKAGE_DIR, 'runner'), '/shim/': PACKAGE_DIR };
  const p2 = preview2Dir();
  if (p2) mounts['/preview2-shim/'] = p2;
  const page = runnerPage({ module: `/app/${transpiled.name}.js`, title: transpiled.name, autorun, events: live ? '/events' : undefined });
  return serveDirectories(mounts, { port, pages: { '/': page, '/index.html': page }, events: live ? '/events' : undefined });
}

/**
 * Runs a component in a page that is already open on the runner (the test kit's fixture uses this).
 * The report's `adapter` is the adapter the page gets (runner/run.js probeAdapter); with
 * `requireHardware` a software or missing one stops the run before the guest starts
 * (`stage: 'adapter'`), `onAdapter` hears it first.
 */
export async function runInPage(page, { call, args, argTypes, wasi, instantiation, timeout = 60_000, onLine, onErrorLine, onGpuError, requireHardware = false, onAdapter, browserName = 'the browser' } = {}) {
  // Lines and GPU errors arrive as they happen, so a run that times out (a
  // guest drawing frames forever) still reports them.
  const output = [];
  const gpuErrors = [];
  await page
    .exposeFunction('wasiLine', (line) => {
      output.push(line);
      onLine?.(line);
    })
    .catch(() => {});
  await page
    .exposeFunction('wasiErrorLine', (line) => {
      onErrorLine?.(line);
    })
    .catch(() => {});
  await page
    .exposeFunction('wasiGpuError', (error) => {
      gpuErrors.push(error);
      onGpuError?.(error);
    })
    .catch(() => {});
  await page.waitForFunction(() => window.wasiReady === true, null, { timeout: 30_000 });
  const adapter = await page.evaluate(() => window.wasiAdapter());
  onAdapter?.(adapter);
  const refusal = requireHardware ? hardwareRefusal(adapter, browserName) : null;
  if (refusal) return { ok: false, stage: 'adapter', error: refusal, adapter, output, gpuErrors };
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, stage: 'timeout', error: `the export did not finish within ${timeout / 1000} s`, adapter, output, gpuErrors }), timeout);
  });
  try {
    return await Promise.race([
      page.evaluate((options) => window.wasiRun({ ...options }), { call, args, argTypes, wasi, instantiation: Boolean(instantiation) }).then((report) => ({ ...report, adapter })),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function playwrightCore() {
  try {
    return await import('playwright-core');
  } catch {
    throw new UsageError('playwright-core is not installed next to wasi-webgpu-shim: run `npm install playwright-core@1.64.1`');
  }
}

/** Runs the component in a headless browser and returns the runner's report. */
export async function runInBrowser(transpiled, browser, { call, args, argTypes, wasi, timeout, onLine, onErrorLine, onGpuError, onStatus = () => {}, software = true, requireHardware = !software } = {}) {
  const executablePath = findBrowser(browser);
  if (!executablePath) throw new UsageError(missingBrowserMessage(browser));
  if (!existsSync(executablePath)) throw new UsageError(`${executablePath} (from ${browser === 'chromium' ? 'CHROMIUM_PATH' : 'FIREFOX_PATH'}) does not exist`);
  const playwright = await playwrightCore();
  const use = playwrightUse(browser, { executablePath, software });
  const server = await serveComponent(transpiled);
  let instance;
  try {
    try {
      instance = await playwright[use.browserName].launch({ ...use.launchOptions, ...(use.channel ? { channel: use.channel } : {}), headless: true });
    } catch (error) {
      // Playwright's first line says only that the browser closed; its log has why (a missing library, say).
      const why = String(error.message).match(/\[err\] (.*(?:error|cannot|not found).*)$/im)?.[1];
      throw new UsageError(`${executablePath} did not start: ${why ?? String(error.message).split('\n')[0]}`);
    }
    onStatus(`running ${transpiled.name} in ${browser} ${instance.version()}`);
    const page = await instance.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') onStatus(`[${browser}] ${message.text()}`);
    });
    page.on('pageerror', (error) => onStatus(`[${browser}] ${error.message}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const onAdapter = (adapter) => onStatus(`adapter: ${describeAdapter(adapter)}`);
    return await runInPage(page, { call, args, argTypes, wasi, timeout, onLine, onErrorLine, onGpuError, requireHardware, onAdapter, browserName: browser });
  } finally {
    await instance?.close().catch(() => {});
    server.close();
  }
}

/** Calls `onLine` with each whole line `stream` sends; returns what is left of an unfinished one. */
function eachLine(stream, onLine) {
  let pending = '';
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    lines.forEach(onLine);
  });
  return () => pending;
}

/** Marks a line on Deno's stderr that carries an uncaptured GPU error as JSON. */
const GPU_ERROR_PREFIX = 'wasi-webgpu-shim gpu-error ';
/** Marks a line on Deno's stderr that the guest wrote to its stderr. */
const STDERR_PREFIX = 'wasi-webgpu-shim stderr ';
/** Marks the line on Deno's stderr that carries the probed adapter as JSON. */
const ADAPTER_PREFIX = 'wasi-webgpu-shim adapter ';

/** The deno executable: $DENO_PATH, PATH, or the npm package `deno` near here; null if none. */
export function findDeno() {
  if (process.env.DENO_PATH) return process.env.DENO_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'deno'))) return join(dir, 'deno');
  }
  for (const from of [process.cwd(), PACKAGE_DIR]) {
    const pkg = findPackageDir('deno', from);
    if (pkg && existsSync(join(pkg, '..', '.bin', 'deno'))) return join(pkg, '..', '.bin', 'deno');
  }
  return null;
}

/** Runs the component in Deno (its WebGPU is wgpu, on Vulkan, Metal or DX12). */
export async function runInDeno(transpiled, { call, args, argTypes, wasi, timeout = 60_000, onLine = () => {}, onErrorLine = () => {}, onGpuError = () => {}, onStatus = () => {}, requireHardware = false } = {}) {
  const deno = findDeno();
  if (!deno) throw new UsageError('Deno was not found: install it (`npm install deno`, or see https://deno.com) or set DENO_PATH to its path');
  if (!existsSync(deno)) throw new UsageError(`${deno} (from DENO_PATH) does not exist`);
  const work = mkdtempSync(join(tmpdir(), 'wasi-webgpu-shim-deno-'));
  const url = (path) => pathToFileURL(path).href;
  const p2 = preview2Dir();
  const imports = {
    'wasi-webgpu-shim': url(join(PACKAGE_DIR, 'dist/index.js')),
    'wasi-webgpu-shim/print': url(join(PACKAGE_DIR, 'print.js')),
    'wasi-webgpu-shim/wasi': url(join(PACKAGE_DIR, 'wasi/index.js')),
    ...(p2 ? Object.fromEntries(PREVIEW2.map((name) => [`@bytecodealliance/preview2-shim/${name}`, url(join(p2, `dist/browser/${name}.js`))])) : {}),
  };
  writeFileSync(join(work, 'import-map.json'), JSON.stringify({ imports }));
  const reportFile = join(work, 'report.json');
  writeFileSync(
    join(work, 'main.mjs'),
    `import { hardwareRefusal, probeAdapter, runComponent } from ${JSON.stringify(url(join(PACKAGE_DIR, 'runner/run.js')))};
const encoder = new TextEncoder();
const adapter = await probeAdapter();
Deno.stderr.writeSync(encoder.encode(${JSON.stringify(ADAPTER_PREFIX)} + JSON.stringify(adapter) + '\\n'));
const refusal = ${JSON.stringify(requireHardware)} ? hardwareRefusal(adapter, 'deno') : null;
const report = refusal ? { ok: false, stage: 'adapter', error: refusal, output: [], gpuErrors: [] } : await runComponent(${JSON.stringify(url(transpiled.module))}, {
  ...${JSON.stringify({ call, args, argTypes, wasi })},
  print: (line) => Deno.stdout.writeSync(encoder.encode(line + '\\n')),
  printError: (line) => Deno.stderr.writeSync(encoder.encode(${JSON.stringify(STDERR_PREFIX)} + line + '\\n')),
  onGpuError: (error) => Deno.stderr.writeSync(encoder.encode(${JSON.stringify(GPU_ERROR_PREFIX)} + JSON.stringify(error) + '\\n')),
});
Deno.writeTextFileSync(${JSON.stringify(reportFile)}, JSON.stringify({ ...report, adapter }));
Deno.exit(0);
`,
  );
  onStatus(`running ${transpiled.name} in ${deno}`);
  const child = spawn(deno, ['run', '--quiet', '--no-prompt', '--allow-read', `--allow-write=${reportFile}`, '--allow-env=JCO_DEBUG', '--import-map', join(work, 'import-map.json'), join(work, 'main.mjs')], {
    // wgpu's Vulkan loader complains without it on headless machines.
    env: { XDG_RUNTIME_DIR: tmpdir(), ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  eachLine(child.stdout, onLine);
  let stderr = '';
  const gpuErrors = [];
  const stderrRest = eachLine(child.stderr, (line) => {
    if (line.startsWith(STDERR_PREFIX)) return onErrorLine(line.slice(STDERR_PREFIX.length));
    if (line.startsWith(ADAPTER_PREFIX)) return onStatus(`adapter: ${describeAdapter(JSON.parse(line.slice(ADAPTER_PREFIX.length)))}`);
    if (!line.startsWith(GPU_ERROR_PREFIX)) {
      stderr += line + '\n';
      return;
    }
    const error = JSON.parse(line.slice(GPU_ERROR_PREFIX.length));
    gpuErrors.push(error);
    onGpuError(error);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  try {
    if (existsSync(reportFile)) return JSON.parse(readFileSync(reportFile, 'utf8'));
    stderr += stderrRest();
    const reason = code === null ? `the export did not finish within ${timeout / 1000} s` : (stderr.split('\n').find((line) => /error/i.test(line)) ?? stderr.trim().split('\n')[0]) || `deno exited with ${code}`;
    return { ok: false, stage: code === null ? 'timeout' : 'load', error: reason, output: [], gpuErrors };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
