// Runs a transpiled component in a dedicated worker, its surfaces on the
// OffscreenCanvas the page transferred. Import maps do not reach workers, so
// the component is one transpiled with the package's URL (see build.mjs).
import { lastFrame, watchFrames } from '/web-tests/pages/frame-snapshot.js';
import { setSurfaceOptions } from '/npm/dist/index.js';

let canvas;
globalThis.wasiPrint = (line) => postMessage({ line });

onmessage = async ({ data }) => {
  if (data.run) {
    canvas = data.canvas;
    watchFrames(canvas);
    setSurfaceOptions({ canvas });
    try {
      const module = await import(`/web-tests/build/${data.run}/${data.run}.js`);
      postMessage({ line: `[run] ${data.run} start` });
      await module.start();
    } catch (error) {
      postMessage({ line: `[run] failed: ${error?.stack ?? error}` });
    }
  } else if (data.read) {
    const [x, y] = data.read;
    postMessage({ pixel: Array.from(lastFrame(canvas).getImageData(x, y, 1, 1).data), size: [canvas.width, canvas.height] });
  }
};

// Messages sent while the imports above were loading may have gone before
// onmessage was set: the page waits for this one first.
postMessage({ ready: true });
