// The readable text of a glue `transpile` wrote: by default the glue is
// minified (npm/cli/minify.js) and its readable text, what every step over
// jco's output produced, is the source map's sourcesContent.
import { existsSync, readFileSync } from 'node:fs';
import { readableFromMap } from '../../npm/cli/minify.js';

/** `file`'s readable text: from `file.map` when the glue was minified, else the file itself. */
export function readableGlue(file) {
  const map = `${file}.map`;
  return existsSync(map) ? readableFromMap(readFileSync(map, 'utf8')) : readFileSync(file, 'utf8');
}
