//! A counting global allocator for the zero-allocation tests (tests/zero_alloc.rs,
//! tests/rpc_zero_alloc.rs) and the bounded-memory check of the session harness
//! (tests/session_sequence_corpus.rs, the `session_sequence` fuzz target). Each includes this
//! file with `#[path]`; it installs itself as the binary's `#[global_allocator]`.
//!
//! Both the switch and the count are per thread: tests run in parallel, and another test's
//! allocations must not land in this one's count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        let _ = LARGEST.try_with(|n| n.set(n.get().max(size)));
    }
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the contract; the
// counting touches only const-initialized thread-local `Cell`s (no allocation, no destructor).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: the caller's guarantees for `layout` are passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: `ptr` was allocated by `System` through this allocator with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` through this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations it made on this thread.
pub fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCATIONS.with(Cell::get) - before)
}

/// Runs `f` and returns its result with the size of the largest single allocation (or
/// reallocation) it made on this thread, 0 when it made none.
#[allow(dead_code)]
pub fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let outer = LARGEST.with(Cell::get);
    LARGEST.with(|n| n.set(0));
    let (out, _) = allocations(f);
    let largest = LARGEST.with(Cell::get);
    LARGEST.with(|n| n.set(outer.max(largest)));
    (out, largest)
}
