#![no_main]
//! libFuzzer steers the event generator: a buffer of 1 to 4 of the 58 event kinds frames, every
//! event parses, and every reading of `mstrp::events` holds (see fuzz/gen_harness.rs).

#[path = "../gen_harness.rs"]
mod gen_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gen_harness::gen_events(data);
});
