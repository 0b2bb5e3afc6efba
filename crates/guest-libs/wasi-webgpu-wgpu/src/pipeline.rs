//! Render and compute pipelines.

use wgpu::custom::*;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::convert::*;
use crate::resource::{ours, BindGroupLayout, PipelineLayout, ShaderModule};

#[derive(Debug)]
pub struct RenderPipeline {
    pub inner: w::GpuRenderPipeline,
}

#[derive(Debug)]
pub struct ComputePipeline {
    pub inner: w::GpuComputePipeline,
}

impl RenderPipelineInterface for RenderPipeline {
    fn get_bind_group_layout(&self, index: u32) -> DispatchBindGroupLayout {
        DispatchBindGroupLayout::custom(BindGroupLayout { inner: self.inner.get_bind_group_layout(index) })
    }
}

impl ComputePipelineInterface for ComputePipeline {
    fn get_bind_group_layout(&self, index: u32) -> DispatchBindGroupLayout {
        DispatchBindGroupLayout::custom(BindGroupLayout { inner: self.inner.get_bind_group_layout(index) })
    }
}

fn map_layout<'a>(layout: Option<&'a wgpu::PipelineLayout>) -> w::GpuLayoutMode<'a> {
    match layout {
        Some(layout) => w::GpuLayoutMode::Specific(&ours(layout.as_custom::<PipelineLayout>()).inner),
        None => w::GpuLayoutMode::Auto,
    }
}

fn module<'a>(module: &'a wgpu::ShaderModule) -> &'a w::GpuShaderModule {
    &ours(module.as_custom::<ShaderModule>()).inner
}

pub fn create_render_pipeline(device: &w::GpuDevice, desc: &wgpu::RenderPipelineDescriptor<'_>) -> DispatchRenderPipeline {
    if desc.multiview_mask.is_some() {
        gap("a multiview render pipeline");
    }
    let buffers = desc
        .vertex
        .buffers
        .iter()
        .map(|layout| {
            layout.as_ref().map(|layout| w::GpuVertexBufferLayout {
                array_stride: layout.array_stride,
                step_mode: Some(match layout.step_mode {
                    wgpu::VertexStepMode::Vertex => w::GpuVertexStepMode::Vertex,
                    wgpu::VertexStepMode::Instance => w::GpuVertexStepMode::Instance,
                }),
                attributes: layout
                    .attributes
                    .iter()
                    .map(|attribute| w::GpuVertexAttribute {
                        format: map_vertex_format(attribute.format),
                        offset: attribute.offset,
                        shader_location: attribute.shader_location,
                    })
                    .collect(),
            })
        })
        .collect();
    let fragment = desc.fragment.as_ref().map(|fragment| w::GpuFragmentState {
        targets: fragment
            .targets
            .iter()
            .map(|target| {
                target.as_ref().map(|target| w::GpuColorTargetState {
                    format: map_texture_format(target.format),
                    blend: target.blend.map(|blend| w::GpuBlendState {
                        color: map_blend_component(blend.color),
                        alpha: map_blend_component(blend.alpha),
                    }),
                    write_mask: Some(map_color_writes(target.write_mask)),
                })
            })
            .collect(),
        module: module(fragment.module),
        entry_point: fragment.entry_point.map(str::to_owned),
        constants: map_constants(fragment.compilation_options.constants),
    });
    let inner = device.create_render_pipeline(w::GpuRenderPipelineDescriptor {
        vertex: w::GpuVertexState {
            buffers: Some(buffers),
            module: module(desc.vertex.module),
            entry_point: desc.vertex.entry_point.map(str::to_owned),
            constants: map_constants(desc.vertex.compilation_options.constants),
        },
        primitive: Some(map_primitive_state(&desc.primitive)),
        depth_stencil: desc.depth_stencil.as_ref().map(map_depth_stencil_state),
        multisample: Some(map_multisample_state(&desc.multisample)),
        fragment,
        layout: map_layout(desc.layout),
        label: label(desc.label),
    });
    DispatchRenderPipeline::custom(RenderPipeline { inner })
}

pub fn create_compute_pipeline(device: &w::GpuDevice, desc: &wgpu::ComputePipelineDescriptor<'_>) -> DispatchComputePipeline {
    let inner = device.create_compute_pipeline(w::GpuComputePipelineDescriptor {
        compute: w::GpuProgrammableStage {
            module: module(desc.module),
            entry_point: desc.entry_point.map(str::to_owned),
            constants: map_constants(desc.compilation_options.constants),
        },
        layout: map_layout(desc.layout),
        label: label(desc.label),
    });
    DispatchComputePipeline::custom(ComputePipeline { inner })
}
