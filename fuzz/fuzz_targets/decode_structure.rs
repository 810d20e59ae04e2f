#![no_main]
//! Any input as one of the 49 data structures of [MS-TRP] 2.2.6, every accessor path walked
//! (see fuzz/harness.rs).

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::decode_structure(data);
});
