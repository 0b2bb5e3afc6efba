//! Render passes, render bundles and the commands they share.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::buffer::GpuBuffer;
use super::command::binding_commands;
use super::convert::{list, map_color, map_render_bundle_descriptor, size64};
use super::handle::{debug_markers, gpu_object, gpu_object_or_null, labelled, resource};
use super::invalid;
use super::pipeline::GpuRenderPipeline;
use super::wit;

#[wasm_bindgen]
extern "C" {
    /// WebGPU's `GPURenderCommandsMixin` (render pass and bundle encoder),
    /// bound once with optional arguments: `None` is passed as `undefined`,
    /// which WebGPU reads as the argument's default.
    type RenderCommands;

    #[wasm_bindgen(method, js_name = setPipeline)]
    fn set_pipeline(this: &RenderCommands, pipeline: &web_sys::GpuRenderPipeline);
    #[wasm_bindgen(method, js_name = setIndexBuffer)]
    fn set_index_buffer(
        this: &RenderCommands,
        buffer: &web_sys::GpuBuffer,
        format: web_sys::GpuIndexFormat,
        offset: Option<f64>,
        size: Option<f64>,
    );
    #[wasm_bindgen(method, js_name = setVertexBuffer)]
    fn set_vertex_buffer(this: &RenderCommands, slot: u32, buffer: &JsValue, offset: Option<f64>, size: Option<f64>);
    #[wasm_bindgen(method)]
    fn draw(
        this: &RenderCommands,
        vertex_count: u32,
        instance_count: Option<u32>,
        first_vertex: Option<u32>,
        first_instance: Option<u32>,
    );
    #[wasm_bindgen(method, js_name = drawIndexed)]
    fn draw_indexed(
        this: &RenderCommands,
        index_count: u32,
        instance_count: Option<u32>,
        first_index: Option<u32>,
        base_vertex: Option<i32>,
        first_instance: Option<u32>,
    );
    #[wasm_bindgen(method, js_name = drawIndirect)]
    fn draw_indirect(this: &RenderCommands, buffer: &web_sys::GpuBuffer, offset: f64);
    #[wasm_bindgen(method, js_name = drawIndexedIndirect)]
    fn draw_indexed_indirect(this: &RenderCommands, buffer: &web_sys::GpuBuffer, offset: f64);

    /// Any encoder with immediates (compute pass too). Throws a RangeError
    /// for a data range outside `data`; absent in browsers without
    /// immediates (Firefox ESR 153).
    pub(crate) type ImmediatesEncoder;
    #[wasm_bindgen(method, catch, js_name = setImmediates)]
    fn set_immediates(
        this: &ImmediatesEncoder,
        range_offset: u32,
        data: &Uint8Array,
        data_offset: Option<f64>,
        data_size: Option<f64>,
    ) -> Result<(), JsValue>;

    /// The render pass's own commands that take floats WebGPU requires to
    /// be finite: a NaN is a TypeError.
    type RenderPassFloats;
    #[wasm_bindgen(method, catch, js_name = setViewport)]
    fn set_viewport(
        this: &RenderPassFloats,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        min_depth: f32,
        max_depth: f32,
    ) -> Result<(), JsValue>;
}

/// `set-immediates` for any encoder. The WIT has no error result: a range
/// WebGPU throws on, or a browser without immediates (where calling the
/// missing method is a TypeError), invalidates the encoder, so the guest
/// sees a validation error when it ends or finishes.
pub(crate) fn set_immediates(
    encoder: &JsValue,
    range_offset: u32,
    data: &Uint8Array,
    data_offset: Option<u64>,
    data_size: Option<u64>,
) {
    let immediates: &ImmediatesEncoder = encoder.unchecked_ref();
    if let Err(e) = immediates.set_immediates(range_offset, data, data_offset.map(size64), data_size.map(size64)) {
        invalid::encoder(encoder, &e);
    }
}

/// The commands of `GPURenderCommandsMixin` (plus the binding and debug
/// commands), for both encoders that have them.
macro_rules! render_commands {
    ($class:ident) => {
        debug_markers!($class);
        binding_commands!($class);

        impl $class {
            fn commands(&self) -> &RenderCommands {
                self.inner.unchecked_ref()
            }
        }

        #[wasm_bindgen]
        impl $class {
            #[wasm_bindgen(js_name = setPipeline)]
            pub fn set_pipeline(&self, pipeline: &GpuRenderPipeline) {
                self.commands().set_pipeline(&pipeline.inner)
            }

            #[wasm_bindgen(js_name = setIndexBuffer)]
            pub fn set_index_buffer(
                &self,
                buffer: &GpuBuffer,
                index_format: wit::GpuIndexFormat,
                offset: Option<u64>,
                size: Option<u64>,
            ) {
                self.commands().set_index_buffer(
                    &buffer.inner,
                    index_format.to_web(),
                    offset.map(size64),
                    size.map(size64),
                )
            }

            /// `buffer` is the wrapper or undefined (unbinds the slot).
            #[wasm_bindgen(js_name = setVertexBuffer)]
            pub fn set_vertex_buffer(&self, slot: u32, buffer: JsValue, offset: Option<u64>, size: Option<u64>) {
                let buffer = gpu_object_or_null(&buffer);
                self.commands().set_vertex_buffer(slot, &buffer, offset.map(size64), size.map(size64))
            }

            pub fn draw(
                &self,
                vertex_count: u32,
                instance_count: Option<u32>,
                first_vertex: Option<u32>,
                first_instance: Option<u32>,
            ) {
                self.commands().draw(vertex_count, instance_count, first_vertex, first_instance)
            }

            #[wasm_bindgen(js_name = drawIndexed)]
            pub fn draw_indexed(
                &self,
                index_count: u32,
                instance_count: Option<u32>,
                first_index: Option<u32>,
                base_vertex: Option<i32>,
                first_instance: Option<u32>,
            ) {
                self.commands().draw_indexed(index_count, instance_count, first_index, base_vertex, first_instance)
            }

            #[wasm_bindgen(js_name = drawIndirect)]
            pub fn draw_indirect(&self, indirect_buffer: &GpuBuffer, indirect_offset: u64) {
                self.commands().draw_indirect(&indirect_buffer.inner, size64(indirect_offset))
            }

            #[wasm_bindgen(js_name = drawIndexedIndirect)]
            pub fn draw_indexed_indirect(&self, indirect_buffer: &GpuBuffer, indirect_offset: u64) {
                self.commands().draw_indexed_indirect(&indirect_buffer.inner, size64(indirect_offset))
            }
        }
    };
}

resource!(GpuRenderPassEncoder(web_sys::GpuRenderPassEncoder));
labelled!(GpuRenderPassEncoder);
render_commands!(GpuRenderPassEncoder);

#[wasm_bindgen]
impl GpuRenderPassEncoder {
    /// A non-finite value (which WebGPU throws on) invalidates the pass.
    #[wasm_bindgen(js_name = setViewport)]
    pub fn set_viewport(&self, x: f32, y: f32, width: f32, height: f32, min_depth: f32, max_depth: f32) {
        let pass: &RenderPassFloats = self.inner.unchecked_ref();
        if let Err(e) = pass.set_viewport(x, y, width, height, min_depth, max_depth) {
            invalid::encoder(self.inner.as_ref(), &e);
        }
    }

    #[wasm_bindgen(js_name = setScissorRect)]
    pub fn set_scissor_rect(&self, x: u32, y: u32, width: u32, height: u32) {
        self.inner.set_scissor_rect(x, y, width, height)
    }

    /// A non-finite component (which WebGPU throws on) invalidates the pass.
    #[wasm_bindgen(js_name = setBlendConstant)]
    pub fn set_blend_constant(&self, color: wit::GpuColor) {
        if let Err(e) = self.inner.set_blend_constant_with_gpu_color_dict(&map_color(&color)) {
            invalid::encoder(self.inner.as_ref(), &e);
        }
    }

    #[wasm_bindgen(js_name = setStencilReference)]
    pub fn set_stencil_reference(&self, reference: u32) {
        self.inner.set_stencil_reference(reference)
    }

    #[wasm_bindgen(js_name = beginOcclusionQuery)]
    pub fn begin_occlusion_query(&self, query_index: u32) {
        self.inner.begin_occlusion_query(query_index)
    }

    #[wasm_bindgen(js_name = endOcclusionQuery)]
    pub fn end_occlusion_query(&self) {
        self.inner.end_occlusion_query()
    }

    /// `list<borrow<gpu-render-bundle>>` arrives as an array of wrappers.
    #[wasm_bindgen(js_name = executeBundles)]
    pub fn execute_bundles(&self, bundles: JsValue) {
        let bundles: Vec<web_sys::GpuRenderBundle> = list(&bundles).iter().map(|b| gpu_object(&b)).collect();
        self.inner.execute_bundles(&bundles)
    }

    pub fn end(&self) {
        self.inner.end()
    }
}

resource!(GpuRenderBundleEncoder(web_sys::GpuRenderBundleEncoder));
labelled!(GpuRenderBundleEncoder);
render_commands!(GpuRenderBundleEncoder);

#[wasm_bindgen]
impl GpuRenderBundleEncoder {
    #[wasm_bindgen(unchecked_return_type = "GpuRenderBundle")]
    pub fn finish(&self, descriptor: Option<wit::GpuRenderBundleDescriptor>) -> JsValue {
        let bundle = match &descriptor {
            Some(descriptor) => self.inner.finish_with_descriptor(&map_render_bundle_descriptor(descriptor)),
            None => self.inner.finish(),
        };
        GpuRenderBundle::wrap(bundle)
    }
}

resource!(GpuRenderBundle(web_sys::GpuRenderBundle));
labelled!(GpuRenderBundle);
