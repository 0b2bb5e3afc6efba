//! Bench guest: the frame loop's frame in wgpu (program.rs), as a component
//! drawing on a wasi-gfx surface and on wgpu's own WebGPU backend drawing
//! on a canvas. `npm run bench` times both in each browser (wgpu-frame).

pub mod program;

#[cfg(feature = "component")]
mod component {
    use std::rc::Rc;

    use wasi_webgpu_wgpu::bindings::wasi_gfx::surface::surface as gfx;

    wit_bindgen::generate!({ world: "example:wgpu-frame/wgpu-frame", path: "wit" });

    struct Component;

    impl Guest for Component {
        async fn frames(count: u32, draws: u32) -> Result<Vec<f64>, String> {
            let surface = Rc::new(gfx::Surface::new(gfx::CreateDesc { height: Some(240), width: Some(320) }));
            let instance = wasi_webgpu_wgpu::instance();
            let target = instance.create_surface(wasi_webgpu_wgpu::GfxWindow::shared(surface.clone())).map_err(|e| e.to_string())?;
            let frame = crate::program::Frame::new(&instance, target, surface.width(), surface.height()).await?;
            let mut events = surface.on_frame();
            let mut times = Vec::with_capacity(count as usize);
            while times.len() < count as usize && events.next().await.is_some() {
                let start = now();
                frame.draw(draws)?;
                times.push(now() - start);
            }
            Ok(times)
        }
    }

    export!(Component);
}

#[cfg(feature = "web")]
mod web {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub async fn frames(canvas: web_sys::HtmlCanvasElement, count: u32, draws: u32) -> Result<Vec<f64>, String> {
        let window = web_sys::window().ok_or("no window")?;
        let performance = window.performance().ok_or("no performance")?;
        let instance = wgpu::Instance::default();
        let (width, height) = (canvas.width(), canvas.height());
        let target = instance.create_surface(wgpu::SurfaceTarget::Canvas(canvas)).map_err(|e| e.to_string())?;
        let frame = crate::program::Frame::new(&instance, target, width, height).await?;
        let mut times = Vec::with_capacity(count as usize);
        while times.len() < count as usize {
            let next = js_sys::Promise::new(&mut |resolve, _| {
                let _ = window.request_animation_frame(&resolve);
            });
            let _ = wasm_bindgen_futures::JsFuture::from(next).await;
            let start = performance.now();
            frame.draw(draws)?;
            times.push(performance.now() - start);
        }
        Ok(times)
    }
}
