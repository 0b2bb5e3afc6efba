//! Command encoders, compute and render passes, render bundles.

use std::ops::Range;
use std::rc::Rc;

use wgpu::custom::*;
use wgpu::wgt;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::convert::*;
use crate::device::ErrorSink;
use crate::pipeline::{ComputePipeline, RenderPipeline};
use crate::resource::{self, ours, BindGroup, Buffer, QuerySet, TextureView};

fn buffer(buffer: &DispatchBuffer) -> &w::GpuBuffer {
    &ours(buffer.as_custom::<Buffer>()).inner
}

fn bind_group(group: Option<&DispatchBindGroup>) -> Option<&w::GpuBindGroup> {
    group.map(|group| &ours(group.as_custom::<BindGroup>()).inner)
}

fn view(view: &wgpu::TextureView) -> &w::GpuTextureView {
    &ours(view.as_custom::<TextureView>()).inner
}

/// A query set's WIT object; None where its creation failed (and was reported).
fn query_set(set: &wgpu::QuerySet) -> Option<&w::GpuQuerySet> {
    ours(set.as_custom::<QuerySet>()).inner.as_ref()
}

#[derive(Debug)]
pub struct CommandEncoder {
    pub inner: w::GpuCommandEncoder,
    pub errors: Rc<ErrorSink>,
}

#[derive(Debug)]
pub struct CommandBuffer {
    pub inner: w::GpuCommandBuffer,
}
impl CommandBufferInterface for CommandBuffer {}

impl CommandEncoderInterface for CommandEncoder {
    fn copy_buffer_to_buffer(
        &self,
        source: &DispatchBuffer,
        source_offset: wgt::BufferAddress,
        destination: &DispatchBuffer,
        destination_offset: wgt::BufferAddress,
        copy_size: Option<wgt::BufferAddress>,
    ) {
        self.inner.copy_buffer_to_buffer(buffer(source), Some(source_offset), buffer(destination), Some(destination_offset), copy_size);
    }

    fn copy_buffer_to_texture(&self, source: wgpu::TexelCopyBufferInfo<'_>, destination: wgpu::TexelCopyTextureInfo<'_>, copy_size: wgt::Extent3d) {
        self.inner.copy_buffer_to_texture(
            &resource::map_texel_copy_buffer(&source),
            &resource::map_texel_copy_texture(&destination),
            map_extent(copy_size),
        );
    }

    fn copy_texture_to_buffer(&self, source: wgpu::TexelCopyTextureInfo<'_>, destination: wgpu::TexelCopyBufferInfo<'_>, copy_size: wgt::Extent3d) {
        self.inner.copy_texture_to_buffer(
            &resource::map_texel_copy_texture(&source),
            &resource::map_texel_copy_buffer(&destination),
            map_extent(copy_size),
        );
    }

    fn copy_texture_to_texture(&self, source: wgpu::TexelCopyTextureInfo<'_>, destination: wgpu::TexelCopyTextureInfo<'_>, copy_size: wgt::Extent3d) {
        self.inner.copy_texture_to_texture(
            &resource::map_texel_copy_texture(&source),
            &resource::map_texel_copy_texture(&destination),
            map_extent(copy_size),
        );
    }

    fn begin_compute_pass(&self, desc: &wgpu::ComputePassDescriptor<'_>) -> DispatchComputePass {
        let timestamp_writes = desc.timestamp_writes.as_ref().and_then(|writes| {
            Some(w::GpuComputePassTimestampWrites {
                query_set: query_set(writes.query_set)?,
                beginning_of_pass_write_index: writes.beginning_of_pass_write_index,
                end_of_pass_write_index: writes.end_of_pass_write_index,
            })
        });
        let inner = self.inner.begin_compute_pass(Some(&w::GpuComputePassDescriptor { timestamp_writes, label: label(desc.label) }));
        DispatchComputePass::custom(ComputePass { inner, errors: self.errors.clone() })
    }

    fn begin_render_pass(&self, desc: &wgpu::RenderPassDescriptor<'_>) -> DispatchRenderPass {
        if desc.multiview_mask.is_some() {
            gap("a multiview render pass");
        }
        let color_attachments = desc
            .color_attachments
            .iter()
            .map(|attachment| {
                attachment.as_ref().map(|attachment| {
                    let (load_op, clear_value) = map_load_op(attachment.ops.load);
                    w::GpuRenderPassColorAttachment {
                        view: view(attachment.view),
                        depth_slice: attachment.depth_slice,
                        resolve_target: attachment.resolve_target.map(view),
                        clear_value: clear_value.map(map_color),
                        load_op,
                        store_op: map_store_op(attachment.ops.store),
                    }
                })
            })
            .collect();
        // wgpu leaves out the operations of an aspect it only reads.
        let depth_stencil_attachment = desc.depth_stencil_attachment.as_ref().map(|attachment| {
            let depth = attachment.depth_ops.map(|ops| (map_load_op(ops.load), map_store_op(ops.store)));
            let stencil = attachment.stencil_ops.map(|ops| (map_load_op(ops.load), map_store_op(ops.store)));
            w::GpuRenderPassDepthStencilAttachment {
                view: view(attachment.view),
                // WebGPU needs a depth clear value wherever it clears depth;
                // wgpu's "don't care" has none, and 1.0 is the far plane.
                depth_clear_value: depth.map(|((_, clear), _)| clear.unwrap_or(1.0)),
                depth_load_op: depth.map(|((op, _), _)| op),
                depth_store_op: depth.map(|(_, store)| store),
                depth_read_only: Some(depth.is_none()),
                stencil_clear_value: stencil.and_then(|((_, clear), _)| clear),
                stencil_load_op: stencil.map(|((op, _), _)| op),
                stencil_store_op: stencil.map(|(_, store)| store),
                stencil_read_only: Some(stencil.is_none()),
            }
        });
        let timestamp_writes = desc.timestamp_writes.as_ref().and_then(|writes| {
            Some(w::GpuRenderPassTimestampWrites {
                query_set: query_set(writes.query_set)?,
                beginning_of_pass_write_index: writes.beginning_of_pass_write_index,
                end_of_pass_write_index: writes.end_of_pass_write_index,
            })
        });
        let inner = self.inner.begin_render_pass(&w::GpuRenderPassDescriptor {
            color_attachments,
            depth_stencil_attachment,
            occlusion_query_set: desc.occlusion_query_set.and_then(query_set),
            timestamp_writes,
            max_draw_count: None,
            label: label(desc.label),
        });
        DispatchRenderPass::custom(RenderPass { inner, errors: self.errors.clone() })
    }

    fn finish(&mut self) -> DispatchCommandBuffer {
        DispatchCommandBuffer::custom(CommandBuffer { inner: self.inner.finish(None) })
    }

    fn clear_texture(&self, _texture: &DispatchTexture, _subresource_range: &wgt::ImageSubresourceRange) {
        gap("CommandEncoder::clear_texture")
    }

    fn clear_buffer(&self, target: &DispatchBuffer, offset: wgt::BufferAddress, size: Option<wgt::BufferAddress>) {
        self.inner.clear_buffer(buffer(target), Some(offset), size);
    }

    fn insert_debug_marker(&self, label: &str) {
        self.inner.insert_debug_marker(label);
    }

    fn push_debug_group(&self, label: &str) {
        self.inner.push_debug_group(label);
    }

    fn pop_debug_group(&self) {
        self.inner.pop_debug_group();
    }

    fn write_timestamp(&self, _query_set: &DispatchQuerySet, _query_index: u32) {
        gap("a timestamp written by a command encoder (only passes write them in WebGPU)")
    }

    fn resolve_query_set(
        &self,
        set: &DispatchQuerySet,
        first_query: u32,
        query_count: u32,
        destination: &DispatchBuffer,
        destination_offset: wgt::BufferAddress,
    ) {
        if let Some(set) = ours(set.as_custom::<QuerySet>()).inner.as_ref() {
            self.inner.resolve_query_set(set, first_query, query_count, buffer(destination), destination_offset);
        }
    }

    fn mark_acceleration_structures_built<'a>(
        &self,
        _blas: &mut dyn Iterator<Item = &'a wgpu::Blas>,
        _tlas: &mut dyn Iterator<Item = &'a wgpu::Tlas>,
    ) {
        gap("acceleration structures (ray tracing)")
    }

    fn build_acceleration_structures<'a>(
        &self,
        _blas: &mut dyn Iterator<Item = &'a wgpu::BlasBuildEntry<'a>>,
        _tlas: &mut dyn Iterator<Item = &'a wgpu::Tlas>,
    ) {
        gap("acceleration structures (ray tracing)")
    }

    fn transition_resources<'a>(
        &mut self,
        _buffer_transitions: &mut dyn Iterator<Item = wgt::BufferTransition<&'a DispatchBuffer>>,
        _texture_transitions: &mut dyn Iterator<Item = wgt::TextureTransition<&'a DispatchTexture>>,
    ) {
        // WebGPU tracks resource states itself.
    }
}

// ---- passes

#[derive(Debug)]
pub struct ComputePass {
    inner: w::GpuComputePassEncoder,
    errors: Rc<ErrorSink>,
}

impl Drop for ComputePass {
    fn drop(&mut self) {
        // wgpu ends a pass by dropping it.
        self.inner.end();
    }
}

/// The commands every pass and bundle encoder has, with one body each: the
/// WIT's encoders name them alike.
macro_rules! binding_commands {
    () => {
        fn set_bind_group(&mut self, index: u32, group: Option<&DispatchBindGroup>, offsets: &[wgt::DynamicOffset]) {
            let offsets = (!offsets.is_empty()).then_some(offsets);
            if let Err(e) = self.inner.set_bind_group(index, bind_group(group), offsets, None, None) {
                self.errors.report(validation_error("set_bind_group", &e.message));
            }
        }

        fn set_immediates(&mut self, offset: u32, data: &[u8]) {
            self.inner.set_immediates(offset, data, None, None);
        }
    };
}

/// The debug markers of both kinds of pass.
macro_rules! debug_commands {
    () => {
        fn insert_debug_marker(&mut self, label: &str) {
            self.inner.insert_debug_marker(label);
        }

        fn push_debug_group(&mut self, group_label: &str) {
            self.inner.push_debug_group(group_label);
        }

        fn pop_debug_group(&mut self) {
            self.inner.pop_debug_group();
        }
    };
}

/// The commands render passes and render bundle encoders share.
macro_rules! render_commands {
    () => {
        binding_commands!();

        fn set_pipeline(&mut self, pipeline: &DispatchRenderPipeline) {
            self.inner.set_pipeline(&ours(pipeline.as_custom::<RenderPipeline>()).inner);
        }

        fn set_index_buffer(&mut self, target: &DispatchBuffer, format: wgt::IndexFormat, offset: wgt::BufferAddress, size: Option<wgt::BufferSize>) {
            self.inner.set_index_buffer(buffer(target), map_index_format(format), Some(offset), size.map(|size| size.get()));
        }

        fn set_vertex_buffer(&mut self, slot: u32, target: Option<&DispatchBuffer>, offset: wgt::BufferAddress, size: Option<wgt::BufferSize>) {
            self.inner.set_vertex_buffer(slot, target.map(buffer), Some(offset), size.map(|size| size.get()));
        }

        fn draw(&mut self, vertices: Range<u32>, instances: Range<u32>) {
            self.inner.draw(vertices.len() as u32, Some(instances.len() as u32), Some(vertices.start), Some(instances.start));
        }

        fn draw_indexed(&mut self, indices: Range<u32>, base_vertex: i32, instances: Range<u32>) {
            self.inner.draw_indexed(indices.len() as u32, Some(instances.len() as u32), Some(indices.start), Some(base_vertex), Some(instances.start));
        }

        fn draw_indirect(&mut self, indirect_buffer: &DispatchBuffer, indirect_offset: wgt::BufferAddress) {
            self.inner.draw_indirect(buffer(indirect_buffer), indirect_offset);
        }

        fn draw_indexed_indirect(&mut self, indirect_buffer: &DispatchBuffer, indirect_offset: wgt::BufferAddress) {
            self.inner.draw_indexed_indirect(buffer(indirect_buffer), indirect_offset);
        }
    };
}

impl ComputePassInterface for ComputePass {
    binding_commands!();
    debug_commands!();

    fn set_pipeline(&mut self, pipeline: &DispatchComputePipeline) {
        self.inner.set_pipeline(&ours(pipeline.as_custom::<ComputePipeline>()).inner);
    }

    fn write_timestamp(&mut self, _query_set: &DispatchQuerySet, _query_index: u32) {
        gap("a timestamp written inside a pass (WebGPU writes them at a pass's start and end)")
    }

    fn begin_pipeline_statistics_query(&mut self, _query_set: &DispatchQuerySet, _query_index: u32) {
        gap("a pipeline-statistics query")
    }

    fn end_pipeline_statistics_query(&mut self) {
        gap("a pipeline-statistics query")
    }

    fn dispatch_workgroups(&mut self, x: u32, y: u32, z: u32) {
        self.inner.dispatch_workgroups(x, Some(y), Some(z));
    }

    fn dispatch_workgroups_indirect(&mut self, indirect_buffer: &DispatchBuffer, indirect_offset: wgt::BufferAddress) {
        self.inner.dispatch_workgroups_indirect(buffer(indirect_buffer), indirect_offset);
    }

    fn transition_resources<'a>(
        &mut self,
        _buffer_transitions: &mut dyn Iterator<Item = wgt::BufferTransition<&'a DispatchBuffer>>,
        _texture_transitions: &mut dyn Iterator<Item = wgt::TextureTransition<&'a DispatchTextureView>>,
    ) {
    }
}

#[derive(Debug)]
pub struct RenderPass {
    inner: w::GpuRenderPassEncoder,
    errors: Rc<ErrorSink>,
}

impl Drop for RenderPass {
    fn drop(&mut self) {
        self.inner.end();
    }
}

impl RenderPassInterface for RenderPass {
    render_commands!();
    debug_commands!();

    fn set_blend_constant(&mut self, color: wgt::Color) {
        self.inner.set_blend_constant(map_color(color));
    }

    fn set_scissor_rect(&mut self, x: u32, y: u32, width: u32, height: u32) {
        self.inner.set_scissor_rect(x, y, width, height);
    }

    fn set_viewport(&mut self, x: f32, y: f32, width: f32, height: f32, min_depth: f32, max_depth: f32) {
        self.inner.set_viewport(x, y, width, height, min_depth, max_depth);
    }

    fn set_stencil_reference(&mut self, reference: u32) {
        self.inner.set_stencil_reference(reference);
    }

    fn draw_mesh_tasks(&mut self, _x: u32, _y: u32, _z: u32) {
        gap("mesh shaders")
    }

    fn draw_mesh_tasks_indirect(&mut self, _indirect_buffer: &DispatchBuffer, _indirect_offset: wgt::BufferAddress) {
        gap("mesh shaders")
    }

    fn multi_draw_indirect(&mut self, indirect_buffer: &DispatchBuffer, indirect_offset: wgt::BufferAddress, count: u32) {
        // WebGPU draws one indirect command at a time: 4 u32s each.
        for i in 0..u64::from(count) {
            self.inner.draw_indirect(buffer(indirect_buffer), indirect_offset + i * 16);
        }
    }

    fn multi_draw_indexed_indirect(&mut self, indirect_buffer: &DispatchBuffer, indirect_offset: wgt::BufferAddress, count: u32) {
        // 5 u32s each.
        for i in 0..u64::from(count) {
            self.inner.draw_indexed_indirect(buffer(indirect_buffer), indirect_offset + i * 20);
        }
    }

    fn multi_draw_indirect_count(&mut self, _: &DispatchBuffer, _: wgt::BufferAddress, _: &DispatchBuffer, _: wgt::BufferAddress, _: u32) {
        gap("an indirect draw count read from a buffer")
    }

    fn multi_draw_mesh_tasks_indirect(&mut self, _: &DispatchBuffer, _: wgt::BufferAddress, _: u32) {
        gap("mesh shaders")
    }

    fn multi_draw_indexed_indirect_count(&mut self, _: &DispatchBuffer, _: wgt::BufferAddress, _: &DispatchBuffer, _: wgt::BufferAddress, _: u32) {
        gap("an indirect draw count read from a buffer")
    }

    fn multi_draw_mesh_tasks_indirect_count(&mut self, _: &DispatchBuffer, _: wgt::BufferAddress, _: &DispatchBuffer, _: wgt::BufferAddress, _: u32) {
        gap("mesh shaders")
    }

    fn write_timestamp(&mut self, _query_set: &DispatchQuerySet, _query_index: u32) {
        gap("a timestamp written inside a pass (WebGPU writes them at a pass's start and end)")
    }

    fn begin_occlusion_query(&mut self, query_index: u32) {
        self.inner.begin_occlusion_query(query_index);
    }

    fn end_occlusion_query(&mut self) {
        self.inner.end_occlusion_query();
    }

    fn begin_pipeline_statistics_query(&mut self, _query_set: &DispatchQuerySet, _query_index: u32) {
        gap("a pipeline-statistics query")
    }

    fn end_pipeline_statistics_query(&mut self) {
        gap("a pipeline-statistics query")
    }

    fn execute_bundles(&mut self, render_bundles: &mut dyn Iterator<Item = &DispatchRenderBundle>) {
        let bundles: Vec<&w::GpuRenderBundle> = render_bundles.map(|bundle| &ours(bundle.as_custom::<RenderBundle>()).inner).collect();
        self.inner.execute_bundles(&bundles);
    }
}

// ---- render bundles

#[derive(Debug)]
pub struct RenderBundleEncoder {
    inner: w::GpuRenderBundleEncoder,
    errors: Rc<ErrorSink>,
}

#[derive(Debug)]
pub struct RenderBundle {
    pub inner: w::GpuRenderBundle,
}
impl RenderBundleInterface for RenderBundle {}

pub fn create_render_bundle_encoder(
    device: &w::GpuDevice,
    errors: &Rc<ErrorSink>,
    desc: &wgpu::RenderBundleEncoderDescriptor<'_>,
) -> DispatchRenderBundleEncoder {
    if desc.multiview.is_some() {
        gap("a multiview render bundle");
    }
    let inner = device.create_render_bundle_encoder(&w::GpuRenderBundleEncoderDescriptor {
        depth_read_only: desc.depth_stencil.map(|ds| ds.depth_read_only),
        stencil_read_only: desc.depth_stencil.map(|ds| ds.stencil_read_only),
        color_formats: desc.color_formats.iter().map(|format| format.map(map_texture_format)).collect(),
        depth_stencil_format: desc.depth_stencil.map(|ds| map_texture_format(ds.format)),
        sample_count: Some(desc.sample_count),
        label: label(desc.label),
    });
    DispatchRenderBundleEncoder::custom(RenderBundleEncoder { inner, errors: errors.clone() })
}

impl RenderBundleEncoderInterface for RenderBundleEncoder {
    render_commands!();

    fn finish(self, desc: &wgpu::RenderBundleDescriptor<'_>) -> DispatchRenderBundle {
        let inner = self.inner.finish(Some(&w::GpuRenderBundleDescriptor { label: label(desc.label) }));
        DispatchRenderBundle::custom(RenderBundle { inner })
    }

    fn finish_boxed(self: Box<Self>, desc: &wgpu::RenderBundleDescriptor<'_>) -> DispatchRenderBundle {
        (*self).finish(desc)
    }
}
