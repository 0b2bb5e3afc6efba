// WIT names -> the JavaScript names the shim exports and jco's glue calls.
// Pure functions, shared by the browser (coverage.js) and node
// (web-tests/node/checks.test.mjs, scripts/test.mjs).
//
// A WIT function name is `<resource>.<method>`, `<resource>.constructor` or a
// free function `<name>` (web-tests/generated/wit-functions.json). The shim
// exports one class per resource in PascalCase and free functions in
// camelCase; methods are camelCase. camelCase capitalizes the character after
// each dash, digits included: `max-texture-dimension1-d` -> `maxTextureDimension1D`.

/** `create-view` -> `createView`, `max-texture-dimension1-d` -> `maxTextureDimension1D`. */
export function camelCase(kebab) {
  return kebab.replace(/-(.)/g, (_, c) => c.toUpperCase());
}

/** `gpu-texture` -> `GpuTexture`, `record-option-gpu-size64` -> `RecordOptionGpuSize64`. */
export function pascalCase(kebab) {
  const camel = camelCase(kebab);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/**
 * Where a WIT function lives in the shim:
 *   `get-gpu`                               -> { kind: 'function', exportName: 'getGpu' }
 *   `record-option-gpu-size64.constructor`  -> { kind: 'constructor', className: 'RecordOptionGpuSize64' }
 *   `gpu-texture.create-view`               -> { kind: 'method', className: 'GpuTexture', method: 'createView' }
 */
export function witToJs(witName) {
  const parts = witName.split('.');
  if (parts.length === 1) return { kind: 'function', exportName: camelCase(witName) };
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`not a WIT function name: ${witName}`);
  const [resource, fn] = parts;
  const className = pascalCase(resource);
  if (fn === 'constructor') return { kind: 'constructor', className };
  return { kind: 'method', className, method: camelCase(fn) };
}
