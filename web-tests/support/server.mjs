// A static file server for the tests and the demo, on 127.0.0.1 only.
// Serves the repository root, so pages import /npm/dist/index.js (the package as
// users get it) and /web-tests/build/* (transpiled guests). The serving is
// the package's own (npm/cli/server.js), which the CLI's pages use too.
import { fileURLToPath } from 'node:url';
import { serveDirectories, UsageError } from '../../npm/cli/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `bindings: 'hybrid'` serves the guests transpiled with jco's
 * `--import-bindings hybrid` (web-tests/build/hybrid/) in place of the
 * default ones, so one test runs on either path. `isolated: true` makes
 * the pages cross-origin isolated, which is what gives `performance.now()`
 * its fine resolution (5 us in Chromium, 20 us in Firefox, instead of 100 us
 * and 1 ms): the bench times single frames with it.
 */
export function serve(port = 0, { bindings = 'js', isolated = false } = {}) {
  const build = `${root}web-tests/build/`;
  const mounts = bindings === 'hybrid' ? { '/web-tests/build/': [`${build}hybrid/`, build], '/': root } : { '/': root };
  const headers = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  return serveDirectories(mounts, { port, headers });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8787);
  serve(port).then(
    (server) => console.log(`serving ${root} on http://127.0.0.1:${server.address().port}/`),
    (error) => {
      console.error(`cannot listen on 127.0.0.1:${port}: ${error instanceof UsageError ? 'the port is in use (set PORT)' : error.message}`);
      process.exit(1);
    },
  );
}
