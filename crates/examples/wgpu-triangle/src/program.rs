//! The program: a triangle on a surface, in plain wgpu. The component and
//! the web build differ only in how they make the instance and the surface
//! (lib.rs).

const SHADER: &str = r#"
struct Out { @builtin(position) position: vec4f, @location(0) colour: vec3f }

@vertex
fn vs(@location(0) position: vec2f, @location(1) colour: vec3f) -> Out {
  return Out(vec4f(position, 0.0, 1.0), colour);
}

@fragment
fn fs(in: Out) -> @location(0) vec4f {
  return vec4f(in.colour, 1.0);
}
"#;

/// x, y, then r, g, b: one solid green triangle, so pixels compare exactly.
const VERTICES: [[f32; 5]; 3] = [[0.0, 0.75, 0.0, 1.0, 0.0], [-0.75, -0.75, 0.0, 1.0, 0.0], [0.75, -0.75, 0.0, 1.0, 0.0]];
pub const CLEAR: wgpu::Color = wgpu::Color { r: 0.0, g: 0.0, b: 1.0, a: 1.0 };

pub struct Triangle {
    surface: wgpu::Surface<'static>,
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::RenderPipeline,
    vertices: wgpu::Buffer,
}

impl Triangle {
    pub async fn new(instance: &wgpu::Instance, surface: wgpu::Surface<'static>, width: u32, height: u32) -> Result<Self, String> {
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions { compatible_surface: Some(&surface), ..Default::default() })
            .await
            .map_err(|e| format!("no adapter: {e}"))?;
        let (device, queue) = adapter.request_device(&wgpu::DeviceDescriptor::default()).await.map_err(|e| format!("no device: {e}"))?;
        let config = surface.get_default_config(&adapter, width, height).ok_or("the surface does not suit the adapter")?;
        surface.configure(&device, &config);

        let vertex_bytes: Vec<u8> = VERTICES.iter().flatten().flat_map(|v| v.to_le_bytes()).collect();
        let vertices = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("triangle"),
            size: vertex_bytes.len() as u64,
            usage: wgpu::BufferUsages::VERTEX,
            mapped_at_creation: true,
        });
        vertices
            .slice(..)
            .get_mapped_range_mut()
            .map_err(|e| format!("get_mapped_range_mut: {e}"))?
            .copy_from_slice(&vertex_bytes);
        vertices.unmap();

        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("triangle"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("triangle"),
            layout: None,
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: 20,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x3],
                })],
            },
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs"),
                compilation_options: Default::default(),
                targets: &[Some(config.format.into())],
            }),
            multiview_mask: None,
            cache: None,
        });
        Ok(Triangle { surface, device, queue, pipeline, vertices })
    }

    pub fn draw(&self) -> Result<(), String> {
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(frame) | wgpu::CurrentSurfaceTexture::Suboptimal(frame) => frame,
            other => return Err(format!("no frame: {other:?}")),
        };
        let view = frame.texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("triangle"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations { load: wgpu::LoadOp::Clear(CLEAR), store: wgpu::StoreOp::Store },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_vertex_buffer(0, self.vertices.slice(..));
            pass.draw(0..3, 0..1);
        }
        self.queue.submit([encoder.finish()]);
        self.queue.present(frame);
        Ok(())
    }
}
