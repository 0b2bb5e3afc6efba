//! The entry points: `get-gpu`, `gpu`, `gpu-adapter` and what an adapter
//! describes about itself (info, supported features and limits, WGSL
//! language features).

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{map_device_descriptor, map_request_adapter_options, size64_out};
use super::device::GpuDevice;
use super::error;
use super::handle::{resource, wrap};
use super::wit;

/// `get-gpu`: the page's (or worker's) `navigator.gpu`. In a browser without
/// WebGPU it still returns a `gpu`, whose `request-adapter` returns none,
/// which is what the WIT offers for "no adapter".
#[wasm_bindgen(js_name = getGpu, unchecked_return_type = "Gpu")]
pub fn get_gpu() -> JsValue {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).unwrap_or(JsValue::UNDEFINED);
    let gpu = if navigator.is_object() {
        Reflect::get(&navigator, &"gpu".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    let inner = if gpu.is_object() { Some(gpu.unchecked_into::<web_sys::Gpu>()) } else { None };
    wrap(Gpu { inner: inner.clone() }, &inner.map(JsValue::from).unwrap_or(JsValue::UNDEFINED))
}

#[wasm_bindgen]
pub struct Gpu {
    inner: Option<web_sys::Gpu>,
}

#[wasm_bindgen]
impl Gpu {
    /// Resolves to the adapter, or to none when the browser has none to give.
    #[wasm_bindgen(js_name = requestAdapter, unchecked_return_type = "Promise<GpuAdapter | undefined>")]
    pub fn request_adapter(&self, options: Option<wit::GpuRequestAdapterOptions>) -> Promise {
        let Some(gpu) = self.inner.clone() else {
            return Promise::resolve(&JsValue::UNDEFINED);
        };
        let web_options = options.as_ref().map(map_request_adapter_options);
        let ask = move || match &web_options {
            Some(options) => gpu.request_adapter_with_options(options),
            None => gpu.request_adapter(),
        };
        future_to_promise(async move {
            // A rejection here (only for options jco cannot produce) also
            // means "no adapter": the WIT has no error for this call.
            let mut adapter = JsFuture::from(ask()).await.map(JsValue::from).unwrap_or(JsValue::NULL);
            if !adapter.is_object() {
                // Chromium on Linux with a real GPU answers null to the first
                // request in a fresh browser and the GPU to the next (docs/gpu.md);
                // a browser with no adapter answers null again.
                adapter = JsFuture::from(ask()).await.map(JsValue::from).unwrap_or(JsValue::NULL);
            }
            Ok(if adapter.is_object() {
                GpuAdapter::wrap(adapter.unchecked_into())
            } else {
                JsValue::UNDEFINED
            })
        })
    }

    #[wasm_bindgen(js_name = getPreferredCanvasFormat, unchecked_return_type = "GpuTextureFormat")]
    pub fn get_preferred_canvas_format(&self) -> wit::GpuTextureFormat {
        let web = self.inner.as_ref().map(|gpu| gpu.get_preferred_canvas_format());
        // Browsers answer rgba8unorm or bgra8unorm; without WebGPU there is
        // nothing to prefer and rgba8unorm is the portable choice.
        web.and_then(wit::GpuTextureFormat::from_web).unwrap_or(wit::GpuTextureFormat::Rgba8unorm)
    }

    #[wasm_bindgen(js_name = wgslLanguageFeatures, unchecked_return_type = "WgslLanguageFeatures")]
    pub fn wgsl_language_features(&self) -> JsValue {
        let features = self
            .inner
            .as_ref()
            .map(|gpu| JsValue::from(gpu.wgsl_language_features()))
            .unwrap_or_else(|| js_sys::Set::new(&JsValue::UNDEFINED).into());
        WgslLanguageFeatures::wrap(features.unchecked_into())
    }
}

resource!(GpuAdapter(web_sys::GpuAdapter));

#[wasm_bindgen]
impl GpuAdapter {
    #[wasm_bindgen(unchecked_return_type = "GpuSupportedFeatures")]
    pub fn features(&self) -> JsValue {
        GpuSupportedFeatures::wrap(self.inner.features())
    }

    #[wasm_bindgen(unchecked_return_type = "GpuSupportedLimits")]
    pub fn limits(&self) -> JsValue {
        GpuSupportedLimits::wrap(self.inner.limits())
    }

    #[wasm_bindgen(unchecked_return_type = "GpuAdapterInfo")]
    pub fn info(&self) -> JsValue {
        GpuAdapterInfo::wrap(self.inner.info())
    }

    /// Resolves to the device; rejects with `request-device-error`
    /// (type-error for a feature or limit the adapter lacks, operation-error
    /// for a limit value it cannot meet or an adapter already used).
    #[wasm_bindgen(js_name = requestDevice, unchecked_return_type = "Promise<GpuDevice>")]
    pub fn request_device(&self, descriptor: Option<wit::GpuDeviceDescriptor>) -> Promise {
        let request = match &descriptor {
            Some(descriptor) => self.inner.request_device_with_descriptor(&map_device_descriptor(descriptor)),
            None => self.inner.request_device(),
        };
        future_to_promise(async move {
            match JsFuture::from(request).await {
                Ok(device) => {
                    let device: web_sys::GpuDevice = device.unchecked_into();
                    super::device::remember_latest(&device);
                    Ok(GpuDevice::wrap(device))
                }
                Err(e) => Err(error::from_exception(error::REQUEST_DEVICE, &e)),
            }
        })
    }
}

resource!(GpuAdapterInfo(web_sys::GpuAdapterInfo));

#[wasm_bindgen]
impl GpuAdapterInfo {
    pub fn vendor(&self) -> String {
        self.inner.vendor()
    }
    pub fn architecture(&self) -> String {
        self.inner.architecture()
    }
    pub fn device(&self) -> String {
        self.inner.device()
    }
    pub fn description(&self) -> String {
        self.inner.description()
    }
    /// Browsers without the subgroups feature leave these undefined; the
    /// WIT wants a u32, and 0 says "unknown" without inventing a size.
    #[wasm_bindgen(js_name = subgroupMinSize)]
    pub fn subgroup_min_size(&self) -> u32 {
        number_property(&self.inner, "subgroupMinSize")
    }
    #[wasm_bindgen(js_name = subgroupMaxSize)]
    pub fn subgroup_max_size(&self) -> u32 {
        number_property(&self.inner, "subgroupMaxSize")
    }
    #[wasm_bindgen(js_name = isFallbackAdapter)]
    pub fn is_fallback_adapter(&self) -> bool {
        Reflect::get(&self.inner, &"isFallbackAdapter".into()).map(|v| v.is_truthy()).unwrap_or(false)
    }
}

fn number_property(target: &JsValue, key: &str) -> u32 {
    Reflect::get(target, &key.into()).ok().and_then(|v| v.as_f64()).map(|v| v as u32).unwrap_or(0)
}

resource!(GpuSupportedFeatures(web_sys::GpuSupportedFeatures));

#[wasm_bindgen]
impl GpuSupportedFeatures {
    /// Takes WebGPU's spelling of the feature name, as the WIT documents.
    pub fn has(&self, value: &str) -> bool {
        self.inner.has(value)
    }
}

resource!(WgslLanguageFeatures(web_sys::WgslLanguageFeatures));

#[wasm_bindgen]
impl WgslLanguageFeatures {
    pub fn has(&self, value: &str) -> bool {
        self.inner.has(value)
    }
}

resource!(GpuSupportedLimits(web_sys::GpuSupportedLimits));

/// One getter per limit; the WIT's u64 limits come back as BigInt.
macro_rules! limits {
    ($($rust:ident $js:literal: $ty:ident,)*) => {
        #[wasm_bindgen]
        impl GpuSupportedLimits {
            $(
                #[wasm_bindgen(js_name = $js)]
                pub fn $rust(&self) -> $ty {
                    limits!(@get self, $js, $ty)
                }
            )*
        }

        /// The limit names this shim knows, in WebGPU's spelling.
        pub const LIMIT_NAMES: &[&str] = &[$($js),*];
    };
    (@get $self:ident, $js:literal, u32) => {
        Reflect::get(&$self.inner, &$js.into()).ok().and_then(|v| v.as_f64()).map(|v| v as u32).unwrap_or(0)
    };
    (@get $self:ident, $js:literal, u64) => {
        Reflect::get(&$self.inner, &$js.into()).ok().and_then(|v| v.as_f64()).map(size64_out).unwrap_or(0)
    };
}

limits! {
    max_texture_dimension1_d "maxTextureDimension1D": u32,
    max_texture_dimension2_d "maxTextureDimension2D": u32,
    max_texture_dimension3_d "maxTextureDimension3D": u32,
    max_texture_array_layers "maxTextureArrayLayers": u32,
    max_bind_groups "maxBindGroups": u32,
    max_bind_groups_plus_vertex_buffers "maxBindGroupsPlusVertexBuffers": u32,
    max_immediate_size "maxImmediateSize": u32,
    max_bindings_per_bind_group "maxBindingsPerBindGroup": u32,
    max_dynamic_uniform_buffers_per_pipeline_layout "maxDynamicUniformBuffersPerPipelineLayout": u32,
    max_dynamic_storage_buffers_per_pipeline_layout "maxDynamicStorageBuffersPerPipelineLayout": u32,
    max_sampled_textures_per_shader_stage "maxSampledTexturesPerShaderStage": u32,
    max_samplers_per_shader_stage "maxSamplersPerShaderStage": u32,
    max_storage_buffers_per_shader_stage "maxStorageBuffersPerShaderStage": u32,
    max_storage_buffers_in_vertex_stage "maxStorageBuffersInVertexStage": u32,
    max_storage_buffers_in_fragment_stage "maxStorageBuffersInFragmentStage": u32,
    max_storage_textures_per_shader_stage "maxStorageTexturesPerShaderStage": u32,
    max_storage_textures_in_vertex_stage "maxStorageTexturesInVertexStage": u32,
    max_storage_textures_in_fragment_stage "maxStorageTexturesInFragmentStage": u32,
    max_uniform_buffers_per_shader_stage "maxUniformBuffersPerShaderStage": u32,
    max_uniform_buffer_binding_size "maxUniformBufferBindingSize": u64,
    max_storage_buffer_binding_size "maxStorageBufferBindingSize": u64,
    min_uniform_buffer_offset_alignment "minUniformBufferOffsetAlignment": u32,
    min_storage_buffer_offset_alignment "minStorageBufferOffsetAlignment": u32,
    max_vertex_buffers "maxVertexBuffers": u32,
    max_buffer_size "maxBufferSize": u64,
    max_vertex_attributes "maxVertexAttributes": u32,
    max_vertex_buffer_array_stride "maxVertexBufferArrayStride": u32,
    max_inter_stage_shader_variables "maxInterStageShaderVariables": u32,
    max_color_attachments "maxColorAttachments": u32,
    max_color_attachment_bytes_per_sample "maxColorAttachmentBytesPerSample": u32,
    max_compute_workgroup_storage_size "maxComputeWorkgroupStorageSize": u32,
    max_compute_invocations_per_workgroup "maxComputeInvocationsPerWorkgroup": u32,
    max_compute_workgroup_size_x "maxComputeWorkgroupSizeX": u32,
    max_compute_workgroup_size_y "maxComputeWorkgroupSizeY": u32,
    max_compute_workgroup_size_z "maxComputeWorkgroupSizeZ": u32,
    max_compute_workgroups_per_dimension "maxComputeWorkgroupsPerDimension": u32,
}
