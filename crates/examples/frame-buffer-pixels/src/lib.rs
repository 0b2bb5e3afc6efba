//! Example guest: software rendering into a wasi-gfx frame buffer, using
//! nothing but the WIT. Pixels are 4 bytes, blue, green, red and one unused
//! byte, as the native runtime takes them.

wit_bindgen::generate!({
    world: "example:frame-buffer/frame-buffer-demo",
    path: [
        "../../../wit/deps/wasi-webgpu-0.3.0-rc.2",
        "../../../wit/deps/wasi-gfx-frame-buffer-0.2.0",
        "../../../wit/deps/wasi-gfx-surface-0.2.0",
        "wit/world.wit",
    ],
    generate_all,
});

use std::cell::Cell;
use std::rc::Rc;

use guest_support::{join_in_completion_order, Boxed};
use wasi_gfx::surface::surface::{CreateDesc, Surface};
use wasi_gfx::surface::surface_frame_buffer::Context;

/// Written into the unused byte: it must come back from `get-with-copy`
/// but never show on the canvas.
const UNUSED_BYTE: u8 = 0x5a;

struct Component;

impl Guest for Component {
    async fn start() {
        let surface = Surface::new(CreateDesc { height: Some(48), width: Some(64) });
        let context = Context::new(&surface);
        print(&format!("started {}x{}", surface.width(), surface.height()));
        let presses = Rc::new(Cell::new(0u32));
        let tasks: Vec<Boxed<'_, ()>> =
            vec![Box::pin(frames(&surface, &context, presses.clone())), Box::pin(pointer(&surface, presses))];
        join_in_completion_order(tasks).await;
    }
}

export!(Component);

/// Blue follows x, green follows y, red counts pointer presses.
fn pattern(width: u32, height: u32, presses: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            pixels.extend_from_slice(&[(x * 4) as u8, (y * 4) as u8, (presses * 64) as u8, UNUSED_BYTE]);
        }
    }
    pixels
}

async fn frames(surface: &Surface, context: &Context, presses: Rc<Cell<u32>>) {
    let mut frames = surface.on_frame();
    let mut count = 0u32;
    let mut reported = String::new();
    let mut tried_wrong_length = false;
    while frames.next().await.is_some() {
        count += 1;
        let (width, height) = (surface.width(), surface.height());
        let pixels = pattern(width, height, presses.get());
        let buffer = context.get_current_buffer();
        buffer.set_with_copy(&pixels);
        let roundtrip = if buffer.get_with_copy() == pixels { "exact" } else { "differs" };
        context.present();
        if !tried_wrong_length {
            tried_wrong_length = true;
            // One byte short: refused, and the frame before stays.
            buffer.set_with_copy(&pixels[1..]);
            let kept = buffer.get_with_copy() == pixels;
            print(&format!("wrong-length set: previous frame kept={kept}"));
        }
        let now = format!("size={width}x{height} presses={} roundtrip={roundtrip}", presses.get());
        if now != reported {
            print(&format!("drawn frame={count} {now}"));
            reported = now;
        }
    }
}

async fn pointer(surface: &Surface, presses: Rc<Cell<u32>>) {
    let mut downs = surface.on_pointer_down();
    while downs.next().await.is_some() {
        presses.set(presses.get() + 1);
    }
}
