//! The rest of wasi:webgpu, each function called with results the web
//! tests assert: texture getters, copies, render state, every draw form,
//! bundles, queries, immediates, compilation messages, labels, limits,
//! features and the bad inputs of the complete-API issue.

use crate::gpu::{self, GpuBufferUsage as B, GpuTextureUsage as T};
use crate::util::{self, kind_name, pop};

pub struct Report(Vec<(String, String)>);

impl Report {
    fn add(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }
}

pub async fn run() -> Vec<(String, String)> {
    let mut report = Report(Vec::new());
    let device = match util::device().await {
        Ok(device) => device,
        Err(e) => {
            report.add("device", e);
            return report.0;
        }
    };
    // Each section records what it saw; an Err is a step that could not run.
    let sections: Vec<(&str, Result<(), String>)> = vec![
        ("textures", textures(&device, &mut report).await),
        ("copies", copies(&device, &mut report).await),
        ("render-state", render_state(&device, &mut report).await),
        ("draws", draws(&device, &mut report).await),
        ("queries", queries(&device, &mut report).await),
        ("immediates", immediates(&mut report).await),
        ("compilation", compilation(&device, &mut report).await),
        ("labels", labels(&device, &mut report).await),
        ("adapter", adapter(&device, &mut report).await),
        ("vertex-formats", vertex_formats(&device, &mut report).await),
        ("bad-input", bad_input(&device, &mut report).await),
        ("extras", extras(&mut report).await),
    ];
    for (name, outcome) in sections {
        report.add(&format!("{name}-outcome"), outcome.err().unwrap_or_else(|| "ok".into()));
    }
    report.0
}

fn texture_descriptor(width: u32, height: u32, layers: u32, format: gpu::GpuTextureFormat, usage: T) -> gpu::GpuTextureDescriptor {
    gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: Some(layers) },
        mip_level_count: None,
        sample_count: None,
        dimension: None,
        format,
        usage,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: None,
    }
}

async fn textures(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let texture = device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width: 8, height: Some(4), depth_or_array_layers: Some(3) },
        mip_level_count: Some(2),
        sample_count: Some(1),
        dimension: Some(gpu::GpuTextureDimension::D2),
        format: gpu::GpuTextureFormat::Rgba8unorm,
        usage: T::COPY_DST | T::TEXTURE_BINDING,
        view_formats: Some(vec![gpu::GpuTextureFormat::Rgba8unormSrgb]),
        texture_binding_view_dimension: Some(gpu::GpuTextureViewDimension::D2Array),
        label: Some("array".into()),
    });
    report.add(
        "texture-getters",
        format!(
            "{} {} {} {} {} {:?} {:?} {:?} {:?}",
            texture.width(),
            texture.height(),
            texture.depth_or_array_layers(),
            texture.mip_level_count(),
            texture.sample_count(),
            texture.dimension(),
            texture.format(),
            texture.usage(),
            texture.texture_binding_view_dimension(),
        ),
    );
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let view = texture.create_view(Some(&gpu::GpuTextureViewDescriptor {
        format: Some(gpu::GpuTextureFormat::Rgba8unormSrgb),
        dimension: Some(gpu::GpuTextureViewDimension::D2Array),
        usage: Some(T::TEXTURE_BINDING),
        aspect: Some(gpu::GpuTextureAspect::All),
        base_mip_level: Some(1),
        mip_level_count: Some(1),
        base_array_layer: Some(1),
        array_layer_count: Some(2),
        swizzle: None,
        label: Some("view".into()),
    }));
    report.add("texture-view", format!("{} {}", view.label(), pop(device).await));

    let mut dimensions = Vec::new();
    for (dimension, layers) in [(gpu::GpuTextureDimension::D1, 1), (gpu::GpuTextureDimension::D3, 2)] {
        let mut descriptor = texture_descriptor(4, if layers == 1 { 1 } else { 4 }, layers, gpu::GpuTextureFormat::R8unorm, T::COPY_DST);
        descriptor.dimension = Some(dimension);
        dimensions.push(format!("{:?}", device.create_texture(&descriptor).dimension()));
    }
    report.add("texture-dimensions", dimensions.join(" "));
    let depth = device.create_texture(&texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Depth24plusStencil8, T::RENDER_ATTACHMENT));
    report.add("depth-format", format!("{:?}", depth.format()));

    // ASTC is one of the formats spelt differently in the WIT.
    let adapter = util::adapter().await?;
    if adapter.features().has("texture-compression-astc") {
        let astc_device = util::device_with(vec![gpu::GpuFeatureName::TextureCompressionAstc]).await?;
        let astc = astc_device.create_texture(&texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Astc4x4Unorm, T::TEXTURE_BINDING));
        report.add("astc-format", format!("{:?}", astc.format()));
    } else {
        report.add("astc-format", "feature absent");
    }
    if adapter.features().has("texture-compression-bc") {
        let bc_device = util::device_with(vec![gpu::GpuFeatureName::TextureCompressionBc]).await?;
        let bc = bc_device.create_texture(&texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Bc7RgbaUnormSrgb, T::TEXTURE_BINDING));
        report.add("bc-format", format!("{:?}", bc.format()));
    }

    texture.destroy();
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    device.queue().write_texture_with_copy(
        &gpu::GpuTexelCopyTextureInfo { texture: &texture, mip_level: None, origin: None, aspect: None },
        &[0; 16],
        gpu::GpuTexelCopyBufferLayout { offset: None, bytes_per_row: Some(16), rows_per_image: None },
        gpu::GpuExtent3D { width: 4, height: None, depth_or_array_layers: None },
    );
    report.add("write-destroyed-texture", pop(device).await);
    Ok(())
}

async fn copies(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let (width, height) = (8u32, 4u32);
    let pattern: Vec<u8> = (0..width * height * 4).map(|i| (i * 7 + 3) as u8).collect();
    let usage = T::COPY_SRC | T::COPY_DST;
    let first = device.create_texture(&texture_descriptor(width, height, 1, gpu::GpuTextureFormat::Rgba8uint, usage));
    let second = device.create_texture(&texture_descriptor(width, height, 1, gpu::GpuTextureFormat::Rgba8uint, usage));
    let third = device.create_texture(&texture_descriptor(width, height, 1, gpu::GpuTextureFormat::Rgba8uint, usage));
    // write-texture with a data offset of 4 bytes of padding.
    let mut data = vec![0xEE; 4];
    data.extend_from_slice(&pattern);
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    device.queue().write_texture_with_copy(
        &gpu::GpuTexelCopyTextureInfo { texture: &first, mip_level: Some(0), origin: Some(gpu::GpuOrigin3D { x: Some(0), y: Some(0), z: Some(0) }), aspect: None },
        &data,
        gpu::GpuTexelCopyBufferLayout { offset: Some(4), bytes_per_row: Some(width * 4), rows_per_image: Some(height) },
        gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: Some(1) },
    );
    let staging = util::buffer(device, 256 * u64::from(height), B::COPY_SRC | B::COPY_DST);
    let encoder = device.create_command_encoder(Some(&gpu::GpuCommandEncoderDescriptor { label: Some("copies".into()) }));
    let whole = gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: Some(1) };
    let texel = |texture| gpu::GpuTexelCopyTextureInfo { texture, mip_level: None, origin: None, aspect: None };
    let linear = |buffer| gpu::GpuTexelCopyBufferInfo { buffer, offset: Some(0), bytes_per_row: Some(256), rows_per_image: Some(height) };
    encoder.copy_texture_to_texture(&texel(&first), &texel(&second), whole);
    encoder.copy_texture_to_buffer(&texel(&second), &linear(&staging), whole);
    encoder.copy_buffer_to_texture(&linear(&staging), &texel(&third), whole);
    let result = util::buffer(device, 256 * u64::from(height), B::COPY_SRC | B::COPY_DST);
    encoder.copy_texture_to_buffer(&texel(&third), &linear(&result), whole);
    device.queue().submit(&[&encoder.finish(Some(&gpu::GpuCommandBufferDescriptor { label: Some("copies".into()) }))]);
    let bytes = util::read_back(device, &result, 256 * u64::from(height)).await?;
    let rows: Vec<u8> = bytes.chunks(256).flat_map(|r| r[..(width * 4) as usize].to_vec()).collect();
    report.add("texture-round-trip", if rows == pattern { "match".to_string() } else { format!("mismatch {:?}", &rows[..8]) });
    report.add("copies-errors", pop(device).await);

    // clear-buffer over a middle range of a buffer of ones.
    let ones = util::buffer_with(device, &[1; 16], B::COPY_SRC | B::COPY_DST)?;
    let encoder = device.create_command_encoder(None);
    encoder.clear_buffer(&ones, Some(4), Some(8));
    device.queue().submit(&[&encoder.finish(None)]);
    report.add("clear-buffer", hex(&util::read_back(device, &ones, 16).await?));
    Ok(())
}

/// A bundle encoder for one rgba8unorm target.
fn bundle_encoder(device: &gpu::GpuDevice) -> gpu::GpuRenderBundleEncoder {
    device.create_render_bundle_encoder(&gpu::GpuRenderBundleEncoderDescriptor {
        depth_read_only: None,
        stencil_read_only: None,
        color_formats: vec![Some(gpu::GpuTextureFormat::Rgba8unorm)],
        depth_stencil_format: None,
        sample_count: None,
        label: None,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Pixel `(x, y)` of tightly packed RGBA8 rows of width `width`, as hex.
fn pixel(pixels: &[u8], width: u32, x: u32, y: u32) -> String {
    let at = ((y * width + x) * 4) as usize;
    pixels.get(at..at + 4).map(hex).unwrap_or_else(|| "missing".into())
}

const FULLSCREEN: &str = r#"
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  return vec4f(p[i], 0.5, 1.0);
}
@fragment fn red() -> @location(0) vec4f { return vec4f(1.0, 0.0, 0.0, 1.0); }
"#;

struct TargetState {
    blend: Option<gpu::GpuBlendState>,
    write_mask: gpu::GpuColorWrite,
    stencil: Option<gpu::GpuStencilFaceState>,
}

fn fullscreen_pipeline(device: &gpu::GpuDevice, module: &gpu::GpuShaderModule, state: TargetState) -> gpu::GpuRenderPipeline {
    let depth_stencil = state.stencil.map(|face| gpu::GpuDepthStencilState {
        format: gpu::GpuTextureFormat::Depth24plusStencil8,
        depth_write_enabled: Some(false),
        depth_compare: Some(gpu::GpuCompareFunction::Always),
        stencil_front: Some(face),
        stencil_back: Some(face),
        stencil_read_mask: Some(0xFF),
        stencil_write_mask: Some(0xFF),
        depth_bias: None,
        depth_bias_slope_scale: None,
        depth_bias_clamp: None,
    });
    device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
        vertex: gpu::GpuVertexState { buffers: None, module, entry_point: Some("vs".into()), constants: None },
        primitive: None,
        depth_stencil,
        multisample: None,
        fragment: Some(gpu::GpuFragmentState {
            targets: vec![Some(gpu::GpuColorTargetState {
                format: gpu::GpuTextureFormat::Rgba8unorm,
                blend: state.blend,
                write_mask: Some(state.write_mask),
            })],
            module,
            entry_point: Some("red".into()),
            constants: None,
        }),
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    })
}

fn color_attachment(view: &gpu::GpuTextureView) -> gpu::GpuRenderPassColorAttachment<'_> {
    gpu::GpuRenderPassColorAttachment {
        view,
        depth_slice: None,
        resolve_target: None,
        clear_value: Some(gpu::GpuColor { r: 0.0, g: 0.0, b: 0.0, a: 0.0 }),
        load_op: gpu::GpuLoadOp::Clear,
        store_op: gpu::GpuStoreOp::Store,
    }
}

fn pass_descriptor<'a>(
    view: &'a gpu::GpuTextureView,
    depth: Option<gpu::GpuRenderPassDepthStencilAttachment<'a>>,
    occlusion: Option<&'a gpu::GpuQuerySet>,
) -> gpu::GpuRenderPassDescriptor<'a> {
    gpu::GpuRenderPassDescriptor {
        color_attachments: vec![Some(color_attachment(view))],
        depth_stencil_attachment: depth,
        occlusion_query_set: occlusion,
        timestamp_writes: None,
        max_draw_count: Some(1 << 33),
        label: None,
    }
}

async fn render_state(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    const SIZE: u32 = 16;
    let module = util::shader(device, FULLSCREEN);
    let plain = fullscreen_pipeline(device, &module, TargetState { blend: None, write_mask: gpu::GpuColorWrite::ALL, stencil: None });
    let constant = gpu::GpuBlendComponent {
        operation: Some(gpu::GpuBlendOperation::Add),
        src_factor: Some(gpu::GpuBlendFactor::Constant),
        dst_factor: Some(gpu::GpuBlendFactor::Zero),
    };
    let blended = fullscreen_pipeline(
        device,
        &module,
        TargetState { blend: Some(gpu::GpuBlendState { color: constant, alpha: constant }), write_mask: gpu::GpuColorWrite::ALL, stencil: None },
    );
    let stencil_face = |compare, pass_op| gpu::GpuStencilFaceState {
        compare: Some(compare),
        fail_op: Some(gpu::GpuStencilOperation::Keep),
        depth_fail_op: Some(gpu::GpuStencilOperation::Keep),
        pass_op: Some(pass_op),
    };
    let mark = fullscreen_pipeline(
        device,
        &module,
        TargetState {
            blend: None,
            write_mask: gpu::GpuColorWrite::empty(),
            stencil: Some(stencil_face(gpu::GpuCompareFunction::Always, gpu::GpuStencilOperation::Replace)),
        },
    );
    let test = fullscreen_pipeline(
        device,
        &module,
        TargetState {
            blend: None,
            write_mask: gpu::GpuColorWrite::RED | gpu::GpuColorWrite::ALPHA,
            stencil: Some(stencil_face(gpu::GpuCompareFunction::Equal, gpu::GpuStencilOperation::Keep)),
        },
    );

    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let mut results = Vec::new();
    for case in ["viewport", "scissor", "blend-constant", "stencil-reference"] {
        let target = util::render_target(device, SIZE, SIZE, 1, gpu::GpuTextureFormat::Rgba8unorm);
        let view = target.create_view(None);
        let depth_texture = device.create_texture(&texture_descriptor(SIZE, SIZE, 1, gpu::GpuTextureFormat::Depth24plusStencil8, T::RENDER_ATTACHMENT));
        let depth_view = depth_texture.create_view(None);
        let depth = (case == "stencil-reference").then(|| gpu::GpuRenderPassDepthStencilAttachment {
            view: &depth_view,
            depth_clear_value: Some(1.0),
            depth_load_op: Some(gpu::GpuLoadOp::Clear),
            depth_store_op: Some(gpu::GpuStoreOp::Store),
            depth_read_only: Some(false),
            stencil_clear_value: Some(0),
            stencil_load_op: Some(gpu::GpuLoadOp::Clear),
            stencil_store_op: Some(gpu::GpuStoreOp::Store),
            stencil_read_only: Some(false),
        });
        let encoder = device.create_command_encoder(None);
        let pass = encoder.begin_render_pass(&pass_descriptor(&view, depth, None));
        match case {
            "viewport" => {
                pass.set_pipeline(&plain);
                pass.set_viewport(0.0, 0.0, 8.0, 8.0, 0.0, 1.0);
                pass.draw(3, None, None, None);
            }
            "scissor" => {
                pass.set_pipeline(&plain);
                pass.set_scissor_rect(8, 0, 8, 8);
                pass.draw(3, Some(1), Some(0), Some(0));
            }
            "blend-constant" => {
                pass.set_pipeline(&blended);
                pass.set_blend_constant(gpu::GpuColor { r: 0.2, g: 0.4, b: 0.6, a: 1.0 });
                pass.draw(3, None, None, None);
            }
            _ => {
                // Mark the left half with 7, then draw red where the stencil equals 7.
                pass.set_pipeline(&mark);
                pass.set_stencil_reference(7);
                pass.set_scissor_rect(0, 0, 8, SIZE);
                pass.draw(3, None, None, None);
                pass.set_scissor_rect(0, 0, SIZE, SIZE);
                pass.set_pipeline(&test);
                pass.draw(3, None, None, None);
            }
        }
        pass.end();
        device.queue().submit(&[&encoder.finish(None)]);
        let pixels = util::read_texture(device, &target, SIZE, SIZE).await?;
        let probes = [(2, 2), (12, 2), (2, 12), (12, 12)].map(|(x, y)| pixel(&pixels, SIZE, x, y));
        results.push((case, probes.join(" ")));
    }
    for (case, probes) in results {
        report.add(case, probes);
    }
    report.add("render-state-errors", pop(device).await);
    Ok(())
}

const CELLS: &str = r#"
// A 4x4 grid of cells over the target; the instance's cell index comes from
// an instance-step vertex buffer, so per-draw buffer offsets pick the cell.
struct Color { value: vec4f }
@group(0) @binding(0) var<uniform> color: Color;
@vertex fn vs(@builtin(vertex_index) i: u32, @location(0) cell: u32) -> @builtin(position) vec4f {
  let corner = array(vec2f(0.0, 0.0), vec2f(1.0, 0.0), vec2f(1.0, 1.0), vec2f(0.0, 0.0), vec2f(1.0, 1.0), vec2f(0.0, 1.0));
  let origin = vec2f(f32(cell % 4u), f32(cell / 4u));
  let p = (origin + corner[i % 6u]) / 4.0;
  return vec4f(p.x * 2.0 - 1.0, 1.0 - p.y * 2.0, 0.5, 1.0);
}
@fragment fn fs() -> @location(0) vec4f { return color.value; }
"#;

/// Which of the 16 cells are coloured, `#` or `.`, row by row.
fn cells(pixels: &[u8], size: u32) -> String {
    (0..16)
        .map(|cell| {
            let (x, y) = ((cell % 4) * size / 4 + size / 8, (cell / 4) * size / 4 + size / 8);
            if pixel(pixels, size, x, y) == "00000000" { '.' } else { '#' }
        })
        .collect()
}

struct CellScene {
    pipeline: gpu::GpuRenderPipeline,
    bind_group: gpu::GpuBindGroup,
    cells: gpu::GpuBuffer,
    indices: gpu::GpuBuffer,
    indirect: gpu::GpuBuffer,
}

/// Cell indices 0..16 and an off-screen 100 (for the hidden occlusion query).
const OFFSCREEN_CELL: u64 = 16;

fn cell_scene(device: &gpu::GpuDevice) -> Result<CellScene, String> {
    let module = util::shader(device, CELLS);
    let pipeline = device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
        vertex: gpu::GpuVertexState {
            buffers: Some(vec![
                Some(gpu::GpuVertexBufferLayout {
                    array_stride: 4,
                    step_mode: Some(gpu::GpuVertexStepMode::Instance),
                    attributes: vec![gpu::GpuVertexAttribute { format: gpu::GpuVertexFormat::Uint32, offset: 0, shader_location: 0 }],
                }),
                None,
            ]),
            module: &module,
            entry_point: None,
            constants: None,
        },
        primitive: Some(gpu::GpuPrimitiveState {
            topology: Some(gpu::GpuPrimitiveTopology::TriangleList),
            strip_index_format: None,
            front_face: None,
            cull_mode: None,
            unclipped_depth: Some(false),
        }),
        depth_stencil: None,
        multisample: Some(gpu::GpuMultisampleState { count: Some(1), mask: Some(0xFFFF_FFFF), alpha_to_coverage_enabled: None }),
        fragment: Some(gpu::GpuFragmentState {
            targets: vec![Some(gpu::GpuColorTargetState { format: gpu::GpuTextureFormat::Rgba8unorm, blend: None, write_mask: None })],
            module: &module,
            entry_point: None,
            constants: None,
        }),
        layout: gpu::GpuLayoutMode::Auto,
        label: Some("cells".into()),
    });
    let color = util::buffer_with(device, &util::bytes_f32(&[0.0, 1.0, 0.0, 1.0]), B::UNIFORM)?;
    let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &pipeline.get_bind_group_layout(0),
        entries: vec![gpu::GpuBindGroupEntry {
            binding: 0,
            resource: gpu::GpuBindingResource::GpuBufferBinding(gpu::GpuBufferBinding { buffer: &color, offset: Some(0), size: Some(16) }),
        }],
        label: None,
    });
    let mut cell_indices: Vec<u32> = (0..16).collect();
    cell_indices.push(100);
    let cells = util::buffer_with(device, &util::bytes_u32(&cell_indices), B::VERTEX)?;
    // Six unused indices, then vertices 10..16 that base-vertex -10 brings to 0..6.
    let index_values: Vec<u16> = [99u16; 6].into_iter().chain(10..16).collect();
    let index_bytes: Vec<u8> = index_values.iter().flat_map(|i| i.to_le_bytes()).collect();
    let indices = util::buffer_with(device, &index_bytes, B::INDEX)?;
    // draw-indirect args at 0, draw-indexed-indirect args at 16.
    let indirect_args: Vec<u8> = util::bytes_u32(&[6, 1, 0, 0]).into_iter().chain([6u32, 1, 6].iter().flat_map(|v| v.to_le_bytes())).chain((-10i32).to_le_bytes()).chain(0u32.to_le_bytes()).collect();
    let indirect = util::buffer_with(device, &indirect_args, B::INDIRECT)?;
    Ok(CellScene { pipeline, bind_group, cells, indices, indirect })
}

async fn draws(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    const SIZE: u32 = 32;
    let scene = cell_scene(device)?;
    let target = util::render_target(device, SIZE, SIZE, 1, gpu::GpuTextureFormat::Rgba8unorm);
    let view = target.create_view(None);
    let cell = |index: u64| Some(4 * index);
    device.push_error_scope(gpu::GpuErrorFilter::Validation);

    // Cells 6..10 come from a bundle.
    let bundle_encoder = device.create_render_bundle_encoder(&gpu::GpuRenderBundleEncoderDescriptor {
        depth_read_only: None,
        stencil_read_only: None,
        color_formats: vec![Some(gpu::GpuTextureFormat::Rgba8unorm)],
        depth_stencil_format: None,
        sample_count: Some(1),
        label: Some("bundle encoder".into()),
    });
    bundle_encoder.push_debug_group("bundle");
    bundle_encoder.insert_debug_marker("cells 6 to 9");
    bundle_encoder.set_pipeline(&scene.pipeline);
    bundle_encoder.set_bind_group(0, Some(&scene.bind_group), None, None, None).map_err(|e| e.message)?;
    bundle_encoder.set_index_buffer(&scene.indices, gpu::GpuIndexFormat::Uint16, None, None);
    bundle_encoder.set_vertex_buffer(0, Some(&scene.cells), cell(6), None);
    bundle_encoder.draw(6, None, None, None);
    bundle_encoder.set_vertex_buffer(0, Some(&scene.cells), cell(7), Some(4));
    bundle_encoder.draw_indexed(6, Some(1), Some(6), Some(-10), Some(0));
    bundle_encoder.set_vertex_buffer(0, Some(&scene.cells), cell(8), None);
    bundle_encoder.draw_indirect(&scene.indirect, 0);
    bundle_encoder.set_vertex_buffer(0, Some(&scene.cells), cell(9), None);
    bundle_encoder.draw_indexed_indirect(&scene.indirect, 16);
    bundle_encoder.pop_debug_group();
    let bundle = bundle_encoder.finish(Some(&gpu::GpuRenderBundleDescriptor { label: Some("bundle".into()) }));

    let encoder = device.create_command_encoder(None);
    encoder.push_debug_group("draws");
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
    pass.push_debug_group("direct draws");
    pass.insert_debug_marker("cells 0 to 5");
    pass.set_pipeline(&scene.pipeline);
    pass.set_bind_group(0, Some(&scene.bind_group), None, None, None).map_err(|e| e.message)?;
    pass.set_vertex_buffer(1, None, None, None);
    pass.set_vertex_buffer(0, Some(&scene.cells), cell(0), None);
    pass.draw(6, Some(1), Some(0), Some(0));
    // Two instances: cells 1 and 2.
    pass.set_vertex_buffer(0, Some(&scene.cells), cell(1), None);
    pass.draw(6, Some(2), None, None);
    pass.set_index_buffer(&scene.indices, gpu::GpuIndexFormat::Uint16, Some(0), None);
    pass.set_vertex_buffer(0, Some(&scene.cells), cell(3), None);
    pass.draw_indexed(6, None, Some(6), Some(-10), None);
    pass.set_vertex_buffer(0, Some(&scene.cells), cell(4), None);
    pass.draw_indirect(&scene.indirect, 0);
    pass.set_vertex_buffer(0, Some(&scene.cells), cell(5), None);
    pass.draw_indexed_indirect(&scene.indirect, 16);
    pass.pop_debug_group();
    pass.execute_bundles(&[&bundle]);
    pass.end();
    encoder.pop_debug_group();
    device.queue().submit(&[&encoder.finish(None)]);
    let pixels = util::read_texture(device, &target, SIZE, SIZE).await?;
    report.add("draw-cells", cells(&pixels, SIZE));
    report.add("draws-errors", pop(device).await);
    report.add("bundle-label", bundle.label());
    Ok(())
}

async fn queries(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let scene = cell_scene(device)?;
    let target = util::render_target(device, 32, 32, 1, gpu::GpuTextureFormat::Rgba8unorm);
    let view = target.create_view(None);
    let query_set = device
        .create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Occlusion, count: 2, label: Some("occlusion".into()) })
        .map_err(|e| format!("create-query-set: {}", e.message))?;
    report.add("query-set", format!("{} {} {}", kind_name(query_set.type_()), query_set.count(), query_set.label()));
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let resolved = util::buffer(device, 16, B::QUERY_RESOLVE | B::COPY_SRC);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, Some(&query_set)));
    pass.set_pipeline(&scene.pipeline);
    pass.set_bind_group(0, Some(&scene.bind_group), None, None, None).map_err(|e| e.message)?;
    pass.set_vertex_buffer(0, Some(&scene.cells), Some(0), None);
    pass.begin_occlusion_query(0);
    pass.draw(6, None, None, None);
    pass.end_occlusion_query();
    pass.set_vertex_buffer(0, Some(&scene.cells), Some(4 * OFFSCREEN_CELL), None);
    pass.begin_occlusion_query(1);
    pass.draw(6, None, None, None);
    pass.end_occlusion_query();
    pass.end();
    encoder.resolve_query_set(&query_set, 0, 2, &resolved, 0);
    device.queue().submit(&[&encoder.finish(None)]);
    let bytes = util::read_back(device, &resolved, 16).await?;
    let value = |at: usize| bytes.get(at..at + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))).unwrap_or(0);
    report.add("occlusion", format!("{} {}", value(0), value(8)));
    report.add("queries-errors", pop(device).await);
    query_set.destroy();

    // Timestamps need the feature: without it, create-query-set is a type-error.
    let outcome = device.create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Timestamp, count: 2, label: None });
    report.add("timestamp-without-feature", outcome.err().map(|e| kind_name(e.kind)).unwrap_or_else(|| "ok".into()));
    if util::adapter().await?.features().has("timestamp-query") {
        let timed = util::device_with(vec![gpu::GpuFeatureName::TimestampQuery]).await?;
        let set = timed
            .create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Timestamp, count: 4, label: None })
            .map_err(|e| format!("create-query-set: {}", e.message))?;
        let resolved = util::buffer(&timed, 32, B::QUERY_RESOLVE | B::COPY_SRC);
        let target = util::render_target(&timed, 4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm);
        let view = target.create_view(None);
        timed.push_error_scope(gpu::GpuErrorFilter::Validation);
        let encoder = timed.create_command_encoder(None);
        let compute = encoder.begin_compute_pass(Some(&gpu::GpuComputePassDescriptor {
            timestamp_writes: Some(gpu::GpuComputePassTimestampWrites { query_set: &set, beginning_of_pass_write_index: Some(0), end_of_pass_write_index: Some(1) }),
            label: None,
        }));
        compute.end();
        let mut descriptor = pass_descriptor(&view, None, None);
        descriptor.timestamp_writes =
            Some(gpu::GpuRenderPassTimestampWrites { query_set: &set, beginning_of_pass_write_index: Some(2), end_of_pass_write_index: Some(3) });
        encoder.begin_render_pass(&descriptor).end();
        encoder.resolve_query_set(&set, 0, 4, &resolved, 0);
        timed.queue().submit(&[&encoder.finish(None)]);
        let bytes = util::read_back(&timed, &resolved, 32).await?;
        let stamps: Vec<u64> = bytes.chunks(8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))).collect();
        let ordered = stamps.windows(2).step_by(2).all(|w| w[1] >= w[0]);
        report.add("timestamps", format!("{} {}", if ordered { "ordered" } else { "unordered" }, pop(&timed).await));
    } else {
        report.add("timestamps", "feature absent");
    }
    Ok(())
}

async fn immediates(report: &mut Report) -> Result<(), String> {
    let device = util::device().await?;
    report.add("max-immediate-size", device.limits().max_immediate_size().to_string());
    let data = util::bytes_u32(&[11, 22, 33, 44]);
    // Every encoder's set-immediates, each in its own scope.
    let target = util::render_target(&device, 4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm);
    let view = target.create_view(None);
    let mut outcomes = Vec::new();
    for encoder_kind in ["compute", "render", "bundle"] {
        device.push_error_scope(gpu::GpuErrorFilter::Validation);
        let encoder = device.create_command_encoder(None);
        match encoder_kind {
            "compute" => {
                let pass = encoder.begin_compute_pass(None);
                pass.set_immediates(0, &data, Some(4), Some(8));
                pass.end();
            }
            "render" => {
                let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
                pass.set_immediates(0, &data, None, None);
                pass.end();
            }
            _ => {
                let bundle_encoder = bundle_encoder(&device);
                bundle_encoder.set_immediates(4, &data, Some(0), Some(4));
                let bundle = bundle_encoder.finish(None);
                let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
                pass.execute_bundles(&[&bundle]);
                pass.end();
            }
        }
        device.queue().submit(&[&encoder.finish(None)]);
        outcomes.push(format!("{encoder_kind}={}", pop(&device).await));
    }
    report.add("set-immediates", outcomes.join(" "));

    // Where immediates exist, the values reach a shader.
    if device.limits().max_immediate_size() >= 16 {
        let module = util::shader(&device, r#"
var<immediate> values: vec4u;
@group(0) @binding(0) var<storage, read_write> out: vec4u;
@compute @workgroup_size(1) fn main() { out = values; }
"#);
        let layout = device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor {
            entries: vec![gpu::GpuBindGroupLayoutEntry {
                binding: 0,
                visibility: gpu::GpuShaderStage::COMPUTE,
                buffer: Some(gpu::GpuBufferBindingLayout { type_: Some(gpu::GpuBufferBindingType::Storage), has_dynamic_offset: None, min_binding_size: None }),
                sampler: None,
                texture: None,
                storage_texture: None,
            }],
            label: None,
        });
        let pipeline_layout = device.create_pipeline_layout(&gpu::GpuPipelineLayoutDescriptor {
            bind_group_layouts: vec![Some(&layout)],
            immediate_size: Some(16),
            label: None,
        });
        let pipeline = device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
            compute: gpu::GpuProgrammableStage { module: &module, entry_point: None, constants: None },
            layout: gpu::GpuLayoutMode::Specific(&pipeline_layout),
            label: None,
        });
        let out = util::buffer(&device, 16, B::STORAGE | B::COPY_SRC);
        let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
            layout: &layout,
            entries: vec![gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&out) }],
            label: None,
        });
        device.push_error_scope(gpu::GpuErrorFilter::Validation);
        let encoder = device.create_command_encoder(None);
        let pass = encoder.begin_compute_pass(None);
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, Some(&bind_group), None, None, None).map_err(|e| e.message)?;
        pass.set_immediates(0, &data, None, None);
        pass.dispatch_workgroups(1, None, None);
        pass.end();
        device.queue().submit(&[&encoder.finish(None)]);
        let bytes = util::read_back(&device, &out, 16).await?;
        let values: Vec<u32> = bytes.chunks(4).map(|b| u32::from_le_bytes(b.try_into().unwrap_or([0; 4]))).collect();
        report.add("immediate-values", format!("{values:?} {}", pop(&device).await));
    } else {
        report.add("immediate-values", "no immediates");
    }
    Ok(())
}

async fn compilation(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: "@compute @workgroup_size(1)\nfn main() {\n  let x: u32 = 1.5;\n}\n".into(),
        compilation_hints: Some(vec![gpu::GpuShaderModuleCompilationHint { entry_point: "main".into(), layout: Some(gpu::GpuLayoutMode::Auto) }]),
        label: Some("broken".into()),
    });
    let info = module.get_compilation_info().await;
    let messages = info.messages();
    let first = messages.iter().find(|m| m.type_() == gpu::GpuCompilationMessageType::Error);
    report.add(
        "compilation-error",
        match first {
            Some(m) => format!("{:?} line={} pos={} offset={} length={} has-message={}", m.type_(), m.line_num(), m.line_pos(), m.offset(), m.length(), !m.message().is_empty()),
            None => format!("no error among {} messages", messages.len()),
        },
    );
    report.add("compilation-scope", pop(device).await);
    Ok(())
}

async fn labels(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let scene = cell_scene(device)?;
    let texture = device.create_texture(&texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm, T::RENDER_ATTACHMENT));
    let view = texture.create_view(None);
    let sampler = device.create_sampler(None);
    let module = util::shader(device, CELLS);
    let bind_group_layout = scene.pipeline.get_bind_group_layout(0);
    let pipeline_layout = device.create_pipeline_layout(&gpu::GpuPipelineLayoutDescriptor { bind_group_layouts: vec![None], immediate_size: None, label: None });
    let compute_pipeline = device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
        compute: gpu::GpuProgrammableStage { module: &util::shader(device, "@compute @workgroup_size(1) fn main() {}"), entry_point: None, constants: None },
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    });
    let query_set = device
        .create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Occlusion, count: 1, label: None })
        .map_err(|e| e.message)?;
    let bundle_encoder = bundle_encoder(device);
    let encoder = device.create_command_encoder(None);
    let compute_pass = encoder.begin_compute_pass(None);
    let queue = device.queue();
    let buffer = util::buffer(device, 4, B::COPY_DST);

    let mut seen = Vec::new();
    macro_rules! round_trip {
        ($($name:literal => $object:expr),* $(,)?) => {$(
            $object.set_label(concat!("L-", $name));
            seen.push(format!("{}={}", $name, $object.label()));
        )*};
    }
    round_trip!(
        "bind-group" => scene.bind_group,
        "bind-group-layout" => bind_group_layout,
        "buffer" => buffer,
        "command-encoder" => encoder,
        "compute-pass-encoder" => compute_pass,
        "compute-pipeline" => compute_pipeline,
        "device" => device,
        "pipeline-layout" => pipeline_layout,
        "query-set" => query_set,
        "queue" => queue,
        "render-bundle-encoder" => bundle_encoder,
        "render-pipeline" => scene.pipeline,
        "sampler" => sampler,
        "shader-module" => module,
        "texture" => texture,
        "texture-view" => view,
    );
    let bundle = bundle_encoder.finish(None);
    compute_pass.end();
    let target_view = texture.create_view(None);
    let render_pass = encoder.begin_render_pass(&pass_descriptor(&target_view, None, None));
    round_trip!("render-pass-encoder" => render_pass, "render-bundle" => bundle);
    render_pass.end();
    let command_buffer = encoder.finish(None);
    round_trip!("command-buffer" => command_buffer);
    report.add("labels", seen.join(" "));
    device.set_label("");
    report.add("empty-label", format!("{:?}", device.label()));
    Ok(())
}

async fn adapter(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let adapter = util::adapter().await?;
    let limits = adapter.limits();
    let values: Vec<String> = vec![
        ("maxTextureDimension1D", u64::from(limits.max_texture_dimension1_d())),
        ("maxTextureDimension2D", u64::from(limits.max_texture_dimension2_d())),
        ("maxTextureDimension3D", u64::from(limits.max_texture_dimension3_d())),
        ("maxTextureArrayLayers", u64::from(limits.max_texture_array_layers())),
        ("maxBindGroups", u64::from(limits.max_bind_groups())),
        ("maxBindGroupsPlusVertexBuffers", u64::from(limits.max_bind_groups_plus_vertex_buffers())),
        ("maxImmediateSize", u64::from(limits.max_immediate_size())),
        ("maxBindingsPerBindGroup", u64::from(limits.max_bindings_per_bind_group())),
        ("maxDynamicUniformBuffersPerPipelineLayout", u64::from(limits.max_dynamic_uniform_buffers_per_pipeline_layout())),
        ("maxDynamicStorageBuffersPerPipelineLayout", u64::from(limits.max_dynamic_storage_buffers_per_pipeline_layout())),
        ("maxSampledTexturesPerShaderStage", u64::from(limits.max_sampled_textures_per_shader_stage())),
        ("maxSamplersPerShaderStage", u64::from(limits.max_samplers_per_shader_stage())),
        ("maxStorageBuffersPerShaderStage", u64::from(limits.max_storage_buffers_per_shader_stage())),
        ("maxStorageBuffersInVertexStage", u64::from(limits.max_storage_buffers_in_vertex_stage())),
        ("maxStorageBuffersInFragmentStage", u64::from(limits.max_storage_buffers_in_fragment_stage())),
        ("maxStorageTexturesPerShaderStage", u64::from(limits.max_storage_textures_per_shader_stage())),
        ("maxStorageTexturesInVertexStage", u64::from(limits.max_storage_textures_in_vertex_stage())),
        ("maxStorageTexturesInFragmentStage", u64::from(limits.max_storage_textures_in_fragment_stage())),
        ("maxUniformBuffersPerShaderStage", u64::from(limits.max_uniform_buffers_per_shader_stage())),
        ("maxUniformBufferBindingSize", limits.max_uniform_buffer_binding_size()),
        ("maxStorageBufferBindingSize", limits.max_storage_buffer_binding_size()),
        ("minUniformBufferOffsetAlignment", u64::from(limits.min_uniform_buffer_offset_alignment())),
        ("minStorageBufferOffsetAlignment", u64::from(limits.min_storage_buffer_offset_alignment())),
        ("maxVertexBuffers", u64::from(limits.max_vertex_buffers())),
        ("maxBufferSize", limits.max_buffer_size()),
        ("maxVertexAttributes", u64::from(limits.max_vertex_attributes())),
        ("maxVertexBufferArrayStride", u64::from(limits.max_vertex_buffer_array_stride())),
        ("maxInterStageShaderVariables", u64::from(limits.max_inter_stage_shader_variables())),
        ("maxColorAttachments", u64::from(limits.max_color_attachments())),
        ("maxColorAttachmentBytesPerSample", u64::from(limits.max_color_attachment_bytes_per_sample())),
        ("maxComputeWorkgroupStorageSize", u64::from(limits.max_compute_workgroup_storage_size())),
        ("maxComputeInvocationsPerWorkgroup", u64::from(limits.max_compute_invocations_per_workgroup())),
        ("maxComputeWorkgroupSizeX", u64::from(limits.max_compute_workgroup_size_x())),
        ("maxComputeWorkgroupSizeY", u64::from(limits.max_compute_workgroup_size_y())),
        ("maxComputeWorkgroupSizeZ", u64::from(limits.max_compute_workgroup_size_z())),
        ("maxComputeWorkgroupsPerDimension", u64::from(limits.max_compute_workgroups_per_dimension())),
    ]
    .into_iter()
    .map(|(name, value)| format!("{name}={value}"))
    .collect();
    report.add("adapter-limits", values.join(" "));
    let info = adapter.info();
    report.add(
        "adapter-info",
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            info.vendor(),
            info.architecture(),
            info.device(),
            info.description(),
            info.subgroup_min_size(),
            info.subgroup_max_size(),
            info.is_fallback_adapter()
        ),
    );
    let device_info = device.adapter_info();
    report.add("device-adapter-vendor", device_info.vendor());
    let features = adapter.features();
    let known = [
        "depth-clip-control", "depth32float-stencil8", "texture-compression-bc", "texture-compression-bc-sliced-3d",
        "texture-compression-etc2", "texture-compression-astc", "texture-compression-astc-sliced-3d", "timestamp-query",
        "indirect-first-instance", "shader-f16", "rg11b10ufloat-renderable", "bgra8unorm-storage", "float32-filterable",
        "float32-blendable", "clip-distances", "dual-source-blending", "subgroups", "core-features-and-limits",
    ];
    report.add("adapter-features", known.iter().filter(|f| features.has(f)).copied().collect::<Vec<_>>().join(" "));
    report.add("device-features-has-bc", device.features().has("texture-compression-bc").to_string());
    let wgsl = gpu::get_gpu().wgsl_language_features();
    report.add(
        "wgsl-features",
        format!("{} {}", wgsl.has("readonly_and_readwrite_storage_textures"), wgsl.has("no_such_feature")),
    );
    report.add("preferred-canvas-format", format!("{:?}", gpu::get_gpu().get_preferred_canvas_format()));
    Ok(())
}

const VERTEX_FORMATS: &[gpu::GpuVertexFormat] = {
    use gpu::GpuVertexFormat::*;
    &[
        Uint8, Uint8x2, Uint8x4, Sint8, Sint8x2, Sint8x4, Unorm8, Unorm8x2, Unorm8x4, Snorm8, Snorm8x2, Snorm8x4,
        Uint16, Uint16x2, Uint16x4, Sint16, Sint16x2, Sint16x4, Unorm16, Unorm16x2, Unorm16x4, Snorm16, Snorm16x2, Snorm16x4,
        Float16, Float16x2, Float16x4, Float32, Float32x2, Float32x3, Float32x4, Uint32, Uint32x2, Uint32x3, Uint32x4,
        Sint32, Sint32x2, Sint32x3, Sint32x4, Unorm1010102, Unorm8x4Bgra,
    ]
};

/// A vertex attribute of every format, each in a pipeline whose shader
/// input has the format's base type; each pipeline must validate.
async fn vertex_formats(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let mut failed = Vec::new();
    let mut tested = Vec::new();
    for &format in VERTEX_FORMATS {
        let name = kind_name(format);
        let base = if name.starts_with("uint") { "vec4u" } else if name.starts_with("sint") { "vec4i" } else { "vec4f" };
        let code = format!(
            "@vertex fn vs(@location(3) a: {base}) -> @builtin(position) vec4f {{ return vec4f(f32(a.x), 0.0, 0.0, 1.0); }}"
        );
        let module = util::shader(device, &code);
        device.push_error_scope(gpu::GpuErrorFilter::Validation);
        let pipeline = device
            .create_render_pipeline_async(gpu::GpuRenderPipelineDescriptor {
                vertex: gpu::GpuVertexState {
                    buffers: Some(vec![Some(gpu::GpuVertexBufferLayout {
                        array_stride: 16,
                        step_mode: None,
                        attributes: vec![gpu::GpuVertexAttribute { format, offset: 0, shader_location: 3 }],
                    })]),
                    module: &module,
                    entry_point: Some("vs".into()),
                    constants: None,
                },
                primitive: Some(gpu::GpuPrimitiveState {
                    topology: Some(gpu::GpuPrimitiveTopology::PointList),
                    strip_index_format: None,
                    front_face: None,
                    cull_mode: None,
                    unclipped_depth: None,
                }),
                depth_stencil: Some(gpu::GpuDepthStencilState {
                    format: gpu::GpuTextureFormat::Depth32float,
                    depth_write_enabled: Some(true),
                    depth_compare: Some(gpu::GpuCompareFunction::Always),
                    stencil_front: None,
                    stencil_back: None,
                    stencil_read_mask: None,
                    stencil_write_mask: None,
                    depth_bias: None,
                    depth_bias_slope_scale: None,
                    depth_bias_clamp: None,
                }),
                multisample: None,
                fragment: None,
                layout: gpu::GpuLayoutMode::Auto,
                label: None,
            })
            .await;
        let scope = pop(device).await;
        if pipeline.is_err() || scope != "none" {
            failed.push(name.clone());
        }
        tested.push(name);
    }
    report.add("vertex-formats-tested", tested.join(" "));
    report.add("vertex-formats-failed", failed.join(" "));
    Ok(())
}

/// The complete-API issue's bad inputs: each a validation error (or the
/// WIT's error), and the guest goes on.
async fn bad_input(device: &gpu::GpuDevice, report: &mut Report) -> Result<(), String> {
    let mut outcomes = Vec::new();

    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let _ = device.create_texture(&texture_descriptor(0, 4, 1, gpu::GpuTextureFormat::Rgba8unorm, T::TEXTURE_BINDING));
    outcomes.push(format!("zero-size-texture={}", pop(device).await));

    let texture = device.create_texture(&texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm, T::TEXTURE_BINDING | T::RENDER_ATTACHMENT));
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let _ = texture.create_view(Some(&gpu::GpuTextureViewDescriptor {
        format: None,
        dimension: None,
        usage: None,
        aspect: None,
        base_mip_level: Some(5),
        mip_level_count: None,
        base_array_layer: None,
        array_layer_count: None,
        swizzle: None,
        label: None,
    }));
    outcomes.push(format!("mip-out-of-range={}", pop(device).await));

    // The cell pipeline renders rgba8unorm; a bgra8unorm attachment mismatches.
    let scene = cell_scene(device)?;
    let other = util::render_target(device, 4, 4, 1, gpu::GpuTextureFormat::Bgra8unorm);
    let other_view = other.create_view(None);
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&other_view, None, None));
    pass.set_pipeline(&scene.pipeline);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("mismatched-format={}", pop(device).await));

    // Indices past the end of the index buffer (12 indices in it).
    let view = texture.create_view(None);
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
    pass.set_pipeline(&scene.pipeline);
    pass.set_bind_group(0, Some(&scene.bind_group), None, None, None).map_err(|e| e.message)?;
    pass.set_vertex_buffer(0, Some(&scene.cells), None, None);
    pass.set_index_buffer(&scene.indices, gpu::GpuIndexFormat::Uint16, None, None);
    pass.draw_indexed(100, None, None, None, None);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("indices-past-end={}", pop(device).await));

    // A bind group made for a different layout than the pipeline's.
    let other_layout = device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor { entries: vec![], label: None });
    let empty_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor { layout: &other_layout, entries: vec![], label: None });
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
    pass.set_pipeline(&scene.pipeline);
    pass.set_bind_group(0, Some(&empty_group), None, None, None).map_err(|e| e.message)?;
    pass.set_vertex_buffer(0, Some(&scene.cells), None, None);
    pass.draw(6, None, None, None);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("layout-mismatch={}", pop(device).await));

    // A render pass on a destroyed texture.
    let doomed = util::render_target(device, 4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm);
    let doomed_view = doomed.create_view(None);
    doomed.destroy();
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    encoder.begin_render_pass(&pass_descriptor(&doomed_view, None, None)).end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("destroyed-texture={}", pop(device).await));

    // Values WebGPU throws on (NaN where it wants finite floats): the shim
    // turns them into validation errors.
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
    pass.set_viewport(f32::NAN, 0.0, 4.0, 4.0, 0.0, 1.0);
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("nan-viewport={}", pop(device).await));
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&pass_descriptor(&view, None, None));
    pass.set_blend_constant(gpu::GpuColor { r: f64::NAN, g: 0.0, b: 0.0, a: 1.0 });
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    outcomes.push(format!("nan-blend-constant={}", pop(device).await));
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let mut descriptor = texture_descriptor(4, 4, 1, gpu::GpuTextureFormat::Rgba8unorm, T::TEXTURE_BINDING);
    descriptor.format = gpu::GpuTextureFormat::Astc4x4Unorm;
    let _ = device.create_texture(&descriptor);
    outcomes.push(format!("format-without-feature={}", pop(device).await));
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let _ = device.create_sampler(Some(&gpu::GpuSamplerDescriptor {
        address_mode_u: None,
        address_mode_v: None,
        address_mode_w: None,
        mag_filter: None,
        min_filter: None,
        mipmap_filter: None,
        lod_min_clamp: Some(f32::NAN),
        lod_max_clamp: None,
        compare: Some(gpu::GpuCompareFunction::Less),
        max_anisotropy: None,
        label: None,
    }));
    outcomes.push(format!("nan-sampler={}", pop(device).await));

    let missing = util::shader(device, "");
    let outcome = device
        .create_render_pipeline_async(gpu::GpuRenderPipelineDescriptor {
            vertex: gpu::GpuVertexState { buffers: None, module: &missing, entry_point: Some("nowhere".into()), constants: None },
            primitive: None,
            depth_stencil: None,
            multisample: None,
            fragment: None,
            layout: gpu::GpuLayoutMode::Auto,
            label: None,
        })
        .await;
    outcomes.push(format!(
        "render-pipeline-async-missing-entry={}",
        match outcome {
            Ok(_) => "ok".to_string(),
            Err(e) => match e.kind {
                gpu::CreatePipelineErrorKind::GpuPipelineError(reason) => format!("gpu-pipeline-error({})", kind_name(reason)),
            },
        }
    ));
    report.add("bad-input", outcomes.join(" "));
    Ok(())
}

/// What the other sections do not reach: debug markers on the command
/// encoder and compute pass, buffer destroy, the constants record's
/// accessors.
async fn extras(report: &mut Report) -> Result<(), String> {
    let device = util::device().await?;
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(None);
    encoder.insert_debug_marker("start");
    let pass = encoder.begin_compute_pass(None);
    pass.push_debug_group("group");
    pass.insert_debug_marker("inside");
    pass.pop_debug_group();
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
    report.add("debug-markers", pop(&device).await);

    let buffer = util::buffer(&device, 16, B::MAP_READ);
    buffer.destroy();
    let mapped = buffer.map_async(gpu::GpuMapMode::READ, None, None).await;
    report.add("map-destroyed-buffer", mapped.err().map(|e| kind_name(e.kind)).unwrap_or_else(|| "ok".into()));

    let constants = gpu::RecordGpuPipelineConstantValue::new();
    constants.add("a", 1.0);
    constants.add("b", 0.0);
    constants.remove("a");
    report.add(
        "constants-record",
        format!("{} {} {:?} {:?}", constants.has("a"), constants.has("b"), constants.keys(), constants.values()),
    );
    // `lost` and `on-uncaptured-error` are events': jco 1.35.0
    // cannot make hybrid bindings for imports returning futures or streams.
    Ok(())
}
