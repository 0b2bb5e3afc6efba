//! wgpu's resources on the WIT's: buffers (and their mapped ranges),
//! textures and views, samplers, bind groups and layouts, pipeline
//! layouts, shader modules, query sets.

use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::rc::Rc;

use wgpu::custom::*;
use wgpu::wgt;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::convert::*;
use crate::device::ErrorSink;
use crate::task;

/// The backend's own object behind a wgpu handle. Every wgpu object a
/// program passes in was made by this backend (it is the only one compiled
/// in), so the cast fails only for a program that mixes backends.
#[track_caller]
pub fn ours<'a, T: 'static>(object: Option<&'a T>) -> &'a T {
    match object {
        Some(object) => object,
        None => panic!("wasi-webgpu-wgpu: a wgpu object made by another backend was passed to this one"),
    }
}

// ---- buffers

#[derive(Debug)]
pub struct Buffer {
    pub inner: Rc<w::GpuBuffer>,
    pub size: u64,
    pub usage: wgt::BufferUsages,
    /// Still in the mapping it was created with, whose contents are zero:
    /// a written range needs no read first.
    zeroed_mapping: Cell<bool>,
    errors: Rc<ErrorSink>,
}

impl Buffer {
    pub fn new(inner: w::GpuBuffer, size: u64, usage: wgt::BufferUsages, mapped_at_creation: bool, errors: Rc<ErrorSink>) -> Self {
        Buffer { inner: Rc::new(inner), size, usage, zeroed_mapping: Cell::new(mapped_at_creation), errors }
    }
}

impl BufferInterface for Buffer {
    fn map_async(&self, mode: wgpu::MapMode, range: Range<wgt::BufferAddress>, callback: BufferMapCallback) {
        self.zeroed_mapping.set(false);
        let buffer = self.inner.clone();
        let (offset, size) = (range.start, range.end.saturating_sub(range.start));
        task::start_then(
            async move { buffer.map_async(map_map_mode(mode), Some(offset), Some(size)).await },
            // WebGPU reports why (range, operation, abort); wgpu's callback takes no reason.
            move |result| callback(result.map_err(|_| wgpu::BufferAsyncError)),
        );
    }

    fn get_mapped_range(&self, sub_range: Range<wgt::BufferAddress>) -> Result<DispatchBufferMappedRange, wgpu::MapRangeError> {
        // No host call here: wgpu checks the range after this returns, and
        // this backend cannot make the error it would return.
        Ok(DispatchBufferMappedRange::custom(MappedRange {
            buffer: self.inner.clone(),
            offset: sub_range.start,
            len: sub_range.end.saturating_sub(sub_range.start) as usize,
            zeroed: self.zeroed_mapping.get(),
            data: OnceCell::new(),
            written: false,
            errors: self.errors.clone(),
        }))
    }

    fn unmap(&self) {
        self.zeroed_mapping.set(false);
        // An abort error only says a pending map was cancelled, which its
        // callback already hears.
        let _ = self.inner.unmap();
    }

    fn destroy(&self) {
        self.inner.destroy();
    }
}

/// A view of a mapped buffer. The WIT copies mapped bytes in and out, so
/// the view holds a copy: read from the host on first use, written back
/// when the view drops (wgpu drops every view before it unmaps).
#[derive(Debug)]
pub struct MappedRange {
    buffer: Rc<w::GpuBuffer>,
    offset: u64,
    len: usize,
    zeroed: bool,
    data: OnceCell<Vec<u8>>,
    written: bool,
    errors: Rc<ErrorSink>,
}

impl MappedRange {
    fn fetch(&self) -> Vec<u8> {
        if self.zeroed {
            return vec![0; self.len];
        }
        match self.buffer.get_mapped_range_get_with_copy(Some(self.offset), Some(self.len as u64)) {
            Ok(bytes) if bytes.len() == self.len => bytes,
            Ok(_) => vec![0; self.len],
            Err(e) => {
                self.errors.report(validation_error("BufferSlice::get_mapped_range", &e.message));
                vec![0; self.len]
            }
        }
    }
}

impl BufferMappedRangeInterface for MappedRange {
    fn len(&self) -> usize {
        self.len
    }

    unsafe fn read_slice(&self) -> &[u8] {
        self.data.get_or_init(|| self.fetch())
    }

    unsafe fn write_slice(&mut self) -> wgpu::WriteOnly<'_, [u8]> {
        if self.data.get().is_none() {
            let bytes = self.fetch();
            let _ = self.data.set(bytes);
        }
        self.written = true;
        match self.data.get_mut() {
            Some(bytes) => wgpu::WriteOnly::from_mut(&mut bytes[..]),
            None => wgpu::WriteOnly::from_mut(&mut [][..]),
        }
    }
}

impl Drop for MappedRange {
    fn drop(&mut self) {
        if !self.written {
            return;
        }
        if let Some(bytes) = self.data.get() {
            if let Err(e) = self.buffer.get_mapped_range_set_with_copy(bytes, Some(self.offset), Some(self.len as u64)) {
                self.errors.report(validation_error("BufferViewMut (written back on drop)", &e.message));
            }
        }
    }
}

// ---- shader modules

#[derive(Debug)]
pub struct ShaderModule {
    pub inner: Rc<w::GpuShaderModule>,
    /// The WGSL, for turning the browser's UTF-16 offsets into UTF-8 ones.
    pub code: String,
}

impl ShaderModuleInterface for ShaderModule {
    fn get_compilation_info(&self) -> std::pin::Pin<Box<dyn ShaderCompilationInfoFuture>> {
        let module = self.inner.clone();
        let code = self.code.clone();
        Box::pin(async move {
            let info = module.get_compilation_info().await;
            let messages = info.messages().iter().map(|message| map_compilation_message(message, &code)).collect();
            wgpu::CompilationInfo { messages }
        })
    }
}

fn map_compilation_message(message: &w::GpuCompilationMessage, code: &str) -> wgpu::CompilationMessage {
    let message_type = match message.type_() {
        w::GpuCompilationMessageType::Error => wgpu::CompilationMessageType::Error,
        w::GpuCompilationMessageType::Warning => wgpu::CompilationMessageType::Warning,
        w::GpuCompilationMessageType::Info => wgpu::CompilationMessageType::Info,
    };
    // Browsers give lines and offsets in UTF-16 code units; wgpu's are UTF-8
    // bytes. A message with no place (line 0) has no location.
    let location = (message.line_num() > 0).then(|| {
        let offset = utf16_to_utf8(code, message.offset());
        let end = utf16_to_utf8(code, message.offset() + message.length());
        wgpu::SourceLocation {
            line_number: message.line_num() as u32,
            line_position: message.line_pos() as u32,
            offset: offset as u32,
            length: end.saturating_sub(offset) as u32,
        }
    });
    wgpu::CompilationMessage { message: message.message(), message_type, location }
}

/// The UTF-8 byte offset of a UTF-16 offset in `text` (its end when past it).
fn utf16_to_utf8(text: &str, utf16: u64) -> usize {
    let mut units = 0u64;
    for (byte, c) in text.char_indices() {
        if units >= utf16 {
            return byte;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

// ---- textures, views, samplers

#[derive(Debug)]
pub struct Texture {
    pub inner: w::GpuTexture,
}

pub fn create_texture(device: &w::GpuDevice, desc: &wgpu::TextureDescriptor<'_>) -> DispatchTexture {
    let inner = device.create_texture(&w::GpuTextureDescriptor {
        size: map_extent(desc.size),
        mip_level_count: Some(desc.mip_level_count),
        sample_count: Some(desc.sample_count),
        dimension: Some(map_texture_dimension(desc.dimension)),
        format: map_texture_format(desc.format),
        usage: map_texture_usages(desc.usage),
        view_formats: Some(desc.view_formats.iter().copied().map(map_texture_format).collect()),
        texture_binding_view_dimension: None,
        label: label(desc.label),
    });
    DispatchTexture::custom(Texture { inner })
}

impl TextureInterface for Texture {
    fn create_view(&self, desc: &wgpu::TextureViewDescriptor<'_>) -> DispatchTextureView {
        let view = self.inner.create_view(Some(&w::GpuTextureViewDescriptor {
            format: desc.format.map(map_texture_format),
            dimension: desc.dimension.map(map_texture_view_dimension),
            usage: desc.usage.map(map_texture_usages),
            aspect: Some(map_texture_aspect(desc.aspect)),
            base_mip_level: Some(desc.base_mip_level),
            mip_level_count: desc.mip_level_count,
            base_array_layer: Some(desc.base_array_layer),
            array_layer_count: desc.array_layer_count,
            swizzle: None,
            label: label(desc.label),
        }));
        DispatchTextureView::custom(TextureView { inner: view })
    }

    fn destroy(&self) {
        self.inner.destroy();
    }
}

#[derive(Debug)]
pub struct TextureView {
    pub inner: w::GpuTextureView,
}
impl TextureViewInterface for TextureView {}

#[derive(Debug)]
pub struct Sampler {
    pub inner: w::GpuSampler,
}
impl SamplerInterface for Sampler {}

pub fn create_sampler(device: &w::GpuDevice, desc: &wgpu::SamplerDescriptor<'_>) -> DispatchSampler {
    if desc.border_color.is_some() {
        gap("a sampler border colour");
    }
    let inner = device.create_sampler(Some(&w::GpuSamplerDescriptor {
        address_mode_u: Some(map_address_mode(desc.address_mode_u)),
        address_mode_v: Some(map_address_mode(desc.address_mode_v)),
        address_mode_w: Some(map_address_mode(desc.address_mode_w)),
        mag_filter: Some(map_filter_mode(desc.mag_filter)),
        min_filter: Some(map_filter_mode(desc.min_filter)),
        mipmap_filter: Some(map_mipmap_filter_mode(desc.mipmap_filter)),
        lod_min_clamp: Some(desc.lod_min_clamp),
        lod_max_clamp: Some(desc.lod_max_clamp),
        compare: desc.compare.map(map_compare_function),
        max_anisotropy: Some(desc.anisotropy_clamp),
        label: label(desc.label),
    }));
    DispatchSampler::custom(Sampler { inner })
}

/// A texture copy's texture side.
pub fn map_texel_copy_texture<'a>(info: &wgpu::TexelCopyTextureInfo<'a>) -> w::GpuTexelCopyTextureInfo<'a> {
    w::GpuTexelCopyTextureInfo {
        texture: &ours(info.texture.as_custom::<Texture>()).inner,
        mip_level: Some(info.mip_level),
        origin: Some(map_origin(info.origin)),
        aspect: Some(map_texture_aspect(info.aspect)),
    }
}

/// A texture copy's buffer side.
pub fn map_texel_copy_buffer<'a>(info: &wgpu::TexelCopyBufferInfo<'a>) -> w::GpuTexelCopyBufferInfo<'a> {
    w::GpuTexelCopyBufferInfo {
        buffer: &ours(info.buffer.as_custom::<Buffer>()).inner,
        offset: Some(info.layout.offset),
        bytes_per_row: info.layout.bytes_per_row,
        rows_per_image: info.layout.rows_per_image,
    }
}

// ---- bind groups and layouts

#[derive(Debug)]
pub struct BindGroupLayout {
    pub inner: w::GpuBindGroupLayout,
}
impl BindGroupLayoutInterface for BindGroupLayout {}

#[derive(Debug)]
pub struct BindGroup {
    pub inner: w::GpuBindGroup,
}
impl BindGroupInterface for BindGroup {}

#[derive(Debug)]
pub struct PipelineLayout {
    pub inner: w::GpuPipelineLayout,
}
impl PipelineLayoutInterface for PipelineLayout {}

pub fn create_bind_group_layout(device: &w::GpuDevice, desc: &wgpu::BindGroupLayoutDescriptor<'_>) -> DispatchBindGroupLayout {
    let entries = desc.entries.iter().map(map_bind_group_layout_entry).collect();
    let inner = device.create_bind_group_layout(&w::GpuBindGroupLayoutDescriptor { entries, label: label(desc.label) });
    DispatchBindGroupLayout::custom(BindGroupLayout { inner })
}

fn map_bind_group_layout_entry(entry: &wgt::BindGroupLayoutEntry) -> w::GpuBindGroupLayoutEntry {
    if entry.count.is_some() {
        gap("a binding array (BindGroupLayoutEntry::count)");
    }
    let mut out = w::GpuBindGroupLayoutEntry {
        binding: entry.binding,
        visibility: map_shader_stages(entry.visibility),
        buffer: None,
        sampler: None,
        texture: None,
        storage_texture: None,
    };
    match entry.ty {
        wgt::BindingType::Buffer { ty, has_dynamic_offset, min_binding_size } => {
            let type_ = match ty {
                wgt::BufferBindingType::Uniform => w::GpuBufferBindingType::Uniform,
                wgt::BufferBindingType::Storage { read_only: false } => w::GpuBufferBindingType::Storage,
                wgt::BufferBindingType::Storage { read_only: true } => w::GpuBufferBindingType::ReadOnlyStorage,
            };
            out.buffer = Some(w::GpuBufferBindingLayout {
                type_: Some(type_),
                has_dynamic_offset: Some(has_dynamic_offset),
                min_binding_size: Some(min_binding_size.map_or(0, |size| size.get())),
            });
        }
        wgt::BindingType::Sampler(ty) => {
            let type_ = match ty {
                wgt::SamplerBindingType::Filtering => w::GpuSamplerBindingType::Filtering,
                wgt::SamplerBindingType::NonFiltering => w::GpuSamplerBindingType::NonFiltering,
                wgt::SamplerBindingType::Comparison => w::GpuSamplerBindingType::Comparison,
            };
            out.sampler = Some(w::GpuSamplerBindingLayout { type_: Some(type_) });
        }
        wgt::BindingType::Texture { sample_type, view_dimension, multisampled } => {
            let sample_type = match sample_type {
                wgt::TextureSampleType::Float { filterable: true } => w::GpuTextureSampleType::Float,
                wgt::TextureSampleType::Float { filterable: false } => w::GpuTextureSampleType::UnfilterableFloat,
                wgt::TextureSampleType::Depth => w::GpuTextureSampleType::Depth,
                wgt::TextureSampleType::Sint => w::GpuTextureSampleType::Sint,
                wgt::TextureSampleType::Uint => w::GpuTextureSampleType::Uint,
            };
            out.texture = Some(w::GpuTextureBindingLayout {
                sample_type: Some(sample_type),
                view_dimension: Some(map_texture_view_dimension(view_dimension)),
                multisampled: Some(multisampled),
            });
        }
        wgt::BindingType::StorageTexture { access, format, view_dimension } => {
            let access = match access {
                wgt::StorageTextureAccess::WriteOnly => w::GpuStorageTextureAccess::WriteOnly,
                wgt::StorageTextureAccess::ReadOnly => w::GpuStorageTextureAccess::ReadOnly,
                wgt::StorageTextureAccess::ReadWrite => w::GpuStorageTextureAccess::ReadWrite,
                wgt::StorageTextureAccess::Atomic => gap("atomic storage-texture access"),
            };
            out.storage_texture = Some(w::GpuStorageTextureBindingLayout {
                access: Some(access),
                format: map_texture_format(format),
                view_dimension: Some(map_texture_view_dimension(view_dimension)),
            });
        }
        wgt::BindingType::AccelerationStructure { .. } => gap("an acceleration-structure binding (ray tracing)"),
        wgt::BindingType::ExternalTexture => gap("an external-texture binding"),
    }
    out
}

pub fn create_bind_group(device: &w::GpuDevice, desc: &wgpu::BindGroupDescriptor<'_>) -> DispatchBindGroup {
    let entries = desc
        .entries
        .iter()
        .map(|entry| w::GpuBindGroupEntry {
            binding: entry.binding,
            resource: match &entry.resource {
                wgpu::BindingResource::Buffer(binding) => w::GpuBindingResource::GpuBufferBinding(w::GpuBufferBinding {
                    buffer: &ours(binding.buffer.as_custom::<Buffer>()).inner,
                    offset: Some(binding.offset),
                    size: binding.size.map(|size| size.get()),
                }),
                wgpu::BindingResource::Sampler(sampler) => w::GpuBindingResource::GpuSampler(&ours(sampler.as_custom::<Sampler>()).inner),
                wgpu::BindingResource::TextureView(view) => {
                    w::GpuBindingResource::GpuTextureView(&ours(view.as_custom::<TextureView>()).inner)
                }
                wgpu::BindingResource::BufferArray(_) | wgpu::BindingResource::SamplerArray(_) | wgpu::BindingResource::TextureViewArray(_) => {
                    gap("a binding array")
                }
                wgpu::BindingResource::AccelerationStructure(_) | wgpu::BindingResource::AccelerationStructureArray(_) => {
                    gap("an acceleration-structure binding (ray tracing)")
                }
                wgpu::BindingResource::ExternalTexture(_) => gap("an external-texture binding"),
                _ => gap("this kind of binding resource"),
            },
        })
        .collect();
    let inner = device.create_bind_group(&w::GpuBindGroupDescriptor {
        layout: &ours(desc.layout.as_custom::<BindGroupLayout>()).inner,
        entries,
        label: label(desc.label),
    });
    DispatchBindGroup::custom(BindGroup { inner })
}

pub fn create_pipeline_layout(device: &w::GpuDevice, desc: &wgpu::PipelineLayoutDescriptor<'_>) -> DispatchPipelineLayout {
    let bind_group_layouts =
        desc.bind_group_layouts.iter().map(|layout| layout.map(|layout| &ours(layout.as_custom::<BindGroupLayout>()).inner)).collect();
    let inner = device.create_pipeline_layout(&w::GpuPipelineLayoutDescriptor {
        bind_group_layouts,
        immediate_size: Some(desc.immediate_size),
        label: label(desc.label),
    });
    DispatchPipelineLayout::custom(PipelineLayout { inner })
}

// ---- query sets, caches

#[derive(Debug)]
pub struct QuerySet {
    /// None where the WIT refused the descriptor (its error went to the program).
    pub inner: Option<w::GpuQuerySet>,
}

pub fn create_query_set(device: &w::GpuDevice, errors: &ErrorSink, desc: &wgpu::QuerySetDescriptor<'_>) -> DispatchQuerySet {
    let result = device.create_query_set(&w::GpuQuerySetDescriptor { type_: map_query_type(desc.ty), count: desc.count, label: label(desc.label) });
    let inner = match result {
        Ok(set) => Some(set),
        Err(e) => {
            errors.report(validation_error("Device::create_query_set", &e.message));
            None
        }
    };
    DispatchQuerySet::custom(QuerySet { inner })
}

impl QuerySetInterface for QuerySet {
    fn destroy(&self) {
        if let Some(set) = &self.inner {
            set.destroy();
        }
    }
}

#[derive(Debug)]
pub struct PipelineCache;
impl PipelineCacheInterface for PipelineCache {
    fn get_data(&self) -> Option<Vec<u8>> {
        None
    }
}
