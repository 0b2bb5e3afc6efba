//! `surface-frame-buffer.context` and `frame-buffer.buffer`: software
//! frames drawn on a surface's canvas with its 2D context.
//!
//! Pixel format, as in the native runtime (softbuffer): 4 bytes per pixel,
//! blue, green, red and one unused byte (a little-endian `0x00RRGGBB`),
//! rows from the top, exactly `width * height * 4` bytes for the surface's
//! size at the time of `set-with-copy`. The canvas shows them opaque.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::host::SurfaceHost;
use super::surface::Surface;

const BYTES_PER_PIXEL: u32 = 4;

/// What a context and all its buffers share.
struct Frames {
    host: SurfaceHost,
    /// The canvas's 2D context; null when it already has a WebGPU one.
    context2d: JsValue,
    /// The last frame set, with the size it was checked against.
    staged: Option<(Uint8Array, u32, u32)>,
    /// Set when a frame was staged and not yet drawn.
    dirty: bool,
    /// Whether an automatic present is waiting for the next animation frame.
    scheduled: bool,
}

impl Frames {
    /// Draws the staged frame; the error to report, if it cannot. The
    /// caller reports it after letting go of the frames, since an
    /// embedder's error listener may call back in.
    fn draw(&mut self) -> Option<&'static str> {
        self.dirty = false;
        if !self.context2d.is_object() {
            return Some("the surface's canvas has a WebGPU context and cannot show a frame buffer");
        }
        // A frame staged before a resize no longer fits; the next one will.
        if let Some((pixels, width, height)) = &self.staged {
            if *width == self.host.width() && *height == self.host.height() {
                self.host.draw_bgrx(&self.context2d, pixels, *width, *height);
            }
        }
        None
    }
}

/// Draws and reports, without holding the frames while reporting.
fn present(frames: &RefCell<Frames>) {
    let failure = frames.borrow_mut().draw();
    if let Some(message) = failure {
        let host = frames.borrow().host.clone();
        host.report_error(message);
    }
}

#[wasm_bindgen]
pub struct SurfaceFrameBufferContext {
    frames: Rc<RefCell<Frames>>,
}

#[wasm_bindgen]
impl SurfaceFrameBufferContext {
    #[wasm_bindgen(constructor)]
    pub fn new(surface: &Surface) -> SurfaceFrameBufferContext {
        let context2d = surface.host.context("2d");
        let frames = Frames { host: surface.host.clone(), context2d, staged: None, dirty: false, scheduled: false };
        SurfaceFrameBufferContext { frames: Rc::new(RefCell::new(frames)) }
    }

    /// Every buffer of a context shares its frame, as in the native runtime.
    #[wasm_bindgen(js_name = getCurrentBuffer, unchecked_return_type = "FrameBufferBuffer")]
    pub fn get_current_buffer(&self) -> FrameBufferBuffer {
        FrameBufferBuffer { frames: self.frames.clone() }
    }

    /// Draws the last frame set now. Without a present, a frame set is
    /// drawn at the next animation frame anyway.
    pub fn present(&self) {
        present(&self.frames)
    }
}

#[wasm_bindgen]
pub struct FrameBufferBuffer {
    frames: Rc<RefCell<Frames>>,
}

#[wasm_bindgen]
impl FrameBufferBuffer {
    /// The last frame set, byte for byte; empty before the first.
    #[wasm_bindgen(js_name = getWithCopy)]
    pub fn get_with_copy(&self) -> Uint8Array {
        match &self.frames.borrow().staged {
            Some((pixels, _, _)) => pixels.clone(),
            None => Uint8Array::new_with_length(0),
        }
    }

    /// Stages a frame (see the module comment for the format). A length
    /// other than the surface's `width * height * 4` is refused with an
    /// error on the console and a `wasi-gfx-error` event on the canvas; the
    /// previous frame stays. The WIT gives this call no error result.
    #[wasm_bindgen(js_name = setWithCopy)]
    pub fn set_with_copy(&self, pixels: Uint8Array) {
        let host = self.frames.borrow().host.clone();
        let (width, height) = (host.width(), host.height());
        let expected = u64::from(width) * u64::from(height) * u64::from(BYTES_PER_PIXEL);
        if u64::from(pixels.length()) != expected {
            use crate::text::{concat, decimal};
            host.report_error(&concat(&[
                "frame-buffer set-with-copy: ",
                &decimal(pixels.length().into()),
                " bytes for a ",
                &decimal(width.into()),
                "x",
                &decimal(height.into()),
                " surface, which takes ",
                &decimal(expected),
                " (4 bytes per pixel: blue, green, red, unused); frame ignored",
            ]));
            return;
        }
        let mut frames = self.frames.borrow_mut();
        frames.staged = Some((pixels, width, height));
        frames.dirty = true;
        if frames.scheduled {
            return;
        }
        frames.scheduled = true;
        drop(frames);
        let shared = self.frames.clone();
        let present_later = Closure::once_into_js(move || {
            let dirty = {
                let mut frames = shared.borrow_mut();
                frames.scheduled = false;
                frames.dirty
            };
            if dirty {
                present(&shared);
            }
        });
        host.next_frame(present_later.unchecked_ref());
    }
}
