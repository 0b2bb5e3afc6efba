// The raw (cabiLower) bindings of npm/generated/raw-bindings.js: which path a guest's
// hot calls take in each project, and what every raw binding does with bad
// core arguments. The bad-input cases are derived from
// generated/raw-abi.json, which the generator writes from the WIT, so a new raw binding is covered here the
// day it is generated.
import { test, expect } from './support/fixtures';

test('hot calls run raw under --import-bindings hybrid and through jco\'s glue otherwise', async ({ guestPage, bindings }) => {
  const got = await guestPage.evaluate(async () => {
    const guest = await (window as any).loadGuest('render-offscreen');
    const rows: [string, string][] = await guest.apiChecks();
    const { loweredFunctions } = await import('/npm/dist/index.js' as string);
    return { lowered: loweredFunctions() as string[], outcomes: rows.filter(([k]) => k.endsWith('-outcome')).map(([, v]) => v) };
  });
  expect(got.outcomes.length).toBeGreaterThan(0);
  for (const outcome of got.outcomes) expect(outcome).toBe('ok');
  if (bindings === 'hybrid') {
    for (const name of [
      '[method]gpu-render-pass-encoder.draw',
      '[method]gpu-render-pass-encoder.set-pipeline',
      '[method]gpu-render-pass-encoder.end',
      '[method]gpu-command-encoder.begin-render-pass',
      '[method]gpu-queue.submit',
      '[method]gpu-queue.write-buffer-with-copy',
    ]) {
      expect(got.lowered).toContain(name);
    }
  } else {
    expect(got.lowered).toEqual([]);
  }
});

type Outcome = { name: string; case: string; error: string };

// Twice: as jco's glue lowers them without the package's transpile step,
// and with it (`wasiWebgpuRecorder: 1`), where the pass commands the recorder
// holds back are its wasm functions (npm/recorder.js): bad input must fail
// at the same call, with the same error.
for (const recorder of [false, true]) test(`every raw binding traps on a bad handle, discriminant, pointer or list, as the canonical ABI says${recorder ? ', held back by the recorder or not' : ''}`, async ({ guestPage }) => {
  const result = await guestPage.evaluate(async (recorder) => {
    const shim = await (window as any).loadShim();
    const RAW_ABI = await fetch('/web-tests/generated/raw-abi.json').then((r) => r.json());
    const { newTable, put, free, guestMemory } = await import('/web-tests/pages/jco-tables.js' as string);
    const LOWER = Symbol.for('cabiLower');
    const outcomes: Outcome[] = [];
    const functions = Object.keys(RAW_ABI).length;

    const classOf = (name: string) => {
      const [, resource, method] = name.match(/^\[method\]([a-z0-9-]+)\.([a-z0-9-]+)$/)!;
      const pascal = (s: string) => s.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
      const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
      return { Class: shim[pascal(resource)], method: camel(method) };
    };
    const describe = (e: any) => (e === undefined ? 'none' : `${e?.constructor?.name}: ${e?.message ?? e}`);

    for (const [name, { args: kinds, classes }] of Object.entries(RAW_ABI) as [string, { args: string[]; classes: string[] }][]) {
      const { Class, method } = classOf(name);
      // Stand-ins registered like the shim's objects: enough to resolve
      // handles; a call that gets past the checks fails inside the method.
      const tables = new Map<string, any[]>();
      for (const c of classes) {
        const table = newTable();
        // Two entries of this class, one stale (freed like jco frees it).
        put(table, Object.create(shim[c].prototype));
        const stale = put(table, Object.create(shim[c].prototype));
        free(table, stale);
        table[2 * stale + 1] = 0;
        tables.set(c, table);
      }
      // A foreign table whose handle 5 is live: in these tables, 5 is nothing.
      const foreign = 5;
      const { memory, realloc } = guestMemory();
      // jco's order of tables is its own: reversed here, so the runtime must
      // tell them apart by what they hold.
      const raw = Class.prototype[method][LOWER]({ ...(recorder && { wasiWebgpuRecorder: 1 }), memory, realloc, resourceTables: [...tables.values()].reverse() });

      const valid = kinds.map((k) => {
        if (k.startsWith('handle ')) return 1;
        if (k === 'value i64') return 0n;
        if (k.startsWith('list ')) return Number(k.split(' ')[2]) * 16;
        if (k.startsWith('params ') || k.startsWith('ret ')) return 512;
        return 0;
      });
      const call = (args: any[]) => {
        try {
          raw(...args);
          return undefined;
        } catch (e) {
          return e;
        }
      };
      const record = (c: string, args: any[]) => outcomes.push({ name, case: c, error: describe(call(args)) });
      // A parameter block at 512 names the receiver (handle 1) first; its
      // other fields stay zero (resources inside records then name handle 0).
      new DataView(memory.buffer).setInt32(512, 1, true);
      // Every option some (with a valid payload): then every payload is read.
      const some = kinds.map((k, j) => (k === 'option' ? 1 : valid[j]));
      record('valid', valid);
      record('valid', some);
      kinds.forEach((k, i) => {
        const withArg = (value: any) => some.map((v, j) => (j === i ? value : v));
        if (k.startsWith('handle ')) {
          record(`arg ${i}: handle 0`, withArg(0));
          record(`arg ${i}: stale handle`, withArg(2));
          record(`arg ${i}: foreign handle`, withArg(foreign));
          record(`arg ${i}: negative handle`, withArg(-1));
        } else if (k === 'option' || k.startsWith('enum ')) {
          record(`arg ${i}: discriminant out of range`, withArg(k === 'option' ? 2 : Number(k.split(' ')[1])));
        } else if (k.startsWith('list ')) {
          // Aligned, starting inside memory, ending past it.
          const align = Number(k.split(' ')[2]);
          const outside = withArg(memory.buffer.byteLength - align);
          outside[i + 1] = 2;
          record(`arg ${i}: list out of bounds`, outside);
          if (align > 1) {
            const misaligned = withArg(513);
            misaligned[i + 1] = 1;
            record(`arg ${i}: misaligned list`, misaligned);
          }
        } else if (k.startsWith('params ') || k.startsWith('ret ')) {
          record(`arg ${i}: pointer out of bounds`, withArg(memory.buffer.byteLength));
          if (Number(k.split(' ')[1]) > 1) record(`arg ${i}: misaligned pointer`, withArg(513));
          // Zeroed memory: the params' first handle is 0.
          if (k.startsWith('params ')) record(`arg ${i}: params naming handle 0`, withArg(2048));
        }
      });
    }
    return { functions, outcomes, held: shim.recorderStats().recordedImports };
  }, recorder);
  // The recorder took the 24 pass commands it holds (not end) in its variant only.
  if (recorder) expect(result.held).toBeGreaterThanOrEqual(24);

  expect(result.functions).toBeGreaterThanOrEqual(40);
  for (const { name, case: c, error } of result.outcomes) {
    if (c === 'valid') {
      // Past every check on the flat arguments: the stand-in object fails
      // inside the shim's method (wasm-bindgen has no pointer for it), or the
      // call succeeds, or a zeroed record field names handle 0.
      expect(error, `${name} ${c}`).not.toMatch(/unknown handle index [1-9]|out of bounds|misaligned|invalid (variant )?discriminant/);
      continue;
    }
    const want =
      c.includes('handle') ? /^RuntimeError: unknown handle index/
      : c.includes('discriminant') ? /^TypeError: invalid (variant )?discriminant/
      : c.includes('misaligned') ? /^RuntimeError: misaligned pointer/
      : /^RuntimeError: out of bounds/;
    expect(error, `${name} ${c}`).toMatch(want);
  }
  // Every kind of bad input was tried somewhere.
  const cases = new Set(result.outcomes.map((o) => o.case.replace(/^arg \d+: /, '')));
  for (const c of ['stale handle', 'foreign handle', 'discriminant out of range', 'list out of bounds', 'misaligned list', 'pointer out of bounds', 'params naming handle 0']) {
    expect(cases).toContain(c);
  }
});
