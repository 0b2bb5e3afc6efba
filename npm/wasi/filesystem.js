// wasi:filesystem 0.2 and 0.3 for the package's own WASI. A page has no
// file system to give a component: there are no preopened directories, so
// a guest can never hold a descriptor. The resource classes exist because
// jco's glue links to them; every method answers `unsupported`.

import { WASI_P2, WASI_P3 } from '../generated/wasi.js';

const unsupported = () => {
  throw 'unsupported';
};

function unsupportedClass(name) {
  const methods = [WASI_P2, WASI_P3].flatMap((table) => table['wasi:filesystem/types'].resources[name] ?? []);
  const cls = { [name]: class {} }[name];
  for (const method of methods) cls.prototype[method] = unsupported;
  return cls;
}

export const filesystem = {
  preopens: { getDirectories: () => [] },
  types: {
    Descriptor: unsupportedClass('Descriptor'),
    DirectoryEntryStream: unsupportedClass('DirectoryEntryStream'),
    filesystemErrorCode: () => undefined,
  },
};
