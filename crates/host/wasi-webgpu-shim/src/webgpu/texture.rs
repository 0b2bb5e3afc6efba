//! `gpu-texture`, `gpu-texture-view` and `gpu-sampler`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::convert::native_compat::Aspects;
use super::convert::{flags_object, map_texture_view_descriptor};
use super::handle::{resource, set_view_aspects};
use super::invalid;
use super::wit;

resource!(GpuTexture(web_sys::GpuTexture));

#[wasm_bindgen]
impl GpuTexture {
    /// A descriptor the browser throws on (a view format outside the
    /// texture's, for example) gives an invalid view and a validation error.
    #[wasm_bindgen(js_name = createView, unchecked_return_type = "GpuTextureView")]
    pub fn create_view(&self, descriptor: Option<wit::GpuTextureViewDescriptor>) -> JsValue {
        let descriptor_in = descriptor;
        let descriptor = match &descriptor_in {
            Some(descriptor) => map_texture_view_descriptor(descriptor),
            None => web_sys::GpuTextureViewDescriptor::new(),
        };
        let view = self
            .inner
            .create_view_with_descriptor(&descriptor)
            .unwrap_or_else(|e| invalid::texture_view(&self.inner, &invalid::message(&e)));
        let wrapper = GpuTextureView::wrap(view);
        let aspect = match &descriptor_in {
            Some(descriptor) => descriptor.aspect(),
            None => None,
        };
        let format = wit::GpuTextureFormat::from_web(self.inner.format());
        if let Some(aspects) = format.and_then(|format| Aspects::of_view(format, aspect)) {
            set_view_aspects(&wrapper, aspects.bits());
        }
        wrapper
    }

    pub fn destroy(&self) {
        self.inner.destroy()
    }

    pub fn width(&self) -> u32 {
        self.inner.width()
    }

    pub fn height(&self) -> u32 {
        self.inner.height()
    }

    #[wasm_bindgen(js_name = depthOrArrayLayers)]
    pub fn depth_or_array_layers(&self) -> u32 {
        self.inner.depth_or_array_layers()
    }

    #[wasm_bindgen(js_name = mipLevelCount)]
    pub fn mip_level_count(&self) -> u32 {
        self.inner.mip_level_count()
    }

    #[wasm_bindgen(js_name = sampleCount)]
    pub fn sample_count(&self) -> u32 {
        self.inner.sample_count()
    }

    #[wasm_bindgen(unchecked_return_type = "GpuTextureDimension")]
    pub fn dimension(&self) -> wit::GpuTextureDimension {
        wit::GpuTextureDimension::from_web(self.inner.dimension()).unwrap_or(wit::GpuTextureDimension::D2)
    }

    /// A format the WIT does not know (a browser ahead of the WIT) has no
    /// honest WIT value; jco would trap on an unknown string, so such a
    /// texture reports the format it is most like, `rgba8unorm`.
    #[wasm_bindgen(unchecked_return_type = "GpuTextureFormat")]
    pub fn format(&self) -> wit::GpuTextureFormat {
        wit::GpuTextureFormat::from_web(self.inner.format()).unwrap_or(wit::GpuTextureFormat::Rgba8unorm)
    }

    #[wasm_bindgen(unchecked_return_type = "GpuTextureUsage")]
    pub fn usage(&self) -> JsValue {
        flags_object(wit::GpuTextureUsage::FLAGS, self.inner.usage())
    }

    /// What the texture was created with in compatibility mode. Browsers
    /// without the attribute (Firefox ESR 153) report none.
    #[wasm_bindgen(js_name = textureBindingViewDimension, unchecked_return_type = "GpuTextureViewDimension | undefined")]
    pub fn texture_binding_view_dimension(&self) -> JsValue {
        let value = Reflect::get(&self.inner, &"textureBindingViewDimension".into()).unwrap_or(JsValue::UNDEFINED);
        web_sys::GpuTextureViewDimension::from_js_value(&value)
            .and_then(wit::GpuTextureViewDimension::from_web)
            .map(JsValue::from)
            .unwrap_or(JsValue::UNDEFINED)
    }
}

resource!(GpuTextureView(web_sys::GpuTextureView));

resource!(GpuSampler(web_sys::GpuSampler));
