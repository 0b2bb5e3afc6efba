//! Example: a textured, depth-tested, instanced scene with 4x MSAA
//! (program.rs), rendered offscreen and read back: built as a component
//! (`--features component`, the default) and on wgpu's own WebGPU backend
//! (`--features web`), which the tests compare it with.

pub mod program;

#[cfg(feature = "component")]
mod component {
    wit_bindgen::generate!({ world: "example:wgpu-scene/wgpu-scene", path: "wit" });

    struct Component;

    impl Guest for Component {
        async fn render(size: u32) -> Result<Vec<u8>, String> {
            crate::program::render(&wasi_webgpu_wgpu::instance(), size).await
        }
    }

    export!(Component);
}

#[cfg(feature = "web")]
mod web {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub async fn render(size: u32) -> Result<Vec<u8>, String> {
        crate::program::render(&wgpu::Instance::default(), size).await
    }
}
