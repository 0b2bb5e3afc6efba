//! `gpu-buffer`: mapping, and copies between mapped ranges and the guest.

use std::cell::{Cell, RefCell};

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{flags_object, size64, size64_out};
use super::error::{self, Kind};
use super::wit;

#[wasm_bindgen]
pub struct GpuBuffer {
    pub(crate) inner: web_sys::GpuBuffer,
    /// Ranges already taken with `getMappedRange` since the last map. WebGPU
    /// refuses a second `getMappedRange` over the same bytes; the WIT's
    /// with-copy calls may read or write a range many times, so a repeat
    /// request inside a range we hold is served from it.
    mapped_ranges: RefCell<Vec<MappedRange>>,
    /// `[offset, offset + size)` of the last `map-async`; none after
    /// `unmap` (a buffer mapped at creation is mapped whole).
    map_range: Cell<Option<(u64, u64)>>,
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
        super::handle::wrap(GpuBuffer { inner, mapped_ranges: RefCell::default(), map_range: Cell::default() }, &gpu_object)
    }

    /// A view of `[offset, offset + size)` of the mapped buffer, as
    /// `getMappedRange` gives it, or the WIT error for why not.
    ///
    /// Native wgpu hands out any range of a mapping as often as asked, and
    /// the WIT's with-copy calls may read or write a range many times, but
    /// WebGPU refuses a `getMappedRange` that overlaps one already taken.
    /// So the first request takes the whole mapped range (when the request
    /// lies inside it and is aligned) and every request is served from the
    /// ranges held. A request WebGPU's rules reject (misaligned, outside the
    /// mapping, not mapped) still goes to the browser and gets its error.
    fn mapped_view(&self, offset: Option<u64>, size: Option<u64>) -> Result<Uint8Array, JsValue> {
        let start = offset.unwrap_or(0);
        let buffer_size = size64_out(self.inner.size());
        let length = size.unwrap_or_else(|| buffer_size.saturating_sub(start));
        // Held ranges are dropped at unmap and read as detached (length 0)
        // when the browser unmaps them itself, so no map-state call is needed;
        // taking the whole mapping of a buffer that is not mapped just fails.
        if start.is_multiple_of(MAP_OFFSET_ALIGNMENT) && length.is_multiple_of(MAP_SIZE_ALIGNMENT) {
            if self.mapped_ranges.borrow().is_empty() {
                self.take_whole_mapping(start, length, buffer_size);
            }
            if let Some(view) = self.held_view(start, length) {
                return Ok(view);
            }
        }
        match self.inner.get_mapped_range_with_f64_and_f64(size64(start), size64(length)) {
            Ok(bytes) => {
                let view = Uint8Array::new(&bytes);
                self.mapped_ranges.borrow_mut().push(MappedRange { offset: start, bytes });
                Ok(view)
            }
            Err(exception) => Err(error::from_exception(error::GET_MAPPED_RANGE, &exception)),
        }
    }

    /// Takes the whole mapping (what `map-async` asked for, or the whole
    /// buffer when mapped at creation) if `[start, start + length)` is in it.
    fn take_whole_mapping(&self, start: u64, length: u64, buffer_size: u64) {
        let (map_offset, map_size) = self.map_range.get().unwrap_or((0, buffer_size));
        let inside = start >= map_offset && start.checked_add(length).is_some_and(|end| end <= map_offset + map_size);
        if !inside || !map_offset.is_multiple_of(MAP_OFFSET_ALIGNMENT) || !map_size.is_multiple_of(MAP_SIZE_ALIGNMENT) {
            return;
        }
        if let Ok(bytes) = self.inner.get_mapped_range_with_f64_and_f64(size64(map_offset), size64(map_size)) {
            self.mapped_ranges.borrow_mut().push(MappedRange { offset: map_offset, bytes });
        }
    }

    /// `[start, start + length)` from a range already held, if one covers it.
    fn held_view(&self, start: u64, length: u64) -> Option<Uint8Array> {
        self.mapped_ranges.borrow().iter().find_map(|range| {
            let held_length = range.bytes.byte_length() as u64;
            // A detached buffer (byte length 0) was unmapped under us.
            let inside = held_length > 0
                && start >= range.offset
                && start.checked_add(length).is_some_and(|end| end <= range.offset + held_length);
            inside.then(|| {
                let at = (start - range.offset) as u32;
                Uint8Array::new_with_byte_offset_and_length(&range.bytes, at, length as u32)
            })
        })
    }
}


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
        let map_offset = offset.unwrap_or(0);
        let map_size = size.unwrap_or_else(|| size64_out(self.inner.size()).saturating_sub(map_offset));
        self.map_range.set(Some((map_offset, map_size)));
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
            use crate::text::{concat, decimal};
            let message = concat(&[
                "data of ",
                &decimal(data.length().into()),
                " bytes does not fit the mapped range of ",
                &decimal(view.length().into()),
                " bytes",
            ]);
            return Err(error::own(Kind::RangeError, &message));
        }
        view.set(&data, 0);
        Ok(())
    }

    /// WebGPU's unmap does not fail: unmapping an unmapped buffer does
    /// nothing, and a pending map-async is the call that gets abort-error.
    pub fn unmap(&self) -> Result<(), JsValue> {
        self.mapped_ranges.borrow_mut().clear();
        self.map_range.set(None);
        self.inner.unmap();
        Ok(())
    }

    pub fn destroy(&self) {
        self.mapped_ranges.borrow_mut().clear();
        self.map_range.set(None);
        self.inner.destroy()
    }
}
