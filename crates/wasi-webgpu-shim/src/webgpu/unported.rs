//! Resources of the rendering and canvas part of the interface. jco links
//! every resource class by name, so they exist from the start; their
//! methods beyond labels arrive with rendering (see the README's coverage
//! list). Calling a method that is not here is a TypeError in the glue.

use wasm_bindgen::prelude::*;

use super::handle::{labelled, resource};

resource!(GpuTexture(web_sys::GpuTexture));
labelled!(GpuTexture);

resource!(GpuTextureView(web_sys::GpuTextureView));
labelled!(GpuTextureView);

resource!(GpuSampler(web_sys::GpuSampler));
labelled!(GpuSampler);

resource!(GpuRenderBundle(web_sys::GpuRenderBundle));
labelled!(GpuRenderBundle);

resource!(GpuRenderBundleEncoder(web_sys::GpuRenderBundleEncoder));
labelled!(GpuRenderBundleEncoder);

resource!(GpuRenderPassEncoder(web_sys::GpuRenderPassEncoder));
labelled!(GpuRenderPassEncoder);

resource!(GpuCanvasContext(web_sys::GpuCanvasContext));
