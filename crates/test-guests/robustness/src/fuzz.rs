//! The robustness harness, guest half: random calls with random arguments
//! through jco's real glue. Rust's types keep every argument inside the
//! WIT; within it the values are chosen to break hosts: sizes past every
//! limit, u64 above 2^53, unaligned offsets, NaN, destroyed resources,
//! resources of another device, encoders used after `finish`, re-entrant
//! and dropped maps. Every batch of calls runs inside validation and
//! out-of-memory error scopes, which count what the GPU rejected.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::gpu::{self, GpuBufferUsage as B, GpuTextureUsage as T};
use crate::util::{self, start, Boxed};
use crate::FuzzReport;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*; a zero state would stay zero.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, X>(&mut self, items: &'a [X]) -> Option<&'a X> {
        items.get(self.below(items.len() as u64) as usize)
    }
    /// Mostly small, sometimes aligned or unaligned, sometimes absurd.
    fn u64(&mut self) -> u64 {
        match self.below(10) {
            0..=4 => self.below(9) * 4,
            5 | 6 => self.below(300),
            7 => *self.pick(&[1, 2, 3, 255, 257, 1023]).unwrap_or(&1),
            8 => *self.pick(&[256, 512, 1024, 4096]).unwrap_or(&256),
            _ => *self.pick(&[1 << 32, 1 << 40, (1 << 53) + 1, 1 << 63, u64::MAX]).unwrap_or(&u64::MAX),
        }
    }
    fn u32(&mut self) -> u32 {
        if self.chance(8) {
            *self.pick(&[u32::MAX, 1 << 31, 65536, 8193]).unwrap_or(&u32::MAX)
        } else {
            self.below(65) as u32
        }
    }
    fn small(&mut self) -> u32 {
        self.below(5) as u32
    }
    fn opt<X>(&mut self, make: impl FnOnce(&mut Self) -> X) -> Option<X> {
        if self.chance(30) { None } else { Some(make(self)) }
    }
    fn bytes(&mut self) -> Vec<u8> {
        let len = if self.chance(10) { self.below(300) } else { 4 * self.below(65) };
        // Small words: random data may become indirect dispatch arguments.
        (0..len).map(|i| if i % 4 == 0 { self.below(5) as u8 } else { 0 }).collect()
    }
    fn buffer_usage(&mut self) -> B {
        let all = [B::MAP_READ, B::MAP_WRITE, B::COPY_SRC, B::COPY_DST, B::INDEX, B::VERTEX, B::UNIFORM, B::STORAGE, B::INDIRECT, B::QUERY_RESOLVE];
        let mut usage = B::empty();
        for flag in all {
            if self.chance(25) {
                usage |= flag;
            }
        }
        usage
    }
    fn texture_usage(&mut self) -> T {
        let all = [T::COPY_SRC, T::COPY_DST, T::TEXTURE_BINDING, T::STORAGE_BINDING, T::RENDER_ATTACHMENT];
        let mut usage = T::empty();
        for flag in all {
            if self.chance(35) {
                usage |= flag;
            }
        }
        usage
    }
}

const SHADERS: &[&str] = &[
    "@group(0) @binding(0) var<storage, read_write> v: array<u32>;\n@compute @workgroup_size(1) fn main() { v[0] = 7u; }",
    "@compute @workgroup_size(1) fn main() {}",
    "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }",
    "not wgsl",
];
const FORMATS: &[gpu::GpuTextureFormat] = &[
    gpu::GpuTextureFormat::Rgba8unorm,
    gpu::GpuTextureFormat::Rgba8uint,
    gpu::GpuTextureFormat::R32float,
    gpu::GpuTextureFormat::Depth24plus,
    gpu::GpuTextureFormat::Bc1RgbaUnorm,
    gpu::GpuTextureFormat::Astc4x4Unorm,
];

#[derive(Default)]
struct Pools {
    devices: Vec<Rc<gpu::GpuDevice>>,
    buffers: Vec<Rc<gpu::GpuBuffer>>,
    textures: Vec<Rc<gpu::GpuTexture>>,
    views: Vec<Rc<gpu::GpuTextureView>>,
    samplers: Vec<Rc<gpu::GpuSampler>>,
    layouts: Vec<Rc<gpu::GpuBindGroupLayout>>,
    groups: Vec<Rc<gpu::GpuBindGroup>>,
    modules: Vec<Rc<gpu::GpuShaderModule>>,
    pipelines: Vec<Rc<gpu::GpuComputePipeline>>,
    encoders: Vec<Rc<gpu::GpuCommandEncoder>>,
    passes: Vec<Rc<gpu::GpuComputePassEncoder>>,
    commands: Vec<Rc<gpu::GpuCommandBuffer>>,
    query_sets: Vec<Rc<gpu::GpuQuerySet>>,
}

fn keep<X>(pool: &mut Vec<Rc<X>>, item: X) {
    pool.push(Rc::new(item));
    if pool.len() > 12 {
        pool.remove(0);
    }
}

fn any<X>(rng: &mut Rng, pool: &[Rc<X>]) -> Option<Rc<X>> {
    rng.pick(pool).cloned()
}

struct Harness {
    rng: Rng,
    pools: Pools,
    pending: Vec<Boxed<Outcome>>,
    calls: u32,
    ok: u32,
    wit_errors: BTreeMap<String, u32>,
    scope_errors: BTreeMap<String, u32>,
    violations: Vec<String>,
    destroyed_device: bool,
}

/// A call's outcome: `Ok` or the WIT error kind, by function name.
type Outcome = (&'static str, Result<(), String>);

impl Harness {
    fn record(&mut self, outcome: Outcome) {
        self.calls += 1;
        match outcome {
            (_, Ok(())) => self.ok += 1,
            (name, Err(kind)) => *self.wit_errors.entry(format!("{name}: {kind}")).or_default() += 1,
        }
    }

    fn violation(&mut self, what: String) {
        if self.violations.len() < 20 {
            self.violations.push(what);
        }
    }

    /// Starts an async call; keeps it if it is still pending.
    fn launch(&mut self, call: Boxed<Outcome>) {
        match start(call) {
            Ok(outcome) => self.record(outcome),
            Err(future) => self.pending.push(future),
        }
    }

    async fn settle_or_drop(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        if self.rng.chance(20) {
            // The guest gives up on them: each is cancelled while pending,
            // so it counts as a call made but not as one that returned ok.
            self.calls += pending.len() as u32;
            return;
        }
        for (_, outcome) in util::join_in_completion_order(pending).await {
            self.record(outcome);
        }
    }

    async fn step(&mut self) {
        let r = &mut self.rng;
        let p = &mut self.pools;
        let Some(device) = any(r, &p.devices) else {
            return;
        };
        match r.below(30) {
            0 => {
                let descriptor = gpu::GpuBufferDescriptor { size: r.u64(), usage: r.buffer_usage(), mapped_at_creation: r.opt(|r| r.chance(50)), label: None };
                let buffer = device.create_buffer(&descriptor);
                if buffer.size() != descriptor.size && descriptor.size < (1 << 53) {
                    let what = format!("create-buffer size {} came back as {}", descriptor.size, buffer.size());
                    self.violation(what);
                }
                keep(&mut self.pools.buffers, buffer);
                self.record(("create-buffer", Ok(())));
            }
            1 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                let (mode, offset, size) = (if r.chance(50) { gpu::GpuMapMode::READ } else { gpu::GpuMapMode::WRITE }, r.opt(Rng::u64), r.opt(Rng::u64));
                self.launch(Box::pin(async move {
                    ("map-async", buffer.map_async(mode, offset, size).await.map_err(|e| util::kind_name(e.kind)))
                }));
            }
            2 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                let (offset, size) = (r.opt(Rng::u64), r.opt(Rng::u64));
                let outcome = buffer.get_mapped_range_get_with_copy(offset, size);
                if let (Ok(bytes), Some(size)) = (&outcome, size) {
                    if bytes.len() as u64 != size {
                        let what = format!("get-mapped-range size {size} gave {} bytes", bytes.len());
                        self.violation(what);
                    }
                }
                self.record(("get-mapped-range-get-with-copy", outcome.map(drop).map_err(|e| util::kind_name(e.kind))));
            }
            3 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                let (data, offset, size) = (r.bytes(), r.opt(Rng::u64), r.opt(Rng::u64));
                let outcome = buffer.get_mapped_range_set_with_copy(&data, offset, size);
                self.record(("get-mapped-range-set-with-copy", outcome.map_err(|e| util::kind_name(e.kind))));
            }
            4 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                self.record(("unmap", buffer.unmap().map_err(|e| util::kind_name(e.kind))));
            }
            5 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                buffer.destroy();
                self.record(("destroy", Ok(())));
            }
            6 => {
                let Some(buffer) = any(r, &p.buffers) else { return };
                let (offset, data, data_offset, size) = (r.u64(), r.bytes(), r.opt(Rng::u64), r.opt(Rng::u64));
                let outcome = device.queue().write_buffer_with_copy(&buffer, offset, &data, data_offset, size);
                self.record(("write-buffer-with-copy", outcome.map_err(|e| util::kind_name(e.kind))));
            }
            7 => {
                let format = *r.pick(FORMATS).unwrap_or(&gpu::GpuTextureFormat::Rgba8unorm);
                let descriptor = gpu::GpuTextureDescriptor {
                    size: gpu::GpuExtent3D { width: r.u32().min(64) + u32::from(r.chance(5)) * 9000, height: r.opt(|r| r.small()), depth_or_array_layers: r.opt(|r| r.small()) },
                    mip_level_count: r.opt(|r| r.small()),
                    sample_count: r.opt(|r| *r.pick(&[1, 4, 3]).unwrap_or(&1)),
                    dimension: r.opt(|r| *r.pick(&[gpu::GpuTextureDimension::D1, gpu::GpuTextureDimension::D2, gpu::GpuTextureDimension::D3]).unwrap_or(&gpu::GpuTextureDimension::D2)),
                    format,
                    usage: r.texture_usage(),
                    view_formats: None,
                    texture_binding_view_dimension: None,
                    label: None,
                };
                keep(&mut self.pools.textures, device.create_texture(&descriptor));
                self.record(("create-texture", Ok(())));
            }
            8 => {
                let Some(texture) = any(r, &p.textures) else { return };
                let descriptor = gpu::GpuTextureViewDescriptor {
                    format: None,
                    dimension: None,
                    usage: None,
                    aspect: None,
                    base_mip_level: r.opt(Rng::u32),
                    mip_level_count: r.opt(|r| r.small()),
                    base_array_layer: r.opt(Rng::u32),
                    array_layer_count: r.opt(|r| r.small()),
                    swizzle: None,
                    label: None,
                };
                let descriptor = if r.chance(50) { Some(&descriptor) } else { None };
                keep(&mut self.pools.views, texture.create_view(descriptor));
                self.record(("create-view", Ok(())));
            }
            9 => {
                let Some(texture) = any(r, &p.textures) else { return };
                texture.destroy();
                self.record(("texture.destroy", Ok(())));
            }
            10 => {
                let lod = *r.pick(&[0.0, 1.0, -1.0, f32::NAN, f32::INFINITY]).unwrap_or(&0.0);
                let descriptor = gpu::GpuSamplerDescriptor {
                    address_mode_u: None, address_mode_v: None, address_mode_w: None, mag_filter: None, min_filter: None, mipmap_filter: None,
                    lod_min_clamp: Some(lod), lod_max_clamp: r.opt(|_| lod), compare: None, max_anisotropy: r.opt(|r| r.below(20) as u16), label: None,
                };
                keep(&mut self.pools.samplers, device.create_sampler(Some(&descriptor)));
                self.record(("create-sampler", Ok(())));
            }
            11 => {
                let entries = (0..r.below(4))
                    .map(|_| gpu::GpuBindGroupLayoutEntry {
                        binding: r.small(),
                        visibility: gpu::GpuShaderStage::COMPUTE,
                        buffer: r.opt(|r| gpu::GpuBufferBindingLayout {
                            type_: r.opt(|r| *r.pick(&[gpu::GpuBufferBindingType::Storage, gpu::GpuBufferBindingType::Uniform, gpu::GpuBufferBindingType::ReadOnlyStorage]).unwrap_or(&gpu::GpuBufferBindingType::Storage)),
                            has_dynamic_offset: r.opt(|r| r.chance(50)),
                            min_binding_size: r.opt(Rng::u64),
                        }),
                        sampler: None,
                        texture: None,
                        storage_texture: None,
                    })
                    .collect();
                keep(&mut self.pools.layouts, device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor { entries, label: None }));
                self.record(("create-bind-group-layout", Ok(())));
            }
            12 => {
                let layout = match (r.chance(50), any(r, &p.pipelines), any(r, &p.layouts)) {
                    (true, Some(pipeline), _) => Rc::new(pipeline.get_bind_group_layout(r.small())),
                    (_, _, Some(layout)) => layout,
                    _ => return,
                };
                let buffers: Vec<_> = (0..r.below(3)).filter_map(|_| any(r, &p.buffers)).collect();
                let entries = buffers
                    .iter()
                    .map(|buffer| gpu::GpuBindGroupEntry {
                        binding: r.small(),
                        resource: if r.chance(50) {
                            gpu::GpuBindingResource::GpuBuffer(buffer)
                        } else {
                            gpu::GpuBindingResource::GpuBufferBinding(gpu::GpuBufferBinding { buffer, offset: r.opt(Rng::u64), size: r.opt(Rng::u64) })
                        },
                    })
                    .collect();
                let group = device.create_bind_group(&gpu::GpuBindGroupDescriptor { layout: &layout, entries, label: None });
                keep(&mut self.pools.groups, group);
                self.record(("create-bind-group", Ok(())));
            }
            13 => {
                let code = r.pick(SHADERS).copied().unwrap_or_default().to_string();
                keep(&mut self.pools.modules, device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code, compilation_hints: None, label: None }));
                self.record(("create-shader-module", Ok(())));
            }
            14 | 15 => {
                let Some(module) = any(r, &p.modules) else { return };
                let entry_point = r.opt(|r| r.pick(&["main", "missing", ""]).copied().unwrap_or_default().to_string());
                let descriptor = gpu::GpuComputePipelineDescriptor {
                    compute: gpu::GpuProgrammableStage { module: &module, entry_point, constants: None },
                    layout: gpu::GpuLayoutMode::Auto,
                    label: None,
                };
                if r.chance(50) {
                    keep(&mut self.pools.pipelines, device.create_compute_pipeline(descriptor));
                    self.record(("create-compute-pipeline", Ok(())));
                } else {
                    let d = device.clone();
                    let entry_point = descriptor.compute.entry_point.clone();
                    drop(descriptor);
                    self.launch(Box::pin(async move {
                        let descriptor = gpu::GpuComputePipelineDescriptor {
                            compute: gpu::GpuProgrammableStage { module: &module, entry_point, constants: None },
                            layout: gpu::GpuLayoutMode::Auto,
                            label: None,
                        };
                        ("create-compute-pipeline-async", d.create_compute_pipeline_async(descriptor).await.map(drop).map_err(|e| util::kind_name(e.kind)))
                    }));
                }
            }
            16 => {
                keep(&mut self.pools.encoders, device.create_command_encoder(None));
                self.record(("create-command-encoder", Ok(())));
            }
            17 => {
                let (Some(encoder), Some(a), Some(b)) = (any(r, &p.encoders), any(r, &p.buffers), any(r, &p.buffers)) else { return };
                encoder.copy_buffer_to_buffer(&a, r.opt(Rng::u64), &b, r.opt(Rng::u64), r.opt(Rng::u64));
                self.record(("copy-buffer-to-buffer", Ok(())));
            }
            18 => {
                let (Some(encoder), Some(buffer)) = (any(r, &p.encoders), any(r, &p.buffers)) else { return };
                encoder.clear_buffer(&buffer, r.opt(Rng::u64), r.opt(Rng::u64));
                self.record(("clear-buffer", Ok(())));
            }
            19 => {
                let Some(encoder) = any(r, &p.encoders) else { return };
                keep(&mut self.pools.passes, encoder.begin_compute_pass(None));
                self.record(("begin-compute-pass", Ok(())));
            }
            20 => {
                let (Some(pass), Some(pipeline)) = (any(r, &p.passes), any(r, &p.pipelines)) else { return };
                pass.set_pipeline(&pipeline);
                self.record(("set-pipeline", Ok(())));
            }
            21 => {
                let Some(pass) = any(r, &p.passes) else { return };
                let group = any(r, &p.groups);
                let offsets: Option<Vec<u32>> = r.opt(|r| (0..r.below(4)).map(|_| r.u32()).collect());
                let (start, length) = (r.opt(Rng::u64), r.opt(|r| r.u32()));
                let outcome = pass.set_bind_group(r.u32() % 5, group.as_deref(), offsets.as_deref(), start, length);
                self.record(("set-bind-group", outcome.map_err(|e| util::kind_name(e.kind))));
            }
            22 => {
                let Some(pass) = any(r, &p.passes) else { return };
                // Past the limit (65535), or small: never minutes of work.
                let x = if r.chance(10) { 65536 } else { r.small() };
                pass.dispatch_workgroups(x, r.opt(|r| r.small()), r.opt(|r| r.small()));
                self.record(("dispatch-workgroups", Ok(())));
            }
            23 => {
                let Some(pass) = any(r, &p.passes) else { return };
                pass.end();
                self.record(("end", Ok(())));
            }
            24 => {
                let Some(encoder) = any(r, &p.encoders) else { return };
                keep(&mut self.pools.commands, encoder.finish(None));
                self.record(("finish", Ok(())));
            }
            25 => {
                let commands: Vec<_> = (0..r.below(3)).filter_map(|_| any(r, &p.commands)).collect();
                let refs: Vec<&gpu::GpuCommandBuffer> = commands.iter().map(|c| c.as_ref()).collect();
                device.queue().submit(&refs);
                self.record(("submit", Ok(())));
                let queue = device.queue();
                self.launch(Box::pin(async move {
                    queue.on_submitted_work_done().await;
                    ("on-submitted-work-done", Ok(()))
                }));
            }
            26 => {
                let ty = if r.chance(50) { gpu::GpuQueryType::Occlusion } else { gpu::GpuQueryType::Timestamp };
                match device.create_query_set(&gpu::GpuQuerySetDescriptor { type_: ty, count: r.u32(), label: None }) {
                    Ok(set) => {
                        keep(&mut self.pools.query_sets, set);
                        self.record(("create-query-set", Ok(())));
                    }
                    Err(e) => self.record(("create-query-set", Err(util::kind_name(e.kind)))),
                }
            }
            27 => {
                let Some(module) = any(r, &p.modules) else { return };
                self.launch(Box::pin(async move {
                    let info = module.get_compilation_info().await;
                    // Read every message back, as a guest printing them would.
                    for message in info.messages() {
                        let _ = (message.line_num(), message.message());
                    }
                    ("get-compilation-info", Ok(()))
                }));
            }
            28 => {
                // Drop one object of a random pool.
                match r.below(6) {
                    0 if !p.buffers.is_empty() => drop(p.buffers.remove(r.below(p.buffers.len() as u64) as usize)),
                    1 if !p.textures.is_empty() => drop(p.textures.remove(r.below(p.textures.len() as u64) as usize)),
                    2 if !p.encoders.is_empty() => drop(p.encoders.remove(r.below(p.encoders.len() as u64) as usize)),
                    3 if !p.passes.is_empty() => drop(p.passes.remove(r.below(p.passes.len() as u64) as usize)),
                    4 if !p.groups.is_empty() => drop(p.groups.remove(r.below(p.groups.len() as u64) as usize)),
                    _ => {}
                }
            }
            _ => {
                if r.chance(3) {
                    device.destroy();
                    self.destroyed_device = true;
                    self.record(("device.destroy", Ok(())));
                }
            }
        }
    }
}

pub async fn run(seed: u64, calls: u32) -> FuzzReport {
    let mut harness = Harness {
        rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
        pools: Pools::default(),
        pending: Vec::new(),
        calls: 0,
        ok: 0,
        wit_errors: BTreeMap::new(),
        scope_errors: BTreeMap::new(),
        violations: Vec::new(),
        destroyed_device: false,
    };
    while harness.calls < calls {
        // Two devices, replaced when destroyed, so resources of the other
        // device turn up as arguments.
        while harness.pools.devices.len() < 2 {
            match util::device().await {
                Ok(device) => harness.pools.devices.push(Rc::new(device)),
                Err(e) => {
                    harness.violation(e);
                    return harness.finish();
                }
            }
        }
        let devices = harness.pools.devices.clone();
        for device in &devices {
            device.push_error_scope(gpu::GpuErrorFilter::OutOfMemory);
            device.push_error_scope(gpu::GpuErrorFilter::Validation);
        }
        let batch_end = harness.calls + 50;
        while harness.calls < batch_end.min(calls) {
            harness.step().await;
        }
        harness.settle_or_drop().await;
        for device in &devices {
            for _ in 0..2 {
                let caught = util::pop(device).await;
                if caught != "none" {
                    *harness.scope_errors.entry(caught).or_default() += 1;
                }
            }
        }
        // A destroyed device is replaced by a fresh one, as are both now
        // and then.
        if std::mem::take(&mut harness.destroyed_device) || harness.rng.chance(2) {
            harness.pools.devices.clear();
        }
    }
    harness.finish()
}

impl Harness {
    fn finish(self) -> FuzzReport {
        FuzzReport {
            calls: self.calls,
            ok: self.ok,
            wit_errors: self.wit_errors.into_iter().collect(),
            scope_errors: self.scope_errors.into_iter().collect(),
            violations: self.violations,
        }
    }
}
