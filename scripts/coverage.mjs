// The API coverage report: which WIT functions the guests called, per
// browser, from the files web-tests/support/fixtures.ts writes to
// test-results/coverage/ (one JSON array of WIT names per collected page,
// named <browser>-<unique>.json), against web-tests/generated/wit-functions.json
// and the explicit exceptions in web-tests/coverage-exceptions.json.
// Used by scripts/test.mjs; the logic is pure for web-tests/node/checks.test.mjs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const BROWSERS = ['chromium', 'firefox'];
export const COVERAGE_DIR = 'test-results/coverage';
export const EXCEPTIONS_FILE = 'web-tests/coverage-exceptions.json';

/** Map browser name -> Set of WIT names, merged over every file in `dir`. */
export function readRecorded(dir) {
  const recorded = new Map();
  if (!existsSync(dir)) return recorded;
  for (const file of readdirSync(dir).sort()) {
    const match = file.match(/^([a-z]+)-.*\.json$/);
    if (!match) continue;
    const names = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (!recorded.has(match[1])) recorded.set(match[1], new Set());
    for (const name of names) recorded.get(match[1]).add(name);
  }
  return recorded;
}

/** The spec file an `asserted-by` value names: its first word ending in .spec.ts. */
export function assertedByFile(assertedBy) {
  return String(assertedBy).match(/^\s*(\S+\.spec\.ts)\b/)?.[1];
}

/**
 * The report as lines, and its test results: one per browser (passed when
 * every WIT function is called by a guest or excepted for that browser),
 * none when the Playwright run was filtered, plus one failure per invalid
 * exception entry.
 *   witNames:   every WIT function name
 *   exceptions: the parsed coverage-exceptions.json
 *   recorded:   Map browser -> Set of WIT names called by guests
 *   filtered:   the Playwright run was given extra arguments
 *   fileExists: (repository path) -> boolean, for `asserted-by`
 */
export function coverageReport({ witNames, exceptions, recorded, filtered = false, fileExists = () => true, browsers = BROWSERS }) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  const known = new Set(witNames);
  const allBrowsers = [...new Set([...browsers, ...recorded.keys()])];

  // The exceptions file itself.
  const excepted = new Map(allBrowsers.map((b) => [b, new Set()]));
  for (const [name, entry] of Object.entries(exceptions ?? {})) {
    const problems = [];
    if (!known.has(name)) problems.push('is not a WIT function');
    const entryBrowsers = entry?.browsers;
    if (!Array.isArray(entryBrowsers) || entryBrowsers.length === 0) problems.push('has no "browsers" list');
    else for (const b of entryBrowsers) if (!browsers.includes(b)) problems.push(`names an unknown browser "${b}"`);
    if (typeof entry?.reason !== 'string' || !entry.reason.trim()) problems.push('has no "reason"');
    const spec = assertedByFile(entry?.['asserted-by'] ?? '');
    if (!spec) problems.push('"asserted-by" does not start with a web-tests/*.spec.ts file');
    else if (!fileExists(spec)) problems.push(`"asserted-by" names ${spec}, which does not exist`);
    if (problems.length) {
      failed++;
      lines.push(`coverage exception ${name} ${problems.join(', ')}`);
      continue;
    }
    for (const b of entryBrowsers) excepted.get(b)?.add(name);
  }

  const shown = filtered ? allBrowsers.filter((b) => recorded.has(b)) : allBrowsers;
  const covered = new Map(shown.map((b) => [b, witNames.filter((n) => recorded.get(b)?.has(n))]));
  lines.unshift(
    `api coverage: ${shown.map((b) => `${b} ${covered.get(b).length}/${witNames.length}`).join(', ') || 'no data'}${filtered ? ' (filtered run: not counted)' : ''}`,
  );
  for (const b of shown) {
    const calls = recorded.get(b) ?? new Set();
    const uncovered = witNames.filter((n) => !calls.has(n) && !excepted.get(b).has(n));
    for (const name of uncovered) lines.push(`uncovered in ${b}: ${name}`);
    for (const name of witNames) {
      if (calls.has(name) && excepted.get(b).has(name)) lines.push(`warning: stale coverage exception in ${b}: ${name} is called by a guest`);
    }
    if (filtered) continue;
    if (uncovered.length) failed++;
    else passed++;
  }
  return { lines, passed, failed };
}

/** Reads everything from the repository at `root` and reports. */
export function coverageFromFiles(root, { filtered = false } = {}) {
  const witNames = JSON.parse(readFileSync(join(root, 'web-tests/generated/wit-functions.json'), 'utf8'));
  let exceptions = {};
  let broken;
  try {
    exceptions = JSON.parse(readFileSync(join(root, EXCEPTIONS_FILE), 'utf8'));
  } catch (error) {
    broken = `${EXCEPTIONS_FILE}: ${error.message}`;
  }
  let recorded = new Map();
  try {
    recorded = readRecorded(join(root, COVERAGE_DIR));
  } catch (error) {
    broken = [broken, `${COVERAGE_DIR}: ${error.message}`].filter(Boolean).join('\n');
  }
  const report = coverageReport({ witNames, exceptions, recorded, filtered, fileExists: (path) => existsSync(join(root, path)) });
  if (broken) {
    report.lines.push(broken);
    report.failed++;
  }
  return report;
}
