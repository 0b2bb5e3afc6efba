// What the CLI and the test guests print, for the suites to compare. The
// wasm32-wasip2 test guest (crates/test-guests/wasi-stdio) prints
// from `start`, given its arguments (as Rust's Debug prints the list) and
// its WASI_STDIO_GREETING (`Some("…")` or `None`): the node suites and the
// Playwright specs compare against the same lines.
export const stdioStartLines = (args, greeting) => [
  `args: ${args}`,
  `env WASI_STDIO_GREETING: ${greeting}`,
  'stdin: Ok(0)',
  'wall clock plausible: true',
  'random: two u64s differ true, 16 bytes',
  'insecure seed stable: true',
  'gpu squares: [1, 4, 9, 16, 144]',
  'monotonic clock moved forward: true',
];

/** What the hello-collatz example prints from wasi:cli/run (its stdout, whole). */
export const collatzRunOutput = 'collatz steps for [1, 2, 3, 4, 5, 6, 7, 8, 27]: [0, 1, 7, 2, 5, 8, 16, 3, 111]\nverified against the CPU\n';

/** The address `wasi-webgpu-shim serve` prints on the child's stdout. */
export const servedUrl = (child) =>
  new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
