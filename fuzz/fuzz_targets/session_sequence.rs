#![no_main]
//! A sequence of ClientRequest buffers through an in-process ServerSession: no panic, replies
//! and events parse, every asynchronous request completes at most once, bounded event queue
//! (see fuzz/session_harness.rs).

#[path = "../session_harness.rs"]
mod session_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_harness::session_sequence(data));
