//! `gpu-query-set`.

use wasm_bindgen::prelude::*;

use super::handle::resource;
use super::wit;

resource!(GpuQuerySet(web_sys::GpuQuerySet));

#[wasm_bindgen]
impl GpuQuerySet {
    pub fn destroy(&self) {
        self.inner.destroy()
    }
    #[wasm_bindgen(js_name = type, unchecked_return_type = "GpuQueryType")]
    pub fn type_(&self) -> wit::GpuQueryType {
        wit::GpuQueryType::from_web(self.inner.type_()).unwrap_or(wit::GpuQueryType::Occlusion)
    }
    pub fn count(&self) -> u32 {
        self.inner.count()
    }
}
