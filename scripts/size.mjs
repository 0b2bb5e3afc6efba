// `npm run size`: what a page downloads of the package, and what the bytes
// are. Also printed by `npm run bench`, whose summary takes shim-gzip-kb
// from here.
//   node scripts/size.mjs [--top N]
//
// - Files: every file a page loads, found by following the static imports
//   and `new URL(..., import.meta.url)` assets from npm/dist/index.js (what
//   ships, after the build's shrink step), raw and gzipped (zlib level 9).
// - The wasm by section, and its code by Rust module, from the readable
//   build in npm/pkg/, which keeps function names. wasm-bindgen's export
//   wrappers ("<class>_<method> ... shim") hold the method bodies inlined
//   into them, so they form a group of their own.
// - wasm-bindgen's JS by part, from its readable text (npm/pkg/): the
//   import functions, each class, and its helpers.
// - What a page loads to run a component (hello-collatz, the bench guest),
//   as the suites serve it from web-tests/build/ (jco's default import
//   path): the package's files its glue imports, the glue, the prefetch
//   module and the guest's core wasm. `page-gzip-kb` in the bench's
//   summary is all of it for hello-collatz but the core wasm, which is the
//   guest's own code.
// Gzipped figures of a part are the part compressed alone: they show the
// weight of each, they do not add up to the file's. A file's gzipped size
// is what a server that compresses sends for it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { moduleGraph } from './lib/module-graph.mjs';
import { functionSizes, sections } from './lib/wasm-sections.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Every file a page loads from the package as shipped (npm/dist/), raw and gzipped. */
export function shippedFiles(entry = join(root, 'npm/dist/index.js')) {
  return moduleGraph(entry).map((file) => {
    const bytes = readFileSync(file);
    return { file: relative(root, file), raw: bytes.length, gzip: gzip(bytes) };
  });
}

const PACKAGE_NAME = 'wasi-webgpu-shim';

/** The file a bare specifier of the package names, from npm/package.json's exports (the default condition: a page's). */
function packageFile(specifier) {
  const { exports } = JSON.parse(readFileSync(join(root, 'npm/package.json'), 'utf8'));
  const subpath = specifier === PACKAGE_NAME ? '.' : `.${specifier.slice(PACKAGE_NAME.length)}`;
  const target = exports[subpath];
  const file = typeof target === 'string' ? target : target?.default;
  if (!file) throw new Error(`size: ${specifier} is not an export of the package a page can load`);
  return join(root, 'npm', file);
}

/**
 * What a page loads to run `guest` as the suites serve it
 * (web-tests/build/<guest>/): each file with its part (package, glue,
 * prefetch, core wasm), raw and gzipped.
 */
export function pageFiles(guest) {
  const dir = join(root, 'web-tests/build', guest);
  const glue = join(dir, `${guest}.js`);
  if (!existsSync(glue)) throw new Error(`size: no ${relative(root, glue)}: node scripts/build.mjs writes it`);
  const text = readFileSync(glue, 'utf8');
  // Readable (`import { a } from 'x';` a line) or minified (`import{a}from"x";`).
  const specifiers = new Set([...text.matchAll(/(?:^|;)import\s*[^;'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]));
  const packageFiles = new Set();
  for (const specifier of specifiers) {
    if (specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`)) for (const file of moduleGraph(packageFile(specifier))) packageFiles.add(file);
  }
  const rows = [...packageFiles].map((file) => ({ part: 'package', file }));
  for (const file of moduleGraph(glue)) {
    const part = file === glue ? 'glue' : file.endsWith('.prefetch.js') ? 'prefetch' : file.endsWith('.wasm') ? 'core wasm' : 'glue';
    rows.push({ part, file });
  }
  // jco's glue fetches its core modules by names it builds at run time; the prefetch module names them all.
  for (const name of readdirSync(dir).filter((n) => /\.core\d*\.wasm$/.test(n)).sort()) {
    const file = join(dir, name);
    if (!rows.some((row) => row.file === file)) rows.push({ part: 'core wasm', file });
  }
  return rows.map(({ part, file }) => {
    const bytes = readFileSync(file);
    return { part, file: relative(root, file), raw: bytes.length, gzip: gzip(bytes) };
  });
}

const PAGE_PARTS = ['package', 'glue', 'prefetch', 'core wasm'];

/** The lines of what a page loads to run `guest`, and its total gzipped without the core wasm, in KB. */
export function pageReport(guest) {
  const files = pageFiles(guest);
  const lines = [`what a page loads to run ${guest} (web-tests/build/${guest}/, jco's default import path):`];
  for (const part of PAGE_PARTS) {
    const of = files.filter((f) => f.part === part);
    const [raw, gz] = [of.reduce((sum, f) => sum + f.raw, 0), of.reduce((sum, f) => sum + f.gzip, 0)];
    lines.push(`  ${kib(raw).padStart(10)} raw ${kib(gz).padStart(10)} gz  ${part}: ${of.map((f) => basename(f.file)).join(', ')}`);
  }
  const bare = files.filter((f) => f.part !== 'core wasm');
  const gzipBytes = bare.reduce((sum, f) => sum + f.gzip, 0);
  lines.push(`  ${kib(bare.reduce((sum, f) => sum + f.raw, 0)).padStart(10)} raw ${kib(gzipBytes).padStart(10)} gz  all but the core wasm (${(gzipBytes / 1000).toFixed(1)} KB)`);
  return { lines, gzipKb: gzipBytes / 1000 };
}

/** The group a wasm function's code counts under, from its name. */
function groupOf(name) {
  const at = name.indexOf('wasi_webgpu_shim::');
  if (at >= 0) {
    const segments = name.slice(at + 'wasi_webgpu_shim::'.length).split('::');
    const path = [];
    for (const segment of segments) {
      if (path.length === 3 || !/^[a-z][a-z0-9_]*$/.test(segment) || segment.startsWith('__')) break;
      path.push(segment);
    }
    // The last plain segment is the function's own name unless a type or
    // closure followed it.
    if (path.length > 1 && path.length === segments.length - 1) path.pop();
    return `shim ${path.join('::')}`;
  }
  if (/^[a-z0-9]+_[A-Za-z0-9]+( |$)/.test(name)) return 'shim exported methods (wasm-bindgen wrappers, bodies inlined)';
  const crate = name.replace(/^<+/, '').match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? 'other';
  if (crate === 'dlmalloc' || crate.startsWith('__rdl') || crate === '__rustc') return 'allocator (dlmalloc)';
  if (crate.startsWith('function')) return 'unnamed';
  return crate;
}

function wasmReport(shipped, named, top) {
  const lines = [];
  const bySection = new Map();
  for (const section of sections(shipped)) {
    const key = section.id === 0 ? `custom ${section.name}` : section.kind;
    const bytes = shipped.subarray(section.start, section.end);
    const entry = bySection.get(key) ?? { raw: 0, parts: [] };
    entry.raw += bytes.length;
    entry.parts.push(bytes);
    bySection.set(key, entry);
  }
  lines.push('wasm by section (shipped):');
  for (const [kind, { raw, parts }] of [...bySection].sort((a, b) => b[1].raw - a[1].raw)) {
    lines.push(`  ${kind.padEnd(10)} ${kib(raw).padStart(10)} raw ${kib(gzip(Buffer.concat(parts))).padStart(10)} gz alone`);
  }
  const functions = functionSizes(named);
  const groups = new Map();
  for (const fn of functions) {
    // Each group's bodies are compressed alone.
    const body = named.subarray(fn.start, fn.start + fn.size);
    const key = groupOf(fn.name);
    const group = groups.get(key) ?? { raw: 0, bodies: [], functions: [] };
    group.raw += fn.size;
    group.bodies.push(body);
    group.functions.push(fn);
    groups.set(key, group);
  }
  lines.push(`wasm code by Rust module (${functions.length} functions, names from npm/pkg/):`);
  const sorted = [...groups].sort((a, b) => b[1].raw - a[1].raw);
  // Groups under 512 bytes are summed on one line.
  const small = sorted.filter(([, group]) => group.raw < 512);
  for (const [key, group] of sorted.filter(([, group]) => group.raw >= 512)) {
    const biggest = group.functions.sort((a, b) => b.size - a.size)[0];
    lines.push(
      `  ${kib(group.raw).padStart(10)} raw ${kib(gzip(Buffer.concat(group.bodies))).padStart(10)} gz alone  ${key} (${group.functions.length}; biggest ${biggest.size} B ${biggest.name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 80)})`,
    );
  }
  if (small.length) {
    const raw = small.reduce((sum, [, group]) => sum + group.raw, 0);
    const bodies = Buffer.concat(small.flatMap(([, group]) => group.bodies));
    lines.push(`  ${kib(raw).padStart(10)} raw ${kib(gzip(bodies)).padStart(10)} gz alone  ${small.length} smaller groups`);
  }
  lines.push(`largest ${top} functions:`);
  for (const fn of [...functions].sort((a, b) => b.size - a.size).slice(0, top)) {
    lines.push(`  ${String(fn.size).padStart(6)} B  ${fn.name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 110)}`);
  }
  return lines;
}

function jsReport(text) {
  const parts = new Map();
  const add = (key, chunk) => parts.set(key, (parts.get(key) ?? '') + chunk);
  const lines = text.split('\n');
  let current = 'helpers';
  for (const line of lines) {
    const classStart = line.match(/^export class (\w+)/);
    if (classStart) current = `class ${classStart[1]}`;
    else if (/^function __wbg_get_imports\(/.test(line)) current = 'import functions (one per browser method or property the Rust calls)';
    add(current, `${line}\n`);
    if (line === '}' && current !== 'helpers') current = 'helpers';
  }
  const classes = [...parts].filter(([key]) => key.startsWith('class '));
  const rows = [...parts].filter(([key]) => !key.startsWith('class '));
  const classText = classes.map(([, chunk]) => chunk).join('');
  rows.push([`classes (${classes.length}, each method a call into the wasm)`, classText]);
  const out = ["wasm-bindgen's JS by part (readable text, before the shrink step):"];
  for (const [key, chunk] of rows.sort((a, b) => b[1].length - a[1].length)) {
    out.push(`  ${kib(chunk.length).padStart(10)} raw ${kib(gzip(Buffer.from(chunk))).padStart(10)} gz alone  ${key}`);
  }
  return out;
}

/** The guests whose page loads the report counts; the first gives `page-gzip-kb`. */
export const PAGE_GUESTS = ['hello-collatz', 'bench'];

/**
 * The report's lines, the package's total gzipped (`shim-gzip-kb`) and
 * what a page loads to run hello-collatz but its core wasm
 * (`page-gzip-kb`; null when the guests are not built), in KB.
 */
export function sizeReport({ top = 15 } = {}) {
  const files = shippedFiles();
  const lines = ['files a page loads (shipped):'];
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) {
    lines.push(`  ${kib(f.raw).padStart(10)} raw ${kib(f.gzip).padStart(10)} gz  ${f.file}`);
  }
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  const totalRaw = files.reduce((sum, f) => sum + f.raw, 0);
  lines.push(`  ${kib(totalRaw).padStart(10)} raw ${kib(total).padStart(10)} gz  all ${files.length} files (${(total / 1000).toFixed(1)} KB)`);
  try {
    const shipped = readFileSync(join(root, 'npm/dist/pkg/wasi_webgpu_shim_bg.wasm'));
    lines.push(...wasmReport(shipped, readFileSync(join(root, 'npm/pkg/wasi_webgpu_shim_bg.wasm')), top));
    lines.push(...jsReport(readFileSync(join(root, 'npm/pkg/wasi_webgpu_shim.js'), 'utf8')));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    lines.push('(nothing to report: npm/pkg/ and npm/dist/ are written by `node scripts/build.mjs`)');
  }
  let pageGzipKb = null;
  for (const guest of PAGE_GUESTS) {
    if (!existsSync(join(root, 'web-tests/build', guest, `${guest}.js`))) {
      lines.push(`(no ${guest} in web-tests/build/: \`node scripts/build.mjs\` builds the guests)`);
      continue;
    }
    const page = pageReport(guest);
    lines.push(...page.lines);
    if (guest === PAGE_GUESTS[0]) pageGzipKb = page.gzipKb;
  }
  return { lines, gzipKb: total / 1000, pageGzipKb };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--top');
  const { lines } = sizeReport({ top: i > 0 ? Number(process.argv[i + 1]) : 15 });
  console.log(lines.join('\n'));
}
