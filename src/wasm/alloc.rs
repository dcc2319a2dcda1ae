//! The wasm heap: the standard library's allocator (dlmalloc), with memory
//! grown geometrically instead of by what each request lacks.
//!
//! Why: std's dlmalloc grows the wasm memory by the pages a request needs,
//! rounded to 64 KiB, so building a large set grows it thousands of times.
//! V8 counts each grow as new external memory the size of the whole new
//! buffer and answers with a full garbage collection every few grows, so the
//! cost of one growth step rises with the heap and a large compile becomes
//! quadratic. Measured in Node 20 with `SubscriptionSet.compile` of
//! Workfront members (text input; natively the same compile is linear,
//! 69 / 156 / 351 ms for 10,000 / 20,000 / 40,000): 313 ms, 703 ms and
//! 9,105 ms before, of which at 30,000 members 1.9 s in the garbage
//! collector and 0.6 s in `memory.grow` itself (a CPU profile with names).
//! After: see docs/reliability.md ("Every API's worst case").
//!
//! Growing by a quarter of the memory at least (1 MiB at least) makes the
//! number of grows logarithmic in the heap's size and wastes at most a
//! quarter of it; near the 4 GiB ceiling a grow falls back to the exact
//! size, so nothing that fit before fails now.
//!
//! The crate root denies `unsafe_code`; this module allows it for the
//! allocator, which is unsafe by its nature (a `GlobalAlloc` hands out raw
//! memory), and every block says why it is sound.
#![allow(unsafe_code)]

use core::arch::wasm32;
use core::cell::UnsafeCell;
use std::alloc::{GlobalAlloc, Layout};

const PAGE: usize = 65_536;
/// The smallest growth, in pages (1 MiB).
const MIN_GROW_PAGES: usize = 16;

/// The platform side of dlmalloc: where new memory comes from.
struct GeometricGrowth;

// SAFETY: `alloc` returns either null or a region that `memory.grow` has
// just added to linear memory, which nothing else owns; the region is never
// handed back (`free`/`free_part` answer false, `remap` null), exactly as
// dlmalloc's own wasm system allocator does.
unsafe impl dlmalloc::Allocator for GeometricGrowth {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let generous = needed.max(wasm32::memory_size(0) / 4).max(MIN_GROW_PAGES);
        for pages in [generous, needed] {
            let previous = wasm32::memory_grow(0, pages);
            if previous != usize::MAX {
                return ((previous * PAGE) as *mut u8, pages * PAGE, 0);
            }
        }
        (core::ptr::null_mut(), 0, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        // Fresh wasm pages are zeroed.
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Heap(UnsafeCell<dlmalloc::Dlmalloc<GeometricGrowth>>);

// SAFETY: this crate is built for wasm32-unknown-unknown without the atomics
// feature, so there is one thread and no two calls into the heap overlap
// (the allocator never calls back into JS, so no re-entrance either).
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(
    GeometricGrowth,
)));

// SAFETY: each method forwards to dlmalloc with the layout GlobalAlloc was
// given, on the one heap, with no other reference to it alive (see `Sync`
// above): the contract of GlobalAlloc is dlmalloc's own.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}
