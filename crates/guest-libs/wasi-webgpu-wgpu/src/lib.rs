//! A wgpu backend over `wasi:webgpu/webgpu@0.3.0-rc.2`: wgpu programs as
//! WebAssembly components, which run on any host of the interface (the
//! browser host `wasi-webgpu-shim`, the native runtime).
//!
//! A program changes the line that makes its instance and nothing else:
//!
//! ```ignore
//! let instance = wasi_webgpu_wgpu::instance();   // was: wgpu::Instance::default()
//! let adapter = instance.request_adapter(&Default::default()).await?;
//! ```
//!
//! It runs inside the component's async export (wgpu's futures and
//! callbacks complete while the export runs), awaits where native code
//! would `poll(Wait)` (as on wgpu's own WebGPU backend), and draws on a
//! wasi-gfx surface through [`GfxWindow`].
//!
//! # Building
//!
//! For `wasm32-unknown-unknown` (then `npx wasi-webgpu-shim component`, or
//! `jco new`) and for `wasm32-wasip2` (rustc makes the component). Feature
//! `web` turns on wgpu's `web` feature, for programs whose other
//! dependencies need it: egui-wgpu 0.37 does on wasm32. Such a program's
//! core module carries wasm-bindgen's exports and imports, which
//! `wasi-webgpu-shim component` removes. wgpu's
//! `fragile-send-sync-non-atomic-wasm` (in egui-wgpu's default features)
//! is not supported: the backend's objects are not `Send`; use egui-wgpu
//! with `default-features = false`.
//!
//! # What WebGPU cannot express
//!
//! wgpu calls with no `wasi:webgpu` equivalent stop the program with a
//! message naming the gap (`wasi-webgpu-wgpu: ... has no wasi:webgpu
//! equivalent`), as wgpu's WebGPU backend does:
//!
//! | wgpu | why |
//! | --- | --- |
//! | shaders other than WGSL (SPIR-V, GLSL, naga IR, passthrough) | WebGPU takes WGSL |
//! | features without a WebGPU name (`request_device` fails with the list) | WebGPU names 19 of wgpu's features |
//! | texture formats `R64Uint`, `NV12`, `P010`, HDR ASTC; vertex formats `Float64*` | not WebGPU formats |
//! | `AddressMode::ClampToBorder`, sampler border colours | not in WebGPU |
//! | `PolygonMode::Line`/`Point`, conservative rasterization, multiview | not in WebGPU |
//! | binding arrays, atomic storage textures, external textures | not in WebGPU |
//! | ray tracing (BLAS, TLAS), mesh shaders, pipeline statistics | not in WebGPU |
//! | `multi_draw_*_count`; timestamps inside encoders and passes | not in WebGPU |
//! | `CommandEncoder::clear_texture` | not in WebGPU (clear with a render pass) |
//! | `Queue::copy_external_image_to_texture` (wgpu's `web` feature) | no JS image sources in a component |
//!
//! Answered as on the web: `Device::poll` returns at once (await instead),
//! adapter info has no vendor or device ids, pipeline caches hold nothing,
//! presentation is the browser's (`PresentMode::Fifo`).

pub mod bindings {
    //! The WIT bindings the backend calls, for a program that also calls
    //! them directly (a wasi-gfx surface for [`GfxWindow`](crate::GfxWindow)).
    wit_bindgen::generate!({
        world: "wasi-webgpu:wgpu-backend/backend",
        path: [
            "../../../wit/deps/wasi-webgpu-0.3.0-rc.2",
            "../../../wit/deps/wasi-gfx-frame-buffer-0.2.0",
            "../../../wit/deps/wasi-gfx-surface-0.2.0",
            "wit/world.wit",
        ],
        generate_all,
    });
}

mod command;
mod convert;
mod device;
mod instance;
mod pipeline;
mod resource;
mod surface;
mod task;

pub use surface::GfxWindow;

/// A wgpu instance whose adapters, devices and surfaces are the
/// `wasi:webgpu` host's.
pub fn instance() -> wgpu::Instance {
    use wgpu::custom::InstanceInterface;
    wgpu::Instance::from_custom(instance::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle()))
}
