//! Render pipelines, render passes and render bundles.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::texture::{map_color, map_texture_formats};
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
    let vertex = map_vertex_state(&descriptor.vertex());
    let out = web_sys::GpuRenderPipelineDescriptor::new_with_gpu_auto_layout_mode(
        web_sys::GpuAutoLayoutMode::Auto,
        &vertex,
    );
    Reflect::set(&out, &"layout".into(), &map_layout_mode(&descriptor.layout())).ok();
    if let Some(primitive) = descriptor.primitive() {
        out.set_primitive(&map_primitive_state(&primitive));
    }
    if let Some(depth_stencil) = descriptor.depth_stencil() {
        out.set_depth_stencil(&map_depth_stencil_state(&depth_stencil));
    }
    if let Some(multisample) = descriptor.multisample() {
        out.set_multisample(&map_multisample_state(&multisample));
    }
    if let Some(fragment) = descriptor.fragment() {
        out.set_fragment(&map_fragment_state(&fragment));
    }
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}

fn map_vertex_state(state: &wit::GpuVertexState) -> web_sys::GpuVertexState {
    let module: web_sys::GpuShaderModule = gpu_object(&state.module());
    let out = web_sys::GpuVertexState::new(&module);
    if let Some(entry_point) = state.entry_point() {
        out.set_entry_point(&entry_point);
    }
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
            web_sys::GpuVertexAttribute::new_with_f64(
                attribute.format().to_web(),
                size64(attribute.offset()),
                attribute.shader_location(),
            )
        })
        .collect();
    let out = web_sys::GpuVertexBufferLayout::new_with_f64(size64(layout.array_stride()), &attributes);
    if let Some(step_mode) = layout.step_mode() {
        out.set_step_mode(step_mode.to_web());
    }
    out
}

fn map_primitive_state(state: &wit::GpuPrimitiveState) -> web_sys::GpuPrimitiveState {
    let out = web_sys::GpuPrimitiveState::new();
    if let Some(topology) = state.topology() {
        out.set_topology(topology.to_web());
    }
    if let Some(format) = state.strip_index_format() {
        out.set_strip_index_format(format.to_web());
    }
    if let Some(face) = state.front_face() {
        out.set_front_face(face.to_web());
    }
    if let Some(cull) = state.cull_mode() {
        out.set_cull_mode(cull.to_web());
    }
    if let Some(unclipped) = state.unclipped_depth() {
        out.set_unclipped_depth(unclipped);
    }
    out
}

fn map_stencil_face_state(state: &wit::GpuStencilFaceState) -> web_sys::GpuStencilFaceState {
    let out = web_sys::GpuStencilFaceState::new();
    if let Some(compare) = state.compare() {
        out.set_compare(compare.to_web());
    }
    if let Some(op) = state.fail_op() {
        out.set_fail_op(op.to_web());
    }
    if let Some(op) = state.depth_fail_op() {
        out.set_depth_fail_op(op.to_web());
    }
    if let Some(op) = state.pass_op() {
        out.set_pass_op(op.to_web());
    }
    out
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
    let out = web_sys::GpuDepthStencilState::new(state.format().to_web());
    if let Some(enabled) = state.depth_write_enabled() {
        out.set_depth_write_enabled(enabled);
    }
    if let Some(compare) = state.depth_compare() {
        out.set_depth_compare(compare.to_web());
    }
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
    if let Some(mask) = state.stencil_read_mask() {
        out.set_stencil_read_mask(mask);
    }
    if let Some(mask) = state.stencil_write_mask() {
        out.set_stencil_write_mask(mask);
    }
    if let Some(bias) = state.depth_bias() {
        out.set_depth_bias(bias);
    }
    if let Some(scale) = state.depth_bias_slope_scale() {
        out.set_depth_bias_slope_scale(scale);
    }
    if let Some(clamp) = state.depth_bias_clamp() {
        out.set_depth_bias_clamp(clamp);
    }
    out
}

fn map_multisample_state(state: &wit::GpuMultisampleState) -> web_sys::GpuMultisampleState {
    let out = web_sys::GpuMultisampleState::new();
    if let Some(count) = state.count() {
        out.set_count(count);
    }
    if let Some(mask) = state.mask() {
        out.set_mask(mask);
    }
    if let Some(enabled) = state.alpha_to_coverage_enabled() {
        out.set_alpha_to_coverage_enabled(enabled);
    }
    out
}

fn map_fragment_state(state: &wit::GpuFragmentState) -> web_sys::GpuFragmentState {
    let module: web_sys::GpuShaderModule = gpu_object(&state.module());
    let targets: Vec<js_sys::JsNullable<web_sys::GpuColorTargetState>> = list(&state.targets())
        .iter()
        .map(|target| nullable(target, |target| map_color_target_state(target).into()).unchecked_into())
        .collect();
    let out = web_sys::GpuFragmentState::new(&module, &targets);
    if let Some(entry_point) = state.entry_point() {
        out.set_entry_point(&entry_point);
    }
    if let Some(constants) = state.constants() {
        out.set_constants(pipeline_constants(&constants).unchecked_ref());
    }
    out
}

fn map_color_target_state(state: &wit::GpuColorTargetState) -> web_sys::GpuColorTargetState {
    let out = web_sys::GpuColorTargetState::new(state.format().to_web());
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
    let out = web_sys::GpuBlendComponent::new();
    if let Some(operation) = component.operation() {
        out.set_operation(operation.to_web());
    }
    if let Some(factor) = component.src_factor() {
        out.set_src_factor(factor.to_web());
    }
    if let Some(factor) = component.dst_factor() {
        out.set_dst_factor(factor.to_web());
    }
    out
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
    let out = web_sys::GpuRenderPassDescriptor::new(&attachments);
    if let Some(attachment) = descriptor.depth_stencil_attachment() {
        out.set_depth_stencil_attachment(&map_depth_stencil_attachment(&attachment));
    }
    if let Some(query_set) = descriptor.occlusion_query_set() {
        out.set_occlusion_query_set(&gpu_object(&query_set));
    }
    if let Some(writes) = descriptor.timestamp_writes() {
        let query_set: web_sys::GpuQuerySet = gpu_object(&writes.query_set());
        let mapped = web_sys::GpuRenderPassTimestampWrites::new(&query_set);
        if let Some(index) = writes.beginning_of_pass_write_index() {
            mapped.set_beginning_of_pass_write_index(index);
        }
        if let Some(index) = writes.end_of_pass_write_index() {
            mapped.set_end_of_pass_write_index(index);
        }
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
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}

fn map_color_attachment(attachment: &wit::GpuRenderPassColorAttachment) -> web_sys::GpuRenderPassColorAttachment {
    let view: web_sys::GpuTextureView = gpu_object(&attachment.view());
    let out = web_sys::GpuRenderPassColorAttachment::new_with_gpu_texture_view(
        attachment.load_op().to_web(),
        attachment.store_op().to_web(),
        &view,
    );
    if let Some(slice) = attachment.depth_slice() {
        out.set_depth_slice(slice);
    }
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
    let view: web_sys::GpuTextureView = gpu_object(&attachment.view());
    let out = web_sys::GpuRenderPassDepthStencilAttachment::new_with_gpu_texture_view(&view);
    // Native wgpu ignores every field of an aspect the view lacks.
    let aspects = view_aspects(&attachment.view()).map(Aspects::from_bits);
    if aspects.is_some_and(|a| !a.depth) {
        if attachment.depth_load_op().is_some() || attachment.depth_store_op().is_some() {
            native_compat::applied(Fix::DepthFieldsWithoutDepthAspect);
        }
    } else {
        map_depth_fields(attachment, &out);
    }
    if aspects.is_some_and(|a| !a.stencil) {
        if attachment.stencil_load_op().is_some() || attachment.stencil_store_op().is_some() {
            native_compat::applied(Fix::StencilFieldsWithoutStencilAspect);
        }
    } else {
        map_stencil_fields(attachment, &out);
    }
    out
}

fn map_depth_fields(attachment: &wit::GpuRenderPassDepthStencilAttachment, out: &web_sys::GpuRenderPassDepthStencilAttachment) {
    if let Some(value) = attachment.depth_clear_value() {
        out.set_depth_clear_value(value);
    }
    if let Some(op) = attachment.depth_load_op() {
        out.set_depth_load_op(op.to_web());
    }
    if let Some(op) = attachment.depth_store_op() {
        out.set_depth_store_op(op.to_web());
    }
    if let Some(read_only) = attachment.depth_read_only() {
        out.set_depth_read_only(read_only);
    }
}

fn map_stencil_fields(attachment: &wit::GpuRenderPassDepthStencilAttachment, out: &web_sys::GpuRenderPassDepthStencilAttachment) {
    if let Some(value) = attachment.stencil_clear_value() {
        out.set_stencil_clear_value(value);
    }
    if let Some(op) = attachment.stencil_load_op() {
        out.set_stencil_load_op(op.to_web());
    }
    if let Some(op) = attachment.stencil_store_op() {
        out.set_stencil_store_op(op.to_web());
    }
    if let Some(read_only) = attachment.stencil_read_only() {
        out.set_stencil_read_only(read_only);
    }
}

pub fn map_render_bundle_encoder_descriptor(
    descriptor: &wit::GpuRenderBundleEncoderDescriptor,
) -> web_sys::GpuRenderBundleEncoderDescriptor {
    // `list<option<gpu-texture-format>>`: a none maps to undefined, which
    // WebGPU's nullable format reads as null (no attachment in that slot).
    let out = web_sys::GpuRenderBundleEncoderDescriptor::new(&[]);
    Reflect::set(&out, &"colorFormats".into(), &map_texture_formats(&descriptor.color_formats())).ok();
    if let Some(read_only) = descriptor.depth_read_only() {
        out.set_depth_read_only(read_only);
    }
    if let Some(read_only) = descriptor.stencil_read_only() {
        out.set_stencil_read_only(read_only);
    }
    if let Some(format) = descriptor.depth_stencil_format() {
        out.set_depth_stencil_format(format.to_web());
    }
    if let Some(count) = descriptor.sample_count() {
        out.set_sample_count(count);
    }
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}

pub fn map_render_bundle_descriptor(descriptor: &wit::GpuRenderBundleDescriptor) -> web_sys::GpuRenderBundleDescriptor {
    let out = web_sys::GpuRenderBundleDescriptor::new();
    if let Some(label) = descriptor.label() {
        out.set_label(&label);
    }
    out
}
