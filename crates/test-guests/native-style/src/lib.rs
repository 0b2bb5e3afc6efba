//! Test guest in the native runtime's style. Guests written for
//! wasi-gfx-runtime (wasmtime + wgpu) pass descriptors that wgpu-core
//! accepts and the WebGPU spec rejects; each case here is one such
//! descriptor, named as in docs/native-guests.md. `render-case` draws a
//! depth-tested scene offscreen and returns its pixels, so a test can check
//! that the browser drew what native wgpu draws; `check-case` covers the
//! cases that draw nothing; `start` is the same scene on a surface.

wit_bindgen::generate!({
    world: "example:native-style/native-style",
    path: [
        "../../../wit/deps/wasi-webgpu-0.3.0-rc.2",
        "../../../wit/deps/wasi-gfx-frame-buffer-0.2.0",
        "../../../wit/deps/wasi-gfx-surface-0.2.0",
        "wit/world.wit",
    ],
    generate_all,
});

mod cases;
mod scene;

use wasi::webgpu::webgpu as gpu;

struct Component;

impl Guest for Component {
    async fn start() {
        if let Err(e) = scene::on_surface().await {
            print(&format!("error: {e}"));
        }
    }

    async fn render_case(name: String) -> Result<Vec<u8>, String> {
        let case = cases::render_case(&name).ok_or_else(|| format!("no render case `{name}`"))?;
        scene::offscreen(&case).await
    }

    async fn check_case(name: String) -> Result<String, String> {
        cases::check_case(&name).await
    }
}

export!(Component);

/// Pops the validation scope: `Err("validation: <message>")` if it caught one.
async fn pop_validation(device: &gpu::GpuDevice) -> Result<(), String> {
    match device.pop_error_scope().await {
        Ok(None) => Ok(()),
        Ok(Some(error)) => Err(format!("{}: {}", guest_support::kind_name(error.kind()), error.message())),
        Err(e) => Err(format!("pop-error-scope: {}", e.message)),
    }
}
