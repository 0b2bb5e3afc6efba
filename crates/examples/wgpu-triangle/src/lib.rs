//! Example: a wgpu render loop (program.rs) on a wasi-gfx surface, built
//! as a component (`--features component`, the default), and the same
//! program on wgpu's own WebGPU backend drawing on a canvas
//! (`--features web`), which the tests compare it with.

pub mod program;

#[cfg(feature = "component")]
mod component {
    use std::rc::Rc;

    use wasi_webgpu_wgpu::bindings::wasi_gfx::surface::surface as gfx;

    wit_bindgen::generate!({ world: "example:wgpu-triangle/wgpu-triangle", path: "wit" });

    struct Component;

    impl Guest for Component {
        async fn start() {
            if let Err(e) = run().await {
                print(&format!("error: {e}"));
            }
        }
    }

    async fn run() -> Result<(), String> {
        let surface = Rc::new(gfx::Surface::new(gfx::CreateDesc { height: Some(240), width: Some(320) }));
        let instance = wasi_webgpu_wgpu::instance();
        // The only lines that differ from a native or web wgpu program: the
        // instance above, and a wasi-gfx surface as the window.
        let target = instance.create_surface(wasi_webgpu_wgpu::GfxWindow::shared(surface.clone())).map_err(|e| e.to_string())?;
        let mut frames = surface.on_frame();
        let triangle = crate::program::Triangle::new(&instance, target, surface.width(), surface.height()).await?;
        let mut drawn = 0u32;
        while frames.next().await.is_some() {
            triangle.draw()?;
            drawn += 1;
            if drawn <= 3 {
                print(&format!("drawn frame {drawn}"));
            }
        }
        Ok(())
    }

    export!(Component);
}

#[cfg(feature = "web")]
mod web {
    use wasm_bindgen::prelude::*;

    /// Draws `count` frames on `canvas`, one per animation frame.
    #[wasm_bindgen]
    pub async fn frames(canvas: web_sys::HtmlCanvasElement, count: u32) -> Result<u32, String> {
        let instance = wgpu::Instance::default();
        let (width, height) = (canvas.width(), canvas.height());
        let target = instance.create_surface(wgpu::SurfaceTarget::Canvas(canvas)).map_err(|e| e.to_string())?;
        let triangle = crate::program::Triangle::new(&instance, target, width, height).await?;
        for _ in 0..count {
            next_frame().await;
            triangle.draw()?;
        }
        Ok(count)
    }

    async fn next_frame() {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.request_animation_frame(&resolve);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    }
}
