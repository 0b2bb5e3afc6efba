// Re-derives wit/deps from the crates.io packages that publish it, using
// cargo only (so it reaches the registry however cargo is set up):
// `cargo install NAME --version V` on a library fetches its .crate into
// cargo's cache, then fails with "nothing to install"; we read the cache.
//
//   node scripts/vendor-wit.mjs          check wit/ against the registry
//   node scripts/vendor-wit.mjs --write  rewrite wit/deps and wit/provenance.json
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const provenancePath = join(root, 'wit/provenance.json');

// Which file comes from which package. Each interface is taken from the
// crate that implements it.
// `file` is the path inside the crate (`wit/deps/<dir>/package.wit` unless given).
const WASI_P2 = { crate: 'wasip2', version: '2.0.1+wasi-0.2.12' };
const WASI_P3 = { crate: 'wasip3', version: '0.10.0+wasi-0.3.2' };
const sources = [
  { crate: 'wasi-webgpu-wasmtime', version: '0.5.0', dir: 'wasi-webgpu-0.3.0-rc.2' },
  { crate: 'surface-wasmtime', version: '0.5.0', dir: 'wasi-gfx-surface-0.2.0' },
  { crate: 'frame-buffer-wasmtime', version: '0.5.0', dir: 'wasi-gfx-frame-buffer-0.2.0' },
  // The WASI 0.2 packages the package's own WASI modules (npm/wasi/)
  // implement, at the newest 0.2 release; wit-codegen lists their
  // functions for the coverage check and for transpile's maps. (Sockets
  // only because wasi:cli's worlds name it.)
  ...['io', 'clocks', 'random', 'cli', 'filesystem', 'sockets'].map((name) => ({ ...WASI_P2, dir: `wasi-${name}-0.2.12`, file: `wit/deps/${name}.wit` })),
  // The same for WASI 0.3 (no wasi:io: streams are the component model's).
  ...['clocks', 'random', 'cli', 'filesystem', 'sockets'].map((name) => ({ ...WASI_P3, dir: `wasi-${name}-0.3.2`, file: `wit/deps/${name}.wit` })),
];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function fetchCrate(crate, version) {
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  const find = () => {
    const cache = join(cargoHome, 'registry/cache');
    if (!existsSync(cache)) return undefined;
    for (const index of readdirSync(cache)) {
      const file = join(cache, index, `${crate}-${version}.crate`);
      if (existsSync(file)) return file;
    }
    return undefined;
  };
  if (!find()) {
    const scratch = mkdtempSync(join(tmpdir(), 'vendor-wit-'));
    spawnSync('cargo', ['install', '--root', scratch, crate, '--version', version], { stdio: 'ignore' });
  }
  const file = find();
  if (!file) throw new Error(`cargo could not fetch ${crate} ${version} from the registry`);
  const out = mkdtempSync(join(tmpdir(), 'vendor-wit-src-'));
  execFileSync('tar', ['xzf', file, '-C', out]);
  return join(out, `${crate}-${version}`);
}

const write = process.argv.includes('--write');
const files = [];
let differences = 0;
for (const { crate, version, dir, file } of sources) {
  const src = fetchCrate(crate, version);
  const inCrate = file ?? `wit/deps/${dir}/package.wit`;
  const bytes = readFileSync(join(src, inCrate));
  const path = `deps/${dir}/package.wit`;
  files.push({ path, crate, version, pathInCrate: inCrate, sha256: sha256(bytes) });
  const target = join(root, 'wit', path);
  if (write) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  } else if (!existsSync(target) || sha256(readFileSync(target)) !== sha256(bytes)) {
    console.error(`differs from ${crate} ${version}: wit/${path}`);
    differences++;
  }
}
const provenance = {
  note: 'Byte-for-byte copies from crates.io packages. Regenerate with `npm run vendor-wit -- --write`.',
  files,
};
if (write) {
  writeFileSync(provenancePath, JSON.stringify(provenance, null, 2) + '\n');
  console.log(`wrote wit/deps and wit/provenance.json (${files.length} files)`);
} else {
  const recorded = JSON.parse(readFileSync(provenancePath, 'utf8'));
  if (JSON.stringify(recorded.files) !== JSON.stringify(files)) {
    console.error('wit/provenance.json does not match the registry');
    differences++;
  }
  console.log(differences ? `vendor-wit: ${differences} difference(s)` : 'vendor-wit: wit/ matches the registry');
  process.exit(differences ? 1 : 0);
}
