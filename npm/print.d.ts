/**
 * The root-level `print: func(s: string)` import of guests in the native
 * runtime's style. Lines go to `globalThis.wasiPrint` when it is a function,
 * else to `console.log`.
 */
export function print(text: string): void;

declare global {
  // eslint-disable-next-line no-var
  var wasiPrint: ((text: string) => void) | undefined;
}
