//! What a call returns when the browser throws where the WIT has no error
//! result (a TypeError for a feature the device lacks, a NaN where WebGPU
//! takes a finite float, a RangeError for a misaligned mapped buffer).
//!
//! The guest gets what WebGPU gives for every other bad descriptor: an
//! invalid object of the right type and a validation error through the
//! error scopes or `on-uncaptured-error`. Each invalid object is made from a
//! descriptor that always fails validation, labelled with the browser's
//! message so the validation error carries it.

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::describe;

/// The browser's message for `exception`.
pub fn message(exception: &JsValue) -> String {
    let (name, message) = describe(exception);
    if message.is_empty() { name } else { crate::text::concat(&[&name, ": ", &message]) }
}

/// Creating an invalid object does not throw in any browser we test; an
/// empty object is the last resort that still keeps the guest alive.
fn or_placeholder<T: JsCast>(made: Result<T, JsValue>) -> T {
    made.unwrap_or_else(|_| JsValue::from(Object::new()).unchecked_into())
}

/// A buffer of usage 0 and the size the guest asked for (which `size`
/// reports, as for any invalid buffer): always a validation error, and
/// never mapped, so nothing is allocated.
pub fn buffer(device: &web_sys::GpuDevice, message: &str, size: u64) -> web_sys::GpuBuffer {
    let descriptor = web_sys::GpuBufferDescriptor::new_with_f64(super::convert::size64(size), 0);
    descriptor.set_label(message);
    or_placeholder(device.create_buffer(&descriptor))
}

/// Raises a validation error carrying `message` on `device`, for a call
/// that returns nothing.
pub fn report(device: &web_sys::GpuDevice, message: &str) {
    buffer(device, message, 0);
}

/// Two entries with one binding number: always a validation error.
pub fn bind_group_layout(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuBindGroupLayout {
    let entry = web_sys::GpuBindGroupLayoutEntry::new(0, 0);
    let descriptor = web_sys::GpuBindGroupLayoutDescriptor::new(&[entry.clone(), entry]);
    descriptor.set_label(message);
    or_placeholder(device.create_bind_group_layout(&descriptor))
}

/// A texture of width 0.
pub fn texture(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuTexture {
    let size = web_sys::GpuExtent3dDict::new(0);
    let descriptor = web_sys::GpuTextureDescriptor::new_with_gpu_extent_3d_dict(
        web_sys::GpuTextureFormat::Rgba8unorm,
        &size,
        web_sys::gpu_texture_usage::TEXTURE_BINDING,
    );
    descriptor.set_label(message);
    or_placeholder(device.create_texture(&descriptor))
}

/// A view with a mip range past the texture's.
pub fn texture_view(texture: &web_sys::GpuTexture, message: &str) -> web_sys::GpuTextureView {
    let descriptor = web_sys::GpuTextureViewDescriptor::new();
    descriptor.set_base_mip_level(u32::MAX);
    descriptor.set_label(message);
    or_placeholder(texture.create_view_with_descriptor(&descriptor))
}

/// A sampler whose `lodMinClamp` is negative.
pub fn sampler(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuSampler {
    let descriptor = web_sys::GpuSamplerDescriptor::new();
    descriptor.set_lod_min_clamp(-1.0);
    descriptor.set_label(message);
    device.create_sampler_with_descriptor(&descriptor)
}

/// An empty shader module has no entry point to name.
fn empty_module(device: &web_sys::GpuDevice) -> web_sys::GpuShaderModule {
    device.create_shader_module(&web_sys::GpuShaderModuleDescriptor::new(""))
}

pub fn compute_pipeline(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuComputePipeline {
    let stage = web_sys::GpuProgrammableStage::new(&empty_module(device));
    stage.set_entry_point("missing");
    let descriptor =
        web_sys::GpuComputePipelineDescriptor::new_with_gpu_auto_layout_mode(web_sys::GpuAutoLayoutMode::Auto, &stage);
    descriptor.set_label(message);
    device.create_compute_pipeline(&descriptor)
}

pub fn render_pipeline(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuRenderPipeline {
    let vertex = web_sys::GpuVertexState::new(&empty_module(device));
    vertex.set_entry_point("missing");
    let descriptor =
        web_sys::GpuRenderPipelineDescriptor::new_with_gpu_auto_layout_mode(web_sys::GpuAutoLayoutMode::Auto, &vertex);
    descriptor.set_label(message);
    or_placeholder(device.create_render_pipeline(&descriptor))
}

/// A bundle encoder with no attachments at all.
pub fn render_bundle_encoder(device: &web_sys::GpuDevice, message: &str) -> web_sys::GpuRenderBundleEncoder {
    let descriptor = web_sys::GpuRenderBundleEncoderDescriptor::new(&[]);
    descriptor.set_label(message);
    or_placeholder(device.create_render_bundle_encoder(&descriptor))
}

/// A render pass with no attachments at all; ending it invalidates the
/// command encoder.
pub fn render_pass(encoder: &web_sys::GpuCommandEncoder, message: &str) -> web_sys::GpuRenderPassEncoder {
    let descriptor = web_sys::GpuRenderPassDescriptor::new(&[]);
    descriptor.set_label(message);
    or_placeholder(encoder.begin_render_pass(&descriptor))
}

/// Any encoder: a command it threw on makes it invalid, so the guest sees
/// a validation error when the pass ends or the encoder finishes, as for
/// every other invalid command. Passes and bundles get a bind group index
/// past every limit (Firefox ignores unbalanced debug groups in bundles);
/// the command encoder, which has no bind groups, an unbalanced
/// `popDebugGroup`. The marker leaves the browser's message in captures.
pub fn encoder(encoder: &JsValue, exception: &JsValue) {
    let encoder: &AnyEncoder = encoder.unchecked_ref();
    encoder.insert_debug_marker(&message(exception));
    let has_bind_groups = js_sys::Reflect::get(encoder, &"setBindGroup".into()).map(|m| m.is_function()).unwrap_or(false);
    if has_bind_groups {
        encoder.set_bind_group(u32::MAX, &JsValue::NULL);
    } else {
        encoder.pop_debug_group();
    }
}

#[wasm_bindgen]
extern "C" {
    /// The command encoder, the pass encoders and the bundle encoder.
    type AnyEncoder;
    #[wasm_bindgen(method, js_name = insertDebugMarker)]
    fn insert_debug_marker(this: &AnyEncoder, marker: &str);
    #[wasm_bindgen(method, js_name = popDebugGroup)]
    fn pop_debug_group(this: &AnyEncoder);
    #[wasm_bindgen(method, js_name = setBindGroup)]
    fn set_bind_group(this: &AnyEncoder, index: u32, bind_group: &JsValue);
}
