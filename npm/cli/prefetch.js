// A step over jco 1.35.0's output: the component's core modules start
// downloading and compiling when the page imports the glue, not after the
// packages the glue imports have loaded.
//
// jco's glue fetches and compiles its core modules (`fetchCompile(new
// URL('./x.core.wasm', import.meta.url))`) in its own body, which runs only
// once every module it imports has finished, and wasi-webgpu-shim's entry
// holds importers with a top-level await until its wasm is instantiated.
// So without this step the guest's core modules wait for the shim's wasm:
// two downloads and compiles in a row. The step writes `<name>.prefetch.js`,
// a module the glue imports first (dependencies run in the order they are
// imported), which starts every core module's fetch and compile at once;
// the glue then takes those promises where it would have fetched. The
// shim's wasm and the guest's core modules download and compile together.

const FETCH_COMPILE = /fetchCompile\(new URL\('(\.\/[^']+\.wasm)', import\.meta\.url\)\)/g;
const BINDING = '$prefetchedCoreModules';

/**
 * jco's main file `glue`, with its core modules taken from
 * `./<name>.prefetch.js`, and that module's text; `prefetch` is null when
 * the glue fetches no core module (`--instantiation async`, where the
 * caller hands them over).
 * @returns {{ source: string, prefetch: string | null }}
 */
export function prefetchCoreModules(glue, name) {
  const files = [...new Set([...glue.matchAll(FETCH_COMPILE)].map((match) => match[1]))];
  if (files.length === 0) return { source: glue, prefetch: null };
  const source = glue.replace(FETCH_COMPILE, (call, file) => `(${BINDING}[${JSON.stringify(file)}] ?? ${call})`);
  const importLine = `import { coreModules as ${BINDING} } from './${name}.prefetch.js';\n`;
  // After jco's leading "use components" line, before its first import.
  const directive = source.match(/^"use components";\n/);
  const at = directive ? directive[0].length : 0;
  return { source: `${source.slice(0, at)}${importLine}${source.slice(at)}`, prefetch: prefetchModule(name, files) };
}

// Each URL is written out (\`new URL('./x.core.wasm', import.meta.url)\`),
// as in jco's glue, so bundlers see and emit the file.
function prefetchModule(name, files) {
  return `// Written by wasi-webgpu-shim's transpile: starts fetching and compiling
// ${name}'s core modules as soon as the page imports ${name}.js, while the
// packages it imports load; ${name}.js takes them from here. Where jco's
// glue would read them from disk instead (Node), it is left to do so.
const isNode = typeof process !== 'undefined' && process.versions && process.versions.node;

function start(url) {
  if (isNode || typeof fetch !== 'function') return undefined;
  const compiled = fetch(url).then(WebAssembly.compileStreaming);
  // A failure is reported where ${name}.js awaits it, not as unhandled here.
  compiled.catch(() => {});
  return compiled;
}

export const coreModules = {
${files.map((file) => `  ${JSON.stringify(file)}: start(new URL('${file}', import.meta.url)),`).join('\n')}
};
`;
}
