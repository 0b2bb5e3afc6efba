// The files a page loads from a module: its static imports and exports,
// the modules it imports with `import('...')`, and the assets it fetches with `new URL(..., import.meta.url)`, followed
// from file to file. Relative specifiers only: a bare one is another
// package's.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Quotes of any kind: the minifier writes `...` for some literals.
const STATIC_IMPORT = /(?:^|[\s;}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'`]([^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g;
const ASSET = /new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g;

/** Absolute paths of `entry` and every file it loads, entry first. */
export function moduleGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(file, 'utf8');
    for (const match of [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT), ...text.matchAll(ASSET)]) {
      if (match[1].startsWith('.')) visit(fileURLToPath(new URL(match[1], pathToFileURL(file))));
    }
  };
  visit(entry);
  return [...seen];
}
