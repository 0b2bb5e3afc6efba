//! Textures, views, samplers and the texel copy records.

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;

use super::{list, size64};
use crate::webgpu::handle::gpu_object;
use crate::webgpu::wit;

pub fn map_extent(extent: &wit::GpuExtent3D) -> web_sys::GpuExtent3dDict {
    let out = web_sys::GpuExtent3dDict::new(extent.width());
    if let Some(height) = extent.height() {
        out.set_height(height);
    }
    if let Some(layers) = extent.depth_or_array_layers() {
        out.set_depth_or_array_layers(layers);
    }
    out
}

pub fn map_origin(origin: &wit::GpuOrigin3D) -> web_sys::GpuOrigin3dDict {
    let out = web_sys::GpuOrigin3dDict::new();
    if let Some(x) = origin.x() {
        out.set_x(x);
    }
    if let Some(y) = origin.y() {
        out.set_y(y);
    }
    if let Some(z) = origin.z() {
        out.set_z(z);
    }
    out
}

pub fn map_color(color: &wit::GpuColor) -> web_sys::GpuColorDict {
    web_sys::GpuColorDict::new(color.a(), color.b(), color.g(), color.r())
}

/// `list<gpu-texture-format>` in WebGPU's spelling. A string outside the
/// WIT (which jco never sends) becomes `undefined`, which WebGPU rejects.
pub fn map_texture_formats(formats: &JsValue) -> Array {
    list(formats)
        .iter()
        .map(|format| match wit::GpuTextureFormat::from_js_value(&format).and_then(|f| f.webgpu_str()) {
            Some(name) => JsValue::from(JsString::from(name)),
            None => JsValue::UNDEFINED,
        })
        .collect()
}

pub fn map_texture_descriptor(descriptor: &wit::GpuTextureDescriptor) -> web_sys::GpuTextureDescriptor {
    let out = web_sys::GpuTextureDescriptor::new_with_gpu_extent_3d_dict(
        descriptor.format().to_web(),
        &map_extent(&descriptor.size()),
        descriptor.usage().to_bits(),
    );
    if let Some(count) = descriptor.mip_level_count() {
        out.set_mip_level_count(count);
    }
    if let Some(count) = descriptor.sample_count() {
        out.set_sample_count(count);
    }
    if let Some(dimension) = descriptor.dimension() {
        out.set_dimension(dimension.to_web());
    }
    if let Some(formats) = descriptor.view_formats() {
        js_sys::Reflect::set(&out, &"viewFormats".into(), &map_texture_formats(&formats)).ok();
    }
    if let Some(dimension) = descriptor.texture_binding_view_dimension() {
        out.set_texture_binding_view_dimension(dimension.to_web());
    }
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}

pub fn map_texture_view_descriptor(
    descriptor: &wit::GpuTextureViewDescriptor,
) -> web_sys::GpuTextureViewDescriptor {
    let out = web_sys::GpuTextureViewDescriptor::new();
    if let Some(format) = descriptor.format() {
        out.set_format(format.to_web());
    }
    if let Some(dimension) = descriptor.dimension() {
        out.set_dimension(dimension.to_web());
    }
    if let Some(usage) = descriptor.usage() {
        out.set_usage(usage.to_bits());
    }
    if let Some(aspect) = descriptor.aspect() {
        out.set_aspect(aspect.to_web());
    }
    if let Some(level) = descriptor.base_mip_level() {
        out.set_base_mip_level(level);
    }
    if let Some(count) = descriptor.mip_level_count() {
        out.set_mip_level_count(count);
    }
    if let Some(layer) = descriptor.base_array_layer() {
        out.set_base_array_layer(layer);
    }
    if let Some(count) = descriptor.array_layer_count() {
        out.set_array_layer_count(count);
    }
    if let Some(swizzle) = descriptor.swizzle() {
        out.set_swizzle(&swizzle);
    }
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}

pub fn map_sampler_descriptor(descriptor: &wit::GpuSamplerDescriptor) -> web_sys::GpuSamplerDescriptor {
    let out: web_sys::GpuSamplerDescriptor = super::plain_fields(descriptor, 0).unchecked_into();
    if descriptor.lod_max_clamp() == Some(f32::INFINITY) {
        // No texture has more than 32 mip levels, so +inf clamps as 32 does.
        super::native_compat::applied(super::native_compat::Fix::UnboundedLodMaxClamp);
        out.set_lod_max_clamp(32.0);
    }
    out
}

pub fn map_texel_copy_buffer_info(info: &wit::GpuTexelCopyBufferInfo) -> web_sys::GpuTexelCopyBufferInfo {
    let buffer: web_sys::GpuBuffer = gpu_object(&info.buffer());
    let out = web_sys::GpuTexelCopyBufferInfo::new(&buffer);
    if let Some(offset) = info.offset() {
        out.set_offset_f64(size64(offset));
    }
    if let Some(bytes) = info.bytes_per_row() {
        out.set_bytes_per_row(bytes);
    }
    if let Some(rows) = info.rows_per_image() {
        out.set_rows_per_image(rows);
    }
    out
}

pub fn map_texel_copy_buffer_layout(layout: &wit::GpuTexelCopyBufferLayout) -> web_sys::GpuTexelCopyBufferLayout {
    let out = web_sys::GpuTexelCopyBufferLayout::new();
    if let Some(offset) = layout.offset() {
        out.set_offset_f64(size64(offset));
    }
    if let Some(bytes) = layout.bytes_per_row() {
        out.set_bytes_per_row(bytes);
    }
    if let Some(rows) = layout.rows_per_image() {
        out.set_rows_per_image(rows);
    }
    out
}

pub fn map_texel_copy_texture_info(info: &wit::GpuTexelCopyTextureInfo) -> web_sys::GpuTexelCopyTextureInfo {
    let texture: web_sys::GpuTexture = gpu_object(&info.texture());
    let out = web_sys::GpuTexelCopyTextureInfo::new(&texture);
    if let Some(level) = info.mip_level() {
        out.set_mip_level(level);
    }
    if let Some(origin) = info.origin() {
        out.set_origin_gpu_origin_3d_dict(&map_origin(&origin));
    }
    if let Some(aspect) = info.aspect() {
        out.set_aspect(aspect.to_web());
    }
    out
}

/// `gpu-canvas-configuration` (the `-owned` twin only ever goes the other
/// way, from `get-configuration`).
pub fn map_canvas_configuration(configuration: &wit::GpuCanvasConfiguration) -> web_sys::GpuCanvasConfiguration {
    let device: web_sys::GpuDevice = gpu_object(&configuration.device());
    let out = web_sys::GpuCanvasConfiguration::new(&device, configuration.format().to_web());
    if let Some(usage) = configuration.usage() {
        out.set_usage(usage.to_bits());
    }
    if let Some(formats) = configuration.view_formats() {
        js_sys::Reflect::set(&out, &"viewFormats".into(), &map_texture_formats(&formats)).ok();
    }
    if let Some(space) = configuration.color_space() {
        // web-sys has no `colorSpace` setter; WebGPU takes the string.
        if let Some(name) = space.webgpu_str() {
            js_sys::Reflect::set(&out, &"colorSpace".into(), &name.into()).ok();
        }
    }
    if let Some(tone_mapping) = configuration.tone_mapping() {
        let mapped = web_sys::GpuCanvasToneMapping::new();
        if let Some(mode) = tone_mapping.mode() {
            mapped.set_mode(mode.to_web());
        }
        out.set_tone_mapping(&mapped);
    }
    if let Some(mode) = configuration.alpha_mode() {
        out.set_alpha_mode(mode.to_web());
    }
    out
}

