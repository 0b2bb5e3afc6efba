// What the specs that call raw bindings directly stand on: jco 1.35.0's
// handle tables and a guest memory with a bump `realloc`, made the way the
// glue makes them (npm/raw-runtime.js describes the table layout), for
// functions lowered by hand with `cabiLower`. Imported in the page.

export const T_FLAG = 1 << 30;
const REP = Symbol.for('cabiRep');

/** An empty jco handle table. */
export function newTable() {
  return Object.assign([T_FLAG, 0], { _createdReps: new Set() });
}

/** An owned handle for `obj` (a shim object, which gets its rep on demand); returns the handle. */
export function put(table, obj) {
  table.push(0, obj[REP] | T_FLAG);
  return table.length / 2 - 1;
}

/** Handle `h` freed as jco's rscTableRemove frees it (the entry goes on the free list). */
export function free(table, h) {
  table[2 * h] = table[0] | T_FLAG;
  table[0] = h | T_FLAG;
}

/** A one-page guest memory and a `realloc` that hands out aligned space from byte 1024 on. */
export function guestMemory() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let next = 1024;
  const realloc = (_old, _oldSize, align, size) => {
    next = Math.ceil(next / align) * align;
    const ptr = next;
    next += size;
    return ptr;
  };
  return { memory, realloc };
}
