//! wgpu's device and queue on `gpu-device` and `gpu-queue`: resource
//! creation, error scopes, the uncaptured-error handler, device loss,
//! queue writes and submits.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use wgpu::custom::*;
use wgpu::wgt;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::convert::*;
use crate::resource::{ours, Buffer, ShaderModule};
use crate::task;

/// Where errors the backend itself meets go: the innermost error scope that
/// catches them, else the program's uncaptured-error handler. (GPU errors
/// the browser raises reach the same places through the host: its error
/// scopes and the `on-uncaptured-error` stream.)
#[derive(Default)]
pub struct ErrorSink {
    handler: RefCell<Option<Arc<dyn wgpu::UncapturedErrorHandler>>>,
    /// One entry per pushed scope: its filter and the first error the
    /// backend raised in it.
    scopes: RefCell<Vec<(wgpu::ErrorFilter, Option<wgpu::Error>)>>,
}

impl std::fmt::Debug for ErrorSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorSink").field("scopes", &self.scopes.borrow().len()).finish()
    }
}

fn filter_of(error: &wgpu::Error) -> wgpu::ErrorFilter {
    match error {
        wgpu::Error::OutOfMemory { .. } => wgpu::ErrorFilter::OutOfMemory,
        wgpu::Error::Validation { .. } => wgpu::ErrorFilter::Validation,
        wgpu::Error::Internal { .. } => wgpu::ErrorFilter::Internal,
    }
}

impl ErrorSink {
    /// An error a WIT call returned as its result.
    pub fn report(&self, error: wgpu::Error) {
        let filter = filter_of(&error);
        if let Some(scope) = self.scopes.borrow_mut().iter_mut().rev().find(|(f, _)| *f == filter) {
            // WebGPU keeps a scope's first error.
            scope.1.get_or_insert(error);
            return;
        }
        self.uncaptured(error);
    }

    fn uncaptured(&self, error: wgpu::Error) {
        let handler = self.handler.borrow().clone();
        if let Some(handler) = handler {
            handler(error);
        }
    }
}

#[derive(Debug)]
pub struct Device {
    pub inner: Rc<w::GpuDevice>,
    pub errors: Rc<ErrorSink>,
    features: wgt::Features,
    limits: wgt::Limits,
    /// The tasks that listen for uncaptured errors and for loss: spawned
    /// tasks keep the program's export running, so they end with the device.
    uncaptured_task: RefCell<Option<Task>>,
    lost_task: RefCell<Option<Task>>,
}

/// A spawned listener, cancelled when the device drops.
struct Task(wit_bindgen::JoinHandle<()>);

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Task")
    }
}

impl Device {
    pub fn new(inner: w::GpuDevice) -> (Self, Queue) {
        let inner = Rc::new(inner);
        let errors = Rc::new(ErrorSink::default());
        let features = unmap_features(&inner.features());
        let limits = unmap_limits(&inner.limits());
        let queue = Queue { inner: Rc::new(inner.queue()), errors: errors.clone(), submissions: Cell::new(0) };
        let device = Device { inner, errors, features, limits, uncaptured_task: RefCell::default(), lost_task: RefCell::default() };
        (device, queue)
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        for task in [&self.uncaptured_task, &self.lost_task] {
            if let Some(mut task) = task.borrow_mut().take() {
                task.0.cancel();
            }
        }
    }
}

impl DeviceInterface for Device {
    fn features(&self) -> wgt::Features {
        self.features
    }

    fn limits(&self) -> wgt::Limits {
        self.limits.clone()
    }

    fn adapter_info(&self) -> wgt::AdapterInfo {
        unmap_adapter_info(&self.inner.adapter_info())
    }

    fn create_shader_module(&self, desc: wgpu::ShaderModuleDescriptor<'_>, _checks: wgt::ShaderRuntimeChecks) -> DispatchShaderModule {
        let code = match desc.source {
            wgpu::ShaderSource::Wgsl(code) => code.into_owned(),
            #[allow(unreachable_patterns)]
            _ => gap("a shader in a language other than WGSL"),
        };
        let module = self.inner.create_shader_module(&w::GpuShaderModuleDescriptor {
            code: code.clone(),
            compilation_hints: None,
            label: label(desc.label),
        });
        DispatchShaderModule::custom(ShaderModule { inner: Rc::new(module), code })
    }

    unsafe fn create_shader_module_passthrough(&self, desc: &wgpu::ShaderModuleDescriptorPassthrough<'_>) -> DispatchShaderModule {
        let Some(code) = desc.wgsl.as_ref() else { gap("a passthrough shader other than WGSL") };
        self.create_shader_module(
            wgpu::ShaderModuleDescriptor { label: desc.label, source: wgpu::ShaderSource::Wgsl(code.clone()) },
            wgt::ShaderRuntimeChecks::default(),
        )
    }

    fn create_bind_group_layout(&self, desc: &wgpu::BindGroupLayoutDescriptor<'_>) -> DispatchBindGroupLayout {
        crate::resource::create_bind_group_layout(&self.inner, desc)
    }

    fn create_bind_group(&self, desc: &wgpu::BindGroupDescriptor<'_>) -> DispatchBindGroup {
        crate::resource::create_bind_group(&self.inner, desc)
    }

    fn create_pipeline_layout(&self, desc: &wgpu::PipelineLayoutDescriptor<'_>) -> DispatchPipelineLayout {
        crate::resource::create_pipeline_layout(&self.inner, desc)
    }

    fn create_render_pipeline(&self, desc: &wgpu::RenderPipelineDescriptor<'_>) -> DispatchRenderPipeline {
        crate::pipeline::create_render_pipeline(&self.inner, desc)
    }

    fn create_mesh_pipeline(&self, _desc: &wgpu::MeshPipelineDescriptor<'_>) -> DispatchRenderPipeline {
        gap("a mesh pipeline")
    }

    fn create_compute_pipeline(&self, desc: &wgpu::ComputePipelineDescriptor<'_>) -> DispatchComputePipeline {
        crate::pipeline::create_compute_pipeline(&self.inner, desc)
    }

    unsafe fn create_pipeline_cache(&self, _desc: &wgpu::PipelineCacheDescriptor<'_>) -> DispatchPipelineCache {
        // Browsers cache pipelines themselves; wgpu's cache holds nothing here.
        DispatchPipelineCache::custom(crate::resource::PipelineCache)
    }

    fn create_buffer(&self, desc: &wgpu::BufferDescriptor<'_>) -> DispatchBuffer {
        let inner = self.inner.create_buffer(&w::GpuBufferDescriptor {
            size: desc.size,
            usage: map_buffer_usages(desc.usage),
            mapped_at_creation: Some(desc.mapped_at_creation),
            label: label(desc.label),
        });
        DispatchBuffer::custom(Buffer::new(inner, desc.size, desc.usage, desc.mapped_at_creation, self.errors.clone()))
    }

    fn create_texture(&self, desc: &wgpu::TextureDescriptor<'_>) -> DispatchTexture {
        crate::resource::create_texture(&self.inner, desc)
    }

    fn create_external_texture(&self, _desc: &wgpu::ExternalTextureDescriptor<'_>, _planes: &[&wgpu::TextureView]) -> DispatchExternalTexture {
        gap("an external texture")
    }

    fn create_blas(&self, _desc: &wgpu::CreateBlasDescriptor<'_>, _sizes: wgpu::BlasGeometrySizeDescriptors) -> (Option<u64>, DispatchBlas) {
        gap("a bottom-level acceleration structure (ray tracing)")
    }

    fn create_tlas(&self, _desc: &wgpu::CreateTlasDescriptor<'_>) -> DispatchTlas {
        gap("a top-level acceleration structure (ray tracing)")
    }

    fn create_sampler(&self, desc: &wgpu::SamplerDescriptor<'_>) -> DispatchSampler {
        crate::resource::create_sampler(&self.inner, desc)
    }

    fn create_query_set(&self, desc: &wgpu::QuerySetDescriptor<'_>) -> DispatchQuerySet {
        crate::resource::create_query_set(&self.inner, &self.errors, desc)
    }

    fn create_command_encoder(&self, desc: &wgpu::CommandEncoderDescriptor<'_>) -> DispatchCommandEncoder {
        let inner = self.inner.create_command_encoder(Some(&w::GpuCommandEncoderDescriptor { label: label(desc.label) }));
        DispatchCommandEncoder::custom(crate::command::CommandEncoder { inner, errors: self.errors.clone() })
    }

    fn create_render_bundle_encoder(&self, desc: &wgpu::RenderBundleEncoderDescriptor<'_>) -> DispatchRenderBundleEncoder {
        crate::command::create_render_bundle_encoder(&self.inner, &self.errors, desc)
    }

    fn set_device_lost_callback(&self, callback: BoxDeviceLostCallback) {
        let lost = self.inner.lost();
        let task = task::spawn(async move {
            let info = lost.await;
            let reason = match info.reason() {
                w::GpuDeviceLostReason::Unknown => wgpu::DeviceLostReason::Unknown,
                w::GpuDeviceLostReason::Destroyed => wgpu::DeviceLostReason::Destroyed,
            };
            callback(reason, info.message());
        });
        if let Some(mut previous) = self.lost_task.replace(Some(Task(task))) {
            previous.0.cancel();
        }
    }

    fn on_uncaptured_error(&self, handler: Arc<dyn wgpu::UncapturedErrorHandler>) {
        *self.errors.handler.borrow_mut() = Some(handler);
        if self.uncaptured_task.borrow().is_some() {
            return;
        }
        // The host's stream delivers every error raised from this call on.
        let mut errors = self.inner.on_uncaptured_error();
        let sink = self.errors.clone();
        let task = task::spawn(async move {
            while let Some(error) = errors.next().await {
                sink.uncaptured(unmap_error(&error));
            }
        });
        *self.uncaptured_task.borrow_mut() = Some(Task(task));
    }

    fn push_error_scope(&self, filter: wgpu::ErrorFilter) -> u32 {
        self.inner.push_error_scope(map_error_filter(filter));
        let mut scopes = self.errors.scopes.borrow_mut();
        scopes.push((filter, None));
        (scopes.len() - 1) as u32
    }

    fn pop_error_scope(&self, index: u32) -> std::pin::Pin<Box<dyn PopErrorScopeFuture>> {
        let local = {
            let mut scopes = self.errors.scopes.borrow_mut();
            if index as usize + 1 != scopes.len() && !std::thread::panicking() {
                panic!("wgpu error scopes must be popped in the reverse order of their pushes");
            }
            scopes.pop().and_then(|(_, error)| error)
        };
        // Started now: wgpu drops the future of a scope guard unpolled, and
        // the pop must still happen, in order.
        let device = self.inner.clone();
        let popped = task::start(async move { device.pop_error_scope().await });
        Box::pin(async move {
            match task::finish(popped).await {
                Ok(Some(error)) => Some(unmap_error(&error)),
                Ok(None) | Err(_) => local,
            }
        })
    }

    unsafe fn start_graphics_debugger_capture(&self) {}

    unsafe fn stop_graphics_debugger_capture(&self) {}

    fn poll(&self, _poll_type: wgt::PollType<u64>) -> Result<wgpu::PollStatus, wgpu::PollError> {
        // The browser drives the GPU; a program waits by awaiting (a map's
        // callback, on_submitted_work_done), as on wgpu's WebGPU backend.
        Ok(wgpu::PollStatus::QueueEmpty)
    }

    fn get_internal_counters(&self) -> wgt::InternalCounters {
        wgt::InternalCounters::default()
    }

    fn generate_allocator_report(&self) -> Option<wgt::AllocatorReport> {
        None
    }

    fn destroy(&self) {
        self.inner.destroy();
    }
}

#[derive(Debug)]
pub struct Queue {
    pub inner: Rc<w::GpuQueue>,
    errors: Rc<ErrorSink>,
    submissions: Cell<u64>,
}

/// Bytes a program writes through `Queue::write_buffer_with`, sent on drop.
#[derive(Debug)]
pub struct StagingBuffer(Box<[u8]>);

impl QueueWriteBufferInterface for StagingBuffer {
    fn len(&self) -> usize {
        self.0.len()
    }

    unsafe fn write_slice(&mut self) -> wgpu::WriteOnly<'_, [u8]> {
        wgpu::WriteOnly::from_mut(&mut self.0[..])
    }
}

impl Queue {
    fn write(&self, buffer: &DispatchBuffer, offset: u64, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let buffer = ours(buffer.as_custom::<Buffer>());
        if let Err(e) = self.inner.write_buffer_with_copy(&buffer.inner, offset, data, None, None) {
            self.errors.report(validation_error("Queue::write_buffer", &e.message));
        }
    }
}

impl QueueInterface for Queue {
    fn write_buffer(&self, buffer: &DispatchBuffer, offset: wgt::BufferAddress, data: &[u8]) {
        self.write(buffer, offset, data);
    }

    fn create_staging_buffer(&self, size: wgt::BufferSize) -> Option<DispatchQueueWriteBuffer> {
        Some(DispatchQueueWriteBuffer::custom(StagingBuffer(vec![0; size.get() as usize].into_boxed_slice())))
    }

    fn validate_write_buffer(&self, buffer: &DispatchBuffer, offset: wgt::BufferAddress, size: wgt::BufferSize) -> Option<()> {
        // WebGPU's rules for writeBuffer, checked here because the write
        // itself happens later, when the program's view drops.
        let buffer = buffer.as_custom::<Buffer>()?;
        let fits = offset.checked_add(size.get()).is_some_and(|end| end <= buffer.size);
        let aligned = offset % wgt::COPY_BUFFER_ALIGNMENT == 0 && size.get() % wgt::COPY_BUFFER_ALIGNMENT == 0;
        if fits && aligned && buffer.usage.contains(wgt::BufferUsages::COPY_DST) {
            Some(())
        } else {
            self.errors.report(validation_error(
                "Queue::write_buffer_with",
                &format!("a write of {size} bytes at {offset} to a buffer of {} bytes with usage {:?}", buffer.size, buffer.usage),
            ));
            None
        }
    }

    fn write_staging_buffer(&self, buffer: &DispatchBuffer, offset: wgt::BufferAddress, staging_buffer: &DispatchQueueWriteBuffer) {
        let staging = ours(staging_buffer.as_custom::<StagingBuffer>());
        self.write(buffer, offset, &staging.0);
    }

    fn write_texture(&self, texture: wgpu::TexelCopyTextureInfo<'_>, data: &[u8], data_layout: wgt::TexelCopyBufferLayout, size: wgt::Extent3d) {
        let destination = crate::resource::map_texel_copy_texture(&texture);
        self.inner.write_texture_with_copy(&destination, data, map_buffer_layout(data_layout), map_extent(size));
    }

    #[cfg(feature = "web")]
    fn copy_external_image_to_texture(
        &self,
        _source: &wgt::CopyExternalImageSourceInfo,
        _dest: wgt::CopyExternalImageDestInfo<&wgpu::Texture>,
        _size: wgt::Extent3d,
    ) {
        gap("copying an external image (a JS image source) to a texture")
    }

    fn submit(&self, command_buffers: &mut dyn Iterator<Item = DispatchCommandBuffer>) -> u64 {
        let buffers: Vec<DispatchCommandBuffer> = command_buffers.collect();
        let inner: Vec<&w::GpuCommandBuffer> =
            buffers.iter().filter_map(|b| b.as_custom::<crate::command::CommandBuffer>()).map(|b| &b.inner).collect();
        self.inner.submit(&inner);
        let index = self.submissions.get() + 1;
        self.submissions.set(index);
        index
    }

    fn get_timestamp_period(&self) -> f32 {
        // WebGPU's timestamps are in nanoseconds.
        1.0
    }

    fn on_submitted_work_done(&self, callback: BoxSubmittedWorkDoneCallback) {
        let queue = self.inner.clone();
        task::start_then(async move { queue.on_submitted_work_done().await }, move |()| callback());
    }

    fn compact_blas(&self, _blas: &DispatchBlas) -> (Option<u64>, DispatchBlas) {
        gap("compacting an acceleration structure (ray tracing)")
    }

    fn present(&self, detail: &DispatchSurfaceOutputDetail) {
        if let Some(detail) = detail.as_custom::<crate::surface::SurfaceOutputDetail>() {
            detail.present();
        }
    }
}
