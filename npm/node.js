// The CLI's pieces as a Node API: transpile a component for this package,
// serve it on the runner page, run it in a headless browser or in Deno.
export { transpile, transpileCached, jcoTranspile, classifyImports, componentImports, JCO_VERSION, PROVIDED } from './cli/transpile.js';
export { addCabiLowerHooks, HybridError } from './cli/hybrid.js';
export { runInBrowser, runInDeno, serveComponent, findDeno } from './cli/run.js';
export { chromiumLaunchOptions, firefoxLaunchOptions, findBrowser, playwrightUse } from './cli/browsers.js';
export { UsageError } from './cli/server.js';
export { makeComponent, stripBindgen } from './cli/component.js';
