//! `gpu-device` and what it hands out about itself: errors, loss, queue.
//! The resources it creates live in their own files.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::buffer::GpuBuffer;
use super::command::GpuCommandEncoder;
use super::convert;
use super::error;
use super::gpu::{GpuAdapterInfo, GpuSupportedFeatures, GpuSupportedLimits};
use super::handle::resource;
use super::invalid;
use super::pipeline::{
    GpuBindGroup, GpuBindGroupLayout, GpuComputePipeline, GpuPipelineLayout, GpuRenderPipeline, GpuShaderModule,
};
use super::render::GpuRenderBundleEncoder;
use super::texture::{GpuSampler, GpuTexture};
use super::queue::GpuQueue;
use super::query::GpuQuerySet;
use super::wit;

resource!(GpuDevice(web_sys::GpuDevice));

#[wasm_bindgen]
impl GpuDevice {
    #[wasm_bindgen(unchecked_return_type = "GpuSupportedFeatures")]
    pub fn features(&self) -> JsValue {
        GpuSupportedFeatures::wrap(self.inner.features())
    }

    #[wasm_bindgen(unchecked_return_type = "GpuSupportedLimits")]
    pub fn limits(&self) -> JsValue {
        GpuSupportedLimits::wrap(self.inner.limits())
    }

    #[wasm_bindgen(js_name = adapterInfo, unchecked_return_type = "GpuAdapterInfo")]
    pub fn adapter_info(&self) -> JsValue {
        GpuAdapterInfo::wrap(self.inner.adapter_info())
    }

    #[wasm_bindgen(unchecked_return_type = "GpuQueue")]
    pub fn queue(&self) -> JsValue {
        GpuQueue::wrap(self.inner.queue(), self.inner.clone())
    }

    pub fn destroy(&self) {
        self.inner.destroy()
    }

    /// The browser throws a RangeError for `mapped-at-creation` with a size
    /// that is not a multiple of 4 or cannot be allocated; the WIT has no
    /// error result here, so the guest gets an invalid buffer (see
    /// `invalid`). A mapped size past `maxBufferSize` is invalid anyway, and
    /// the browser would allocate its mapping before saying so: it becomes
    /// the invalid buffer at once, so no guest can make the page allocate
    /// gigabytes.
    #[wasm_bindgen(js_name = createBuffer, unchecked_return_type = "GpuBuffer")]
    pub fn create_buffer(&self, descriptor: wit::GpuBufferDescriptor) -> JsValue {
        let size = descriptor.size();
        if descriptor.mapped_at_creation() == Some(true) && size as f64 > self.inner.limits().max_buffer_size() {
            let message = crate::text::concat(&["RangeError: mapped-at-creation size ", &crate::text::decimal(size), " exceeds maxBufferSize"]);
            return GpuBuffer::wrap(invalid::buffer(&self.inner, &message, size));
        }
        let buffer = self
            .inner
            .create_buffer(&convert::map_buffer_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::buffer(&self.inner, &invalid::message(&e), size));
        GpuBuffer::wrap(buffer)
    }

    /// A format that needs a feature the device lacks is a TypeError in
    /// WebGPU; the guest gets an invalid texture (see `invalid`).
    #[wasm_bindgen(js_name = createTexture, unchecked_return_type = "GpuTexture")]
    pub fn create_texture(&self, descriptor: wit::GpuTextureDescriptor) -> JsValue {
        let texture = self
            .inner
            .create_texture(&convert::map_texture_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::texture(&self.inner, &invalid::message(&e)));
        GpuTexture::wrap(texture)
    }

    /// A NaN LOD clamp is a TypeError in WebGPU; the guest gets an invalid
    /// sampler (see `invalid`).
    #[wasm_bindgen(js_name = createSampler, unchecked_return_type = "GpuSampler")]
    pub fn create_sampler(&self, descriptor: Option<wit::GpuSamplerDescriptor>) -> JsValue {
        let descriptor = match &descriptor {
            Some(descriptor) => convert::map_sampler_descriptor(descriptor),
            None => web_sys::GpuSamplerDescriptor::new(),
        };
        let sampler = self
            .catching()
            .create_sampler(&descriptor)
            .unwrap_or_else(|e| invalid::sampler(&self.inner, &invalid::message(&e)));
        GpuSampler::wrap(sampler)
    }

    #[wasm_bindgen(js_name = createShaderModule, unchecked_return_type = "GpuShaderModule")]
    pub fn create_shader_module(&self, descriptor: wit::GpuShaderModuleDescriptor) -> JsValue {
        GpuShaderModule::wrap(
            self.inner.create_shader_module(&convert::map_shader_module_descriptor(&descriptor)),
            self.inner.clone(),
        )
    }

    #[wasm_bindgen(js_name = createComputePipeline, unchecked_return_type = "GpuComputePipeline")]
    pub fn create_compute_pipeline(&self, descriptor: wit::GpuComputePipelineDescriptor) -> JsValue {
        let pipeline = self
            .catching()
            .create_compute_pipeline(&convert::map_compute_pipeline_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::compute_pipeline(&self.inner, &invalid::message(&e)));
        GpuComputePipeline::wrap(pipeline)
    }

    /// A NaN constant or a format that needs a missing feature is a
    /// TypeError in WebGPU; the guest gets an invalid pipeline.
    #[wasm_bindgen(js_name = createRenderPipeline, unchecked_return_type = "GpuRenderPipeline")]
    pub fn create_render_pipeline(&self, descriptor: wit::GpuRenderPipelineDescriptor) -> JsValue {
        let pipeline = self
            .inner
            .create_render_pipeline(&convert::map_render_pipeline_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::render_pipeline(&self.inner, &invalid::message(&e)));
        GpuRenderPipeline::wrap(pipeline)
    }

    /// Rejects with `create-pipeline-error` carrying WebGPU's reason.
    #[wasm_bindgen(js_name = createRenderPipelineAsync, unchecked_return_type = "Promise<GpuRenderPipeline>")]
    pub fn create_render_pipeline_async(&self, descriptor: wit::GpuRenderPipelineDescriptor) -> Promise {
        let pending = self.inner.create_render_pipeline_async(&convert::map_render_pipeline_descriptor(&descriptor));
        pipeline_async(&self.inner, pending, GpuRenderPipeline::wrap)
    }

    #[wasm_bindgen(js_name = createRenderBundleEncoder, unchecked_return_type = "GpuRenderBundleEncoder")]
    pub fn create_render_bundle_encoder(&self, descriptor: wit::GpuRenderBundleEncoderDescriptor) -> JsValue {
        let encoder = self
            .inner
            .create_render_bundle_encoder(&convert::map_render_bundle_encoder_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::render_bundle_encoder(&self.inner, &invalid::message(&e)));
        GpuRenderBundleEncoder::wrap(encoder)
    }

    /// Rejects with `create-pipeline-error` carrying WebGPU's reason.
    #[wasm_bindgen(js_name = createComputePipelineAsync, unchecked_return_type = "Promise<GpuComputePipeline>")]
    pub fn create_compute_pipeline_async(&self, descriptor: wit::GpuComputePipelineDescriptor) -> Promise {
        let pending = self.inner.create_compute_pipeline_async(&convert::map_compute_pipeline_descriptor(&descriptor));
        pipeline_async(&self.inner, pending, GpuComputePipeline::wrap)
    }

    /// A browser exception here (there are a few TypeErrors in the spec)
    /// becomes an invalid layout (see `invalid`).
    #[wasm_bindgen(js_name = createBindGroupLayout, unchecked_return_type = "GpuBindGroupLayout")]
    pub fn create_bind_group_layout(&self, descriptor: wit::GpuBindGroupLayoutDescriptor) -> JsValue {
        let layout = self
            .inner
            .create_bind_group_layout(&convert::map_bind_group_layout_descriptor(&descriptor))
            .unwrap_or_else(|e| invalid::bind_group_layout(&self.inner, &invalid::message(&e)));
        GpuBindGroupLayout::wrap(layout)
    }

    #[wasm_bindgen(js_name = createPipelineLayout, unchecked_return_type = "GpuPipelineLayout")]
    pub fn create_pipeline_layout(&self, descriptor: wit::GpuPipelineLayoutDescriptor) -> JsValue {
        GpuPipelineLayout::wrap(self.inner.create_pipeline_layout(&convert::map_pipeline_layout_descriptor(&descriptor)))
    }

    #[wasm_bindgen(js_name = createBindGroup, unchecked_return_type = "GpuBindGroup")]
    pub fn create_bind_group(&self, descriptor: wit::GpuBindGroupDescriptor) -> JsValue {
        GpuBindGroup::wrap(self.inner.create_bind_group(&convert::map_bind_group_descriptor(&descriptor)))
    }

    #[wasm_bindgen(js_name = createCommandEncoder, unchecked_return_type = "GpuCommandEncoder")]
    pub fn create_command_encoder(&self, descriptor: Option<wit::GpuCommandEncoderDescriptor>) -> JsValue {
        let encoder = match &descriptor {
            Some(descriptor) => self
                .inner
                .create_command_encoder_with_descriptor(&convert::map_command_encoder_descriptor(descriptor)),
            None => self.inner.create_command_encoder(),
        };
        GpuCommandEncoder::wrap(encoder)
    }

    /// Errs with type-error when the query type needs a feature the device
    /// was not created with (timestamp queries without `timestamp-query`).
    #[wasm_bindgen(js_name = createQuerySet, unchecked_return_type = "GpuQuerySet")]
    pub fn create_query_set(&self, descriptor: wit::GpuQuerySetDescriptor) -> Result<JsValue, JsValue> {
        self.inner
            .create_query_set(&convert::map_query_set_descriptor(&descriptor))
            .map(GpuQuerySet::wrap)
            .map_err(|e| error::from_exception(error::CREATE_QUERY_SET, &e))
    }

    /// A future of the loss, resolved when the device is destroyed or lost.
    #[wasm_bindgen(unchecked_return_type = "Promise<GpuDeviceLostInfo>")]
    pub fn lost(&self) -> Promise {
        let lost = self.inner.lost();
        future_to_promise(async move {
            let info = JsFuture::from(lost).await?;
            Ok(GpuDeviceLostInfo::wrap(info.unchecked_into()))
        })
    }

    /// Every uncaptured error from now on, as a stream the guest reads; the
    /// listener goes when the guest drops the stream (jco cancels it).
    #[wasm_bindgen(js_name = onUncapturedError, unchecked_return_type = "ReadableStream<GpuError>")]
    pub fn on_uncaptured_error(&self) -> JsValue {
        let wrap = WRAP_GPU_ERROR.with(|wrap| wrap.clone());
        uncaptured_errors(&self.inner, &wrap)
    }

    #[wasm_bindgen(js_name = pushErrorScope)]
    pub fn push_error_scope(&self, filter: wit::GpuErrorFilter) {
        self.inner.push_error_scope(filter.to_web())
    }

    /// Resolves to the scope's first error, or none; rejects with
    /// operation-error when no scope is left to pop.
    #[wasm_bindgen(js_name = popErrorScope, unchecked_return_type = "Promise<GpuError | undefined>")]
    pub fn pop_error_scope(&self) -> Promise {
        let popped = ticking(&self.inner, self.inner.pop_error_scope());
        future_to_promise(async move {
            match JsFuture::from(popped).await {
                Ok(error) if error.is_object() => Ok(GpuError::wrap(error.unchecked_into())),
                Ok(_) => Ok(JsValue::UNDEFINED),
                Err(e) => Err(error::from_exception(error::POP_ERROR_SCOPE, &e)),
            }
        })
    }
}

/// An async pipeline creation as the WIT wants it: the device ticked until
/// it settles, the pipeline wrapped, a rejection as `create-pipeline-error`
/// with WebGPU's reason.
fn pipeline_async<P: JsCast + 'static>(device: &web_sys::GpuDevice, pending: Promise<P>, wrap: fn(P) -> JsValue) -> Promise {
    let pending = ticking(device, pending);
    future_to_promise(async move {
        match JsFuture::from(pending).await {
            Ok(pipeline) => Ok(wrap(pipeline.unchecked_into())),
            Err(e) => Err(error::pipeline(&e)),
        }
    })
}

impl GpuDevice {
    fn catching(&self) -> &CatchingDevice {
        self.inner.unchecked_ref()
    }
}

#[wasm_bindgen]
extern "C" {
    /// Device calls whose web-sys bindings do not catch, though WebGPU
    /// throws a TypeError for a non-finite float in their descriptors
    /// (pipeline constants, sampler LOD clamps).
    type CatchingDevice;
    #[wasm_bindgen(method, catch, js_name = createComputePipeline)]
    fn create_compute_pipeline(
        this: &CatchingDevice,
        descriptor: &web_sys::GpuComputePipelineDescriptor,
    ) -> Result<web_sys::GpuComputePipeline, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createSampler)]
    fn create_sampler(
        this: &CatchingDevice,
        descriptor: &web_sys::GpuSamplerDescriptor,
    ) -> Result<web_sys::GpuSampler, JsValue>;
}

thread_local! {
    /// The device most recently created through the shim, held weakly.
    static LATEST_DEVICE: std::cell::RefCell<Option<js_sys::WeakRef<web_sys::GpuDevice>>> = Default::default();
}

/// Remembers `device` as the latest one created (see `latest`).
pub(crate) fn remember_latest(device: &web_sys::GpuDevice) {
    LATEST_DEVICE.with(|latest| latest.replace(Some(js_sys::WeakRef::new(device))));
}

/// The device most recently created through the shim, if it is still
/// alive: where a surface asked for its current texture before any
/// configuration makes the invalid texture it returns (the WIT gives that
/// call no error, and every texture needs a device).
pub(crate) fn latest() -> Option<web_sys::GpuDevice> {
    LATEST_DEVICE.with(|latest| latest.borrow().as_ref().and_then(|weak| weak.deref()))
}

thread_local! {
    /// One wrapping function for every uncaptured-error stream.
    static WRAP_GPU_ERROR: js_sys::Function =
        Closure::<dyn Fn(web_sys::GpuError) -> JsValue>::new(GpuError::wrap).into_js_value().unchecked_into();
}

#[wasm_bindgen(inline_js = r#"
// A ReadableStream of uncaptured errors, each passed through `wrap`. The
// listener is added now, not on first read, so no error between the call
// and the guest's first read is lost. Chromium dispatches uncapturederror
// only when the device is ticked, so while a read is pending the stream
// ticks it (highWaterMark 0: pull runs only for a waiting reader).
export function uncapturedErrors(device, wrap) {
  let listener;
  return new ReadableStream({
    start(controller) {
      listener = (event) => controller.enqueue(wrap(event.error));
      device.addEventListener('uncapturederror', listener);
      device.lost.then(() => {
        device.removeEventListener('uncapturederror', listener);
        try { controller.close(); } catch {}
      });
    },
    async pull() {
      try { await device.queue.onSubmittedWorkDone(); } catch {}
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    cancel() {
      device.removeEventListener('uncapturederror', listener);
    },
  }, { highWaterMark: 0 });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = uncapturedErrors)]
    fn uncaptured_errors(device: &web_sys::GpuDevice, wrap: &js_sys::Function) -> JsValue;
}

#[wasm_bindgen(inline_js = r#"
// Chromium delivers some results only when the device is ticked: a
// getCompilationInfo made shortly after another, or after the device was
// destroyed, can stay pending forever (Chromium 156, measured in issue 5).
// So until `pending` settles, tick the device with an empty submit, at once
// and then backing off to every 100 ms. A lost device still needs the ticks
// to settle what is pending, but gets them for at most 10 s after its loss.
// One loss watcher per device, not per call, so a long-lived device gathers
// no promise reactions.
const lossTimes = new WeakMap();
export function ticking(device, pending) {
  if (!lossTimes.has(device)) {
    lossTimes.set(device, Infinity);
    device.lost.then(() => lossTimes.set(device, performance.now()));
  }
  let settled = false;
  const tick = (delay) => setTimeout(() => {
    if (settled || performance.now() - lossTimes.get(device) > 10_000) return;
    try { device.queue.submit([]); } catch {}
    tick(Math.min(delay * 2 + 1, 100));
  }, delay);
  tick(0);
  return pending.finally(() => { settled = true; });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = ticking)]
    fn ticking_js(device: &web_sys::GpuDevice, pending: &JsValue) -> Promise;
}

/// `pending`, settling as it does, with the device ticked until then.
pub(crate) fn ticking<T>(device: &web_sys::GpuDevice, pending: Promise<T>) -> Promise {
    ticking_js(device, pending.as_ref())
}

resource!(GpuDeviceLostInfo(web_sys::GpuDeviceLostInfo));

#[wasm_bindgen]
impl GpuDeviceLostInfo {
    #[wasm_bindgen(unchecked_return_type = "GpuDeviceLostReason")]
    pub fn reason(&self) -> wit::GpuDeviceLostReason {
        wit::GpuDeviceLostReason::from_web(self.inner.reason()).unwrap_or(wit::GpuDeviceLostReason::Unknown)
    }

    pub fn message(&self) -> String {
        self.inner.message()
    }
}

resource!(GpuError(web_sys::GpuError));

#[wasm_bindgen]
impl GpuError {
    pub fn message(&self) -> String {
        self.inner.message()
    }

    /// `gpu-error-kind`, from the error's class (WebGPU has no kind field).
    pub fn kind(&self) -> JsValue {
        let tag = if self.inner.is_instance_of::<web_sys::GpuValidationError>() {
            "validation-error"
        } else if self.inner.is_instance_of::<web_sys::GpuOutOfMemoryError>() {
            "out-of-memory-error"
        } else {
            "internal-error"
        };
        let kind = Object::new();
        Reflect::set(&kind, &"tag".into(), &tag.into()).ok();
        kind.into()
    }
}

/// `gpu-uncaptured-error-event`. No WIT function returns one (guests get
/// uncaptured errors from `gpu-device.on-uncaptured-error` as `gpu-error`s),
/// so only an embedder makes one, from a browser event with `fromEvent`.
#[wasm_bindgen]
pub struct GpuUncapturedErrorEvent {
    error: web_sys::GpuError,
}

#[wasm_bindgen]
impl GpuUncapturedErrorEvent {
    /// For embedders: wraps a browser `GPUUncapturedErrorEvent`.
    #[wasm_bindgen(js_name = fromEvent)]
    pub fn from_event(event: &web_sys::GpuUncapturedErrorEvent) -> GpuUncapturedErrorEvent {
        GpuUncapturedErrorEvent { error: event.error() }
    }

    #[wasm_bindgen(unchecked_return_type = "GpuError")]
    pub fn error(&self) -> JsValue {
        GpuError::wrap(self.error.clone())
    }
}
