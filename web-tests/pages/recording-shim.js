// What the test page's guests import as `wasi-webgpu-shim` (see the import
// map in guest.html): the package, unchanged, except that the exports which
// cannot be patched in place (the free function and the constructors) record
// guest calls for coverage.js. Same classes, same prototypes: the methods
// are patched on them by coverage.js, and `instanceof` works against either.
// coverage.js checks that every free function and constructor in the WIT is
// wrapped here, named and in the `webgpu` object.
import * as shim from '/npm/dist/index.js';
import { recordingConstructor, recordingFunction } from './coverage.js';

export * from '/npm/dist/index.js';

export const getGpu = recordingFunction('get-gpu', shim.getGpu);
export const RecordGpuPipelineConstantValue = recordingConstructor('record-gpu-pipeline-constant-value.constructor', shim.RecordGpuPipelineConstantValue);
export const RecordOptionGpuSize64 = recordingConstructor('record-option-gpu-size64.constructor', shim.RecordOptionGpuSize64);

/** The interface as one object, as the package exports it, with the same recording exports. */
export const webgpu = Object.freeze({ ...shim.webgpu, getGpu, RecordGpuPipelineConstantValue, RecordOptionGpuSize64 });
