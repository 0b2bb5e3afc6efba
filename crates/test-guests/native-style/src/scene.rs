//! The scene every render case draws: on a blue clear, a green quad near
//! (z = 0.25, x from -1 to 0.5) drawn first and a red quad far (z = 0.75,
//! x from -0.5 to 1) drawn second, both from y = -0.5 to 0.5. With the depth
//! test working the overlap is green; without it, red.

use crate::cases::{Recording, RenderCase};
use crate::gpu::{self, GpuBufferUsage, GpuTextureUsage};
use crate::{pop_validation, print};

pub const SIZE: u32 = 16;

const SHADER: &str = r#"
struct Out { @builtin(position) position: vec4f, @location(0) colour: vec4f }
@vertex fn vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> Out {
  let corners = array(vec2f(0.0, 0.0), vec2f(1.0, 0.0), vec2f(1.0, 1.0), vec2f(0.0, 0.0), vec2f(1.0, 1.0), vec2f(0.0, 1.0));
  let left = select(-0.5, -1.0, i == 0u);
  let z = select(0.75, 0.25, i == 0u);
  let c = corners[v];
  var out: Out;
  out.position = vec4f(left + c.x * 1.5, -0.5 + c.y, z, 1.0);
  out.colour = select(vec4f(1.0, 0.0, 0.0, 1.0), vec4f(0.0, 1.0, 0.0, 1.0), i == 0u);
  return out;
}
@fragment fn fs(in: Out) -> @location(0) vec4f { return in.colour; }
"#;

const BLUE: gpu::GpuColor = gpu::GpuColor { r: 0.0, g: 0.0, b: 1.0, a: 1.0 };

fn pipeline(device: &gpu::GpuDevice, colour: gpu::GpuTextureFormat, case: &RenderCase) -> gpu::GpuRenderPipeline {
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code: SHADER.into(), compilation_hints: None, label: None });
    device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
        vertex: gpu::GpuVertexState { module: &module, entry_point: Some("vs".into()), constants: None, buffers: None },
        primitive: None,
        depth_stencil: Some(gpu::GpuDepthStencilState {
            format: case.format,
            depth_write_enabled: case.depth_write_enabled,
            depth_compare: case.depth_compare,
            stencil_front: case.stencil.map(|(face, _, _)| face),
            stencil_back: case.stencil.map(|(face, _, _)| face),
            stencil_read_mask: case.stencil.map(|(_, read, _)| read),
            stencil_write_mask: case.stencil.map(|(_, _, write)| write),
            depth_bias: None,
            depth_bias_slope_scale: None,
            depth_bias_clamp: None,
        }),
        multisample: None,
        fragment: Some(gpu::GpuFragmentState {
            module: &module,
            entry_point: Some("fs".into()),
            constants: None,
            targets: vec![Some(gpu::GpuColorTargetState { format: colour, blend: None, write_mask: None })],
        }),
        layout: gpu::GpuLayoutMode::Auto,
        label: Some("native-style scene".into()),
    })
}

fn depth_texture(device: &gpu::GpuDevice, case: &RenderCase, width: u32, height: u32) -> gpu::GpuTexture {
    device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: None,
        dimension: None,
        format: case.format,
        usage: GpuTextureUsage::RENDER_ATTACHMENT,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: Some("depth".into()),
    })
}

/// One frame of the scene into `target`, with the case's attachment.
fn draw(device: &gpu::GpuDevice, pipeline: &gpu::GpuRenderPipeline, target: &gpu::GpuTexture, depth: &gpu::GpuTexture, case: &RenderCase) {
    let colour = target.format();
    let view = target.create_view(None);
    let depth_view = depth.create_view(None);
    let a = &case.attachment;
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&gpu::GpuRenderPassDescriptor {
        color_attachments: vec![Some(gpu::GpuRenderPassColorAttachment {
            view: &view,
            depth_slice: None,
            resolve_target: None,
            clear_value: Some(BLUE),
            load_op: gpu::GpuLoadOp::Clear,
            store_op: gpu::GpuStoreOp::Store,
        })],
        depth_stencil_attachment: Some(gpu::GpuRenderPassDepthStencilAttachment {
            view: &depth_view,
            depth_clear_value: a.depth_clear_value,
            depth_load_op: a.depth_load_op,
            depth_store_op: a.depth_store_op,
            depth_read_only: a.depth_read_only,
            stencil_clear_value: a.stencil_clear_value,
            stencil_load_op: a.stencil_load_op,
            stencil_store_op: a.stencil_store_op,
            stencil_read_only: a.stencil_read_only,
        }),
        occlusion_query_set: None,
        timestamp_writes: None,
        max_draw_count: case.max_draw_count,
        label: Some("native-style pass".into()),
    });
    match case.recording {
        Recording::Direct => {
            pass.set_pipeline(pipeline);
            pass.draw(6, Some(2), None, None);
        }
        Recording::AfterEmptyBundles => {
            pass.set_pipeline(pipeline);
            pass.execute_bundles(&[]);
            pass.draw(6, Some(2), None, None);
        }
        Recording::Bundle => {
            let bundle_encoder = device.create_render_bundle_encoder(&gpu::GpuRenderBundleEncoderDescriptor {
                color_formats: vec![Some(colour)],
                depth_stencil_format: Some(case.format),
                sample_count: None,
                depth_read_only: None,
                stencil_read_only: None,
                label: Some("native-style bundle".into()),
            });
            bundle_encoder.set_pipeline(pipeline);
            bundle_encoder.draw(6, Some(2), None, None);
            pass.execute_bundles(&[&bundle_encoder.finish(None)]);
        }
    }
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
}

async fn device() -> Result<gpu::GpuDevice, String> {
    let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no WebGPU adapter")?;
    adapter.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))
}

pub async fn offscreen(case: &RenderCase) -> Result<Vec<u8>, String> {
    let device = device().await?;
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let colour = gpu::GpuTextureFormat::Rgba8unorm;
    let target = device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width: SIZE, height: Some(SIZE), depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: None,
        dimension: None,
        format: colour,
        usage: GpuTextureUsage::RENDER_ATTACHMENT | GpuTextureUsage::COPY_SRC,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: Some("target".into()),
    });
    let depth = depth_texture(&device, case, SIZE, SIZE);
    draw(&device, &pipeline(&device, colour, case), &target, &depth, case);
    let pixels = read_texture(&device, &target).await?;
    pop_validation(&device).await?;
    Ok(pixels)
}

/// The scene on a surface every frame, with the issue's attachment: the
/// way a guest ported from the native runtime draws.
pub async fn on_surface() -> Result<(), String> {
    use crate::wasi_gfx::surface::surface::{CreateDesc, Surface};
    use crate::wasi_gfx::surface::surface_webgpu::{Context, ContextConfiguration};
    let case = crate::cases::render_case("stencil-fields-on-depth24plus").ok_or("no surface case")?;
    let surface = Surface::new(CreateDesc { height: None, width: None });
    let device = device().await?;
    let format = gpu::get_gpu().get_preferred_canvas_format();
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
    let pipeline = pipeline(&device, format, &case);
    let mut frames = surface.on_frame();
    let mut count = 0u32;
    let mut depth: Option<(u32, u32, gpu::GpuTexture)> = None;
    while frames.next().await.is_some() {
        count += 1;
        let texture = context.get_current_texture();
        let (width, height) = (texture.width(), texture.height());
        if depth.as_ref().map(|(w, h, _)| (*w, *h)) != Some((width, height)) {
            depth = Some((width, height, depth_texture(&device, &case, width, height)));
        }
        let Some((_, _, depth_texture)) = depth.as_ref() else { continue };
        device.push_error_scope(gpu::GpuErrorFilter::Validation);
        draw(&device, &pipeline, &texture, depth_texture, &case);
        context.present();
        let caught = pop_validation(&device).await;
        if count <= 3 {
            match caught {
                Ok(()) => print(&format!("drawn frame={count} size={width}x{height}")),
                Err(e) => print(&format!("gpu-error frame={count} {e}")),
            }
        }
    }
    Ok(())
}

/// The 16 x 16 target read back as tightly packed RGBA rows.
async fn read_texture(device: &gpu::GpuDevice, texture: &gpu::GpuTexture) -> Result<Vec<u8>, String> {
    let row = SIZE * 4;
    let padded = row.next_multiple_of(256);
    let size = u64::from(padded) * u64::from(SIZE);
    let readback = device.create_buffer(&gpu::GpuBufferDescriptor {
        size,
        usage: GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST,
        mapped_at_creation: None,
        label: Some("readback".into()),
    });
    let encoder = device.create_command_encoder(None);
    encoder.copy_texture_to_buffer(
        &gpu::GpuTexelCopyTextureInfo { texture, mip_level: None, origin: None, aspect: None },
        &gpu::GpuTexelCopyBufferInfo { buffer: &readback, offset: None, bytes_per_row: Some(padded), rows_per_image: None },
        gpu::GpuExtent3D { width: SIZE, height: Some(SIZE), depth_or_array_layers: None },
    );
    device.queue().submit(&[&encoder.finish(None)]);
    readback.map_async(gpu::GpuMapMode::READ, None, None).await.map_err(|e| format!("map-async: {}", e.message))?;
    let bytes = readback.get_mapped_range_get_with_copy(None, None).map_err(|e| format!("get-mapped-range: {}", e.message))?;
    readback.unmap().map_err(|e| format!("unmap: {}", e.message))?;
    Ok(bytes.chunks(padded as usize).flat_map(|r| r[..row as usize].to_vec()).collect())
}
