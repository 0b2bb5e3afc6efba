//! Example: an interactive egui app, drawn by egui-wgpu (a third-party wgpu
//! renderer) through the wasi-webgpu-wgpu backend on a wasi-gfx surface,
//! with the surface's pointer and key streams as egui's input.
//!
//! `app.rs` is plain egui and egui-wgpu code, as on any platform; this file
//! is the platform: the instance, the surface and the frame loop, and
//! `input.rs` turns the surface's events into egui's.

pub mod app;
mod input;

use std::rc::Rc;

use wasi_webgpu_wgpu::bindings::wasi_gfx::surface::surface as gfx;

wit_bindgen::generate!({ world: "example:wgpu-egui/wgpu-egui", path: "wit" });

struct Component;

impl Guest for Component {
    async fn start() {
        if let Err(e) = run().await {
            print(&format!("error: {e}"));
        }
    }
}

/// Seconds per frame for egui's clock: the surface's frames are the clock
/// (animations and double-click timing only), so the app needs no
/// wasi:clocks import.
const FRAME_SECONDS: f64 = 1.0 / 60.0;

async fn run() -> Result<(), String> {
    let surface = Rc::new(gfx::Surface::new(gfx::CreateDesc {
        height: Some(240),
        width: Some(320),
    }));
    let instance = wasi_webgpu_wgpu::instance();
    let target = instance
        .create_surface(wasi_webgpu_wgpu::GfxWindow::shared(surface.clone()))
        .map_err(|e| e.to_string())?;
    let mut app = app::App::new(&instance, target, surface.width(), surface.height()).await?;

    let input = input::Input::listen(&surface);

    let mut frames = surface.on_frame();
    let mut frame = 0u64;
    while frames.next().await.is_some() {
        // One host call each per frame: the canvas may have been resized.
        let (width, height) = (surface.width(), surface.height());
        let raw_input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(width as f32, height as f32))),
            time: Some(frame as f64 * FRAME_SECONDS),
            predicted_dt: FRAME_SECONDS as f32,
            events: input.borrow_mut().take(),
            focused: true,
            ..Default::default()
        };
        for line in app.frame(raw_input, width, height)? {
            print(&line);
        }
        frame += 1;
        if frame == 1 {
            print("drawn frame 1");
        }
    }
    Ok(())
}

export!(Component);
