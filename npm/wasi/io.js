// wasi:io 0.2 (error, poll, streams) for the package's own WASI: the
// stream and pollable resources every other WASI 0.2 module hands out.
// A browser cannot block a thread, so a pollable that is not ready yet
// (a timer) makes `block` and `poll` wait by spinning on the clock.

export const symbolDispose = Symbol.dispose ?? Symbol.for('dispose');

/** The most bytes one call takes or gives (check-write's permit, a read's cap). */
export const CHUNK = 1 << 20;

/** `len` (a u64) as a number no larger than `CHUNK`. */
export const chunkLength = (len) => Number(BigInt(len) > BigInt(CHUNK) ? BigInt(CHUNK) : BigInt(len));

/** The WIT's `stream-error.closed`, thrown: jco makes a thrown value the `err` case. */
const closed = () => {
  throw { tag: 'closed' };
};

/** wasi:io/error's `error`. */
export class IoError {
  constructor(message) {
    this.message = message;
  }

  toDebugString() {
    return this.message;
  }
}

/** Ready at `deadline` (performance.now() milliseconds); 0 is ready now. */
export class Pollable {
  constructor(deadline = 0) {
    this.deadline = deadline;
  }

  ready() {
    return performance.now() >= this.deadline;
  }

  block() {
    while (performance.now() < this.deadline) {
      // Spin: there is no blocking wait on a browser's main thread.
    }
  }
}

/** The indices of the ready pollables, after waiting for the first one. */
function poll(pollables) {
  if (pollables.length === 0) return new Uint32Array(0);
  const ready = () => Uint32Array.from(pollables.flatMap((p, i) => (p.ready() ? [i] : [])));
  const now = ready();
  if (now.length) return now;
  new Pollable(Math.min(...pollables.map((p) => p.deadline))).block();
  return ready();
}

/**
 * An input stream over `source.read(count)`, which returns up to `count`
 * bytes, or null at the end. Reads never wait: what is there is returned.
 */
export class InputStream {
  #source;
  #open = true;

  constructor(source) {
    this.#source = source;
  }

  read(len) {
    if (!this.#open) closed();
    const bytes = this.#source.read(chunkLength(len));
    if (bytes === null) closed();
    return bytes;
  }

  blockingRead(len) {
    return this.read(len);
  }

  skip(len) {
    return BigInt(this.read(len).length);
  }

  blockingSkip(len) {
    return this.skip(len);
  }

  subscribe() {
    return new Pollable();
  }

  [symbolDispose]() {
    this.#open = false;
  }
}

/**
 * An output stream into `sink.write(bytes)`. Each stream has its own open
 * state: dropping one never closes another on the same sink, and writes
 * are accepted at once (check-write grants `CHUNK` bytes).
 */
export class OutputStream {
  #sink;
  #open = true;

  constructor(sink) {
    this.#sink = sink;
  }

  #writable() {
    if (!this.#open) closed();
  }

  checkWrite() {
    this.#writable();
    return BigInt(CHUNK);
  }

  write(contents) {
    this.#writable();
    this.#sink.write(contents);
  }

  blockingWriteAndFlush(contents) {
    this.write(contents);
  }

  flush() {
    this.#writable();
  }

  blockingFlush() {
    this.#writable();
  }

  subscribe() {
    return new Pollable();
  }

  writeZeroes(len) {
    this.#writable();
    if (BigInt(len) > BigInt(CHUNK)) throw { tag: 'last-operation-failed', val: new IoError(`write-zeroes of ${len} bytes is more than check-write allowed (${CHUNK})`) };
    this.#sink.write(new Uint8Array(Number(len)));
  }

  blockingWriteZeroesAndFlush(len) {
    this.writeZeroes(len);
  }

  splice(source, len) {
    this.#writable();
    const bytes = source.read(len);
    this.#sink.write(bytes);
    return BigInt(bytes.length);
  }

  blockingSplice(source, len) {
    return this.splice(source, len);
  }

  [symbolDispose]() {
    this.#open = false;
  }
}

export const io = {
  error: { Error: IoError },
  poll: { Pollable, poll },
  streams: { InputStream, OutputStream },
};
