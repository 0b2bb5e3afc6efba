//! Shaders, pipelines and what binds resources to them.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen::JsCast;

use super::device::ticking;
use super::handle::resource;
use super::wit;

#[wasm_bindgen]
pub struct GpuShaderModule {
    pub(crate) inner: web_sys::GpuShaderModule,
    /// The module's device, ticked while compilation info is pending (see
    /// `device::ticking`); WebGPU gives no way back to it from the module.
    device: web_sys::GpuDevice,
}

impl GpuShaderModule {
    pub(crate) fn wrap(inner: web_sys::GpuShaderModule, device: web_sys::GpuDevice) -> JsValue {
        let gpu_object = JsValue::from(inner.clone());
        super::handle::wrap(GpuShaderModule { inner, device }, &gpu_object)
    }
}

#[wasm_bindgen]
impl GpuShaderModule {
    #[wasm_bindgen(js_name = getCompilationInfo, unchecked_return_type = "Promise<GpuCompilationInfo>")]
    pub fn get_compilation_info(&self) -> Promise {
        let pending = ticking(&self.device, self.inner.get_compilation_info());
        future_to_promise(async move {
            let info = JsFuture::from(pending).await?;
            Ok(GpuCompilationInfo::wrap(info.unchecked_into()))
        })
    }
}

resource!(GpuCompilationInfo(web_sys::GpuCompilationInfo));

#[wasm_bindgen]
impl GpuCompilationInfo {
    /// `list<gpu-compilation-message>`: each one a fresh owned wrapper.
    #[wasm_bindgen(unchecked_return_type = "GpuCompilationMessage[]")]
    pub fn messages(&self) -> Array {
        self.inner.messages().iter().map(|m| GpuCompilationMessage::wrap(m.unchecked_into())).collect()
    }
}

resource!(GpuCompilationMessage(web_sys::GpuCompilationMessage));

#[wasm_bindgen]
impl GpuCompilationMessage {
    pub fn message(&self) -> String {
        self.inner.message()
    }
    #[wasm_bindgen(js_name = type, unchecked_return_type = "GpuCompilationMessageType")]
    pub fn type_(&self) -> wit::GpuCompilationMessageType {
        wit::GpuCompilationMessageType::from_web(self.inner.type_()).unwrap_or(wit::GpuCompilationMessageType::Info)
    }
    #[wasm_bindgen(js_name = lineNum)]
    pub fn line_num(&self) -> u64 {
        self.inner.line_num() as u64
    }
    #[wasm_bindgen(js_name = linePos)]
    pub fn line_pos(&self) -> u64 {
        self.inner.line_pos() as u64
    }
    pub fn offset(&self) -> u64 {
        self.inner.offset() as u64
    }
    pub fn length(&self) -> u64 {
        self.inner.length() as u64
    }
}

resource!(GpuComputePipeline(web_sys::GpuComputePipeline));

#[wasm_bindgen]
impl GpuComputePipeline {
    /// An index past the layout's bind groups gives an invalid layout and a
    /// validation error, as WebGPU specifies.
    #[wasm_bindgen(js_name = getBindGroupLayout, unchecked_return_type = "GpuBindGroupLayout")]
    pub fn get_bind_group_layout(&self, index: u32) -> JsValue {
        GpuBindGroupLayout::wrap(self.inner.get_bind_group_layout(index))
    }
}

resource!(GpuRenderPipeline(web_sys::GpuRenderPipeline));

#[wasm_bindgen]
impl GpuRenderPipeline {
    #[wasm_bindgen(js_name = getBindGroupLayout, unchecked_return_type = "GpuBindGroupLayout")]
    pub fn get_bind_group_layout(&self, index: u32) -> JsValue {
        GpuBindGroupLayout::wrap(self.inner.get_bind_group_layout(index))
    }
}

resource!(GpuBindGroupLayout(web_sys::GpuBindGroupLayout));

resource!(GpuPipelineLayout(web_sys::GpuPipelineLayout));

resource!(GpuBindGroup(web_sys::GpuBindGroup));
