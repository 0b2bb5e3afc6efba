//! The wasm's allocator: blocks of power-of-two sizes, one free list per
//! size, carved from pages the wasm grows its memory by.
//!
//! Rust's default on wasm32 is dlmalloc, 8 KiB of code (3 KiB gzipped, a
//! tenth of what the shim's own logic takes). The shim's allocations are
//! small and short-lived (strings on their way between JS and the wasm,
//! the vectors of a conversion), so rounding each up to a power of two and
//! reusing freed blocks of the same size costs little memory and no
//! search: a long run reuses the same blocks, and the memory stops growing
//! (`web-tests/robustness.spec.ts` checks that it does).
//!
//! wasm32-unknown-unknown without the atomics feature has one thread, so
//! the lists need no lock.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65536;
/// The smallest block: room for the free list's link, and alignment 16.
const MIN_SHIFT: u32 = 4;
/// Blocks of 2^MIN_SHIFT to 2^31 bytes.
const CLASSES: usize = 32 - MIN_SHIFT as usize;

pub struct Blocks {
    /// The first free block of each size, or null; each free block holds
    /// the address of the next.
    free: UnsafeCell<[*mut u8; CLASSES]>,
}

// One thread (see the module comment).
unsafe impl Sync for Blocks {}

impl Blocks {
    pub const fn new() -> Self {
        Blocks { free: UnsafeCell::new([ptr::null_mut(); CLASSES]) }
    }
}

impl Default for Blocks {
    fn default() -> Self {
        Self::new()
    }
}

/// The size class of `layout`: the power of two at least its size and its
/// alignment, or None beyond 2^31.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
    let shift = usize::BITS - (size - 1).leading_zeros();
    let class = (shift - MIN_SHIFT) as usize;
    (class < CLASSES).then_some(class)
}

/// Pages from the wasm's memory, or null when it cannot grow.
#[cfg(target_arch = "wasm32")]
fn grow(pages: usize) -> *mut u8 {
    let before = core::arch::wasm32::memory_grow(0, pages);
    if before == usize::MAX { ptr::null_mut() } else { (before * PAGE) as *mut u8 }
}

/// Off wasm (the crate's unit tests) the allocator is not installed.
#[cfg(not(target_arch = "wasm32"))]
fn grow(_pages: usize) -> *mut u8 {
    ptr::null_mut()
}

unsafe impl GlobalAlloc for Blocks {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else { return ptr::null_mut() };
        // Blocks of a page or more are page aligned; smaller ones are
        // aligned to their size, as they are carved from a page.
        if layout.align() > PAGE {
            return ptr::null_mut();
        }
        let lists = unsafe { &mut *self.free.get() };
        let head = lists[class];
        if !head.is_null() {
            lists[class] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        let size = 1usize << (class + MIN_SHIFT as usize);
        if size >= PAGE {
            return grow(size / PAGE);
        }
        // A fresh page for this size: the first block is the caller's, the
        // rest go on the list.
        let page = grow(1);
        if page.is_null() {
            return page;
        }
        let mut next = ptr::null_mut();
        let mut offset = PAGE - size;
        while offset >= size {
            let block = unsafe { page.add(offset) };
            unsafe { *(block as *mut *mut u8) = next };
            next = block;
            offset -= size;
        }
        lists[class] = next;
        page
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // `layout` is the one the block was allocated with, so its class is
        // the block's.
        if let Some(class) = class_of(layout) {
            let lists = unsafe { &mut *self.free.get() };
            unsafe { *(block as *mut *mut u8) = lists[class] };
            lists[class] = block;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return ptr::null_mut() };
        // The block already holds the new size: a String or Vec growing
        // within its power of two stays where it is.
        if class_of(new_layout).is_some() && class_of(new_layout) == class_of(layout) {
            return block;
        }
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_round_size_and_alignment_up_to_a_power_of_two() {
        let class = |size, align| class_of(Layout::from_size_align(size, align).unwrap());
        assert_eq!(class(1, 1), Some(0));
        assert_eq!(class(16, 1), Some(0));
        assert_eq!(class(17, 1), Some(1));
        assert_eq!(class(8, 64), Some(2));
        assert_eq!(class(PAGE, 1), Some(12));
        assert_eq!(class(PAGE + 1, 1), Some(13));
        assert_eq!(class(1 << 31, 1), Some(27));
        assert_eq!(class((1 << 31) + 1, 1), None);
    }
}
