// What a canvas showed in its last frame, for the tests to read back.
//
// A WebGPU canvas can be read (drawImage, toDataURL) only until its frame
// is presented; after that its drawing buffer is transparent black (the
// WebGPU spec's "replace the drawing buffer"). A read from another task
// sees whatever presentation left: SwiftShader happens to leave the frame,
// Chromium on an NVIDIA GPU does not (docs/gpu.md). So each frame is copied
// in the task that submitted it, right after the queue's submit, where
// every browser gives it. Imported before the package, so the wrappers are
// in place before anything holds the methods.
const drawnSince = new WeakSet();
const frames = new WeakMap();

const getCurrentTexture = GPUCanvasContext.prototype.getCurrentTexture;
GPUCanvasContext.prototype.getCurrentTexture = function (...args) {
  drawnSince.add(this.canvas);
  return getCurrentTexture.apply(this, args);
};
const submit = GPUQueue.prototype.submit;
const watched = new Set();
GPUQueue.prototype.submit = function (...args) {
  const result = submit.apply(this, args);
  for (const canvas of watched) {
    if (drawnSince.delete(canvas)) frames.set(canvas, copy(canvas));
  }
  return result;
};

function copy(canvas) {
  const out = new OffscreenCanvas(canvas.width, canvas.height);
  out.getContext('2d').drawImage(canvas, 0, 0);
  return out;
}

/** Starts keeping `canvas`'s frames. */
export function watchFrames(canvas) {
  watched.add(canvas);
}

/** The last frame submitted to `canvas` (or the canvas now, before any), as a 2D context. */
export function lastFrame(canvas) {
  return (frames.get(canvas) ?? copy(canvas)).getContext('2d');
}
