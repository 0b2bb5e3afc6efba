//! Textures, views, samplers and the texel copy records.

use wasm_bindgen::prelude::*;

use super::size64;
use crate::webgpu::handle::gpu_object;
use crate::webgpu::wit;

pub fn map_extent(extent: &wit::GpuExtent3D) -> web_sys::GpuExtent3dDict {
    // Width, height and layers: all plain.
    extent.plain_fields().unchecked_into()
}

pub fn map_origin(origin: &wit::GpuOrigin3D) -> web_sys::GpuOrigin3dDict {
    origin.plain_fields().unchecked_into()
}

pub fn map_color(color: &wit::GpuColor) -> web_sys::GpuColorDict {
    color.plain_fields().unchecked_into()
}

pub fn map_texture_descriptor(descriptor: &wit::GpuTextureDescriptor) -> web_sys::GpuTextureDescriptor {
    // Format, dimension, view formats and the rest are plain; the size is a
    // record and the usage flags.
    let out: web_sys::GpuTextureDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_size_gpu_extent_3d_dict(&map_extent(&descriptor.size()));
    out.set_usage(descriptor.usage().to_bits());
    out
}

pub fn map_texture_view_descriptor(
    descriptor: &wit::GpuTextureViewDescriptor,
) -> web_sys::GpuTextureViewDescriptor {
    let out: web_sys::GpuTextureViewDescriptor = descriptor.plain_fields().unchecked_into();
    if let Some(usage) = descriptor.usage() {
        out.set_usage(usage.to_bits());
    }
    out
}

pub fn map_sampler_descriptor(descriptor: &wit::GpuSamplerDescriptor) -> web_sys::GpuSamplerDescriptor {
    let out: web_sys::GpuSamplerDescriptor = descriptor.plain_fields().unchecked_into();
    if descriptor.lod_max_clamp() == Some(f32::INFINITY) {
        // No texture has more than 32 mip levels, so +inf clamps as 32 does.
        super::native_compat::applied(super::native_compat::Fix::UnboundedLodMaxClamp);
        out.set_lod_max_clamp(32.0);
    }
    out
}

pub fn map_texel_copy_buffer_info(info: &wit::GpuTexelCopyBufferInfo) -> web_sys::GpuTexelCopyBufferInfo {
    let out: web_sys::GpuTexelCopyBufferInfo = info.plain_fields().unchecked_into();
    out.set_buffer(&gpu_object(&info.buffer()));
    if let Some(offset) = info.offset() {
        out.set_offset_f64(size64(offset));
    }
    out
}

pub fn map_texel_copy_buffer_layout(layout: &wit::GpuTexelCopyBufferLayout) -> web_sys::GpuTexelCopyBufferLayout {
    let out: web_sys::GpuTexelCopyBufferLayout = layout.plain_fields().unchecked_into();
    if let Some(offset) = layout.offset() {
        out.set_offset_f64(size64(offset));
    }
    out
}

pub fn map_texel_copy_texture_info(info: &wit::GpuTexelCopyTextureInfo) -> web_sys::GpuTexelCopyTextureInfo {
    let out: web_sys::GpuTexelCopyTextureInfo = info.plain_fields().unchecked_into();
    out.set_texture(&gpu_object(&info.texture()));
    if let Some(origin) = info.origin() {
        out.set_origin_gpu_origin_3d_dict(&map_origin(&origin));
    }
    out
}

/// `gpu-canvas-configuration` (the `-owned` twin only ever goes the other
/// way, from `get-configuration`).
pub fn map_canvas_configuration(configuration: &wit::GpuCanvasConfiguration) -> web_sys::GpuCanvasConfiguration {
    // The format, view formats, colour space and alpha mode are plain.
    let out: web_sys::GpuCanvasConfiguration = configuration.plain_fields().unchecked_into();
    out.set_device(&gpu_object(&configuration.device()));
    if let Some(usage) = configuration.usage() {
        out.set_usage(usage.to_bits());
    }
    if let Some(tone_mapping) = configuration.tone_mapping() {
        out.set_tone_mapping(tone_mapping.plain_fields().unchecked_ref());
    }
    out
}

