//! The frame, in plain wgpu: the same shaders, buffers and commands as the
//! frame-loop bench guest and its JS twin (web-tests/bench/frame-loop.js).

const SHADER: &str = include_str!("../../../../web-tests/bench/frame-loop.wgsl");
const SLOTS: u32 = 256;
const TINT_STRIDE: u32 = 256;
const TRIANGLE_BYTES: u64 = 3 * 2 * 4;

pub struct Frame {
    surface: wgpu::Surface<'static>,
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::RenderPipeline,
    group: wgpu::BindGroup,
    triangles: wgpu::Buffer,
}

impl Frame {
    pub async fn new(instance: &wgpu::Instance, surface: wgpu::Surface<'static>, width: u32, height: u32) -> Result<Self, String> {
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions { compatible_surface: Some(&surface), ..Default::default() })
            .await
            .map_err(|e| format!("no adapter: {e}"))?;
        let (device, queue) = adapter.request_device(&Default::default()).await.map_err(|e| format!("no device: {e}"))?;
        let config = surface.get_default_config(&adapter, width, height).ok_or("the surface does not suit the adapter")?;
        surface.configure(&device, &config);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("frame-loop shaders"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: None,
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Buffer { ty: wgpu::BufferBindingType::Uniform, has_dynamic_offset: true, min_binding_size: wgpu::BufferSize::new(16) },
                count: None,
            }],
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("frame-loop pipeline"),
            layout: Some(&device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor { label: None, bind_group_layouts: &[Some(&layout)], immediate_size: 0 })),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout { array_stride: 8, step_mode: wgpu::VertexStepMode::Vertex, attributes: &wgpu::vertex_attr_array![0 => Float32x2] })],
            },
            primitive: Default::default(),
            depth_stencil: None,
            multisample: Default::default(),
            fragment: Some(wgpu::FragmentState { module: &module, entry_point: Some("fs"), compilation_options: Default::default(), targets: &[Some(config.format.into())] }),
            multiview_mask: None,
            cache: None,
        });
        let tints = device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: u64::from(SLOTS * TINT_STRIDE),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut tint_bytes = vec![0u8; (SLOTS * TINT_STRIDE) as usize];
        for i in 0..SLOTS {
            let tint = [(i % 7) as f32 / 6.0, (i % 5) as f32 / 4.0, (i % 3) as f32 / 2.0, 1.0];
            let at = (i * TINT_STRIDE) as usize;
            for (k, v) in tint.iter().enumerate() {
                tint_bytes[at + 4 * k..at + 4 * k + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
        queue.write_buffer(&tints, 0, &tint_bytes);
        let triangles = device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: u64::from(SLOTS) * TRIANGLE_BYTES,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let corners: Vec<u8> = (0..SLOTS)
            .flat_map(|i| {
                let (x, y) = ((i % 16) as f32 / 8.0 - 1.0, (i / 16) as f32 / 8.0 - 1.0);
                [x, y, x + 0.12, y, x, y + 0.12]
            })
            .flat_map(|v| v.to_le_bytes())
            .collect();
        queue.write_buffer(&triangles, 0, &corners);
        let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding { buffer: &tints, offset: 0, size: wgpu::BufferSize::new(16) }),
            }],
        });
        Ok(Frame { surface, device, queue, pipeline, group, triangles })
    }

    pub fn draw(&self, draws: u32) -> Result<(), String> {
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(frame) | wgpu::CurrentSurfaceTexture::Suboptimal(frame) => frame,
            other => return Err(format!("no frame: {other:?}")),
        };
        let view = frame.texture.create_view(&Default::default());
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: None,
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations { load: wgpu::LoadOp::Clear(wgpu::Color::BLACK), store: wgpu::StoreOp::Store },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            pass.set_pipeline(&self.pipeline);
            for i in 0..draws {
                let slot = i % SLOTS;
                pass.set_bind_group(0, &self.group, &[slot * TINT_STRIDE]);
                let start = u64::from(slot) * TRIANGLE_BYTES;
                pass.set_vertex_buffer(0, self.triangles.slice(start..start + TRIANGLE_BYTES));
                pass.draw(0..3, 0..1);
            }
        }
        self.queue.submit([encoder.finish()]);
        self.queue.present(frame);
        Ok(())
    }
}
