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
use super::handle::{labelled, resource};
use super::pipeline::{GpuBindGroup, GpuBindGroupLayout, GpuComputePipeline, GpuPipelineLayout, GpuShaderModule};
use super::queue::GpuQueue;
use super::query::GpuQuerySet;
use super::wit;

resource!(GpuDevice(web_sys::GpuDevice));
labelled!(GpuDevice);

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
        GpuQueue::wrap(self.inner.queue())
    }

    pub fn destroy(&self) {
        self.inner.destroy()
    }

    /// The browser throws a RangeError for `mapped-at-creation` with a size
    /// that is not a multiple of 4. The WIT has no error result here, so the
    /// guest gets what WebGPU gives for every other bad descriptor: an
    /// invalid buffer and a validation error (its message carries the
    /// browser's, through the label).
    #[wasm_bindgen(js_name = createBuffer, unchecked_return_type = "GpuBuffer")]
    pub fn create_buffer(&self, descriptor: wit::GpuBufferDescriptor) -> JsValue {
        let buffer = self.inner.create_buffer(&convert::map_buffer_descriptor(&descriptor)).or_else(|e| {
            let invalid = web_sys::GpuBufferDescriptor::new_with_f64(0.0, 0);
            invalid.set_label(&error::describe(&e).1);
            self.inner.create_buffer(&invalid)
        });
        // Creating the invalid buffer does not throw in any browser we test;
        // an empty object is the last resort that still keeps the guest alive.
        GpuBuffer::wrap(buffer.unwrap_or_else(|_| JsValue::from(Object::new()).unchecked_into()))
    }

    #[wasm_bindgen(js_name = createShaderModule, unchecked_return_type = "GpuShaderModule")]
    pub fn create_shader_module(&self, descriptor: wit::GpuShaderModuleDescriptor) -> JsValue {
        GpuShaderModule::wrap(self.inner.create_shader_module(&convert::map_shader_module_descriptor(&descriptor)))
    }

    #[wasm_bindgen(js_name = createComputePipeline, unchecked_return_type = "GpuComputePipeline")]
    pub fn create_compute_pipeline(&self, descriptor: wit::GpuComputePipelineDescriptor) -> JsValue {
        GpuComputePipeline::wrap(
            self.inner.create_compute_pipeline(&convert::map_compute_pipeline_descriptor(&descriptor)),
        )
    }

    /// Rejects with `create-pipeline-error` carrying WebGPU's reason.
    #[wasm_bindgen(js_name = createComputePipelineAsync, unchecked_return_type = "Promise<GpuComputePipeline>")]
    pub fn create_compute_pipeline_async(&self, descriptor: wit::GpuComputePipelineDescriptor) -> Promise {
        let pending = self
            .inner
            .create_compute_pipeline_async(&convert::map_compute_pipeline_descriptor(&descriptor));
        future_to_promise(async move {
            match JsFuture::from(pending).await {
                Ok(pipeline) => Ok(GpuComputePipeline::wrap(pipeline.unchecked_into())),
                Err(e) => Err(error::pipeline(&e)),
            }
        })
    }

    /// A browser exception here (there are a few TypeErrors in the spec)
    /// becomes an invalid layout and a validation error, as for buffers.
    #[wasm_bindgen(js_name = createBindGroupLayout, unchecked_return_type = "GpuBindGroupLayout")]
    pub fn create_bind_group_layout(&self, descriptor: wit::GpuBindGroupLayoutDescriptor) -> JsValue {
        let layout = self
            .inner
            .create_bind_group_layout(&convert::map_bind_group_layout_descriptor(&descriptor))
            .or_else(|e| {
                // Two entries with one binding number: always a validation error.
                let entry = web_sys::GpuBindGroupLayoutEntry::new(0, 0);
                let invalid = web_sys::GpuBindGroupLayoutDescriptor::new(&[entry.clone(), entry]);
                invalid.set_label(&error::describe(&e).1);
                self.inner.create_bind_group_layout(&invalid)
            });
        GpuBindGroupLayout::wrap(layout.unwrap_or_else(|_| JsValue::from(Object::new()).unchecked_into()))
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

    #[wasm_bindgen(js_name = pushErrorScope)]
    pub fn push_error_scope(&self, filter: wit::GpuErrorFilter) {
        self.inner.push_error_scope(filter.to_web())
    }

    /// Resolves to the scope's first error, or none; rejects with
    /// operation-error when no scope is left to pop.
    #[wasm_bindgen(js_name = popErrorScope, unchecked_return_type = "Promise<GpuError | undefined>")]
    pub fn pop_error_scope(&self) -> Promise {
        let popped = self.inner.pop_error_scope();
        future_to_promise(async move {
            match JsFuture::from(popped).await {
                Ok(error) if error.is_object() => Ok(GpuError::wrap(error.unchecked_into())),
                Ok(_) => Ok(JsValue::UNDEFINED),
                Err(e) => Err(error::from_exception(error::POP_ERROR_SCOPE, &e)),
            }
        })
    }
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

/// `gpu-uncaptured-error-event.error`; the event stream itself is
/// `gpu-device.on-uncaptured-error`.
#[wasm_bindgen]
pub struct GpuUncapturedErrorEvent {
    error: web_sys::GpuError,
}

#[wasm_bindgen]
impl GpuUncapturedErrorEvent {
    #[wasm_bindgen(unchecked_return_type = "GpuError")]
    pub fn error(&self) -> JsValue {
        GpuError::wrap(self.error.clone())
    }
}
