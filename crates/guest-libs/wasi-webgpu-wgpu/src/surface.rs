//! `wgpu::Surface` on a wasi-gfx surface (a canvas, in the browser host).
//!
//! wgpu makes surfaces from window handles. [`GfxWindow`] is a window
//! handle for a `wasi-gfx:surface/surface` resource: a program makes its
//! surface with `instance.create_surface(GfxWindow::new(surface))` and draws
//! on it as on any window, its frames and input coming from the surface's
//! streams (`on-frame`, `on-resize`, pointer and key events).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::rc::Rc;

use raw_window_handle::{DisplayHandle, HandleError, HasDisplayHandle, HasWindowHandle, RawWindowHandle, WebWindowHandle, WindowHandle};
use wgpu::custom::*;
use wgpu::wgt;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::bindings::wasi_gfx::surface::surface as gfx;
use crate::bindings::wasi_gfx::surface::surface_webgpu as gfx_webgpu;
use crate::convert::*;
use crate::resource::{ours, Texture};

thread_local! {
    /// The surfaces behind live `GfxWindow`s, by the id their handles carry.
    static WINDOWS: RefCell<HashMap<u32, Rc<gfx::Surface>>> = RefCell::default();
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// A window handle for a wasi-gfx surface, for `Instance::create_surface`.
/// Keep it (or let the `wgpu::Surface` keep it) while the surface is in use.
#[derive(Debug)]
pub struct GfxWindow {
    id: NonZeroU32,
    surface: Rc<gfx::Surface>,
}

impl GfxWindow {
    pub fn new(surface: gfx::Surface) -> Self {
        Self::shared(Rc::new(surface))
    }

    /// The same, for a surface the program also reads events from.
    pub fn shared(surface: Rc<gfx::Surface>) -> Self {
        let id = NEXT_ID.with(|next| {
            let id = next.get();
            next.set(id.wrapping_add(1).max(1));
            id
        });
        WINDOWS.with(|windows| windows.borrow_mut().insert(id, surface.clone()));
        GfxWindow { id: NonZeroU32::new(id).unwrap_or(NonZeroU32::MIN), surface }
    }

    pub fn surface(&self) -> &Rc<gfx::Surface> {
        &self.surface
    }
}

impl Drop for GfxWindow {
    fn drop(&mut self) {
        WINDOWS.with(|windows| windows.borrow_mut().remove(&self.id.get()));
    }
}

impl HasWindowHandle for GfxWindow {
    fn window_handle(&self) -> Result<WindowHandle<'_>, HandleError> {
        let raw = RawWindowHandle::Web(WebWindowHandle::new(self.id.get()));
        // SAFETY: the id stays registered while `self` lives.
        Ok(unsafe { WindowHandle::borrow_raw(raw) })
    }
}

impl HasDisplayHandle for GfxWindow {
    fn display_handle(&self) -> Result<DisplayHandle<'_>, HandleError> {
        Ok(DisplayHandle::web())
    }
}

/// The surface a window handle names, where it is a `GfxWindow`'s.
pub fn surface_of(handle: RawWindowHandle) -> Option<Rc<gfx::Surface>> {
    let RawWindowHandle::Web(web) = handle else { return None };
    WINDOWS.with(|windows| windows.borrow().get(&web.id).cloned())
}

#[derive(Debug)]
pub struct Surface {
    surface: Rc<gfx::Surface>,
    context: Rc<gfx_webgpu::Context>,
    gpu: Rc<w::Gpu>,
    /// The size wgpu configured, which its textures are described with.
    configured: Cell<Option<(u32, u32)>>,
}

impl Surface {
    pub fn new(surface: Rc<gfx::Surface>, gpu: Rc<w::Gpu>) -> Self {
        let context = Rc::new(gfx_webgpu::Context::new(&surface));
        Surface { surface, context, gpu, configured: Cell::new(None) }
    }
}

impl SurfaceInterface for Surface {
    fn get_capabilities(&self, _adapter: &DispatchAdapter) -> wgt::SurfaceCapabilities {
        let preferred = unmap_canvas_format(self.gpu.get_preferred_canvas_format());
        let other = match preferred {
            wgt::TextureFormat::Bgra8Unorm => wgt::TextureFormat::Rgba8Unorm,
            _ => wgt::TextureFormat::Bgra8Unorm,
        };
        // What a WebGPU canvas takes: these formats, their sRGB views, and
        // rgba16float (extended range).
        let formats = vec![preferred, other, wgt::TextureFormat::Rgba16Float];
        let format_capabilities = formats
            .iter()
            .map(|&format| wgt::SurfaceFormatCapabilities {
                format,
                color_spaces: wgt::SurfaceColorSpaces::SRGB | wgt::SurfaceColorSpaces::DISPLAY_P3,
            })
            .collect();
        wgt::SurfaceCapabilities {
            formats,
            format_capabilities,
            present_modes: vec![wgt::PresentMode::Fifo],
            alpha_modes: vec![wgt::CompositeAlphaMode::Opaque, wgt::CompositeAlphaMode::PreMultiplied],
            usages: wgt::TextureUsages::RENDER_ATTACHMENT
                | wgt::TextureUsages::COPY_SRC
                | wgt::TextureUsages::COPY_DST
                | wgt::TextureUsages::TEXTURE_BINDING,
        }
    }

    fn configure(&self, device: &DispatchDevice, config: &wgpu::SurfaceConfiguration) {
        let device = ours(device.as_custom::<crate::device::Device>());
        // A canvas presents in the browser's rhythm, whatever mode is asked
        // for, and blends only opaquely or premultiplied (wgpu's WebGPU
        // backend does the same).
        let alpha_mode = match config.alpha_mode {
            wgt::CompositeAlphaMode::PreMultiplied => w::GpuCanvasAlphaMode::Premultiplied,
            _ => w::GpuCanvasAlphaMode::Opaque,
        };
        let color_space = match config.color_space {
            wgt::SurfaceColorSpace::DisplayP3 => w::PredefinedColorSpace::DisplayP3,
            _ => w::PredefinedColorSpace::Srgb,
        };
        let tone_mapping = matches!(config.color_space, wgt::SurfaceColorSpace::ExtendedSrgbLinear)
            .then_some(w::GpuCanvasToneMapping { mode: Some(w::GpuCanvasToneMappingMode::Extended) });
        // As on wgpu's WebGPU backend, configuring sizes the canvas.
        if (self.surface.width(), self.surface.height()) != (config.width, config.height) {
            self.surface.request_set_size(Some(config.height), Some(config.width));
        }
        self.context.configure(&gfx_webgpu::ContextConfiguration {
            device: &device.inner,
            format: map_texture_format(config.format),
            usage: Some(map_texture_usages(config.usage)),
            view_formats: Some(config.view_formats.iter().copied().map(map_texture_format).collect()),
            color_space: Some(color_space),
            tone_mapping,
            alpha_mode: Some(alpha_mode),
        });
        self.configured.set(Some((config.width, config.height)));
    }

    fn get_current_texture(&self) -> (Option<DispatchTexture>, wgt::SurfaceStatus, DispatchSurfaceOutputDetail) {
        let texture = self.context.get_current_texture();
        // The canvas may have been resized since: the texture then has
        // another size than wgpu describes it with, which the program
        // should hear of.
        let status = match self.configured.get() {
            Some(size) if size == (texture.width(), texture.height()) => wgt::SurfaceStatus::Good,
            _ => wgt::SurfaceStatus::Suboptimal,
        };
        let detail = DispatchSurfaceOutputDetail::custom(SurfaceOutputDetail { context: self.context.clone() });
        (Some(DispatchTexture::custom(Texture { inner: texture })), status, detail)
    }
}

#[derive(Debug)]
pub struct SurfaceOutputDetail {
    context: Rc<gfx_webgpu::Context>,
}

impl SurfaceOutputDetail {
    pub fn present(&self) {
        self.context.present();
    }
}

impl SurfaceOutputDetailInterface for SurfaceOutputDetail {
    fn texture_discard(&self) {}

    fn texture_release(&self) {}
}
