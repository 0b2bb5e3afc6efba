// wasi-webgpu-shim/vite: components as imports in Vite.
//
//   // vite.config.js
//   import wasiWebgpu from 'wasi-webgpu-shim/vite';
//   export default { plugins: [wasiWebgpu()] };
//
//   // app code
//   import { start } from './app.wasm?component';
//
// A `?component` import is the component's exports, transpiled by the
// package's own transpile (all its maps, the fast path, `print` to the
// console unless a map says otherwise) into node_modules/.cache, once per
// version of the file. `vite dev` re-transpiles when the .wasm changes and
// reloads the page; `vite build` emits the core wasm as hashed assets. The
// same plugin runs for module workers.
import { resolve } from 'node:path';
import { UsageError } from './cli/server.js';
import { PACKAGE_DIR, PACKAGE_NAME, providerOf, transpileCached } from './cli/transpile.js';

const QUERY = '?component';

/**
 * @param {{maps?: Record<string, string>, instantiation?: 'async', wasi?: 'package' | 'jco', readable?: boolean}} options
 *   `maps`: more jco maps, import name to `specifier[#export]` (over the package's for the same name);
 *   `instantiation`: jco's instantiation mode (the import is then `{ instantiate }`);
 *   `wasi`: who implements the component's WASI, as `transpile --wasi`;
 *   `readable`: the glue unminified, as `transpile --readable` (Vite follows the
 *   minified glue's source map in dev, and minifies again in a build)
 */
export default function wasiWebgpu(options = {}) {
  const { maps = {}, instantiation, wasi = 'package', readable = false, ...unknown } = options;
  if (Object.keys(unknown).length) throw new Error(`${PACKAGE_NAME}/vite: unknown option ${Object.keys(unknown)[0]} (it takes maps, instantiation, wasi, readable)`);
  if (typeof readable !== 'boolean') throw new Error(`${PACKAGE_NAME}/vite: readable is true or false, not ${JSON.stringify(readable)}`);
  if (instantiation !== undefined && instantiation !== 'async') throw new Error(`${PACKAGE_NAME}/vite: instantiation is 'async', not '${instantiation}'`);
  if (!['package', 'jco'].includes(wasi)) throw new Error(`${PACKAGE_NAME}/vite: wasi is 'package' or 'jco', not '${wasi}'`);
  let root = process.cwd();
  /** The .wasm files imported so far, to reload when one changes. */
  const components = new Set();

  return {
    name: `${PACKAGE_NAME}/vite`,
    enforce: 'pre',

    async config(config) {
      // The package (and the transpiled components in its cache) may live
      // outside the project when linked (npm link, workspaces): let the dev
      // server read them, beside what it allows by default.
      const { searchForWorkspaceRoot } = await import('vite');
      const projectRoot = resolve(config.root ?? process.cwd());
      return {
        server: { fs: { allow: [searchForWorkspaceRoot(projectRoot), PACKAGE_DIR] } },
        // jco's output and the package's entry use top-level await.
        build: { target: 'esnext' },
        // Pre-bundling would move the package away from the wasm its
        // `new URL(..., import.meta.url)` points at.
        optimizeDeps: { exclude: [PACKAGE_NAME] },
        // A worker's bundle gets its own plugins: this one again.
        worker: { format: 'es', plugins: () => [wasiWebgpu(options)] },
      };
    },

    configResolved(config) {
      root = config.root;
    },

    async resolveId(source, importer) {
      if (!source.endsWith(QUERY)) return null;
      const bare = source.slice(0, -QUERY.length);
      const resolved = await this.resolve(bare, importer, { skipSelf: true });
      const file = resolved?.id ?? resolve(importer ? resolve(importer, '..') : root, bare);
      return file.split('?')[0] + QUERY;
    },

    load(id) {
      if (!id.endsWith(QUERY)) return null;
      const file = id.slice(0, -QUERY.length);
      let transpiled;
      try {
        transpiled = transpileCached(file, { maps, wasi, ...(instantiation && { instantiation }), ...(readable && { readable }) }, { from: root });
      } catch (error) {
        if (error instanceof UsageError) this.error(error.message);
        throw error;
      }
      const [missing] = transpiled.missing;
      if (missing) {
        this.error(`${file} imports ${missing}, which nobody provides (${providerOf(missing)}); add it to the plugin's maps option`);
      }
      components.add(file);
      this.addWatchFile(file);
      // The transpiled module, from the cache: Vite follows its imports
      // (the package, the core wasm by `new URL(..., import.meta.url)`).
      const module = JSON.stringify(transpiled.module);
      return `export * from ${module};\n`;
    },

    handleHotUpdate({ file, server }) {
      if (!components.has(file)) return undefined;
      const modules = [...(server.moduleGraph.getModulesByFile(file) ?? [])];
      for (const module of modules) server.moduleGraph.invalidateModule(module);
      server.ws.send({ type: 'full-reload' });
      return [];
    },
  };
}
