//! The offscreen render the tests compare with a CPU rasterization: one
//! indexed, textured mesh, depth-tested, with 4x MSAA resolved.

use crate::gpu::{self, GpuBufferUsage, GpuTextureUsage};
use crate::util;

const SHADER: &str = r#"
// Set to 1.0 through the pipeline constants: a shim that drops them halves every pixel.
override brightness: f32 = 0.5;

struct Varyings {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,
  @location(1) tint: vec3f,
}

@vertex
fn vs(@location(0) position: vec3f, @location(1) uv: vec2f, @location(2) tint: vec3f) -> Varyings {
  return Varyings(vec4f(position, 1.0), uv, tint);
}

@group(0) @binding(0) var texels: texture_2d<f32>;
@group(0) @binding(1) var nearest: sampler;

@fragment
fn fs(in: Varyings) -> @location(0) vec4f {
  let texel = textureSample(texels, nearest, in.uv);
  return vec4f(texel.rgb * in.tint * brightness, 1.0);
}
"#;

const SAMPLES: u32 = 4;
/// x y z u v r g b.
const FLOATS_PER_VERTEX: usize = 8;

pub async fn render(size: u32, vertices: &[f32], indices: &[u16], texels: &[u8], texture_size: u32) -> Result<Vec<u8>, String> {
    if size == 0 || texture_size == 0 || vertices.len() % FLOATS_PER_VERTEX != 0 {
        return Err("size and texture-size must be positive, vertices whole".into());
    }
    if texels.len() != (texture_size * texture_size * 4) as usize {
        return Err(format!("expected {} texel bytes, got {}", texture_size * texture_size * 4, texels.len()));
    }
    let device = util::device().await?;
    let queue = device.queue();

    let texture = device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width: texture_size, height: Some(texture_size), depth_or_array_layers: Some(1) },
        mip_level_count: Some(1),
        sample_count: Some(1),
        dimension: Some(gpu::GpuTextureDimension::D2),
        format: gpu::GpuTextureFormat::Rgba8unorm,
        usage: GpuTextureUsage::TEXTURE_BINDING | GpuTextureUsage::COPY_DST,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: Some("checker".into()),
    });
    queue.write_texture_with_copy(
        &gpu::GpuTexelCopyTextureInfo { texture: &texture, mip_level: None, origin: None, aspect: None },
        texels,
        gpu::GpuTexelCopyBufferLayout { offset: Some(0), bytes_per_row: Some(texture_size * 4), rows_per_image: None },
        gpu::GpuExtent3D { width: texture_size, height: Some(texture_size), depth_or_array_layers: None },
    );
    let sampler = device.create_sampler(Some(&gpu::GpuSamplerDescriptor {
        address_mode_u: Some(gpu::GpuAddressMode::Repeat),
        address_mode_v: Some(gpu::GpuAddressMode::Repeat),
        address_mode_w: None,
        mag_filter: Some(gpu::GpuFilterMode::Nearest),
        min_filter: Some(gpu::GpuFilterMode::Nearest),
        mipmap_filter: Some(gpu::GpuMipmapFilterMode::Nearest),
        lod_min_clamp: Some(0.0),
        lod_max_clamp: Some(32.0),
        compare: None,
        max_anisotropy: Some(1),
        label: None,
    }));

    let vertex_buffer = util::buffer_with(&device, &util::bytes_f32(vertices), GpuBufferUsage::VERTEX)?;
    let index_bytes: Vec<u8> = indices.iter().flat_map(|i| i.to_le_bytes()).collect();
    let index_size = (index_bytes.len() as u64).next_multiple_of(4).max(4);
    let index_buffer = util::buffer(&device, index_size, GpuBufferUsage::INDEX | GpuBufferUsage::COPY_DST);
    let mut padded_indices = index_bytes.clone();
    padded_indices.resize(index_size as usize, 0);
    queue
        .write_buffer_with_copy(&index_buffer, 0, &padded_indices, None, None)
        .map_err(|e| format!("write-buffer-with-copy: {}", e.message))?;

    let module = util::shader(&device, SHADER);
    let constants = gpu::RecordGpuPipelineConstantValue::new();
    constants.add("brightness", 1.0);
    let attribute = |format, offset, shader_location| gpu::GpuVertexAttribute { format, offset, shader_location };
    let pipeline = device
        .create_render_pipeline_async(gpu::GpuRenderPipelineDescriptor {
            vertex: gpu::GpuVertexState {
                buffers: Some(vec![Some(gpu::GpuVertexBufferLayout {
                    array_stride: (FLOATS_PER_VERTEX * 4) as u64,
                    step_mode: Some(gpu::GpuVertexStepMode::Vertex),
                    attributes: vec![
                        attribute(gpu::GpuVertexFormat::Float32x3, 0, 0),
                        attribute(gpu::GpuVertexFormat::Float32x2, 12, 1),
                        attribute(gpu::GpuVertexFormat::Float32x3, 20, 2),
                    ],
                })]),
                module: &module,
                entry_point: Some("vs".into()),
                constants: None,
            },
            primitive: Some(gpu::GpuPrimitiveState {
                topology: Some(gpu::GpuPrimitiveTopology::TriangleList),
                strip_index_format: None,
                front_face: Some(gpu::GpuFrontFace::Ccw),
                cull_mode: Some(gpu::GpuCullMode::None),
                unclipped_depth: None,
            }),
            depth_stencil: Some(gpu::GpuDepthStencilState {
                format: gpu::GpuTextureFormat::Depth24plus,
                depth_write_enabled: Some(true),
                depth_compare: Some(gpu::GpuCompareFunction::Less),
                stencil_front: None,
                stencil_back: None,
                stencil_read_mask: None,
                stencil_write_mask: None,
                depth_bias: Some(0),
                depth_bias_slope_scale: Some(0.0),
                depth_bias_clamp: Some(0.0),
            }),
            multisample: Some(gpu::GpuMultisampleState { count: Some(SAMPLES), mask: None, alpha_to_coverage_enabled: Some(false) }),
            fragment: Some(gpu::GpuFragmentState {
                targets: vec![Some(gpu::GpuColorTargetState {
                    format: gpu::GpuTextureFormat::Rgba8unorm,
                    blend: None,
                    write_mask: Some(gpu::GpuColorWrite::ALL),
                })],
                module: &module,
                entry_point: Some("fs".into()),
                constants: Some(constants),
            }),
            layout: gpu::GpuLayoutMode::Auto,
            label: Some("scene".into()),
        })
        .await
        .map_err(|e| format!("create-render-pipeline-async: {}", e.message))?;

    let texture_view = texture.create_view(None);
    let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &pipeline.get_bind_group_layout(0),
        entries: vec![
            gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuTextureView(&texture_view) },
            gpu::GpuBindGroupEntry { binding: 1, resource: gpu::GpuBindingResource::GpuSampler(&sampler) },
        ],
        label: None,
    });

    let multisampled = util::render_target(&device, size, size, SAMPLES, gpu::GpuTextureFormat::Rgba8unorm);
    let resolved = util::render_target(&device, size, size, 1, gpu::GpuTextureFormat::Rgba8unorm);
    let depth = device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width: size, height: Some(size), depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: Some(SAMPLES),
        dimension: None,
        format: gpu::GpuTextureFormat::Depth24plus,
        usage: GpuTextureUsage::RENDER_ATTACHMENT,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: None,
    });
    let (multisampled_view, resolved_view, depth_view) = (multisampled.create_view(None), resolved.create_view(None), depth.create_view(None));

    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&gpu::GpuRenderPassDescriptor {
        color_attachments: vec![Some(gpu::GpuRenderPassColorAttachment {
            view: &multisampled_view,
            depth_slice: None,
            resolve_target: Some(&resolved_view),
            clear_value: Some(gpu::GpuColor { r: 0.0, g: 0.2, b: 0.4, a: 1.0 }),
            load_op: gpu::GpuLoadOp::Clear,
            store_op: gpu::GpuStoreOp::Discard,
        })],
        depth_stencil_attachment: Some(gpu::GpuRenderPassDepthStencilAttachment {
            view: &depth_view,
            depth_clear_value: Some(1.0),
            depth_load_op: Some(gpu::GpuLoadOp::Clear),
            depth_store_op: Some(gpu::GpuStoreOp::Discard),
            depth_read_only: None,
            stencil_clear_value: None,
            stencil_load_op: None,
            stencil_store_op: None,
            stencil_read_only: None,
        }),
        occlusion_query_set: None,
        timestamp_writes: None,
        max_draw_count: None,
        label: Some("scene pass".into()),
    });
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, Some(&bind_group), None, None, None).map_err(|e| format!("set-bind-group: {}", e.message))?;
    pass.set_vertex_buffer(0, Some(&vertex_buffer), None, None);
    pass.set_index_buffer(&index_buffer, gpu::GpuIndexFormat::Uint16, Some(0), Some(index_bytes.len().next_multiple_of(2) as u64));
    pass.draw_indexed(indices.len() as u32, None, None, None, None);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    let error = util::pop(&device).await;
    if error != "none" {
        return Err(format!("rendering raised {error}"));
    }
    util::read_texture(&device, &resolved, size, size).await
}
