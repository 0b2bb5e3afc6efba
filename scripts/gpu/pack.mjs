// Packs what a run on a GPU machine needs from this built tree, for a
// machine that may reach no package registry: the browsers this machine
// runs the tests in (Debian's Chromium and Firefox ESR) with the shared
// libraries they load, the Vulkan loader and the GL dispatch libraries the
// NVIDIA driver's Vulkan ICD loads, Node, fonts, and the repository with
// its built package, built guests and the node_modules the runs use.
//
//   npm run build && node scripts/gpu/pack.mjs [--out .gpu-pack] [--part-mib 56] [--built-only]
//
// Writes <out>/part-1/ ... part-N/, each one piece of one tar.xz of at most
// --part-mib MiB, so that each piece fits what one copy to that machine
// carries; scripts/gpu/run.sh (inside the pack) joins, unpacks and runs.
// The GPU machine's glibc and libstdc++ are used, not this machine's: they
// are left out of the pack, so that machine's must be at least as new
// (Debian 12 here: glibc 2.36, GCC 12).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser } from '../../npm/cli/browsers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = join(root, arg('out', '.gpu-pack'));
// --built-only: just the tree's built files (npm/dist, npm/pkg, web-tests/build;
// a few MiB), as <out>/built/built.tar.xz, which run.sh unpacks over a pack
// already on the GPU machine: a rebuild needs no new pack.
const builtOnly = process.argv.includes('--built-only');
const partBytes = Number(arg('part-mib', 56)) * (1 << 20);
const stage = join(out, 'stage');
const say = (line) => console.log(`gpu-pack: ${line}`);

/** Libraries the GPU machine's own system provides, newer than this machine's: never packed. */
const SYSTEM_LIBS = /^(ld-linux.*|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnsl|libnss_.*|libmvec|libstdc\+\+|libgcc_s)\.so/;
/** What the NVIDIA driver's Vulkan ICD (libGLX_nvidia) and ANGLE load besides the loader: glvnd. */
const GPU_LIBS = ['libvulkan.so.1', 'libGLdispatch.so.0', 'libGLX.so.0', 'libGL.so.1', 'libEGL.so.1', 'libOpenGL.so.0', 'libGLESv2.so.2'];
const GPU_DEBS = 'libvulkan1 libglvnd0 libgl1 libglx0 libegl1 libopengl0 libgles2';

if (builtOnly) {
  const dir = join(out, 'built');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-C', root, '-cf', join(dir, 'built.tar.xz'), '--use-compress-program=xz -T0 -6', 'npm/dist', 'npm/pkg', 'web-tests/build'], { stdio: 'inherit' });
  say(`built files in ${join(dir, 'built.tar.xz')} (${(statSync(join(dir, 'built.tar.xz')).size / (1 << 20)).toFixed(1)} MiB)`);
  process.exit(0);
}

// ---- 1. Browsers and Node, resolved to real files.
// Debian's /usr/bin/chromium is a shell script that starts /usr/lib/chromium/chromium.
const chromium = realpathSync(findBrowser('chromium') ?? fail('no Chromium: npm run setup installs it'));
const chromiumDir = statSync(chromium).size < 1e6 ? '/usr/lib/chromium' : dirname(chromium);
const chromiumBinary = join(chromiumDir, 'chromium');
if (!existsSync(chromiumBinary)) fail(`no Chromium binary at ${chromiumBinary}`);
const firefox = realpathSync(findBrowser('firefox') ?? fail('no Firefox: npm run setup installs it'));
const firefoxDir = dirname(firefox);
const node = realpathSync(process.execPath);

function fail(message) {
  console.error(`gpu-pack: ${message}`);
  process.exit(1);
}

/** Shared libraries `files` load, by soname, found with ldd (this machine's paths). */
function sharedLibraries(files) {
  const found = new Map();
  for (const file of files) {
    const r = spawnSync('ldd', [file], { encoding: 'utf8' });
    for (const m of (r.stdout ?? '').matchAll(/^\s*(\S+) => (\/\S+)/gm)) {
      const [, soname, path] = m;
      // The browsers' own folders are packed whole.
      if (path.startsWith(chromiumDir) || path.startsWith(firefoxDir)) continue;
      if (!SYSTEM_LIBS.test(soname)) found.set(soname, path);
    }
  }
  return found;
}

/** Every ELF file (executables and .so) under `dir`. */
function elfFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile()) continue;
    const head = readFileSync(path).subarray(0, 4);
    if (head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF') files.push(path);
  }
  return files;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(stage, 'lib'), { recursive: true });
mkdirSync(join(stage, 'bin'), { recursive: true });

say(`Chromium from ${chromiumDir}, Firefox from ${firefoxDir}, Node ${process.version} from ${node}`);
// Chromium's validation layer and mock ICD are for Vulkan debugging (23 MiB);
// its locales but one are for the UI.
cpSync(chromiumDir, join(stage, 'chromium'), {
  recursive: true,
  filter: (path) => !/libVkLayer_khronos_validation|libVkICD_mock_icd/.test(path) && !(/\/locales\//.test(path) && !/en-US\.pak$/.test(path)),
});
cpSync(firefoxDir, join(stage, 'firefox'), { recursive: true, dereference: true });
cpSync(node, join(stage, 'bin/node'));
// Debian's node carries its debug information (13 MiB).
spawnSync('strip', [join(stage, 'bin/node')]);

const libs = sharedLibraries([chromiumBinary, ...elfFiles(firefoxDir), node]);
const missing = [];
for (const soname of GPU_LIBS) {
  const r = spawnSync('sh', ['-c', `ldconfig -p | awk '$1 == "${soname}" && /x86-64/ { print $NF; exit }'`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (path) libs.set(soname, path);
  else missing.push(soname);
}
if (missing.length) fail(`${missing.join(', ')} not found on this machine: apt-get install -y ${GPU_DEBS}`);
for (const [soname, path] of libs) cpSync(realpathSync(path), join(stage, 'lib', soname));
say(`${libs.size} shared libraries (glibc and libstdc++ left to the GPU machine)`);

// Fonts: a page needs one; fontconfig's configuration points at this copy.
mkdirSync(join(stage, 'fonts'), { recursive: true });
for (const dir of ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype/liberation']) {
  if (existsSync(dir)) cpSync(dir, join(stage, 'fonts', basename(dir)), { recursive: true });
}
writeFileSync(join(stage, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir prefix="relative">fonts</dir><cachedir>/tmp/wasi-webgpu-fontcache</cachedir></fontconfig>\n`);

// ---- 2. The repository: the built package, the built guests, what the runs read.
const tree = join(stage, 'tree');
const keep = ['package.json', 'playwright.config.ts', 'npm', 'web-tests', 'scripts', 'docs/images/bench.json'];
for (const path of keep) cpSync(join(root, path), join(tree, path), { recursive: true, filter: (p) => !p.includes('/node_modules/') });
// node_modules, less what no run there loads: Deno, the bundler and
// TypeScript of the build, and jco's componentize tools (transpile needs none).
const NOT_NEEDED = /^(@deno|deno|vite|lightningcss.*|@typescript|typescript.*|@bytecodealliance\/(componentize-js.*|wizer.*|weval)|@andreiltd|componentize-qjs|binaryen)$/;
// jco's own copies of binaryen and TypeScript serve its `opt` and `types` commands alone.
const NOT_NEEDED_NESTED = /\/node_modules\/(binaryen|typescript)(\/|$)/;
for (const entry of readdirSync(join(root, 'node_modules'))) {
  const names = entry.startsWith('@') ? readdirSync(join(root, 'node_modules', entry)).map((n) => `${entry}/${n}`) : [entry];
  for (const name of names) {
    if (NOT_NEEDED.test(name) || NOT_NEEDED.test(entry)) continue;
    // Links (the workspace's own package, node_modules/.bin) stay links.
    cpSync(join(root, 'node_modules', name), join(tree, 'node_modules', name), { recursive: true, verbatimSymlinks: true, filter: (path) => !NOT_NEEDED_NESTED.test(path.slice(root.length)) });
  }
}

// ---- 3. One tar.xz, cut into parts.
say('compressing (xz, a few minutes)');
const archive = join(out, 'pack.tar.xz');
execFileSync('tar', ['-C', stage, '-cf', archive, '--use-compress-program=xz -T0 -6', '.'], { stdio: 'inherit' });
rmSync(stage, { recursive: true, force: true });
const bytes = readFileSync(archive);
const parts = Math.ceil(bytes.length / partBytes);
for (let i = 0; i < parts; i++) {
  const dir = join(out, `part-${i + 1}`);
  mkdirSync(dir);
  writeFileSync(join(dir, `pack.tar.xz.${String(i + 1).padStart(2, '0')}`), bytes.subarray(i * partBytes, (i + 1) * partBytes));
}
rmSync(archive);
say(`${(bytes.length / (1 << 20)).toFixed(1)} MiB in ${parts} part(s) under ${out}; on the GPU machine: scripts/gpu/run.sh ${basename(out)} (docs/gpu.md)`);
