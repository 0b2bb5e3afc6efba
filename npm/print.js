// The root-level `print: func(s: string)` import of guests written in the
// native runtime's style (`--map 'print=wasi-webgpu-shim/print#print'`).
// Whoever runs the guest may set `globalThis.wasiPrint` to receive the
// lines (the CLI's page and the test kit do); otherwise they go to the console.
export function print(text) {
  if (typeof globalThis.wasiPrint === 'function') globalThis.wasiPrint(text);
  else console.log(text);
}
