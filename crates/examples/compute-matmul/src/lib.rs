//! Example guest: a matrix product on the GPU through `wasi:webgpu`, with a
//! pipeline-overridable constant and an indirect dispatch. `checks.rs` also
//! holds the error-path and conversion checks `web-tests/compute.spec.ts` and
//! `conversions.spec.ts` run through the full stack. Built for
//! wasm32-unknown-unknown and componentized with `jco new`.

#[cfg(not(feature = "webgpu-0-2"))]
wit_bindgen::generate!({
    world: "example:compute/compute",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

// The same guest against the interface's other published name; scripts/
// build.mjs derives that package from the vendored one.
#[cfg(feature = "webgpu-0-2")]
wit_bindgen::generate!({
    world: "example:compute/compute",
    path: ["../../../target/wit-derived/wasi-webgpu-0.2.0-rc.2", "wit-0.2/world.wit"],
    generate_all,
});

use wasi::webgpu::webgpu as gpu;

mod checks;
mod matmul;

struct Component;

impl Guest for Component {
    async fn matmul(m: u32, k: u32, n: u32, a: Vec<f32>, b: Vec<f32>, scale: f32, indirect: bool) -> Result<Vec<f32>, String> {
        matmul::run(m, k, n, &a, &b, scale, indirect).await
    }

    async fn error_paths() -> Vec<(String, String, String)> {
        checks::error_paths().await
    }

    async fn conversions() -> Vec<(String, String)> {
        checks::conversions().await
    }
}

export!(Component);

/// An adapter and a device, or why not.
async fn device(descriptor: Option<gpu::GpuDeviceDescriptor>) -> Result<gpu::GpuDevice, String> {
    let adapter = gpu::get_gpu()
        .request_adapter(None)
        .await
        .ok_or_else(|| "no WebGPU adapter".to_string())?;
    adapter
        .request_device(descriptor)
        .await
        .map_err(|e| format!("request-device failed: {}", e.message))
}
