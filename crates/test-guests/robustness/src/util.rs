//! Small helpers shared by the robustness checks.

pub use guest_support::{join_in_completion_order, kind_name, start};

/// A call kept while pending, past the function that made it.
pub type Boxed<T> = guest_support::Boxed<'static, T>;

use crate::gpu;

pub async fn device() -> Result<gpu::GpuDevice, String> {
    let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no adapter")?;
    adapter.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))
}

pub fn buffer(device: &gpu::GpuDevice, size: u64, usage: gpu::GpuBufferUsage) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

/// A 2D texture of one mip level and one sample.
pub fn texture(
    device: &gpu::GpuDevice,
    (width, height): (u32, Option<u32>),
    format: gpu::GpuTextureFormat,
    usage: gpu::GpuTextureUsage,
) -> gpu::GpuTexture {
    device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width, height, depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: None,
        dimension: None,
        format,
        usage,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: None,
    })
}

/// What the innermost error scope caught: "none" or the error's kind.
pub async fn pop(device: &gpu::GpuDevice) -> String {
    match device.pop_error_scope().await {
        Ok(Some(error)) => kind_name(error.kind()),
        Ok(None) => "none".into(),
        Err(e) => format!("pop-failed:{}", kind_name(e.kind)),
    }
}

