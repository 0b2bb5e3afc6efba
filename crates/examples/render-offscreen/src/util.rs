//! What every check needs: a device, buffers, reading a texture back.

pub use guest_support::kind_name;

use crate::gpu::{self, GpuBufferUsage, GpuTextureUsage};

pub async fn adapter() -> Result<gpu::GpuAdapter, String> {
    gpu::get_gpu().request_adapter(None).await.ok_or_else(|| "no WebGPU adapter".to_string())
}

pub async fn device_with(features: Vec<gpu::GpuFeatureName>) -> Result<gpu::GpuDevice, String> {
    let descriptor = gpu::GpuDeviceDescriptor {
        required_features: Some(features),
        required_limits: None,
        default_queue: None,
        label: None,
    };
    adapter()
        .await?
        .request_device(Some(descriptor))
        .await
        .map_err(|e| format!("request-device: {}", e.message))
}

pub async fn device() -> Result<gpu::GpuDevice, String> {
    device_with(Vec::new()).await
}

pub fn buffer(device: &gpu::GpuDevice, size: u64, usage: GpuBufferUsage) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

/// A buffer holding `data` (padded to 4 bytes), written at creation.
pub fn buffer_with(device: &gpu::GpuDevice, data: &[u8], usage: GpuBufferUsage) -> Result<gpu::GpuBuffer, String> {
    let size = (data.len() as u64).next_multiple_of(4).max(4);
    let buffer = device.create_buffer(&gpu::GpuBufferDescriptor {
        size,
        usage,
        mapped_at_creation: Some(true),
        label: None,
    });
    buffer
        .get_mapped_range_set_with_copy(data, Some(0), Some(size))
        .map_err(|e| format!("get-mapped-range-set-with-copy: {}", e.message))?;
    buffer.unmap().map_err(|e| format!("unmap: {}", e.message))?;
    Ok(buffer)
}

pub fn bytes_f32(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn bytes_u32(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Maps `buffer` for reading and copies `size` bytes out.
pub async fn read_buffer(buffer: &gpu::GpuBuffer, size: u64) -> Result<Vec<u8>, String> {
    buffer
        .map_async(gpu::GpuMapMode::READ, Some(0), Some(size))
        .await
        .map_err(|e| format!("map-async: {}", e.message))?;
    let bytes = buffer
        .get_mapped_range_get_with_copy(Some(0), Some(size))
        .map_err(|e| format!("get-mapped-range-get-with-copy: {}", e.message))?;
    buffer.unmap().map_err(|e| format!("unmap: {}", e.message))?;
    Ok(bytes)
}

/// Copies `buffer`'s first `size` bytes to a mappable buffer and reads them.
pub async fn read_back(device: &gpu::GpuDevice, source: &gpu::GpuBuffer, size: u64) -> Result<Vec<u8>, String> {
    let readback = buffer(device, size, GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST);
    let encoder = device.create_command_encoder(None);
    encoder.copy_buffer_to_buffer(source, Some(0), &readback, Some(0), Some(size));
    device.queue().submit(&[&encoder.finish(None)]);
    read_buffer(&readback, size).await
}

/// A `width` x `height` RGBA8 texture read back as tightly packed rows.
pub async fn read_texture(device: &gpu::GpuDevice, texture: &gpu::GpuTexture, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let row = width * 4;
    let padded = row.next_multiple_of(256);
    let size = u64::from(padded) * u64::from(height);
    let readback = buffer(device, size, GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST);
    let encoder = device.create_command_encoder(None);
    encoder.copy_texture_to_buffer(
        &gpu::GpuTexelCopyTextureInfo { texture, mip_level: Some(0), origin: None, aspect: Some(gpu::GpuTextureAspect::All) },
        &gpu::GpuTexelCopyBufferInfo { buffer: &readback, offset: Some(0), bytes_per_row: Some(padded), rows_per_image: Some(height) },
        gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: Some(1) },
    );
    device.queue().submit(&[&encoder.finish(None)]);
    let bytes = read_buffer(&readback, size).await?;
    Ok(bytes.chunks(padded as usize).flat_map(|r| r[..row as usize].to_vec()).collect())
}

pub fn render_target(device: &gpu::GpuDevice, width: u32, height: u32, samples: u32, format: gpu::GpuTextureFormat) -> gpu::GpuTexture {
    device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width, height: Some(height), depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: Some(samples),
        dimension: None,
        format,
        usage: GpuTextureUsage::RENDER_ATTACHMENT | GpuTextureUsage::COPY_SRC,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: None,
    })
}

pub fn shader(device: &gpu::GpuDevice, code: &str) -> gpu::GpuShaderModule {
    device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code: code.into(), compilation_hints: None, label: None })
}

/// Pops the scope and names what it caught: `none` or the error's kind.
pub async fn pop(device: &gpu::GpuDevice) -> String {
    match device.pop_error_scope().await {
        Ok(None) => "none".into(),
        Ok(Some(error)) => kind_name(error.kind()),
        Err(e) => format!("pop-error-scope failed: {}", e.message),
    }
}
