// The page that runs a transpiled component: an import map for the shim,
// its `print` and jco's WASI shims, a canvas for surfaces and a log panel.
// `run` and the test kit drive it through `window.wasiRun`; `serve` starts
// the run itself and leaves the page open.

/** Modules of @bytecodealliance/preview2-shim that jco maps `wasi:*@0.2` imports to. */
export const PREVIEW2 = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'];

/**
 * @param {{module: string, title: string, autorun?: {call?: string, args?: unknown[], argTypes?: string[]}, events?: string}} options
 *   `module`: the transpiled JS under /app/; `events`: where `serve` says
 *   the component was rebuilt (the page reloads) or could not be
 */
export function runnerPage({ module, title, autorun, events }) {
  const imports = {
    'wasi-webgpu-shim': '/shim/dist/index.js',
    'wasi-webgpu-shim/print': '/shim/print.js',
    'wasi-webgpu-shim/wasi': '/shim/wasi/index.js',
    ...Object.fromEntries(PREVIEW2.map((name) => [`@bytecodealliance/preview2-shim/${name}`, `/preview2-shim/dist/browser/${name}.js`])),
  };
  const json = (value) => JSON.stringify(value).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>${title.replace(/[<&]/g, '')} on wasi-webgpu-shim</title>
<script type="importmap">${json({ imports })}</script>
<style>
  body { margin: 0; font: 13px/1.4 system-ui, sans-serif; display: flex; gap: 12px; padding: 12px; }
  #surface { width: 640px; height: 480px; outline: 1px solid #999; flex: none; }
  #log .gpu-error { color: #b00020; }
  #log { margin: 0; padding: 8px; background: #f4f4f4; min-width: 320px; max-height: 90vh; overflow: auto; white-space: pre-wrap; }
</style>
</head>
<body>
<canvas id="surface"></canvas>
<pre id="log"></pre>
<script type="module">
  import { setSurfaceOptions } from 'wasi-webgpu-shim';
  import { probeAdapter, runComponent } from '/runner/run.js';

  const canvas = document.getElementById('surface');
  const panel = document.getElementById('log');
  const log = (line) => { panel.append(line + '\\n'); };
  setSurfaceOptions({ canvas });
  canvas.addEventListener('wasi-gfx-error', (event) => log('[wasi-gfx error] ' + event.detail));

  // Uncaptured GPU errors show on the page as they happen, each distinct
  // message once with a count of its repeats (a broken frame repeats).
  const seen = new Map();
  const showGpuError = (error) => {
    const key = error.kind + ': ' + error.message;
    const shown = seen.get(key);
    if (shown) {
      shown.count += 1;
      shown.line.textContent = '[uncaptured ' + key + '] (' + shown.count + ' times)\\n';
      return;
    }
    const line = document.createElement('span');
    line.className = 'gpu-error';
    line.textContent = '[uncaptured ' + key + ']\\n';
    panel.append(line);
    seen.set(key, { count: 1, line });
  };
  window.wasiAdapter = probeAdapter;
  window.wasiRun = (options) => runComponent(${json(module)}, {
    ...options,
    print: (line) => { log(line); window.wasiLine?.(line); },
    printError: (line) => { log('[stderr] ' + line); window.wasiErrorLine?.(line); },
    onGpuError: (error) => { showGpuError(error); window.wasiGpuError?.(error); },
  });
  const events = ${json(events ?? null)};
  if (events) {
    // serve watches the component: a new build reloads the page, a broken one says why.
    const source = new EventSource(events);
    source.addEventListener('reload', () => location.reload());
    source.addEventListener('build-error', (event) => {
      const line = document.createElement('span');
      line.className = 'gpu-error';
      line.textContent = '[rebuild failed] ' + JSON.parse(event.data) + '\\n';
      panel.append(line);
    });
  }
  const autorun = ${json(autorun ?? null)};
  if (autorun) {
    const report = await window.wasiRun(autorun);
    log(report.stage === 'exit' ? '[exited with code ' + report.exitCode + ']' : report.ok ? '[finished] ' + JSON.stringify(report.result) : '[failed] ' + report.error);
  }
  window.wasiReady = true;
</script>
</body>
</html>
`;
}
