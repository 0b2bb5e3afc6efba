// The recorder (npm/recorder.js, issue 31): pass commands held back in wasm
// and replayed in one JS loop must do exactly what the raw bindings do,
// in the same order, with drops, unrecorded calls and errors in between.
// The sequence below runs twice on real GPU objects, through the functions
// jco's hybrid glue would get: once as the package's transpile marks them
// (recorded), once without the mark (a crossing per command).
import { test, expect } from './support/fixtures';

test('held commands replay in order around drops, unrecorded calls and errors, with the results and errors of the raw bindings', async ({ guestPage }) => {
  const result = await guestPage.evaluate(async () => {
    const shim = await (window as any).loadShim();
    const { newTable, put, free, guestMemory } = await import('/web-tests/pages/jco-tables.js' as string);
    const LOWER = Symbol.for('cabiLower');
    const device = await (await shim.getGpu().requestAdapter(undefined)).requestDevice(undefined);
    const queue = device.queue();
    const layout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: { compute: true }, buffer: { type: 'storage' } }] });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    // Each dispatch appends a digit to the counter of each workgroup: the
    // final numbers spell the order the dispatches ran in.
    const pipeline = (digit: number) =>
      device.createComputePipeline({
        layout: { tag: 'specific', val: pipelineLayout },
        compute: {
          module: device.createShaderModule({
            code: `@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1) fn main(@builtin(workgroup_id) id: vec3<u32>) { out[id.x] = out[id.x] * 10u + ${digit}u; }`,
          }),
        },
      });

    // jco's drop of a handle: rscTableRemove (which the transpile step hooks), then dispose.
    const drop = (table: any[], h: number, obj: any) => {
      free(table, h);
      (globalThis as any)[Symbol.for('wasi-webgpu-shim.handleRemoved')]?.();
      obj[Symbol.dispose] ? obj[Symbol.dispose]() : obj.free();
    };

    async function run(recorded: boolean) {
      const before = shim.recorderStats();
      const [one, two] = [pipeline(1), pipeline(2)];
      const storage = () => device.createBuffer({ size: 16n, usage: { storage: true, copySrc: true } });
      const [outA, outB] = [storage(), storage()];
      const group = (buffer: any) => device.createBindGroup({ layout, entries: [{ binding: 0, resource: { tag: 'gpu-buffer', val: buffer } }] });
      const [groupA, groupB] = [group(outA), group(outB)];
      const encoder = device.createCommandEncoder(undefined);
      const pass = encoder.beginComputePass(undefined);
      const passes = newTable();
      const pipelines = newTable();
      const groups = newTable();
      const p = put(passes, pass);
      const [p1, p2] = [put(pipelines, one), put(pipelines, two)];
      const [gA, gB] = [put(groups, groupA), put(groups, groupB)];
      const { memory, realloc } = guestMemory();
      const lower = (method: string, tables: any[][]) =>
        shim.GpuComputePassEncoder.prototype[method][LOWER]({ ...(recorded && { wasiWebgpuRecorder: 1 }), memory, realloc, resourceTables: tables });
      const setPipeline = lower('setPipeline', [passes, pipelines]);
      const setBindGroup = lower('setBindGroup', [groups, passes]);
      const dispatch = lower('dispatchWorkgroups', [passes]);
      const end = lower('end', [passes]);
      const ret = 512;
      const bind = (index: number, g: number, start?: bigint) =>
        setBindGroup(p, index, 1, g, 0, 0, 0, start === undefined ? 0 : 1, start ?? 0n, 0, 0, ret);

      setPipeline(p, p1);
      bind(0, gA);
      dispatch(p, 2, 0, 0, 0, 0);
      bind(0, gB);
      dispatch(p, 1, 0, 0, 0, 0);
      setPipeline(p, p2);
      bind(0, gA);
      dispatch(p, 1, 0, 0, 0, 0);
      // Group B's handle is dropped while a held command names it.
      drop(groups, gB, groupB);
      setPipeline(p, p1);
      dispatch(p, 3, 0, 0, 0, 0);
      // A start without offsets: range-error, written into the return area at this call.
      bind(0, gA, 5n);
      const dv = new DataView(memory.buffer);
      const rangeError = [dv.getUint8(ret), dv.getUint8(ret + 4)];
      dv.setUint8(ret, 7);
      bind(0, gA);
      const okAfter = dv.getUint8(ret);
      // A handle that names nothing traps at the call, held commands or not.
      let trap = '';
      try {
        dispatch(p + 5, 1, 0, 0, 0, 0);
      } catch (e) {
        trap = `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      end(p);

      // A second pass with an invalid bind group index: a validation error at finish.
      const encoder2 = device.createCommandEncoder(undefined);
      const pass2 = encoder2.beginComputePass(undefined);
      const p2h = put(passes, pass2);
      device.pushErrorScope('validation');
      setPipeline(p2h, p1);
      setBindGroup(p2h, 9, 1, gA, 0, 0, 0, 0, 0n, 0, 0, ret);
      dispatch(p2h, 1, 0, 0, 0, 0);
      end(p2h);
      encoder2.finish(undefined);
      const scoped = await device.popErrorScope();

      const read = device.createBuffer({ size: 32n, usage: { mapRead: true, copyDst: true } });
      encoder.copyBufferToBuffer(outA, 0n, read, 0n, 16n);
      encoder.copyBufferToBuffer(outB, 0n, read, 16n, 16n);
      queue.submit([encoder.finish(undefined)]);
      await read.mapAsync({ read: true }, undefined, undefined);
      const words = Array.from(new Uint32Array(read.getMappedRangeGetWithCopy(undefined, undefined).slice().buffer));
      const after = shim.recorderStats();
      return {
        words,
        rangeError,
        okAfter,
        trap,
        scoped: scoped ? 'error' : 'none',
        replayed: after.replayed - before.replayed,
        batches: after.batches - before.batches,
      };
    }
    return { recorded: await run(true), raw: await run(false) };
  });

  // A: 1 then 2 then 1 in workgroup 0 (121), 1 then 1 in workgroup 1, 1 in
  // workgroup 2; B: the one dispatch made before its group was dropped.
  expect(result.raw.words).toEqual([121, 11, 1, 0, 1, 0, 0, 0]);
  expect(result.recorded.words).toEqual(result.raw.words);
  expect(result.raw.rangeError).toEqual([1, 0]);
  expect(result.recorded.rangeError).toEqual(result.raw.rangeError);
  expect([result.raw.okAfter, result.recorded.okAfter]).toEqual([0, 0]);
  expect(result.raw.trap).toMatch(/^RuntimeError: unknown handle index/);
  expect(result.recorded.trap).toBe(result.raw.trap);
  expect(result.raw.scoped).not.toBe('none');
  expect(result.recorded.scoped).toBe(result.raw.scoped);
  // The recorded run replayed its commands in batches (the drop, the
  // fallbacks and end each replay what is held); the raw run held none.
  expect(result.recorded.replayed).toBeGreaterThanOrEqual(14);
  expect(result.recorded.batches).toBeGreaterThanOrEqual(3);
  expect([result.raw.replayed, result.raw.batches]).toEqual([0, 0]);
});
