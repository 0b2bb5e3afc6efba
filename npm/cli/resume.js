// A step over jco 1.35.0's output (default and hybrid glue alike): a guest
// waiting on an async import (map-async, on-submitted-work-done,
// request-adapter, ...) resumes as soon as the import settles, instead of
// after timers a browser clamps.
//
// jco's async runtime moves on through zero-delay timeouts. `_lowerImport`
// hands an async-lowered import's first state back to the guest after a
// `setTimeout(0)`; `ComponentAsyncState#runTickLoop`, which resumes
// suspended tasks, starts after `setTimeout(10)` and, while a task is
// waiting, polls every 10 ms (`setTimeout(0)` right after a resumption).
// Browsers clamp a timeout nested five deep to 4 ms, and these timeouts
// nest: a 4 KiB readback cost about 4 ms of a guest's time where the GPU
// answered in 0.27 ms (docs/performance.md).
//
// The step:
//   - gives the glue `_wasiWebgpuNextTask(fn)`: a macrotask that is never
//     clamped, a MessageChannel message, in pages, workers, Node and Deno
//     (whose nested zero timeouts are clamped too); the port is closed
//     whenever nothing waits on it, so it keeps no process alive;
//   - has `_lowerImport` hand back the first state on that next task (jco's
//     own comment: either order of that task and the import's settling is
//     legal, and the code handles both);
//   - has `runTickLoop` start on the next task and re-tick on the next task
//     after a resumption; while waiting it still polls every 10 ms, but a
//     call to `runTickLoop` (jco makes one whenever a host operation
//     settles, a task is cancelled or the store traps) ends the wait at once.
// Anything else in the glue stays as jco wrote it. A glue whose text is not
// jco 1.35.0's is refused whole: nothing is patched.

/** Thrown when the glue has jco's async runtime but not as jco 1.35.0 writes it. */
export class ResumeError extends Error {
  constructor(what) {
    super(`jco's async runtime is not as jco 1.35.0 writes it (${what}); nothing was patched.`);
    this.name = 'ResumeError';
  }
}

// The loop's first lines, jco's in both the anchor and its replacement.
const TICK_LOOP_HEAD = `        let result = this.tick();
        while (result !== ComponentAsyncState.TickResult.DONE) {
          if (result === ComponentAsyncState.TickResult.IDLE) {
            _checkForDeadlock();
          }
`;

const TICK_LOOP = `    async runTickLoop() {
      if (this.#tickLoop !== null) { return; }
      this.#tickLoop = 1;
      setTimeout(async () => {
${TICK_LOOP_HEAD}          // After resuming a task, re-tick as soon as the resumed
          // slice's microtask continuations have drained (timeout 0)
          // so queued sibling resumptions aren't charged the idle
          // polling interval; otherwise poll at the idle cadence.
          const delay = result === ComponentAsyncState.TickResult.RESUMED ? 0 : 10;
          await new Promise((resolve) => setTimeout(resolve, delay));
          result = this.tick();
        }
        this.#tickLoop = null;
      }, 10);
    }
`;

const TICK_LOOP_PATCHED = `    async runTickLoop() {
      // wasi-webgpu-shim (npm/cli/resume.js): a call while the loop waits
      // idle ends the wait; ticks follow on the next task, never clamped.
      if (this.#tickLoop !== null) { this._wasiWebgpuWake?.(); return; }
      this.#tickLoop = 1;
      _wasiWebgpuNextTask(async () => {
${TICK_LOOP_HEAD}          if (result === ComponentAsyncState.TickResult.RESUMED) {
            await new Promise((resolve) => _wasiWebgpuNextTask(resolve));
          } else {
            await new Promise((resolve) => {
              const timer = setTimeout(() => this._wasiWebgpuWake(), 10);
              this._wasiWebgpuWake = () => {
                clearTimeout(timer);
                this._wasiWebgpuWake = null;
                resolve();
              };
            });
          }
          result = this.tick();
        }
        this.#tickLoop = null;
      });
    }
`;

/** `_lowerImport`'s hand-back of an async-lowered import's first state. */
const HAND_BACK_START = `  return new Promise((resolve, reject) => {
    setTimeout(() => {
      // NOTE: whether the import settled before this timer fires is a race
`;
const HAND_BACK_END = `
    }, 0);
  });
}
`;
const HAND_BACK_END_PATCHED = `
    });
  });
}
`;

const NEXT_TASK = `
// wasi-webgpu-shim (npm/cli/resume.js): the next macrotask, unclamped: a
// MessageChannel message, in order. The port is closed whenever its queue
// is empty, so an idle one keeps no Node or Deno process alive (Deno clamps
// nested zero timeouts as browsers do). setTimeout(0) where there is no
// MessageChannel. A function declaration: hoisted, so callable wherever
// the runtime is.
function _wasiWebgpuNextTask(fn) {
  const next = _wasiWebgpuNextTask;
  if (typeof MessageChannel !== 'function') {
    setTimeout(fn, 0);
    return;
  }
  next.queue ??= [];
  next.queue.push(fn);
  if (!next.port) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const run = next.queue.shift();
      if (next.queue.length === 0) {
        channel.port1.close();
        next.port = null;
      }
      run();
    };
    next.port = channel.port2;
  }
  next.port.postMessage(null);
}
`;

function count(source, text) {
  let n = 0;
  for (let at = source.indexOf(text); at >= 0; at = source.indexOf(text, at + text.length)) n++;
  return n;
}

/** `text` (written at jco's default-mode indentation) at `extra` more: instantiation mode nests the whole glue one level deeper. */
const indented = (text, extra) => text.replace(/^(?=.)/gm, extra);

/**
 * @param {string} source jco's main .js file
 * @returns {{source: string, fixed: number}} fixed: 1 if the runtime was
 *   patched, 0 if the glue has no async runtime
 */
export function resumeUnclamped(source) {
  const loopAt = /^( *)async runTickLoop\(\) \{$/m.exec(source);
  const lowerAt = /^( *)async function _lowerImport\(args\) \{$/m.exec(source);
  if (!loopAt && !lowerAt) return { source, fixed: 0 };
  // A glue whose imports are all lowered synchronously (streams and futures
  // only, as frame-buffer guests have) has the tick loop without
  // `_lowerImport`: only the loop is patched.
  if (!loopAt) throw new ResumeError('no runTickLoop');
  if (source.includes('_wasiWebgpuNextTask')) throw new ResumeError('already patched');
  if (!loopAt[1].startsWith('    ')) throw new ResumeError('ComponentAsyncState#runTickLoop');
  const extra = loopAt[1].slice(4);
  const tickLoop = indented(TICK_LOOP, extra);
  if ((lowerAt && lowerAt[1] !== extra) || count(source, tickLoop) !== 1) throw new ResumeError('ComponentAsyncState#runTickLoop');
  let patched = source;
  if (lowerAt) {
    const [handBackStart, handBackEnd] = [indented(HAND_BACK_START, extra), indented(HAND_BACK_END, extra)];
    const start = source.indexOf(handBackStart, lowerAt.index);
    if (start < 0 || count(source, handBackStart) !== 1) throw new ResumeError("_lowerImport's hand-back timer");
    const end = source.indexOf(handBackEnd, start);
    if (end < 0) throw new ResumeError("the end of _lowerImport's hand-back timer");
    const handBack = source.slice(start, end + handBackEnd.length)
      .replace(`\n${extra}    setTimeout(() => {\n`, `\n${extra}    _wasiWebgpuNextTask(() => {\n`)
      .replace(handBackEnd, indented(HAND_BACK_END_PATCHED, extra));
    patched = source.slice(0, start) + handBack + source.slice(end + handBackEnd.length);
  }
  patched = patched.replace(tickLoop, indented(TICK_LOOP_PATCHED, extra));
  // Beside _lowerImport (or the loop's class), at its indentation: in
  // instantiation mode the runtime lives inside \`instantiate\`.
  // (jco writes the class two spaces in.)
  const besides = lowerAt ? `async function _lowerImport\\(args\\) \\{` : ` *class ComponentAsyncState \\{`;
  const at = patched.search(new RegExp(`^${extra}${besides}$`, 'm'));
  if (at < 0) throw new ResumeError('class ComponentAsyncState');
  return { source: patched.slice(0, at) + indented(NEXT_TASK.trimStart(), extra) + '\n' + patched.slice(at), fixed: 1 };
}
