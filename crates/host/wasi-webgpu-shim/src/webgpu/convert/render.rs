//! Render pipelines, render passes and render bundles.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::texture::map_color;
use super::native_compat::{self, Aspects, Fix};
use super::{list, map_layout_mode, size64};
use crate::webgpu::handle::{gpu_object, view_aspects};
use crate::webgpu::records::pipeline_constants;
use crate::webgpu::wit;

/// A `list<option<T>>` element: jco sends `undefined` for none, WebGPU
/// wants `null` in sequences of nullable dictionaries.
fn nullable<T: JsCast>(element: JsValue, map: impl FnOnce(&T) -> JsValue) -> JsValue {
    if element.is_undefined() || element.is_null() {
        JsValue::NULL
    } else {
        map(element.unchecked_ref())
    }
}

pub fn map_render_pipeline_descriptor(
    descriptor: &wit::GpuRenderPipelineDescriptor,
) -> web_sys::GpuRenderPipelineDescriptor {
    let out: web_sys::GpuRenderPipelineDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_vertex(&map_vertex_state(&descriptor.vertex()));
    Reflect::set(&out, &"layout".into(), &map_layout_mode(&descriptor.layout())).ok();
    if let Some(primitive) = descriptor.primitive() {
        // Topology, strip index format, front face, cull mode, unclipped depth: all plain.
        out.set_primitive(primitive.plain_fields().unchecked_ref());
    }
    if let Some(depth_stencil) = descriptor.depth_stencil() {
        out.set_depth_stencil(&map_depth_stencil_state(&depth_stencil));
    }
    if let Some(multisample) = descriptor.multisample() {
        // Count, mask, alpha to coverage: all plain.
        out.set_multisample(multisample.plain_fields().unchecked_ref());
    }
    if let Some(fragment) = descriptor.fragment() {
        out.set_fragment(&map_fragment_state(&fragment));
    }
    out
}

fn map_vertex_state(state: &wit::GpuVertexState) -> web_sys::GpuVertexState {
    let out: web_sys::GpuVertexState = state.plain_fields().unchecked_into();
    out.set_module(&gpu_object(&state.module()));
    if let Some(constants) = state.constants() {
        out.set_constants(pipeline_constants(&constants).unchecked_ref());
    }
    if let Some(buffers) = state.buffers() {
        let buffers: Array = list(&buffers)
            .iter()
            .map(|layout| nullable(layout, |layout| map_vertex_buffer_layout(layout).into()))
            .collect();
        Reflect::set(&out, &"buffers".into(), &buffers).ok();
    }
    out
}

fn map_vertex_buffer_layout(layout: &wit::GpuVertexBufferLayout) -> web_sys::GpuVertexBufferLayout {
    let attributes: Vec<web_sys::GpuVertexAttribute> = list(&layout.attributes())
        .iter()
        .map(|attribute| {
            let attribute: &wit::GpuVertexAttribute = attribute.unchecked_ref();
            let out: web_sys::GpuVertexAttribute = attribute.plain_fields().unchecked_into();
            out.set_offset_f64(size64(attribute.offset()));
            out
        })
        .collect();
    let out: web_sys::GpuVertexBufferLayout = layout.plain_fields().unchecked_into();
    out.set_array_stride_f64(size64(layout.array_stride()));
    out.set_attributes(&attributes);
    out
}

fn map_stencil_face_state(state: &wit::GpuStencilFaceState) -> web_sys::GpuStencilFaceState {
    // Compare and the three operations: all plain.
    state.plain_fields().unchecked_into()
}

/// WebGPU's default face: compare `always`, every op `keep`.
fn is_default_face(face: &wit::GpuStencilFaceState) -> bool {
    let keep = |op: Option<wit::GpuStencilOperation>| op.is_none_or(|op| op == wit::GpuStencilOperation::Keep);
    face.compare().is_none_or(|c| c == wit::GpuCompareFunction::Always)
        && keep(face.fail_op())
        && keep(face.depth_fail_op())
        && keep(face.pass_op())
}

fn map_depth_stencil_state(state: &wit::GpuDepthStencilState) -> web_sys::GpuDepthStencilState {
    // The format, depth write and compare, the stencil masks and the depth
    // bias are plain.
    let out: web_sys::GpuDepthStencilState = state.plain_fields().unchecked_into();
    // Native wgpu ignores stencil faces that can never act: a format with
    // no stencil aspect and both masks 0.
    let inert_stencil = Aspects::of_format(state.format()).is_some_and(|a| !a.stencil)
        && state.stencil_read_mask() == Some(0)
        && state.stencil_write_mask() == Some(0);
    let faces = [state.stencil_front(), state.stencil_back()];
    if inert_stencil && faces.iter().flatten().any(|face| !is_default_face(face)) {
        native_compat::applied(Fix::StencilFacesWithoutStencilAspect);
    } else {
        if let Some(face) = &faces[0] {
            out.set_stencil_front(&map_stencil_face_state(face));
        }
        if let Some(face) = &faces[1] {
            out.set_stencil_back(&map_stencil_face_state(face));
        }
    }
    out
}

fn map_fragment_state(state: &wit::GpuFragmentState) -> web_sys::GpuFragmentState {
    let targets: Vec<js_sys::JsNullable<web_sys::GpuColorTargetState>> = list(&state.targets())
        .iter()
        .map(|target| nullable(target, |target| map_color_target_state(target).into()).unchecked_into())
        .collect();
    let out: web_sys::GpuFragmentState = state.plain_fields().unchecked_into();
    out.set_module(&gpu_object(&state.module()));
    out.set_targets(&targets);
    if let Some(constants) = state.constants() {
        out.set_constants(pipeline_constants(&constants).unchecked_ref());
    }
    out
}

fn map_color_target_state(state: &wit::GpuColorTargetState) -> web_sys::GpuColorTargetState {
    // The format is plain.
    let out: web_sys::GpuColorTargetState = state.plain_fields().unchecked_into();
    if let Some(blend) = state.blend() {
        let mapped = web_sys::GpuBlendState::new(
            &map_blend_component(&blend.alpha()),
            &map_blend_component(&blend.color()),
        );
        out.set_blend(&mapped);
    }
    if let Some(mask) = state.write_mask() {
        out.set_write_mask(mask.to_bits());
    }
    out
}

fn map_blend_component(component: &wit::GpuBlendComponent) -> web_sys::GpuBlendComponent {
    // Operation and both factors: all plain.
    component.plain_fields().unchecked_into()
}

/// `GPURenderPassDescriptor.maxDrawCount`'s default in the WebGPU spec.
const WEBGPU_DEFAULT_MAX_DRAW_COUNT: u64 = 50_000_000;

pub fn map_render_pass_descriptor(descriptor: &wit::GpuRenderPassDescriptor) -> web_sys::GpuRenderPassDescriptor {
    let attachments: Vec<js_sys::JsNullable<web_sys::GpuRenderPassColorAttachment>> =
        list(&descriptor.color_attachments())
            .iter()
            .map(|attachment| {
                nullable(attachment, |attachment| map_color_attachment(attachment).into()).unchecked_into()
            })
            .collect();
    let out: web_sys::GpuRenderPassDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_color_attachments(&attachments);
    if let Some(attachment) = descriptor.depth_stencil_attachment() {
        out.set_depth_stencil_attachment(&map_depth_stencil_attachment(&attachment));
    }
    if let Some(query_set) = descriptor.occlusion_query_set() {
        out.set_occlusion_query_set(&gpu_object(&query_set));
    }
    if let Some(writes) = descriptor.timestamp_writes() {
        let mapped: web_sys::GpuRenderPassTimestampWrites = writes.plain_fields().unchecked_into();
        mapped.set_query_set(&gpu_object(&writes.query_set()));
        out.set_timestamp_writes(&mapped);
    }
    // The native runtime drops max-draw-count, so no count is too many. A
    // count at or above WebGPU's default limits nothing the default would
    // not, so it is passed on as it is.
    match descriptor.max_draw_count() {
        Some(count) if count >= WEBGPU_DEFAULT_MAX_DRAW_COUNT => out.set_max_draw_count_f64(size64(count)),
        Some(_) => native_compat::applied(Fix::MaxDrawCount),
        None => {}
    }
    out
}

fn map_color_attachment(attachment: &wit::GpuRenderPassColorAttachment) -> web_sys::GpuRenderPassColorAttachment {
    // Depth slice, load and store ops: plain.
    let out: web_sys::GpuRenderPassColorAttachment = attachment.plain_fields().unchecked_into();
    out.set_view_gpu_texture_view(&gpu_object(&attachment.view()));
    if let Some(target) = attachment.resolve_target() {
        out.set_resolve_target_gpu_texture_view(&gpu_object(&target));
    }
    if let Some(color) = attachment.clear_value() {
        out.set_clear_value_gpu_color_dict(&map_color(&color));
    }
    out
}

fn map_depth_stencil_attachment(
    attachment: &wit::GpuRenderPassDepthStencilAttachment,
) -> web_sys::GpuRenderPassDepthStencilAttachment {
    // Every field but the view is plain; native wgpu ignores every field of
    // an aspect the view lacks, so those are taken out again.
    let out: web_sys::GpuRenderPassDepthStencilAttachment = attachment.plain_fields().unchecked_into();
    out.set_view_gpu_texture_view(&gpu_object(&attachment.view()));
    let aspects = view_aspects(&attachment.view()).map(Aspects::from_bits);
    if aspects.is_some_and(|a| !a.depth) {
        if attachment.depth_load_op().is_some() || attachment.depth_store_op().is_some() {
            native_compat::applied(Fix::DepthFieldsWithoutDepthAspect);
        }
        remove(&out, &["depthClearValue", "depthLoadOp", "depthStoreOp", "depthReadOnly"]);
    }
    if aspects.is_some_and(|a| !a.stencil) {
        if attachment.stencil_load_op().is_some() || attachment.stencil_store_op().is_some() {
            native_compat::applied(Fix::StencilFieldsWithoutStencilAspect);
        }
        remove(&out, &["stencilClearValue", "stencilLoadOp", "stencilStoreOp", "stencilReadOnly"]);
    }
    out
}

/// Takes `fields` out of the descriptor `object`.
fn remove(object: &JsValue, fields: &[&str]) {
    for field in fields {
        Reflect::delete_property(object.unchecked_ref::<js_sys::Object>(), &JsValue::from_str(field)).ok();
    }
}

pub fn map_render_bundle_encoder_descriptor(
    descriptor: &wit::GpuRenderBundleEncoderDescriptor,
) -> web_sys::GpuRenderBundleEncoderDescriptor {
    // Every field is plain; a none among the colour formats stays undefined,
    // which WebGPU's nullable formats read as null (no attachment there).
    descriptor.plain_fields().unchecked_into()
}

pub fn map_render_bundle_descriptor(descriptor: &wit::GpuRenderBundleDescriptor) -> web_sys::GpuRenderBundleDescriptor {
    descriptor.plain_fields().unchecked_into()
}
