#!/usr/bin/env node
// npx wasi-webgpu-shim <command>: transpile a component for this package,
// run it headless, or serve it on a page.
import { parseArgs } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, unwatchFile, watchFile } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from './server.js';
import { JCO_VERSION, PACKAGE_DIR, exportParamTypes, outputName, providerOf, transpile } from './transpile.js';
import { runInBrowser, runInDeno, serveComponent } from './run.js';
import { makeComponent } from './component.js';

const VERSION = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;

const HELP = {
  main: `wasi-webgpu-shim ${VERSION}: run wasi:webgpu components in browsers and Deno

usage: wasi-webgpu-shim <command> [options]

commands:
  component <core.wasm> -o <out.wasm>   make a component of a core module cargo built
  transpile <component.wasm> -o <dir>   turn a component into JS that imports this package
  run <component.wasm>                  run it headless and print what it prints
  serve <component.wasm>                a local page with a canvas and a log, for development

'wasi-webgpu-shim <command> --help' tells more.`,
  component: `usage: wasi-webgpu-shim component <core.wasm> -o <component.wasm>

Makes a component of a core module that wit-bindgen's bindings describe, as
cargo builds it for wasm32-unknown-unknown (or wasm32-wasip1, with jco's WASI
0.1 adapter), with \`jco new\`. A program whose dependencies use
wasm-bindgen (egui's do, and wgpu's \`web\` feature) leaves in its module
wasm-bindgen's exports and imports that only wasm-bindgen's JS provides,
which \`jco new\` refuses: this removes those exports and whatever only they
reach, replaces the wasm-bindgen intrinsics still referenced (dropping a JS
value, throwing) with a trap, since no JS value can reach them, and refuses,
naming it, a JS function the program's exports can still call.

options:
  -o, --out <file>         the component to write (required)
  -q, --quiet              only errors`,
  transpile: `usage: wasi-webgpu-shim transpile <component.wasm> -o <dir> [options]

Runs jco ${JCO_VERSION} with a --map for every interface this package implements
(wasi:webgpu@0.3.0-rc.2 and @0.2.0-rc.2, wasi-gfx surface and frame-buffer,
and a root-level print), and says which of the component's imports it does
not provide. The output imports the package as 'wasi-webgpu-shim': a bundler
resolves that, a page needs an import map.

options:
  -o, --out <dir>          where the JS and core wasm go (required)
  --name <name>            base name of the output files (default: the file's)
  --shim <specifier>       import the package by this specifier instead, e.g.
                           /node_modules/wasi-webgpu-shim/dist/index.js in a worker
  --bindings hybrid|js     jco's import bindings (default hybrid: the hot calls
                           go straight to the shim's raw bindings, also for
                           components with futures and streams, whose imports
                           of those stay on jco's glue; js is jco's default
                           glue for everything)
  --wasi package|jco       who implements the component's WASI (default package:
                           the package's own, wasi-webgpu-shim/wasi, for every
                           WASI 0.2 and the 0.3 versions in the README; jco:
                           jco's preview2-shim and preview3-shim)
  --instantiation async    jco's instantiation mode: the output exports
                           instantiate(getCoreModule, imports) instead of
                           importing the package, so an embedder passes the
                           package (and its own imports) to each instance
  --readable               leave the glue readable (by default <name>.js is
                           minified, its readable text in <name>.js.map)
  -q, --quiet              only errors`,
  run: `usage: wasi-webgpu-shim run <component.wasm> [options] [-- <guest args>...]

Transpiles the component and runs it headless. Calls wasi:cli/run if the
component exports it, else the export --call names (start by default).
What the guest prints (a root-level print import, or wasi:cli stdout) goes to
stdout, its wasi:cli stderr to stderr; an export's return value is printed
as JSON. The guest's arguments (wasi:cli get-arguments) are the component's
file name and what follows --; its stdin is empty. Exit status: the guest's
own when it calls wasi:cli/exit; else 0 when the export returned (ok), 1 when
it returned an error, trapped or timed out (or raised a GPU error, with
--fail-on-gpu-error), 2 for a problem with the command itself, 3 when
--hardware found no GPU adapter.

options:
  --browser chromium|firefox|deno   where to run (default chromium); --host is the same
  --call <export>          the export to call (kebab-case, as in the WIT)
  --args <json>            its arguments, as a JSON array; arrays become the
                           typed arrays jco expects for list<u32> and the like
  --wasi package|jco       as for transpile
  --readable               as for transpile (for stack traces without a source map)
  --env <NAME=VALUE>       an environment variable for the guest (repeatable)
  --timeout <seconds>      give up after this long (default 60)
  --fail-on-gpu-error      exit 1 if the browser raised any uncaptured GPU error
                           (every one is printed on stderr as it happens;
                           errors the guest's own error scopes catch are its own)
  --hardware               run on the machine's GPU: Chromium leaves SwiftShader
                           for the GPU (on Linux through ANGLE on Vulkan) and
                           Firefox may use it; the adapter is printed, and a
                           software or missing adapter stops the run (exit 3)
  --allow-fallback         with --hardware: run on a software adapter rather
                           than stop (it is still printed)
  -q, --quiet              no progress lines on stderr

Browsers: CHROMIUM_PATH, FIREFOX_PATH and DENO_PATH choose the executables.`,
  serve: `usage: wasi-webgpu-shim serve <component.wasm> [options]

Transpiles the component and serves a page that runs it, with a canvas for
its surfaces and a log of what it prints, uncaptured GPU errors included.
Open the printed address. When the file changes, serve transpiles it again
and the page reloads (or shows why the new file could not be used).

options:
  --port <n>               port on 127.0.0.1 (default 8787; 0 for any free one)
  --call <export>, --args <json>   as for run
  --readable               as for transpile (the page's devtools read the
                           source map either way)`,
};

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  name: { type: 'string' },
  shim: { type: 'string' },
  bindings: { type: 'string' },
  instantiation: { type: 'string' },
  wasi: { type: 'string' },
  browser: { type: 'string' },
  host: { type: 'string' },
  call: { type: 'string' },
  args: { type: 'string' },
  timeout: { type: 'string' },
  env: { type: 'string', multiple: true },
  port: { type: 'string' },
  hardware: { type: 'boolean' },
  'allow-fallback': { type: 'boolean' },
  'fail-on-gpu-error': { type: 'boolean' },
  readable: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, tokens: true });
  } catch (error) {
    throw new UsageError(`${error.message.split('\n')[0]} (see --help)`);
  }
  const { values, tokens } = parsed;
  // What follows `--` is the guest's.
  const dashes = tokens.find((token) => token.kind === 'option-terminator')?.index ?? Infinity;
  const positionals = tokens.filter((token) => token.kind === 'positional' && token.index < dashes).map((token) => token.value);
  const guestArgs = tokens.filter((token) => token.kind === 'positional' && token.index > dashes).map((token) => token.value);
  const [command, component, ...extra] = positionals;
  if (values.version) return void console.log(VERSION);
  if (!command) return void console.log(HELP.main);
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command '${command}': use component, transpile, run or serve (see --help)`);
  if (values.help) return void console.log(HELP[command]);
  if (!component) throw new UsageError(`${command} needs a ${command === 'component' ? 'core module' : 'component'}: wasi-webgpu-shim ${command} <${command === 'component' ? 'core' : 'component'}.wasm>`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}' (the guest's own arguments go after --)`);
  const status = values.quiet ? () => {} : (line) => console.error(line);
  const wasiFrom = values.wasi ?? 'package';
  if (!['package', 'jco'].includes(wasiFrom)) throw new UsageError(`--wasi is package or jco, not '${values.wasi}'`);

  if (command === 'component') {
    if (!values.out) throw new UsageError('component needs the file to write: -o <component.wasm>');
    await makeComponent(component, values.out, { log: status });
    status(`made ${values.out} from ${component}`);
    return 0;
  }

  if (command === 'transpile') {
    if (!values.out) throw new UsageError('transpile needs an output directory: -o <dir>');
    const bindings = values.bindings ?? 'hybrid';
    if (!['js', 'hybrid'].includes(bindings)) throw new UsageError(`--bindings is js or hybrid, not '${bindings}'`);
    if (values.instantiation !== undefined && values.instantiation !== 'async') {
      throw new UsageError(`--instantiation is async (jco's instantiation mode), not '${values.instantiation}'`);
    }
    const result = transpile(component, values.out, { name: values.name, shim: values.shim, bindings, instantiation: values.instantiation, wasi: wasiFrom, readable: Boolean(values.readable), log: status });
    status(`transpiled ${component} to ${result.module} (jco ${JCO_VERSION}, ${result.bindings} bindings)`);
    if (result.bindings === 'hybrid') {
      status(`hybrid bindings: ${result.hooked.length} imports can take a raw binding` +
        (result.skipped.length ? `; ${result.skipped.length} with a future or stream stay on jco's glue (${result.skipped.map((s) => s.name.split('#').pop()).join(', ')})` : ''));
    }
    reportImports(result, status);
    return 0;
  }

  const call = values.call;
  let args = [];
  if (values.args !== undefined) {
    try {
      args = JSON.parse(values.args);
    } catch {
      throw new UsageError(`--args is not JSON: ${values.args}`);
    }
    if (!Array.isArray(args)) throw new UsageError('--args must be a JSON array of the arguments, e.g. --args \'[[1, 2, 3]]\'');
  }
  const work = mkdtempSync(join(tmpdir(), 'wasi-webgpu-shim-'));
  try {
    const readable = Boolean(values.readable);
    const transpiled = transpile(component, join(work, 'app'), { name: outputName(component), wasi: wasiFrom, readable, log: status });
    reportImports(transpiled, status, { onlyProblems: true });
    const argTypes = exportParamTypes(transpiled, call);

    if (command === 'serve') {
      const port = values.port === undefined ? 8787 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not '${values.port}'`);
      const server = await serveComponent(transpiled, { port, autorun: { call, args, argTypes }, live: true });
      console.log(`serving ${component} on http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop; the page reloads when the file changes)`);
      // Polling: editors and build tools often replace the file rather than write it.
      watchFile(component, { interval: 300 }, (now, before) => {
        if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
        try {
          transpile(component, transpiled.outDir, { name: transpiled.name, wasi: wasiFrom, readable, log: status });
          status(`rebuilt ${component}; reloading the page`);
          server.broadcast('reload');
        } catch (error) {
          const message = error instanceof UsageError ? error.message : String(error?.message ?? error);
          console.error(`wasi-webgpu-shim: ${message}`);
          server.broadcast('build-error', message);
        }
      });
      await new Promise((resolve) => process.once('SIGINT', resolve));
      unwatchFile(component);
      server.close();
      return 0;
    }

    const where = values.browser ?? values.host ?? 'chromium';
    if (!['chromium', 'firefox', 'deno'].includes(where)) throw new UsageError(`--browser is chromium, firefox or deno, not '${where}'`);
    const env = {};
    for (const pair of values.env ?? []) {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`--env takes NAME=VALUE, not '${pair}'`);
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const wasi = { args: [basename(component), ...guestArgs], env };
    const timeout = values.timeout === undefined ? 60_000 : Number(values.timeout) * 1000;
    if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds, not '${values.timeout}'`);
    const onLine = (line) => console.log(line);
    const onErrorLine = (line) => console.error(line);
    // Each distinct uncaptured GPU error is printed when it happens; a
    // broken frame repeats its error every frame, so repeats are counted.
    const gpuErrors = new Map();
    const onGpuError = (error) => {
      const key = `(${error.kind}): ${error.message}`;
      gpuErrors.set(key, (gpuErrors.get(key) ?? 0) + 1);
      if (gpuErrors.get(key) === 1) console.error(`uncaptured GPU error ${key}`);
    };
    if (values['allow-fallback'] && !values.hardware) throw new UsageError('--allow-fallback goes with --hardware');
    const requireHardware = Boolean(values.hardware && !values['allow-fallback']);
    const options = { call, args, argTypes, wasi, timeout, onLine, onErrorLine, onGpuError, onStatus: status, software: !values.hardware, requireHardware };
    const report = where === 'deno' ? await runInDeno(transpiled, options) : await runInBrowser(transpiled, where, options);
    let errorCount = 0;
    for (const [key, count] of gpuErrors) {
      errorCount += count;
      if (count > 1) console.error(`uncaptured GPU error repeated, ${count} times in all: ${key.split('\n')[0]}`);
    }
    const failOnGpuError = values['fail-on-gpu-error'] && errorCount > 0;
    if (failOnGpuError) console.error(`error: ${errorCount} uncaptured GPU error${errorCount === 1 ? '' : 's'} (--fail-on-gpu-error)`);
    if (report.stage === 'exit') {
      status(`the guest exited with code ${report.exitCode}`);
      return failOnGpuError && report.exitCode === 0 ? 1 : report.exitCode;
    }
    if (report.ok) {
      if (report.result !== null) console.log(JSON.stringify(report.result));
      return failOnGpuError ? 1 : 0;
    }
    if (report.stage === 'adapter') {
      console.error(`error: ${report.error}; pass --allow-fallback to run on it anyway`);
      return 3;
    }
    const what = { load: 'the component did not load', export: 'nothing to run', trap: 'the guest trapped', host: 'a host import failed', result: 'the export returned an error', timeout: 'timed out' }[report.stage] ?? 'failed';
    console.error(`error: ${what}: ${report.error}`);
    return report.stage === 'export' ? 2 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function reportImports({ provided, wasi = [], preview2, preview3 = [], missing, wasiOnPreview2 }, status, { onlyProblems = false } = {}) {
  if (!onlyProblems) status(`  provided by wasi-webgpu-shim: ${[...provided, ...wasi].join(', ') || 'nothing'}`);
  if (preview2.length && !onlyProblems) status(`  left to jco's WASI 0.2 shims (@bytecodealliance/preview2-shim): ${preview2.join(', ')}`);
  if (preview3.length && !onlyProblems) status(`  left to jco's WASI 0.3 shims (@bytecodealliance/preview3-shim): ${preview3.join(', ')}`);
  if (wasiOnPreview2) status(`  warning: all its WASI 0.2 stays on @bytecodealliance/preview2-shim, whose stdout closes for good once the guest drops it, because ${wasiOnPreview2}`);
  for (const name of missing) status(`  not provided, so the component will not load unless you map it: ${name} (${providerOf(name)})`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    if (error instanceof UsageError) {
      console.error(`wasi-webgpu-shim: ${error.message}`);
      process.exit(2);
    }
    console.error(`wasi-webgpu-shim: unexpected failure: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
