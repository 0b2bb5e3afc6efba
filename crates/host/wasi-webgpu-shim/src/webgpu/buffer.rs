//! `gpu-buffer`: mapping, and copies between mapped ranges and the guest.

use std::cell::RefCell;

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{flags_object, size64, size64_out};
use super::error::{self, Kind};
use super::handle::labelled;
use super::wit;

#[wasm_bindgen]
pub struct GpuBuffer {
    pub(crate) inner: web_sys::GpuBuffer,
    /// Ranges already taken with `getMappedRange` since the last map. WebGPU
    /// refuses a second `getMappedRange` over the same bytes; the WIT's
    /// with-copy calls may read or write a range many times, so a repeat
    /// request inside a range we hold is served from it.
    mapped_ranges: RefCell<Vec<MappedRange>>,
}

/// WebGPU's `getMappedRange` alignment: offsets of 8 bytes, sizes of 4.
const MAP_OFFSET_ALIGNMENT: u64 = 8;
const MAP_SIZE_ALIGNMENT: u64 = 4;

struct MappedRange {
    offset: u64,
    bytes: ArrayBuffer,
}

impl GpuBuffer {
    pub(crate) fn wrap(inner: web_sys::GpuBuffer) -> JsValue {
        let gpu_object = JsValue::from(inner.clone());
        super::handle::wrap(GpuBuffer { inner, mapped_ranges: RefCell::default() }, &gpu_object)
    }

    /// A view of `[offset, offset + size)` of the mapped buffer, as
    /// `getMappedRange` gives it, or the WIT error for why not.
    fn mapped_view(&self, offset: Option<u64>, size: Option<u64>) -> Result<Uint8Array, JsValue> {
        let start = offset.unwrap_or(0);
        let buffer_size = size64_out(self.inner.size());
        let length = size.unwrap_or_else(|| buffer_size.saturating_sub(start));
        match self.inner.get_mapped_range_with_f64_and_f64(size64(start), size64(length)) {
            Ok(bytes) => {
                let view = Uint8Array::new(&bytes);
                self.mapped_ranges.borrow_mut().push(MappedRange { offset: start, bytes });
                Ok(view)
            }
            Err(exception) => {
                // Only the overlap refusal is ours to paper over: a request
                // WebGPU's alignment rule rejects stays rejected, exactly as
                // it is on a fresh mapping.
                if start % MAP_OFFSET_ALIGNMENT != 0 || length % MAP_SIZE_ALIGNMENT != 0 {
                    return Err(error::from_exception(error::GET_MAPPED_RANGE, &exception));
                }
                let held = self.mapped_ranges.borrow().iter().find_map(|range| {
                    let held_length = range.bytes.byte_length() as u64;
                    // A detached buffer (byte length 0) was unmapped under us.
                    let inside = held_length > 0
                        && start >= range.offset
                        && start.checked_add(length).is_some_and(|end| end <= range.offset + held_length);
                    inside.then(|| {
                        let at = (start - range.offset) as u32;
                        Uint8Array::new_with_byte_offset_and_length(&range.bytes, at, length as u32)
                    })
                });
                match held {
                    Some(view) if self.inner.map_state() == web_sys::GpuBufferMapState::Mapped => Ok(view),
                    _ => Err(error::from_exception(error::GET_MAPPED_RANGE, &exception)),
                }
            }
        }
    }
}

labelled!(GpuBuffer);

#[wasm_bindgen]
impl GpuBuffer {
    pub fn size(&self) -> u64 {
        size64_out(self.inner.size())
    }

    #[wasm_bindgen(unchecked_return_type = "GpuBufferUsage")]
    pub fn usage(&self) -> JsValue {
        flags_object(wit::GpuBufferUsage::FLAGS, self.inner.usage())
    }

    #[wasm_bindgen(js_name = mapState, unchecked_return_type = "GpuBufferMapState")]
    pub fn map_state(&self) -> wit::GpuBufferMapState {
        wit::GpuBufferMapState::from_web(self.inner.map_state()).unwrap_or(wit::GpuBufferMapState::Unmapped)
    }

    /// Rejects with `map-async-error`: operation-error for a buffer that
    /// cannot be mapped this way (wrong usage, destroyed, already mapping,
    /// a bad range), abort-error when unmapped or destroyed before it
    /// resolves.
    #[wasm_bindgen(js_name = mapAsync)]
    pub fn map_async(&self, mode: wit::GpuMapMode, offset: Option<u64>, size: Option<u64>) -> Promise {
        let mode = mode.to_bits();
        let pending = match (offset, size) {
            (None, None) => self.inner.map_async(mode),
            (offset, None) => self.inner.map_async_with_f64(mode, size64(offset.unwrap_or(0))),
            (offset, Some(size)) => {
                self.inner.map_async_with_f64_and_f64(mode, size64(offset.unwrap_or(0)), size64(size))
            }
        };
        future_to_promise(async move {
            match JsFuture::from(pending).await {
                Ok(_) => Ok(JsValue::UNDEFINED),
                Err(e) => Err(error::from_exception(error::MAP_ASYNC, &e)),
            }
        })
    }

    /// The bytes of the mapped range, copied into the guest by jco.
    #[wasm_bindgen(js_name = getMappedRangeGetWithCopy)]
    pub fn get_mapped_range_get_with_copy(&self, offset: Option<u64>, size: Option<u64>) -> Result<Uint8Array, JsValue> {
        self.mapped_view(offset, size)
    }

    /// Writes `data` at the start of the mapped range `[offset, offset + size)`.
    /// Data longer than the range is a range-error: nothing is written.
    #[wasm_bindgen(js_name = getMappedRangeSetWithCopy)]
    pub fn get_mapped_range_set_with_copy(
        &self,
        data: Uint8Array,
        offset: Option<u64>,
        size: Option<u64>,
    ) -> Result<(), JsValue> {
        let view = self.mapped_view(offset, size)?;
        if data.length() > view.length() {
            let message = format!(
                "data of {} bytes does not fit the mapped range of {} bytes",
                data.length(),
                view.length()
            );
            return Err(error::own(Kind::RangeError, &message));
        }
        view.set(&data, 0);
        Ok(())
    }

    /// WebGPU's unmap does not fail: unmapping an unmapped buffer does
    /// nothing, and a pending map-async is the call that gets abort-error.
    pub fn unmap(&self) -> Result<(), JsValue> {
        self.mapped_ranges.borrow_mut().clear();
        self.inner.unmap();
        Ok(())
    }

    pub fn destroy(&self) {
        self.mapped_ranges.borrow_mut().clear();
        self.inner.destroy()
    }
}
