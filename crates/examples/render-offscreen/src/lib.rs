//! Example guest: renders offscreen through `wasi:webgpu` (an indexed,
//! textured, depth-tested mesh with 4x MSAA resolve, in `scene.rs`), and in
//! `checks.rs` calls the rest of the interface with results
//! `web-tests/api.spec.ts` asserts. Built for wasm32-unknown-unknown and
//! componentized with `jco new`.

wit_bindgen::generate!({
    world: "example:render/render",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use wasi::webgpu::webgpu as gpu;

mod checks;
mod scene;
mod util;

struct Component;

impl Guest for Component {
    async fn render_scene(size: u32, vertices: Vec<f32>, indices: Vec<u16>, texels: Vec<u8>, texture_size: u32) -> Result<Vec<u8>, String> {
        scene::render(size, &vertices, &indices, &texels, texture_size).await
    }

    async fn api_checks() -> Vec<(String, String)> {
        checks::run().await
    }
}

export!(Component);
