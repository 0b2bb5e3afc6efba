// wasi:random 0.2 and 0.3 for the package's own WASI, on
// crypto.getRandomValues (which is also what "insecure" gets).

import { CHUNK } from './io.js';

// crypto.getRandomValues fills at most 65536 bytes a call.
const FILL = 65536;

/** `len` random bytes; at most 16 MiB a call (the WIT lets a host give fewer). */
function randomBytes(len) {
  const length = Number(BigInt(len) > BigInt(16 * CHUNK) ? BigInt(16 * CHUNK) : BigInt(len));
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += FILL) crypto.getRandomValues(bytes.subarray(at, at + FILL));
  return bytes;
}

const randomU64 = () => crypto.getRandomValues(new BigUint64Array(1))[0];

/** One instance's random interfaces: its insecure seed stays the same for the instance. */
export function createRandom() {
  let seed;
  const insecureSeed = () => (seed ??= [randomU64(), randomU64()]);
  return {
    random: { getRandomBytes: randomBytes, getRandomU64: randomU64 },
    insecure: { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
    // 0.2 calls it insecure-seed, 0.3 get-insecure-seed.
    insecureSeed: { insecureSeed, getInsecureSeed: insecureSeed },
  };
}
