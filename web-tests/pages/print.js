// The root-level `print: func(s: string)` import of guests written in the
// native runtime's style. Whoever runs the guest sets `globalThis.wasiPrint`
// (the run page appends to its log); otherwise it goes to the console.
export function print(text) {
  if (typeof globalThis.wasiPrint === 'function') globalThis.wasiPrint(text);
  else console.log(text);
}
