//! Benchmark guest: the work `npm run bench` times through the full stack
//! (guest, jco's glue, the shim, WebGPU). `web-tests/bench/bench.js` does
//! the same work directly against WebGPU, with the same shaders.

wit_bindgen::generate!({
    world: "example:bench/bench",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use std::cell::RefCell;
use std::rc::Rc;

use wasi::webgpu::webgpu as gpu;
use gpu::{GpuBufferUsage as B, GpuMapMode, GpuShaderStage, GpuTextureUsage};

const SHADERS: &str = include_str!("../../../../web-tests/bench/bench.wgsl");
const LARGEST: u64 = 64 << 20;
/// Dynamic offsets of the per-draw uniform: 256 slots of 256 bytes.
const SLOTS: u32 = 256;
const SLOT_SIZE: u32 = 256;
const SPIN_WORKGROUPS: u32 = 64;

struct Bench {
    device: gpu::GpuDevice,
    queue: gpu::GpuQueue,
    noop: gpu::GpuComputePipeline,
    spin: gpu::GpuComputePipeline,
    spin_group: gpu::GpuBindGroup,
    draw: gpu::GpuRenderPipeline,
    draw_group: gpu::GpuBindGroup,
    target: gpu::GpuTextureView,
    /// What the buffer-setting hot commands bind (the draw pipeline reads neither).
    vertices: gpu::GpuBuffer,
    indices: gpu::GpuBuffer,
    upload: gpu::GpuBuffer,
    readback: gpu::GpuBuffer,
    /// The bytes uploaded: made once, so the uploads time only the upload.
    data: Vec<u8>,
    /// What the hot calls recorded, submitted by `flush` outside the timing:
    /// browsers free unsubmitted command buffers only on garbage collection.
    recorded: RefCell<Vec<gpu::GpuCommandBuffer>>,
}

thread_local! {
    static BENCH: RefCell<Option<Rc<Bench>>> = const { RefCell::new(None) };
}

/// What `setup` made; the benchmark calls it first.
fn bench() -> Rc<Bench> {
    BENCH.with(|b| b.borrow().clone().expect("setup was not called"))
}

fn buffer(device: &gpu::GpuDevice, size: u64, usage: B) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

fn compute_pipeline(device: &gpu::GpuDevice, module: &gpu::GpuShaderModule, entry: &str) -> gpu::GpuComputePipeline {
    device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
        compute: gpu::GpuProgrammableStage { module, entry_point: Some(entry.into()), constants: None },
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    })
}

fn render_pass(encoder: &gpu::GpuCommandEncoder, target: &gpu::GpuTextureView) -> gpu::GpuRenderPassEncoder {
    encoder.begin_render_pass(&gpu::GpuRenderPassDescriptor {
        color_attachments: vec![Some(gpu::GpuRenderPassColorAttachment {
            view: target,
            depth_slice: None,
            resolve_target: None,
            clear_value: None,
            load_op: gpu::GpuLoadOp::Clear,
            store_op: gpu::GpuStoreOp::Store,
        })],
        depth_stencil_attachment: None,
        occlusion_query_set: None,
        timestamp_writes: None,
        max_draw_count: None,
        label: None,
    })
}

struct Component;

impl Guest for Component {
    async fn setup() -> Result<(), String> {
        let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no adapter")?;
        let device = adapter.request_device(None).await.map_err(|e| e.message)?;
        let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
            code: SHADERS.into(),
            compilation_hints: None,
            label: None,
        });
        let noop = compute_pipeline(&device, &module, "noop");
        let spin = compute_pipeline(&device, &module, "spin");
        let results = buffer(&device, u64::from(SPIN_WORKGROUPS) * 64 * 4, B::STORAGE);
        let spin_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
            layout: &spin.get_bind_group_layout(0),
            entries: vec![gpu::GpuBindGroupEntry {
                binding: 1,
                resource: gpu::GpuBindingResource::GpuBuffer(&results),
            }],
            label: None,
        });
        let layout = device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor {
            entries: vec![gpu::GpuBindGroupLayoutEntry {
                binding: 0,
                visibility: GpuShaderStage::FRAGMENT,
                buffer: Some(gpu::GpuBufferBindingLayout {
                    type_: Some(gpu::GpuBufferBindingType::Uniform),
                    has_dynamic_offset: Some(true),
                    min_binding_size: Some(16),
                }),
                sampler: None,
                texture: None,
                storage_texture: None,
            }],
            label: None,
        });
        let params = buffer(&device, u64::from(SLOTS * SLOT_SIZE), B::UNIFORM | B::COPY_DST);
        let slots: Vec<u8> = (0..SLOTS).flat_map(|i| {
            let mut slot = vec![0u8; SLOT_SIZE as usize];
            slot[..4].copy_from_slice(&i.to_le_bytes());
            slot
        }).collect();
        device.queue().write_buffer_with_copy(&params, 0, &slots, None, None).map_err(|e| e.message)?;
        let draw_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
            layout: &layout,
            entries: vec![gpu::GpuBindGroupEntry {
                binding: 0,
                resource: gpu::GpuBindingResource::GpuBufferBinding(gpu::GpuBufferBinding {
                    buffer: &params,
                    offset: None,
                    size: Some(16),
                }),
            }],
            label: None,
        });
        let draw = device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
            vertex: gpu::GpuVertexState { module: &module, entry_point: Some("vs".into()), constants: None, buffers: None },
            primitive: None,
            depth_stencil: None,
            multisample: None,
            fragment: Some(gpu::GpuFragmentState {
                module: &module,
                entry_point: Some("fs".into()),
                constants: None,
                targets: vec![Some(gpu::GpuColorTargetState { format: gpu::GpuTextureFormat::Rgba8unorm, blend: None, write_mask: None })],
            }),
            layout: gpu::GpuLayoutMode::Specific(&device.create_pipeline_layout(&gpu::GpuPipelineLayoutDescriptor {
                bind_group_layouts: vec![Some(&layout)],
                immediate_size: None,
                label: None,
            })),
            label: None,
        });
        let target = device
            .create_texture(&gpu::GpuTextureDescriptor {
                size: gpu::GpuExtent3D { width: 256, height: Some(256), depth_or_array_layers: None },
                mip_level_count: None,
                sample_count: None,
                dimension: None,
                format: gpu::GpuTextureFormat::Rgba8unorm,
                usage: GpuTextureUsage::RENDER_ATTACHMENT,
                view_formats: None,
                texture_binding_view_dimension: None,
                label: None,
            })
            .create_view(None);
        let vertices = buffer(&device, 256, B::VERTEX);
        let indices = buffer(&device, 8, B::INDEX | B::COPY_DST);
        device.queue().write_buffer_with_copy(&indices, 0, &[0, 0, 1, 0, 2, 0, 0, 0], None, None).map_err(|e| e.message)?;
        let upload = buffer(&device, LARGEST, B::COPY_DST);
        let readback = buffer(&device, LARGEST, B::MAP_READ | B::COPY_DST);
        let data = (0..LARGEST).map(|i| i as u8).collect();
        let queue = device.queue();
        BENCH.with(|b| {
            *b.borrow_mut() =
                Some(Rc::new(Bench {
                    device, queue, noop, spin, spin_group, draw, draw_group, target, vertices, indices, upload, readback, data,
                    recorded: RefCell::default(),
                }))
        });
        Ok(())
    }

    fn hot(command: String, count: u32) -> Result<(), String> {
        let b = bench();
        let encoder = b.device.create_command_encoder(None);
        if command == "dispatch" {
            let pass = encoder.begin_compute_pass(None);
            pass.set_pipeline(&b.noop);
            for _ in 0..count {
                pass.dispatch_workgroups(1, None, None);
            }
            pass.end();
        } else {
            let pass = render_pass(&encoder, &b.target);
            pass.set_pipeline(&b.draw);
            pass.set_bind_group(0, Some(&b.draw_group), Some(&[0]), None, None).ok();
            pass.set_index_buffer(&b.indices, gpu::GpuIndexFormat::Uint16, None, None);
            let white = gpu::GpuColor { r: 1.0, g: 1.0, b: 1.0, a: 1.0 };
            match command.as_str() {
                "draw" => (0..count).for_each(|_| pass.draw(3, None, None, None)),
                "draw-indexed" => (0..count).for_each(|_| pass.draw_indexed(3, None, None, None, None)),
                "set-pipeline" => (0..count).for_each(|_| pass.set_pipeline(&b.draw)),
                "set-bind-group" => (0..count).for_each(|i| {
                    pass.set_bind_group(0, Some(&b.draw_group), Some(&[(i % SLOTS) * SLOT_SIZE]), None, None).ok();
                }),
                "set-vertex-buffer" => (0..count).for_each(|_| pass.set_vertex_buffer(0, Some(&b.vertices), Some(0), None)),
                "set-index-buffer" => (0..count).for_each(|_| pass.set_index_buffer(&b.indices, gpu::GpuIndexFormat::Uint16, Some(0), None)),
                "set-viewport" => (0..count).for_each(|_| pass.set_viewport(0.0, 0.0, 256.0, 256.0, 0.0, 1.0)),
                "set-scissor-rect" => (0..count).for_each(|_| pass.set_scissor_rect(0, 0, 256, 256)),
                "set-blend-constant" => (0..count).for_each(|_| pass.set_blend_constant(white)),
                "set-stencil-reference" => (0..count).for_each(|i| pass.set_stencil_reference(i & 0xff)),
                other => return Err(format!("no hot command {other}")),
            }
            pass.end();
        }
        b.recorded.borrow_mut().push(encoder.finish(None));
        Ok(())
    }

    async fn flush() {
        let b = bench();
        let recorded: Vec<_> = b.recorded.borrow_mut().drain(..).collect();
        b.queue.submit(&recorded.iter().collect::<Vec<_>>());
        b.queue.on_submitted_work_done().await;
    }

    async fn upload(size: u32, times: u32) {
        let b = bench();
        for _ in 0..times {
            b.queue.write_buffer_with_copy(&b.upload, 0, &b.data[..size as usize], None, None).ok();
        }
        b.queue.on_submitted_work_done().await;
    }

    async fn readback(size: u32, times: u32) -> u32 {
        let buffer = &bench().readback;
        let mut sum = 0u32;
        for _ in 0..times {
            if buffer.map_async(GpuMapMode::READ, Some(0), Some(u64::from(size))).await.is_ok() {
                if let Ok(bytes) = buffer.get_mapped_range_get_with_copy(Some(0), Some(u64::from(size))) {
                    sum += u32::from(bytes[0]);
                }
                buffer.unmap().ok();
            }
        }
        sum
    }

    async fn draw_frame(draws: u32) {
        let b = bench();
        let encoder = b.device.create_command_encoder(None);
        let pass = render_pass(&encoder, &b.target);
        pass.set_pipeline(&b.draw);
        for i in 0..draws {
            pass.set_bind_group(0, Some(&b.draw_group), Some(&[(i % SLOTS) * SLOT_SIZE]), None, None).ok();
            pass.draw(3, None, None, None);
        }
        pass.end();
        b.queue.submit(&[&encoder.finish(None)]);
        b.queue.on_submitted_work_done().await;
    }

    async fn compute(dispatches: u32) {
        let b = bench();
        let encoder = b.device.create_command_encoder(None);
        let pass = encoder.begin_compute_pass(None);
        pass.set_pipeline(&b.spin);
        pass.set_bind_group(0, Some(&b.spin_group), None, None, None).ok();
        for _ in 0..dispatches {
            pass.dispatch_workgroups(SPIN_WORKGROUPS, None, None);
        }
        pass.end();
        b.queue.submit(&[&encoder.finish(None)]);
        b.queue.on_submitted_work_done().await;
    }
}

export!(Component);
