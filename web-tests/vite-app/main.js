// A user's app: the package and a component transpiled by the CLI
// (`wasi-webgpu-shim transpile`), bundled by Vite for production.
import { getGpu } from 'wasi-webgpu-shim';
import { collatz, start } from '../build/hello-collatz/hello-collatz.js';

const log = document.getElementById('log');
window.lines = [];
globalThis.wasiPrint = (line) => {
  window.lines.push(line);
  log.textContent += `${line}\n`;
};

try {
  await start();
  window.result = { format: getGpu().getPreferredCanvasFormat(), steps: Array.from(await collatz(new Uint32Array([27, 97]))) };
} catch (error) {
  window.result = { error: String(error?.payload ?? error) };
}
