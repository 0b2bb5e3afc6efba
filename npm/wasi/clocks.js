// wasi:clocks 0.2 (monotonic-clock, wall-clock) and 0.3 (monotonic-clock,
// system-clock) for the package's own WASI. The monotonic clock is
// performance.now(); browsers coarsen it, so its resolution is given as
// the coarsest they use, a millisecond.

import { Pollable } from './io.js';

const RESOLUTION_NS = 1_000_000n;
const nowMs = () => performance.now();
const msOf = (ns) => Number(BigInt(ns)) / 1e6;
// setTimeout takes at most 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 0x7fffffff;

function sleepUntil(deadline) {
  return new Promise((resolve) => {
    const next = () => {
      const left = deadline - nowMs();
      if (left <= 0) return resolve();
      setTimeout(next, Math.min(Math.ceil(left), MAX_TIMEOUT_MS));
      return undefined;
    };
    next();
  });
}

/** A datetime (0.2) or instant (0.3) from Date.now(). */
function epochTime() {
  const ms = Date.now();
  return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: Math.floor(ms % 1000) * 1_000_000 };
}

export const clocks = {
  monotonicClock: {
    now: () => BigInt(Math.floor(nowMs() * 1e6)),
    resolution: () => RESOLUTION_NS,
    getResolution: () => RESOLUTION_NS,
    // 0.2: pollables; 0.3: async functions.
    subscribeInstant: (when) => new Pollable(msOf(when)),
    subscribeDuration: (duration) => new Pollable(nowMs() + msOf(duration)),
    waitUntil: (when) => sleepUntil(msOf(when)),
    waitFor: (duration) => sleepUntil(nowMs() + msOf(duration)),
  },
  wallClock: {
    now: epochTime,
    resolution: () => ({ seconds: 0n, nanoseconds: Number(RESOLUTION_NS) }),
  },
  systemClock: {
    now: epochTime,
    getResolution: () => RESOLUTION_NS,
  },
};
