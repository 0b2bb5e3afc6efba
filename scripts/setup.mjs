// Installs what the build and the tests need, or says exactly what to run.
// Run by `npm run demo` and `npm test`; safe to run again (it checks first).
//   --browsers=chromium   only what the demo needs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browsersArg = process.argv.find((a) => a.startsWith('--browsers='));
const browsers = browsersArg ? browsersArg.slice('--browsers='.length).split(',') : ['chromium', 'firefox'];

const sh = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' });
const say = (msg) => console.log(`setup: ${msg}`);
function run(cmd, args, opts = {}) {
  say(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}
function stop(message, command) {
  console.error(`setup: ${message}\nsetup: run this, then try again:\n\n    ${command}\n`);
  process.exit(1);
}

// 1. Rust: cargo and the wasm target.
if (sh('cargo', ['--version']).status !== 0) {
  stop('cargo is not installed.', "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh");
}
const targets = sh('rustup', ['target', 'list', '--installed']);
if (targets.status !== 0) {
  say('rustup not found; assuming the toolchain has wasm32-unknown-unknown');
} else {
  // wasm32-wasip2: the test guests built as Rust std builds them for WASI.
  for (const target of ['wasm32-unknown-unknown', 'wasm32-wasip2']) {
    if (!targets.stdout.split('\n').includes(target)) run('rustup', ['target', 'add', target]);
  }
}

// 2. wasm-bindgen CLI, the exact version of the crate (Cargo.toml pins it).
const pinned = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^wasm-bindgen = "=([^"]+)"/m)?.[1];
const installed = sh('wasm-bindgen', ['--version']).stdout?.trim();
if (installed !== `wasm-bindgen ${pinned}`) {
  say(`wasm-bindgen ${pinned} is needed (found: ${installed || 'none'}); building it takes a few minutes once`);
  // Not --locked: its lockfile names a webpki-roots version the registry no longer has.
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', pinned, '--force']);
}

// 3. npm packages, from the lockfile.
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules/.package-lock.json');
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 4. Browsers and a CPU Vulkan driver, from Debian's packages. Playwright's
//    own browser downloads do not work here; we drive the system browsers.
const need = [];
if (browsers.includes('chromium') && !existsSync('/usr/bin/chromium')) need.push('chromium');
if (browsers.includes('firefox') && !existsSync('/usr/bin/firefox-esr')) need.push('firefox-esr');
const icd = '/usr/share/vulkan/icd.d';
const hasLavapipe = existsSync(icd) && readdirSync(icd).some((f) => f.startsWith('lvp_icd'));
if (browsers.includes('firefox') && !hasLavapipe) need.push('mesa-vulkan-drivers');
if (need.length) {
  const command = `apt-get update && apt-get install -y ${need.join(' ')}`;
  if (process.getuid?.() === 0) {
    run('sh', ['-c', `${command} > /dev/null`], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    stop(`missing Debian packages: ${need.join(', ')}.`, `sudo sh -c '${command}'`);
  }
}
say('ready');
