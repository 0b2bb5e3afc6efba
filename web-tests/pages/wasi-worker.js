// Runs the wasm32-wasip2 test guest in a module worker. Import maps do not
// reach workers, so the guest was transpiled with the package's URL
// (`--shim /npm/dist/index.js`), which puts its WASI at /npm/wasi/index.js.
import { flushWasiOutput, setWasiOptions } from '/npm/wasi/index.js';

const lines = [];
setWasiOptions({
  stdout: (line) => lines.push(['stdout', line]),
  stderr: (line) => lines.push(['stderr', line]),
  args: ['wasi-stdio', 'in-a-worker'],
  env: { WASI_STDIO_GREETING: 'from the worker' },
});

onmessage = async ({ data }) => {
  try {
    const app = await import('/web-tests/build/wasi-stdio-worker/wasi-stdio-worker.js');
    await app.start();
    app.stdoutCycles(100);
    app.partialLine();
    flushWasiOutput();
    postMessage({ lines });
  } catch (error) {
    postMessage({ error: String(error?.stack ?? error) });
  }
};
postMessage({ ready: true });
