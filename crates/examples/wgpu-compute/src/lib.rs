//! Example: a compute program written against wgpu's API (program.rs),
//! built two ways from the same source:
//! - as a wasi:webgpu component (`--features component`, the default):
//!   the instance is `wasi_webgpu_wgpu::instance()`;
//! - on wgpu's own WebGPU backend through wasm-bindgen (`--features web`):
//!   the instance is `wgpu::Instance::default()`.
//! The tests run both in the same browser and compare their outputs.

pub mod program;

#[cfg(feature = "component")]
mod component {
    wit_bindgen::generate!({ world: "example:wgpu-compute/wgpu-compute", path: "wit" });

    struct Component;

    impl Guest for Component {
        async fn run(numbers: Vec<u32>) -> Result<(Vec<u32>, Vec<f32>), String> {
            crate::program::run(&wasi_webgpu_wgpu::instance(), &numbers).await
        }

        async fn misuse() -> Vec<String> {
            crate::program::misuse(&wasi_webgpu_wgpu::instance()).await
        }
    }

    export!(Component);
}

#[cfg(feature = "web")]
mod web {
    use wasm_bindgen::prelude::*;

    /// `[steps, squares]`, as the component's `run` returns them.
    #[wasm_bindgen]
    pub async fn run(numbers: Vec<u32>) -> Result<js_sys_free::Pair, String> {
        let (steps, squares) = crate::program::run(&wgpu::Instance::default(), &numbers).await?;
        Ok(js_sys_free::Pair { steps, squares })
    }

    #[wasm_bindgen]
    pub async fn misuse() -> Vec<String> {
        crate::program::misuse(&wgpu::Instance::default()).await
    }

    /// Plain data out without js-sys.
    pub mod js_sys_free {
        use wasm_bindgen::prelude::*;

        #[wasm_bindgen(getter_with_clone)]
        pub struct Pair {
            pub steps: Vec<u32>,
            pub squares: Vec<f32>,
        }
    }
}
