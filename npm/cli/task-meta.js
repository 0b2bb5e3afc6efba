// A step over jco 1.35.0's output (default and hybrid glue alike) that
// fixes a race in its async runtime, seen as a guest trapping with
// "cannot block a synchronous task before returning" about once in 80
// runs of the robustness fuzz (web-tests/robustness.spec.ts).
//
// jco keeps the running task of each component instance in
// CURRENT_TASK_META. `_withGlobalCurrentTaskMetaAsync` sets it, awaits its
// `fn` and then sets it to null, whoever set it meanwhile. It wraps every
// async host import (the shim's getCompilationInfo, mapAsync, popErrorScope
// ...), so when such an import settles while the guest's task is suspended
// in another import, the finally clears the guest task's entry after
// `_suspendingImport` has put it back; the guest resumes with no current
// task, and its next suspending import (subtask.cancel, pop-error-scope)
// traps. Measured with the glue instrumented: the entry was cleared by
// `() => importFn(...params)` at jco's `_lowerImport`.
//
// The fix: each call clears the entry only if it still holds the object
// that call set. Nothing else in the glue changes.

const HEADER = /\n([ \t]*)async function _withGlobalCurrentTaskMetaAsync\(args\) \{\n/;

const SET = /(\n[ \t]*)try \{(\n\s*)CURRENT_TASK_META\.current =(\n\s*)CURRENT_TASK_META\[componentIdx\] = \{ taskID, componentIdx \};(\n\s*)return await fn\(\);/;

const CLEAR = /\} finally \{(\n\s*)CURRENT_TASK_META\[componentIdx\] = null;(\n\s*)if \(CURRENT_TASK_META\.current\?\.taskID === taskID\) \{(\n\s*)CURRENT_TASK_META\.current = null;(\n\s*)\}/;

/** Thrown when the glue has the function but not as jco 1.35.0 writes it. */
export class TaskMetaError extends Error {
  constructor(what) {
    super(`jco's _withGlobalCurrentTaskMetaAsync is not as jco 1.35.0 writes it (${what}); nothing was patched.`);
    this.name = 'TaskMetaError';
  }
}

/**
 * Where jco's `_withGlobalCurrentTaskMetaAsync` is in `source`: its header
 * and its body (from after the header's `{` to before its closing `}`), or
 * null when the glue has no async runtime (a guest without async calls).
 * @returns {{header: number, start: number, end: number} | null}
 */
export function wrapperIn(source) {
  const header = HEADER.exec(source);
  if (header === null) return null;
  const start = header.index + header[0].length;
  const end = source.indexOf(`\n${header[1]}}\n`, start);
  if (end < 0) throw new TaskMetaError('no closing brace');
  return { header: header.index + 1, start, end };
}

/**
 * @param {string} source jco's main .js file
 * @returns {{source: string, fixed: number}} fixed: 1 if the function was
 *   patched, 0 if the glue has no async runtime
 */
export function keepOthersCurrentTask(source) {
  const at = wrapperIn(source);
  if (at === null) return { source, fixed: 0 };
  let body = source.slice(at.start, at.end);
  if (!SET.test(body)) throw new TaskMetaError('where it sets the current task');
  if (!CLEAR.test(body)) throw new TaskMetaError('where it clears the current task');
  body = body.replace(SET, (_, a, b, c, d) => `${a}const ownMeta = { taskID, componentIdx };${a}try {${b}CURRENT_TASK_META.current =${c}CURRENT_TASK_META[componentIdx] = ownMeta;${d}return await fn();`);
  body = body.replace(CLEAR, (_, a, b, c, d) => `} finally {${a}if (CURRENT_TASK_META[componentIdx] === ownMeta) {${a}  CURRENT_TASK_META[componentIdx] = null;${a}}${b}if (CURRENT_TASK_META.current === ownMeta) {${c}CURRENT_TASK_META.current = null;${d}}`);
  return { source: source.slice(0, at.start) + body + source.slice(at.end), fixed: 1 };
}
