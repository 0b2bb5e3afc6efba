// `npm run bench`'s frame-loop figure, in the page: the direct-JS twin of
// crates/test-guests/frame-loop (same shaders, buffers and commands, with
// requestAnimationFrame for the surface's on-frame stream), and the `now`
// import that guest times itself with.

const SLOTS = 256;
const TINT_STRIDE = 256;
const TRIANGLE_BYTES = 3 * 2 * 4;

/**
 * The guest's `now` import. Under the raw path it is bound straight to the
 * guest's core import (a `cabiLower` form: no arguments, an f64 back), so
 * reading the clock costs the same on every path.
 */
export function now() {
  return performance.now();
}
now[Symbol.for('cabiLower')] = () => () => performance.now();

/** The guest's `print` import: the bench shows nothing it prints. */
export function print() {}

/** The twin of the guest's `frames` export, drawing on `canvas`. */
export async function directFrameLoop(canvas) {
  const code = await (await fetch('/web-tests/bench/frame-loop.wgsl')).text();
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const format = navigator.gpu.getPreferredCanvasFormat();
  const context = canvas.getContext('webgpu');
  context.configure({ device, format });
  const module = device.createShaderModule({ code, label: 'frame-loop shaders' });
  const layout = device.createBindGroupLayout({
    entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } }],
  });
  const pipeline = device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    vertex: { module, entryPoint: 'vs', buffers: [{ arrayStride: 8, attributes: [{ format: 'float32x2', offset: 0, shaderLocation: 0 }] }] },
    fragment: { module, entryPoint: 'fs', targets: [{ format }] },
    label: 'frame-loop pipeline',
  });
  const tintBuffer = device.createBuffer({ size: SLOTS * TINT_STRIDE, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const tints = new Float32Array((SLOTS * TINT_STRIDE) / 4);
  for (let i = 0; i < SLOTS; i++) tints.set([(i % 7) / 6, (i % 5) / 4, (i % 3) / 2, 1], (i * TINT_STRIDE) / 4);
  device.queue.writeBuffer(tintBuffer, 0, tints);
  const triangles = device.createBuffer({ size: SLOTS * TRIANGLE_BYTES, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST });
  const corners = new Float32Array((SLOTS * TRIANGLE_BYTES) / 4);
  for (let i = 0; i < SLOTS; i++) {
    const [x, y] = [(i % 16) / 8 - 1, Math.floor(i / 16) / 8 - 1];
    corners.set([x, y, x + 0.12, y, x, y + 0.12], i * 6);
  }
  device.queue.writeBuffer(triangles, 0, corners);
  const group = device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: tintBuffer, size: 16 } }] });

  function frame(draws) {
    const view = context.getCurrentTexture().createView();
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view, clearValue: { r: 0, g: 0, b: 0, a: 1 }, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(pipeline);
    const offset = [0];
    for (let i = 0; i < draws; i++) {
      const slot = i % SLOTS;
      offset[0] = slot * TINT_STRIDE;
      pass.setBindGroup(0, group, offset);
      pass.setVertexBuffer(0, triangles, slot * TRIANGLE_BYTES, TRIANGLE_BYTES);
      pass.draw(3);
    }
    pass.end();
    device.queue.submit([encoder.finish()]);
  }

  return {
    frames(count, draws) {
      const times = [];
      return new Promise((resolve) => {
        const loop = () => {
          const start = performance.now();
          frame(draws);
          times.push(performance.now() - start);
          if (times.length < count) requestAnimationFrame(loop);
          else resolve(times);
        };
        requestAnimationFrame(loop);
      });
    },
  };
}
