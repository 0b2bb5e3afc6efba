// A core wasm module's sections, read and rewritten byte for byte: just
// enough for the build's shrink step (renaming imports, dropping custom
// sections) and `npm run size` (code bytes per function, with names).
// Everything not touched is copied as it was.

const SECTION_NAMES = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data',
  'datacount',
];

class Reader {
  constructor(bytes, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }
  u32() {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = this.bytes[this.pos++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  // The limits of a table or memory: flags, minimum and, when flagged, maximum.
  limits() {
    const flags = this.bytes[this.pos++];
    this.u32();
    if (flags & 1) this.u32();
  }
}

function u32Bytes(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

function nameBytes(text) {
  const utf8 = new TextEncoder().encode(text);
  return [...u32Bytes(utf8.length), ...utf8];
}

/** The module's sections in order: `{ id, kind, name (custom only), start, end, bodyStart }`. */
export function sections(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a core wasm module (no \\0asm header)');
  }
  const out = [];
  const reader = new Reader(bytes, 8);
  while (reader.pos < bytes.length) {
    const start = reader.pos;
    const id = bytes[reader.pos++];
    const size = reader.u32();
    const bodyStart = reader.pos;
    const section = { id, kind: SECTION_NAMES[id] ?? `unknown-${id}`, start, bodyStart, end: bodyStart + size };
    if (id === 0) section.name = reader.name();
    out.push(section);
    reader.pos = section.end;
  }
  return out;
}

/** Every import: `{ module, name, kind }` (kind 0 function, 1 table, 2 memory, 3 global, 4 tag). */
export function imports(bytes) {
  const section = sections(bytes).find((s) => s.id === 2);
  return section ? readImports(bytes, section).map(({ module, name, kind }) => ({ module, name, kind })) : [];
}

function readImports(bytes, section) {
  const reader = new Reader(bytes, section.bodyStart);
  const count = reader.u32();
  const out = [];
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const name = reader.name();
    const descriptorStart = reader.pos;
    const kind = bytes[reader.pos++];
    if (kind === 0) reader.u32();
    else if (kind === 1) {
      reader.pos++; // element type
      reader.limits();
    } else if (kind === 2) reader.limits();
    else if (kind === 3) reader.pos += 2; // value type, mutability
    else if (kind === 4) {
      reader.pos++; // attribute
      reader.u32();
    } else throw new Error(`import ${module}#${name}: unknown kind ${kind}`);
    out.push({ module, name, kind, descriptor: bytes.subarray(descriptorStart, reader.pos) });
  }
  return out;
}

/** The names of the module's exports. */
export function exportNames(bytes) {
  const section = sections(bytes).find((s) => s.id === 7);
  if (!section) return [];
  const reader = new Reader(bytes, section.bodyStart);
  const count = reader.u32();
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(reader.name());
    reader.pos++; // kind
    reader.u32(); // index
  }
  return out;
}

/**
 * A copy of the module with imports renamed by `rename(module, name)` and
 * `renameModule(module)` (each returns the new name, or the old one to keep
 * it) and the custom sections
 * `dropCustom(name)` says yes to left out.
 */
export function rewrite(
  bytes,
  { rename = (_module, name) => name, renameModule = (module) => module, dropCustom = () => false } = {},
) {
  const parts = [bytes.subarray(0, 8)];
  for (const section of sections(bytes)) {
    if (section.id === 0 && dropCustom(section.name)) continue;
    if (section.id !== 2) {
      parts.push(bytes.subarray(section.start, section.end));
      continue;
    }
    const entries = readImports(bytes, section);
    const body = [...u32Bytes(entries.length)];
    for (const entry of entries) {
      body.push(
        ...nameBytes(renameModule(entry.module)),
        ...nameBytes(rename(entry.module, entry.name)),
        ...entry.descriptor,
      );
    }
    parts.push(Uint8Array.from([2, ...u32Bytes(body.length), ...body]));
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The code bytes of each defined function, with its name from the `name`
 * section where there is one: `[{ index, name, size, start }]` (`start`: the
 * body's offset in `bytes`).
 */
export function functionSizes(bytes) {
  const all = sections(bytes);
  const importedFunctions = imports(bytes).filter((entry) => entry.kind === 0).length;
  const names = new Map();
  const nameSection = all.find((s) => s.id === 0 && s.name === 'name');
  if (nameSection) {
    const reader = new Reader(bytes, nameSection.bodyStart);
    reader.name();
    while (reader.pos < nameSection.end) {
      const subsection = bytes[reader.pos++];
      const size = reader.u32();
      const next = reader.pos + size;
      if (subsection === 1) {
        const count = reader.u32();
        for (let i = 0; i < count; i++) {
          const index = reader.u32();
          names.set(index, reader.name());
        }
      }
      reader.pos = next;
    }
  }
  const code = all.find((s) => s.id === 10);
  if (!code) return [];
  const reader = new Reader(bytes, code.bodyStart);
  const count = reader.u32();
  const out = [];
  for (let i = 0; i < count; i++) {
    const bodySize = reader.u32();
    const index = importedFunctions + i;
    out.push({ index, name: names.get(index) ?? `function ${index}`, size: bodySize, start: reader.pos });
    reader.pos += bodySize;
  }
  return out;
}
