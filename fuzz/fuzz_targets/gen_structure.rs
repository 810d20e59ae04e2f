#![no_main]
//! libFuzzer steers the structure generator: any of the 49 structures of [MS-TRP] 2.2.6, under
//! any TAPI version or none, decodes and validates, and reads back through its builder (see
//! fuzz/gen_harness.rs).

#[path = "../gen_harness.rs"]
mod gen_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gen_harness::gen_structure(data);
});
