// The last step over jco's output: the glue a page loads is minified, with a
// source map beside it that holds the readable text.
//
// `transpile` writes the glue that users ship as is (a page that imports it
// from a CDN or a static server gets no bundler's minifier), and most of it
// is jco's component-model runtime, written again into every guest's file:
// for hello-collatz 416 KB raw and 58 KB gzipped readable, 202 KB and 36 KB
// minified. The minifier is rolldown's (oxc), the one jco itself depends
// on and Vite bundles with, pinned by the package.
//
// It runs after every other step (hybrid.js, host-errors.js, task-meta.js,
// resume.js, prefetch.js), which match jco's own text: those steps keep
// their anchored patterns over jco's readable output, and the minifier only
// sees their result. Exports keep their names (the module's interface), and
// so do the URLs bundlers look for (`new URL('./x.core.wasm',
// import.meta.url)`, checked below; oxc writes the string as a template
// literal, which is put back in quotes, a change of the same length, so
// the map still holds). `readable: true` (`--readable`) skips
// the step, for reading or patching the glue by hand; the map's
// sourcesContent is the same readable text.
import { minifySync } from 'rolldown/utils';

const CORE_URL = /new URL\((['"`])(\.\/[^'"`$]+\.wasm)\1, ?import\.meta\.url\)/g;

/** The core wasm URLs a glue names, in order: a bundler must still find each after minifying. */
function coreUrls(glue) {
  return [...glue.matchAll(CORE_URL)].map((match) => match[2]);
}

/**
 * `glue` (the text of `<file>`, an ES module) minified, ending in a
 * sourceMappingURL comment naming `<file>.map`, and that map (JSON text).
 * Throws when the minifier reports an error or loses a core module URL:
 * shipping a glue that differs from what was checked is worse than a
 * failed transpile.
 * @returns {{ code: string, map: string }}
 */
export function minifyGlue(glue, file) {
  const result = minifySync(file, glue, { compress: true, mangle: true, module: true, sourcemap: true });
  if (result.errors.length) throw new Error(`wasi-webgpu-shim: minifying ${file} failed: ${result.errors[0].message}`);
  const code = result.code.replace(CORE_URL, (_call, _quote, url) => `new URL(${JSON.stringify(url)},import.meta.url)`);
  const before = coreUrls(glue).sort().join(' ');
  const after = coreUrls(code).sort().join(' ');
  if (before !== after) throw new Error(`wasi-webgpu-shim: minifying ${file} changed its core module URLs (${before || 'none'} became ${after || 'none'})`);
  const map = { ...result.map, file, sources: [file] };
  return { code: `${code.replace(/\n?$/, '\n')}//# sourceMappingURL=${file}.map\n`, map: JSON.stringify(map) };
}

/** The readable text behind a glue `minifyGlue` wrote, from its map (sourcesContent), given the map's JSON text. */
export function readableFromMap(mapText) {
  const map = JSON.parse(mapText);
  const [text] = map.sourcesContent ?? [];
  if (typeof text !== 'string') throw new Error('wasi-webgpu-shim: the source map holds no readable glue (no sourcesContent)');
  return text;
}
