//! Frame-loop guest: what `npm run bench` times as `frame-loop`, and what
//! `npm run measure:memory -- --frames N` runs for the long run. Written
//! only against the WIT, in the native runtime's shape (a surface, its
//! WebGPU context, an `on-frame` stream), so jco's glue for streams is in
//! the picture exactly as for shipped guests.

wit_bindgen::generate!({
    world: "example:frame-loop/frame-loop",
    path: [
        "../../../wit/deps/wasi-webgpu-0.3.0-rc.2",
        "../../../wit/deps/wasi-gfx-frame-buffer-0.2.0",
        "../../../wit/deps/wasi-gfx-surface-0.2.0",
        "wit/world.wit",
    ],
    generate_all,
});

use std::cell::RefCell;
use std::rc::Rc;

use gpu::{GpuBufferUsage as B, GpuShaderStage};
use wasi::webgpu::webgpu as gpu;
use wasi_gfx::surface::surface::{CreateDesc, Surface};
use wasi_gfx::surface::surface_webgpu::{Context, ContextConfiguration};

const SHADERS: &str = include_str!("../../../../web-tests/bench/frame-loop.wgsl");
/// Triangles in the vertex buffer and tints in the uniform buffer; draw i
/// uses slot i % SLOTS of each.
const SLOTS: u32 = 256;
const TINT_STRIDE: u32 = 256;
const TRIANGLE_BYTES: u32 = 3 * 2 * 4;

struct Renderer {
    /// Kept alive with the context: dropping the surface closes the canvas.
    surface: Surface,
    context: Context,
    device: gpu::GpuDevice,
    queue: gpu::GpuQueue,
    pipeline: gpu::GpuRenderPipeline,
    tints: gpu::GpuBindGroup,
    triangles: gpu::GpuBuffer,
}

thread_local! {
    static RENDERER: RefCell<Option<Rc<Renderer>>> = const { RefCell::new(None) };
}

struct Component;

impl Guest for Component {
    async fn frames(count: u32, draws: u32) -> Result<Vec<f64>, String> {
        let existing = RENDERER.with(|r| r.borrow().clone());
        let renderer = match existing {
            Some(renderer) => renderer,
            None => {
                let made = Rc::new(Renderer::new().await?);
                RENDERER.with(|r| *r.borrow_mut() = Some(made.clone()));
                made
            }
        };
        let mut times = Vec::with_capacity(count as usize);
        let mut events = renderer.surface.on_frame();
        while times.len() < count as usize {
            if events.next().await.is_none() {
                return Err("the frame stream ended".into());
            }
            let start = now();
            renderer.frame(draws);
            times.push(now() - start);
            renderer.context.present();
        }
        Ok(times)
    }
}

export!(Component);

impl Renderer {
    async fn new() -> Result<Renderer, String> {
        let surface = Surface::new(CreateDesc { height: None, width: None });
        let gpu = gpu::get_gpu();
        let adapter = gpu.request_adapter(None).await.ok_or("no adapter")?;
        let device = adapter.request_device(None).await.map_err(|e| e.message)?;
        let queue = device.queue();
        let format = gpu.get_preferred_canvas_format();
        let context = Context::new(&surface);
        context.configure(&ContextConfiguration {
            device: &device,
            format,
            usage: None,
            view_formats: None,
            color_space: None,
            tone_mapping: None,
            alpha_mode: None,
        });

        let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
            code: SHADERS.into(),
            compilation_hints: None,
            label: Some("frame-loop shaders".into()),
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
        let pipeline_layout = device.create_pipeline_layout(&gpu::GpuPipelineLayoutDescriptor {
            bind_group_layouts: vec![Some(&layout)],
            immediate_size: None,
            label: None,
        });
        let pipeline = device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
            vertex: gpu::GpuVertexState {
                module: &module,
                entry_point: Some("vs".into()),
                constants: None,
                buffers: Some(vec![Some(gpu::GpuVertexBufferLayout {
                    array_stride: 8,
                    step_mode: None,
                    attributes: vec![gpu::GpuVertexAttribute {
                        format: gpu::GpuVertexFormat::Float32x2,
                        offset: 0,
                        shader_location: 0,
                    }],
                })]),
            },
            primitive: None,
            depth_stencil: None,
            multisample: None,
            fragment: Some(gpu::GpuFragmentState {
                module: &module,
                entry_point: Some("fs".into()),
                constants: None,
                targets: vec![Some(gpu::GpuColorTargetState { format, blend: None, write_mask: None })],
            }),
            layout: gpu::GpuLayoutMode::Specific(&pipeline_layout),
            label: Some("frame-loop pipeline".into()),
        });

        let tint_buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
            size: u64::from(SLOTS * TINT_STRIDE),
            usage: B::UNIFORM | B::COPY_DST,
            mapped_at_creation: None,
            label: None,
        });
        queue
            .write_buffer_with_copy(&tint_buffer, 0, &tint_bytes(), None, None)
            .map_err(|e| e.message)?;
        let triangles = device.create_buffer(&gpu::GpuBufferDescriptor {
            size: u64::from(SLOTS * TRIANGLE_BYTES),
            usage: B::VERTEX | B::COPY_DST,
            mapped_at_creation: None,
            label: None,
        });
        queue
            .write_buffer_with_copy(&triangles, 0, &triangle_bytes(), None, None)
            .map_err(|e| e.message)?;
        let tints = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
            layout: &layout,
            entries: vec![gpu::GpuBindGroupEntry {
                binding: 0,
                resource: gpu::GpuBindingResource::GpuBufferBinding(gpu::GpuBufferBinding {
                    buffer: &tint_buffer,
                    offset: None,
                    size: Some(16),
                }),
            }],
            label: None,
        });
        Ok(Renderer { surface, context, device, queue, pipeline, tints, triangles })
    }

    /// One frame: what the JS twin's frame does, call for call.
    fn frame(&self, draws: u32) {
        let texture = self.context.get_current_texture();
        let view = texture.create_view(None);
        let encoder = self.device.create_command_encoder(None);
        let pass = encoder.begin_render_pass(&gpu::GpuRenderPassDescriptor {
            color_attachments: vec![Some(gpu::GpuRenderPassColorAttachment {
                view: &view,
                depth_slice: None,
                resolve_target: None,
                clear_value: Some(gpu::GpuColor { r: 0.0, g: 0.0, b: 0.0, a: 1.0 }),
                load_op: gpu::GpuLoadOp::Clear,
                store_op: gpu::GpuStoreOp::Store,
            })],
            depth_stencil_attachment: None,
            occlusion_query_set: None,
            timestamp_writes: None,
            max_draw_count: None,
            label: None,
        });
        pass.set_pipeline(&self.pipeline);
        let mut offset = [0u32];
        for i in 0..draws {
            let slot = i % SLOTS;
            offset[0] = slot * TINT_STRIDE;
            // The offsets are ours and in range: the result cannot be an error.
            let _ = pass.set_bind_group(0, Some(&self.tints), Some(&offset), None, None);
            pass.set_vertex_buffer(0, Some(&self.triangles), Some(u64::from(slot * TRIANGLE_BYTES)), Some(u64::from(TRIANGLE_BYTES)));
            pass.draw(3, None, None, None);
        }
        pass.end();
        self.queue.submit(&[&encoder.finish(None)]);
    }
}

/// Slot i: an RGBA tint at i * TINT_STRIDE.
fn tint_bytes() -> Vec<u8> {
    let mut bytes = vec![0u8; (SLOTS * TINT_STRIDE) as usize];
    for i in 0..SLOTS {
        let tint = [(i % 7) as f32 / 6.0, (i % 5) as f32 / 4.0, (i % 3) as f32 / 2.0, 1.0];
        for (k, value) in tint.iter().enumerate() {
            let at = (i * TINT_STRIDE) as usize + k * 4;
            bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}

/// Triangle i: a small triangle in cell i of a 16 x 16 grid over clip space.
fn triangle_bytes() -> Vec<u8> {
    let mut bytes = Vec::with_capacity((SLOTS * TRIANGLE_BYTES) as usize);
    for i in 0..SLOTS {
        let (x, y) = ((i % 16) as f32 / 8.0 - 1.0, (i / 16) as f32 / 8.0 - 1.0);
        for (dx, dy) in [(0.0, 0.0), (0.12, 0.0), (0.0, 0.12)] {
            bytes.extend_from_slice(&(x + dx as f32).to_le_bytes());
            bytes.extend_from_slice(&(y + dy as f32).to_le_bytes());
        }
    }
    bytes
}
