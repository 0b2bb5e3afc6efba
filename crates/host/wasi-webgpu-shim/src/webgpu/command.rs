//! Command encoding: `gpu-command-encoder`, `gpu-command-buffer` and the
//! compute pass.

use wasm_bindgen::prelude::*;

use super::buffer::GpuBuffer;
use super::convert::{self, map_extent, map_texel_copy_buffer_info, map_texel_copy_texture_info, size64};
use super::invalid;
use super::query::GpuQuerySet;
use super::render::GpuRenderPassEncoder;
use super::handle::resource;
use super::wit;

resource!(GpuCommandEncoder(web_sys::GpuCommandEncoder));

#[wasm_bindgen]
impl GpuCommandEncoder {
    /// A descriptor the browser throws on (an attachment format the device
    /// lacks the feature for) gives an invalid pass and a validation error.
    #[wasm_bindgen(js_name = beginRenderPass, unchecked_return_type = "GpuRenderPassEncoder")]
    pub fn begin_render_pass(&self, descriptor: wit::GpuRenderPassDescriptor) -> JsValue {
        let pass = self
            .inner
            .begin_render_pass(&convert::map_render_pass_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::render_pass(&self.inner, &invalid::message(&e)));
        GpuRenderPassEncoder::wrap(pass)
    }

    #[wasm_bindgen(js_name = beginComputePass, unchecked_return_type = "GpuComputePassEncoder")]
    pub fn begin_compute_pass(&self, descriptor: Option<wit::GpuComputePassDescriptor>) -> JsValue {
        let pass = match &descriptor {
            Some(descriptor) => self
                .inner
                .begin_compute_pass_with_descriptor(&convert::map_compute_pass_descriptor(descriptor)),
            None => self.inner.begin_compute_pass(),
        };
        GpuComputePassEncoder::wrap(pass)
    }

    /// With neither offset given, the short form (whole source into the
    /// destination's start); otherwise a missing offset is 0.
    #[wasm_bindgen(js_name = copyBufferToBuffer)]
    pub fn copy_buffer_to_buffer(
        &self,
        source: &GpuBuffer,
        source_offset: Option<u64>,
        destination: &GpuBuffer,
        destination_offset: Option<u64>,
        size: Option<u64>,
    ) {
        let (src, dst) = (&source.inner, &destination.inner);
        let copied = match (source_offset, destination_offset, size) {
            (None, None, None) => self.inner.copy_buffer_to_buffer(src, dst),
            (None, None, Some(size)) => self.inner.copy_buffer_to_buffer_with_f64(src, dst, size64(size)),
            (src_offset, dst_offset, size) => {
                let src_offset = size64(src_offset.unwrap_or(0));
                let dst_offset = size64(dst_offset.unwrap_or(0));
                match size {
                    Some(size) => self.inner.copy_buffer_to_buffer_with_f64_and_f64_and_f64(
                        src, src_offset, dst, dst_offset, size64(size),
                    ),
                    None => self.inner.copy_buffer_to_buffer_with_f64_and_f64(src, src_offset, dst, dst_offset),
                }
            }
        };
        self.invalidate_on_throw(copied);
    }

    #[wasm_bindgen(js_name = copyBufferToTexture)]
    pub fn copy_buffer_to_texture(
        &self,
        source: wit::GpuTexelCopyBufferInfo,
        destination: wit::GpuTexelCopyTextureInfo,
        copy_size: wit::GpuExtent3D,
    ) {
        let copied = self.inner.copy_buffer_to_texture_with_gpu_extent_3d_dict(
            &map_texel_copy_buffer_info(&source),
            &map_texel_copy_texture_info(&destination),
            &map_extent(&copy_size),
        );
        self.invalidate_on_throw(copied);
    }

    #[wasm_bindgen(js_name = copyTextureToBuffer)]
    pub fn copy_texture_to_buffer(
        &self,
        source: wit::GpuTexelCopyTextureInfo,
        destination: wit::GpuTexelCopyBufferInfo,
        copy_size: wit::GpuExtent3D,
    ) {
        let copied = self.inner.copy_texture_to_buffer_with_gpu_extent_3d_dict(
            &map_texel_copy_texture_info(&source),
            &map_texel_copy_buffer_info(&destination),
            &map_extent(&copy_size),
        );
        self.invalidate_on_throw(copied);
    }

    #[wasm_bindgen(js_name = copyTextureToTexture)]
    pub fn copy_texture_to_texture(
        &self,
        source: wit::GpuTexelCopyTextureInfo,
        destination: wit::GpuTexelCopyTextureInfo,
        copy_size: wit::GpuExtent3D,
    ) {
        let copied = self.inner.copy_texture_to_texture_with_gpu_extent_3d_dict(
            &map_texel_copy_texture_info(&source),
            &map_texel_copy_texture_info(&destination),
            &map_extent(&copy_size),
        );
        self.invalidate_on_throw(copied);
    }

    #[wasm_bindgen(js_name = resolveQuerySet)]
    pub fn resolve_query_set(
        &self,
        query_set: &GpuQuerySet,
        first_query: u32,
        query_count: u32,
        destination: &GpuBuffer,
        destination_offset: u64,
    ) {
        self.inner.resolve_query_set_with_f64(
            &query_set.inner,
            first_query,
            query_count,
            &destination.inner,
            size64(destination_offset),
        )
    }

    #[wasm_bindgen(js_name = clearBuffer)]
    pub fn clear_buffer(&self, buffer: &GpuBuffer, offset: Option<u64>, size: Option<u64>) {
        let offset = size64(offset.unwrap_or(0));
        match size {
            Some(size) => self.inner.clear_buffer_with_f64_and_f64(&buffer.inner, offset, size64(size)),
            None => self.inner.clear_buffer_with_f64(&buffer.inner, offset),
        }
    }

    #[wasm_bindgen(unchecked_return_type = "GpuCommandBuffer")]
    pub fn finish(&self, descriptor: Option<wit::GpuCommandBufferDescriptor>) -> JsValue {
        let buffer = match &descriptor {
            Some(descriptor) => self.inner.finish_with_descriptor(&convert::map_command_buffer_descriptor(descriptor)),
            None => self.inner.finish(),
        };
        GpuCommandBuffer::wrap(buffer)
    }
}

impl GpuCommandEncoder {
    /// A command the browser threw on (the WIT gives it no error result)
    /// makes the encoder invalid; see `invalid::encoder`.
    fn invalidate_on_throw(&self, outcome: Result<(), JsValue>) {
        if let Err(e) = outcome {
            invalid::encoder(self.inner.as_ref(), &e);
        }
    }
}

resource!(GpuCommandBuffer(web_sys::GpuCommandBuffer));

resource!(GpuComputePassEncoder(web_sys::GpuComputePassEncoder));
immediates_command!(GpuComputePassEncoder);

// The compute pass's commands (set-pipeline, set-bind-group, the dispatches,
// end) have one body in JS that both paths call: npm/generated/commands.js,
// generated by wit-codegen from the WIT.

/// `set-immediates`, shared by the compute pass, the render pass and the
/// render bundle encoder. (`set-bind-group` is a JS body: commands-runtime.js.)
macro_rules! immediates_command {
    ($class:ident) => {
        #[wasm_bindgen]
        impl $class {
            #[wasm_bindgen(js_name = setImmediates)]
            pub fn set_immediates(
                &self,
                range_offset: u32,
                data: js_sys::Uint8Array,
                data_offset: Option<u64>,
                data_size: Option<u64>,
            ) {
                $crate::webgpu::render::set_immediates(self.inner.as_ref(), range_offset, &data, data_offset, data_size)
            }
        }
    };
}

pub(crate) use immediates_command;
