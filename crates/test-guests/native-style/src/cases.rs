//! The cases, by the names docs/native-guests.md gives them.

use crate::gpu::{self, GpuBufferUsage, GpuCompareFunction as Compare, GpuLoadOp as Load, GpuStoreOp as Store};
use crate::gpu::GpuTextureFormat as Format;
use crate::pop_validation;

/// The optional fields of `gpu-render-pass-depth-stencil-attachment`.
#[derive(Clone, Copy, Default)]
pub struct Attachment {
    pub depth_clear_value: Option<f32>,
    pub depth_load_op: Option<Load>,
    pub depth_store_op: Option<Store>,
    pub depth_read_only: Option<bool>,
    pub stencil_clear_value: Option<u32>,
    pub stencil_load_op: Option<Load>,
    pub stencil_store_op: Option<Store>,
    pub stencil_read_only: Option<bool>,
}

/// How the scene's one draw is recorded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Recording {
    Direct,
    /// In a render bundle whose descriptor sets no read-only flags.
    Bundle,
    /// Directly, after `execute-bundles` with no bundles.
    AfterEmptyBundles,
}

/// What a render case varies: the depth format, the pipeline's depth
/// state, the pass's depth-stencil attachment and how the draw is recorded.
pub struct RenderCase {
    pub format: Format,
    pub depth_write_enabled: Option<bool>,
    pub depth_compare: Option<Compare>,
    /// Both faces, with the read and write masks.
    pub stencil: Option<(gpu::GpuStencilFaceState, u32, u32)>,
    pub attachment: Attachment,
    pub max_draw_count: Option<u64>,
    pub recording: Recording,
}

/// Depth cleared to 1 and stored: what every case's depth aspect does.
const DEPTH: Attachment = Attachment {
    depth_clear_value: Some(1.0),
    depth_load_op: Some(Load::Clear),
    depth_store_op: Some(Store::Store),
    depth_read_only: None,
    stencil_clear_value: None,
    stencil_load_op: None,
    stencil_store_op: None,
    stencil_read_only: None,
};

pub fn render_case(name: &str) -> Option<RenderCase> {
    let case = |format, attachment| RenderCase {
        format,
        depth_write_enabled: Some(true),
        depth_compare: Some(Compare::Less),
        stencil: None,
        attachment,
        max_draw_count: None,
        recording: Recording::Direct,
    };
    // The attachment: stencil fields on a format without stencil.
    let stencil_fields = Attachment {
        stencil_clear_value: Some(0),
        stencil_load_op: Some(Load::Load),
        stencil_store_op: Some(Store::Store),
        stencil_read_only: Some(true),
        ..DEPTH
    };
    Some(match name {
        // Valid in WebGPU as written: the reference the others must match.
        "webgpu-valid" => case(Format::Depth24plus, DEPTH),
        // The guest: stencil fields on a format without stencil.
        "stencil-fields-on-depth24plus" => case(Format::Depth24plus, stencil_fields),
        // Depth fields on a format without depth: no depth test, so the
        // far quad, drawn second, covers the overlap.
        "depth-fields-on-stencil8" => RenderCase {
            depth_write_enabled: None,
            depth_compare: None,
            ..case(Format::Stencil8, Attachment { stencil_clear_value: Some(0), stencil_load_op: Some(Load::Clear), stencil_store_op: Some(Store::Store), ..DEPTH })
        },
        // The pass says stencil-read-only (on a format without stencil), the
        // bundle does not: native treats both as read-only there.
        "bundle-in-stencil-read-only-pass" => RenderCase { recording: Recording::Bundle, ..case(Format::Depth24plus, stencil_fields) },
        "empty-execute-bundles" => RenderCase { recording: Recording::AfterEmptyBundles, ..case(Format::Depth24plus, DEPTH) },
        "max-draw-count-zero" => RenderCase { max_draw_count: Some(0), ..case(Format::Depth24plus, DEPTH) },
        // Stencil faces that can never act: no stencil aspect, masks 0.
        "stencil-faces-with-zero-masks" => RenderCase {
            stencil: Some((
                gpu::GpuStencilFaceState {
                    compare: Some(Compare::Never),
                    fail_op: Some(gpu::GpuStencilOperation::Replace),
                    depth_fail_op: None,
                    pass_op: Some(gpu::GpuStencilOperation::IncrementClamp),
                },
                0,
                0,
            )),
            ..case(Format::Depth24plus, DEPTH)
        },
        // Left to WebGPU, and invalid natively too: ops on a read-only
        // aspect that the format has.
        "stencil-ops-on-read-only-stencil" => case(
            Format::Depth24plusStencil8,
            Attachment { stencil_load_op: Some(Load::Load), stencil_store_op: Some(Store::Store), stencil_read_only: Some(true), ..DEPTH },
        ),
        _ => return None,
    })
}

pub async fn check_case(name: &str) -> Result<String, String> {
    match name {
        "overlapping-mapped-ranges" => overlapping_mapped_ranges().await,
        "empty-write-buffer" => empty_write_buffer().await,
        "limit-name-spelling" => limit_name_spelling().await,
        "lod-max-clamp-infinity" => lod_max_clamp_infinity().await,
        "offset-alignment-not-power-of-two" => offset_alignment_not_power_of_two().await,
        "uncaptured-error" => uncaptured_error().await,
        "set-label" => set_label().await,
        _ => Err(format!("no check case `{name}`")),
    }
}

async fn adapter() -> Result<gpu::GpuAdapter, String> {
    gpu::get_gpu().request_adapter(None).await.ok_or_else(|| "no WebGPU adapter".into())
}

async fn device() -> Result<gpu::GpuDevice, String> {
    adapter().await?.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))
}

/// Native wgpu hands out a mapped range as often as asked; WebGPU throws on
/// a second `getMappedRange` that overlaps the first.
async fn overlapping_mapped_ranges() -> Result<String, String> {
    let device = device().await?;
    let buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 32,
        usage: GpuBufferUsage::MAP_WRITE | GpuBufferUsage::COPY_SRC,
        mapped_at_creation: Some(true),
        label: Some("overlapping".into()),
    });
    // A part first, then the whole that contains it, then a part again.
    let first = buffer.get_mapped_range_get_with_copy(Some(8), Some(16)).map_err(|e| format!("get 8..24: {}", e.message))?;
    let bytes: Vec<u8> = (0..32).collect();
    buffer.get_mapped_range_set_with_copy(&bytes, None, None).map_err(|e| format!("set all: {}", e.message))?;
    buffer.get_mapped_range_set_with_copy(&[200, 201, 202, 203], Some(16), Some(8)).map_err(|e| format!("set 16..24: {}", e.message))?;
    let second = buffer.get_mapped_range_get_with_copy(Some(0), None).map_err(|e| format!("get all: {}", e.message))?;
    buffer.unmap().map_err(|e| format!("unmap: {}", e.message))?;
    Ok(format!("first={first:?} second={second:?}"))
}

/// Native wgpu returns before validating a write of no bytes.
async fn empty_write_buffer() -> Result<String, String> {
    let device = device().await?;
    let buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 16,
        usage: GpuBufferUsage::UNIFORM,
        mapped_at_creation: None,
        label: Some("no copy-dst".into()),
    });
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let written = device.queue().write_buffer_with_copy(&buffer, 0, &[], None, None);
    pop_validation(&device).await?;
    written.map_err(|e| format!("write-buffer-with-copy: {}", e.message))?;
    Ok("written".into())
}

/// Native wgpu matches required-limit names without case or dashes. Each
/// asks for the adapter's best, which only a device that got the limit has
/// (a device gets at least WebGPU's defaults anyway).
async fn limit_name_spelling() -> Result<String, String> {
    let adapter = adapter().await?;
    let best = adapter.limits();
    let limits = gpu::RecordOptionGpuSize64::new();
    limits.add("max_storage_buffers_per_shader_stage", Some(best.max_storage_buffers_per_shader_stage().into()));
    limits.add("MaxTextureDimension1D", Some(best.max_texture_dimension1_d().into()));
    limits.add("max-texture-dimension-2d", Some(best.max_texture_dimension2_d().into()));
    let device = adapter
        .request_device(Some(gpu::GpuDeviceDescriptor { required_features: None, required_limits: Some(limits), default_queue: None, label: None }))
        .await
        .map_err(|e| format!("request-device: {}", e.message))?;
    let got = device.limits();
    let same = |name: &str, got: u32, best: u32| if got == best { name.to_string() } else { format!("{name}={got} (adapter {best})") };
    Ok(format!(
        "{} {} {}: as the adapter",
        same("storage-buffers", got.max_storage_buffers_per_shader_stage(), best.max_storage_buffers_per_shader_stage()),
        same("dimension-1d", got.max_texture_dimension1_d(), best.max_texture_dimension1_d()),
        same("dimension-2d", got.max_texture_dimension2_d(), best.max_texture_dimension2_d())
    ))
}

/// Native wgpu takes an unbounded `lod-max-clamp`; WebGPU's IDL throws.
async fn lod_max_clamp_infinity() -> Result<String, String> {
    let device = device().await?;
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let _sampler = device.create_sampler(Some(&gpu::GpuSamplerDescriptor {
        address_mode_u: None,
        address_mode_v: None,
        address_mode_w: None,
        mag_filter: Some(gpu::GpuFilterMode::Linear),
        min_filter: Some(gpu::GpuFilterMode::Linear),
        mipmap_filter: Some(gpu::GpuMipmapFilterMode::Linear),
        lod_min_clamp: Some(0.0),
        lod_max_clamp: Some(f32::INFINITY),
        compare: None,
        max_anisotropy: None,
        label: Some("unbounded lod".into()),
    }));
    pop_validation(&device).await?;
    Ok("sampler".into())
}

/// Left to WebGPU: no power-of-two alignment admits the same offsets.
async fn offset_alignment_not_power_of_two() -> Result<String, String> {
    let adapter = adapter().await?;
    let limits = gpu::RecordOptionGpuSize64::new();
    limits.add("min-uniform-buffer-offset-alignment", Some(384));
    match adapter
        .request_device(Some(gpu::GpuDeviceDescriptor { required_features: None, required_limits: Some(limits), default_queue: None, label: None }))
        .await
    {
        Ok(_) => Ok("device".into()),
        Err(e) => Err(format!("{}: {}", guest_support::kind_name(e.kind), e.message)),
    }
}

/// A validation error no error scope catches: the embedder's tools must
/// show it, with the object's label.
async fn uncaptured_error() -> Result<String, String> {
    let device = device().await?;
    let _buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 16,
        usage: GpuBufferUsage::MAP_READ | GpuBufferUsage::STORAGE,
        mapped_at_creation: None,
        label: Some("buffer-with-bad-usage".into()),
    });
    Ok("created".into())
}

/// Deno's `label` setter does nothing; the shim keeps the new label.
async fn set_label() -> Result<String, String> {
    let device = device().await?;
    let buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 16,
        usage: GpuBufferUsage::COPY_DST,
        mapped_at_creation: None,
        label: Some("first".into()),
    });
    buffer.set_label("second");
    Ok(buffer.label())
}
