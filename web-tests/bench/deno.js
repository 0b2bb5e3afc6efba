// `npm run bench -- --host deno`: the bench page's work in Deno (wgpu, on
// whatever GPU or CPU Vulkan driver Deno finds): the direct twin and the
// bench guest on both of jco's paths, measured by the same code as in the
// browsers. Run by scripts/bench.mjs with an import map for the package;
// writes the figures to the file named by its first argument.
import { completionLatency, directBench, measure } from './bench.js';

const [out, optionsJson] = Deno.args;
const options = JSON.parse(optionsJson);
const guests = { default: '../build/bench/bench.js', hybrid: '../build/bench-hybrid/bench-hybrid.js' };
const latencyMs = await completionLatency();
const results = {};
for (const which of ['direct', 'default', 'hybrid']) {
  const impl = which === 'direct' ? await directBench() : await import(guests[which]);
  results[which] = await measure(impl, options);
}
const adapter = await navigator.gpu.requestAdapter();
const version = `Deno ${Deno.version.deno}, ${adapter?.info?.vendor ?? ''} ${adapter?.info?.device ?? adapter?.info?.description ?? ''}`.trim();
Deno.writeTextFileSync(out, JSON.stringify({ version, latencyMs, results }));
