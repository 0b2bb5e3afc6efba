// `npm run bench`, in the page: the work of crates/bench written
// directly against WebGPU (same shaders, same buffers, same commands), and
// the timing of both. scripts/bench.mjs drives it and prints the table.

const LARGEST = 64 << 20;
const SLOTS = 256;
const SLOT_SIZE = 256;
const SPIN_WORKGROUPS = 64;

/** The hot commands the bench times one by one (the guest's `hot` export takes the same names). */
export const HOT_COMMANDS = [
  'dispatch', 'draw', 'draw-indexed', 'set-pipeline', 'set-bind-group', 'set-vertex-buffer', 'set-index-buffer',
  'set-viewport', 'set-scissor-rect', 'set-blend-constant', 'set-stencil-reference',
];

/** The direct-JS twin of the bench guest's exports. */
export async function directBench() {
  // Relative to this module: an http URL in a page, a file URL in Deno.
  const code = await (await fetch(new URL('./bench.wgsl', import.meta.url))).text();
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const module = device.createShaderModule({ code });
  const noop = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'noop' } });
  const spin = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'spin' } });
  const results = device.createBuffer({ size: SPIN_WORKGROUPS * 64 * 4, usage: GPUBufferUsage.STORAGE });
  const spinGroup = device.createBindGroup({ layout: spin.getBindGroupLayout(0), entries: [{ binding: 1, resource: { buffer: results } }] });
  const layout = device.createBindGroupLayout({
    entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } }],
  });
  const params = device.createBuffer({ size: SLOTS * SLOT_SIZE, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const slots = new Uint8Array(SLOTS * SLOT_SIZE);
  for (let i = 0; i < SLOTS; i++) new DataView(slots.buffer).setUint32(i * SLOT_SIZE, i, true);
  device.queue.writeBuffer(params, 0, slots);
  const drawGroup = device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: params, size: 16 } }] });
  const draw = device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    vertex: { module, entryPoint: 'vs' },
    fragment: { module, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' }] },
  });
  const target = device
    .createTexture({ size: [256, 256], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT })
    .createView();
  const vertices = device.createBuffer({ size: 256, usage: GPUBufferUsage.VERTEX });
  const indices = device.createBuffer({ size: 8, usage: GPUBufferUsage.INDEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(indices, 0, new Uint16Array([0, 1, 2, 0]));
  const upload = device.createBuffer({ size: LARGEST, usage: GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ size: LARGEST, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const data = new Uint8Array(LARGEST);
  for (let i = 0; i < LARGEST; i++) data[i] = i & 255;
  // Where a readback lands: the guest copies the mapped bytes into its own
  // memory, so the twin copies them into memory it owns too.
  const landed = new Uint8Array(LARGEST);
  // What the hot calls recorded, submitted by flush() outside the timing.
  let recorded = [];
  const renderPass = (encoder) =>
    encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: 'clear', storeOp: 'store' }] });

  return {
    setup() {},
    hot(command, count) {
      const encoder = device.createCommandEncoder();
      if (command === 'dispatch') {
        const pass = encoder.beginComputePass();
        pass.setPipeline(noop);
        for (let i = 0; i < count; i++) pass.dispatchWorkgroups(1);
        pass.end();
      } else {
        const pass = renderPass(encoder);
        pass.setPipeline(draw);
        pass.setBindGroup(0, drawGroup, [0]);
        pass.setIndexBuffer(indices, 'uint16');
        const white = { r: 1, g: 1, b: 1, a: 1 };
        const offset = [0];
        switch (command) {
          case 'draw': for (let i = 0; i < count; i++) pass.draw(3); break;
          case 'draw-indexed': for (let i = 0; i < count; i++) pass.drawIndexed(3); break;
          case 'set-pipeline': for (let i = 0; i < count; i++) pass.setPipeline(draw); break;
          case 'set-bind-group':
            for (let i = 0; i < count; i++) {
              offset[0] = (i % SLOTS) * SLOT_SIZE;
              pass.setBindGroup(0, drawGroup, offset);
            }
            break;
          case 'set-vertex-buffer': for (let i = 0; i < count; i++) pass.setVertexBuffer(0, vertices, 0); break;
          case 'set-index-buffer': for (let i = 0; i < count; i++) pass.setIndexBuffer(indices, 'uint16', 0); break;
          case 'set-viewport': for (let i = 0; i < count; i++) pass.setViewport(0, 0, 256, 256, 0, 1); break;
          case 'set-scissor-rect': for (let i = 0; i < count; i++) pass.setScissorRect(0, 0, 256, 256); break;
          case 'set-blend-constant': for (let i = 0; i < count; i++) pass.setBlendConstant(white); break;
          case 'set-stencil-reference': for (let i = 0; i < count; i++) pass.setStencilReference(i & 0xff); break;
          default: throw new Error(`no hot command ${command}`);
        }
        pass.end();
      }
      recorded.push(encoder.finish());
    },
    async flush() {
      device.queue.submit(recorded);
      recorded = [];
      await device.queue.onSubmittedWorkDone();
    },
    async upload(size, times) {
      // A view of just the bytes: Firefox copies from the whole source otherwise.
      const bytes = data.subarray(0, size);
      for (let i = 0; i < times; i++) device.queue.writeBuffer(upload, 0, bytes);
      await device.queue.onSubmittedWorkDone();
    },
    async readback(size, times) {
      let sum = 0;
      for (let i = 0; i < times; i++) {
        await readback.mapAsync(GPUMapMode.READ, 0, size);
        landed.set(new Uint8Array(readback.getMappedRange(0, size)));
        sum += landed[0];
        readback.unmap();
      }
      return sum;
    },
    async drawFrame(draws) {
      const encoder = device.createCommandEncoder();
      const pass = renderPass(encoder);
      pass.setPipeline(draw);
      const offset = [0];
      for (let i = 0; i < draws; i++) {
        offset[0] = (i % SLOTS) * SLOT_SIZE;
        pass.setBindGroup(0, drawGroup, offset);
        pass.draw(3);
      }
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
    async compute(dispatches) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(spin);
      pass.setBindGroup(0, spinGroup);
      for (let i = 0; i < dispatches; i++) pass.dispatchWorkgroups(SPIN_WORKGROUPS);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}

/**
 * Median and spread (min, max) of `runs` timings of one `work`, in ms.
 * Browsers coarsen `performance.now()` (Firefox to 1 ms), so each timing
 * covers enough repetitions to last `minMs`, found by doubling after a
 * warm-up, and is divided by them.
 */
export async function timed(work, runs, { minMs = 50, maxReps = 4096, after = async () => {} } = {}) {
  let reps = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) await work();
    const elapsed = performance.now() - start;
    await after();
    if (elapsed >= minMs || reps >= maxReps) break;
    reps *= 2;
  }
  const times = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) await work();
    times.push((performance.now() - start) / reps);
    await after();
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], min: times[0], max: times[times.length - 1], runs, reps };
}

/**
 * Every figure for one implementation (`impl` has the bench guest's exports
 * in camelCase), as { name: { median, min, max, runs, per, waits } } where
 * `per` is what the time is divided by for the figure (calls, bytes) and
 * `waits` how many completions (mapAsync, onSubmittedWorkDone) one timing
 * waits for: what a browser's completion timer can dominate.
 */
export async function measure(impl, { hotCalls = 10000, runs = 9 } = {}) {
  await impl.setup();
  const out = {};
  const sync = (f) => async () => f();
  // Recorded commands are submitted after each timing, and a timing holds
  // at most 32 passes: unsubmitted ones pile up until garbage collection.
  const hot = { maxReps: 32, after: () => impl.flush() };
  for (const command of HOT_COMMANDS) {
    out[`hot-${command}`] = { ...(await timed(sync(() => impl.hot(command, hotCalls)), runs, hot)), per: hotCalls, waits: 0 };
  }
  // An upload is `times` writes and one wait for the queue, so enough writes
  // to make that one wait small; a readback waits for each map.
  for (const [label, size, uploads, readbacks] of [['4KiB', 4 << 10, 256, 16], ['1MiB', 1 << 20, 64, 4], ['64MiB', 64 << 20, 4, 1]]) {
    out[`upload-${label}`] = { ...(await timed(() => impl.upload(size, uploads), runs)), per: size * uploads, waits: 1 };
    out[`readback-${label}`] = { ...(await timed(() => impl.readback(size, readbacks), runs)), per: size * readbacks, waits: readbacks };
  }
  out['draw-frame'] = { ...(await timed(() => impl.drawFrame(5000), runs)), per: 1, waits: 1 };
  out['compute'] = { ...(await timed(() => impl.compute(4), runs)), per: 1, waits: 1 };
  return out;
}

/**
 * How long a host takes to report a completion that has no work behind it:
 * the median of an empty onSubmittedWorkDone and of a 4-byte mapAsync, the
 * larger of the two. Firefox ESR 153 settles both on a timer of about
 * 100 ms; a figure waiting on it that often measures the timer.
 */
export async function completionLatency(samples = 7) {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const buffer = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ });
  const time = async (work) => {
    const times = [];
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      await work();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  };
  const done = await time(() => device.queue.onSubmittedWorkDone());
  const mapped = await time(async () => {
    await buffer.mapAsync(GPUMapMode.READ);
    buffer.unmap();
  });
  device.destroy();
  return Math.max(done, mapped);
}
