#![no_main]
//! Validation never panics, and a request that passes every stateless rule resolves every
//! reference (see fuzz/harness.rs).

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::validate_request(data));
