//! Resource lifetime, concurrency, cancellation, error scopes and handles
//! across components. (The uncaptured-error stream is events'.)

use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::rc::Rc;

use crate::gpu::{self, GpuBufferUsage as B, GpuTextureUsage as T};
use crate::util::{self, join_in_completion_order, pop, start, Boxed};

thread_local! {
    /// What `hold-buffer` keeps between export calls.
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

#[derive(Default)]
struct Kept {
    device: Option<Rc<gpu::GpuDevice>>,
    buffers: Vec<gpu::GpuBuffer>,
}

async fn kept_device() -> Result<Rc<gpu::GpuDevice>, String> {
    if let Some(device) = KEPT.with(|k| k.borrow().device.clone()) {
        return Ok(device);
    }
    let device = Rc::new(util::device().await?);
    KEPT.with(|k| k.borrow_mut().device = Some(device.clone()));
    Ok(device)
}

const CHURN_SHADER: &str = "@group(0) @binding(0) var<uniform> u: vec4f;\n\
    @group(0) @binding(1) var t: texture_2d<f32>;\n\
    @group(0) @binding(2) var s: sampler;\n\
    @fragment fn main() -> @location(0) vec4f { return u + textureSample(t, s, vec2f(0.5)); }";

/// `iterations` rounds of create-then-drop; returns 0, or 1 if the
/// validation scope around the whole loop caught an error.
pub async fn churn(iterations: u32) -> Result<u32, String> {
    let device = util::device().await?;
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code: CHURN_SHADER.into(), compilation_hints: None, label: None });
    drop(module);
    let layout = device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor {
        entries: vec![
            layout_entry(0, Some(gpu::GpuBufferBindingLayout { type_: None, has_dynamic_offset: None, min_binding_size: None }), None, None),
            layout_entry(1, None, None, Some(gpu::GpuTextureBindingLayout { sample_type: None, view_dimension: None, multisampled: None })),
            layout_entry(2, None, Some(gpu::GpuSamplerBindingLayout { type_: None }), None),
        ],
        label: None,
    });
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let queue = device.queue();
    for i in 0..iterations {
        let buffer = util::buffer(&device, 256, B::UNIFORM | B::COPY_DST);
        let texture = util::texture(&device, (4, Some(4)), gpu::GpuTextureFormat::Rgba8unorm, T::TEXTURE_BINDING);
        let view = texture.create_view(None);
        let sampler = device.create_sampler(None);
        let group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
            layout: &layout,
            entries: vec![
                gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&buffer) },
                gpu::GpuBindGroupEntry { binding: 1, resource: gpu::GpuBindingResource::GpuTextureView(&view) },
                gpu::GpuBindGroupEntry { binding: 2, resource: gpu::GpuBindingResource::GpuSampler(&sampler) },
            ],
            label: None,
        });
        drop((group, sampler, view, texture, buffer));
        // Let the browser run (its garbage collector, the GPU process) as
        // any real frame loop would.
        if i % 1000 == 999 {
            queue.on_submitted_work_done().await;
        }
    }
    Ok(if pop(&device).await == "none" { 0 } else { 1 })
}

fn layout_entry(
    binding: u32,
    buffer: Option<gpu::GpuBufferBindingLayout>,
    sampler: Option<gpu::GpuSamplerBindingLayout>,
    texture: Option<gpu::GpuTextureBindingLayout>,
) -> gpu::GpuBindGroupLayoutEntry {
    gpu::GpuBindGroupLayoutEntry { binding, visibility: gpu::GpuShaderStage::FRAGMENT, buffer, sampler, texture, storage_texture: None }
}

/// Keeps the GPU busy for `spin` iterations, then writes `values[i] = i`
/// for `count` values into a new storage buffer, which it returns.
fn spin_then_count(device: &gpu::GpuDevice, count: u32, spin: u32) -> Result<gpu::GpuBuffer, String> {
    let code = format!(
        "@group(0) @binding(0) var<storage, read_write> values: array<u32>;\n\
         @compute @workgroup_size(1) fn main() {{\n\
           var x = 1u;\n\
           for (var i = 0u; i < {spin}u; i++) {{ x = x * 1664525u + 1013904223u; }}\n\
           for (var i = 0u; i < {count}u; i++) {{ values[i] = i; }}\n\
           if (x == 12345u) {{ values[0] = 99u; }}\n\
         }}"
    );
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code, compilation_hints: None, label: None });
    let pipeline = device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
        compute: gpu::GpuProgrammableStage { module: &module, entry_point: None, constants: None },
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    });
    let values = util::buffer(device, 4 * u64::from(count.max(1)), B::STORAGE | B::COPY_SRC);
    let group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &pipeline.get_bind_group_layout(0),
        entries: vec![gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&values) }],
        label: None,
    });
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_compute_pass(None);
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, Some(&group), None, None, None).map_err(|e| e.message)?;
    pass.dispatch_workgroups(1, None, None);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    Ok(values)
}

/// Maps `count` buffers at once while the GPU is busy; returns how many
/// were pending together, the completion order and what each buffer held.
pub async fn concurrent_maps(count: u32, spin: u32) -> Result<(u32, Vec<u32>, Vec<u32>), String> {
    let device = util::device().await?;
    let values = spin_then_count(&device, count, spin)?;
    let encoder = device.create_command_encoder(None);
    let buffers: Vec<Rc<gpu::GpuBuffer>> = (0..count)
        .map(|i| {
            let buffer = util::buffer(&device, 4, B::MAP_READ | B::COPY_DST);
            encoder.copy_buffer_to_buffer(&values, Some(4 * u64::from(i)), &buffer, Some(0), Some(4));
            Rc::new(buffer)
        })
        .collect();
    device.queue().submit(&[&encoder.finish(None)]);
    let mut maps: Vec<Boxed<(usize, Result<(), gpu::MapAsyncError>)>> = Vec::new();
    let mut early = Vec::new();
    for (index, buffer) in buffers.iter().enumerate() {
        let buffer = buffer.clone();
        match start(async move { (index, buffer.map_async(gpu::GpuMapMode::READ, None, None).await) }) {
            Ok(done) => early.push(done),
            Err(pending) => maps.push(pending),
        }
    }
    let outstanding = maps.len() as u32;
    let mut order = Vec::new();
    for (index, outcome) in early.into_iter().chain(join_in_completion_order(maps).await.into_iter().map(|(_, done)| done)) {
        outcome.map_err(|e| format!("map {index}: {}", e.message))?;
        order.push(index as u32);
    }
    let mut read = Vec::new();
    for buffer in &buffers {
        let bytes = buffer.get_mapped_range_get_with_copy(None, None).map_err(|e| e.message)?;
        read.push(u32::from_le_bytes(bytes.as_slice().try_into().map_err(|_| "mapped range is not 4 bytes")?));
    }
    Ok((outstanding, order, read))
}

/// Starts `count` calls of each async function and drops them pending.
/// Returns "ok <states>" when the device still works afterwards.
pub async fn drop_pending(count: u32, spin: u32) -> String {
    match drop_pending_inner(count, spin).await {
        Ok(states) => format!("ok {states}"),
        Err(e) => e,
    }
}

async fn drop_pending_inner(count: u32, spin: u32) -> Result<String, String> {
    let device = Rc::new(util::device().await?);
    let busy = spin_then_count(&device, 1, spin)?;
    let mut pending: Vec<Boxed<()>> = Vec::new();
    let buffers: Vec<Rc<gpu::GpuBuffer>> = (0..count).map(|_| Rc::new(util::buffer(&device, 16, B::MAP_READ | B::COPY_DST))).collect();
    // The maps wait for the spinning pass: each buffer is copied to after it.
    let encoder = device.create_command_encoder(None);
    for buffer in &buffers {
        encoder.copy_buffer_to_buffer(&busy, Some(0), buffer, Some(0), Some(4));
    }
    device.queue().submit(&[&encoder.finish(None)]);
    for i in 0..count {
        let buffer = buffers[i as usize].clone();
        let queue = device.queue();
        let d = device.clone();
        let module = Rc::new(device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
            code: "@compute @workgroup_size(1) fn main() {}".into(),
            compilation_hints: None,
            label: None,
        }));
        let m = module.clone();
        device.push_error_scope(gpu::GpuErrorFilter::Validation);
        let calls: Vec<Boxed<()>> = vec![
            Box::pin(async move { let _ = buffer.map_async(gpu::GpuMapMode::READ, None, None).await; }),
            Box::pin(async move { queue.on_submitted_work_done().await; }),
            Box::pin(async move { let _ = d.pop_error_scope().await; }),
            Box::pin(async move { let _ = m.get_compilation_info().await; }),
            Box::pin({
                let d = device.clone();
                let m = module.clone();
                async move {
                    let _ = d
                        .create_compute_pipeline_async(gpu::GpuComputePipelineDescriptor {
                            compute: gpu::GpuProgrammableStage { module: &m, entry_point: None, constants: None },
                            layout: gpu::GpuLayoutMode::Auto,
                            label: None,
                        })
                        .await;
                }
            }),
            Box::pin(async move { let _ = gpu::get_gpu().request_adapter(None).await; }),
        ];
        for call in calls {
            if let Err(future) = start(call) {
                pending.push(future);
            }
        }
    }
    // The guest gives up on every call still pending.
    let dropped = pending.len();
    drop(pending);

    // The device still answers, and a buffer whose map was dropped still
    // maps in the browser (a dropped call is not undone).
    device.queue().on_submitted_work_done().await;
    let probe = util::buffer(&device, 4, B::MAP_READ | B::COPY_DST);
    device.queue().write_buffer_with_copy(&probe, 0, &[1, 2, 3, 4], None, None).map_err(|e| e.message)?;
    probe.map_async(gpu::GpuMapMode::READ, None, None).await.map_err(|e| format!("map after drops: {}", e.message))?;
    let bytes = probe.get_mapped_range_get_with_copy(None, None).map_err(|e| e.message)?;
    if bytes != [1, 2, 3, 4] {
        return Err(format!("read {bytes:?} after drops"));
    }
    let mapped = buffers.iter().filter(|b| b.map_state() == gpu::GpuBufferMapState::Mapped).count();
    Ok(format!("dropped={dropped} mapped={mapped}/{count}"))
}

/// A copy whose source buffer, source texture, encoder and command buffer
/// are all dropped right after submit; returns what arrived.
pub async fn drop_in_flight() -> Result<Vec<u8>, String> {
    let device = util::device().await?;
    let queue = device.queue();
    let destination = util::buffer(&device, 512, B::MAP_READ | B::COPY_DST);
    {
        let source = device.create_buffer(&gpu::GpuBufferDescriptor { size: 256, usage: B::COPY_SRC, mapped_at_creation: Some(true), label: None });
        let pattern: Vec<u8> = (0..=255).collect();
        source.get_mapped_range_set_with_copy(&pattern, None, None).map_err(|e| e.message)?;
        source.unmap().map_err(|e| e.message)?;
        let texture = util::texture(&device, (64, Some(1)), gpu::GpuTextureFormat::Rgba8uint, T::COPY_DST | T::COPY_SRC);
        let reversed: Vec<u8> = (0..=255).rev().collect();
        queue.write_texture_with_copy(
            &gpu::GpuTexelCopyTextureInfo { texture: &texture, mip_level: None, origin: None, aspect: None },
            &reversed,
            gpu::GpuTexelCopyBufferLayout { offset: None, bytes_per_row: Some(256), rows_per_image: None },
            gpu::GpuExtent3D { width: 64, height: None, depth_or_array_layers: None },
        );
        let encoder = device.create_command_encoder(None);
        encoder.copy_buffer_to_buffer(&source, Some(0), &destination, Some(0), Some(256));
        encoder.copy_texture_to_buffer(
            &gpu::GpuTexelCopyTextureInfo { texture: &texture, mip_level: None, origin: None, aspect: None },
            &gpu::GpuTexelCopyBufferInfo { buffer: &destination, offset: Some(256), bytes_per_row: Some(256), rows_per_image: None },
            gpu::GpuExtent3D { width: 64, height: None, depth_or_array_layers: None },
        );
        let commands = encoder.finish(None);
        queue.submit(&[&commands]);
        // source, texture, encoder and commands are dropped here.
    }
    destination.map_async(gpu::GpuMapMode::READ, None, None).await.map_err(|e| e.message)?;
    destination.get_mapped_range_get_with_copy(None, None).map_err(|e| e.message)
}

/// What the innermost scope caught: "none", the error's kind or, with
/// `with_message`, the kind and whether the browser gave a message.
async fn popped(device: &gpu::GpuDevice, with_message: bool) -> String {
    let (kind, has_message) = match device.pop_error_scope().await {
        Ok(None) => return "none".into(),
        Ok(Some(error)) => (util::kind_name(error.kind()), !error.message().is_empty()),
        Err(error) => (util::kind_name(error.kind), !error.message.is_empty()),
    };
    if with_message { format!("{kind} {has_message}") } else { kind }
}

/// Nested scopes with each filter. A validation error goes to the
/// innermost validation scope; other filters let it through.
pub async fn scopes() -> Vec<(String, String)> {
    let device = match util::device().await {
        Ok(device) => device,
        Err(e) => return vec![("device".into(), e)],
    };
    use gpu::GpuErrorFilter::{Internal, OutOfMemory, Validation};
    let invalid = || drop(util::buffer(&device, 4, B::MAP_READ | B::MAP_WRITE));
    let mut out = Vec::new();

    // [case, outer filter, inner filter, errors raised]: reported as what
    // the inner scope caught, then the outer.
    let nested = [
        ("validation-under-out-of-memory", Validation, OutOfMemory, 1),
        ("validation-under-internal", Validation, Internal, 1),
        ("validation-inside-out-of-memory", OutOfMemory, Validation, 1),
        ("two-errors-two-validation-scopes", Validation, Validation, 2),
    ];
    for (case, outer, inner, errors) in nested {
        device.push_error_scope(outer);
        device.push_error_scope(inner);
        for _ in 0..errors {
            invalid();
        }
        let caught_inside = popped(&device, false).await;
        out.push((case.to_string(), format!("{caught_inside} {}", popped(&device, false).await)));
    }

    device.push_error_scope(Validation);
    out.push(("empty-scope".into(), popped(&device, false).await));

    device.push_error_scope(Validation);
    invalid();
    out.push(("error-has-message".into(), popped(&device, true).await));

    out.push(("pop-with-no-scope".into(), popped(&device, true).await));

    device.destroy();
    device.push_error_scope(Validation);
    out.push(("pop-after-destroy".into(), popped(&device, false).await));
    out
}

pub async fn hold_buffer(size: u64) -> Result<u32, String> {
    let device = kept_device().await?;
    let buffer = util::buffer(&device, size, B::COPY_DST);
    let handle = buffer.handle();
    KEPT.with(|k| k.borrow_mut().buffers.push(buffer));
    Ok(handle)
}

/// Reads the size of whatever this component's table holds at `handle`.
/// A number from another component names nothing of theirs here: it is
/// this component's own entry, or none, which jco rejects.
pub fn probe_handle(handle: u32) -> u64 {
    // SAFETY: deliberately forged to test the host. ManuallyDrop keeps the
    // guest from dropping an entry it does not own.
    let buffer = ManuallyDrop::new(unsafe { gpu::GpuBuffer::from_handle(handle) });
    buffer.size()
}
