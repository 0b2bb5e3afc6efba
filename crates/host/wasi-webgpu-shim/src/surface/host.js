// The DOM side of wasi-gfx:surface: which canvas a surface draws on, its
// size in device pixels, and the event streams. The Rust side (surface.rs)
// owns the WIT's shapes: it hands in `keyOf` to turn `KeyboardEvent.code`
// into the WIT's `key` case.

let options = {};

/**
 * One component instance's own surface options ride on the create-desc its
 * `Surface` class passes (npm/index.js's `withSurfaceOptions`); without
 * them, the page's (`setSurfaceOptions`) apply.
 */
const INSTANCE_OPTIONS = Symbol.for('wasi-webgpu-shim.surface-options');

/** The embedder's choice of canvas for the surfaces made from now on. */
export function setSurfaceOptions(next) {
  if (next !== undefined && (next === null || typeof next !== 'object')) {
    throw new TypeError('setSurfaceOptions takes an object: { canvas, container }');
  }
  options = { ...next };
}

const optionsFor = (desc) => desc?.[INSTANCE_OPTIONS] ?? options;

const isCanvasElement = (c) => typeof HTMLCanvasElement !== 'undefined' && c instanceof HTMLCanvasElement;
const isCanvas = (c) => isCanvasElement(c) || (typeof OffscreenCanvas !== 'undefined' && c instanceof OffscreenCanvas);
const devicePixelRatio = () => globalThis.devicePixelRatio || 1;

/**
 * The canvas for a new surface: the embedder's (a canvas, or a function of
 * the create-desc returning one), else a new canvas in the embedder's
 * container or, by default, one filling the page. In a worker without a
 * canvas from the embedder, an OffscreenCanvas nobody sees.
 */
function chooseCanvas(desc) {
  const options = optionsFor(desc);
  let chosen = typeof options.canvas === 'function' ? options.canvas(desc) : options.canvas;
  if (chosen !== undefined && !isCanvas(chosen)) {
    console.error('wasi-webgpu-shim: the surface option `canvas` is not a canvas; making one instead');
    chosen = undefined;
  }
  if (chosen) return { canvas: chosen, made: false };
  if (typeof document === 'undefined') {
    return { canvas: new OffscreenCanvas(desc.width ?? 300, desc.height ?? 150), made: true };
  }
  const canvas = document.createElement('canvas');
  canvas.style.display = 'block';
  if (desc.width !== undefined && desc.height !== undefined) {
    // The WIT's requested size is in CSS pixels, as winit's logical size.
    canvas.style.width = `${desc.width}px`;
    canvas.style.height = `${desc.height}px`;
  } else if (options.container) {
    canvas.style.width = '100%';
    canvas.style.height = '100%';
  } else {
    canvas.style.position = 'fixed';
    canvas.style.inset = '0';
    canvas.style.width = '100vw';
    canvas.style.height = '100vh';
  }
  (options.container ?? document.body).append(canvas);
  return { canvas, made: true };
}

/**
 * A ReadableStream fed by `subscribe(push)` (which returns its
 * unsubscribe), holding at most `capacity` items: when the guest reads
 * slower than events come, the oldest go, as in the native runtime.
 * highWaterMark 0: nothing is pulled ahead of a read.
 */
function eventStream(capacity, subscribe) {
  let queue = [];
  let waiting = null;
  let unsubscribe = () => {};
  return new ReadableStream({
    start() {
      unsubscribe = subscribe((item) => {
        if (waiting) {
          const deliver = waiting;
          waiting = null;
          deliver(item);
          return;
        }
        queue.push(item);
        if (queue.length > capacity) queue.shift();
      });
    },
    pull(controller) {
      if (queue.length) {
        controller.enqueue(queue.shift());
        return undefined;
      }
      return new Promise((resolve) => {
        waiting = (item) => {
          controller.enqueue(item);
          resolve();
        };
      });
    },
    cancel() {
      unsubscribe();
      queue = [];
      waiting = null;
    },
  }, { highWaterMark: 0 });
}

const requestFrame = (callback) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : setTimeout(callback, 16);
const cancelFrame = (id) => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id));

/** Text for a key event: the character typed, not a named key ("Enter", "Dead"). */
const typedText = (key) => ([...key].length === 1 ? key : undefined);

export class SurfaceHost {
  constructor(desc, keyOf) {
    const { canvas, made } = chooseCanvas(desc);
    this.canvas = canvas;
    this.keyOf = keyOf;
    this.resizeListeners = new Set();
    this.element = isCanvasElement(canvas) ? canvas : null;
    if (!this.element) {
      // No layout to follow: an OffscreenCanvas takes the size asked for.
      if (desc.width !== undefined && desc.height !== undefined) {
        canvas.width = desc.width;
        canvas.height = desc.height;
      }
      return;
    }
    if (!this.element.hasAttribute('tabindex')) this.element.tabIndex = 0;
    this.syncSize(this.cssBox());
    this.observer = new ResizeObserver((entries) => this.observed(entries[entries.length - 1]));
    try {
      this.observer.observe(this.element, { box: 'device-pixel-content-box' });
    } catch {
      this.observer.observe(this.element);
    }
    if (made && !optionsFor(desc).container && desc.width === undefined) this.element.focus({ preventScroll: true });
  }

  /** The canvas's CSS content box in device pixels, or null when not laid out. */
  cssBox() {
    const rect = this.element.getBoundingClientRect();
    if (!rect.width || !rect.height) return null;
    return [Math.round(rect.width * devicePixelRatio()), Math.round(rect.height * devicePixelRatio())];
  }

  observed(entry) {
    const device = entry.devicePixelContentBoxSize?.[0];
    if (device) return this.syncSize([device.inlineSize, device.blockSize]);
    const css = entry.contentBoxSize?.[0];
    if (css) this.syncSize([Math.round(css.inlineSize * devicePixelRatio()), Math.round(css.blockSize * devicePixelRatio())]);
  }

  /** The backing store follows the laid-out size, as a window's surface does. */
  syncSize(size) {
    if (!size || !size[0] || !size[1]) return;
    const [width, height] = size;
    if (this.canvas.width === width && this.canvas.height === height) return;
    this.canvas.width = width;
    this.canvas.height = height;
    for (const listener of this.resizeListeners) listener({ height, width });
  }

  width() {
    return this.canvas.width;
  }

  height() {
    return this.canvas.height;
  }

  /** Device pixels; a missing side keeps its size. */
  requestSetSize(height, width) {
    const size = [width ?? this.canvas.width, height ?? this.canvas.height];
    if (this.element) {
      this.element.style.width = `${size[0] / devicePixelRatio()}px`;
      this.element.style.height = `${size[1] / devicePixelRatio()}px`;
    }
    this.syncSize(size);
  }

  onResize() {
    return eventStream(5, (push) => {
      this.resizeListeners.add(push);
      return () => this.resizeListeners.delete(push);
    });
  }

  /** One frame event per animation frame, asked for only while a read waits. */
  onFrame() {
    let pending = null;
    return new ReadableStream({
      pull: (controller) => new Promise((resolve) => {
        pending = requestFrame(() => {
          pending = null;
          controller.enqueue({ nothing: true });
          resolve();
        });
      }),
      cancel: () => {
        if (pending !== null) cancelFrame(pending);
      },
    }, { highWaterMark: 0 });
  }

  /** Pointer positions in the canvas's device pixels, from its top-left corner. */
  onPointer(type, capacity) {
    return this.domStream(type, capacity, (event) => {
      const rect = this.element.getBoundingClientRect();
      return {
        x: ((event.clientX - rect.left) * this.canvas.width) / (rect.width || 1),
        y: ((event.clientY - rect.top) * this.canvas.height) / (rect.height || 1),
      };
    });
  }

  onKey(type) {
    return this.domStream(type, 5, (event) => ({
      key: this.keyOf(event.code),
      text: typedText(event.key),
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      shiftKey: event.shiftKey,
    }));
  }

  /** Events of `type` on the canvas element; none on an OffscreenCanvas. */
  domStream(type, capacity, toItem) {
    const element = this.element;
    return eventStream(capacity, (push) => {
      if (!element) return () => {};
      const listener = (event) => push(toItem(event));
      element.addEventListener(type, listener);
      return () => element.removeEventListener(type, listener);
    });
  }

  /** The canvas's context of `kind`, or null when it already has another kind. */
  context(kind) {
    try {
      return this.canvas.getContext(kind) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * A problem the WIT has no error for (a frame buffer of the wrong size):
   * on the console, and as a `wasi-gfx-error` event on the canvas for
   * embedders and tests.
   */
  reportError(message) {
    console.error(`wasi-gfx: ${message}`);
    if (typeof this.canvas.dispatchEvent === 'function' && typeof CustomEvent === 'function') {
      this.canvas.dispatchEvent(new CustomEvent('wasi-gfx-error', { detail: message }));
    }
  }

  /**
   * Draws `pixels` (4 bytes per pixel: blue, green, red, unused, rows from
   * the top) on the 2D context; alpha is opaque.
   */
  drawBgrx(context2d, pixels, width, height) {
    // One ImageData per size, not per frame: a frame can be megabytes.
    if (this.image?.width !== width || this.image?.height !== height) {
      this.image = context2d.createImageData(width, height);
      this.imageWords = new Uint32Array(this.image.data.buffer);
    }
    const image = this.image;
    const out = this.imageWords;
    const count = width * height;
    // Byte-wise reads: the guest's bytes need not be 4-aligned.
    for (let i = 0, j = 0; i < count; i++, j += 4) {
      out[i] = 0xff000000 | (pixels[j] << 16) | (pixels[j + 1] << 8) | pixels[j + 2];
    }
    context2d.putImageData(image, 0, 0);
  }

  /** Runs `callback` at the next animation frame (an automatic present). */
  nextFrame(callback) {
    requestFrame(callback);
  }
}
