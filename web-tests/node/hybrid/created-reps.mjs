// Measures what jco 1.35.0's `_createdReps` costs, on jco's own code: the
// table functions (rscTableCreateOwn, rscTableRemove) are taken verbatim from
// a transpiled component and driven the way the glue drives them for a host
// resource a guest creates and drops (a command encoder, a render pass, a
// texture view per frame...): create an own handle for a fresh rep, then
// remove it. The table array itself stays two slots long (the free list
// reuses the slot); only `_createdReps` grows.
//
// Usage: node --expose-gc created-reps.mjs <jco default output .js>

import { readFileSync } from 'node:fs';
import { addCabiLowerHooks } from '../../../npm/cli/hybrid.js';

const file = process.argv[2];
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const original = readFileSync(file, 'utf8');
const fixed = addCabiLowerHooks(original, { fixCreatedReps: true }).source;

/** jco's T_FLAG, RESOURCE_SCOPE_TASKS, rscTableCreateOwn and rscTableRemove, as text. */
function tableFunctions(source) {
  const pick = (re, what) => {
    const m = re.exec(source);
    if (!m) throw new Error(`${what} not found in ${file}`);
    return m[0];
  };
  return [
    pick(/^const T_FLAG = 1 << 30;$/m, 'T_FLAG'),
    'const RESOURCE_SCOPE_TASKS = new Map();',
    'const WebAssemblyRuntimeError = WebAssembly.RuntimeError;',
    pick(/^function rscTableCreateOwn\(table, rep\) \{\n[\s\S]*?\n\}$/m, 'rscTableCreateOwn'),
    pick(/^function rscTableRemove\(table, handle\) \{\n[\s\S]*?\n\}$/m, 'rscTableRemove'),
    'return { T_FLAG, rscTableCreateOwn, rscTableRemove };',
  ].join('\n');
}

function measure(source, n) {
  const { T_FLAG, rscTableCreateOwn, rscTableRemove } = new Function(tableFunctions(source))();
  const table = [T_FLAG, 0];
  table._createdReps = new Set();
  let captureCnt = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) {
    // `ret[symbolRscRep] || ++captureCntN`: a fresh rep per host object.
    const handle = rscTableCreateOwn(table, ++captureCnt);
    rscTableRemove(table, handle);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  return { bytesPerResource: grown / n, setSize: table._createdReps.size, tableLength: table.length, keep: table };
}

const N = 1_000_000;
const a = measure(original, N);
const b = measure(fixed, N);
const fmt = (r) => `${(Math.round(r.bytesPerResource * 10) / 10 || 0).toFixed(1)} bytes/resource retained, _createdReps.size ${r.setSize}, table length ${r.tableLength}`;
console.log(`${'_createdReps, jco 1.35.0 as is'.padEnd(38)} ${fmt(a)} (after ${N} create+drop)`);
console.log(`${'_createdReps, fixCreatedReps'.padEnd(38)} ${fmt(b)}`);
if (b.setSize !== 0 || b.bytesPerResource > 1 || a.setSize !== N) {
  console.error('unexpected measurement');
  process.exit(1);
}
