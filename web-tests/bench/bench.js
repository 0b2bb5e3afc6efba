// `npm run bench`, in the page: the work of crates/bench written
// directly against WebGPU (same shaders, same buffers, same commands), and
// the timing of both. scripts/bench.mjs drives it and prints the table.

const LARGEST = 64 << 20;
const SLOTS = 256;
const SLOT_SIZE = 256;
const SPIN_WORKGROUPS = 64;

/** The direct-JS twin of the bench guest's exports. */
export async function directBench() {
  const code = await (await fetch('/web-tests/bench/bench.wgsl')).text();
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
  const upload = device.createBuffer({ size: LARGEST, usage: GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ size: LARGEST, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const data = new Uint8Array(LARGEST);
  for (let i = 0; i < LARGEST; i++) data[i] = i & 255;
  // What the hot calls recorded, submitted by flush() outside the timing.
  let recorded = [];
  const renderPass = (encoder) =>
    encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: 'clear', storeOp: 'store' }] });

  return {
    setup() {},
    hotDispatch(count) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(noop);
      for (let i = 0; i < count; i++) pass.dispatchWorkgroups(1);
      pass.end();
      recorded.push(encoder.finish());
    },
    hotDraw(count) {
      const encoder = device.createCommandEncoder();
      const pass = renderPass(encoder);
      pass.setPipeline(draw);
      pass.setBindGroup(0, drawGroup, [0]);
      for (let i = 0; i < count; i++) pass.draw(3);
      pass.end();
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
        sum += new Uint8Array(readback.getMappedRange(0, size))[0];
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
 * in camelCase), as { name: { median, min, max, runs, per } } where `per` is
 * what the time is divided by for the figure (calls, bytes).
 */
export async function measure(impl, { hotCalls = 10000, runs = 9 } = {}) {
  await impl.setup();
  const out = {};
  const sync = (f) => async () => f();
  // Recorded commands are submitted after each timing, and a timing holds
  // at most 32 passes: unsubmitted ones pile up until garbage collection.
  const hot = { maxReps: 32, after: () => impl.flush() };
  out['hot-dispatch'] = { ...(await timed(sync(() => impl.hotDispatch(hotCalls)), runs, hot)), per: hotCalls };
  out['hot-draw'] = { ...(await timed(sync(() => impl.hotDraw(hotCalls)), runs, hot)), per: hotCalls };
  for (const [label, size, times] of [['4KiB', 4 << 10, 16], ['1MiB', 1 << 20, 4], ['64MiB', 64 << 20, 1]]) {
    out[`upload-${label}`] = { ...(await timed(() => impl.upload(size, times), runs)), per: size * times };
    out[`readback-${label}`] = { ...(await timed(() => impl.readback(size, times), runs)), per: size * times };
  }
  out['draw-frame'] = { ...(await timed(() => impl.drawFrame(5000), runs)), per: 1 };
  out['compute'] = { ...(await timed(() => impl.compute(4), runs)), per: 1 };
  return out;
}
