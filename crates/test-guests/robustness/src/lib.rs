//! Guest for the robustness tests: drives `wasi:webgpu` the way buggy or
//! hostile guests do, through jco's real glue. The web tests assert that
//! the host answers every call as the WIT says and never traps.

wit_bindgen::generate!({
    world: "example:robustness/robustness",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use wasi::webgpu::webgpu as gpu;

mod fuzz;
mod lifetime;
mod util;

struct Component;

impl Guest for Component {
    async fn fuzz(seed: u64, calls: u32) -> FuzzReport {
        fuzz::run(seed, calls).await
    }

    async fn churn(iterations: u32) -> Result<u32, String> {
        lifetime::churn(iterations).await
    }

    async fn concurrent_maps(count: u32, spin: u32) -> Result<(u32, Vec<u32>, Vec<u32>), String> {
        lifetime::concurrent_maps(count, spin).await
    }

    async fn drop_pending(count: u32, spin: u32) -> String {
        lifetime::drop_pending(count, spin).await
    }

    async fn drop_in_flight() -> Result<Vec<u8>, String> {
        lifetime::drop_in_flight().await
    }

    async fn scopes() -> Vec<(String, String)> {
        lifetime::scopes().await
    }

    async fn hold_buffer(size: u64) -> Result<u32, String> {
        lifetime::hold_buffer(size).await
    }

    fn probe_handle(handle: u32) -> u64 {
        lifetime::probe_handle(handle)
    }
}

export!(Component);
