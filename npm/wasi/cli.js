// wasi:cli 0.2 and 0.3 for the package's own WASI. The two versions use
// different names (get-stdout and write-via-stream), so one object per
// interface serves both.
//
// Output is line-buffered: each whole line goes to the embedder's
// `stdout(line)` or `stderr(line)` (the console by default); a partial line
// waits for its newline, for the end of the current task (a page has no
// other moment to show it), or for `flush()`.

import { InputStream, OutputStream } from './io.js';

/** What `exit` throws to end the run; `run` exits with `code`. */
export class WasiExit extends Error {
  constructor(code) {
    super(`the component exited with code ${code}`);
    this.name = 'WasiExit';
    this.code = code;
    // jco's preview2-shim marks its own exit this way; runners check it.
    this.exitError = true;
  }
}

/** Decodes UTF-8 bytes and hands `emit` one line at a time, without its newline. */
export class LineSink {
  #decoder = new TextDecoder();
  #pending = '';
  #timer = null;

  constructor(emit) {
    this.emit = emit;
  }

  write(bytes) {
    this.#pending += this.#decoder.decode(bytes, { stream: true });
    const lines = this.#pending.split('\n');
    this.#pending = lines.pop();
    for (const line of lines) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (this.#pending && this.#timer === null) this.#timer = setTimeout(() => this.flush(), 0);
  }

  /** Emits a partial line, if there is one. */
  flush() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending += this.#decoder.decode();
    if (this.#pending) this.emit(this.#pending);
    this.#pending = '';
  }
}

/** The bytes of `input` (a string or bytes), read from the front. */
function stdinSource(input) {
  let bytes = typeof input === 'string' ? new TextEncoder().encode(input) : new Uint8Array(input ?? 0);
  return {
    read(count) {
      if (bytes.length === 0) return null;
      const chunk = bytes.slice(0, count);
      bytes = bytes.subarray(chunk.length);
      return chunk;
    },
  };
}

/**
 * The bytes a guest writes into a 0.3 `stream<u8>`, chunk by chunk. jco's
 * stream object reads with `read({count})`, resolving `{value, done}`.
 */
async function* streamChunks(stream) {
  for (;;) {
    const next = await stream.read({ count: 65536 });
    if (next === null || next?.done) return;
    const value = next && typeof next === 'object' && 'value' in next ? next.value : next;
    if (value instanceof Uint8Array) yield value;
    else if (typeof value === 'number') yield Uint8Array.of(value);
    else if (value != null) yield Uint8Array.from(value);
  }
}

/** 0.3's write-via-stream: the future resolves when the guest ends its stream. */
async function writeFromStream(stream, sink) {
  try {
    for await (const chunk of streamChunks(stream)) sink.write(chunk);
    return { tag: 'ok', val: undefined };
  } catch {
    return { tag: 'err', val: 'io' };
  }
}

/**
 * @param {{args?: string[], env?: Record<string, string>, cwd?: string, stdin?: string | Uint8Array}} config
 *   read when the guest asks, so the embedder may change it until then
 * @param {{stdout: LineSink, stderr: LineSink}} sinks
 */
export function createCli(config, sinks) {
  let input = null;
  const source = () => (input ??= stdinSource(config.stdin));
  const exitWith = (code) => {
    sinks.stdout.flush();
    sinks.stderr.flush();
    throw new WasiExit(code);
  };
  const environment = () => Object.entries(config.env ?? {}).map(([key, value]) => [key, String(value)]);
  return {
    environment: {
      getEnvironment: environment,
      getArguments: () => (config.args ?? []).map(String),
      initialCwd: () => config.cwd,
      getInitialCwd: () => config.cwd,
    },
    exit: {
      exit: (status) => exitWith(status?.tag === 'err' ? 1 : 0),
      exitWithCode: (code) => exitWith(code),
    },
    stdin: {
      // 0.2: a stream that reads what the embedder gave, then ends.
      getStdin: () => new InputStream(source()),
      // 0.3: the same bytes as a stream<u8>, one element per chunk (as jco lifts it).
      readViaStream: () => {
        const stream = new ReadableStream({
          pull(controller) {
            const bytes = source().read(65536);
            if (bytes === null) return controller.close();
            for (const byte of bytes) controller.enqueue(byte);
            return undefined;
          },
        });
        return [stream, Promise.resolve({ tag: 'ok', val: undefined })];
      },
    },
    // 0.2: a fresh stream per call, so one the guest drops closes only itself.
    stdout: {
      getStdout: () => new OutputStream(sinks.stdout),
      writeViaStream: (stream) => writeFromStream(stream, sinks.stdout),
    },
    stderr: {
      getStderr: () => new OutputStream(sinks.stderr),
      writeViaStream: (stream) => writeFromStream(stream, sinks.stderr),
    },
    // No instance is ever made: jco's glue only links to the classes.
    terminalInput: { TerminalInput: class TerminalInput {} },
    terminalOutput: { TerminalOutput: class TerminalOutput {} },
    // Not a terminal: no terminal-stdin, -stdout or -stderr.
    terminalStdin: { getTerminalStdin: () => undefined },
    terminalStdout: { getTerminalStdout: () => undefined },
    terminalStderr: { getTerminalStderr: () => undefined },
  };
}
