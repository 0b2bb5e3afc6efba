//! The program, in plain wgpu: two textured quads drawn as instances of one
//! indexed mesh, at different depths and in back-to-front-wrong order (the
//! depth test sorts them), into a 4x multisampled target resolved to the
//! texture that is read back.

use wgpu::util::DeviceExt;

const SHADER: &str = r#"
struct Out { @builtin(position) position: vec4f, @location(0) uv: vec2f, @location(1) tint: vec3f }

@vertex
fn vs(@location(0) corner: vec2f, @location(1) uv: vec2f, @location(2) offset: vec3f, @location(3) tint: vec3f) -> Out {
  return Out(vec4f(corner + offset.xy, offset.z, 1.0), uv, tint);
}

@group(0) @binding(0) var texels: texture_2d<f32>;
@group(0) @binding(1) var nearest: sampler;

@fragment
fn fs(in: Out) -> @location(0) vec4f {
  return vec4f(textureSample(texels, nearest, in.uv).rgb * in.tint, 1.0);
}
"#;

pub const SAMPLES: u32 = 4;
/// A unit quad, x and y then u and v (v down), as two indexed triangles.
const QUAD: [[f32; 4]; 4] = [[-0.5, 0.5, 0.0, 0.0], [0.5, 0.5, 1.0, 0.0], [0.5, -0.5, 1.0, 1.0], [-0.5, -0.5, 0.0, 1.0]];
const INDICES: [u16; 6] = [0, 1, 2, 0, 2, 3];
/// Per instance: offset x, y, depth, then tint r, g, b. The nearer quad
/// comes first; its edges fall inside pixels, which MSAA then blends.
pub const INSTANCES: [[f32; 6]; 2] = [[0.26, 0.26, 0.3, 1.0, 1.0, 1.0], [-0.25, -0.25, 0.5, 1.0, 0.0, 1.0]];
/// 2x2 texels: white, red / green, blue.
const TEXELS: [u8; 16] = [255, 255, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255];

fn bytes<const N: usize>(rows: &[[f32; N]]) -> Vec<u8> {
    rows.iter().flatten().flat_map(|v| v.to_le_bytes()).collect()
}

pub async fn render(instance: &wgpu::Instance, size: u32) -> Result<Vec<u8>, String> {
    if !(64..=1024).contains(&size) || size % 64 != 0 {
        return Err(format!("size {size}: 64 to 1024 in steps of 64"));
    }
    let adapter = instance.request_adapter(&Default::default()).await.map_err(|e| format!("no adapter: {e}"))?;
    let (device, queue) = adapter.request_device(&Default::default()).await.map_err(|e| format!("no device: {e}"))?;
    let extent = wgpu::Extent3d { width: size, height: size, depth_or_array_layers: 1 };
    let target = |label, format, samples, usage| {
        device.create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: extent,
            mip_level_count: 1,
            sample_count: samples,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage,
            view_formats: &[],
        })
    };
    let format = wgpu::TextureFormat::Rgba8Unorm;
    let multisampled = target("msaa", format, SAMPLES, wgpu::TextureUsages::RENDER_ATTACHMENT);
    let resolved = target("resolved", format, 1, wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC);
    let depth = target("depth", wgpu::TextureFormat::Depth24Plus, SAMPLES, wgpu::TextureUsages::RENDER_ATTACHMENT);

    let texture = device.create_texture_with_data(
        &queue,
        &wgpu::TextureDescriptor {
            label: Some("texels"),
            size: wgpu::Extent3d { width: 2, height: 2, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        },
        wgpu::util::TextureDataOrder::LayerMajor,
        &TEXELS,
    );
    let sampler = device.create_sampler(&wgpu::SamplerDescriptor { label: Some("nearest"), ..Default::default() });
    let vertices = device.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: Some("quad"), contents: &bytes(&QUAD), usage: wgpu::BufferUsages::VERTEX });
    let instances =
        device.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: Some("instances"), contents: &bytes(&INSTANCES), usage: wgpu::BufferUsages::VERTEX });
    let index_bytes: Vec<u8> = INDICES.iter().flat_map(|i| i.to_le_bytes()).collect();
    let indices = device.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: Some("indices"), contents: &index_bytes, usage: wgpu::BufferUsages::INDEX });

    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("scene"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
    let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("scene"),
        layout: None,
        vertex: wgpu::VertexState {
            module: &module,
            entry_point: Some("vs"),
            compilation_options: Default::default(),
            buffers: &[
                Some(wgpu::VertexBufferLayout {
                    array_stride: 16,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2],
                }),
                Some(wgpu::VertexBufferLayout {
                    array_stride: 24,
                    step_mode: wgpu::VertexStepMode::Instance,
                    attributes: &wgpu::vertex_attr_array![2 => Float32x3, 3 => Float32x3],
                }),
            ],
        },
        primitive: wgpu::PrimitiveState { cull_mode: Some(wgpu::Face::Back), front_face: wgpu::FrontFace::Cw, ..Default::default() },
        depth_stencil: Some(wgpu::DepthStencilState {
            format: wgpu::TextureFormat::Depth24Plus,
            depth_write_enabled: Some(true),
            depth_compare: Some(wgpu::CompareFunction::Less),
            stencil: Default::default(),
            bias: Default::default(),
        }),
        multisample: wgpu::MultisampleState { count: SAMPLES, ..Default::default() },
        fragment: Some(wgpu::FragmentState { module: &module, entry_point: Some("fs"), compilation_options: Default::default(), targets: &[Some(format.into())] }),
        multiview_mask: None,
        cache: None,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("texels"),
        layout: &pipeline.get_bind_group_layout(0),
        entries: &[
            wgpu::BindGroupEntry { binding: 0, resource: wgpu::BindingResource::TextureView(&texture.create_view(&Default::default())) },
            wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::Sampler(&sampler) },
        ],
    });

    let row_bytes = 4 * size;
    let readback = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("readback"),
        size: u64::from(row_bytes * size),
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut encoder = device.create_command_encoder(&Default::default());
    {
        let (msaa_view, resolve_view, depth_view) =
            (multisampled.create_view(&Default::default()), resolved.create_view(&Default::default()), depth.create_view(&Default::default()));
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("scene"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &msaa_view,
                depth_slice: None,
                resolve_target: Some(&resolve_view),
                ops: wgpu::Operations { load: wgpu::LoadOp::Clear(wgpu::Color::BLACK), store: wgpu::StoreOp::Discard },
            })],
            depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                view: &depth_view,
                depth_ops: Some(wgpu::Operations { load: wgpu::LoadOp::Clear(1.0), store: wgpu::StoreOp::Discard }),
                stencil_ops: None,
            }),
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.set_vertex_buffer(0, vertices.slice(..));
        pass.set_vertex_buffer(1, instances.slice(..));
        pass.set_index_buffer(indices.slice(..), wgpu::IndexFormat::Uint16);
        pass.draw_indexed(0..INDICES.len() as u32, 0, 0..INSTANCES.len() as u32);
    }
    encoder.copy_texture_to_buffer(
        resolved.as_image_copy(),
        wgpu::TexelCopyBufferInfo { buffer: &readback, layout: wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(row_bytes), rows_per_image: None } },
        extent,
    );
    queue.submit([encoder.finish()]);

    let slice = readback.slice(..);
    let (sender, receiver) = futures_channel::oneshot::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
    receiver.await.map_err(|_| "the map callback was dropped".to_string())?.map_err(|e| format!("map_async: {e}"))?;
    let pixels = slice.get_mapped_range().map_err(|e| format!("get_mapped_range: {e}"))?.to_vec();
    readback.unmap();
    Ok(pixels)
}
