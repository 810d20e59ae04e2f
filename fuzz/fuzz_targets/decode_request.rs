#![no_main]
//! Parses any input as a request, resolves every reference and re-encodes it
//! (see fuzz/harness.rs for the invariants).

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::decode_request(data));
