//! `surface-webgpu.context`: a surface's canvas as a WebGPU canvas context.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::surface::Surface;
use super::wit;
use crate::webgpu::canvas::CanvasState;
use crate::webgpu::device;

#[wasm_bindgen]
pub struct SurfaceWebgpuContext {
    state: CanvasState,
}

#[wasm_bindgen]
impl SurfaceWebgpuContext {
    /// A canvas that already has a 2D context (a frame buffer) has no
    /// WebGPU one; every call then gives a validation error.
    #[wasm_bindgen(constructor)]
    pub fn new(surface: &Surface) -> SurfaceWebgpuContext {
        let context = surface.host.context("webgpu");
        let inner = context.is_object().then(|| context.unchecked_into());
        SurfaceWebgpuContext { state: CanvasState::new(inner) }
    }

    /// Every field as in `gpu-canvas-context.configure` (wit-codegen checks
    /// that the two records stay alike). The canvas size is not part of it:
    /// the texture follows the surface's size on its own.
    pub fn configure(&self, configuration: wit::ContextConfiguration) {
        self.state.configure(configuration.unchecked_ref())
    }

    pub fn unconfigure(&self) {
        self.state.unconfigure()
    }

    /// Unconfigured: an invalid texture and a validation error, on the
    /// device of the last configuration or else the latest device the shim
    /// made. With no device at all there is nothing to make a texture on,
    /// and the call traps with the reason.
    #[wasm_bindgen(js_name = getCurrentTexture, unchecked_return_type = "GpuTexture")]
    pub fn get_current_texture(&self) -> Result<JsValue, JsValue> {
        self.state
            .current_texture(device::latest)
            .map_err(|reason| js_sys::Error::new(&crate::text::concat(&["get-current-texture before configure, and no device: ", &reason])).into())
    }

    /// The browser presents a canvas's texture when the task that drew it
    /// ends, so there is nothing left to do here.
    pub fn present(&self) {}
}
