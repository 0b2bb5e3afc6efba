// Types for `?component` imports. Reference them from a .d.ts of yours:
//   /// <reference types="wasi-webgpu-shim/vite-client" />
// A component's exports are what jco's .d.ts for it names, which this
// declaration cannot know: a shorthand module makes every import `any`.
declare module '*.wasm?component';
