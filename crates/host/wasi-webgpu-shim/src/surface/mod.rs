//! The `wasi-gfx:surface@0.2.0` interfaces (`surface`, `surface-webgpu`,
//! `surface-frame-buffer`) and `wasi-gfx:frame-buffer@0.2.0`, on a canvas.
//! `host.js` is the DOM side (which canvas, its size, the event streams);
//! `wit.rs` is generated from the WIT.

mod frame_buffer;
mod host;
#[allow(clippy::module_inception)]
mod surface;
mod webgpu_context;
pub mod wit;
