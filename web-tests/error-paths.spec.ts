// Bad input from a guest gets the WIT's error result with the right kind
// and the browser's message, and never traps. The guest runs each case and
// reports [case, kind tag or "ok", message].
import { test, expect, openGuestPage } from './support/fixtures';

const expected: Record<string, string> = {
  'request-device-missing-feature': 'type-error',
  'request-device-limit-too-high': 'operation-error',
  'map-async-without-usage': 'operation-error',
  'get-mapped-range-unmapped': 'operation-error',
  'map-async-first-half': 'ok',
  'get-mapped-range-outside': 'operation-error',
  // WebGPU refuses a second getMappedRange over the same bytes; the
  // with-copy read serves it from the range already taken.
  'get-mapped-range-twice': 'ok',
  'get-mapped-range-misaligned-inside-held': 'operation-error',
  'unmap-mapped': 'ok',
  // WebGPU: unmapping an unmapped buffer does nothing.
  'unmap-unmapped': 'ok',
  // Checked below: jco may run an async import to completion before the
  // guest's first poll returns, so the guest reports which state it saw.
  'map-async-aborted-by-unmap': 'see below',
  'map-state-while-pending': 'see below',
  'get-mapped-range-misaligned': 'operation-error',
  'set-mapped-range-too-long': 'range-error',
  'pop-error-scope-empty': 'operation-error',
  'write-buffer-data-offset-past-end': 'operation-error',
  'set-bind-group-offsets-out-of-range': 'range-error',
  'create-compute-pipeline-async-bad-shader': 'gpu-pipeline-error:validation',
  'error-scope-bad-shader': 'validation-error',
  'create-query-set-timestamp-without-feature': 'type-error',
  'still-running': 'ok',
};

// Words the browser's own message contains, to show it is passed through.
const messageMentions: Record<string, RegExp> = {
  'request-device-missing-feature': /feature/i,
  'request-device-limit-too-high': /maxBufferSize|limit/i,
  'map-async-without-usage': /usage|MapRead/i,
  'get-mapped-range-outside': /range|getMappedRange/i,
  'pop-error-scope-empty': /scope|stack/i,
  'create-query-set-timestamp-without-feature': /timestamp/i,
  'set-bind-group-offsets-out-of-range': /dynamicOffsetsData/i,
  'error-scope-bad-shader': /u32|abstract|float|pars/i,
};

let report: [string, string, string][] = [];

test.beforeAll(async ({ browser }, testInfo) => {
  const server = await import('./support/server.mjs').then((m) => m.serve(0));
  const page = await browser.newPage();
  await openGuestPage(page, `http://127.0.0.1:${(server.address() as any).port}`);
  report = await page.evaluate(async () => {
    const guest = await (window as any).loadGuest('compute-matmul');
    return guest.errorPaths();
  });
  await page.close();
  server.close();
  testInfo.attach('report', { body: JSON.stringify(report, null, 1), contentType: 'application/json' });
});

test('every case ran, and no other', () => {
  expect(report.map(([name]) => name).sort()).toEqual(Object.keys(expected).sort());
});

test('unmap during a pending map-async: the map gets abort-error', () => {
  const state = report.find(([name]) => name === 'map-state-while-pending')?.[1];
  const [, kind, message] = report.find(([name]) => name === 'map-async-aborted-by-unmap') ?? [];
  expect(['pending', 'mapped']).toContain(state);
  // Pending when unmapped: aborted. Already mapped: the map had succeeded.
  expect(kind, message).toBe(state === 'pending' ? 'abort-error' : 'ok');
});

for (const [name, kind] of Object.entries(expected)) {
  if (kind === 'see below') continue;
  test(`${name} -> ${kind}`, () => {
    const row = report.find(([caseName]) => caseName === name);
    expect(row, `case ${name} missing from the guest's report`).toBeDefined();
    const [, gotKind, message] = row!;
    expect(gotKind, message).toBe(kind);
    if (kind !== 'ok' && kind !== 'pending') expect(message.length).toBeGreaterThan(0);
    if (messageMentions[name]) expect(message).toMatch(messageMentions[name]);
  });
}
