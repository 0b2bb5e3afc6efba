//! Bindings to `host.js`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/surface/host.js")]
extern "C" {
    /// One surface's canvas, its size and its event streams.
    #[derive(Clone)]
    pub type SurfaceHost;
    #[wasm_bindgen(constructor)]
    pub fn new(desc: &JsValue, key_of: &js_sys::Function) -> SurfaceHost;
    #[wasm_bindgen(method, getter)]
    pub fn canvas(this: &SurfaceHost) -> JsValue;
    #[wasm_bindgen(method)]
    pub fn width(this: &SurfaceHost) -> u32;
    #[wasm_bindgen(method)]
    pub fn height(this: &SurfaceHost) -> u32;
    #[wasm_bindgen(method, js_name = requestSetSize)]
    pub fn request_set_size(this: &SurfaceHost, height: Option<u32>, width: Option<u32>);
    #[wasm_bindgen(method, js_name = onResize)]
    pub fn on_resize(this: &SurfaceHost) -> JsValue;
    #[wasm_bindgen(method, js_name = onFrame)]
    pub fn on_frame(this: &SurfaceHost) -> JsValue;
    #[wasm_bindgen(method, js_name = onPointer)]
    pub fn on_pointer(this: &SurfaceHost, event_type: &str, capacity: u32) -> JsValue;
    #[wasm_bindgen(method, js_name = onKey)]
    pub fn on_key(this: &SurfaceHost, event_type: &str) -> JsValue;
    /// The canvas's context of `kind`, or null.
    #[wasm_bindgen(method)]
    pub fn context(this: &SurfaceHost, kind: &str) -> JsValue;
    #[wasm_bindgen(method, js_name = reportError)]
    pub fn report_error(this: &SurfaceHost, message: &str);
    #[wasm_bindgen(method, js_name = drawBgrx)]
    pub fn draw_bgrx(this: &SurfaceHost, context: &JsValue, pixels: &js_sys::Uint8Array, width: u32, height: u32);
    #[wasm_bindgen(method, js_name = nextFrame)]
    pub fn next_frame(this: &SurfaceHost, callback: &js_sys::Function);

    #[wasm_bindgen(js_name = setSurfaceOptions, catch)]
    pub fn set_surface_options(options: &JsValue) -> Result<(), JsValue>;
}
