//! `surface.surface`: a canvas standing in for the native runtime's window.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::host::{self, SurfaceHost};
use super::wit;

/// Pointer moves and frames keep only the latest event for a slow reader;
/// the others keep five, as the native runtime does.
const MOVE_CAPACITY: u32 = 1;
const EVENT_CAPACITY: u32 = 5;

#[wasm_bindgen]
pub struct Surface {
    pub(crate) host: SurfaceHost,
}

thread_local! {
    /// `KeyboardEvent.code` to the WIT's `key` case, for host.js.
    static KEY_OF: js_sys::Function =
        Closure::<dyn Fn(String) -> JsValue>::new(|code: String| {
            wit::Key::case_of_code(&code).map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED)
        })
        .into_js_value()
        .unchecked_into();
}

#[wasm_bindgen]
impl Surface {
    /// The canvas is the embedder's choice (see `setSurfaceOptions`): a given
    /// canvas, a new one in a given container, or one filling the page.
    #[wasm_bindgen(constructor)]
    pub fn new(desc: wit::CreateDesc) -> Surface {
        let host = KEY_OF.with(|key_of| SurfaceHost::new(&desc, key_of));
        Surface { host }
    }

    /// The canvas's width in device pixels.
    pub fn width(&self) -> u32 {
        self.host.width()
    }

    pub fn height(&self) -> u32 {
        self.host.height()
    }

    /// In device pixels, as `width` and `height`; `on-resize` reports it.
    #[wasm_bindgen(js_name = requestSetSize)]
    pub fn request_set_size(&self, height: Option<u32>, width: Option<u32>) {
        self.host.request_set_size(height, width)
    }

    #[wasm_bindgen(js_name = onResize, unchecked_return_type = "ReadableStream<ResizeEvent>")]
    pub fn on_resize(&self) -> JsValue {
        self.host.on_resize()
    }

    #[wasm_bindgen(js_name = onFrame, unchecked_return_type = "ReadableStream<FrameEvent>")]
    pub fn on_frame(&self) -> JsValue {
        self.host.on_frame()
    }

    #[wasm_bindgen(js_name = onPointerUp, unchecked_return_type = "ReadableStream<PointerEvent>")]
    pub fn on_pointer_up(&self) -> JsValue {
        self.host.on_pointer("pointerup", EVENT_CAPACITY)
    }

    #[wasm_bindgen(js_name = onPointerDown, unchecked_return_type = "ReadableStream<PointerEvent>")]
    pub fn on_pointer_down(&self) -> JsValue {
        self.host.on_pointer("pointerdown", EVENT_CAPACITY)
    }

    #[wasm_bindgen(js_name = onPointerMove, unchecked_return_type = "ReadableStream<PointerEvent>")]
    pub fn on_pointer_move(&self) -> JsValue {
        self.host.on_pointer("pointermove", MOVE_CAPACITY)
    }

    #[wasm_bindgen(js_name = onKeyUp, unchecked_return_type = "ReadableStream<KeyEvent>")]
    pub fn on_key_up(&self) -> JsValue {
        self.host.on_key("keyup")
    }

    #[wasm_bindgen(js_name = onKeyDown, unchecked_return_type = "ReadableStream<KeyEvent>")]
    pub fn on_key_down(&self) -> JsValue {
        self.host.on_key("keydown")
    }

    /// For embedders: the canvas this surface draws on.
    #[wasm_bindgen(getter)]
    pub fn canvas(&self) -> JsValue {
        self.host.canvas()
    }
}

/// For embedders, before the component makes its surfaces: `{ canvas }` (a
/// canvas element or OffscreenCanvas, or a function of the create-desc
/// returning one) or `{ container }` (an element each new canvas is
/// appended to). With neither, a surface gets a canvas filling the page.
#[wasm_bindgen(js_name = setSurfaceOptions)]
pub fn set_surface_options(options: JsValue) -> Result<(), JsValue> {
    host::set_surface_options(&options)
}
