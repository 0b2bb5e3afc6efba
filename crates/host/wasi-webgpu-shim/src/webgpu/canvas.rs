//! `gpu-canvas-context`. Nothing in wasi:webgpu or wasi-gfx:surface hands a
//! guest one (surfaces have their own context resource), so only an
//! embedder can: `GpuCanvasContext.fromCanvas(canvas)` adopts a canvas's
//! WebGPU context.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{flags_object, map_canvas_configuration};
use super::device::GpuDevice;
use super::invalid;
use super::texture::GpuTexture;
use super::wit;

#[wasm_bindgen]
pub struct GpuCanvasContext {
    state: CanvasState,
}

impl GpuCanvasContext {
    fn wrap(inner: web_sys::GpuCanvasContext) -> JsValue {
        let gpu_object: JsValue = inner.clone().into();
        super::handle::wrap(GpuCanvasContext { state: CanvasState::new(Some(inner)) }, &gpu_object)
    }
}

/// A canvas's WebGPU context and what the WIT needs beyond it; shared by
/// `gpu-canvas-context` and wasi-gfx's `surface-webgpu.context`.
pub(crate) struct CanvasState {
    /// None when the canvas already has a 2D context: every call then
    /// answers with validation errors and invalid textures.
    inner: Option<web_sys::GpuCanvasContext>,
    /// The device of the last configuration: where a current texture asked
    /// for after `unconfigure` is made invalid, so the caller gets a texture
    /// and a validation error instead of an exception.
    last_device: RefCell<Option<web_sys::GpuDevice>>,
}

/// Why a surface has no WebGPU context, for the validation errors.
const NO_WEBGPU_CONTEXT: &str = "the canvas has a 2D context (a frame buffer) and cannot have a WebGPU one";

impl CanvasState {
    pub(crate) fn new(inner: Option<web_sys::GpuCanvasContext>) -> CanvasState {
        CanvasState { inner, last_device: RefCell::new(None) }
    }

    /// A configuration the browser throws on (a format the canvas does not
    /// take) leaves the context unconfigured and raises a validation error
    /// on the configuration's device.
    pub(crate) fn configure(&self, configuration: &wit::GpuCanvasConfiguration) {
        let device: web_sys::GpuDevice = super::handle::gpu_object(&configuration.device());
        match &self.inner {
            Some(inner) => {
                if let Err(e) = inner.configure(&map_canvas_configuration(configuration)) {
                    invalid::report(&device, &invalid::message(&e));
                }
            }
            None => invalid::report(&device, NO_WEBGPU_CONTEXT),
        }
        self.last_device.replace(Some(device));
    }

    pub(crate) fn unconfigure(&self) {
        if let Some(inner) = &self.inner {
            inner.unconfigure()
        }
    }

    /// Unconfigured, WebGPU throws an InvalidStateError. Then the caller
    /// gets an invalid texture and a validation error with the browser's
    /// message, on the device of the last configuration or, before any, on
    /// `fallback_device()`, asked only then. Without either there is nothing
    /// to make a texture on: `Err` with the reason.
    pub(crate) fn current_texture(
        &self,
        fallback_device: impl FnOnce() -> Option<web_sys::GpuDevice>,
    ) -> Result<JsValue, String> {
        let failure = match &self.inner {
            Some(inner) => match inner.get_current_texture() {
                Ok(texture) => return Ok(GpuTexture::wrap(texture)),
                Err(e) => invalid::message(&e),
            },
            None => NO_WEBGPU_CONTEXT.to_string(),
        };
        let device = self.last_device.borrow().clone();
        match device.or_else(fallback_device) {
            Some(device) => Ok(GpuTexture::wrap(invalid::texture(&device, &failure))),
            None => Err(failure),
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// `HTMLCanvasElement` or `OffscreenCanvas`: both have `getContext`.
    type AnyCanvas;
    #[wasm_bindgen(method, catch, js_name = getContext)]
    fn get_context(this: &AnyCanvas, kind: &str) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
impl GpuCanvasContext {
    /// For embedders: the WebGPU context of `canvas` (a canvas element or
    /// an `OffscreenCanvas`). Throws a JS `Error` when the canvas has
    /// another kind of context or the browser has no WebGPU.
    #[wasm_bindgen(js_name = fromCanvas, unchecked_return_type = "GpuCanvasContext")]
    pub fn from_canvas(canvas: JsValue) -> Result<JsValue, JsValue> {
        let context = canvas.unchecked_ref::<AnyCanvas>().get_context("webgpu").unwrap_or(JsValue::NULL);
        if !context.is_object() {
            return Err(js_sys::Error::new("the canvas has no WebGPU context (another context kind, or no WebGPU)").into());
        }
        Ok(GpuCanvasContext::wrap(context.unchecked_into()))
    }

    /// See `CanvasState::configure`.
    pub fn configure(&self, configuration: wit::GpuCanvasConfiguration) {
        self.state.configure(&configuration)
    }

    pub fn unconfigure(&self) {
        self.state.unconfigure()
    }

    /// The current configuration, with a fresh owned device handle; none
    /// when unconfigured. A value outside the WIT (a browser ahead of it) is
    /// left out rather than invented.
    #[wasm_bindgen(js_name = getConfiguration)]
    pub fn get_configuration(&self) -> JsValue {
        let Some(configuration) = self.state.inner.as_ref().and_then(|inner| inner.get_configuration()) else {
            return JsValue::UNDEFINED;
        };
        let out = js_sys::Object::new();
        let set = |key: &str, value: JsValue| {
            js_sys::Reflect::set(&out, &key.into(), &value).ok();
        };
        set("device", GpuDevice::wrap(configuration.get_device()));
        let format = wit::GpuTextureFormat::from_web(configuration.get_format()).unwrap_or(wit::GpuTextureFormat::Rgba8unorm);
        set("format", format.into());
        if let Some(usage) = configuration.get_usage() {
            set("usage", flags_object(wit::GpuTextureUsage::FLAGS, usage));
        }
        if let Some(formats) = configuration.get_view_formats() {
            let formats: js_sys::Array = formats
                .iter()
                .filter_map(|f| web_sys::GpuTextureFormat::from_js_value(&f).and_then(wit::GpuTextureFormat::from_web))
                .map(JsValue::from)
                .collect();
            set("viewFormats", formats.into());
        }
        // web-sys has no `colorSpace` getter.
        let color_space = js_sys::Reflect::get(&configuration, &"colorSpace".into()).unwrap_or(JsValue::UNDEFINED);
        if let Some(space) = wit::PredefinedColorSpace::from_js_value(&color_space) {
            set("colorSpace", space.into());
        }
        if let Some(tone_mapping) = configuration.get_tone_mapping() {
            let mapped = js_sys::Object::new();
            if let Some(mode) = tone_mapping.get_mode().and_then(wit::GpuCanvasToneMappingMode::from_web) {
                js_sys::Reflect::set(&mapped, &"mode".into(), &mode.into()).ok();
            }
            set("toneMapping", mapped.into());
        }
        if let Some(mode) = configuration.get_alpha_mode().and_then(wit::GpuCanvasAlphaMode::from_web) {
            set("alphaMode", mode.into());
        }
        out.into()
    }

    /// See `CanvasState::current_texture`. Before any configuration there
    /// is no device to make a texture on; no guest can hold this resource
    /// (see the module comment), so the embedder that called it gets a JS
    /// `Error`.
    #[wasm_bindgen(js_name = getCurrentTexture, unchecked_return_type = "GpuTexture")]
    pub fn get_current_texture(&self) -> Result<JsValue, JsValue> {
        self.state.current_texture(|| None).map_err(|reason| js_sys::Error::new(&reason).into())
    }
}
