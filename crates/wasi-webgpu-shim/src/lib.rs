//! `wasi:webgpu/webgpu@0.3.0-rc.2` implemented on the browser's `navigator.gpu`,
//! exported with wasm-bindgen in the shape jco's generated glue imports:
//! one class per WIT resource, camelCase methods, records as plain objects.
//!
//! Layout: `webgpu/` is the `webgpu` interface (one file per group of
//! resources), `webgpu/wit.rs` is generated from the WIT, `webgpu/convert.rs`
//! turns WIT records into WebGPU descriptors and `webgpu/error.rs` turns
//! browser exceptions into the WIT's error records.

use wasm_bindgen::prelude::*;

pub mod surface;
pub mod webgpu;

#[wasm_bindgen(start)]
fn start() {
    // A panic would be a shim bug; this makes it readable in the console.
    console_error_panic_hook::set_once();
}
