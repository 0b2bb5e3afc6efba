//! `gpu-queue`.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::buffer::GpuBuffer;
use super::device::ticking;
use super::convert::native_compat::{self, Fix};
use super::convert::{list, size64};
use super::error;
use super::convert::{map_extent, map_texel_copy_buffer_layout, map_texel_copy_texture_info};
use super::handle::{gpu_object, wrap};
use super::invalid;
use super::wit;

#[wasm_bindgen]
pub struct GpuQueue {
    pub(crate) inner: web_sys::GpuQueue,
    /// The queue's device, where a validation error is raised for a call
    /// the browser throws on but the WIT gives no error result.
    device: web_sys::GpuDevice,
}

impl GpuQueue {
    pub(crate) fn wrap(inner: web_sys::GpuQueue, device: web_sys::GpuDevice) -> JsValue {
        let gpu_object = JsValue::from(inner.clone());
        wrap(GpuQueue { inner, device }, &gpu_object)
    }
}


#[wasm_bindgen]
impl GpuQueue {
    /// `list<borrow<gpu-command-buffer>>` arrives as an array of wrappers.
    pub fn submit(&self, command_buffers: JsValue) {
        let buffers: Vec<web_sys::GpuCommandBuffer> = list(&command_buffers).iter().map(|b| gpu_object(&b)).collect();
        self.inner.submit(&buffers)
    }

    #[wasm_bindgen(js_name = onSubmittedWorkDone)]
    pub fn on_submitted_work_done(&self) -> Promise {
        let done = ticking(&self.device, self.inner.on_submitted_work_done());
        future_to_promise(async move {
            // Only a lost device rejects this; the WIT has no error for it,
            // and the work is as done as it will ever be.
            let _ = JsFuture::from(done).await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `data` stays a JS Uint8Array (no copy into the shim); WebGPU copies it
    /// once. Errs with operation-error for a data range outside `data` or a
    /// size that is not a multiple of 4.
    #[wasm_bindgen(js_name = writeBufferWithCopy)]
    pub fn write_buffer_with_copy(
        &self,
        buffer: &GpuBuffer,
        buffer_offset: u64,
        data: Uint8Array,
        data_offset: Option<u64>,
        size: Option<u64>,
    ) -> Result<(), JsValue> {
        let data_offset = data_offset.unwrap_or(0);
        // Native wgpu returns before validating a write of no bytes; the
        // browser's own content-timeline checks (data-offset past the data)
        // still run below for anything else.
        // The data's length is read only where it decides (one JS call).
        let empty = match size {
            Some(0) => data_offset <= u64::from(data.length()),
            Some(_) => false,
            None => u64::from(data.length()) == data_offset,
        };
        if empty {
            let usage = buffer.inner.usage();
            let webgpu_rejects = usage & web_sys::gpu_buffer_usage::COPY_DST == 0
                || !buffer_offset.is_multiple_of(4)
                || buffer_offset as f64 > buffer.inner.size();
            if webgpu_rejects {
                native_compat::applied(Fix::EmptyWriteBuffer);
            }
            return Ok(());
        }
        let written = match size {
            Some(size) => self.inner.write_buffer_with_f64_and_u8_array_and_f64_and_f64(
                &buffer.inner,
                size64(buffer_offset),
                &data,
                size64(data_offset),
                size64(size),
            ),
            None => self.inner.write_buffer_with_f64_and_u8_array_and_f64(
                &buffer.inner,
                size64(buffer_offset),
                &data,
                size64(data_offset),
            ),
        };
        written.map_err(|e| error::from_exception(error::WRITE_BUFFER, &e))
    }

    /// `data` stays a JS Uint8Array; WebGPU copies it once. The WIT has no
    /// error result: what the browser throws on becomes a validation error.
    #[wasm_bindgen(js_name = writeTextureWithCopy)]
    pub fn write_texture_with_copy(
        &self,
        destination: wit::GpuTexelCopyTextureInfo,
        data: Uint8Array,
        data_layout: wit::GpuTexelCopyBufferLayout,
        size: wit::GpuExtent3D,
    ) {
        let written = self.inner.write_texture_with_u8_array_and_gpu_extent_3d_dict(
            &map_texel_copy_texture_info(&destination),
            &data,
            &map_texel_copy_buffer_layout(&data_layout),
            &map_extent(&size),
        );
        if let Err(e) = written {
            invalid::report(&self.device, &invalid::message(&e));
        }
    }
}
